"""Scheduling use cases shared by the handlers and start-up: store an event, a personal or a recurring
reminder together with its reminder rows, in the caller's transaction. No Telegram here."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.leads import DraftEvent, Planned, ReminderSettings, plan, reminder_text
from bot.domain.recurrence import next_occurrence
from storage import events, reminders, rules
from storage.events import EventDraft
from storage.models import Event, RecurringRule

EVENT_REMINDER_KINDS = ("lead", "month", "fixdate")


def _recipient(audience: str, owner_id: int | None) -> int | None:
    """Team reminders are fanned out when due (recipient None); others go to the owner."""
    return None if audience == "team" or owner_id is None else owner_id


def _addressed(kind: str, event: Event) -> tuple[str, int | None]:
    """(audience, recipient) of one of an event's reminders. The weekly nudge to fix a date goes to the
    event's owner alone, or to the admins for the report's events, which have no owner."""
    if kind == "fixdate":
        return ("me", event.owner_id) if event.owner_id is not None else ("admins", None)
    audience = "team" if event.owner_id is None else event.audience
    return audience, _recipient(audience, event.owner_id)


async def plan_event(session: AsyncSession, event: Event, settings: ReminderSettings, now: datetime,
                     ) -> list[Planned]:
    lead = tuple(event.lead_minutes) if event.lead_minutes is not None else None
    planned = plan(event, settings, now, lead)
    rows = []
    for item in planned:
        audience, recipient = _addressed(item.kind, event)
        rows.append(reminders.new(kind=item.kind, text=reminder_text(item, event, now), due_at=item.due_at,
                                  now=now, recipient_id=recipient, audience=audience, event_id=event.id))
    await reminders.add_all(session, rows)
    event.planned_at = now
    return planned


async def plan_many(session: AsyncSession, planned_events: Sequence[Event], settings: ReminderSettings,
                    now: datetime) -> None:
    """plan_event for many events (a bulk import): their reminder rows inserted in a few statements."""
    rows = []
    for event in planned_events:
        lead = tuple(event.lead_minutes) if event.lead_minutes is not None else None
        for item in plan(event, settings, now, lead):
            audience, recipient = _addressed(item.kind, event)
            rows.append(reminders.new(kind=item.kind, text=reminder_text(item, event, now), due_at=item.due_at,
                                      now=now, recipient_id=recipient, audience=audience, event_id=event.id))
        event.planned_at = now
    await reminders.insert_many(session, rows)


async def save_event(session: AsyncSession, draft: DraftEvent, owner_id: int, settings: ReminderSettings,
                     now: datetime) -> tuple[Event, list[Planned]]:
    event = await events.create(session, EventDraft(
        title=draft.title, start_at=draft.start_at, end_at=draft.end_at, precision=draft.precision,
        tentative=draft.tentative, category=draft.category, place=draft.place, owner_id=owner_id,
        audience=draft.audience, lead_minutes=draft.lead_minutes, source="chat",
    ), now, actor_id=owner_id)
    return event, await plan_event(session, event, settings, now)


async def reschedule_event(session: AsyncSession, event: Event, when: DraftEvent, settings: ReminderSettings,
                           now: datetime, actor_id: int) -> list[Planned]:
    """New date for an event (e.g. a "9월 예정" one fixed to 9.15): its reminders are planned again."""
    await reminders.cancel_pending(session, event_id=event.id, kinds=EVENT_REMINDER_KINDS)
    await events.reschedule(session, event, when.start_at, when.end_at, when.precision, when.tentative, now,
                            actor_id)
    return await plan_event(session, event, settings, now)


async def save_personal(session: AsyncSession, owner_id: int, title: str, due: datetime, now: datetime) -> None:
    await reminders.add_all(session, [reminders.new(kind="personal", text=f"⏰ 알림: {title}", due_at=due, now=now,
                                                    recipient_id=owner_id)])


async def first_rule_reminder(session: AsyncSession, rule: RecurringRule, now: datetime) -> datetime | None:
    first = next_occurrence(rule.rrule, rule.dtstart, now, now.tzinfo, rule.holiday_shift)  # type: ignore[arg-type]
    if first is not None:
        await reminders.add_all(session, [reminders.new(
            kind="recurring", text=f"🔁 {rule.text}", due_at=first, now=now,
            recipient_id=_recipient(rule.audience, rule.owner_id), audience=rule.audience, rule_id=rule.id)])
    return first


async def save_rule(session: AsyncSession, *, text: str, rrule: str, holiday_shift: str, owner_id: int,
                    audience: str, now: datetime) -> tuple[RecurringRule, datetime | None]:
    rule = await rules.create(session, text=text, rrule=rrule, dtstart=now, holiday_shift=holiday_shift,
                              owner_id=owner_id, audience=audience, now=now)
    return rule, await first_rule_reminder(session, rule, now)


async def plan_unplanned(session: AsyncSession, settings: ReminderSettings, now: datetime) -> int:
    """Plan the reminders of seeded events and rules, the first time the bot runs over them."""
    count = 0
    for event in await events.unplanned(session):
        count += len(await plan_event(session, event, settings, now))
    for rule in await rules.without_reminders(session):
        count += int(await first_rule_reminder(session, rule, now) is not None)
    return count
