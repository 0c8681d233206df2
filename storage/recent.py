"""One person's latest entries across the aggregates (spending, visits, meetings, events, reminders): what an
undo in words may take back and which reminders a move in words may mean. Reads only."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Event, Meeting, Reminder, SpendingEntry, Visit
from storage.reminders import PENDING, SENT

# The reminders one writes oneself ("…에 알려줘") and their snoozes; an event's reminders go with the event.
OWN_REMINDER_KINDS = ("personal", "snooze")


async def spending(session: AsyncSession, actor_id: int, since: datetime) -> SpendingEntry | None:
    return await session.scalar(
        select(SpendingEntry).where(SpendingEntry.logged_by == actor_id, SpendingEntry.voided.is_(False),
                                    SpendingEntry.logged_at >= since)
        .order_by(SpendingEntry.logged_at.desc(), SpendingEntry.id.desc()).limit(1))


async def visit(session: AsyncSession, actor_id: int, since: datetime) -> Visit | None:
    return await session.scalar(
        select(Visit).where(Visit.logged_by == actor_id, Visit.deleted.is_(False), Visit.logged_at >= since)
        .order_by(Visit.logged_at.desc(), Visit.id.desc()).limit(1))


async def meeting(session: AsyncSession, actor_id: int, since: datetime) -> Meeting | None:
    return await session.scalar(
        select(Meeting).where(Meeting.logged_by == actor_id, Meeting.deleted.is_(False), Meeting.logged_at >= since)
        .order_by(Meeting.logged_at.desc(), Meeting.id.desc()).limit(1))


async def event(session: AsyncSession, actor_id: int, since: datetime) -> Event | None:
    """The latest event this person created in the chat (not the report's, nor an import's)."""
    return await session.scalar(
        select(Event).where(Event.owner_id == actor_id, Event.cancelled.is_(False), Event.seed_key.is_(None),
                            Event.created_at >= since)
        .order_by(Event.created_at.desc(), Event.id.desc()).limit(1))


async def own_reminder(session: AsyncSession, actor_id: int, since: datetime) -> Reminder | None:
    """The latest still pending reminder this person asked for."""
    return await session.scalar(
        select(Reminder).where(Reminder.recipient_id == actor_id, Reminder.kind.in_(OWN_REMINDER_KINDS),
                               Reminder.state == PENDING, Reminder.created_at >= since)
        .order_by(Reminder.created_at.desc(), Reminder.id.desc()).limit(1))


async def movable_reminders(session: AsyncSession, recipient_id: int, sent_since: datetime, limit: int = 50
                            ) -> Sequence[Reminder]:
    """This person's reminders still to come, and those delivered to them since `sent_since` (snoozable):
    the delivered ones first, newest first, then the pending ones, soonest first."""
    rows = (await session.scalars(
        select(Reminder).where(
            Reminder.recipient_id == recipient_id,
            or_(Reminder.state == PENDING, (Reminder.state == SENT) & (Reminder.sent_at >= sent_since)))
        .order_by(Reminder.due_at, Reminder.id).limit(limit))).all()
    delivered = sorted((r for r in rows if r.state == SENT), key=lambda r: (r.sent_at or r.due_at), reverse=True)
    return [*delivered, *(r for r in rows if r.state == PENDING)]


async def spending_by(session: AsyncSession, actor_id: int, year: int, limit: int = 10) -> Sequence[SpendingEntry]:
    """This person's latest entries of the year, newest first."""
    return (await session.scalars(
        select(SpendingEntry).where(SpendingEntry.logged_by == actor_id, SpendingEntry.year == year,
                                    SpendingEntry.voided.is_(False))
        .order_by(SpendingEntry.logged_at.desc(), SpendingEntry.id.desc()).limit(limit))).all()
