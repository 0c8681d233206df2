"""The roster as the access gate, /start, /staff and /invite use it: who may use the bot, invites and their
redemption, the list of staff and removing someone. No Telegram here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.runtime import Member, Runtime
from storage import invites, people, reminders

# Telegram user ids are positive and below 2^52; anything else is forged and never reaches the database.
MAX_USER_ID = 2**52


def valid_user_id(telegram_id: int) -> bool:
    return 0 < telegram_id < MAX_USER_ID


async def member(runtime: Runtime, telegram_id: int, fallback_name: str) -> Member | None:
    """The active roster member with this id, or None. Admin rights come from the config alone
    (access.admins, applied to the roster at start-up by people.ensure_admins)."""
    if not valid_user_id(telegram_id):
        return None
    async with runtime.sessionmaker() as session:
        listed = (await people.cached_roster(session)).get(telegram_id)
    person = listed if listed is not None and listed.active else None
    if person is not None and not person.deliverable:  # they blocked the bot once and now write again
        async with runtime.sessionmaker.begin() as session:
            await people.set_deliverable(session, telegram_id, True)
    if telegram_id in runtime.admins:
        known = person is not None and person.name != people.placeholder_name(telegram_id)
        return Member(telegram_id, person.name if person and known else fallback_name, is_admin=True)
    if person is None:
        return None
    return Member(telegram_id, person.name, is_admin=False)


async def redeem(runtime: Runtime, code: str, telegram_id: int, full_name: str, username: str | None) -> str | None:
    """Claim an invite code and join the roster: None when joined, else why not (an invites.Redeemed value)."""
    now = runtime.now()
    async with runtime.sessionmaker.begin() as session:
        outcome = await invites.claim(session, code, telegram_id, now)
        if outcome is not invites.Redeemed.OK:
            return str(outcome.value)
        await people.add_staff(session, telegram_id, full_name, username, now, actor_id=telegram_id)
    return None


@dataclass(frozen=True)
class Invite:
    code: str
    expires_at: datetime


async def new_invite(runtime: Runtime, admin_id: int) -> Invite:
    """A one-use invite code made by this admin."""
    async with runtime.sessionmaker.begin() as session:
        row = await invites.create(session, admin_id, runtime.now())
        return Invite(row.code, row.expires_at)


@dataclass(frozen=True)
class Listed:
    name: str
    telegram_id: int
    admin: bool


async def roster(runtime: Runtime) -> list[Listed]:
    """The active staff; an admin by role or by the config (access.admins)."""
    async with runtime.sessionmaker() as session:
        rows = await people.members(session)
        return [Listed(p.name, p.telegram_id, p.role == people.ADMIN or p.telegram_id in runtime.admins)
                for p in rows]


async def active_name(runtime: Runtime, telegram_id: int) -> str | None:
    """The name of the active staff member with this id, or None."""
    async with runtime.sessionmaker() as session:
        person = await people.active_member(session, telegram_id)
        return person.name if person is not None else None


@dataclass(frozen=True)
class Removed:
    name: str
    cancelled: int  # their pending reminders, cancelled with them


async def remove(runtime: Runtime, telegram_id: int, actor_id: int) -> Removed | None:
    """Take someone off the roster; their pending reminders stop with them (audited; the engine never sends to
    inactive people either). None when no active member has this id."""
    now = runtime.now()
    async with runtime.sessionmaker.begin() as session:
        person = await people.deactivate(session, telegram_id, now, actor_id=actor_id)
        if person is None:
            return None
        cancelled = await reminders.cancel_for_recipient(session, telegram_id, now, actor_id)
        return Removed(person.name, cancelled)
