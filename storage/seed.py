"""Load the report's sample data (seed_data/*.toml) into the database. Idempotent."""

from __future__ import annotations

import tomllib
from collections.abc import Awaitable, Callable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import StaffingRow

SEED_FILE = Path(__file__).with_name("seed_data") / "report_2018_07.toml"

SectionLoader = Callable[[AsyncSession, Mapping[str, Any]], Awaitable[int]]


class SeedError(ValueError):
    """The data file contradicts itself (e.g. a total that its rows do not add up to)."""


def read_seed(path: Path = SEED_FILE) -> dict[str, Any]:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def _check_sum(label: str, rows: list[Mapping[str, Any]], expected: Mapping[str, int]) -> None:
    for column, want in expected.items():
        got = sum(int(r[column]) for r in rows)
        if got != want:
            raise SeedError(f"staffing {label} {column}: rows add up to {got}, the report says {want}")


async def load_staffing(session: AsyncSession, section: Mapping[str, Any]) -> int:
    rows: list[Mapping[str, Any]] = section["rows"]
    _check_sum("total", rows, section["totals"])
    for category, expected in section["subtotals"].items():
        _check_sum(category, [r for r in rows if r["category"] == category], expected)
    as_of: date = section["as_of"]
    existing = {
        (r.category, r.grade): r
        for r in await session.scalars(select(StaffingRow).where(StaffingRow.as_of == as_of))
    }
    for position, row in enumerate(rows):
        current = existing.get((row["category"], row["grade"]))
        if current is None:
            current = StaffingRow(as_of=as_of, category=row["category"], grade=row["grade"])
            session.add(current)
        current.position = position
        current.authorized = row["authorized"]
        current.filled = row["filled"]
        current.source = section["source"]
    await session.flush()
    return len(rows)


# Section name in the data file -> its loader, in load order. Later features register theirs here.
LOADERS: dict[str, SectionLoader] = {
    "staffing": load_staffing,
}


async def seed(session: AsyncSession, data: Mapping[str, Any] | None = None) -> dict[str, int]:
    """Load every known section; returns the number of records per section."""
    data = read_seed() if data is None else data
    return {name: await loader(session, data[name]) for name, loader in LOADERS.items() if name in data}
