"""Pledge spreadsheets: reading uploads (xlsx, csv), every validation, the template, the sample and the export."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from helpers import xlsx

from bot.sheets import pledges
from bot.sheets.pledges import COLUMNS, PledgeRow, RowProblem, pledges_template, pledges_workbook, read_pledges

STATUSES = ("정상추진", "지연", "완료", "보류", "미착수")
HEADER = list(COLUMNS)
SAMPLE = Path(__file__).resolve().parent.parent / "storage" / "seed_data" / "pledges_sample.csv"


def read(data: bytes, filename: str) -> tuple[list[PledgeRow], list[RowProblem]]:
    return read_pledges(data, filename, statuses=STATUSES)


def csv_bytes(rows: list[list[Any]], encoding: str = "utf-8-sig") -> bytes:
    def cell(value: Any) -> str:
        text = "" if value is None else str(value)
        return f'"{text}"' if any(c in text for c in ',"\n') else text

    return "".join(",".join(cell(v) for v in row) + "\r\n" for row in rows).encode(encoding)


def good(code: str = "T01-1-01", **changes: Any) -> list[Any]:
    """A valid row in the upload layout; ``changes`` by column name."""
    row = {"분류": "정책대상", "분야코드": "T01", "분야": "자영업자", "공약코드": "T01-1",
           "핵심공약": "소상공인 경영부담 완화", "세부사업코드": code, "세부사업": f"세부사업 {code}",
           "담당부서": "소상공인정책담당관", "상태": "정상추진",
           "진행률": "45%", "예산연도": "2018", "예산계획(원)": "12억", "예산확보(원)": "800,000,000",
           "예산집행(원)": "0", "마일스톤": "착공 2018-09-30; 준공 2019.12.31", "비고": ""}
    row.update(changes)
    return [row[name] for name in HEADER]


EXPECTED = [
    PledgeRow(2, "정책대상", "T01", "자영업자", "T01-1", "소상공인 경영부담 완화", "T01-1-01",
              "카드수수료 부담 경감 지원", "소상공인정책담당관", "정상추진", 45, 2018, 1_200_000_000, 800_000_000,
              350_000_000,
              (("제도 설계", date(2018, 9, 30)), ("시범 시행", date(2019, 1, 2))), None),
    PledgeRow(3, "정책대상", "T01", "자영업자", "T01-2", "자영업자 사회안전망 강화", "T01-2-02",
              "자영업자 지원센터 건립", "소상공인정책담당관", "지연", 15, None, 0, 0, 0, (), "부지 협의 지연"),
    PledgeRow(4, "정책영역", "D01", "미래특별시", "D01-1", "스마트시티 기반 구축", "D01-1-01", "공공 와이파이 확대",
              "스마트도시정책관", "완료", 100, 2019, 2_500_000_000, 0, 0, (("개통", date(2019, 11, 30)),), None),
]


def test_xlsx_with_numbers_dates_and_spellings() -> None:
    header = [" 분류", "분야 코드", *HEADER[2:9], "진행률(%)", *HEADER[10:]]
    data = xlsx([header,
                 ["정책대상", "t01", "자영업자", "T01-1", "소상공인  경영부담 완화", "T01-1-01",
                  "카드수수료 부담 경감 지원", "소상공인정책담당관", "정상추진", 45, 2018, 1_200_000_000,
                  800_000_000.0, "3억 5천만원",
                  "제도 설계 2018. 9. 30.\n시범 시행 20190102", None],
                 ["정책대상별", "T01", "자영업자", "T01-2", "자영업자 사회안전망 강화", "T01-2-02",
                  "자영업자 지원센터 건립", "소상공인정책담당관", "지연", "15 %", None, None, "", None, None,
                  " 부지  협의 지연 "],
                 ["정책영역", "D01", "미래특별시", "D01-1", "스마트시티 기반 구축", "D01-1-01", "공공 와이파이 확대",
                  "스마트도시정책관", "완료", 100.0, "2019년", "25억", 0, 0, "개통 2019년 11월 30일", ""],
                 [None] * 16])
    assert read(data, "공약.XLSX") == (EXPECTED, [])


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp949"])
def test_csv_in_every_encoding_excel_writes(encoding: str) -> None:
    body = [[row.axis, row.area_code, row.area_name, row.pledge_code, row.pledge_title, row.code, row.title,
             row.department, row.status, row.progress, row.budget_year or "", row.planned, row.secured, row.spent,
             pledges.milestones_text(row.milestones), row.note or ""] for row in EXPECTED]
    assert read(csv_bytes([HEADER, *body], encoding), "pledges.csv") == (EXPECTED, [])


def test_optional_columns_may_be_left_out_and_columns_reordered() -> None:
    required = [name for name in HEADER if name not in pledges.OPTIONAL]
    reordered = required[::-1]
    values = dict(zip(HEADER, good(), strict=True))
    rows, problems = read(csv_bytes([reordered, [values[name] for name in reordered]]), "a.csv")
    assert problems == []
    assert (rows[0].budget_year, rows[0].planned, rows[0].secured, rows[0].spent) == (None, 0, 0, 0)
    assert rows[0].milestones == () and rows[0].note is None and rows[0].progress == 45


def test_one_bad_row_among_good_ones_is_the_only_one_named() -> None:
    body = [good(f"S-{n:02d}") for n in range(1, 6)]
    body[2] = good("S-03", 진행률="140%")
    rows, problems = read(csv_bytes([HEADER, *body]), "a.csv")
    assert [row.code for row in rows] == ["S-01", "S-02", "S-04", "S-05"]
    assert problems == [RowProblem(4, "진행률", "진행률은 0~100 사이의 정수입니다: '140%'")]


@pytest.mark.parametrize("column, written, words", [
    ("진행률", "140%", ["0~100 사이의 정수", "140%"]),
    ("진행률", "abc", ["0~100 사이의 정수", "abc"]),
    ("진행률", "-5", ["0~100"]),
    ("진행률", "45.5", ["정수"]),
    ("진행률", "", ["진행률을 입력"]),
    ("상태", "진행중", ["상태 '진행중'을 찾을 수 없습니다", "정상추진, 지연, 완료, 보류, 미착수 중 하나"]),
    ("상태", "", ["상태를 입력"]),
    ("분류", "정책분야", ["정책대상, 정책영역 중 하나"]),
    ("분야코드", "", ["분야코드를 입력"]),
    ("공약코드", "T01 1", ["영문자·숫자·-·_로 1~32자", "'T01 1'"]),
    ("세부사업코드", "가-01", ["세부사업코드는 영문자"]),
    ("세부사업코드", "X" * 33, ["1~32자"]),
    ("분야", "", ["분야를 입력"]),
    ("핵심공약", "", ["핵심공약을 입력"]),
    ("세부사업", "가" * 301, ["너무 깁니다", "최대 300자"]),
    ("담당부서", "", ["담당부서를 입력"]),
    ("담당부서", "가" * 101, ["최대 100자"]),
    ("예산연도", "18", ["2000~2100", "'18'"]),
    ("예산연도", "2200", ["2000~2100"]),
    ("예산계획(원)", "-5000", ["0 이상"]),
    ("예산확보(원)", "많이", ["금액을 알아보지"]),
    ("예산집행(원)", "1.5", ["원 단위 아래"]),
    ("마일스톤", "착공", ["날짜를 찾지 못했습니다"]),
    ("마일스톤", "착공 9/30", ["연도까지"]),
    ("마일스톤", "착공 2018-02-30", ["없는 날짜", "2018-02-30"]),
    ("마일스톤", "2018-09-30", ["제목이 없습니다"]),
])
def test_each_cell_check(column: str, written: str, words: list[str]) -> None:
    rows, problems = read(csv_bytes([HEADER, good("S-01"), good("S-02", **{column: written})]), "a.csv")
    assert [row.code for row in rows] == ["S-01"]
    assert [(p.row, p.column) for p in problems] == [(3, column)]
    assert all(word in problems[0].reason for word in words), problems[0].reason


def test_every_problem_of_a_row_is_reported() -> None:
    bad = good("S-02", 진행률="abc", 상태="몰라", 예산연도="1999", 분류="")
    rows, problems = read(csv_bytes([HEADER, good("S-01"), bad]), "a.csv")
    assert len(rows) == 1
    assert [p.column for p in problems] == ["분류", "상태", "진행률", "예산연도"]
    assert all(p.row == 3 and p.reason for p in problems)


def test_rows_must_agree_on_codes() -> None:
    body = [good("S-01"),
            good("s-01"),  # codes are case-insensitive: the same sub-project again
            good("S-03", 분야="자영업"),
            good("S-04", 분류="정책영역"),
            good("S-05", 분야코드="T02", 분야="청년"),  # the pledge T01-1 moved to another area
            good("S-06", 핵심공약="다른 제목"),
            good("S-07", 공약코드="T01-2", 핵심공약="다른 공약")]  # a new pledge in the same area: fine
    rows, problems = read(csv_bytes([HEADER, *body]), "a.csv")
    assert [row.code for row in rows] == ["S-01", "S-07"]
    reasons = {(p.row, p.column): p.reason for p in problems}
    assert list(reasons) == [(3, "세부사업코드"), (4, "분야"), (5, "분류"), (6, "분야코드"), (7, "핵심공약")]
    assert reasons[(3, "세부사업코드")].startswith("2행과 세부사업코드가 같습니다: 'S-01'")
    assert reasons[(4, "분야")] == "분야코드 'T01'의 분야 이름이 2행('자영업자')과 다릅니다: '자영업'"
    assert reasons[(5, "분류")] == "분야코드 'T01'의 분류가 2행('정책대상')과 다릅니다: '정책영역'"
    assert reasons[(6, "분야코드")] == "공약코드 'T01-1'의 분야코드가 2행('T01')과 다릅니다: 'T02'"
    assert reasons[(7, "핵심공약")] == ("공약코드 'T01-1'의 핵심공약이 2행('소상공인 경영부담 완화')과 다릅니다: "
                                        "'다른 제목'")


def test_a_row_with_a_bad_cell_still_counts_for_agreement() -> None:
    rows, problems = read(csv_bytes([HEADER, good("S-01", 진행률="abc"), good("S-01")]), "a.csv")
    assert rows == []
    assert [(p.row, p.column) for p in problems] == [(2, "진행률"), (3, "세부사업코드")]


def test_milestones_repeated_are_kept_once_and_separators_vary() -> None:
    written = "착공 2018-09-30；착공 2018.9.30\n\n2단계 준공 2019-12-31;"
    rows, problems = read(csv_bytes([HEADER, good(마일스톤=written)]), "a.csv")
    assert problems == []
    assert rows[0].milestones == (("착공", date(2018, 9, 30)), ("2단계 준공", date(2019, 12, 31)))


@pytest.mark.parametrize("data, filename, word", [
    (b"", "a.csv", "비어"),
    (",".join(HEADER).encode(), "a.csv", "세부사업이 없습니다"),
    ("분류,분야\n정책대상,자영업자\n".encode(), "a.csv", "공약코드"),
    (b"x", "a.pdf", "형식"),
    (b"not a zip", "a.xlsx", "열 수 없습니다"),
])
def test_files_that_cannot_be_read(data: bytes, filename: str, word: str) -> None:
    rows, problems = read(data, filename)
    assert rows == [] and len(problems) == 1
    assert problems[0].row == 0 and word in problems[0].reason


def test_too_many_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pledges, "MAX_ROWS", 3)
    body = [good(f"S-{n}") for n in range(4)]
    rows, problems = read(csv_bytes([HEADER, *body]), "a.csv")
    assert rows == [] and len(problems) == 1 and "3행까지" in problems[0].reason
    assert read(csv_bytes([HEADER, *body[:3]]), "a.csv")[1] == []


def test_template_reads_back_clean_and_explains_the_columns() -> None:
    data = pledges_template(STATUSES)
    rows, problems = read(data, "양식.xlsx")
    assert problems == [] and len(rows) == 1
    assert rows[0].title.startswith("(예시)") and rows[0].pledge_title.startswith("(예시)")
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["세부사업", "안내"]
    assert [cell.value for cell in book["세부사업"][1]] == HEADER
    guide = " ".join(str(cell) for row in book["안내"].iter_rows(values_only=True) for cell in row if cell)
    assert all(column in guide for column in HEADER)
    assert all(status in guide for status in STATUSES)
    reported = ("12분야", "66개 핵심공약", "242개 세부사업", "정책대상 6분야·18개·57개", "정책영역 6분야·48개·185개")
    assert all(figure in guide for figure in reported)


def test_the_sample_reads_clean() -> None:
    data = SAMPLE.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows, problems = read(data, SAMPLE.name)
    assert problems == [] and len(rows) == 10
    assert {row.axis for row in rows} == {"정책대상", "정책영역"}
    assert {row.area_name for row in rows} <= {"자영업자", "미래특별시"}
    assert all(row.title.startswith("(예시)") and row.pledge_title.startswith("(예시)") for row in rows)
    delayed = [row for row in rows if row.status == "지연"]
    assert len(delayed) == 1 and delayed[0].note
    assert len({row.progress for row in rows}) >= 5
    assert any(row.milestones for row in rows)
    assert all(2018 <= due.year <= 2019 for row in rows for _, due in row.milestones)


def test_export_reads_back_as_the_same_rows() -> None:
    extra = replace(EXPECTED[0], area_code="X01", pledge_code="X01-1", code="X01-1-01", budget_year=None)
    original = [*read(SAMPLE.read_bytes(), SAMPLE.name)[0], extra]
    data = pledges_workbook(original)
    rows, problems = read(data, "내보내기.xlsx")
    assert problems == []
    assert rows == [replace(row, row=number) for number, row in enumerate(original, start=2)]  # 비고 included
    sheet = openpyxl.load_workbook(io.BytesIO(data))["세부사업"]
    assert sheet["L2"].number_format == "#,##0"
    assert isinstance(sheet["J2"].value, int)


def test_an_empty_export_still_has_the_header() -> None:
    book = openpyxl.load_workbook(io.BytesIO(pledges_workbook([])))
    assert book.sheetnames == ["세부사업"]
    assert [cell.value for cell in book["세부사업"][1]] == HEADER


def test_excel_dates_in_the_milestone_column_ask_for_a_title() -> None:
    rows, problems = read(xlsx([HEADER, good(마일스톤=datetime(2018, 9, 30))]), "a.xlsx")
    assert rows == [] and problems[0].column == "마일스톤"
