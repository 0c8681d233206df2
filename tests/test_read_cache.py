"""The in-process read cache (storage/readcache.py): what one process writes — through the ORM, a service, a bulk
Core insert — is seen by another process (here: another engine on the same database) on its next read, on
SQLite and PostgreSQL; a transaction sees its own writes; the triggers behind it exist at head; a budget lookup
runs a bounded number of statements."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from conftest import ADMIN_ID, REPORT_NOW, Harness
from sqlalchemy import Engine, event, insert, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.clock import SEOUL, Clock
from bot.database import migrate_and_seed
from bot.runtime import Runtime
from bot.services import budget as budgeting
from bot.services import staff
from bot.services.fact_catalogue import read_catalogue
from storage import budget, people, readcache
from storage import facts as fact_store
from storage.cache_triggers import CACHED, OPERATIONS, trigger_name
from storage.db import make_engine, make_sessionmaker
from storage.facts import FactDraft
from storage.models import Person

NEW_FACT = FactDraft("cache-test", "캐시 시험 자료", ("캐시시험",), "하나", (), "시험", date(2018, 7, 1))


@dataclass
class Process:
    """One bot process's view of the database: its own engine, sessions and read cache."""

    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]

    def runtime(self) -> Runtime:
        return Runtime(sessionmaker=self.sessions, clock=Clock(SEOUL, REPORT_NOW), admins=frozenset({ADMIN_ID}),
                       allow_groups=False)


@pytest.fixture
async def two(db_url: str) -> AsyncIterator[tuple[Process, Process]]:
    """Two processes on one seeded database (a SQLite file, or PostgreSQL)."""
    await migrate_and_seed(db_url)
    engines = [make_engine(db_url), make_engine(db_url)]
    yield Process(engines[0], make_sessionmaker(engines[0])), Process(engines[1], make_sessionmaker(engines[1]))
    for engine in engines:
        await engine.dispose()


async def _keys(process: Process) -> set[str]:
    async with process.sessions() as session:
        return {fact.key for fact in (await read_catalogue(session)).facts}


async def _spent(process: Process) -> int:
    async with process.sessions() as session:
        book = await budgeting.open_book(session, REPORT_NOW.date())
        assert book is not None
        current = await budgeting.summary(session, book, date(2018, 12, 31))
        return current.total.spent or 0


async def test_an_orm_fact_written_by_one_process_is_read_by_the_other(two: tuple[Process, Process]) -> None:
    writer, reader = two
    before = await _keys(reader)
    assert "cache-test" not in before and before == await _keys(reader)  # the second read is the cached one
    async with writer.sessions.begin() as session:
        await fact_store.add_new(session, NEW_FACT, REPORT_NOW, None)
    assert await _keys(reader) == before | {"cache-test"}


async def test_an_update_reads_the_versions_once_and_the_next_update_sees_a_write(
        two: tuple[Process, Process]) -> None:
    writer, reader = two
    cache = readcache.cache_of(reader.sessions())
    assert cache is not None

    async def update() -> tuple[set[str], set[str], int]:
        readcache.new_update()
        before = cache.version_reads
        first, second = await _keys(reader), await _keys(reader)
        return first, second, cache.version_reads - before

    first, second, reads = await asyncio.create_task(update())
    assert first == second and reads == 1
    async with writer.sessions.begin() as session:
        await fact_store.add_new(session, NEW_FACT, REPORT_NOW, None)
    first, _, reads = await asyncio.create_task(update())
    assert "cache-test" in first and reads == 1


async def test_a_spending_entry_stored_by_the_service_moves_the_other_process_balance(
        two: tuple[Process, Process]) -> None:
    writer, reader = two
    before = await _spent(reader)
    assert await _spent(reader) == before
    runtime = writer.runtime()
    async with writer.sessions.begin() as session:
        book = await budgeting.open_book(session, REPORT_NOW.date())
        assert book is not None
        payload = {"day": "2018-07-19", "amount": 120_000, "line": book.lines[0].id, "field": book.fields[0].id,
                   "purpose": "간담회", "payments": 1}
        reply = await budgeting.store_entry(session, book, payload, ADMIN_ID, runtime)
        assert reply.startswith("기록했습니다")
    assert await _spent(reader) == before + 120_000


async def test_a_bulk_core_import_is_seen_by_the_other_process(two: tuple[Process, Process]) -> None:
    writer, reader = two
    before = await _spent(reader)
    async with writer.sessions.begin() as session:
        book = await budgeting.open_book(session, REPORT_NOW.date())
        assert book is not None
        drafts = [budget.EntryDraft(date(2018, 7, 2 + n % 20), 10_000, book.lines[n % 2].id, book.fields[0].id,
                                    f"일괄 {n}") for n in range(300)]
        assert await budget.add_entries(session, drafts, 2018, REPORT_NOW, ADMIN_ID) == 300
    assert await _spent(reader) == before + 300 * 10_000


async def test_a_roster_change_lets_the_new_member_in_on_the_other_process(two: tuple[Process, Process]) -> None:
    writer, reader = two
    assert await staff.member(reader.runtime(), 4242, "새 직원") is None
    async with writer.sessions.begin() as session:
        await people.add_staff(session, 4242, "새 직원", None, REPORT_NOW, actor_id=ADMIN_ID)
    member = await staff.member(reader.runtime(), 4242, "새 직원")
    assert member is not None and member.name == "새 직원" and not member.is_admin
    async with writer.sessions.begin() as session:  # a raw Core write, as a script or psql would make it
        await session.execute(insert(Person).values(telegram_id=4343, name="스크립트", role="staff", active=True,
                                                    joined_at=REPORT_NOW))
    assert await staff.member(reader.runtime(), 4343, "x") is not None
    async with writer.sessions.begin() as session:
        await people.deactivate(session, 4242, REPORT_NOW, ADMIN_ID)
    assert await staff.member(reader.runtime(), 4242, "새 직원") is None


async def test_a_transaction_reads_its_own_writes_and_a_rollback_leaves_nothing_cached(
        two: tuple[Process, Process]) -> None:
    writer, _ = two
    before = await _keys(writer)
    async with writer.sessions() as session:
        await fact_store.add_new(session, NEW_FACT, REPORT_NOW, None)
        assert "cache-test" in {f.key for f in (await read_catalogue(session)).facts}
        await session.rollback()
    assert await _keys(writer) == before


async def test_every_cached_table_has_its_triggers_at_head(engine: AsyncEngine) -> None:
    async with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            found = set((await conn.execute(text(
                "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"))).scalars())
            wanted = {trigger_name(table) for tables in CACHED.values() for table in tables}
        else:
            found = set((await conn.execute(text(
                "SELECT name FROM sqlite_master WHERE type = 'trigger'"))).scalars())
            wanted = {trigger_name(table, op) for tables in CACHED.values() for table in tables for op in OPERATIONS}
        assert wanted <= found
        assert set((await conn.execute(text("SELECT name FROM cache_versions"))).scalars()) == set(CACHED)


@pytest.fixture
def statements() -> Iterator[list[str]]:
    """Every statement any engine of this process runs (the async ones and SQLite's in-thread reads alike)."""
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        seen.append(statement)

    event.listen(Engine, "before_cursor_execute", count)
    yield seen
    event.remove(Engine, "before_cursor_execute", count)


async def test_a_budget_lookup_runs_at_most_three_statements(harness: Harness, statements: list[str]) -> None:
    """The roster, the facts, the book and the totals come from the cache: what is left is reading the cache's
    versions, the router's look at the chat's drafts and the note of the subject (a behaviour check, not a
    timing)."""
    await harness.send(ADMIN_ID, "자매도시 몇 곳이야?")  # another subject first: the note is written below
    await harness.send(ADMIN_ID, "업무추진비 잔액")
    await harness.send(ADMIN_ID, "자매도시 몇 곳이야?")
    statements.clear()
    said = await harness.send(ADMIN_ID, "업무추진비 잔액")
    assert "잔액" in str(said[-1].params["text"])
    assert len(statements) <= 3, statements
    assert not any(table in s for s in statements for table in ("FROM facts", "FROM budget_lines", "FROM people",
                                                                  "FROM spending_daily"))
    statements.clear()
    await harness.send(ADMIN_ID, "업무추진비 잔액")  # the same subject again: the note stays as it is
    assert len(statements) <= 2, statements
