"""What the spreadsheet readers and writers share.

Reading: an upload (xlsx, or csv in the encodings Korean Excel writes) becomes rows of cells found by their Korean
column titles (spacing, order and a few aliases tolerated); each cell goes through a parser that raises ``Bad``
with a Korean reason, and every problem keeps the row number the spreadsheet shows (header = 1). A file that cannot
be read at all gives one problem on row 0; so does a file over the import limits (its size, its rows, an .xlsx's
size once unzipped — checked from the zip's directory before the workbook is opened). Writing: a write-only
workbook with the few styles our files use, whose every text cell is stored as text, never as a formula.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Generator, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import PurePath
from typing import Any

from bot.lang.amounts import LIMIT as AMOUNT_LIMIT
from bot.lang.amounts import parse_amount
from bot.lang.limits import NUL, NUL_PROBLEM, field_problem
from bot.lang.textutil import collapse_spaces, has_final_consonant

FILE = "파일"  # the column named by problems with the whole file
DATE_EXAMPLES = "예: 2018-07-20, 2018.7.20, 7/20"
FULL_DATE_EXAMPLES = "예: 2018-09-30, 2018.9.30, 2018년 9월 30일"
HEADER_FILL = "DDE4EE"
WON = "#,##0"
DAY = "yyyy-mm-dd"

_SPACES = re.compile(r"\s+")
_WEEKDAY = r"(?:\s*\(?[월화수목금토일](?:요일)?\)?)?"
_TIME = r"(?:[\sT]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_FULL_DATE = re.compile(rf"(\d{{4}}|\d{{2}})\s*[-./년]\s*(\d{{1,2}})\s*[-./월]\s*(\d{{1,2}})\s*[.일]?{_WEEKDAY}{_TIME}")
_SHORT_DATE = re.compile(rf"(\d{{1,2}})\s*[-./월]\s*(\d{{1,2}})\s*[.일]?{_WEEKDAY}")
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")
_DATE_AT_END = re.compile(rf"(?<![\d./-])(?:{_FULL_DATE.pattern}|{_COMPACT_DATE.pattern}|{_SHORT_DATE.pattern})\s*$")
_PLAIN_WON = re.compile(r"\d{1,3}(?:,\d{3})+|\d+", re.ASCII)
_EXCEL_DAYS = range(1, 2_958_466)  # serial numbers Excel can show as a date (1900-01-01 .. 9999-12-31)

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet program may read as a formula
MEGABYTE = 1024 * 1024

Parser = Callable[[Any], Any]


@dataclass(frozen=True)
class ImportLimits:
    """How big an upload may be (config: [imports]); the defaults are the documented ones."""

    max_bytes: int = 10 * MEGABYTE
    max_rows: int = 100_000
    max_unzipped_bytes: int = 200 * MEGABYTE


def megabytes(size: int) -> str:
    return f"{size / MEGABYTE:,.1f}".removesuffix(".0") + "MB"


def check_upload_size(size: int, limits: ImportLimits) -> str | None:
    """The Korean refusal of a file of ``size`` bytes, or None when it may be read."""
    if size <= limits.max_bytes:
        return None
    return (f"파일이 너무 큽니다 ({megabytes(size)}). 한 파일은 {megabytes(limits.max_bytes)}까지 올릴 수 있습니다. "
            "행을 나누어 여러 파일로 보내 주세요.")


@dataclass(frozen=True)
class RowProblem:
    row: int  # as the spreadsheet shows it; 0 for the whole file
    column: str
    reason: str  # Korean, for staff


class Unreadable(Exception):
    """The file as a whole cannot be read; the message is the Korean reason."""


class Bad(Exception):
    """One cell is wrong; the message is the Korean reason."""


@dataclass(frozen=True)
class Layout:
    """The columns of an upload: their titles, which may be left out, other spellings of the titles, and what one
    data row holds (for messages: '집행 내역', '세부사업')."""

    columns: tuple[str, ...]
    optional: frozenset[str]
    rows_name: str
    aliases: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ReadRow:
    row: int
    cells: dict[str, Any]  # the cells that read well, by column
    problems: list[RowProblem]  # one per cell that did not


# --- reading a table --------------------------------------------------------------------------------------------

def read_table(data: bytes, filename: str, layout: Layout, parsers: Mapping[str, Parser], *, max_rows: int,
               take: Callable[[ReadRow], None], limits: ImportLimits | None = None) -> RowProblem | None:
    """Hands every non-blank data row to ``take``, each cell read by the parser of its column (in the parsers'
    order), and returns None; or returns the one problem with the file itself (rows handed out before a file
    problem is found, such as too many rows, are to be dropped). At most ``max_rows`` rows, and no more than
    ``limits`` allow."""
    limits = limits or ImportLimits()
    max_rows = min(max_rows, limits.max_rows)
    filled = 0
    rows = f"{layout.rows_name}{object_particle(layout.rows_name)}"
    empty = f"파일이 비어 있습니다. 첫 행에 열 제목을, 둘째 행부터 {rows} 적어 주세요."
    try:
        with _opened(data, filename, limits, empty) as (header, records):
            columns = _columns(header, layout)
            for number, values in enumerate(records, start=2):
                if blank_row(values):
                    continue
                filled += 1
                if filled > max_rows:
                    raise Unreadable(f"행이 너무 많습니다. 한 파일에 {max_rows:,}행까지 올릴 수 있습니다.")
                take(_read_row(number, values, columns, parsers))
    except Unreadable as error:
        return RowProblem(0, FILE, str(error))
    if not filled:
        return RowProblem(0, FILE, f"열 제목 아래에 {layout.rows_name}{subject_particle(layout.rows_name)} 없습니다.")
    return None


@contextmanager
def _opened(data: bytes, filename: str, limits: ImportLimits, empty: str
            ) -> Iterator[tuple[Sequence[Any], Generator[Sequence[Any]]]]:
    """The file's header row and a reader of the rows after it, closed on leaving; Unreadable when the file is
    too big, unreadable or has no header (``empty`` says what to write)."""
    if refusal := check_upload_size(len(data), limits):
        raise Unreadable(refusal)
    records = _records(data, filename, limits)
    try:
        header = next(records, None)
        if header is None or blank_row(header):
            raise Unreadable(empty)
        yield header, records
    finally:
        records.close()


def header_fits(data: bytes, filename: str, layouts: Sequence[Layout], limits: ImportLimits | None = None
                ) -> int | RowProblem:
    """Which of ``layouts`` the file's first row fits (its index), reading nothing but that row; or the problem
    with the file itself (too big, unreadable, a header that fits none)."""
    limits = limits or ImportLimits()
    try:
        with _opened(data, filename, limits, "파일이 비어 있습니다. 첫 행에 열 제목을 적어 주세요.") as (header, _):
            for index, layout in enumerate(layouts):
                try:
                    _columns(header, layout)
                except Unreadable:
                    continue
                return index
            raise Unreadable("첫 행의 열 제목으로 어떤 파일인지 알 수 없습니다.")
    except Unreadable as error:
        return RowProblem(0, FILE, str(error))


def _read_row(number: int, values: Sequence[Any], columns: Mapping[str, int], parsers: Mapping[str, Parser]
              ) -> ReadRow:
    cells: dict[str, Any] = {}
    problems = []
    for column, parse in parsers.items():
        index = columns.get(column)
        value = values[index] if index is not None and index < len(values) else None
        try:
            if isinstance(value, str) and NUL in value:
                raise Bad(NUL_PROBLEM)
            cells[column] = parse(value)
        except Bad as error:
            problems.append(RowProblem(number, column, str(error)))
    return ReadRow(number, cells, problems)


def _records(data: bytes, filename: str, limits: ImportLimits) -> Generator[Sequence[Any]]:
    suffix = PurePath(filename).suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        _check_unzipped_size(data, limits)
        return _xlsx_records(data)
    if suffix == ".csv":
        return _csv_records(data)
    raise Unreadable(f"읽을 수 없는 파일 형식입니다 ({suffix or '확장자 없음'}). 엑셀(.xlsx) 또는 CSV(.csv)로 "
                     "저장해 올려 주세요.")


def _check_unzipped_size(data: bytes, limits: ImportLimits) -> None:
    """Refuse a workbook that unzips to more than the limit, from the sizes its zip directory declares (Python's
    zipfile never inflates a member past its declared size, so the sum bounds what openpyxl can read)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unzipped = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return  # not a zip at all: openpyxl's refusal names the problem
    if unzipped > limits.max_unzipped_bytes:
        raise Unreadable(f"엑셀 파일의 압축을 풀면 {megabytes(unzipped)}나 되어 읽지 않았습니다. 압축을 푼 크기 "
                         f"{megabytes(limits.max_unzipped_bytes)}까지 읽을 수 있습니다. 행을 나누어 보내 주세요.")


def _xlsx_records(data: bytes) -> Generator[Sequence[Any]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # a zip that is not a workbook raises anything from zipfile, xml or openpyxl
        raise Unreadable("엑셀(.xlsx) 파일을 열 수 없습니다. 파일이 손상되지 않았는지, 엑셀 통합 문서로 "
                         "저장했는지 확인해 주세요.") from error
    try:
        sheet = book.worksheets[0]
        sheet.reset_dimensions()  # some writers record a wrong sheet size; read what is there
        yield from sheet.iter_rows(values_only=True)
    except Unreadable:
        raise
    except Exception as error:
        raise Unreadable("엑셀 파일을 끝까지 읽지 못했습니다. 파일이 손상되었을 수 있습니다.") from error
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
    raise Unreadable("CSV 파일의 글자 인코딩을 읽을 수 없습니다. 엑셀에서 'CSV UTF-8(쉼표로 분리)' 형식으로 "
                     "저장해 주세요.")


def _csv_records(data: bytes) -> Generator[Sequence[Any]]:
    text = _decode(data)
    first = text.split("\n", 1)[0]
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    try:
        yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    except csv.Error as error:
        raise Unreadable(f"CSV 파일을 읽을 수 없습니다: {error}") from error


def _columns(header: Sequence[Any], layout: Layout) -> dict[str, int]:
    columns: dict[str, int] = {}
    spelled = {_SPACES.sub("", column): column for column in layout.columns}  # '소속위원회' is '소속 위원회'
    for index, value in enumerate(header):
        name = _SPACES.sub("", cell_text(value))
        name = layout.aliases.get(name, name)
        name = spelled.get(_SPACES.sub("", name), name)
        if name in layout.columns:
            if name in columns:
                raise Unreadable(f"'{name}' 열이 두 번 있습니다. 첫 행의 열 제목을 확인해 주세요.")
            columns[name] = index
    missing = [name for name in layout.columns if name not in columns and name not in layout.optional]
    if missing:
        wanted = " | ".join(layout.columns)
        raise Unreadable(f"첫 행의 열 제목이 양식과 다릅니다: {', '.join(missing)} 열이 없습니다. 첫 행은 "
                         f"'{wanted}'이어야 합니다 (양식 파일을 받아 쓰시면 됩니다).")
    return columns


# --- one cell ---------------------------------------------------------------------------------------------------

def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def blank_row(values: Sequence[Any]) -> bool:
    return all(not cell_text(value) for value in values)


def optional_text(value: Any) -> str | None:
    return collapse_spaces(cell_text(value)) or None


def limited_text(field: str) -> Callable[[Any], str | None]:
    """Optional text within the field's limit (bot/lang/limits.py)."""
    def read(value: Any) -> str | None:
        text = optional_text(value)
        problem = field_problem(field, text)
        if problem:
            raise Bad(problem)
        return text

    return read


def object_particle(word: str) -> str:
    return "을" if has_final_consonant(word) else "를"


def subject_particle(word: str) -> str:
    return "이" if has_final_consonant(word) else "가"


def name_key(name: str) -> str:
    """Spacing and letter case do not tell names apart."""
    return _SPACES.sub("", name).casefold()


def any_date(value: Any, year: int | None) -> date:
    """A date cell: an Excel date or serial number, or text such as 2018-07-20, 2018.7.20, 2018년 7월 20일,
    20180720 and, when ``year`` is given, 7/20 in that year (without ``year`` the year must be written)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and int(value) in _EXCEL_DAYS \
            and len(str(int(value))) != 8:
        from openpyxl.utils.datetime import from_excel

        return from_excel(value).date()
    examples = DATE_EXAMPLES if year is not None else FULL_DATE_EXAMPLES
    text = cell_text(value)
    if not text:
        raise Bad(f"일자를 입력해 주세요 ({examples})")
    if match := _FULL_DATE.fullmatch(text) or _COMPACT_DATE.fullmatch(text):
        parts = match.groups()
        numbers = (int(parts[0]) + (2000 if len(parts[0]) == 2 else 0), int(parts[1]), int(parts[2]))
    elif (match := _SHORT_DATE.fullmatch(text)) and year is not None:
        numbers = (year, int(match[1]), int(match[2]))
    elif match:
        raise Bad(f"연도까지 적어 주세요: '{text}' ({examples})")
    else:
        raise Bad(f"날짜를 알아보지 못했습니다: '{text}' ({examples})")
    try:
        return date(*numbers)
    except ValueError:
        raise Bad(f"없는 날짜입니다: '{text}'") from None


def split_trailing_date(text: str, year: int | None) -> tuple[str, date] | None:
    """Text that ends in a date ('착공 2018-09-30'): what comes before the date, and the date read as
    :func:`any_date` reads it (an impossible date raises ``Bad``); None when the text does not end in a date."""
    match = _DATE_AT_END.search(text)
    if match is None:
        return None
    return text[:match.start()].strip(), any_date(match.group().strip(), year)


def amount(value: Any, *, allow_zero: bool = False) -> int:
    """Won: a number cell, or text such as 120,000 · 12만원 (parse_amount's rules: no fractions of a won, at most
    10조원, and more than 0 unless ``allow_zero``)."""
    if isinstance(value, float):
        text = cell_text(value) if value.is_integer() else format(Decimal(repr(value)), "f")
    else:
        text = cell_text(value)
    if _PLAIN_WON.fullmatch(text) and (0 < (won := int(text.replace(",", ""))) <= AMOUNT_LIMIT or
                                       (allow_zero and won == 0)):
        return won  # the common case (120000, 120,000), read as parse_amount reads it, at a fraction of the cost
    result = parse_amount(text, allow_zero=allow_zero)
    if not result.ok and result.code == "negative" and allow_zero:
        raise Bad(f"금액은 0 이상이어야 합니다: {text}")
    if not result.ok:
        raise Bad(result.reason)
    return result.won


def name_reader(column: str, names: Mapping[str, str]) -> Callable[[Any], str]:
    """A parser for a cell holding one of ``names`` (spelling -> canonical name; spacing and case ignored)."""
    lookup = {name_key(spelling): canonical for spelling, canonical in names.items()}
    choices = ", ".join(dict.fromkeys(names.values()))

    def read(value: Any) -> str:
        text = cell_text(value)
        if not text:
            raise Bad(f"{column}{object_particle(column)} 입력해 주세요 ({choices} 중 하나)")
        found = lookup.get(name_key(text))
        if found is None:
            raise Bad(f"{column} '{text}'{object_particle(text)} 찾을 수 없습니다 ({choices} 중 하나)")
        return found

    return read


# --- writing ----------------------------------------------------------------------------------------------------

def looks_like_formula(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(_FORMULA_START)


def _line_breaks(value: Any) -> Any:
    """Text with its line breaks as spreadsheets keep them (LF): a CR is otherwise stored as it is where openpyxl
    writes through lxml and folded into LF where it writes through the standard library."""
    return value.replace("\r\n", "\n").replace("\r", "\n") if isinstance(value, str) else value


def _as_text(cell: Any) -> Any:
    """A cell whose text would read as a formula is stored as text (numbers stay numbers)."""
    if looks_like_formula(cell.value):
        cell.data_type = "s"
    return cell


class SafeSheet:
    """A write-only worksheet whose ``append`` stores every text as text: a cell beginning with =, +, -, @, tab
    or CR (a purpose, a title, a note typed by anyone) never becomes a formula in the file we hand out."""

    def __init__(self, sheet: Any) -> None:
        self.sheet = sheet

    def append(self, values: Sequence[Any]) -> None:
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.cell.cell import Cell

        row = []
        for value in map(_line_breaks, values):
            if looks_like_formula(value):
                value = _as_text(WriteOnlyCell(self.sheet, value=value))
            elif isinstance(value, Cell):
                _as_text(value)
            row.append(value)
        self.sheet.append(row)

    def __getattr__(self, name: str) -> Any:  # column_dimensions, freeze_panes, data_validations, ...
        return getattr(self.sheet, name)

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "sheet":
            object.__setattr__(self, name, value)
        else:
            setattr(self.sheet, name, value)


class Writer:
    """A write-only workbook with the few cell styles our files need; its sheets store text only as text."""

    def __init__(self) -> None:
        from openpyxl import Workbook

        self.book = Workbook(write_only=True)

    def sheet(self, title: str, widths: Sequence[float], freeze: str | None = None) -> SafeSheet:
        from openpyxl.utils import get_column_letter

        sheet = SafeSheet(self.book.create_sheet(title))
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        if freeze:
            sheet.freeze_panes = freeze
        return sheet

    def cell(self, sheet: Any, value: Any, number_format: str | None = None, *, bold: bool = False,
             fill: str | None = None) -> Any:
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font, PatternFill

        target = sheet.sheet if isinstance(sheet, SafeSheet) else sheet
        cell = _as_text(WriteOnlyCell(target, value=_line_breaks(value)))
        if number_format:
            cell.number_format = number_format
        if bold:
            cell.font = Font(bold=True)
        if fill:
            cell.fill = PatternFill("solid", fgColor=fill)
        return cell

    def header(self, sheet: Any, names: Sequence[str]) -> None:
        sheet.append([self.cell(sheet, name, bold=True, fill=HEADER_FILL) for name in names])

    def save(self) -> bytes:
        buffer = io.BytesIO()
        self.book.save(buffer)
        return buffer.getvalue()


def add_choice_list(sheet: Any, letter: str, names: Sequence[str], rows: int) -> None:
    """A drop-down list of ``names`` in column ``letter`` below the header (other values stay allowed: no error
    box). Skipped when Excel's 255-character limit or a comma in a name stands in the way."""
    from openpyxl.worksheet.datavalidation import DataValidation

    formula = '"' + ",".join(names) + '"'
    if len(formula) <= 255 and not any("," in name or '"' in name for name in names):
        choice = DataValidation(type="list", formula1=formula, allow_blank=True, showErrorMessage=False)
        choice.add(f"{letter}2:{letter}{rows + 1}")
        sheet.data_validations.append(choice)  # write-only sheets have no add_data_validation()
