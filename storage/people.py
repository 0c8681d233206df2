"""The roster: who may talk to the bot, and in which role."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage import audit, readcache
from storage.models import Person

ADMIN = "admin"
STAFF = "staff"


def placeholder_name(telegram_id: int) -> str:
    """The name a configured admin has until they write to the bot themselves."""
    return f"관리자 {telegram_id}"


def _snapshot(person: Person) -> dict[str, object]:
    return {"name": person.name, "role": person.role, "active": person.active}


async def get(session: AsyncSession, telegram_id: int) -> Person | None:
    return await session.get(Person, telegram_id)


@dataclass(frozen=True)
class Listed:
    """A roster row as the access gate keeps it in memory (storage/readcache.py)."""

    telegram_id: int
    name: str
    role: str
    active: bool
    deliverable: bool


async def roster(session: AsyncSession) -> Mapping[int, Listed]:
    """Everyone on the roster, active or not, by Telegram id."""
    rows = await session.execute(select(Person.telegram_id, Person.name, Person.role, Person.active,
                                        Person.deliverable))
    return MappingProxyType({row[0]: Listed(*row) for row in rows.all()})


async def cached_roster(session: AsyncSession) -> Mapping[int, Listed]:
    """The roster, from the read cache while the people table is unchanged."""
    return await readcache.cached(session, "people", None, roster)


async def active_member(session: AsyncSession, telegram_id: int) -> Person | None:
    person = await session.get(Person, telegram_id)
    return person if person is not None and person.active else None


async def ensure_admins(session: AsyncSession, admin_ids: Iterable[int], now: datetime) -> None:
    """The roster's admins are exactly the configured ones: configured admins are active admins, and anyone
    whose id left the configuration goes back to staff (audited)."""
    admin_ids = frozenset(admin_ids)
    former = select(Person).where(Person.role == ADMIN, Person.telegram_id.not_in(admin_ids))
    for demoted in (await session.scalars(former.order_by(Person.telegram_id))).all():
        before = _snapshot(demoted)
        demoted.role = STAFF
        await audit.record(session, at=now, actor_id=None, action="admin.demoted", entity="person",
                           entity_id=demoted.telegram_id, before=before, after=_snapshot(demoted))
    for telegram_id in sorted(admin_ids):
        person = await session.get(Person, telegram_id)
        if person is None:
            person = Person(telegram_id=telegram_id, name=placeholder_name(telegram_id), role=ADMIN, active=True,
                            joined_at=now)
            session.add(person)
            await session.flush()
            await audit.record(session, at=now, actor_id=None, action="admin.configured", entity="person",
                               entity_id=telegram_id, after=_snapshot(person))
        elif person.role != ADMIN or not person.active:
            before = _snapshot(person)
            person.role, person.active = ADMIN, True
            await audit.record(session, at=now, actor_id=None, action="admin.configured", entity="person",
                               entity_id=telegram_id, before=before, after=_snapshot(person))


async def add_staff(
    session: AsyncSession, telegram_id: int, name: str, username: str | None, now: datetime,
    actor_id: int | None,
) -> Person:
    """Register (or re-activate) a staff member."""
    person = await session.get(Person, telegram_id)
    before = _snapshot(person) if person else None
    if person is None:
        person = Person(telegram_id=telegram_id, name=name, username=username, role=STAFF, active=True,
                        joined_at=now)
        session.add(person)
    else:
        person.active = True
        person.name, person.username = name, username
    await session.flush()
    await audit.record(session, at=now, actor_id=actor_id, action="person.join", entity="person",
                       entity_id=telegram_id, before=before, after=_snapshot(person))
    return person


async def deactivate(session: AsyncSession, telegram_id: int, now: datetime, actor_id: int) -> Person | None:
    person = await session.get(Person, telegram_id)
    if person is None or not person.active:
        return None
    before = _snapshot(person)
    person.active = False
    await audit.record(session, at=now, actor_id=actor_id, action="person.deactivate", entity="person",
                       entity_id=telegram_id, before=before, after=_snapshot(person))
    return person


async def members(session: AsyncSession, *, include_inactive: bool = False) -> Sequence[Person]:
    query = select(Person).order_by(Person.role, Person.joined_at, Person.telegram_id)
    if not include_inactive:
        query = query.where(Person.active.is_(True))
    return (await session.scalars(query)).all()


async def set_deliverable(session: AsyncSession, telegram_id: int, deliverable: bool) -> None:
    """Telegram said 403 (blocked) or the person wrote again: record whether messages can reach them."""
    person = await session.get(Person, telegram_id)
    if person is not None and person.deliverable != deliverable:
        person.deliverable = deliverable
        await session.flush()


async def briefing_subscribers(session: AsyncSession) -> Sequence[Person]:
    query = select(Person).where(Person.active.is_(True), Person.briefing.is_(True), Person.deliverable.is_(True))
    return (await session.scalars(query.order_by(Person.telegram_id))).all()


async def _set_flag(session: AsyncSession, telegram_id: int, flag: str, on: bool, now: datetime) -> bool:
    """One of a person's own yes/no choices (briefing, report_push), audited as person.<flag>."""
    person = await session.get(Person, telegram_id)
    if person is None:
        return False
    before = {flag: getattr(person, flag)}
    setattr(person, flag, on)
    await audit.record(session, at=now, actor_id=telegram_id, action=f"person.{flag}", entity="person",
                       entity_id=telegram_id, before=before, after={flag: on})
    return True


async def set_briefing(session: AsyncSession, telegram_id: int, on: bool, now: datetime) -> bool:
    return await _set_flag(session, telegram_id, "briefing", on, now)


async def report_subscribers(session: AsyncSession) -> Sequence[Person]:
    """Admins who get the monthly work report: active, reachable, and not turned off with /report off."""
    query = select(Person).where(Person.active.is_(True), Person.role == ADMIN, Person.report_push.is_(True),
                                 Person.deliverable.is_(True))
    return (await session.scalars(query.order_by(Person.telegram_id))).all()


async def set_report_push(session: AsyncSession, telegram_id: int, on: bool, now: datetime) -> bool:
    return await _set_flag(session, telegram_id, "report_push", on, now)
