"""Working days in Korea: weekends and public holidays (the `holidays` package, 대체공휴일 included)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import holidays


@lru_cache(maxsize=64)
def _korean_holidays(year: int) -> holidays.HolidayBase:
    """The year's table, built on first use (the package is imported then too: not at every start)."""
    import holidays

    return holidays.country_holidays("KR", years=year)


def holiday_name(day: date) -> str | None:
    name = _korean_holidays(day.year).get(day)
    return str(name) if name else None


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and holiday_name(day) is None


def previous_working_day(day: date) -> date:
    """The day itself when it is a working day, else the nearest working day before it."""
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


def next_working_day(day: date) -> date:
    """The day itself when it is a working day, else the nearest working day after it."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def first_working_day_of_month(year: int, month: int) -> date:
    return next_working_day(date(year, month, 1))


def shift_to_working_day(moment: datetime, policy: str) -> datetime:
    """Move a moment off weekends and holidays: 'previous' (the default), 'next', or 'none'."""
    if policy == "none":
        return moment
    day = previous_working_day(moment.date()) if policy == "previous" else next_working_day(moment.date())
    return moment.replace(year=day.year, month=day.month, day=day.day)


def next_briefing(after: datetime, at: time) -> datetime:
    """The first working-day moment at `at` (wall clock in after's zone) strictly after `after`."""
    candidate = after.replace(hour=at.hour, minute=at.minute, second=0, microsecond=0)
    if candidate <= after:
        candidate += timedelta(days=1)
    while not is_working_day(candidate.date()):
        candidate += timedelta(days=1)
    return candidate


def next_month_start(after: datetime, at: time) -> datetime:
    """The first moment at `at` on a month's first working day (wall clock in after's zone) strictly after
    `after`: the monthly work report's time (2018-09-01 is a Saturday: 9.3. 09:00)."""
    year, month = after.year, after.month
    while True:
        day = first_working_day_of_month(year, month)
        candidate = datetime.combine(day, at, tzinfo=after.tzinfo)
        if candidate > after:
            return candidate
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def previous_month(day: date) -> tuple[date, date]:
    """The month before `day`'s, from its 1st to its last day."""
    last = day.replace(day=1) - timedelta(days=1)
    return last.replace(day=1), last
