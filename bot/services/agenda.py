"""The agenda as each person sees it: events, visits, meetings, follow-ups and their own reminders in a
window, and the morning briefing texts."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import agenda
from bot.domain.agenda import AgendaItem, Window
from bot.present.agenda import agenda_text
from bot.runtime import Runtime
from bot.services.fieldwork import follow_up_text
from storage import events, fieldwork, people, reminders

PERSONAL_KINDS = ("personal", "snooze", "recurring")


async def collect(session: AsyncSession, window: Window, user_id: int | None) -> list[AgendaItem]:
    """Events touching the window, and (for one person) their own reminders due in it."""
    items = [
        AgendaItem(e.start_at.astimezone(window.start.tzinfo), e.end_at.astimezone(window.start.tzinfo)
                   if e.end_at else None, e.precision, e.tentative, e.title, "event", e.place, e.id)
        for e in await events.overlapping(session, window.start, window.end, user_id)
    ]
    items += await _field_items(session, window)
    if user_id is not None:
        items += [
            AgendaItem(r.due_at.astimezone(window.start.tzinfo), None, "minute", False,
                       r.text.removeprefix("⏰ 알림: ").removeprefix("🔁 "), "reminder")
            for r in await reminders.pending_for(session, user_id, limit=200)
            if r.kind in PERSONAL_KINDS and window.start <= r.due_at < window.end
        ]
    return items


async def _field_items(session: AsyncSession, window: Window) -> list[AgendaItem]:
    """Visits and meetings in the window, and follow-ups due in it that are not done."""
    tz = window.start.tzinfo
    visits, _ = await fieldwork.visits_between(session, window.start, window.end, limit=200)
    meetings, _ = await fieldwork.meetings_between(session, window.start, window.end, limit=200)
    items = [AgendaItem(v.when_at.astimezone(tz), None, v.precision, False,
                        f"현장방문 {' '.join(x for x in (v.district, v.place) if x)} ({v.category})"
                        + (" 예정" if v.planned else ""), "visit") for v in visits]
    items += [AgendaItem(m.when_at.astimezone(tz), None, m.precision, False,
                         m.meeting_type + (f" — {m.counterpart}" if m.counterpart else ""), "meeting")
              for m in meetings]
    last = (window.end - timedelta(days=1)).date()
    items += [AgendaItem(datetime.combine(f.due, datetime.min.time(), tzinfo=tz), None, "day", False,
                         f"후속조치 기한: {follow_up_text(f)}", "followup")
              for f in await fieldwork.open_follow_ups(session, until=last, limit=100)
              if f.due is not None and f.due >= window.start.date()]
    return items


async def agenda_for(runtime: Runtime, window: Window, user_id: int | None) -> str:
    async with runtime.sessionmaker() as session:
        items = await collect(session, window, user_id)
    return agenda_text(window, items, runtime.now())


async def briefings(runtime: Runtime, now: datetime) -> list[tuple[int, str]]:
    """The day's briefing for each subscriber: (chat id, text)."""
    window = agenda.today(now)
    out = []
    async with runtime.sessionmaker() as session:
        for person in await people.briefing_subscribers(session):
            items = await collect(session, window, person.telegram_id)
            out.append((person.telegram_id, "☀️ 아침 브리핑\n" + agenda_text(window, items, now)))
    return out
