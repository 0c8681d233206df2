"""인력 현황: the office's staffing table, and one number asked of it. No Telegram here."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from bot.runtime import Runtime
from bot.services import topics
from storage import staffing
from storage.models import StaffingRow


async def table(runtime: Runtime) -> Sequence[StaffingRow]:
    """The rows of the most recent staffing table, in the report's order."""
    async with runtime.sessionmaker() as session:
        return await staffing.latest(session)


@dataclass(frozen=True)
class Count:
    authorized: int  # 정원
    filled: int  # 현원
    as_of: date


async def count(runtime: Runtime, category: str | None, owner_id: int, chat_id: int) -> Count | None:
    """정원 and 현원 of one category (None: all), remembered as this chat's subject for a follow-up.
    None when no staffing table is stored."""
    async with runtime.sessionmaker.begin() as session:
        rows = await staffing.latest(session)
        await topics.remember(session, owner_id, chat_id, topics.Topic("staffing", "all"), runtime.now())
    if not rows:
        return None
    chosen = [r for r in rows if category is None or r.category == category]
    return Count(sum(r.authorized for r in chosen), sum(r.filled for r in chosen), rows[0].as_of)
