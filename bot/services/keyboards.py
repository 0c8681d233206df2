"""Keyboards longer than a phone page: the whole keyboard is kept as a row, its page buttons name it.

Kept in the drafts table as a note (kind "keys", owner = the chat: anyone who sees the message may page it), so a page
button works after a restart and on another replica; it expires like any draft and then reads as stale.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.present.keys import Rows
from bot.runtime import Runtime
from storage import drafts

KIND = "keys"
TTL = timedelta(days=7)


async def keep(session: AsyncSession, chat_id: int, rows: Rows, now: datetime) -> int:
    draft = await drafts.keep_note(session, owner_id=chat_id, chat_id=chat_id, kind=KIND,
                                   payload={"rows": [[list(key) for key in row] for row in rows]}, now=now, ttl=TTL)
    return draft.id


async def kept(session: AsyncSession, stash_id: int, chat_id: int, now: datetime) -> Rows | None:
    """The keyboard kept under `stash_id` for that chat, or None (another chat's, expired or missing)."""
    draft = await drafts.get(session, stash_id, chat_id)
    if draft is None or draft.kind != KIND or draft.state != drafts.DONE or draft.expires_at <= now:
        return None
    return [[(str(text), str(data)) for text, data in row] for row in draft.payload["rows"]]


async def keep_for(runtime: Runtime, chat_id: int, rows: Rows) -> int:
    """Keep a long keyboard for its page buttons (the FittingBot's keyboard stash): its id."""
    async with runtime.sessionmaker.begin() as session:
        return await keep(session, chat_id, rows, runtime.now())


async def kept_for(runtime: Runtime, stash_id: int, chat_id: int) -> Rows | None:
    async with runtime.sessionmaker() as session:
        return await kept(session, stash_id, chat_id, runtime.now())
