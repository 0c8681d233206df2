"""Bulk writes for imports: plain executemany INSERTs in chunks.

RETURNING and the ORM's bulk INSERT are avoided on purpose: with SQLite both sent many rows one statement at a
time, which made a 50,000-row import take minutes. Callers that need the new ids read them back by a unique key.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any, TypeVar, cast

from sqlalchemy import Table, insert
from sqlalchemy.ext.asyncio import AsyncSession

CHUNK = 2_000  # rows per statement, and keys per IN (...): well under SQLite's and asyncpg's parameter limits

T = TypeVar("T")


def chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def values_of(row: Any) -> dict[str, Any]:
    """A new (transient) ORM object as the column values of its INSERT; an unset column gets its default."""
    values = {}
    for column in row.__table__.columns:
        if column.primary_key and column.autoincrement:
            continue
        value = getattr(row, column.key)
        if value is None and column.default is not None and column.default.is_scalar:
            value = column.default.arg
        values[column.key] = value
    return values


async def insert_rows(session: AsyncSession, model: Any, rows: Sequence[Mapping[str, Any]]) -> None:
    """INSERT the rows (each with the same keys) in chunks, as executemany of a Core statement (the ORM's bulk
    INSERT sends them one by one here)."""
    table = cast(Table, model.__table__)
    for part in chunks(rows):
        await session.execute(insert(table), list(part))
