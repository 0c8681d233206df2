"""The agenda as each person sees it: events, visits, meetings, follow-ups and their own reminders in a
window; the same items as a calendar file (.ics); the same-day same-title check an echo shows; the morning
briefing, queued once a day for the reminder engine."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import agenda
from bot.domain.agenda import AgendaItem, Window
from bot.domain.schedule import same_title
from bot.present.agenda import agenda_text
from bot.present.calendar import CalendarEntry, calendar_bytes
from bot.runtime import Runtime
from bot.services.fieldwork import follow_up_text, meeting_title, visit_title
from bot.workers import run_cpu
from storage import claims, events, fieldwork, people, readcache, reminders, rules
from storage.models import FollowUp, Meeting, Reminder, Visit

PERSONAL_KINDS = ("personal", "snooze", "recurring")
CALENDAR_DAYS = 366
ROW_LIMIT = 500


@dataclass(frozen=True)
class _Shown:
    """An event's item with who may see it (storage.events.shown_to reads these three)."""

    item: AgendaItem
    audience: str
    owner_id: int | None
    audience_ids: tuple[int, ...] | None


@dataclass(frozen=True)
class _Shared:
    """What every person's agenda of one window is made of, before their own reminders: kept in the read cache
    while events, visits, meetings and follow-ups are unchanged."""

    events: tuple[_Shown, ...]
    field: tuple[AgendaItem, ...]


async def _shared(session: AsyncSession, window: Window) -> _Shared:
    async def load(session: AsyncSession) -> _Shared:
        tz = window.start.tzinfo
        shown = tuple(_Shown(AgendaItem(e.start_at.astimezone(tz), e.end_at.astimezone(tz) if e.end_at else None,
                                        e.precision, e.tentative, e.title, "event", e.place, e.id),
                             e.audience, e.owner_id, tuple(e.audience_ids) if e.audience_ids is not None else None)
                      for e in await events.overlapping(session, window.start, window.end, None))
        return _Shared(shown, tuple(await _field_items(session, window)))

    key = (window.start.isoformat(), window.end.isoformat(), str(window.start.tzinfo))
    return await readcache.cached(session, "agenda", key, load)


async def collect(session: AsyncSession, window: Window, user_id: int | None) -> list[AgendaItem]:
    """Events touching the window that the person may see, visits, meetings and follow-ups due, and (for one
    person) their own reminders due in it."""
    shared = await _shared(session, window)
    items = [e.item for e in shared.events if events.shown_to(e, user_id)]
    items += shared.field
    if user_id is not None:
        items += [
            AgendaItem(due_at.astimezone(window.start.tzinfo), None, "minute", False,
                       text.removeprefix("⏰ 알림: ").removeprefix("🔁 "), "reminder")
            for due_at, text in await reminders.due_for(session, user_id, PERSONAL_KINDS, window.start, window.end,
                                                        limit=200)
        ]
    return items


async def _records(session: AsyncSession, window: Window, limit: int
                   ) -> tuple[list[Visit], list[Meeting], list[FollowUp]]:
    """Visits and meetings in the window, and the follow-ups due in it that are not done."""
    visits = await fieldwork.visits_in(session, window.start, window.end, limit=limit)
    meetings = await fieldwork.meetings_in(session, window.start, window.end, limit=limit)
    last = (window.end - timedelta(days=1)).date()
    due = [f for f in await fieldwork.open_follow_ups(session, until=last, limit=limit)
           if f.due is not None and f.due >= window.start.date()]
    return list(visits), list(meetings), due


async def _field_items(session: AsyncSession, window: Window) -> list[AgendaItem]:
    tz = window.start.tzinfo
    visits, meetings, due = await _records(session, window, 200)
    items = [AgendaItem(v.when_at.astimezone(tz), None, v.precision, False,
                        visit_title(v) + (" 예정" if v.planned else ""), "visit") for v in visits]
    items += [AgendaItem(m.when_at.astimezone(tz), None, m.precision, False, meeting_title(m), "meeting")
              for m in meetings]
    items += [AgendaItem(datetime.combine(f.due, datetime.min.time(), tzinfo=tz), None, "day", False,
                         f"후속조치 기한: {follow_up_text(f)}", "followup") for f in due if f.due is not None]
    return items


async def same_day(session: AsyncSession, owner: int, title: str, day: datetime) -> list[AgendaItem]:
    """Items on the day of `day` (a zone-aware moment) with the same title as `title` — events the owner sees,
    visits, meetings and the owner's own reminders — compared without spaces, order and particles."""
    start = day.replace(hour=0, minute=0, second=0, microsecond=0)
    items = await collect(session, Window(start, start + timedelta(days=1), ""), owner)
    return sorted((i for i in items if i.kind != "followup" and i.precision != "month" and same_title(i.title, title)),
                  key=lambda i: (i.start, i.title))


async def same_day_for(runtime: Runtime, owner: int, title: str, start: datetime) -> list[AgendaItem]:
    """same_day in its own read-only session: what an echo shows before anything is stored."""
    async with runtime.sessionmaker() as session:
        return await same_day(session, owner, title, start.astimezone(runtime.tz))


def _personal_title(row: Reminder) -> str:
    return row.text.removeprefix("⏰ 알림: ")


async def _root_id(session: AsyncSession, row: Reminder) -> int:
    """The reminder a chain of snoozes started from: its UID stays the same however often it is snoozed."""
    while row.kind == "snooze" and row.parent_id is not None:
        parent = await reminders.get(session, row.parent_id)
        if parent is None:
            break
        row = parent
    return row.id


async def _calendar_entries(session: AsyncSession, window: Window, user_id: int) -> list[CalendarEntry]:
    visits, meetings, due = await _records(session, window, ROW_LIMIT)
    tz = window.start.tzinfo
    entries = [CalendarEntry(f"visit-{v.id}", visit_title(v), v.when_at, v.precision, place=v.place,
                             note=v.purpose) for v in visits]
    entries += [CalendarEntry(f"meeting-{m.id}", meeting_title(m), m.when_at, m.precision, note=m.agenda)
                for m in meetings]
    entries += [CalendarEntry(f"followup-{f.id}", f"후속조치 기한: {follow_up_text(f)}",
                              datetime.combine(f.due, datetime.min.time(), tzinfo=tz), "day")
                for f in due if f.due is not None]
    # One's own one-off reminders (a snooze of an event's or a record's reminder is that item, already here).
    for row in await reminders.pending_for(session, user_id, limit=ROW_LIMIT):
        if row.kind in ("personal", "snooze") and row.event_id is None and row.subject is None \
                and window.start <= row.due_at < window.end:
            entries.append(CalendarEntry(f"reminder-{await _root_id(session, row)}", _personal_title(row),
                                         row.due_at, "minute", end_at=row.due_at + timedelta(minutes=15),
                                         alarm=True))
    return entries


@dataclass(frozen=True)
class CalendarFile:
    data: bytes
    events: int
    rules: int
    others: int


async def calendar_file(runtime: Runtime, user_id: int) -> CalendarFile:
    """The person's schedule from today for a year as an .ics: events they see, team and own recurring rules,
    planned meetings and visits, follow-ups due, and their own one-off reminders (never anyone else's)."""
    now = runtime.now()
    start = agenda.today(now).start
    window = Window(start, start + timedelta(days=CALENDAR_DAYS), "")
    async with runtime.sessionmaker() as session:
        coming = await events.overlapping(session, window.start, window.end, user_id)
        repeating = [r for r in await rules.active(session) if r.audience == "team" or r.owner_id == user_id]
        entries = await _calendar_entries(session, window, user_id)
    data = await run_cpu(calendar_bytes, coming, repeating, runtime.tz, now, entries=entries)
    return CalendarFile(data, len(coming), len(repeating), len(entries))


async def agenda_for(runtime: Runtime, window: Window, user_id: int | None) -> str:
    async with runtime.sessionmaker() as session:
        items = await collect(session, window, user_id)
    return agenda_text(window, items, runtime.now())


BRIEFING = "briefing"  # the job claim's name; its period is the day, "2018-07-20"
BRIEFING_LATE = timedelta(minutes=5)  # queued later than this after its time: the text says it comes late


def briefing_heading(now: datetime, due: time) -> str:
    """The briefing's first line; one queued late (every process was down at its time) says so."""
    scheduled = datetime.combine(now.date(), due, tzinfo=now.tzinfo)
    if now - scheduled > BRIEFING_LATE:
        return f"☀️ 아침 브리핑 (늦게 보내는 브리핑 — {due:%H:%M} 예정이었음)"
    return "☀️ 아침 브리핑"


async def queue_briefings(runtime: Runtime, now: datetime, due: time) -> int:
    """Claim today's briefing and write one reminder row per subscriber, in one transaction; 0 when another
    process (or an earlier start today) claimed the day first. The reminder engine delivers the rows."""
    window = agenda.today(now)
    heading = briefing_heading(now, due)
    async with runtime.sessionmaker.begin() as session:
        subscribers = await people.briefing_subscribers(session)
        if not subscribers:  # nobody to brief: the day stays unclaimed (one who subscribes later gets it late)
            return 0
        if not await claims.claim(session, BRIEFING, now.date().isoformat(), claims.PROCESS, now):
            return 0
        rows = [reminders.new(kind=reminders.DAILY_BRIEFING, due_at=now, now=now, recipient_id=person.telegram_id,
                              text=heading + "\n" + agenda_text(window, await collect(session, window,
                                                                                       person.telegram_id), now))
                for person in subscribers]
        await reminders.add_all(session, rows)
        await claims.finish(session, BRIEFING, now.date().isoformat(), now)
    return len(rows)


async def set_briefing(runtime: Runtime, user_id: int, on: bool) -> None:
    """Subscribe to (or stop) the weekday morning briefing."""
    async with runtime.sessionmaker.begin() as session:
        await people.set_briefing(session, user_id, on, runtime.now())
