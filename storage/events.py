"""Events: things with a date (possibly known only to the month)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta, tzinfo
from typing import Protocol

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage import audit, bulk
from storage.models import AuditEntry, Event


@dataclass(frozen=True)
class EventDraft:
    """What a user (or the seed) says an event is, before it is stored."""

    title: str
    start_at: datetime
    precision: str
    end_at: datetime | None = None
    tentative: bool = False
    category: str = "일정"
    place: str | None = None
    note: str | None = None
    owner_id: int | None = None
    audience: str = "me"
    audience_ids: tuple[int, ...] | None = None
    lead_minutes: tuple[int, ...] | None = None
    source: str | None = None
    seed_key: str | None = None


def _snapshot(event: Event) -> dict[str, object]:
    return {
        "title": event.title, "start_at": event.start_at.isoformat(),
        "end_at": event.end_at.isoformat() if event.end_at else None, "precision": event.precision,
        "tentative": event.tentative, "cancelled": event.cancelled,
    }


def _apply(event: Event, draft: EventDraft) -> None:
    values = asdict(draft)
    values["audience_ids"] = list(draft.audience_ids) if draft.audience_ids else None
    values["lead_minutes"] = list(draft.lead_minutes) if draft.lead_minutes is not None else None
    for key, value in values.items():
        setattr(event, key, value)


async def create(session: AsyncSession, draft: EventDraft, now: datetime, actor_id: int | None) -> Event:
    event = Event(created_at=now, cancelled=False)
    _apply(event, draft)
    session.add(event)
    await session.flush()
    await audit.record(session, at=now, actor_id=actor_id, action="event.create", entity="event",
                       entity_id=event.id, after=_snapshot(event))
    return event


async def upsert_seeded(session: AsyncSession, draft: EventDraft, now: datetime) -> Event:
    """Create or refresh the event with this seed_key (seeding twice equals seeding once)."""
    assert draft.seed_key
    event = await by_seed_key(session, draft.seed_key)
    if event is None:
        return await create(session, draft, now, actor_id=None)
    _apply(event, draft)
    await session.flush()
    return event


async def upsert_many_seeded(session: AsyncSession, drafts: Sequence[EventDraft], now: datetime
                             ) -> dict[str, Event]:
    """upsert_seeded for many drafts (a bulk import) in a few statements: seed_key -> its event."""
    keys = [draft.seed_key for draft in drafts if draft.seed_key]
    found: dict[str, Event] = {}
    for part in bulk.chunks(keys):
        found.update((e.seed_key, e) for e in (await session.scalars(
            select(Event).where(Event.seed_key.in_(part)))).all() if e.seed_key)
    fresh = []
    for draft in drafts:
        assert draft.seed_key
        if draft.seed_key in found:
            _apply(found[draft.seed_key], draft)
        else:
            event = Event(created_at=now, cancelled=False)
            _apply(event, draft)
            fresh.append(bulk.values_of(event))
    await session.flush()
    for batch in bulk.chunks(fresh):  # inserted, then read back by their unique seed keys
        await bulk.insert_rows(session, Event, batch)
        created = (await session.scalars(select(Event).where(
            Event.seed_key.in_([value["seed_key"] for value in batch])))).all()
        found.update((e.seed_key, e) for e in created if e.seed_key)
        await bulk.insert_rows(session, AuditEntry, [
            {"at": now, "actor_id": None, "action": "event.create", "entity": "event", "entity_id": str(e.id),
             "before": None, "after": _snapshot(e)} for e in created])
    return found


async def get(session: AsyncSession, event_id: int) -> Event | None:
    return await session.get(Event, event_id)


async def reschedule(
    session: AsyncSession, event: Event, start_at: datetime, end_at: datetime | None, precision: str,
    tentative: bool, now: datetime, actor_id: int,
) -> Event:
    before = _snapshot(event)
    event.start_at, event.end_at, event.precision, event.tentative = start_at, end_at, precision, tentative
    await session.flush()
    await audit.record(session, at=now, actor_id=actor_id, action="event.reschedule", entity="event",
                       entity_id=event.id, before=before, after=_snapshot(event))
    return event


async def cancel(session: AsyncSession, event: Event, now: datetime, actor_id: int) -> None:
    before = _snapshot(event)
    event.cancelled = True
    await audit.record(session, at=now, actor_id=actor_id, action="event.cancel", entity="event",
                       entity_id=event.id, before=before, after=_snapshot(event))


async def overlapping(
    session: AsyncSession, start: datetime, end: datetime, user_id: int | None = None,
) -> Sequence[Event]:  # start and end carry the local zone: months and days are local ones
    """Events that touch [start, end), in date order, that user_id may see (None: everyone's)."""
    last = func.coalesce(Event.end_at, Event.start_at)
    query = (
        select(Event)
        .where(Event.cancelled.is_(False), Event.start_at < end, last >= start - SLACK)
        .order_by(Event.start_at, Event.id)
    )
    events = (await session.scalars(query)).all()
    return [e for e in events if finish(e, start.tzinfo) > start and shown_to(e, user_id)]


async def undated(session: AsyncSession, user_id: int | None = None) -> Sequence[Event]:
    """Month-precision events whose exact date is still to be fixed."""
    query = (select(Event).where(Event.cancelled.is_(False), Event.precision == "month")
             .order_by(Event.start_at, Event.id))
    return [e for e in (await session.scalars(query)).all() if shown_to(e, user_id)]


async def upcoming(session: AsyncSession, now: datetime, user_id: int | None, limit: int) -> Sequence[Event]:
    query = (select(Event).where(Event.cancelled.is_(False), func.coalesce(Event.end_at, Event.start_at)
                                 >= now - SLACK).order_by(Event.start_at, Event.id))
    events = [e for e in (await session.scalars(query)).all() if finish(e, now.tzinfo) > now and shown_to(e, user_id)]
    return events[:limit]


class Audience(Protocol):
    """Who an event is for (an Event, or a copy of these three kept in memory)."""

    @property
    def audience(self) -> str: ...

    @property
    def owner_id(self) -> int | None: ...

    @property
    def audience_ids(self) -> Sequence[int] | None: ...


def shown_to(event: Audience, user_id: int | None) -> bool:
    if user_id is None or event.audience == "team" or event.owner_id in (None, user_id):
        return True
    return bool(event.audience_ids and user_id in event.audience_ids)


def changeable_by(event: Event, user_id: int, is_admin: bool) -> bool:
    """Its owner may change an event; admins may change the office's (team, shared or unowned) events too,
    but nobody changes someone else's private event."""
    if event.owner_id == user_id:
        return True
    return is_admin and not (event.audience == "me" and event.owner_id is not None)


async def get_visible(session: AsyncSession, event_id: int, user_id: int) -> Event | None:
    """The event, if it exists, is not cancelled and this user may see it."""
    event = await session.get(Event, event_id)
    return event if event is not None and not event.cancelled and shown_to(event, user_id) else None


async def get_changeable(session: AsyncSession, event_id: int, user_id: int, is_admin: bool) -> Event | None:
    """The event, if this user may see and change it."""
    event = await get_visible(session, event_id, user_id)
    return event if event is not None and changeable_by(event, user_id, is_admin) else None


def finish(event: Event, tz: tzinfo | None) -> datetime:
    """The exclusive end of an event: its last minute, day or month (in tz) is inclusive."""
    last = (event.end_at or event.start_at).astimezone(tz)
    if event.precision == "month":
        month_start = last.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        return (month_start + timedelta(days=32)).replace(day=1)
    if event.precision == "day":
        return last.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
    return last + timedelta(minutes=1)


SLACK = timedelta(days=32)


async def unplanned(session: AsyncSession) -> Sequence[Event]:
    """Events whose reminders were never planned (seeded ones, before the bot first starts)."""
    query = select(Event).where(Event.planned_at.is_(None), Event.cancelled.is_(False)).order_by(Event.id)
    return (await session.scalars(query)).all()


async def by_seed_key(session: AsyncSession, seed_key: str) -> Event | None:
    return await session.scalar(select(Event).where(Event.seed_key == seed_key))
