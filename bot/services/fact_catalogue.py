"""The facts as the understanding step and the answers read them: every fact and its ranking index, built once
per change of the facts table and kept in memory while it is unchanged (storage/readcache.py)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from bot.lang.facts import FactEntry, FactIndex
from storage import facts as store
from storage import readcache
from storage.facts import FactRow


@dataclass(frozen=True)
class Catalogue:
    """Every fact, with what the understanding step ranks them by: built once per change of the facts table
    (kept in memory by storage/readcache.py while it is unchanged)."""

    facts: tuple[FactRow, ...]
    entries: tuple[FactEntry, ...]
    index: FactIndex

    def by_key(self, key: str) -> FactRow | None:
        return next((f for f in self.facts if f.key == key), None)


def _entries(facts: Sequence[FactRow]) -> tuple[FactEntry, ...]:
    return tuple(FactEntry(f.key, f.topic, f.questions, tuple(str(x.get("label", "")) for x in f.figures))
                 for f in facts)


async def _catalogue(session: AsyncSession) -> Catalogue:
    facts = await store.rows(session)
    entries = _entries(facts)
    return Catalogue(facts, entries, FactIndex(entries))


async def read_catalogue(session: AsyncSession) -> Catalogue:
    return await readcache.cached(session, "facts", "catalogue", _catalogue)
