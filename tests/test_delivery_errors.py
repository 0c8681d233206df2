"""Delivery through the real HTTP path to the fake Bot API: 429, 403 and dropped connections."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from conftest import ADMIN_ID, fake_api_application
from fake_bot_api import FakeBotApi
from sqlalchemy import select

from bot.context import BotApplication
from storage import people, reminders
from storage.models import Delivery, Person, Reminder

MEMBER = 555


@pytest.fixture
async def app(fake: FakeBotApi, sqlite_url: str) -> AsyncIterator[BotApplication]:
    async with fake_api_application(fake, sqlite_url) as application:
        runtime = application.bot_data["runtime"]
        async with runtime.sessionmaker.begin() as session:
            await people.add_staff(session, MEMBER, "김주무관", None, runtime.now(), actor_id=None)
        yield application


async def _add(app: BotApplication, text: str, recipient: int, minutes: int = 0) -> int:
    runtime = app.bot_data["runtime"]
    now = runtime.now()
    async with runtime.sessionmaker.begin() as session:
        (row,) = await reminders.add_all(session, [reminders.new(
            kind="personal", text=text, due_at=now + timedelta(minutes=minutes), now=now, recipient_id=recipient)])
        return row.id


async def _row(app: BotApplication, reminder_id: int) -> tuple[Reminder, list[str]]:
    async with app.bot_data["runtime"].sessionmaker() as session:
        row = await session.get(Reminder, reminder_id)
        outcomes = (await session.scalars(select(Delivery.outcome).where(Delivery.reminder_id == reminder_id)
                                          .order_by(Delivery.id))).all()
    assert row is not None
    return row, list(outcomes)


async def test_retry_after_waits_and_sends_once(app: BotApplication, fake: FakeBotApi) -> None:
    reminder_id = await _add(app, "429 테스트", ADMIN_ID)
    fake.fail_next("sendMessage", error_code=429, retry_after=1)
    started = time.monotonic()
    assert await app.bot_data["reminder_engine"].run_due() == 1
    assert time.monotonic() - started >= 0.9  # it waited as told
    assert [m["text"] for m in fake.sent_messages(ADMIN_ID)] == ["429 테스트"]
    row, outcomes = await _row(app, reminder_id)
    assert row.state == "sent" and outcomes == ["rate_limited", "sent"]


async def test_forbidden_marks_recipient_and_stops_sending(app: BotApplication, fake: FakeBotApi) -> None:
    first = await _add(app, "차단 1", MEMBER)
    later = await _add(app, "차단 2", MEMBER, minutes=5)
    fake.fail_next("sendMessage", error_code=403, chat_id=MEMBER)
    engine = app.bot_data["reminder_engine"]
    assert await engine.run_due() == 0
    row, outcomes = await _row(app, first)
    assert row.state == "failed" and outcomes == ["blocked"]
    second, _ = await _row(app, later)
    assert second.state == "failed"  # no further sends to someone who blocked the bot
    async with app.bot_data["runtime"].sessionmaker() as session:
        person = await session.get(Person, MEMBER)
    assert person is not None and person.deliverable is False
    app.bot_data["runtime"].clock.advance(timedelta(minutes=6))
    assert await engine.run_due() == 0
    assert fake.sent_messages(MEMBER) == []


async def test_network_error_is_retried_with_backoff(app: BotApplication, fake: FakeBotApi) -> None:
    reminder_id = await _add(app, "네트워크", ADMIN_ID)
    fake.drop_connection_next("sendMessage")
    engine = app.bot_data["reminder_engine"]
    assert await engine.run_due() == 0
    row, outcomes = await _row(app, reminder_id)
    assert row.state == "pending" and row.attempts == 1 and outcomes == ["retry"]
    assert await engine.run_due() == 0  # backing off: not due yet
    app.bot_data["runtime"].clock.advance(timedelta(seconds=3))
    assert await engine.run_due() == 1
    row, outcomes = await _row(app, reminder_id)
    assert row.state == "sent" and outcomes == ["retry", "sent"]
    assert [m["text"] for m in fake.sent_messages(ADMIN_ID)] == ["네트워크"]


async def test_gives_up_after_max_attempts(app: BotApplication, fake: FakeBotApi) -> None:
    reminder_id = await _add(app, "포기", ADMIN_ID)
    fake.drop_connection_next("sendMessage", times=5)
    engine = app.bot_data["reminder_engine"]
    for _ in range(5):
        await engine.run_due()
        app.bot_data["runtime"].clock.advance(timedelta(minutes=5))
    row, outcomes = await _row(app, reminder_id)
    assert row.state == "failed" and outcomes == ["retry"] * 4 + ["failed"]
    assert "gave up after 5 attempts" in (row.last_error or "")
