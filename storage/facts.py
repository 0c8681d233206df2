"""Facts: figures and statements from the report (and later ones), answerable in one line; history kept."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage import audit
from storage.models import Fact, FactHistory


@dataclass(frozen=True)
class FactDraft:
    key: str
    topic: str
    questions: tuple[str, ...]
    answer: str
    figures: tuple[dict[str, Any], ...]
    source: str
    as_of: date
    render: str | None = None


@dataclass(frozen=True)
class FactRow:
    """A fact as it is read and kept in memory (storage/readcache.py): plain values, no session."""

    id: int
    key: str
    topic: str
    questions: tuple[str, ...]
    answer: str
    figures: tuple[dict[str, Any], ...]
    render: str | None
    source: str
    as_of: date


def row_of(fact: Fact) -> FactRow:
    return FactRow(fact.id, fact.key, fact.topic, tuple(fact.questions), fact.answer,
                   tuple(dict(x) for x in fact.figures or ()), fact.render, fact.source, fact.as_of)


async def all_facts(session: AsyncSession) -> Sequence[Fact]:
    return (await session.scalars(select(Fact).order_by(Fact.id))).all()


async def rows(session: AsyncSession) -> tuple[FactRow, ...]:
    """Every fact, in the order they were added."""
    return tuple(row_of(fact) for fact in await all_facts(session))


async def by_key(session: AsyncSession, key: str) -> Fact | None:
    return await session.scalar(select(Fact).where(Fact.key == key))


async def history(session: AsyncSession, fact: Fact | FactRow, limit: int = 10) -> Sequence[FactHistory]:
    return (await session.scalars(select(FactHistory).where(FactHistory.fact_id == fact.id)
                                  .order_by(FactHistory.at.desc(), FactHistory.id.desc()).limit(limit))).all()


KEY_LENGTH = 64  # facts.key


async def add_new(session: AsyncSession, draft: FactDraft, now: datetime, by: int | None) -> Fact:
    """Insert a new fact under ``draft.key``, or the first free of ``key-2``, ``key-3``…: an add never
    overwrites (updating is :func:`save` on an existing key). Should another process take the same key in
    between, the unique index refuses the insert and nothing is written."""
    taken = set((await session.scalars(
        select(Fact.key).where(Fact.key.startswith(draft.key, autoescape=True)))).all())
    stem = draft.key[: KEY_LENGTH - 6]
    key = next(k for k in (draft.key, *(f"{stem}-{n}" for n in range(2, len(taken) + 3))) if k not in taken)
    fact = Fact(key=key, topic=draft.topic, questions=list(draft.questions), answer=draft.answer,
                figures=list(draft.figures), source=draft.source, as_of=draft.as_of, render=draft.render,
                entered_by=by, updated_at=now)
    session.add(fact)
    await session.flush()
    await audit.record(session, at=now, actor_id=by, action="fact.add", entity="fact", entity_id=key,
                       after={"answer": draft.answer[:500], "as_of": draft.as_of.isoformat(), "source": draft.source})
    return fact


def _same(fact: Fact, draft: FactDraft) -> bool:
    return (fact.topic, list(fact.questions), fact.answer, list(fact.figures), fact.source, fact.as_of,
            fact.render) == (draft.topic, list(draft.questions), draft.answer, list(draft.figures), draft.source,
                             draft.as_of, draft.render)


async def save(session: AsyncSession, draft: FactDraft, now: datetime, by: int | None, *, keep_history: bool = True
               ) -> tuple[Fact, bool]:
    """Create or update by key; an update keeps the previous value in the history. Returns (fact, changed)."""
    fact = await by_key(session, draft.key)
    if fact is not None and _same(fact, draft):
        return fact, False
    if fact is None:
        fact = Fact(key=draft.key)
        session.add(fact)
    elif keep_history:
        session.add(FactHistory(fact_id=fact.id, at=now, by=by, answer=fact.answer, figures=list(fact.figures),
                                source=fact.source, as_of=fact.as_of))
    fact.topic, fact.questions, fact.answer = draft.topic, list(draft.questions), draft.answer
    fact.figures, fact.source, fact.as_of, fact.render = list(draft.figures), draft.source, draft.as_of, draft.render
    fact.entered_by, fact.updated_at = by, now
    await session.flush()
    await audit.record(session, at=now, actor_id=by, action="fact.save", entity="fact", entity_id=draft.key,
                       after={"answer": draft.answer[:500], "as_of": draft.as_of.isoformat(), "source": draft.source})
    return fact, True
