"""Before `secretariat-bot run` serves: reach the database and the Bot API, or say in one line why not.

Application.initialize (bot.get_me) lets InvalidToken or NetworkError escape as a traceback (InvalidToken's
text holds the token). Here it is done first (bot/web.py serve), with a short backoff for an unreachable Bot
API and every failure turned into a StartupError: one line and the exit code (2: configuration, 1: anything
else).
"""

from __future__ import annotations

import asyncio
import warnings
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine
from telegram.error import InvalidToken, NetworkError, RetryAfter, TelegramError
from telegram.ext import Application
from telegram.warnings import PTBDeprecationWarning

from bot.config import Config
from bot.instance import AlreadyPolling, hold_polling_lock
from storage.migrate import current_revision, head_revision

# What an unreachable or misconfigured database raises (asyncpg's refused connection is a plain OSError).
DATABASE_ERRORS = (DBAPIError, ArgumentError, OSError)
DEFAULT_API = "https://api.telegram.org/bot"
BOT_API_REACHED = "bot_api_reached"  # bot_data key: getMe answered at start (/readyz reports it)

MAX_RETRY_AFTER = 60.0  # seconds; a longer flood wait at start is not waited out in full
AnyApplication = Application[Any, Any, Any, Any, Any, Any]
Sleep = Callable[[float], Awaitable[object]]


class StartupError(Exception):
    """A start-up failure, worded for one line on the terminal, with the exit code it calls for."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def describe(exc: BaseException) -> str:
    """The exception's type and the first line of its text (its traceback stays out of the terminal)."""
    lines = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {lines[0][:300]}" if lines else type(exc).__name__


def backoff(attempts: int, first: float) -> list[float]:
    """The waits between `attempts` tries: first, twice that, and so on (1, 2, 4 s)."""
    return [first * 2**index for index in range(attempts - 1)]


def _retry_after(exc: RetryAfter) -> float:
    with warnings.catch_warnings():  # PTB 22 warns that retry_after will become a timedelta
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


async def reach_bot_api(app: AnyApplication, *, attempts: int, first_wait: float, where: str,
                        sleep: Sleep = asyncio.sleep) -> None:
    """Initialise the application (getMe checks the token); retry while the Bot API cannot be reached."""
    waits = backoff(attempts, first_wait)
    last: TelegramError | None = None
    for attempt in range(attempts):
        try:
            await app.initialize()
            return
        except InvalidToken:
            raise StartupError(
                "텔레그램 Bot API가 봇 토큰을 거부했습니다 (401 Unauthorized) — telegram.token 또는 "
                "SECRETARIAT_BOT_TOKEN을 확인하세요", exit_code=2) from None
        except RetryAfter as exc:  # flood control at start: wait as long as asked, but at least the backoff
            last, wait = exc, min(_retry_after(exc), MAX_RETRY_AFTER)
        except NetworkError as exc:  # TimedOut is a NetworkError
            last, wait = exc, 0.0
        except TelegramError as exc:
            raise StartupError(f"텔레그램 Bot API가 시작 확인(getMe)을 거절했습니다 — {describe(exc)}") from None
        if attempt < len(waits):
            await sleep(max(waits[attempt], wait))
    assert last is not None
    raise StartupError(
        f"텔레그램 Bot API에 연결할 수 없습니다 ({where}, {attempts}회 시도) — {describe(last)}") from None


async def check_database(engine: AsyncEngine) -> None:
    """Open one connection (post_init then migrates over the same pool), or fail in one line."""
    try:
        async with engine.connect():
            pass
    except DATABASE_ERRORS as exc:
        raise StartupError(f"데이터베이스에 연결할 수 없습니다 — {describe(exc)}") from None


async def check_schema(engine: AsyncEngine) -> None:
    """With database.migrate_on_start = false: the schema must already be at head (`db upgrade` ran)."""
    current, head = await current_revision(engine), head_revision()
    if current != head:
        raise StartupError(f"데이터베이스 구조가 최신이 아닙니다 (현재 {current or '없음'}, 필요 {head}) — "
                           "먼저 `secretariat-bot db upgrade`를 실행하세요 (database.migrate_on_start = false)")


async def take_polling_lock(app: AnyApplication, config: Config) -> None:
    """Polling mode: refuse to be the second poller on this database (bot/instance.py)."""
    try:
        app.bot_data["polling_lock"] = await hold_polling_lock(config.database.url)
    except AlreadyPolling as exc:
        raise StartupError(str(exc)) from None
    except DATABASE_ERRORS as exc:
        raise StartupError(f"데이터베이스에 연결할 수 없습니다 — {describe(exc)}") from None


async def prepare(app: AnyApplication, config: Config) -> None:
    """Everything `run` needs before it serves, in PTB's order (getMe, then the database post_init
    migrates); on failure the application's resources are released. Polling mode has taken its lock before
    (bot/web.py serve: a second poller is refused before it tries the ops port)."""
    telegram = config.telegram
    try:
        await reach_bot_api(app, attempts=telegram.start_attempts, first_wait=telegram.start_backoff_seconds,
                            where=telegram.api_base_url or DEFAULT_API)
        app.bot_data[BOT_API_REACHED] = True
        await check_database(app.bot_data["engine"])
        if not config.database.migrate_on_start:
            await check_schema(app.bot_data["engine"])
    except BaseException:
        await release(app)
        raise


async def release(app: AnyApplication) -> None:
    """Close what build_application opened: the database engine and the Bot API connections (and the polling
    lock, if taken)."""
    if (lock := app.bot_data.pop("polling_lock", None)) is not None:
        await lock.release()
    await app.bot_data["engine"].dispose()
    await app.bot.request.shutdown()
