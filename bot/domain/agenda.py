"""Which stretch of time an agenda question is about, and the agenda's items in order (pure)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.lang.dates import DateResult

UPCOMING_DAYS = 30


@dataclass(frozen=True)
class Window:
    start: datetime
    end: datetime  # exclusive
    title: str


@dataclass(frozen=True)
class AgendaItem:
    start: datetime
    end: datetime | None
    precision: str
    tentative: bool
    title: str
    kind: str  # event | reminder | (later) visit, meeting, follow-up
    place: str | None = None
    event_id: int | None = None


def _day(moment: datetime) -> datetime:
    return moment.replace(hour=0, minute=0, second=0, microsecond=0)


def _next_month(moment: datetime) -> datetime:
    return (moment.replace(day=1) + timedelta(days=32)).replace(day=1)


def today(now: datetime) -> Window:
    return Window(_day(now), _day(now) + timedelta(days=1), "오늘 일정")


def this_week(now: datetime) -> Window:
    """Monday to Sunday; from Thursday on, next week too (on a Friday "this week" has little left)."""
    monday = _day(now) - timedelta(days=now.weekday())
    if now.weekday() >= 3:
        return Window(monday, monday + timedelta(days=14), "이번 주·다음 주 일정")
    return Window(monday, monday + timedelta(days=7), "이번 주 일정")


def upcoming(now: datetime) -> Window:
    return Window(now, _day(now) + timedelta(days=UPCOMING_DAYS + 1), f"다가오는 일정 ({UPCOMING_DAYS}일)")


def window_for(when: DateResult | None, now: datetime, title: str) -> Window:
    """The stretch a question names: a day, a week (a range), a month; nothing named: the days ahead."""
    if when is None:
        return upcoming(now)
    start = _day(when.start)
    if when.precision == "month":
        last = when.end or when.start
        return Window(start.replace(day=1), _next_month(last), title)
    last = _day(when.end or when.start)
    return Window(start, last + timedelta(days=1), title)


def ordered(items: list[AgendaItem]) -> tuple[list[AgendaItem], list[AgendaItem]]:
    """Dated items in time order, and the month-only ones (dates still to be fixed)."""
    dated = sorted((i for i in items if i.precision != "month"), key=lambda i: (i.start, i.title))
    undated = sorted((i for i in items if i.precision == "month"), key=lambda i: (i.start, i.title))
    return dated, undated
