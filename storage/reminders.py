"""Reminder rows: the truth about what is to be pushed, claimed atomically before it is sent."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from sqlalchemy import and_, bindparam, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage import audit, bulk, readcache
from storage.models import Delivery, Person, Reminder

PENDING, CLAIMED, SENT, FAILED = "pending", "claimed", "sent", "failed"
CANCELLED, DONE, EXPANDED = "cancelled", "done", "expanded"
# What a recipient did with a delivered reminder's buttons: sent -> done | skipped (해당 없음) | snoozed.
SKIPPED, SNOOZED = "skipped", "snoozed"
# Messages the bot itself composed and hands to the engine so that each reaches its recipient exactly once, by
# any replica: the day's briefing, the summary of reminders missed during a downtime and the monthly work report
# (its text is the document's caption; subject "report:2018-07" names the month, rendered at send time). They
# carry no buttons and are not the user's reminders (not listed, never summed up in a later summary).
DAILY_BRIEFING, MISSED_SUMMARY, MONTHLY_REPORT = "daily_briefing", "missed_summary", "monthly_report"
NOTICES = (DAILY_BRIEFING, MISSED_SUMMARY, MONTHLY_REPORT)
# Notices of one day: queued but still unsent when that day is over (every process was down), they are dropped.
SAME_DAY = (DAILY_BRIEFING, MONTHLY_REPORT)


def new(
    *, kind: str, text: str, due_at: datetime, now: datetime, recipient_id: int | None = None,
    audience: str = "me", event_id: int | None = None, rule_id: int | None = None,
    parent_id: int | None = None, subject: str | None = None,
) -> Reminder:
    return Reminder(kind=kind, text=text, due_at=due_at, recipient_id=recipient_id, audience=audience,
                    event_id=event_id, rule_id=rule_id, parent_id=parent_id, state=PENDING, attempts=0,
                    late=False, created_at=now, subject=subject)


async def add_all(session: AsyncSession, rows: Iterable[Reminder]) -> list[Reminder]:
    items = list(rows)
    session.add_all(items)
    await session.flush()
    return items


async def insert_many(session: AsyncSession, rows: Sequence[Reminder]) -> None:
    """add_all for many new rows (a bulk import), as executemany: no ids come back."""
    await bulk.insert_rows(session, Reminder, [bulk.values_of(row) for row in rows])


def _claimable(now: datetime):  # type: ignore[no-untyped-def]
    """Due and pending, or claimed by someone whose lease ran out (a crash between claim and send)."""
    return and_(
        Reminder.due_at <= now,
        Reminder.recipient_id.isnot(None),
        or_(Reminder.state == PENDING, and_(Reminder.state == CLAIMED, Reminder.lease_until < now)),
    )


async def claim_due(
    session: AsyncSession, now: datetime, *, token: str, lease: timedelta, limit: int,
) -> list[Reminder]:
    """Claim up to `limit` due rows for this engine. The candidates are locked first (PostgreSQL: FOR UPDATE
    SKIP LOCKED, so concurrent engines take disjoint rows); the UPDATE repeats the state guard, so on SQLite,
    which has no row locks, a row another process claimed in between is simply not claimed again."""
    ids = list((await session.scalars(
        select(Reminder.id).where(_claimable(now)).order_by(Reminder.due_at, Reminder.id).limit(limit)
        .with_for_update(skip_locked=True)
    )).all())
    if not ids:
        return []
    claimed = list((await session.scalars(
        update(Reminder)
        .where(Reminder.id.in_(ids), _claimable(now))
        .values(state=CLAIMED, claimed_by=token, lease_until=now + lease, attempts=Reminder.attempts + 1)
        .returning(Reminder.id)
        .execution_options(synchronize_session=False)
    )).all())
    return await _load(session, claimed)


async def _load(session: AsyncSession, ids: list[int]) -> list[Reminder]:
    if not ids:
        return []
    rows = await session.scalars(
        select(Reminder).where(Reminder.id.in_(ids)).order_by(Reminder.due_at, Reminder.id)
        .execution_options(populate_existing=True)
    )
    return list(rows.all())


async def due_team_rows(session: AsyncSession, now: datetime, limit: int = 100) -> list[Reminder]:
    """Team (or admins') reminders that came due, taken (state 'expanded') so that one engine alone fans
    them out."""
    ids = list((await session.scalars(
        select(Reminder.id)
        .where(Reminder.due_at <= now, Reminder.recipient_id.is_(None), Reminder.state == PENDING)
        .order_by(Reminder.due_at).limit(limit).with_for_update(skip_locked=True)
    )).all())
    if not ids:
        return []
    taken = list((await session.scalars(
        update(Reminder)
        .where(Reminder.id.in_(ids), Reminder.state == PENDING)
        .values(state=EXPANDED)
        .returning(Reminder.id)
        .execution_options(synchronize_session=False)
    )).all())
    return await _load(session, taken)


def fan_out(parent: Reminder, recipients: Iterable[int], now: datetime) -> list[Reminder]:
    return [
        new(kind=parent.kind, text=parent.text, due_at=parent.due_at, now=now, recipient_id=recipient,
            audience=parent.audience, event_id=parent.event_id, rule_id=parent.rule_id, parent_id=parent.id,
            subject=parent.subject)
        for recipient in recipients
    ]


async def _settle(session: AsyncSession, reminder_id: int, token: str, **values: object) -> bool:
    """Change a claimed row, only while this engine still holds the claim."""
    result = await session.execute(
        update(Reminder)
        .where(Reminder.id == reminder_id, Reminder.state == CLAIMED, Reminder.claimed_by == token)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def mark_sent(
    session: AsyncSession, reminder_id: int, token: str, now: datetime, message_id: int, late: bool,
) -> bool:
    return await _settle(session, reminder_id, token, state=SENT, sent_at=now, message_id=message_id, late=late,
                         lease_until=None, last_error=None)


async def retry_later(session: AsyncSession, reminder_id: int, token: str, due_at: datetime, error: str) -> bool:
    return await _settle(session, reminder_id, token, state=PENDING, due_at=due_at, lease_until=None,
                         claimed_by=None, last_error=error)


async def extend_lease(session: AsyncSession, reminder_id: int, token: str, until: datetime) -> bool:
    return await _settle(session, reminder_id, token, lease_until=until)


async def release(session: AsyncSession, reminder_ids: Sequence[int], token: str) -> int:
    """Hand claimed rows back unsent (the engine is stopping): due again at once for any engine, not after their
    lease. Only the rows this engine still holds; `attempts` keeps counting the claim."""
    if not reminder_ids:
        return 0
    result = await session.execute(
        update(Reminder)
        .where(Reminder.id.in_(reminder_ids), Reminder.state == CLAIMED, Reminder.claimed_by == token)
        .values(state=PENDING, lease_until=None, claimed_by=None)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


async def mark_failed(session: AsyncSession, reminder_id: int, token: str, error: str) -> bool:
    return await _settle(session, reminder_id, token, state=FAILED, lease_until=None, last_error=error)


async def record(session: AsyncSession, reminder_id: int, at: datetime, outcome: str, detail: str | None) -> None:
    session.add(Delivery(reminder_id=reminder_id, at=at, outcome=outcome, detail=detail))
    await session.flush()


async def drop_pending_for(session: AsyncSession, recipient_id: int, reason: str) -> int:
    """Stop every pending reminder of a recipient who cannot be reached (blocked the bot)."""
    result = await session.execute(
        update(Reminder)
        .where(Reminder.recipient_id == recipient_id, Reminder.state.in_((PENDING, CLAIMED)))
        .values(state=FAILED, last_error=reason, lease_until=None)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


async def cancel_for_recipient(session: AsyncSession, recipient_id: int, now: datetime, actor_id: int | None) -> int:
    """Cancel every pending reminder of one person (taken off the roster), audited as one entry."""
    ids = list((await session.scalars(
        select(Reminder.id).where(Reminder.recipient_id == recipient_id, Reminder.state.in_((PENDING, CLAIMED)))
        .order_by(Reminder.id)
    )).all())
    if not ids:
        return 0
    await session.execute(
        update(Reminder).where(Reminder.id.in_(ids))
        .values(state=CANCELLED, lease_until=None, last_error="recipient removed from the roster")
        .execution_options(synchronize_session=False)
    )
    await audit.record(session, at=now, actor_id=actor_id, action="reminder.cancel_for_removed", entity="person",
                       entity_id=recipient_id, after={"cancelled": ids})
    return len(ids)


async def stop_for_inactive(session: AsyncSession) -> int:
    """Cancel pending rows addressed to anyone who is no longer an active member: nothing reaches them."""
    inactive = select(Person.telegram_id).where(Person.active.is_(False))
    result = await session.execute(
        update(Reminder)
        .where(Reminder.recipient_id.in_(inactive), Reminder.state.in_((PENDING, CLAIMED)))
        .values(state=CANCELLED, lease_until=None, last_error="recipient is not on the roster")
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


async def next_due_at(session: AsyncSession) -> datetime | None:
    """When the engine must next look: the earliest pending due time or running-out lease."""
    pending = await session.scalar(select(func.min(Reminder.due_at)).where(Reminder.state == PENDING))
    lease = await session.scalar(select(func.min(Reminder.lease_until)).where(Reminder.state == CLAIMED))
    times = [t for t in (pending, lease) if t is not None]
    return min(times) if times else None


async def overdue(session: AsyncSession, before: datetime) -> Sequence[Reminder]:
    """Pending rows due before `before`: missed too long ago to be sent one by one."""
    rows = await session.scalars(
        select(Reminder).where(Reminder.state == PENDING, Reminder.due_at < before, Reminder.kind.not_in(NOTICES))
        .order_by(Reminder.recipient_id, Reminder.due_at)
    )
    return rows.all()


async def mark_summarised(session: AsyncSession, ids: Sequence[int], now: datetime) -> set[int]:
    """Mark the rows summed up; returns the ids this transaction took. Another process summing up the same rows
    at the same time takes none of them (PostgreSQL: it waits on the row locks, then the state guard fails;
    SQLite: the write lock orders the two), so each missed reminder is in one summary only."""
    if not ids:
        return set()
    taken = await session.scalars(
        update(Reminder).where(Reminder.id.in_(ids), Reminder.state == PENDING)
        .values(state=SENT, sent_at=now, late=True, last_error="summarised after downtime")
        .returning(Reminder.id)
        .execution_options(synchronize_session=False)
    )
    return set(taken.all())


async def get(session: AsyncSession, reminder_id: int) -> Reminder | None:
    return await session.get(Reminder, reminder_id)


async def get_for(session: AsyncSession, reminder_id: int, recipient_id: int) -> Reminder | None:
    """The reminder, if it is addressed to this person (nobody acts on another's reminder)."""
    row = await session.get(Reminder, reminder_id)
    return row if row is not None and row.recipient_id == recipient_id else None


async def pending_for(session: AsyncSession, recipient_id: int, limit: int = 30) -> Sequence[Reminder]:
    rows = await session.scalars(
        select(Reminder).where(Reminder.recipient_id == recipient_id, Reminder.state == PENDING,
                               Reminder.kind.not_in(NOTICES))
        .order_by(Reminder.due_at, Reminder.id).limit(limit)
    )
    return rows.all()


_DUE_FOR = (select(Reminder.due_at, Reminder.text)
            .where(Reminder.recipient_id == bindparam("recipient_id"), Reminder.state == PENDING,
                   Reminder.kind.in_(bindparam("kinds", expanding=True)),
                   Reminder.due_at >= bindparam("due_from", type_=Reminder.due_at.type),
                   Reminder.due_at < bindparam("due_until", type_=Reminder.due_at.type))
            .order_by(Reminder.due_at, Reminder.id).limit(bindparam("limit")))


async def due_for(session: AsyncSession, recipient_id: int, kinds: Sequence[str], due_from: datetime,
                  due_until: datetime, limit: int) -> list[tuple[datetime, str]]:
    """(due_at, text) of the recipient's pending reminders of those kinds due in [due_from, due_until), soonest
    first (one prebuilt statement: an agenda's own part)."""
    rows = await readcache.read_rows(session, _DUE_FOR, {"recipient_id": recipient_id, "kinds": list(kinds),
                                                         "due_from": due_from, "due_until": due_until,
                                                         "limit": limit})
    return [(due_at, text) for due_at, text in rows]


async def pending_of_event(session: AsyncSession, event_id: int) -> Sequence[Reminder]:
    rows = await session.scalars(
        select(Reminder).where(Reminder.event_id == event_id, Reminder.state == PENDING)
    )
    return rows.all()


async def cancel_pending(session: AsyncSession, *, event_id: int | None = None, rule_id: int | None = None,
                         kinds: Sequence[str] | None = None, subjects: Sequence[str] | None = None) -> int:
    query = update(Reminder).where(Reminder.state == PENDING)
    if subjects:
        query = query.where(Reminder.subject.in_(subjects))
    if event_id is not None:
        query = query.where(Reminder.event_id == event_id)
    if rule_id is not None:
        query = query.where(Reminder.rule_id == rule_id)
    if kinds:
        query = query.where(Reminder.kind.in_(kinds))
    result = await session.execute(query.values(state=CANCELLED).execution_options(synchronize_session=False))
    return int(result.rowcount)  # type: ignore[attr-defined]


async def settle_delivered(session: AsyncSession, reminder_id: int, recipient_id: int, state: str) -> bool:
    """Record the recipient's answer to a delivered reminder, once: the UPDATE is guarded by ``state = 'sent'``
    so that of two presses (double taps, two replicas) exactly one changes the row; the other gets False.
    Run it first in its transaction: on SQLite a write after a read can fail if another process wrote."""
    result = await session.execute(
        update(Reminder)
        .where(Reminder.id == reminder_id, Reminder.recipient_id == recipient_id, Reminder.state == SENT)
        .values(state=state)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def snoozed_to(session: AsyncSession, reminder_id: int) -> datetime | None:
    """When a snoozed reminder comes again: the due time of the snooze it spawned."""
    return await session.scalar(
        select(func.max(Reminder.due_at)).where(Reminder.parent_id == reminder_id, Reminder.kind == "snooze")
    )


async def set_state(session: AsyncSession, reminder: Reminder, state: str) -> None:
    reminder.state = state
    await session.flush()


async def purge(session: AsyncSession, reminder_ids: Sequence[int]) -> None:
    await session.execute(delete(Reminder).where(Reminder.id.in_(reminder_ids)))


async def move(session: AsyncSession, reminder: Reminder, due_at: datetime) -> None:
    reminder.due_at = due_at
    await session.flush()
