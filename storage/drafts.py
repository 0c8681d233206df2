"""Draft rows: an echo waiting for 확인, a form between its steps, a question asked back.

Every change of state is a guarded ``UPDATE … WHERE state = 'open' AND expires_at > now`` on the owner's own
row, so of two presses (a double tap, two replicas) exactly one wins, an expired draft does nothing, and a
forged id of someone else's draft matches no row. Run the guarded call first in its transaction: on SQLite a
write after a read can fail if another process wrote in between.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum
from typing import Any

from sqlalchemy import Select, bindparam, delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage import readcache
from storage.models import Draft

OPEN, DONE, DROPPED = "open", "done", "dropped"


class Status(Enum):
    """Why a draft id given by a button can or cannot be acted on."""

    OPEN = "open"
    DONE = "done"  # already confirmed
    DROPPED = "dropped"  # cancelled or replaced
    EXPIRED = "expired"
    MISSING = "missing"  # no such draft, or not the presser's


async def create(
    session: AsyncSession, *, owner_id: int, chat_id: int, kind: str, payload: dict[str, Any], now: datetime,
    ttl: timedelta, step: str | None = None, state: str = OPEN,
) -> Draft:
    draft = Draft(owner_id=owner_id, chat_id=chat_id, kind=kind, payload=payload, state=state, step=step,
                  created_at=now, updated_at=now, expires_at=now + ttl)
    session.add(draft)
    await session.flush()
    return draft


async def get(session: AsyncSession, draft_id: int, owner_id: int) -> Draft | None:
    """The owner's draft with that id, in any state (None for another's or a missing id)."""
    return await session.scalar(select(Draft).where(Draft.id == draft_id, Draft.owner_id == owner_id))


def status(draft: Draft | None, now: datetime) -> Status:
    if draft is None:
        return Status.MISSING
    if draft.state == DONE:
        return Status.DONE
    if draft.state == DROPPED:
        return Status.DROPPED
    return Status.EXPIRED if draft.expires_at <= now else Status.OPEN


async def open_for(
    session: AsyncSession, owner_id: int, chat_id: int, now: datetime, kinds: Sequence[str] | None = None,
    *, forms_only: bool = False,
) -> Draft | None:
    """The owner's newest open draft in that chat (of those kinds; with a step only, for forms)."""
    query = select(Draft).where(Draft.owner_id == owner_id, Draft.chat_id == chat_id, Draft.state == OPEN,
                                Draft.expires_at > now)
    if kinds is not None:
        query = query.where(Draft.kind.in_(list(kinds)))
    if forms_only:
        query = query.where(Draft.step.is_not(None))
    return await session.scalar(query.order_by(Draft.id.desc()).limit(1))


@dataclass(frozen=True)
class Seen:
    """A draft as the router's look reads it (plain values: no ORM instance to load)."""

    id: int
    kind: str
    state: str
    step: str | None
    payload: dict[str, Any]
    created_at: datetime


def _look() -> Select[Any]:
    """The router's look as one statement, built once (bound per call): building and keying a statement of
    this size costs more than running it."""
    mine = (Draft.owner_id == bindparam("owner_id")) & (Draft.chat_id == bindparam("chat_id")) & \
        (Draft.expires_at > bindparam("now", type_=Draft.expires_at.type))
    newest = (select(func.max(Draft.id))
              .where(mine, (Draft.state == OPEN) | ((Draft.kind == bindparam("note_kind")) & (Draft.state == DONE)))
              .group_by(Draft.kind, Draft.state, Draft.step.is_(None)))
    return (select(Draft.id, Draft.kind, Draft.state, Draft.step, Draft.payload, Draft.created_at)
            .where(Draft.id.in_(newest)).order_by(Draft.id.desc()))


_LOOK = _look()


async def open_and_note(session: AsyncSession, owner_id: int, chat_id: int, now: datetime, note_kind: str
                        ) -> tuple[list[Seen], Seen | None]:
    """The owner's open drafts in that chat that :func:`open_for` could answer with — the newest form and the
    newest echo of each kind, newest first — and the newest unexpired note of `note_kind` there (as
    :func:`latest_note`), from one query whatever the number of echoes left unanswered: the router's look."""
    found = await readcache.read_rows(session, _LOOK, {"owner_id": owner_id, "chat_id": chat_id, "now": now,
                                                       "note_kind": note_kind})
    rows = [Seen(*row) for row in found]
    return [row for row in rows if row.state == OPEN], next((row for row in rows if row.state == DONE), None)


async def change(
    session: AsyncSession, draft_id: int, owner_id: int, now: datetime, *, payload: dict[str, Any] | None = None,
    step: str | None = None, clear_step: bool = False, ttl: timedelta | None = None,
) -> bool:
    """Rewrite an open draft's payload and/or step (a correction, the next question); False if it is not open."""
    values: dict[str, Any] = {"updated_at": now}
    if payload is not None:
        values["payload"] = payload
    if step is not None or clear_step:
        values["step"] = step
    if ttl is not None:
        values["expires_at"] = now + ttl
    return await _guarded(session, draft_id, owner_id, now, values)


async def finish(session: AsyncSession, draft_id: int, owner_id: int, now: datetime) -> bool:
    """Mark an open draft done; True for exactly one caller. Store what it holds in the same transaction."""
    return await _guarded(session, draft_id, owner_id, now, {"state": DONE, "updated_at": now})


async def drop(session: AsyncSession, draft_id: int, owner_id: int, now: datetime) -> bool:
    return await _guarded(session, draft_id, owner_id, now, {"state": DROPPED, "updated_at": now})


async def drop_open(session: AsyncSession, owner_id: int, chat_id: int, now: datetime, kinds: Sequence[str],
                    *, forms_only: bool = False) -> int:
    """Drop the owner's open drafts of those kinds in that chat (a new form of the same kind replaces them;
    with `forms_only`, echoes waiting for 확인 stay: each has its own buttons)."""
    query = update(Draft).where(Draft.owner_id == owner_id, Draft.chat_id == chat_id, Draft.state == OPEN,
                                Draft.kind.in_(list(kinds)))
    if forms_only:
        query = query.where(Draft.step.is_not(None))
    result = await session.execute(
        query.values(state=DROPPED, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


async def drop_all_open(session: AsyncSession, owner_id: int, chat_id: int, now: datetime) -> int:
    """Drop every open draft of the owner in that chat (/cancel)."""
    result = await session.execute(
        update(Draft)
        .where(Draft.owner_id == owner_id, Draft.chat_id == chat_id, Draft.state == OPEN)
        .values(state=DROPPED, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


async def purge(session: AsyncSession, now: datetime, keep: timedelta) -> int:
    """Delete drafts finished, dropped or expired more than `keep` ago (they have no effect either way)."""
    horizon = now - keep
    result = await session.execute(
        delete(Draft).where((Draft.expires_at < horizon) | ((Draft.state != OPEN) & (Draft.updated_at < horizon)))
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


async def _guarded(session: AsyncSession, draft_id: int, owner_id: int, now: datetime, values: dict[str, Any]) -> bool:
    result = await session.execute(
        update(Draft)
        .where(Draft.id == draft_id, Draft.owner_id == owner_id, Draft.state == OPEN, Draft.expires_at > now)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def keep_note(
    session: AsyncSession, *, owner_id: int, chat_id: int, kind: str, payload: dict[str, Any], now: datetime,
    ttl: timedelta,
) -> Draft:
    """A row that holds what the bot keeps for a while but nobody confirms (a long keyboard, the last subject
    answered): stored already done (one INSERT), so `open_for` never takes it for an echo or a form."""
    return await create(session, owner_id=owner_id, chat_id=chat_id, kind=kind, payload=payload, now=now, ttl=ttl,
                        state=DONE)


async def add_note(session: AsyncSession, *, owner_id: int, chat_id: int, kind: str, payload: dict[str, Any],
                   now: datetime, ttl: timedelta) -> None:
    """:func:`keep_note` in one INSERT, for a caller that needs no row back."""
    await session.execute(insert(Draft).values(owner_id=owner_id, chat_id=chat_id, kind=kind, payload=payload,
                                               state=DONE, step=None, created_at=now, updated_at=now,
                                               expires_at=now + ttl))


async def renew_note(session: AsyncSession, note_id: int, owner_id: int, kind: str, payload: dict[str, Any],
                     now: datetime, ttl: timedelta) -> bool:
    """Rewrite the owner's note `note_id` of `kind` (one UPDATE; a chat keeps one such note rather than one per
    change); False when it is gone (purged), so the caller adds one."""
    result = await session.execute(_RENEW, {"b_id": note_id, "b_owner_id": owner_id, "b_kind": kind,
                                            "b_payload": payload, "b_now": now, "b_expires_at": now + ttl})
    return bool(result.rowcount)  # type: ignore[attr-defined]


_RENEW = (update(Draft).where(Draft.id == bindparam("b_id"), Draft.owner_id == bindparam("b_owner_id"),
                              Draft.kind == bindparam("b_kind"), Draft.state == DONE)
          .values(payload=bindparam("b_payload", type_=Draft.payload.type),
                  created_at=bindparam("b_now", type_=Draft.created_at.type), updated_at=bindparam("b_now"),
                  expires_at=bindparam("b_expires_at", type_=Draft.expires_at.type))
          .execution_options(synchronize_session=False))


async def latest_note(session: AsyncSession, owner_id: int, chat_id: int, kind: str, now: datetime) -> Draft | None:
    """The newest unexpired note of that kind for the owner in that chat."""
    return await session.scalar(
        select(Draft).where(Draft.owner_id == owner_id, Draft.chat_id == chat_id, Draft.kind == kind,
                            Draft.state == DONE, Draft.expires_at > now).order_by(Draft.id.desc()).limit(1))
