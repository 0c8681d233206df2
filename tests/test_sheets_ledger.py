"""Ledger spreadsheets: reading uploads (xlsx, csv in UTF-8/CP949), the template and the export workbook."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime

import openpyxl
import pytest
from helpers import xlsx

from bot.domain.budget import Logged, Opening, Summary, summarize
from bot.sheets import ledger
from bot.sheets.ledger import LedgerRow, RowProblem, ledger_template, ledger_workbook, read_ledger

LINES = ["기관운영업무추진비", "시책추진업무추진비"]
FIELDS = ["직원격려", "회의·간담회", "위문"]
LINE_NAMES = {**{name: name for name in LINES}, "기관운영": LINES[0], "시책추진": LINES[1]}
FIELD_NAMES = {**{name: name for name in FIELDS}, "격려": "직원격려", "간담회": "회의·간담회", "회의": "회의·간담회",
               "복지시설": "위문"}
HEADER = ["일자", "과목", "분야", "금액(원)", "건수", "내용", "비고"]


def read(data: bytes, filename: str, year: int = 2018) -> tuple[list[LedgerRow], list[RowProblem]]:
    return read_ledger(data, filename, line_names=LINE_NAMES, field_names=FIELD_NAMES, year=year)


def csv_text(rows: list[list[str]]) -> str:
    return "".join(",".join(f'"{cell}"' if "," in cell else cell for cell in row) + "\r\n" for row in rows)


EXPECTED = [
    LedgerRow(2, date(2018, 7, 20), 120_000, "시책추진업무추진비", "회의·간담회", "복지정책 간담회 다과", 1, None),
    LedgerRow(3, date(2018, 7, 23), 1_500_000, "기관운영업무추진비", "직원격려", "현업근무자 격려", 3, "폭염 대비"),
    LedgerRow(4, date(2018, 8, 1), 35_000, "기관운영업무추진비", "위문", "복지시설 위문품", 1, None),
]


def test_xlsx_with_real_dates_and_numbers() -> None:
    data = xlsx([HEADER,
                 [datetime(2018, 7, 20), "시책추진", "간담회", 120000, None, "복지정책 간담회 다과", None],
                 [date(2018, 7, 23), "기관운영업무추진비", "직원 격려", 1500000.0, 3, " 현업근무자  격려 ",
                  "폭염 대비"],
                 ["2018.8.1", "기관 운영", "복지시설", "3만 5천원", "1건", "복지시설 위문품", ""],
                 [None, None, None, None, None, None, None]])
    assert read(data, "장부.XLSX") == (EXPECTED, [])


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp949"])
def test_csv_in_every_encoding_excel_writes(encoding: str) -> None:
    text = csv_text([HEADER,
                     ["2018-07-20", "시책추진", "간담회", "120,000", "", "복지정책 간담회 다과", ""],
                     ["7/23", "기관운영업무추진비", "격려", "150만원", "3", "현업근무자 격려", "폭염 대비"],
                     ["2018년 8월 1일", "기관운영", "위문", "35000", "1", "복지시설 위문품", ""]])
    assert read(text.encode(encoding), "ledger.csv") == (EXPECTED, [])


def test_round_trip_through_xlsx_and_csv() -> None:
    """Rows written back into the upload layout read back unchanged, both as xlsx and as csv."""
    body = [[row.spent_on, row.line, row.field, row.amount_won, row.payments, row.purpose, row.note or ""]
            for row in EXPECTED]
    assert read(xlsx([HEADER, *body]), "a.xlsx") == (EXPECTED, [])
    text = csv_text([HEADER, *[[str(cell) for cell in row] for row in body]])
    assert read(text.encode("utf-8-sig"), "a.csv") == (EXPECTED, [])


@pytest.mark.parametrize("written, expected", [
    ("2018-07-20", date(2018, 7, 20)), ("2018.7.20", date(2018, 7, 20)), ("2018.7.20.", date(2018, 7, 20)),
    ("2018/07/20", date(2018, 7, 20)), ("7/20", date(2018, 7, 20)), ("7.20.", date(2018, 7, 20)),
    ("7월 20일", date(2018, 7, 20)), ("2018. 7. 20.(금)", date(2018, 7, 20)), ("20180720", date(2018, 7, 20)),
    ("18.7.20", date(2018, 7, 20)), ("2018-07-20 00:00:00", date(2018, 7, 20)),
])
def test_date_forms(written: str, expected: date) -> None:
    rows, problems = read(csv_text([HEADER, [written, "기관운영", "회의", "1000", "", "다과", ""]]).encode(), "a.csv")
    assert problems == []
    assert rows[0].spent_on == expected


def test_excel_serial_date_number() -> None:
    rows, problems = read(xlsx([HEADER, [43301, "기관운영", "회의", 1000, 1, "다과", None]]), "a.xlsx")
    assert problems == [] and rows[0].spent_on == date(2018, 7, 20)


def test_every_bad_row_is_named_with_row_and_column() -> None:
    data = xlsx([HEADER,
                 ["2018-07-20", "기관운영", "회의", 50000, 1, "정상 행", None],
                 ["2018-02-30", "없는과목", "회의", 0, 0, "", None],
                 [],
                 ["2017-12-31", "시책추진", "없는분야", "-5만원", "많이", "x" * 501, None],
                 ["내일", None, None, "12.5", 10000, "다과", None],
                 ["7/21", "시책추진", "격려", 10**13 + 1, 2, "너무 큼", None]])
    rows, problems = read(data, "bad.xlsx")
    assert [row.row for row in rows] == [2]
    assert {(p.row, p.column) for p in problems} == {
        (3, "일자"), (3, "과목"), (3, "금액(원)"), (3, "건수"), (3, "내용"),
        (5, "일자"), (5, "분야"), (5, "금액(원)"), (5, "건수"), (5, "내용"),
        (6, "일자"), (6, "과목"), (6, "분야"), (6, "금액(원)"), (6, "건수"),
        (7, "금액(원)"),
    }
    reasons = {(p.row, p.column): p.reason for p in problems}
    assert reasons[(3, "과목")] == "과목 '없는과목'을 찾을 수 없습니다 (기관운영업무추진비, 시책추진업무추진비 중 하나)"
    assert reasons[(5, "분야")] == "분야 '없는분야'를 찾을 수 없습니다 (직원격려, 회의·간담회, 위문 중 하나)"
    assert reasons[(3, "일자")] == "없는 날짜입니다: '2018-02-30'"
    assert "회계연도" in reasons[(5, "일자")]
    assert "0보다" in reasons[(5, "금액(원)")] and "너무 큽니다" in reasons[(7, "금액(원)")]
    assert "500자" in reasons[(5, "내용")] and "1에서 9,999" in reasons[(6, "건수")]
    assert "원 단위 아래" in reasons[(6, "금액(원)")]
    assert all(p.reason for p in problems)


@pytest.mark.parametrize("header, words", [
    (["날", "과목", "분야", "금액(원)", "건수", "내용", "비고"], ["일자"]),
    (["date", "line", "field", "amount", "count", "purpose", "note"], ["일자", "과목", "분야", "금액(원)", "내용"]),
    (["일자", "과목", "과목", "분야", "금액(원)", "내용"], ["두 번"]),
])
def test_wrong_headers(header: list[str], words: list[str]) -> None:
    rows, problems = read(xlsx([header, ["2018-07-20", "기관운영", "회의", 1000, 1, "다과", None]]), "a.xlsx")
    assert rows == [] and len(problems) == 1 and problems[0].row == 0
    assert all(word in problems[0].reason for word in words)


def test_headers_may_be_spaced_reordered_and_optional_columns_left_out() -> None:
    data = xlsx([["내용", " 금액 ", "분야", "과목", "일 자"], ["다과", "1만원", "회의", "기관운영", "7/20"]])
    assert read(data, "a.xlsx") == ([LedgerRow(2, date(2018, 7, 20), 10_000, LINES[0], "회의·간담회", "다과", 1, None)],
                                    [])


@pytest.mark.parametrize("data, filename, word", [
    (b"", "a.csv", "비어"),
    ("일자,과목,분야,금액(원),건수,내용,비고\n".encode(), "a.csv", "집행 내역이 없습니다"),
    ("일자,과목\n".encode() + b"\xff\xfe\x80" + "기관운영\n".encode(), "a.csv", "인코딩"),
    (b"\x80\x81\xff" * 10, "a.csv", "인코딩"),
    (b"not a zip at all", "a.xlsx", "열 수 없습니다"),
    (b"PK\x03\x04broken", "a.xlsx", "열 수 없습니다"),
    (b"\xd0\xcf\x11\xe0", "old.xls", "형식"),
    (b"hello", "noext", "형식"),
])
def test_unreadable_files_give_one_problem_on_row_zero(data: bytes, filename: str, word: str) -> None:
    rows, problems = read(data, filename)
    assert rows == [] and len(problems) == 1
    assert problems[0].row == 0 and word in problems[0].reason


def test_a_zip_that_is_not_a_workbook() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    assert read(buffer.getvalue(), "a.xlsx")[1][0].row == 0


def test_utf16_tab_separated_text_from_excel() -> None:
    text = "\t".join(HEADER) + "\r\n" + "\t".join(["7/20", "기관운영", "회의", "1000", "", "다과", ""]) + "\r\n"
    rows, problems = read(text.encode("utf-16"), "a.csv")
    assert problems == [] and rows[0].amount_won == 1000


def test_too_many_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ledger, "MAX_ROWS", 3)
    body = [["7/20", "기관운영", "회의", "1000", "", "다과", ""]] * 4
    rows, problems = read(csv_text([HEADER, *body]).encode(), "a.csv")
    assert rows == [] and len(problems) == 1 and "3행까지" in problems[0].reason
    assert read(csv_text([HEADER, *body[:3]]).encode(), "a.csv")[1] == []


@pytest.mark.parametrize("year", [None, 2018, 2019])
def test_template_reads_back_without_problems(year: int | None) -> None:
    data = ledger_template(LINES, FIELDS, year=year)
    rows, problems = read(data, "양식.xlsx", year=year or 2018)
    assert problems == [] and len(rows) == 1
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["집행내역", "안내"]
    assert [cell.value for cell in book["집행내역"][1]] == HEADER
    guide = " ".join(str(cell) for row in book["안내"].iter_rows(values_only=True) for cell in row if cell)
    assert all(name in guide for name in LINES + FIELDS)
    assert all(column in guide for column in HEADER)


@dataclass(frozen=True)
class Entry:
    id: int
    spent_on: date
    amount_won: int
    line_id: int
    field_id: int
    purpose: str
    payments: int
    note: str | None
    voided: bool


def report_summary() -> Summary:
    return summarize(
        year=2018, as_of=date(2018, 7, 20), opening_date=date(2018, 6, 30), source="2018.7 주요업무 보고 Ⅰ-3",
        lines=[(1, LINES[0], 277_200_000), (2, LINES[1], 80_000_000)], fields=[(1, FIELDS[0]), (2, FIELDS[1]),
                                                                            (3, FIELDS[2])],
        line_openings={1: Opening(1, 84_196_000, None), 2: Opening(2, 34_379_000, None)},
        field_openings={1: Opening(1, 17_291_000, 30), 2: Opening(2, 101_284_000, 213), 3: Opening(3, 0, 0)},
        by_line={2: Logged(120_000, 1)}, by_field={2: Logged(120_000, 1)},
    )


def test_workbook_holds_the_entries_and_the_summary() -> None:
    entries = [Entry(1, date(2018, 7, 20), 120_000, 2, 2, "복지정책 간담회 다과", 1, None, False),
               Entry(2, date(2018, 7, 21), 50_000, 1, 1, "잘못 기록", 2, "중복", True)]
    data = ledger_workbook(entries, report_summary(), dict(enumerate(LINES, 1)), dict(enumerate(FIELDS, 1)))
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["집행내역", "요약"]
    rows = list(book["집행내역"].iter_rows(values_only=True))
    assert rows[0] == ("번호", "일자", "과목", "분야", "금액(원)", "건수", "내용", "비고", "상태")
    assert rows[1] == (1, datetime(2018, 7, 20), LINES[1], "회의·간담회", 120_000, 1, "복지정책 간담회 다과", None,
                       "정상")
    assert rows[2][-1] == "취소" and rows[2][7] == "중복"
    assert book["집행내역"]["E2"].number_format == "#,##0"
    summary = [row for row in book["요약"].iter_rows(values_only=True)]
    by_name = {row[0]: row for row in summary if row and row[0]}
    assert by_name[LINES[0]][:4] == (LINES[0], 277_200, 84_196, 193_004)
    assert by_name[LINES[1]][:4] == (LINES[1], 80_000, 34_499, 45_501)
    assert by_name[LINES[0]][4] == pytest.approx(84_196 / 277_200)
    totals = [row for row in summary if row and row[0] == "계"]
    assert totals[0][:4] == ("계", 357_200, 118_695, 238_505)
    assert totals[1][:3] == ("계", 118_695, 244)
    assert by_name["회의·간담회"][:3] == ("회의·간담회", 101_404, 214)
    assert by_name["위문"][:3] == ("위문", 0, 0)
    text = " ".join(str(cell) for row in summary for cell in row if cell)
    assert "2018-07-20" in text and "2018.7 주요업무 보고 Ⅰ-3" in text


def test_empty_ledger_workbook_still_has_the_summary() -> None:
    data = ledger_workbook([], report_summary(), {}, {})
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book["집행내역"].max_row == 1 and book["요약"].max_row > 5
