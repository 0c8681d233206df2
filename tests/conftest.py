"""Shared fixtures: config, databases, and the offline harness around the real build_application()."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from commit_guard import CommitGuard
from fake_bot_api import FakeBotApi
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from telegram import Update

from bot.app import build_application, running
from bot.clock import SEOUL, Clock
from bot.config import Config, parse_config
from bot.context import BotApplication
from bot.database import migrate_and_seed
from bot.engine import Pacer
from bot.offline import ApiCall, OfflineRequest
from bot.present import keys
from bot.services.conversation import Conversation, Open
from bot.updates import callback_update, chat_json, document_update, inline_query_update, text_update, user_json
from storage.db import make_engine
from storage.migrate import upgrade

ADMIN_ID = 111
STAFF_ID = 222
STRANGER_ID = 999
REPORT_NOW = datetime(2018, 7, 20, 10, 0, tzinfo=SEOUL)


def make_config(database_url: str, **sections: dict[str, Any]) -> Config:
    raw: dict[str, Any] = {"database": {"url": database_url}, "access": {"admins": [ADMIN_ID]}}
    for name, values in sections.items():
        raw.setdefault(name, {}).update(values)
    return parse_config(raw, "test.toml", env={})


@pytest.fixture
def fake() -> Iterator[FakeBotApi]:
    """The fake Bot API HTTP server on 127.0.0.1 (tests/fake_bot_api.py)."""
    with FakeBotApi() as server:
        yield server


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'test.db'}"


def postgres_url() -> str:
    """TEST_DATABASE_URL, or a skip with the reason (CI sets it, see .ci/run)."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        pytest.skip("TEST_DATABASE_URL is not set: PostgreSQL tests run where it is (CI sets it in .ci/run)")
    return url


async def reset_postgres(url: str) -> None:
    engine = make_engine(url)
    async with engine.begin() as conn:
        await conn.execute(text("DROP SCHEMA public CASCADE"))
        await conn.execute(text("CREATE SCHEMA public"))
    await engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
async def db_url(request: pytest.FixtureRequest, sqlite_url: str) -> str:
    """Each storage test once on SQLite and once on a freshly emptied PostgreSQL database."""
    if request.param == "sqlite":
        return sqlite_url
    url = postgres_url()
    await reset_postgres(url)
    return url


@pytest.fixture
async def engine(db_url: str) -> AsyncIterator[AsyncEngine]:
    """A migrated database engine, on SQLite and (with TEST_DATABASE_URL) PostgreSQL."""
    eng = make_engine(db_url)
    await upgrade(eng)
    yield eng
    await eng.dispose()


@dataclass
class Harness:
    """The real application over an offline Bot API; feed updates, read what the bot sent."""

    app: BotApplication
    request: OfflineRequest
    clock: Clock
    names: dict[int, str] = field(default_factory=dict)
    guard: CommitGuard | None = None

    def _user(self, user_id: int) -> dict[str, Any]:
        return user_json(user_id, self.names.get(user_id, f"사용자{user_id}"))

    async def _feed(self, update: dict[str, Any]) -> list[ApiCall]:
        before = len(self.request.calls)
        await self.app.process_update(Update.de_json(update, self.app.bot))
        return self.request.calls[before:]

    async def send(
        self, user_id: int, message: str, *, chat_id: int | None = None, chat_type: str = "private",
    ) -> list[ApiCall]:
        chat = chat_json(chat_id or user_id, chat_type, "단체방" if chat_type != "private" else "사용자")
        return await self._feed(text_update(self._user(user_id), message, chat=chat))

    async def press(self, user_id: int, message_call: ApiCall, data: str) -> list[ApiCall]:
        return await self._feed(callback_update(self._user(user_id), message_call.result, data))

    async def inline(self, user_id: int, query: str) -> list[ApiCall]:
        return await self._feed(inline_query_update(self._user(user_id), query))

    async def upload(self, user_id: int, file_name: str, data: bytes) -> list[ApiCall]:
        file_id = f"upload-{len(self.request.files) + 1}"
        self.request.files[file_id] = data
        return await self._feed(document_update(self._user(user_id), file_id, file_name, len(data)))

    async def tap(self, user_id: int, calls: list[ApiCall], label: str) -> list[ApiCall]:
        """Press the button labelled `label` (as a button shows it: bot/present/keys.label) on the last message in
        `calls` that has it, paging with "더 보기 ▶" as a user would when the keyboard is longer than a page."""
        shown = keys.label(label)
        for call in reversed(calls):
            markup = call.params.get("reply_markup") or {}
            while markup:
                more = None
                for row in markup.get("inline_keyboard", []):
                    for button in row:
                        if button["text"] in (label, shown):
                            return await self.press(user_id, call, button["callback_data"])
                        more = button if button["text"] == keys.MORE else more
                if more is None:
                    break
                paged = await self.press(user_id, call, more["callback_data"])
                markup = next((c.params.get("reply_markup") or {} for c in paged
                               if c.method == "editMessageReplyMarkup"), {})
        raise AssertionError(f"no button {label!r} in {[c.params.get('text') for c in calls]}")

    async def open_form(self, user_id: int, chat_id: int | None = None) -> Open | None:
        """The user's open form in that chat (their private chat by default), as the database holds it."""
        return await Conversation(self.runtime, user_id, chat_id or user_id).open_form()

    @property
    def runtime(self) -> Any:
        return self.app.bot_data["runtime"]

    @property
    def engine(self) -> Any:
        return self.app.bot_data["reminder_engine"]


def replies(calls: list[ApiCall]) -> list[str]:
    """Texts the bot sent or edited, or alerted with, in these calls."""
    out = []
    for call in calls:
        if call.method in ("sendMessage", "editMessageText"):
            out.append(str(call.params.get("text", "")))
        elif call.method == "answerCallbackQuery" and call.params.get("text"):
            out.append(str(call.params["text"]))
    return out


@pytest.fixture
def config(sqlite_url: str) -> Config:
    return make_config(sqlite_url)


@asynccontextmanager
async def make_harness(
    config: Config, request: OfflineRequest | None = None, *, seeded: bool = True, scheduled: bool = False,
) -> AsyncIterator[Harness]:
    """Start the real application offline, on the report's month, with the report's data loaded."""
    request = request or OfflineRequest()
    clock = Clock(SEOUL, REPORT_NOW)
    app = build_application(config, request=request, clock=clock)
    if seeded:
        await migrate_and_seed(str(config.database.url))
    # Tests drive delivery themselves (engine.run_due on a controlled clock, no job-queue wake-ups unless
    # `scheduled`), without Telegram's pacing.
    engine = app.bot_data["reminder_engine"]
    engine.pacer = Pacer(rate=10_000, per_chat=0)
    engine.scheduled = scheduled
    guard = CommitGuard(app.bot_data["engine"])  # no Bot API call inside a write transaction, in every flow
    request.listeners.append(guard.check)
    try:
        async with running(app):
            yield Harness(app, request, clock, guard=guard)
    finally:
        request.listeners.remove(guard.check)
        guard.close()
    assert not guard.violations, f"Bot API calls inside a write transaction: {guard.violations}"


@pytest.fixture
async def harness(config: Config) -> AsyncIterator[Harness]:
    async with make_harness(config) as h:
        yield h


@asynccontextmanager
async def fake_api_application(fake: FakeBotApi, database_url: str) -> AsyncIterator[BotApplication]:
    """The real application talking HTTP to the fake Bot API server; reminders delivered by the test, unpaced."""
    config = make_config(database_url, telegram={"token": fake.token, "api_base_url": fake.base_url})
    application = build_application(config, clock=Clock(SEOUL, REPORT_NOW))
    engine = application.bot_data["reminder_engine"]
    engine.scheduled = False
    engine.pacer = Pacer(rate=1000, per_chat=0)
    async with running(application):
        yield application
