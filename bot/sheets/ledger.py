"""The spending ledger as a spreadsheet: read an upload (xlsx or csv), hand out a template, export the ledger.

Upload columns (first row): 일자 | 과목 | 분야 | 금액(원) | 건수 | 내용 | 비고 (건수 and 비고 may be left out).
Every row is checked and every problem is returned with the row number the spreadsheet shows (header = 1),
so staff fix the file once. A file that cannot be read at all gives one problem on row 0.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Generator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import PurePath
from typing import Any, Protocol

from bot.domain.budget import BudgetRow, Summary
from bot.lang.amounts import parse_amount
from bot.lang.moneyfmt import format_thousand_won
from bot.lang.textutil import collapse_spaces, has_final_consonant

DATE, LINE, FIELD, AMOUNT, PAYMENTS, PURPOSE, NOTE = "일자", "과목", "분야", "금액(원)", "건수", "내용", "비고"
COLUMNS = (DATE, LINE, FIELD, AMOUNT, PAYMENTS, PURPOSE, NOTE)
OPTIONAL = frozenset({PAYMENTS, NOTE})
MAX_ROWS = 200_000
MAX_PURPOSE = 500
MAX_PAYMENTS = 9_999
FILE = "파일"  # the column named by problems with the whole file
DATE_EXAMPLES = "예: 2018-07-20, 2018.7.20, 7/20"

_HEADER_ALIASES = {"금액": AMOUNT, "금액(원)": AMOUNT, "날짜": DATE}
_SPACES = re.compile(r"\s+")
_WEEKDAY = r"(?:\s*\(?[월화수목금토일](?:요일)?\)?)?"
_TIME = r"(?:[\sT]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_FULL_DATE = re.compile(rf"(\d{{4}}|\d{{2}})\s*[-./년]\s*(\d{{1,2}})\s*[-./월]\s*(\d{{1,2}})\s*[.일]?{_WEEKDAY}{_TIME}")
_SHORT_DATE = re.compile(rf"(\d{{1,2}})\s*[-./월]\s*(\d{{1,2}})\s*[.일]?{_WEEKDAY}")
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")
_PAYMENTS = re.compile(r"(\d{1,9})\s*건?")
_EXCEL_DAYS = range(1, 2_958_466)  # serial numbers Excel can show as a date (1900-01-01 .. 9999-12-31)


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


@dataclass(frozen=True)
class RowProblem:
    row: int  # as the spreadsheet shows it; 0 for the whole file
    column: str
    reason: str  # Korean, for staff


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


class _Unreadable(Exception):
    """The file as a whole cannot be read; the message is the Korean reason."""


class _Bad(Exception):
    """One cell is wrong; the message is the Korean reason."""


# --- reading an upload ------------------------------------------------------------------------------------------

def read_ledger(data: bytes, filename: str, *, line_names: Mapping[str, str], field_names: Mapping[str, str],
                year: int) -> tuple[list[LedgerRow], list[RowProblem]]:
    """The valid rows of an uploaded ledger and every problem found (a row with a problem is not in the rows;
    a problem with the file itself comes alone, on row 0, with no rows)."""
    parsers = _parsers(line_names, field_names, year)
    rows: list[LedgerRow] = []
    problems: list[RowProblem] = []
    records: Generator[Sequence[Any]] | None = None
    try:
        records = _records(data, filename)
        header = next(records, None)
        if header is None or _blank(header):
            raise _Unreadable("파일이 비어 있습니다. 첫 행에 열 제목을, 둘째 행부터 집행 내역을 적어 주세요.")
        columns = _columns(header)
        filled = 0
        for number, values in enumerate(records, start=2):
            if _blank(values):
                continue
            filled += 1
            if filled > MAX_ROWS:
                raise _Unreadable(f"행이 너무 많습니다. 한 파일에 {MAX_ROWS:,}행까지 올릴 수 있습니다.")
            _read_row(number, values, columns, parsers, rows, problems)
    except _Unreadable as error:
        return [], [RowProblem(0, FILE, str(error))]
    finally:
        if records is not None:
            records.close()
    if not rows and not problems:
        return [], [RowProblem(0, FILE, "열 제목 아래에 집행 내역이 없습니다.")]
    return rows, problems


def _read_row(number: int, values: Sequence[Any], columns: Mapping[str, int],
              parsers: Mapping[str, Callable[[Any], Any]], rows: list[LedgerRow], problems: list[RowProblem]) -> None:
    read: dict[str, Any] = {}
    found = []
    for column, parse in parsers.items():
        index = columns.get(column)
        try:
            read[column] = parse(values[index] if index is not None and index < len(values) else None)
        except _Bad as error:
            found.append(RowProblem(number, column, str(error)))
    if found:
        problems.extend(found)
    else:
        rows.append(LedgerRow(number, read[DATE], read[AMOUNT], read[LINE], read[FIELD], read[PURPOSE],
                              read[PAYMENTS], read[NOTE]))


def _records(data: bytes, filename: str) -> Generator[Sequence[Any]]:
    suffix = PurePath(filename).suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _xlsx_records(data)
    if suffix == ".csv":
        return _csv_records(data)
    raise _Unreadable(f"읽을 수 없는 파일 형식입니다 ({suffix or '확장자 없음'}). 엑셀(.xlsx) 또는 CSV(.csv)로 "
                      "저장해 올려 주세요.")


def _xlsx_records(data: bytes) -> Generator[Sequence[Any]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # a zip that is not a workbook raises anything from zipfile, xml or openpyxl
        raise _Unreadable("엑셀(.xlsx) 파일을 열 수 없습니다. 파일이 손상되지 않았는지, 엑셀 통합 문서로 "
                          "저장했는지 확인해 주세요.") from error
    try:
        sheet = book.worksheets[0]
        sheet.reset_dimensions()  # some writers record a wrong sheet size; read what is there
        yield from sheet.iter_rows(values_only=True)
    except _Unreadable:
        raise
    except Exception as error:
        raise _Unreadable("엑셀 파일을 끝까지 읽지 못했습니다. 파일이 손상되었을 수 있습니다.") from error
    finally:
        book.close()


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "유니코드 텍스트"
        return data.decode("utf-16")
    for encoding in ("utf-8-sig", "cp949"):  # CSV UTF-8 (with or without BOM), then Korean Excel's CSV
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _Unreadable("CSV 파일의 글자 인코딩을 읽을 수 없습니다. 엑셀에서 'CSV UTF-8(쉼표로 분리)' 형식으로 "
                      "저장해 주세요.")


def _csv_records(data: bytes) -> Generator[Sequence[Any]]:
    text = _decode(data)
    first = text.split("\n", 1)[0]
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    try:
        yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    except csv.Error as error:
        raise _Unreadable(f"CSV 파일을 읽을 수 없습니다: {error}") from error


def _columns(header: Sequence[Any]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, value in enumerate(header):
        name = _SPACES.sub("", _text(value))
        name = _HEADER_ALIASES.get(name, name)
        if name in COLUMNS:
            if name in columns:
                raise _Unreadable(f"'{name}' 열이 두 번 있습니다. 첫 행의 열 제목을 확인해 주세요.")
            columns[name] = index
    missing = [name for name in COLUMNS if name not in columns and name not in OPTIONAL]
    if missing:
        wanted = " | ".join(COLUMNS)
        raise _Unreadable(f"첫 행의 열 제목이 양식과 다릅니다: {', '.join(missing)} 열이 없습니다. 첫 행은 "
                          f"'{wanted}'이어야 합니다 (양식 파일을 받아 쓰시면 됩니다).")
    return columns


# --- one cell ---------------------------------------------------------------------------------------------------

def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _blank(values: Sequence[Any]) -> bool:
    return all(not _text(value) for value in values)


def _object(word: str) -> str:
    return "을" if has_final_consonant(word) else "를"


def _parsers(line_names: Mapping[str, str], field_names: Mapping[str, str], year: int
             ) -> dict[str, Callable[[Any], Any]]:
    return {DATE: lambda value: _date(value, year), LINE: _name_reader(LINE, line_names),
            FIELD: _name_reader(FIELD, field_names), AMOUNT: _amount, PAYMENTS: _payments, PURPOSE: _purpose,
            NOTE: lambda value: collapse_spaces(_text(value)) or None}


def _date(value: Any, year: int) -> date:
    day = _any_date(value, year)
    if day.year != year:
        raise _Bad(f"{year}년 회계연도 밖의 날짜입니다: {day.isoformat()}")
    return day


def _any_date(value: Any, year: int) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and int(value) in _EXCEL_DAYS \
            and len(str(int(value))) != 8:
        from openpyxl.utils.datetime import from_excel

        return from_excel(value).date()
    text = _text(value)
    if not text:
        raise _Bad(f"일자를 입력해 주세요 ({DATE_EXAMPLES})")
    if match := _FULL_DATE.fullmatch(text) or _COMPACT_DATE.fullmatch(text):
        parts = match.groups()
        numbers = (int(parts[0]) + (2000 if len(parts[0]) == 2 else 0), int(parts[1]), int(parts[2]))
    elif match := _SHORT_DATE.fullmatch(text):
        numbers = (year, int(match[1]), int(match[2]))
    else:
        raise _Bad(f"날짜를 알아보지 못했습니다: '{text}' ({DATE_EXAMPLES})")
    try:
        return date(*numbers)
    except ValueError:
        raise _Bad(f"없는 날짜입니다: '{text}'") from None


def _amount(value: Any) -> int:
    if isinstance(value, float):
        text = _text(value) if value.is_integer() else format(Decimal(repr(value)), "f")
    else:
        text = _text(value)
    result = parse_amount(text)  # refuses 0, negatives, fractions of a won and more than 10조원
    if not result.ok:
        raise _Bad(result.reason)
    return result.won


def _payments(value: Any) -> int:
    text = _text(value)
    if not text:
        return 1
    match = _PAYMENTS.fullmatch(text.replace(",", ""))
    if match is None or not 1 <= int(match[1]) <= MAX_PAYMENTS:
        raise _Bad(f"건수는 1에서 {MAX_PAYMENTS:,} 사이의 정수로 적어 주세요 (비우면 1건): '{text}'")
    return int(match[1])


def _purpose(value: Any) -> str:
    text = collapse_spaces(_text(value))
    if not text:
        raise _Bad("내용을 입력해 주세요 (무엇에 썼는지, 예: 복지정책 간담회 다과)")
    if len(text) > MAX_PURPOSE:
        raise _Bad(f"내용이 너무 깁니다: {len(text):,}자 (최대 {MAX_PURPOSE}자)")
    return text


def _key(name: str) -> str:
    return _SPACES.sub("", name).casefold()


def _name_reader(column: str, names: Mapping[str, str]) -> Callable[[Any], str]:
    lookup = {_key(spelling): canonical for spelling, canonical in names.items()}
    choices = ", ".join(dict.fromkeys(names.values()))

    def read(value: Any) -> str:
        text = _text(value)
        if not text:
            raise _Bad(f"{column}{_object(column)} 입력해 주세요 ({choices} 중 하나)")
        found = lookup.get(_key(text))
        if found is None:
            raise _Bad(f"{column} '{text}'{_object(text)} 찾을 수 없습니다 ({choices} 중 하나)")
        return found

    return read


# --- writing ----------------------------------------------------------------------------------------------------

_HEADER_FILL = "DDE4EE"
_WON = "#,##0"
_DAY = "yyyy-mm-dd"
_RATE = "0.0%"
_WIDTHS = {DATE: 12, LINE: 20, FIELD: 14, AMOUNT: 14, PAYMENTS: 7, PURPOSE: 40, NOTE: 24}


def _thousand(won: int) -> int:
    """Won as a 천원 figure, rounded the way the report's tables (and ``format_thousand_won``) round."""
    return int(format_thousand_won(won).removesuffix("천원").replace(",", ""))


class _Writer:
    """A write-only workbook with the few cell styles the ledger files need."""

    def __init__(self) -> None:
        from openpyxl import Workbook

        self.book = Workbook(write_only=True)

    def sheet(self, title: str, widths: Sequence[float], freeze: str | None = None) -> Any:
        from openpyxl.utils import get_column_letter

        sheet = self.book.create_sheet(title)
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        if freeze:
            sheet.freeze_panes = freeze
        return sheet

    def cell(self, sheet: Any, value: Any, number_format: str | None = None, *, bold: bool = False,
             fill: str | None = None) -> Any:
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font, PatternFill

        cell = WriteOnlyCell(sheet, value=value)
        if number_format:
            cell.number_format = number_format
        if bold:
            cell.font = Font(bold=True)
        if fill:
            cell.fill = PatternFill("solid", fgColor=fill)
        return cell

    def header(self, sheet: Any, names: Sequence[str]) -> None:
        sheet.append([self.cell(sheet, name, bold=True, fill=_HEADER_FILL) for name in names])

    def save(self) -> bytes:
        buffer = io.BytesIO()
        self.book.save(buffer)
        return buffer.getvalue()


def ledger_template(line_names: Sequence[str], field_names: Sequence[str], *, year: int | None = None) -> bytes:
    """An upload template: the header, one example row (valid; to be deleted) and a sheet '안내' on the columns.

    The example date is a real date in ``year`` when given, otherwise the text '7/20' (valid in any year).
    """
    writer = _Writer()
    sheet = writer.sheet("집행내역", [_WIDTHS[name] for name in COLUMNS], freeze="A2")
    writer.header(sheet, COLUMNS)
    if line_names and field_names:
        _add_choice_lists(sheet, line_names, field_names)
        example_day: date | str = date(year, 7, 20) if year else "7/20"
        sheet.append([writer.cell(sheet, example_day, _DAY), line_names[0], field_names[min(1, len(field_names) - 1)],
                      writer.cell(sheet, 120_000, _WON), 1, "복지정책 간담회 다과", "예시 행입니다. 지우고 쓰세요."])
    guide = writer.sheet("안내", [12, 8, 70, 22])
    writer.header(guide, ("열", "필수", "쓰는 법", "예"))
    for row in _guide_rows(line_names, field_names):
        guide.append(row)
    return writer.save()


def _add_choice_lists(sheet: Any, line_names: Sequence[str], field_names: Sequence[str]) -> None:
    """Drop-down lists for 과목 and 분야 (other spellings stay allowed: no error box)."""
    from openpyxl.worksheet.datavalidation import DataValidation

    for letter, names in (("B", line_names), ("C", field_names)):
        formula = '"' + ",".join(names) + '"'
        if len(formula) <= 255 and not any("," in name or '"' in name for name in names):
            choice = DataValidation(type="list", formula1=formula, allow_blank=True, showErrorMessage=False)
            choice.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
            sheet.data_validations.append(choice)  # write-only sheets have no add_data_validation()


def _guide_rows(line_names: Sequence[str], field_names: Sequence[str]) -> list[list[str]]:
    first_line = line_names[0] if line_names else ""
    first_field = field_names[0] if field_names else ""
    return [
        [DATE, "필수", "엑셀 날짜, 또는 2018-07-20 · 2018.7.20 · 7/20 (연도를 빼면 회계연도). 회계연도 안의 날짜",
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
    writer = _Writer()
    sheet = writer.sheet("집행내역", [8, 12, 20, 14, 14, 7, 40, 24, 7], freeze="A2")
    writer.header(sheet, ("번호", DATE, LINE, FIELD, AMOUNT, PAYMENTS, PURPOSE, NOTE, "상태"))
    for entry in entries:
        sheet.append([entry.id, writer.cell(sheet, entry.spent_on, _DAY),
                      line_names.get(entry.line_id, f"#{entry.line_id}"),
                      field_names.get(entry.field_id, f"#{entry.field_id}"),
                      writer.cell(sheet, entry.amount_won, _WON), entry.payments, entry.purpose, entry.note,
                      "취소" if entry.voided else "정상"])
    _summary_sheet(writer, summary)
    return writer.save()


def _summary_sheet(writer: _Writer, summary: Summary) -> None:
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
        sheet.append([writer.cell(sheet, row.name, bold=row is total), writer.cell(sheet, _thousand(row.spent), _WON),
                      row.payments])


def _line_cells(writer: _Writer, sheet: Any, row: BudgetRow, *, bold: bool) -> list[Any]:
    budget = row.budget or 0
    return [writer.cell(sheet, row.name, bold=bold), writer.cell(sheet, _thousand(budget), _WON),
            writer.cell(sheet, _thousand(row.spent), _WON), writer.cell(sheet, _thousand(budget - row.spent), _WON),
            writer.cell(sheet, row.rate, _RATE)]
