"""Dates written as the office writes them — `9.15.(토) 15:00`, `8.6.(월)~9.1.(토)`, `9월 중(예정)` — and
read back to the same value by :func:`bot.lang.dates.parse_when` (with ``past=True`` for dates before today).

The year is shown only when it differs from ``now``'s year (`2019.3.4.(월)`). ``relative=True`` says
오늘/내일/모레/어제 where that is shorter; :func:`format_dday` gives `D-3` for countdowns.

A month without a hedge is written `9월`, not `9월 중`: the parser reads 중 as tentative (as the report
uses it), so writing it for a firm month would not read back to the same value.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal, Protocol

Precision = Literal["minute", "day", "month"]
WEEKDAYS = "월화수목금토일"
_RELATIVE = {-1: "어제", 0: "오늘", 1: "내일", 2: "모레"}


class DateLike(Protocol):
    """Anything shaped like a :class:`bot.lang.dates.DateResult` (a stored event row, for one)."""

    @property
    def start(self) -> datetime: ...
    @property
    def end(self) -> datetime | None: ...
    @property
    def precision(self) -> Precision: ...
    @property
    def tentative(self) -> bool: ...


def format_when(value: DateLike, now: datetime, *, relative: bool = False) -> str:
    return format_span(value.start, value.end, value.precision, value.tentative, now=now, relative=relative)


def format_span(
    start: datetime,
    end: datetime | None,
    precision: Precision,
    tentative: bool = False,
    *,
    now: datetime,
    relative: bool = False,
) -> str:
    if precision == "month":
        return _months(start, end, now.year) + (" 중(예정)" if tentative else "")
    text = _day_or_time(start, precision, now, relative and end is None)
    if end is not None:
        same_day = precision == "minute" and end.date() == start.date()
        text += "~" + (f"{end:%H:%M}" if same_day else _day_or_time(end, precision, now, False))
    return text + (" 예정" if tentative else "")


def format_day(day: date, now: datetime) -> str:
    """`7.20.(금)`, or `2019.3.4.(월)` in another year."""
    year = f"{day.year}." if day.year != now.year else ""
    return f"{year}{day.month}.{day.day}.({WEEKDAYS[day.weekday()]})"


def format_dday(start: datetime | date, now: datetime) -> str:
    """`D-3` before, `D-day` on, `D+2` after the day."""
    day = start.date() if isinstance(start, datetime) else start
    days = (day - now.date()).days
    if days == 0:
        return "D-day"
    return f"D-{days}" if days > 0 else f"D+{-days}"


def _day_or_time(moment: datetime, precision: Precision, now: datetime, relative: bool) -> str:
    offset = (moment.date() - now.date()).days
    day = _RELATIVE[offset] if relative and offset in _RELATIVE else format_day(moment.date(), now)
    return f"{day} {moment:%H:%M}" if precision == "minute" else day


def _months(start: datetime, end: datetime | None, this_year: int) -> str:
    def year(moment: datetime) -> str:
        return f"{moment.year}년 " if moment.year != this_year else ""

    if end is None:
        return f"{year(start)}{start.month}월"
    if end.year == start.year:
        return f"{year(start)}{start.month}~{end.month}월"
    return f"{start.year}년 {start.month}월~{end.year}년 {end.month}월"
