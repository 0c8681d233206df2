"""Budget arithmetic (pure): balances by line and field, execution pace, year-end projection, trends.

The opening balances are the report's two marginals as of 6.30. (by line; by field with counts); spending
logged after that date is added on both axes. Amounts are in won.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

DayProblem = Literal["other_year", "in_opening"]


@dataclass(frozen=True)
class BudgetRow:
    key: int
    name: str
    budget: int | None  # fields have no allocation
    spent: int
    payments: int | None  # None: not known (the report gives no count per line)
    logged_payments: int = 0  # payments logged after the opening date

    @property
    def left(self) -> int | None:
        return None if self.budget is None else self.budget - self.spent

    @property
    def rate(self) -> float | None:
        return None if not self.budget else self.spent / self.budget


@dataclass(frozen=True)
class Summary:
    year: int
    as_of: date
    opening_date: date
    source: str
    lines: tuple[BudgetRow, ...]
    fields: tuple[BudgetRow, ...]
    logged_payments: int

    @property
    def total(self) -> BudgetRow:
        payments = sum(f.payments or 0 for f in self.fields)
        return BudgetRow(0, "계", sum(r.budget or 0 for r in self.lines), sum(r.spent for r in self.lines),
                         payments, self.logged_payments)


@dataclass(frozen=True)
class Pace:
    share_of_year: float  # 0..1 of the year gone by the as-of date
    planned_spent: int  # a linear plan: budget x share
    points: float  # execution rate minus share, in percentage points (+ ahead, - behind)
    projection: int  # spent at year end at the pace so far
    days_left: int | None  # days the balance lasts at that pace (None: nothing spent yet)


@dataclass(frozen=True)
class Opening:
    key: int  # line or field id
    spent: int
    payments: int | None


@dataclass(frozen=True)
class Logged:
    amount: int
    payments: int


def day_problem(day: date, year: int, opening_date: date) -> DayProblem | None:
    """Why spending dated ``day`` cannot be recorded in the fiscal year ``year``, or None when it can.

    The one rule for every way an entry comes in (chat, spreadsheet import): spending is counted from the day
    after the opening balances' date, because what was spent up to that date is already in them. An entry
    the balance would not count is refused rather than stored, so an echo's promise always comes true."""
    if day.year != year:
        return "other_year"
    if day <= opening_date:
        return "in_opening"
    return None


def days_in_year(year: int) -> int:
    return 366 if calendar.isleap(year) else 365


def pace(budget: int, spent: int, as_of: date) -> Pace:
    elapsed = (as_of - date(as_of.year, 1, 1)).days + 1
    share = elapsed / days_in_year(as_of.year)
    rate = spent / budget if budget else 0.0
    per_day = spent / elapsed
    left = budget - spent
    days_left = None if per_day <= 0 else max(int(left / per_day), 0)
    return Pace(share, round(budget * share), (rate - share) * 100, round(per_day * days_in_year(as_of.year)),
                days_left)


def _rows(items: Iterable[tuple[int, str, int | None]], openings: Mapping[int, Opening],
          logged: Mapping[int, Logged]) -> tuple[BudgetRow, ...]:
    rows = []
    for key, name, budget in items:
        opening = openings.get(key, Opening(key, 0, 0))
        extra = logged.get(key, Logged(0, 0))
        payments = None if opening.payments is None else opening.payments + extra.payments
        rows.append(BudgetRow(key, name, budget, opening.spent + extra.amount, payments, extra.payments))
    return tuple(rows)


def summarize(
    *, year: int, as_of: date, opening_date: date, source: str,
    lines: Sequence[tuple[int, str, int]], fields: Sequence[tuple[int, str]],
    line_openings: Mapping[int, Opening], field_openings: Mapping[int, Opening],
    by_line: Mapping[int, Logged], by_field: Mapping[int, Logged],
) -> Summary:
    line_rows = _rows(lines, line_openings, by_line)
    field_rows = _rows(((k, n, None) for k, n in fields), field_openings, by_field)
    return Summary(year, as_of, opening_date, source, line_rows, field_rows,
                   sum(v.payments for v in by_field.values()))


@dataclass(frozen=True)
class MonthPoint:
    month: int
    spent_cumulative: int
    planned_cumulative: int
    opening: bool  # the point is the opening balance (months before it are not known one by one)


def monthly_trend(budget: int, opening_spent: int, opening_date: date, daily: Sequence[tuple[date, int]],
                  as_of: date) -> list[MonthPoint]:
    """Cumulative spending at each month end from the opening month to the as-of month, against the plan."""
    per_month: dict[int, int] = {}
    for day, amount in daily:
        per_month[day.month] = per_month.get(day.month, 0) + amount
    points, running = [], opening_spent
    total_days = days_in_year(as_of.year)
    for month in range(opening_date.month, as_of.month + 1):
        running += per_month.get(month, 0)  # `daily` holds only days after the opening date
        last = calendar.monthrange(as_of.year, month)[1]
        elapsed = (date(as_of.year, month, last) - date(as_of.year, 1, 1)).days + 1
        points.append(MonthPoint(month, running, round(budget * elapsed / total_days), month == opening_date.month))
    return points
