"""Storage on SQLite (always) and PostgreSQL (when TEST_DATABASE_URL is set): migrations, pragmas, seed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, inspect, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from storage import invites, people
from storage.db import make_engine, make_sessionmaker, normalize_url
from storage.migrate import current_revision, head_revision, upgrade
from storage.models import StaffingRow
from storage.seed import SEED_FILE, SeedError, load_staffing, read_seed, seed

TABLES = {"people", "invite_codes", "audit_log", "staffing", "alembic_version"}
NOW = datetime(2018, 7, 20, 1, 0, tzinfo=UTC)


def test_plain_urls_get_async_drivers() -> None:
    assert normalize_url("sqlite:///data/x.db").drivername == "sqlite+aiosqlite"
    assert normalize_url("postgresql://u@localhost/db").drivername == "postgresql+asyncpg"
    assert normalize_url("postgres://u@localhost/db").drivername == "postgresql+asyncpg"
    with pytest.raises(ValueError):
        normalize_url("mysql://u@localhost/db")


async def test_migrations_create_every_table_at_head(engine: AsyncEngine) -> None:
    async with engine.connect() as conn:
        names = await conn.run_sync(lambda c: set(inspect(c).get_table_names()))
    assert names >= TABLES
    assert await current_revision(engine) == head_revision()
    await upgrade(engine)  # a second upgrade is a no-op
    assert await current_revision(engine) == head_revision()


async def test_sqlite_pragmas_on_every_connection(sqlite_url: str) -> None:
    eng = make_engine(sqlite_url)
    try:
        for _ in range(2):
            async with eng.connect() as conn:
                assert (await conn.execute(text("PRAGMA journal_mode"))).scalar() == "wal"
                assert (await conn.execute(text("PRAGMA busy_timeout"))).scalar() >= 5000
                assert (await conn.execute(text("PRAGMA foreign_keys"))).scalar() == 1
    finally:
        await eng.dispose()


async def test_seed_twice_equals_once(engine: AsyncEngine) -> None:
    maker = make_sessionmaker(engine)
    for _ in range(2):
        async with maker.begin() as session:
            assert (await seed(session))["staffing"] == 8
    async with maker() as session:
        rows = (await session.scalars(select(StaffingRow).order_by(StaffingRow.position))).all()
    assert len(rows) == 8
    assert sum(r.authorized for r in rows) == 19 and sum(r.filled for r in rows) == 19
    seventh = next(r for r in rows if r.grade == "7급")
    assert (seventh.authorized, seventh.filled, str(seventh.as_of)) == (1, 0, "2018-07-10")


async def test_seed_refuses_rows_that_contradict_the_totals(engine: AsyncEngine) -> None:
    section = dict(read_seed(SEED_FILE)["staffing"])
    section["totals"] = {"authorized": 20, "filled": 19}
    async with make_sessionmaker(engine)() as session:
        with pytest.raises(SeedError, match="authorized"):
            await load_staffing(session, section)


async def test_times_round_trip_aware(engine: AsyncEngine) -> None:
    maker = make_sessionmaker(engine)
    async with maker.begin() as session:
        await people.add_staff(session, 5, "가", None, NOW, actor_id=None)
    async with maker() as session:
        person = await people.get(session, 5)
    assert person is not None and person.joined_at == NOW and person.joined_at.tzinfo is not None


async def test_invite_claim_is_one_time_and_expires(engine: AsyncEngine) -> None:
    maker = make_sessionmaker(engine)
    async with maker.begin() as session:
        code = (await invites.create(session, 1, NOW)).code
    async with maker.begin() as session:
        assert await invites.claim(session, code, 7, NOW + timedelta(hours=1)) is invites.Redeemed.OK
    async with maker.begin() as session:
        assert await invites.claim(session, code, 8, NOW + timedelta(hours=2)) is invites.Redeemed.USED
        late = (await invites.create(session, 1, NOW)).code
        assert await invites.claim(session, late, 8, NOW + timedelta(hours=24)) is invites.Redeemed.EXPIRED
        assert await invites.claim(session, "nope", 8, NOW) is invites.Redeemed.UNKNOWN


async def test_deactivate_is_audited(engine: AsyncEngine) -> None:
    from storage.audit import history

    maker = make_sessionmaker(engine)
    async with maker.begin() as session:
        await people.add_staff(session, 5, "가", None, NOW, actor_id=None)
        assert await people.deactivate(session, 5, NOW, actor_id=1) is not None
        assert await people.deactivate(session, 5, NOW, actor_id=1) is None
    async with maker() as session:
        entries = await history(session, "person", 5)
        assert [e.action for e in entries] == ["person.join", "person.deactivate"]
        assert entries[1].before == {"name": "가", "role": "staff", "active": True}
        assert entries[1].after is not None and entries[1].after["active"] is False
        assert await session.scalar(select(func.count()).select_from(StaffingRow)) == 0


async def test_activity_tally_matches_the_records_across_month_edges(engine: AsyncEngine) -> None:
    from datetime import date as day_of

    from bot.clock import SEOUL
    from storage import fieldwork
    from storage.fieldwork import VisitDraft

    maker = make_sessionmaker(engine)
    days = [day_of(2018, 1, 1), day_of(2018, 1, 31), day_of(2018, 2, 1), day_of(2018, 3, 15), day_of(2018, 7, 19),
            day_of(2018, 7, 20), day_of(2018, 12, 31)]
    now = datetime(2018, 7, 20, 10, tzinfo=SEOUL)
    async with maker.begin() as session:
        for number, day in enumerate(days):
            when = datetime(day.year, day.month, day.day, 23, 30, tzinfo=SEOUL)  # late evening: still that day
            await fieldwork.add_visit(session, VisitDraft(when, "minute", False, "전통시장" if number % 2 else "기타",
                                                          district="강북구" if number < 4 else "종로구"), now, None)
    ranges = [(day_of(2018, 1, 1), day_of(2018, 12, 31)), (day_of(2018, 1, 1), day_of(2018, 7, 19)),
              (day_of(2018, 1, 31), day_of(2018, 2, 1)), (day_of(2018, 2, 2), day_of(2018, 7, 20)),
              (day_of(2018, 7, 20), day_of(2018, 7, 20))]
    async with maker() as session:
        for first, last in ranges:
            tally = await fieldwork.tally(session, "visit", first, last)
            expected = [d for d in days if first <= d <= last]
            assert tally.total == len(expected), (first, last)
            assert tally.by_district.get("강북구", 0) == sum(1 for d in expected if days.index(d) < 4)
