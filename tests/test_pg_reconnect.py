"""PostgreSQL connections killed under a running bot (a server restart, a failover, an administrator's
pg_terminate_backend). The engine has no pre-ping (storage/db.py): a checkout replaces a connection asyncpg
already knows closed, and a statement that meets a dead one fails once and invalidates the pool. Updates go on
being answered (at most one apology, in Korean, while the loss is not yet noticed; none once it is), the
reminder engine goes on delivering, and the read cache's held autocommit connection (storage/readcache.py) is
replaced."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from conftest import ADMIN_ID, STAFF_ID, Harness, make_config, make_harness, postgres_url, replies, reset_postgres
from sqlalchemy import text

from handlers import texts
from storage import reminders
from storage.db import make_engine
from storage.readcache import SESSION_KEY, AutocommitReads, ReadCache

pytestmark = pytest.mark.postgres

QUESTION = "기관운영 얼마 남았어?"
ANSWER = "기관운영 잔액 193,004천원 (약 1억 9,300만원) — 7.20. 기준"
APOLOGIES = (texts.SOMETHING_WENT_WRONG, texts.GATE_FAULT)
OTHERS = "datname = current_database() AND pid <> pg_backend_pid()"


@pytest.fixture
async def bot() -> AsyncIterator[Harness]:
    """The application on PostgreSQL, a staff member on the roster, one budget lookup answered."""
    url = postgres_url()
    await reset_postgres(url)
    async with make_harness(make_config(url)) as h:
        from test_gate import _join

        await _join(h, STAFF_ID)
        assert replies(await h.send(STAFF_ID, QUESTION)) == [ANSWER]
        assert _reads(h).held is not None, "the budget lookup did not use the held autocommit connection"
        yield h


def _reads(h: Harness) -> AutocommitReads:
    cache = h.runtime.sessionmaker.kw["info"][SESSION_KEY]
    assert isinstance(cache, ReadCache) and cache.autocommit is not None
    return cache.autocommit


async def _terminate_all(*, wait: bool) -> int:
    """End every other backend of the database, from a connection of its own; with `wait`, until they are gone
    (pg_terminate_backend only signals them) and the bot's event loop has seen their sockets close."""
    engine = make_engine(postgres_url())
    try:
        async with engine.connect() as connection:
            killed = int(await connection.scalar(text(f"SELECT count(pg_terminate_backend(pid)) "
                                                      f"FROM pg_stat_activity WHERE {OTHERS}")) or 0)
            await connection.commit()
            for _ in range(100 if wait else 0):
                left = await connection.scalar(text(f"SELECT count(*) FROM pg_stat_activity WHERE {OTHERS} "
                                                    "AND backend_type = 'client backend'"))
                await connection.commit()
                if not left:
                    break
                await asyncio.sleep(0.05)
    finally:
        await engine.dispose()
    if wait:
        await asyncio.sleep(0.1)
    return killed


def _errors(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]


def _in_chat(h: Harness, chat_id: int) -> list[str]:
    return [str(c.params["text"]) for c in h.request.of("sendMessage") if c.params["chat_id"] == chat_id]


async def test_at_most_one_update_fails_right_after_the_kill(bot: Harness, caplog: pytest.LogCaptureFixture) -> None:
    """The updates come before the bot could notice: one may meet a dead connection, in Korean, logged once."""
    held = _reads(bot).held
    assert await _terminate_all(wait=False) >= 2  # the held connection and the pool's
    caplog.clear()
    answers = [replies(await bot.send(STAFF_ID, QUESTION)) for _ in range(3)]
    assert answers[1:] == [[ANSWER], [ANSWER]], answers
    if answers[0] != [ANSWER]:
        assert len(answers[0]) == 1 and answers[0][0] in APOLOGIES, answers
        assert len(_errors(caplog)) == 1, _errors(caplog)
    else:
        assert _errors(caplog) == []
    assert _reads(bot).held is not None and _reads(bot).held is not held
    assert await _reads(bot).rows(text("SELECT 1")) == [(1,)]


async def test_no_update_fails_once_the_connections_are_gone(bot: Harness,
                                                              caplog: pytest.LogCaptureFixture) -> None:
    """A restart while the bot was idle: the held connection is read again on a fresh one, the pool replaces
    the closed ones at checkout, and no one sees an error."""
    held = _reads(bot).held
    assert await _terminate_all(wait=True) >= 2
    caplog.clear()
    for _ in range(2):
        assert replies(await bot.send(STAFF_ID, QUESTION)) == [ANSWER]
    calls = await bot.send(STAFF_ID, "지출 5만원 시책추진 행사 다과")  # a write goes through as well
    assert "확인" in str(calls[-1].params.get("reply_markup"))
    done = replies(await bot.tap(STAFF_ID, calls, "확인"))[-1]
    assert "잔액 45,571천원" in done, done
    assert _errors(caplog) == []
    assert not any("오류가 발생했습니다" in t for t in _in_chat(bot, ADMIN_ID))  # no admin alert either
    assert _reads(bot).held is not None and _reads(bot).held is not held


async def test_reminder_engine_after_the_kill(bot: Harness, caplog: pytest.LogCaptureFixture) -> None:
    due = bot.clock.now() + timedelta(minutes=5)
    async with bot.runtime.sessionmaker.begin() as session:
        await reminders.add_all(session, [reminders.new(kind="personal", text="보고서 제출", due_at=due,
                                                        now=bot.clock.now(), recipient_id=STAFF_ID)])
    bot.clock.set(due - timedelta(seconds=1))
    await bot.engine.run_due()  # what the report's data holds before then: out of the way
    bot.request.clear()
    assert await _terminate_all(wait=True) >= 1
    caplog.clear()
    bot.clock.set(due)
    assert await bot.engine.run_due() == 1
    assert [(c.params["chat_id"], c.params["text"]) for c in bot.request.of("sendMessage")] == [
        (STAFF_ID, "보고서 제출")]
    assert _errors(caplog) == []
    assert replies(await bot.send(STAFF_ID, QUESTION)) == [ANSWER]  # the held connection, replaced
