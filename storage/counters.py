"""Add to running totals kept beside the rows they sum (insert or increment, on SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession


async def add_to(session: AsyncSession, model: Any, keys: Mapping[str, Any], amounts: Mapping[str, int]) -> None:
    """Row `keys` of `model` gets `amounts` added to its columns (created with them when missing)."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = insert(model).values(**keys, **amounts)
    statement = statement.on_conflict_do_update(
        index_elements=list(keys),
        set_={name: getattr(model, name) + getattr(statement.excluded, name) for name in amounts},
    )
    await session.execute(statement)
