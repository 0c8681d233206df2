"""The office's staffing table (인력 현황)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import StaffingRow


async def latest(session: AsyncSession) -> Sequence[StaffingRow]:
    """The rows of the most recent staffing table, in the report's order."""
    newest = await session.scalar(select(func.max(StaffingRow.as_of)))
    if newest is None:
        return []
    return await rows_as_of(session, newest)


async def rows_as_of(session: AsyncSession, as_of: date) -> Sequence[StaffingRow]:
    rows = await session.scalars(
        select(StaffingRow).where(StaffingRow.as_of == as_of).order_by(StaffingRow.position)
    )
    return rows.all()
