"""The .ics export (RFC 5545), via the icalendar package: events, recurring reminders, and every other dated
item of a person's schedule (planned meetings and visits, one-off reminders, follow-ups) as CalendarEntry.

Timed items carry their zone (DTSTART;TZID=…), day-precision ones are all-day, month-precision ones span the
month as TENTATIVE. Every item has a stable UID ("event-12@…", "meeting-3@…", "reminder-40@…") so that a
calendar importing the file again updates its entries instead of doubling them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Protocol

from bot.domain.leads import EventView

if TYPE_CHECKING:  # icalendar is imported on first use: only an .ics export needs it
    from icalendar import Event

PRODID = "-//Secretariat Bot//비서실봇//KO"


class CalendarEvent(EventView, Protocol):
    @property
    def id(self) -> int: ...
    @property
    def note(self) -> str | None: ...


@dataclass(frozen=True)
class CalendarEntry:
    """A dated item that is not an event row: uid is its kind and id ("meeting-3"), unique and stable."""

    uid: str
    title: str
    start_at: datetime
    precision: str  # minute | day | month
    end_at: datetime | None = None
    tentative: bool = False
    place: str | None = None
    note: str | None = None
    alarm: bool = False  # a one-off reminder: the calendar app rings at its time too


class CalendarRule(Protocol):
    @property
    def id(self) -> int: ...
    @property
    def text(self) -> str: ...
    @property
    def rrule(self) -> str: ...
    @property
    def dtstart(self) -> datetime: ...


def _month_span(start: datetime, end: datetime | None) -> tuple[date, date]:
    last = end or start
    following = (last.replace(day=1) + timedelta(days=32)).replace(day=1)
    return start.date().replace(day=1), following.date()


def _entry(uid: str, stamp: datetime, summary: str) -> Event:
    from icalendar import Event

    entry = Event()
    entry.add("uid", uid)
    entry.add("dtstamp", stamp)
    entry.add("summary", summary)
    return entry


def _event(uid: str, item: CalendarEvent | CalendarEntry, tz: object, stamp: datetime, domain: str) -> Event:
    entry = _entry(f"{uid}@{domain}", stamp, item.title)
    start = item.start_at.astimezone(tz)  # type: ignore[arg-type]
    end = item.end_at.astimezone(tz) if item.end_at else None  # type: ignore[arg-type]
    if item.precision == "month":
        first, following = _month_span(start, end)
        entry.add("dtstart", first)
        entry.add("dtend", following)
        entry.add("description", "날짜 미정(월만 정해짐)" + (f"\n{item.note}" if item.note else ""))
    elif item.precision == "day":
        entry.add("dtstart", start.date())
        entry.add("dtend", (end or start).date() + timedelta(days=1))
    else:
        entry.add("dtstart", start)
        entry.add("dtend", end or start + timedelta(hours=1))
    if item.tentative or item.precision == "month":
        entry.add("status", "TENTATIVE")
    if item.place:
        entry.add("location", item.place)
    if item.note and item.precision != "month":
        entry.add("description", item.note)
    return entry


def _rule(rule: CalendarRule, tz: object, stamp: datetime, domain: str) -> Event:
    entry = _entry(f"rule-{rule.id}@{domain}", stamp, rule.text)
    start = rule.dtstart.astimezone(tz)  # type: ignore[arg-type]
    from icalendar import vRecur

    recur = vRecur.from_ical(rule.rrule)
    entry.add("dtstart", start.replace(hour=int(recur.get("BYHOUR", [9])[0]),
                                       minute=int(recur.get("BYMINUTE", [0])[0]), second=0, microsecond=0))
    entry.add("rrule", recur)
    return entry


def _with_alarm(entry: Event, summary: str) -> Event:
    from icalendar import Alarm

    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", summary)
    alarm.add("trigger", timedelta(0))
    entry.add_component(alarm)
    return entry


def calendar_bytes(events: Iterable[CalendarEvent], rules: Iterable[CalendarRule], tz: object, stamp: datetime,
                   domain: str = "secretariat-bot", entries: Iterable[CalendarEntry] = ()) -> bytes:
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "비서실 일정")
    calendar.add("x-wr-timezone", str(tz))
    for item in events:
        calendar.add_component(_event(f"event-{item.id}", item, tz, stamp, domain))
    for other in entries:
        component = _event(other.uid, other, tz, stamp, domain)
        calendar.add_component(_with_alarm(component, other.title) if other.alarm else component)
    for rule in rules:
        calendar.add_component(_rule(rule, tz, stamp, domain))
    calendar.add_missing_timezones()  # RFC 5545: every TZID used has its VTIMEZONE in the file
    return calendar.to_ical()
