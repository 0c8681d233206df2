"""The mayor's pledges (민선7기 공약) as a spreadsheet: read an upload, hand out a template, export for re-import.

One row per sub-project (세부사업), with its core pledge (핵심공약) and area (분야) repeated on every row:
분류 | 분야코드 | 분야 | 공약코드 | 핵심공약 | 세부사업코드 | 세부사업 | 담당부서 | 상태 | 진행률 | 예산연도 |
예산계획(원) | 예산확보(원) | 예산집행(원) | 마일스톤 | 비고 (예산연도, the budget columns, 마일스톤 and 비고 may be
left out).
Every row is checked, and so is what rows must agree on (a sub-project code once; an area or core pledge the same
wherever its code appears); every problem names the spreadsheet's row and column. Codes are case-insensitive and
read in capitals. The export writes the same columns, so an exported file imports back unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.lang.limits import limit
from bot.lang.textutil import collapse_spaces, topic
from bot.sheets.common import (
    WON,
    Bad,
    ImportLimits,
    Layout,
    ReadRow,
    RowProblem,
    Writer,
    add_choice_list,
    amount,
    cell_text,
    limited_text,
    name_reader,
    object_particle,
    read_table,
    split_trailing_date,
    subject_particle,
)

AXIS, AREA_CODE, AREA, PLEDGE_CODE, PLEDGE = "분류", "분야코드", "분야", "공약코드", "핵심공약"
CODE, TITLE, DEPARTMENT, STATUS, PROGRESS = "세부사업코드", "세부사업", "담당부서", "상태", "진행률"
YEAR, PLANNED, SECURED, SPENT, MILESTONES, NOTE = (
    "예산연도", "예산계획(원)", "예산확보(원)", "예산집행(원)", "마일스톤", "비고")
COLUMNS = (AXIS, AREA_CODE, AREA, PLEDGE_CODE, PLEDGE, CODE, TITLE, DEPARTMENT, STATUS, PROGRESS, YEAR, PLANNED,
           SECURED, SPENT, MILESTONES, NOTE)
OPTIONAL = frozenset({YEAR, PLANNED, SECURED, SPENT, MILESTONES, NOTE})
AXES = ("정책대상", "정책영역")
SHEET = "세부사업"
MAX_ROWS = 50_000
MAX_NAME = min(limit("pledge_area"), limit("pledge_department"))  # 분야, 담당부서
MAX_TITLE = limit("pledge_title")  # 핵심공약, 세부사업, a milestone's title
YEARS = range(2000, 2101)
CODE_HINT = "영문자·숫자·-·_로 1~32자"
MILESTONE_EXAMPLE = "예: 착공 2018-09-30; 준공 2019.12.31"
REPORTED = ("2018.7.10 기준 보고: 12분야 · 66개 핵심공약 · 242개 세부사업 "
            "(정책대상 6분야·18개·57개, 정책영역 6분야·48개·185개)")

LAYOUT = Layout(COLUMNS, OPTIONAL, "세부사업", {
    "분야명": AREA, "핵심공약명": PLEDGE, "공약명": PLEDGE, "세부사업명": TITLE, "부서": DEPARTMENT,
    "부서명": DEPARTMENT, "진행률(%)": PROGRESS, "진행률%": PROGRESS, "예산계획": PLANNED, "예산확보": SECURED,
    "예산집행": SPENT})

_AXIS_NAMES = {**{axis: axis for axis in AXES}, **{f"{axis}별": axis for axis in AXES}}
_CODE = re.compile(r"[A-Za-z0-9_-]{1,32}")
_PROGRESS = re.compile(r"(\d{1,3})\s*%?")
_YEAR = re.compile(r"(\d{4})\s*년?")
_MILESTONE_SPLIT = re.compile(r"[;；\n]")
_WIDTHS = {AXIS: 10, AREA_CODE: 10, AREA: 14, PLEDGE_CODE: 10, PLEDGE: 30, CODE: 12, TITLE: 34, DEPARTMENT: 18,
           STATUS: 10, PROGRESS: 8, YEAR: 9, PLANNED: 16, SECURED: 16, SPENT: 16, MILESTONES: 40, NOTE: 24}


@dataclass(frozen=True)
class PledgeRow:
    """One sub-project as read (satisfies storage.pledges.SubProjectRecord)."""

    row: int
    axis: str
    area_code: str
    area_name: str
    pledge_code: str
    pledge_title: str
    code: str
    title: str
    department: str
    status: str
    progress: int  # percent, 0..100
    budget_year: int | None
    planned: int  # won
    secured: int
    spent: int
    milestones: tuple[tuple[str, date], ...]
    note: str | None


# --- reading an upload ------------------------------------------------------------------------------------------

def read_pledges(data: bytes, filename: str, *, statuses: Sequence[str], limits: ImportLimits | None = None
                 ) -> tuple[list[PledgeRow], list[RowProblem]]:
    """The valid rows of an uploaded pledge sheet and every problem found (a row with a problem is not in the rows;
    a problem with the file itself comes alone, on row 0, with no rows)."""
    rows: list[PledgeRow] = []
    problems: list[RowProblem] = []
    agreement = _Agreement()

    def take(row: ReadRow) -> None:
        found = row.problems + agreement.check(row)
        if found:
            problems.extend(found)
        else:
            rows.append(_pledge_row(row))

    failure = read_table(data, filename, LAYOUT, _parsers(statuses), max_rows=MAX_ROWS, take=take, limits=limits)
    if failure is not None:
        return [], [failure]
    return rows, problems


def _pledge_row(row: ReadRow) -> PledgeRow:
    cells = row.cells
    return PledgeRow(row.row, cells[AXIS], cells[AREA_CODE], cells[AREA], cells[PLEDGE_CODE], cells[PLEDGE],
                     cells[CODE], cells[TITLE], cells[DEPARTMENT], cells[STATUS], cells[PROGRESS], cells[YEAR],
                     cells[PLANNED], cells[SECURED], cells[SPENT], cells[MILESTONES], cells[NOTE])


class _Agreement:
    """What rows must agree on: each sub-project code once; an area's name and axis, and a core pledge's area and
    title, the same on every row with its code. The first row with a code sets what the later ones must match."""

    _SAME = ((AREA_CODE, AREA, "분야 이름"), (AREA_CODE, AXIS, "분류"), (PLEDGE_CODE, AREA_CODE, "분야코드"),
             (PLEDGE_CODE, PLEDGE, "핵심공약"))

    def __init__(self) -> None:
        self.sub_projects: dict[str, int] = {}
        self.first: dict[tuple[str, str, str], tuple[int, str]] = {}

    def check(self, row: ReadRow) -> list[RowProblem]:
        cells = row.cells
        problems = []
        code = cells.get(CODE)
        if code is not None:
            first_row = self.sub_projects.setdefault(code, row.row)
            if first_row != row.row:
                problems.append(RowProblem(row.row, CODE, f"{first_row}행과 세부사업코드가 같습니다: '{code}' "
                                                          "(세부사업마다 다른 코드를 적어 주세요)"))
        for key_column, column, label in self._SAME:
            key, value = cells.get(key_column), cells.get(column)
            if key is None or value is None:
                continue
            first_row, first_value = self.first.setdefault((key_column, column, key), (row.row, value))
            if value != first_value:
                problems.append(RowProblem(row.row, column, f"{key_column} '{key}'의 {label}{subject_particle(label)} "
                                                            f"{first_row}행('{first_value}')과 다릅니다: '{value}'"))
        return problems


# --- one cell ---------------------------------------------------------------------------------------------------

def _parsers(statuses: Sequence[str]) -> dict[str, Callable[[Any], Any]]:
    return {AXIS: name_reader(AXIS, _AXIS_NAMES), AREA_CODE: _code_reader(AREA_CODE),
            AREA: _text_reader(AREA, MAX_NAME), PLEDGE_CODE: _code_reader(PLEDGE_CODE),
            PLEDGE: _text_reader(PLEDGE, MAX_TITLE), CODE: _code_reader(CODE), TITLE: _text_reader(TITLE, MAX_TITLE),
            DEPARTMENT: _text_reader(DEPARTMENT, MAX_NAME), STATUS: name_reader(STATUS, {s: s for s in statuses}),
            PROGRESS: _progress, YEAR: _budget_year, PLANNED: _won, SECURED: _won, SPENT: _won,
            MILESTONES: _milestones, NOTE: limited_text("pledge_note")}


def _code_reader(column: str) -> Callable[[Any], str]:
    def read(value: Any) -> str:
        text = cell_text(value)
        if not text:
            raise Bad(f"{column}{object_particle(column)} 입력해 주세요 ({CODE_HINT}, 예: T01-1-01)")
        if not _CODE.fullmatch(text):
            raise Bad(f"{topic(column)} {CODE_HINT}입니다: '{text}'")
        return text.upper()

    return read


def _text_reader(column: str, limit: int) -> Callable[[Any], str]:
    def read(value: Any) -> str:
        text = collapse_spaces(cell_text(value))
        if not text:
            raise Bad(f"{column}{object_particle(column)} 입력해 주세요")
        if len(text) > limit:
            raise Bad(f"{column}{subject_particle(column)} 너무 깁니다: {len(text):,}자 (최대 {limit}자)")
        return text

    return read


def _whole_number(value: Any, pattern: re.Pattern[str]) -> int | None:
    """A number cell holding a whole number, or text the pattern reads (its first group); None otherwise."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return int(value) if float(value).is_integer() else None
    match = pattern.fullmatch(cell_text(value))
    return int(match[1]) if match else None


def _progress(value: Any) -> int:
    if not cell_text(value):
        raise Bad("진행률을 입력해 주세요 (0~100, 예: 45 또는 45%)")
    number = _whole_number(value, _PROGRESS)
    if number is None or not 0 <= number <= 100:
        raise Bad(f"진행률은 0~100 사이의 정수입니다: '{cell_text(value)}'")
    return number


def _budget_year(value: Any) -> int | None:
    if not cell_text(value):
        return None
    number = _whole_number(value, _YEAR)
    if number is None or number not in YEARS:
        raise Bad(f"예산연도는 {YEARS.start}~{YEARS.stop - 1} 사이의 네 자리 연도입니다 (비워 둘 수 있습니다): "
                  f"'{cell_text(value)}'")
    return number


def _won(value: Any) -> int:
    return amount(value, allow_zero=True) if cell_text(value) else 0


def _milestones(value: Any) -> tuple[tuple[str, date], ...]:
    items = [collapse_spaces(item) for item in _MILESTONE_SPLIT.split(cell_text(value))]
    return tuple(dict.fromkeys(_milestone(item) for item in items if item))


def _milestone(item: str) -> tuple[str, date]:
    try:
        found = split_trailing_date(item, None)
    except Bad as error:
        raise Bad(f"마일스톤 '{item}': {error}") from None
    if found is None:
        raise Bad(f"마일스톤 '{item}'의 날짜를 찾지 못했습니다. '제목 날짜'로 적고 ; 로 나눠 주세요 "
                  f"({MILESTONE_EXAMPLE})")
    title, due = found[0].strip(" :-,"), found[1]
    if not title:
        raise Bad(f"마일스톤 '{item}'에 제목이 없습니다. 날짜 앞에 제목을 적어 주세요 ({MILESTONE_EXAMPLE})")
    if len(title) > MAX_TITLE:
        raise Bad(f"마일스톤 제목이 너무 깁니다: {len(title):,}자 (최대 {MAX_TITLE}자)")
    return title, due


def milestones_text(milestones: Sequence[tuple[str, date]]) -> str:
    """Milestones as the 마일스톤 cell writes them: '착공 2018-09-30; 준공 2019-12-31'."""
    return "; ".join(f"{title} {due.isoformat()}" for title, due in milestones)


# --- writing ----------------------------------------------------------------------------------------------------

def _cells(writer: Writer, sheet: Any, row: PledgeRow) -> list[Any]:
    return [row.axis, row.area_code, row.area_name, row.pledge_code, row.pledge_title, row.code, row.title,
            row.department, row.status, row.progress, row.budget_year, writer.cell(sheet, row.planned, WON),
            writer.cell(sheet, row.secured, WON), writer.cell(sheet, row.spent, WON),
            milestones_text(row.milestones) or None, row.note]


def _pledge_sheet(writer: Writer) -> Any:
    sheet = writer.sheet(SHEET, [_WIDTHS[name] for name in COLUMNS], freeze="A2")
    writer.header(sheet, COLUMNS)
    return sheet


def pledges_workbook(rows: Sequence[PledgeRow]) -> bytes:
    """The sub-projects in the upload layout (one sheet '세부사업'): edit and upload it back as it is."""
    writer = Writer()
    sheet = _pledge_sheet(writer)
    for row in rows:
        sheet.append(_cells(writer, sheet, row))
    return writer.save()


def pledges_template(statuses: Sequence[str]) -> bytes:
    """An upload template: the header, one example row marked (예시) (valid; to be deleted), drop-down lists for
    분류 and 상태, and a sheet '안내' on the columns."""
    writer = Writer()
    sheet = _pledge_sheet(writer)
    add_choice_list(sheet, "A", AXES, MAX_ROWS)
    if statuses:
        add_choice_list(sheet, "I", statuses, MAX_ROWS)
        sheet.append(_cells(writer, sheet, _example(statuses[0])))
    guide = writer.sheet("안내", [14, 8, 80, 30])
    writer.header(guide, ("열", "필수", "쓰는 법", "예"))
    for row in _guide_rows(statuses):
        guide.append(row)
    return writer.save()


def _example(status: str) -> PledgeRow:
    return PledgeRow(2, AXES[0], "T01", "자영업자", "T01-1", "(예시) 소상공인 경영부담 완화", "T01-1-01",
                     "(예시) 카드수수료 부담 경감 지원", "소상공인정책담당관", status, 45, 2018, 1_200_000_000,
                     800_000_000, 350_000_000, (("제도 설계", date(2018, 9, 30)), ("시범 시행", date(2019, 1, 2))),
                     "예시 행입니다. 지우고 쓰세요.")


def _guide_rows(statuses: Sequence[str]) -> list[list[str]]:
    return [
        [AXIS, "필수", "정책대상 또는 정책영역 (공약을 나누는 두 기준)", AXES[0]],
        [AREA_CODE, "필수", f"분야를 가리키는 코드: {CODE_HINT}. 같은 분야의 행에는 같은 코드와 이름", "T01"],
        [AREA, "필수", f"분야 이름 ({MAX_NAME}자 이내)", "자영업자"],
        [PLEDGE_CODE, "필수", f"핵심공약 코드: {CODE_HINT}. 같은 핵심공약의 행에는 같은 코드·분야·제목", "T01-1"],
        [PLEDGE, "필수", f"핵심공약 제목 ({MAX_TITLE}자 이내)", "소상공인 경영부담 완화"],
        [CODE, "필수", f"세부사업 코드: {CODE_HINT}. 세부사업마다 다른 코드 (다시 올리면 같은 코드의 사업을 고칩니다)",
         "T01-1-01"],
        [TITLE, "필수", f"세부사업 이름 ({MAX_TITLE}자 이내)", "카드수수료 부담 경감 지원"],
        [DEPARTMENT, "필수", f"담당 부서 ({MAX_NAME}자 이내)", "소상공인정책담당관"],
        [STATUS, "필수", f"{', '.join(statuses)} 중 하나", statuses[0] if statuses else ""],
        [PROGRESS, "필수", "0~100 사이의 정수 (% 기호는 있어도 됩니다)", "45"],
        [YEAR, "선택", f"예산 연도: {YEARS.start}~{YEARS.stop - 1}. 비워 둘 수 있습니다", "2018"],
        [PLANNED, "선택", "그 해의 예산 계획액 (원). 120,000,000 · 1.2억 같은 금액도 됩니다. 비우면 0", "1200000000"],
        [SECURED, "선택", "확보한 예산 (원). 비우면 0", "800000000"],
        [SPENT, "선택", "집행한 예산 (원). 비우면 0", "350000000"],
        [MILESTONES, "선택", "'제목 날짜'를 ; 또는 줄바꿈으로 나눠 적습니다. 날짜에는 연도까지", MILESTONE_EXAMPLE[3:]],
        [NOTE, "선택", "참고 사항 (지연 사유 등)", "부지 협의 지연"],
        [],
        ["상태", "", ", ".join(statuses)],
        ["보고 기준", "", REPORTED],
        [],
        ["주의", "", "첫 행(열 제목)은 바꾸지 마세요. 2행의 (예시) 행은 지우고 쓰세요."],
        ["", "", f"한 행에 세부사업 하나. 한 파일에 {MAX_ROWS:,}행까지 올릴 수 있습니다. 틀린 행이 있으면 행 번호와 "
                 "열을 모두 알려 드립니다."],
        ["", "", "CSV로 저장할 때는 'CSV UTF-8(쉼표로 분리)'을 권합니다 (엑셀 기본 CSV도 읽습니다)."],
    ]
