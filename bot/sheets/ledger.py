"""The spending ledger as a spreadsheet: read an upload (xlsx or csv), hand out a template, export the ledger.

Upload columns (first row): 일자 | 과목 | 분야 | 금액(원) | 건수 | 내용 | 비고 (건수 and 비고 may be left out).
Every row is checked and every problem is returned with the row number the spreadsheet shows (header = 1),
so staff fix the file once. A file that cannot be read at all gives one problem on row 0.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from bot.domain.budget import BudgetRow, Summary, day_problem
from bot.lang.limits import limit
from bot.lang.moneyfmt import format_thousand_won
from bot.lang.textutil import collapse_spaces
from bot.present.budget import day_refusal
from bot.sheets.common import (
    DAY,
    WON,
    Bad,
    ImportLimits,
    Layout,
    ReadRow,
    RowProblem,
    Writer,
    add_choice_list,
    amount,
    any_date,
    cell_text,
    limited_text,
    name_reader,
    read_table,
)

DATE, LINE, FIELD, AMOUNT, PAYMENTS, PURPOSE, NOTE = "일자", "과목", "분야", "금액(원)", "건수", "내용", "비고"
COLUMNS = (DATE, LINE, FIELD, AMOUNT, PAYMENTS, PURPOSE, NOTE)
OPTIONAL = frozenset({PAYMENTS, NOTE})
MAX_ROWS = 100_000  # as imports.max_rows by default
MAX_PURPOSE = limit("spend_purpose")
MAX_PAYMENTS = 9_999
LAYOUT = Layout(COLUMNS, OPTIONAL, "집행 내역", {"금액": AMOUNT, "금액(원)": AMOUNT, "날짜": DATE})

_PAYMENTS = re.compile(r"(\d{1,9})\s*건?")


@dataclass(frozen=True)
class LedgerRow:
    row: int
    spent_on: date
    amount_won: int
    line: str  # canonical names
    field: str
    purpose: str
    payments: int
    note: str | None


class LedgerEntryView(Protocol):
    @property
    def id(self) -> int: ...
    @property
    def spent_on(self) -> date: ...
    @property
    def amount_won(self) -> int: ...
    @property
    def line_id(self) -> int: ...
    @property
    def field_id(self) -> int: ...
    @property
    def purpose(self) -> str: ...
    @property
    def payments(self) -> int: ...
    @property
    def note(self) -> str | None: ...
    @property
    def voided(self) -> bool: ...


# --- reading an upload ------------------------------------------------------------------------------------------

def read_ledger(data: bytes, filename: str, *, line_names: Mapping[str, str], field_names: Mapping[str, str],
                year: int, opening_date: date | None = None, limits: ImportLimits | None = None
                ) -> tuple[list[LedgerRow], list[RowProblem]]:
    """The valid rows of an uploaded ledger and every problem found (a row with a problem is not in the rows;
    a problem with the file itself comes alone, on row 0, with no rows). A date outside the fiscal year, or on
    or before ``opening_date`` (already in the opening balances), is a problem: the chat's rule."""
    rows: list[LedgerRow] = []
    problems: list[RowProblem] = []

    def take(row: ReadRow) -> None:
        if row.problems:
            problems.extend(row.problems)
        else:
            cells = row.cells
            rows.append(LedgerRow(row.row, cells[DATE], cells[AMOUNT], cells[LINE], cells[FIELD], cells[PURPOSE],
                                  cells[PAYMENTS], cells[NOTE]))

    failure = read_table(data, filename, LAYOUT, _parsers(line_names, field_names, year, opening_date),
                         max_rows=MAX_ROWS, take=take, limits=limits)
    if failure is not None:
        return [], [failure]
    return rows, problems


# --- one cell ---------------------------------------------------------------------------------------------------

def _parsers(line_names: Mapping[str, str], field_names: Mapping[str, str], year: int, opening_date: date | None
             ) -> dict[str, Callable[[Any], Any]]:
    return {DATE: lambda value: _date(value, year, opening_date), LINE: name_reader(LINE, line_names),
            FIELD: name_reader(FIELD, field_names), AMOUNT: amount, PAYMENTS: _payments, PURPOSE: _purpose,
            NOTE: limited_text("spend_note")}


def _date(value: Any, year: int, opening_date: date | None) -> date:
    day = any_date(value, year)
    refusal = day_refusal(day, year, opening_date or date(year - 1, 12, 31))
    if refusal is not None:
        raise Bad(refusal)
    return day


def _payments(value: Any) -> int:
    text = cell_text(value)
    if not text:
        return 1
    match = _PAYMENTS.fullmatch(text.replace(",", ""))
    if match is None or not 1 <= int(match[1]) <= MAX_PAYMENTS:
        raise Bad(f"건수는 1에서 {MAX_PAYMENTS:,} 사이의 정수로 적어 주세요 (비우면 1건): '{text}'")
    return int(match[1])


def _purpose(value: Any) -> str:
    text = collapse_spaces(cell_text(value))
    if not text:
        raise Bad("내용을 입력해 주세요 (무엇에 썼는지, 예: 복지정책 간담회 다과)")
    if len(text) > MAX_PURPOSE:
        raise Bad(f"내용이 너무 깁니다: {len(text):,}자 (최대 {MAX_PURPOSE}자)")
    return text


# --- writing ----------------------------------------------------------------------------------------------------

_RATE = "0.0%"
_WIDTHS = {DATE: 12, LINE: 20, FIELD: 14, AMOUNT: 14, PAYMENTS: 7, PURPOSE: 40, NOTE: 24}


def _thousand(won: int) -> int:
    """Won as a 천원 figure, rounded the way the report's tables (and ``format_thousand_won``) round."""
    return int(format_thousand_won(won).removesuffix("천원").replace(",", ""))


def ledger_template(line_names: Sequence[str], field_names: Sequence[str], *, year: int | None = None) -> bytes:
    """An upload template: the header, one example row (valid; to be deleted) and a sheet '안내' on the columns.

    The example date is a real date in ``year`` when given, otherwise the text '7/20' (valid in any year).
    """
    writer = Writer()
    sheet = writer.sheet("집행내역", [_WIDTHS[name] for name in COLUMNS], freeze="A2")
    writer.header(sheet, COLUMNS)
    if line_names and field_names:
        _add_choice_lists(sheet, line_names, field_names)
        example_day: date | str = date(year, 7, 20) if year else "7/20"
        sheet.append([writer.cell(sheet, example_day, DAY), line_names[0], field_names[min(1, len(field_names) - 1)],
                      writer.cell(sheet, 120_000, WON), 1, "복지정책 간담회 다과", "예시 행입니다. 지우고 쓰세요."])
    guide = writer.sheet("안내", [12, 8, 70, 22])
    writer.header(guide, ("열", "필수", "쓰는 법", "예"))
    for row in _guide_rows(line_names, field_names):
        guide.append(row)
    return writer.save()


def _add_choice_lists(sheet: Any, line_names: Sequence[str], field_names: Sequence[str]) -> None:
    """Drop-down lists for 과목 and 분야 (other spellings stay allowed: no error box)."""
    add_choice_list(sheet, "B", line_names, MAX_ROWS)
    add_choice_list(sheet, "C", field_names, MAX_ROWS)


def _guide_rows(line_names: Sequence[str], field_names: Sequence[str]) -> list[list[str]]:
    first_line = line_names[0] if line_names else ""
    first_field = field_names[0] if field_names else ""
    return [
        [DATE, "필수", "엑셀 날짜, 또는 2018-07-20 · 2018.7.20 · 7/20 (연도를 빼면 회계연도). 회계연도 안, "
         "보고서 기준일(기초 잔액의 날짜) 다음 날부터",
         "2018-07-20"],
        [LINE, "필수", "아래 과목 이름 중 하나 (줄임말도 됩니다)", first_line],
        [FIELD, "필수", "아래 분야 이름 중 하나 (줄임말도 됩니다)", first_field],
        [AMOUNT, "필수", "원 단위 숫자, 또는 12만원 · 120,000 같은 금액. 0보다 커야 합니다", "120000"],
        [PAYMENTS, "선택", f"결제 건수: 1 ~ {MAX_PAYMENTS:,}. 비우면 1건", "1"],
        [PURPOSE, "필수", f"무엇에 썼는지 ({MAX_PURPOSE}자 이내)", "복지정책 간담회 다과"],
        [NOTE, "선택", "참고 사항", ""],
        [],
        ["과목", "", ", ".join(line_names)],
        ["분야", "", ", ".join(field_names)],
        [],
        ["주의", "", "첫 행(열 제목)은 바꾸지 마세요. 2행의 예시는 지우고 쓰세요."],
        ["", "", f"한 파일에 {MAX_ROWS:,}행까지 올릴 수 있습니다. 틀린 행이 있으면 행 번호와 열을 모두 알려 드립니다."],
        ["", "", "CSV로 저장할 때는 'CSV UTF-8(쉼표로 분리)'을 권합니다 (엑셀 기본 CSV도 읽습니다)."],
    ]


def ledger_workbook(entries: Sequence[LedgerEntryView], summary: Summary, line_names: Mapping[int, str],
                    field_names: Mapping[int, str]) -> bytes:
    """The ledger export: sheet '집행내역' (every entry, voided ones marked 취소) and sheet '요약'."""
    writer = Writer()
    sheet = writer.sheet("집행내역", [8, 12, 20, 14, 14, 7, 40, 24, 16], freeze="A2")
    writer.header(sheet, ("번호", DATE, LINE, FIELD, AMOUNT, PAYMENTS, PURPOSE, NOTE, "상태"))
    for entry in entries:
        sheet.append([entry.id, writer.cell(sheet, entry.spent_on, DAY),
                      line_names.get(entry.line_id, f"#{entry.line_id}"),
                      field_names.get(entry.field_id, f"#{entry.field_id}"),
                      writer.cell(sheet, entry.amount_won, WON), entry.payments, entry.purpose, entry.note,
                      _state(entry, summary)])
    _summary_sheet(writer, summary)
    return writer.save()


def _state(entry: LedgerEntryView, summary: Summary) -> str:
    """정상 when the summary counts the entry; an entry stored before the rule refused such dates says why not."""
    if entry.voided:
        return "취소"
    if day_problem(entry.spent_on, summary.year, summary.opening_date) is not None:
        return "미반영(기준일 이전)"
    return "정상"


def _summary_sheet(writer: Writer, summary: Summary) -> None:
    sheet = writer.sheet("요약", [20, 14, 14, 14, 10])
    total = summary.total
    sheet.append([writer.cell(sheet, f"{summary.year}년 시장 업무추진비 집행 현황", bold=True)])
    sheet.append([f"기준일: {summary.as_of.isoformat()}"])
    sheet.append([f"자료: {summary.source} ({summary.opening_date.isoformat()} 현재) 및 그 뒤 기록된 집행 내역 "
                  "(취소 제외)"])
    sheet.append([])
    sheet.append([writer.cell(sheet, "과목별 (천원)", bold=True)])
    writer.header(sheet, ("과목", "예산액", "집행액", "잔액", "집행률"))
    for row in (*summary.lines, total):
        sheet.append(_line_cells(writer, sheet, row, bold=row is total))
    sheet.append([])
    sheet.append([writer.cell(sheet, "분야별 (천원)", bold=True)])
    writer.header(sheet, ("분야", "집행액", "건수"))
    for row in (*summary.fields, total):
        sheet.append([writer.cell(sheet, row.name, bold=row is total), writer.cell(sheet, _thousand(row.spent), WON),
                      row.payments])


def _line_cells(writer: Writer, sheet: Any, row: BudgetRow, *, bold: bool) -> list[Any]:
    budget = row.budget or 0
    return [writer.cell(sheet, row.name, bold=bold), writer.cell(sheet, _thousand(budget), WON),
            writer.cell(sheet, _thousand(row.spent), WON), writer.cell(sheet, _thousand(budget - row.spent), WON),
            writer.cell(sheet, row.rate, _RATE)]
