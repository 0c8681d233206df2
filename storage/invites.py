"""One-time invite codes for deep links (t.me/<bot>?start=CODE)."""

from __future__ import annotations

import enum
import secrets
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from storage import audit
from storage.models import InviteCode

VALIDITY = timedelta(hours=24)


class Redeemed(enum.Enum):
    OK = "ok"
    UNKNOWN = "unknown"
    EXPIRED = "expired"
    USED = "used"


async def create(session: AsyncSession, created_by: int, now: datetime) -> InviteCode:
    invite = InviteCode(code=secrets.token_urlsafe(12), created_by=created_by, created_at=now,
                        expires_at=now + VALIDITY)
    session.add(invite)
    await session.flush()
    await audit.record(session, at=now, actor_id=created_by, action="invite.create", entity="invite",
                       entity_id=invite.code[:6], after={"expires_at": invite.expires_at.isoformat()})
    return invite


async def claim(session: AsyncSession, code: str, telegram_id: int, now: datetime) -> Redeemed:
    """Mark the code used by telegram_id, atomically; the caller registers the person in the same
    transaction."""
    invite = await session.get(InviteCode, code)
    if invite is None:
        return Redeemed.UNKNOWN
    if invite.used_by is not None:
        return Redeemed.USED
    if invite.expires_at <= now:
        return Redeemed.EXPIRED
    # Guarded update: two people opening the same link at once cannot both win.
    result = await session.execute(
        update(InviteCode)
        .where(InviteCode.code == code, InviteCode.used_by.is_(None))
        .values(used_by=telegram_id, used_at=now)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        return Redeemed.USED
    await session.refresh(invite)
    return Redeemed.OK
