"""Several processes on one database: job claims, the once-a-day briefing (late when missed), the downtime summary
taken by one engine, migrations one at a time, and one poller per database."""

from __future__ import annotations

import asyncio
from datetime import datetime, time, timedelta

import pytest
from conftest import ADMIN_ID, SEOUL, STAFF_ID, make_config, make_harness, postgres_url, reset_postgres
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.clock import OFFSET_ENV, clock_from_env
from bot.config import Config
from bot.engine import ReminderEngine
from bot.instance import AlreadyPolling, hold_polling_lock
from bot.services.agenda import briefing_heading
from bot.startup import StartupError, check_schema
from storage import claims, people, reminders
from storage.db import make_engine, make_sessionmaker
from storage.migrate import current_revision, head_revision, upgrade
from storage.models import JobClaim, Reminder

LATE = "☀️ 아침 브리핑 (늦게 보내는 브리핑 — 08:30 예정이었음)"


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=SEOUL)  # type: ignore[misc]


async def test_two_claimers_one_wins(engine: AsyncEngine) -> None:
    """Two transactions claim the same day at once: the second waits for the first, then loses on the key."""
    sessionmaker = make_sessionmaker(engine)
    first_in = asyncio.Event()

    async def claimer(name: str, hold: float) -> bool:
        async with sessionmaker.begin() as session:
            if name == "b":
                await first_in.wait()
            won = await claims.claim(session, "briefing", "2018-07-20", name, at(2018, 7, 20, 8, 30))
            first_in.set()
            await asyncio.sleep(hold)  # the winner's transaction is still open while the other tries
            return won

    results = await asyncio.gather(claimer("a", 0.3), claimer("b", 0))
    assert results == [True, False]
    async with sessionmaker() as session:
        row = await claims.get(session, "briefing", "2018-07-20")
        assert row is not None and row.claimed_by == "a"
        assert await claims.claim(session, "briefing", "2018-07-23", "b", at(2018, 7, 23, 8, 30))  # another day


async def test_a_rolled_back_claim_is_free_again(engine: AsyncEngine) -> None:
    sessionmaker = make_sessionmaker(engine)
    with pytest.raises(RuntimeError):
        async with sessionmaker.begin() as session:
            assert await claims.claim(session, "briefing", "2018-07-20", "crashed", at(2018, 7, 20, 8, 30))
            raise RuntimeError("the process died before its commit")
    async with sessionmaker.begin() as session:
        assert await claims.claim(session, "briefing", "2018-07-20", "survivor", at(2018, 7, 20, 8, 31))


async def test_serialized_work_sees_what_the_first_committed(engine: AsyncEngine) -> None:
    """The start-up catch-up: the second process waits on the standing row, then finds the first one's rows."""
    sessionmaker = make_sessionmaker(engine)
    first_in = asyncio.Event()
    now = at(2018, 7, 20, 10)

    async def catch_up(name: str) -> int:
        async with sessionmaker.begin() as session:
            if name == "b":
                await first_in.wait()
            await claims.serialize(session, "startup", name, now)
            first_in.set()
            existing = await session.scalar(select(func.count()).select_from(Reminder).where(Reminder.kind == "alert"))
            if not existing:  # what the budget alerts do: check, then write
                await asyncio.sleep(0.3)
                await reminders.add_all(session, [reminders.new(kind="alert", text="x", due_at=now, now=now,
                                                                audience="admins")])
            return int(existing or 0)

    assert await asyncio.gather(catch_up("a"), catch_up("b")) == [0, 1]
    async with sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(Reminder)) == 1
        assert await session.scalar(select(func.count()).select_from(JobClaim)) == 1  # one standing row


def test_late_briefing_heading() -> None:
    assert briefing_heading(at(2018, 7, 20, 8, 30, 1), time(8, 30)) == "☀️ 아침 브리핑"
    assert briefing_heading(at(2018, 7, 20, 8, 34), time(8, 30)) == "☀️ 아침 브리핑"
    assert briefing_heading(at(2018, 7, 20, 10), time(8, 30)) == LATE
    later = briefing_heading(at(2018, 7, 20, 9, 40), time(9, 10))
    assert later == "☀️ 아침 브리핑 (늦게 보내는 브리핑 — 09:10 예정이었음)"


async def _briefings_sent(h: object) -> list[str]:
    engine = h.engine  # type: ignore[attr-defined]
    await engine.run_due()
    return [t for t in h.request.texts(ADMIN_ID) if "아침 브리핑" in t]  # type: ignore[attr-defined]


async def test_briefing_missed_while_down_is_sent_once_late_at_the_next_start(config: Config) -> None:
    async with make_harness(config, seeded=False) as h:
        await h.send(ADMIN_ID, "/briefing on")  # at 10:00 on Friday 7.20: today's 08:30 briefing was missed
    async with make_harness(config, seeded=False) as h:  # the next start, the same day
        (text,) = await _briefings_sent(h)
        assert text.startswith(LATE + "\n📅 오늘 일정")
    async with make_harness(config, seeded=False) as h:  # a start after that: already sent
        assert await _briefings_sent(h) == []


async def test_a_briefing_queued_yesterday_is_not_sent_today(config: Config) -> None:
    async with make_harness(config, seeded=False) as h:
        await h.send(ADMIN_ID, "/briefing on")
        async with h.runtime.sessionmaker.begin() as session:  # queued, then every process died until tomorrow
            await reminders.add_all(session, [reminders.new(
                kind=reminders.DAILY_BRIEFING, text="☀️ 아침 브리핑\nold", due_at=at(2018, 7, 19, 8, 30),
                now=at(2018, 7, 19, 8, 30), recipient_id=ADMIN_ID)])
        assert await _briefings_sent(h) == []
        async with h.runtime.sessionmaker() as session:
            row = await session.scalar(select(Reminder).where(Reminder.text.endswith("old")))
            assert row is not None and row.state == reminders.FAILED


async def test_two_engines_summarise_a_downtime_once(db_url: str) -> None:
    """Both replicas wake after a downtime at once: each missed reminder is in one summary, each recipient gets one
    summary, each recent reminder is sent once."""
    config = make_config(db_url)
    async with make_harness(config, seeded=False) as h:
        async with h.runtime.sessionmaker.begin() as session:
            await people.ensure_admins(session, frozenset({STAFF_ID}), h.clock.now())
            rows = [reminders.new(kind="personal", text=f"오래된 알림 {i}", now=at(2018, 7, 17), recipient_id=who,
                                  due_at=at(2018, 7, 17, 9) + timedelta(minutes=i))
                    for i in range(30) for who in (ADMIN_ID, STAFF_ID)]
            rows += [reminders.new(kind="personal", text=f"최근 알림 {i}", due_at=at(2018, 7, 20, 9, 59),
                                   now=at(2018, 7, 17), recipient_id=ADMIN_ID) for i in range(30)]
            await reminders.add_all(session, rows)
        second = ReminderEngine(h.app, h.runtime.reminder_settings, lease=timedelta(seconds=30))
        second.pacer = h.engine.pacer
        await asyncio.gather(h.engine.run_due(), second.run_due())
        admin = [str(c.params["text"]) for c in h.request.of("sendMessage") if c.params["chat_id"] == ADMIN_ID]
        staff = [str(c.params["text"]) for c in h.request.of("sendMessage") if c.params["chat_id"] == STAFF_ID]
    for texts in (admin, staff):
        summaries = [t for t in texts if t.startswith("봇이 멈춰 있던 동안")]
        assert len(summaries) == 1 and summaries[0].startswith("봇이 멈춰 있던 동안 보내지 못한 알림 30건")
    recent = sorted(t.split("\n")[-1] for t in admin if "최근 알림" in t)
    assert recent == sorted(f"최근 알림 {i}" for i in range(30))


async def test_concurrent_migrations_on_postgresql() -> None:
    """Two replicas starting together on an empty database: the advisory lock makes the second wait, then find
    the schema at head (without it, both create the same tables and one fails)."""
    url = postgres_url()
    await reset_postgres(url)
    engines = [make_engine(url), make_engine(url)]
    try:
        await asyncio.gather(*(upgrade(engine) for engine in engines))
        assert await current_revision(engines[0]) == head_revision()
    finally:
        for engine in engines:
            await engine.dispose()


async def test_outdated_schema_refused_when_start_does_not_migrate(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    try:
        with pytest.raises(StartupError) as refused:
            await check_schema(engine)
        assert "secretariat-bot db upgrade" in str(refused.value) and "현재 없음" in str(refused.value)
        await upgrade(engine)
        await check_schema(engine)
    finally:
        await engine.dispose()


async def test_second_poller_refused(db_url: str) -> None:
    first = await hold_polling_lock(db_url)
    try:
        with pytest.raises(AlreadyPolling) as refused:
            await hold_polling_lock(db_url)
        message = str(refused.value)
        assert message.startswith("이미 다른 비서실봇이 같은 데이터베이스(") and "웹훅 모드" in message
        assert "\n" not in message
    finally:
        await first.release()
    again = await hold_polling_lock(db_url)  # released: the next poller may start
    await again.release()


async def test_polling_lock_is_per_database(tmp_path: object) -> None:
    one = await hold_polling_lock(f"sqlite:///{tmp_path}/one.db")
    two = await hold_polling_lock(f"sqlite:///{tmp_path}/two.db")
    await one.release()
    await two.release()


async def test_clock_offset_from_the_environment() -> None:
    assert not clock_from_env(SEOUL, {}).shifted
    shifted = clock_from_env(SEOUL, {OFFSET_ENV: "-86400"})
    assert shifted.shifted and abs((datetime.now(SEOUL) - shifted.now()) - timedelta(days=1)) < timedelta(seconds=5)
    with pytest.raises(ValueError, match=OFFSET_ENV):
        clock_from_env(SEOUL, {OFFSET_ENV: "yesterday"})


async def test_postgres_advisory_locks_are_released_with_the_session() -> None:
    """A crashed poller's lock goes with its connection: the server ends the session."""
    url = postgres_url()
    first = await hold_polling_lock(url)
    engine = make_engine(url)
    try:
        async with engine.connect() as connection:
            pid = await connection.scalar(text(
                "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = "
                "(SELECT oid FROM pg_database WHERE datname = current_database()) LIMIT 1"))
            assert pid is not None
            await connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            await connection.commit()
        for _ in range(50):  # the backend exits a moment later
            try:
                again = await hold_polling_lock(url)
                break
            except AlreadyPolling:
                await asyncio.sleep(0.1)
        else:
            raise AssertionError("the lock outlived its session")
        await again.release()
    finally:
        await first.release()
        await engine.dispose()
