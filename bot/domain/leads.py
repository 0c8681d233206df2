"""When to remind of an event, and with what words (pure: no storage, no Telegram)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Protocol

from bot.domain.workdays import first_working_day_of_month, next_working_day
from bot.lang.datefmt import format_span
from bot.lang.schedule_words import AT_START


@dataclass(frozen=True)
class ReminderSettings:
    lead_days: tuple[int, ...] = (7, 1)
    lead_time: time = time(9, 0)
    before_minutes: int = 60
    catch_up: timedelta = timedelta(hours=24)
    morning: time = time(9, 0)


class EventView(Protocol):
    """The fields of an event that planning reads (storage's Event satisfies it)."""

    @property
    def title(self) -> str: ...
    @property
    def start_at(self) -> datetime: ...
    @property
    def end_at(self) -> datetime | None: ...
    @property
    def precision(self) -> str: ...
    @property
    def tentative(self) -> bool: ...
    @property
    def place(self) -> str | None: ...
    @property
    def audience(self) -> str: ...


@dataclass(frozen=True)
class DraftEvent:
    """An event as understood from a message, before the user confirms it (nothing stored yet)."""

    title: str
    start_at: datetime
    end_at: datetime | None
    precision: str
    tentative: bool
    audience: str = "me"
    category: str = "일정"
    place: str | None = None
    lead_minutes: tuple[int, ...] | None = None


AT_START_LABEL = "정각"


@dataclass(frozen=True)
class Planned:
    kind: str  # lead | month | fixdate
    label: str
    due_at: datetime


def describe(event: EventView, now: datetime) -> str:
    """'9.15.(토) 15:00 서울식물원 개관식 (장소: …)' in the user's zone."""
    tz = now.tzinfo
    end = event.end_at.astimezone(tz) if event.end_at else None
    when = format_span(event.start_at.astimezone(tz), end, event.precision, event.tentative, now=now)  # type: ignore[arg-type]
    text = f"{when} {event.title}"
    return f"{text} (장소: {event.place})" if event.place else text


def _at(day: datetime, clock_time: time) -> datetime:
    return day.replace(hour=clock_time.hour, minute=clock_time.minute, second=0, microsecond=0)


def plan(event: EventView, settings: ReminderSettings, now: datetime, lead_minutes: tuple[int, ...] | None = None
         ) -> list[Planned]:
    """Every reminder still ahead of `now` for this event, in time order.

    - month precision: the first working day of the month, and a weekly nudge to fix the date;
    - lead_minutes == AT_START (the user asked for the time itself): D-7/D-1 at lead_time, then at the start;
    - other explicit lead_minutes: exactly those minutes before the start;
    - defaults: D-7/D-1 at lead_time, and `before_minutes` before a timed start."""
    tz = now.tzinfo
    start = event.start_at.astimezone(tz)
    planned: list[Planned] = []
    if event.precision == "month":
        first = first_working_day_of_month(start.year, start.month)
        planned.append(Planned("month", "이번 달 예정", _at(start.replace(day=first.day), settings.lead_time)))
        planned += _fix_date_nudges(start, settings, now)
    elif lead_minutes == AT_START:
        planned += _day_leads(start, settings)
        planned.append(Planned("lead", AT_START_LABEL, start))
    elif lead_minutes is not None:
        planned += [Planned("lead", _minutes_label(m), start - timedelta(minutes=m)) for m in lead_minutes]
    else:
        planned += _day_leads(start, settings)
        if event.precision == "minute" and settings.before_minutes:
            planned.append(Planned("lead", _minutes_label(settings.before_minutes),
                                   start - timedelta(minutes=settings.before_minutes)))
    return sorted((p for p in planned if p.due_at > now), key=lambda p: p.due_at)


def _day_leads(start: datetime, settings: ReminderSettings) -> list[Planned]:
    return [Planned("lead", f"D-{days}", _at(start - timedelta(days=days), settings.lead_time))
            for days in settings.lead_days]


def _minutes_label(minutes: int) -> str:
    if minutes == 0:
        return "당일"
    if minutes % (24 * 60) == 0:
        return f"D-{minutes // (24 * 60)}"
    if minutes % 60 == 0:
        return f"{minutes // 60}시간 전"
    return f"{minutes}분 전"


def _fix_date_nudges(start: datetime, settings: ReminderSettings, now: datetime) -> list[Planned]:
    """Weekly (Monday, or the next working day) nudges to fix the date, until the month begins."""
    nudges = []
    monday = _at(now - timedelta(days=now.weekday()), settings.lead_time)
    while monday < start:
        day = next_working_day(monday.date())
        due = monday.replace(year=day.year, month=day.month, day=day.day)
        if due > now:
            nudges.append(Planned("fixdate", "날짜 확정 요청", due))
        monday += timedelta(days=7)
    return nudges[:1]  # one at a time: the next is planned when this one is sent


def next_fix_date_nudge(start: datetime, settings: ReminderSettings, after: datetime) -> datetime | None:
    nudges = _fix_date_nudges(start, settings, after)
    return nudges[0].due_at if nudges else None


def reminder_text(planned: Planned, event: EventView, now: datetime) -> str:
    what = describe(event, now)
    if planned.kind == "fixdate":
        return f"📌 날짜를 정해 주세요: {what}\n정해지면 '일정 보기'에서 날짜를 바꿀 수 있습니다."
    if planned.kind == "month":
        return f"🗓 이번 달 예정(날짜 미정): {what}"
    return f"🔔 {planned.label} 알림: {what}"
