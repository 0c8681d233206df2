"""Pledge figures (pure): the dashboard from per-area-and-status totals, beside the reported totals; paging."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

PAGE = 10
AXES = ("정책대상", "정책영역")


class StatRow(Protocol):
    @property
    def area_id(self) -> int: ...
    @property
    def axis(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def sub_projects(self) -> int: ...
    @property
    def progress_sum(self) -> int: ...
    @property
    def planned(self) -> int: ...
    @property
    def secured(self) -> int: ...
    @property
    def spent(self) -> int: ...


@dataclass(frozen=True)
class Reported:
    scope: str  # 전체 | 정책대상 | 정책영역
    areas: int
    core_pledges: int
    sub_projects: int
    examples: tuple[str, ...]


@dataclass
class Tally:
    """Counts and sums over some sub-projects."""

    sub_projects: int = 0
    progress_sum: int = 0
    planned: int = 0
    secured: int = 0
    spent: int = 0
    by_status: dict[str, int] = field(default_factory=dict)

    def add(self, row: StatRow) -> None:
        self.sub_projects += row.sub_projects
        self.progress_sum += row.progress_sum
        self.planned += row.planned
        self.secured += row.secured
        self.spent += row.spent
        self.by_status[row.status] = self.by_status.get(row.status, 0) + row.sub_projects

    @property
    def average_progress(self) -> float:
        return self.progress_sum / self.sub_projects if self.sub_projects else 0.0


@dataclass(frozen=True)
class Dashboard:
    reported: tuple[Reported, ...]
    total: Tally
    by_axis: dict[str, Tally]
    by_area: dict[int, tuple[str, str, Tally]]  # area id -> (axis, name, tally)
    imported_structure: dict[str, tuple[int, int]]  # axis -> (areas, core pledges) imported

    @property
    def imported(self) -> bool:
        return self.total.sub_projects > 0

    def reported_scope(self, scope: str) -> Reported | None:
        return next((r for r in self.reported if r.scope == scope), None)


def dashboard(reported: Iterable[Reported], stats: Iterable[StatRow],
              structure: dict[str, tuple[int, int]]) -> Dashboard:
    total, by_axis, by_area = Tally(), {axis: Tally() for axis in AXES}, {}
    for row in stats:
        total.add(row)
        by_axis.setdefault(row.axis, Tally()).add(row)
        if row.area_id not in by_area:
            by_area[row.area_id] = (row.axis, row.name, Tally())
        by_area[row.area_id][2].add(row)
    return Dashboard(tuple(reported), total, by_axis, by_area, structure)


@dataclass(frozen=True)
class Page:
    offset: int
    total: int
    size: int = PAGE

    @property
    def previous(self) -> int | None:
        return max(self.offset - self.size, 0) if self.offset > 0 else None

    @property
    def next(self) -> int | None:
        return self.offset + self.size if self.offset + self.size < self.total else None

    def label(self) -> str:
        if self.total <= self.size:
            return ""
        last = min(self.offset + self.size, self.total)
        return f" ({self.offset + 1}~{last} / {self.total})"


def half_of(month: int, year: int) -> str:
    """'2018-H2' for a month of the second half."""
    return f"{year}-H{1 if month <= 6 else 2}"


def shorten(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def matching(words: Sequence[str], title: str) -> bool:
    return all(w in title for w in words)
