"""A 429 from the Bot API is handled: one WARNING line, never an ERROR with a traceback."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import pytest
from conftest import ADMIN_ID, fake_api_application
from fake_bot_api import FakeBotApi
from telegram import Update

from bot.context import BotApplication
from bot.updates import text_update, user_json
from storage import reminders


@pytest.fixture
async def app(fake: FakeBotApi, sqlite_url: str) -> AsyncIterator[BotApplication]:
    async with fake_api_application(fake, sqlite_url) as application:
        yield application


def _no_errors(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING and "429" in r.getMessage()]
    assert all(r.exc_info is None and "\n" not in r.getMessage() for r in warnings)
    return warnings


async def test_reminder_delivery_logs_a_429_as_one_warning(
    app: BotApplication, fake: FakeBotApi, caplog: pytest.LogCaptureFixture,
) -> None:
    runtime = app.bot_data["runtime"]
    async with runtime.sessionmaker.begin() as session:
        await reminders.add_all(session, [reminders.new(
            kind="personal", text="429 로그", due_at=runtime.now(), now=runtime.now(), recipient_id=ADMIN_ID)])
    fake.fail_next("sendMessage", error_code=429, retry_after=1)
    caplog.set_level(logging.INFO)
    assert await app.bot_data["reminder_engine"].run_due() == 1
    assert len(_no_errors(caplog)) == 1


async def test_a_reply_refused_with_429_logs_one_warning(
    app: BotApplication, fake: FakeBotApi, caplog: pytest.LogCaptureFixture,
) -> None:
    fake.fail_next("sendMessage", error_code=429, retry_after=1)
    caplog.set_level(logging.INFO)
    update = Update.de_json(text_update(user_json(ADMIN_ID, "관리자"), "/start"), app.bot)
    await app.process_update(update)
    assert len(_no_errors(caplog)) == 1
    refused = [call for call in fake.calls("sendMessage") if call.error_code == 429]
    assert len(refused) == 1 and len(fake.calls("sendMessage")) == 1  # no apology into the flood wait
