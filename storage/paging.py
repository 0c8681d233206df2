"""One page of a query, and how many rows the whole query has."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession


async def page(session: AsyncSession, query: Select[Any], order: Sequence[Any], offset: int, limit: int
               ) -> tuple[Sequence[Any], int]:
    total = await session.scalar(select(func.count()).select_from(query.subquery()))
    rows = (await session.scalars(query.order_by(*order).offset(offset).limit(limit))).all()
    return rows, int(total or 0)
