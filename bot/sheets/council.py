"""The council members' directory as a spreadsheet: 이름 | 지역구 | 소속 위원회 | 정당 | 의장단."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot.lang.limits import limit
from bot.sheets.common import Bad, Layout, ReadRow, RowProblem, cell_text, limited_text, read_table

NAME, DISTRICT, COMMITTEE, PARTY, LEADERSHIP = "이름", "지역구", "소속 위원회", "정당", "의장단"
LAYOUT = Layout(columns=(NAME, DISTRICT, COMMITTEE, PARTY, LEADERSHIP),
                optional=frozenset({COMMITTEE, PARTY, LEADERSHIP}), rows_name="시의원",
                aliases={"성명": NAME, "선거구": DISTRICT, "자치구": DISTRICT, "위원회": COMMITTEE})
MAX_ROWS = 1_000
YES = {"y", "yes", "o", "예", "네", "○", "v", "true", "1"}


@dataclass(frozen=True)
class MemberRow:
    row: int
    name: str
    district: str | None
    committee: str | None
    party: str | None
    leadership: bool


def _name(value: Any) -> str:
    text = cell_text(value)
    if not text or len(text) > limit("council_name"):
        raise Bad(f"이름을 {limit('council_name')}자 이내로 입력해 주세요.")
    return text


def _district_reader(districts: Sequence[str]) -> Any:
    def read(value: Any) -> str | None:
        text = cell_text(value)
        if not text or text in ("비례", "비례대표"):
            return None  # proportional members have no district
        name = text if text.endswith("구") else f"{text}구"
        if name not in districts:
            raise Bad(f"지역구 '{text}'는 서울의 자치구가 아닙니다 (예: 강북구, 비례대표는 '비례').")
        return name

    return read


def _flag(value: Any) -> bool:
    return cell_text(value).lower() in YES


def read_members(data: bytes, filename: str, *, districts: Sequence[str]) -> tuple[list[MemberRow], list[RowProblem]]:
    rows: list[MemberRow] = []
    problems: list[RowProblem] = []

    def take(row: ReadRow) -> None:
        if row.problems:
            problems.extend(row.problems)
            return
        cells = row.cells
        rows.append(MemberRow(row.row, cells[NAME], cells[DISTRICT], cells[COMMITTEE], cells[PARTY],
                              cells[LEADERSHIP]))

    parsers = {NAME: _name, DISTRICT: _district_reader(districts), COMMITTEE: limited_text("council_committee"),
               PARTY: limited_text("council_party"),
               LEADERSHIP: _flag}
    failure = read_table(data, filename, LAYOUT, parsers, max_rows=MAX_ROWS, take=take)
    return ([], [failure]) if failure else (rows, problems)
