"""The bot's own cost per update, side by side with a bare python-telegram-bot Application (prints its figures;
run: python bench/update_cost.py [--runs 200]; PostgreSQL too when TEST_DATABASE_URL is set).

Both applications get the same updates through the same offline Bot API (bot/offline.py, no network), with the
rate limiter off (its ~30 messages/s pacing would be all a wall clock sees). The bare one has one handler that
answers every text with a fixed reply (and every button with an empty answer). Each update goes to both, one
after the other, and the kinds take turns (so every answer follows one about another subject, as in a real
chat, and the machine's noise falls on all alike). CPU is the process's CPU time (time.process_time: every
thread, aiosqlite's included) around `process_update`; wall is the elapsed time of the same call. Each lookup's
median CPU time is marked OK or OVER against TARGET_MS. The statements an update runs are counted in a separate,
untimed pass (SQLAlchemy's before_cursor_execute, on every engine: SQLite's small reads in the loop's thread
count too).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

from sqlalchemy import Engine, event  # noqa: E402
from telegram import Update  # noqa: E402
from telegram.ext import Application, CallbackQueryHandler, ContextTypes, MessageHandler, filters  # noqa: E402

from bench.imports import reset_and_seed  # noqa: E402
from bot.app import OFFLINE_TOKEN, build_application, running  # noqa: E402
from bot.clock import SEOUL, Clock  # noqa: E402
from bot.config import parse_config  # noqa: E402
from bot.offline import OfflineRequest  # noqa: E402
from bot.updates import callback_update, chat_json, text_update, user_json  # noqa: E402

TARGET_MS = 3.0
USER_ID = 111
NOW = datetime(2018, 7, 20, 10, 0, tzinfo=SEOUL)  # the report's month: its figures are the seeded ones
ECHO = "내일 3시 국장 회의 알려줘"
# (kind, text, is a lookup held to TARGET_MS)
KINDS = (
    ("budget", "업무추진비 잔액", True),
    ("pledges", "공약 현황", True),
    ("agenda", "9월 일정", True),
    ("fact", "자매도시 몇 곳이야?", True),
    ("not understood", "ㅁㄴㅇㄹ 블라블라", False),
    ("echo", ECHO, False),
)
BUTTON = "button (취소 on an echo)"


@dataclass
class Figures:
    cpu: list[float]
    wall: list[float]

    def median_cpu(self) -> float:
        return statistics.median(self.cpu)


def _p90(values: list[float]) -> float:
    return statistics.quantiles(values, n=10)[-1] if len(values) >= 2 else values[0]


async def _timed(app: Application[Any, Any, Any, Any, Any, Any], update: dict[str, Any], into: Figures) -> None:
    parsed = Update.de_json(update, app.bot)
    cpu, wall = time.process_time(), time.perf_counter()
    await app.process_update(parsed)
    into.cpu.append((time.process_time() - cpu) * 1000)
    into.wall.append((time.perf_counter() - wall) * 1000)


def _message(user: dict[str, Any], words: str) -> dict[str, Any]:
    return text_update(user, words, chat=chat_json(user["id"], "private", "사용자"))


def _cancel_button(request: OfflineRequest) -> tuple[dict[str, Any], str]:
    """The last echo the bot sent and its 취소 button's data."""
    for call in reversed(request.calls):
        for row in (call.params.get("reply_markup") or {}).get("inline_keyboard", []):
            for button in row:
                if button["text"] == "취소":
                    return call.result, button["callback_data"]
    raise SystemExit(f"no echo with a 취소 button after {ECHO!r}: the bench's echo no longer echoes")


def bare_application(request: OfflineRequest) -> Application[Any, Any, Any, Any, Any, Any]:
    """PTB with nothing of ours: a fixed reply to every text, an empty answer to every button."""
    async def reply(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_text("네.")

    async def press(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.callback_query is not None
        await update.callback_query.answer()

    app = Application.builder().token(OFFLINE_TOKEN).request(request).get_updates_request(request).build()
    app.add_handler(MessageHandler(filters.TEXT, reply))
    app.add_handler(CallbackQueryHandler(press))
    return app


async def measure(url: str, runs: int) -> tuple[dict[str, tuple[Figures, Figures]], dict[str, int]]:
    """Per kind: (the bot's figures, bare PTB's figures); and the statements one update of each kind runs."""
    await reset_and_seed(url)  # the database emptied, migrated and seeded with the report
    config = parse_config({"database": {"url": url}, "access": {"admins": [USER_ID]}}, "bench.toml", env={})
    request, bare_request = OfflineRequest(), OfflineRequest()
    app = build_application(config, request=request, clock=Clock(SEOUL, NOW), rate_limit=False)
    app.bot_data["reminder_engine"].scheduled = False  # no job-queue wake-ups in the middle of a measurement
    bare = bare_application(bare_request)
    user = user_json(USER_ID, "벤치")
    results: dict[str, tuple[Figures, Figures]] = {}
    statements: dict[str, int] = {}
    async with running(app), running(bare):
        results = {kind: (Figures([], []), Figures([], [])) for kind, _words, _lookup in KINDS}
        for at in range(runs + 10):  # the first ten rounds warm both up and are not counted
            for kind, words, _lookup in KINDS:  # round robin: each answer follows another subject's
                ours, theirs = results[kind] if at >= 10 else (Figures([], []), Figures([], []))
                await _timed(app, _message(user, words), ours)
                await _timed(bare, _message(user, words), theirs)
        ours, theirs = Figures([], []), Figures([], [])
        for at in range(runs + 10):
            await app.process_update(Update.de_json(_message(user, ECHO), app.bot))
            message, data = _cancel_button(request)
            await _timed(app, callback_update(user, message, data), Figures([], []) if at < 10 else ours)
            await _timed(bare, callback_update(user, message, data), Figures([], []) if at < 10 else theirs)
        results[BUTTON] = (ours, theirs)
        statements = await _count_statements(app, request, user)
    return results, statements


async def _count_statements(app: Any, request: OfflineRequest, user: dict[str, Any]) -> dict[str, int]:
    engine = Engine  # every engine: the async one's and SQLite's in-thread reads (storage/readcache.py)
    seen: list[str] = []

    def count(*_args: Any) -> None:
        seen.append("")

    event.listen(engine, "before_cursor_execute", count)
    counted = {}
    try:
        for kind, words, _lookup in KINDS:
            seen.clear()
            await app.process_update(Update.de_json(_message(user, words), app.bot))
            counted[kind] = len(seen)
        await app.process_update(Update.de_json(_message(user, ECHO), app.bot))
        message, data = _cancel_button(request)
        seen.clear()
        await app.process_update(Update.de_json(callback_update(user, message, data), app.bot))
        counted[BUTTON] = len(seen)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return counted


def report(name: str, results: dict[str, tuple[Figures, Figures]], statements: dict[str, int]) -> list[str]:
    lookups = {kind for kind, _words, lookup in KINDS if lookup}
    out = [f"\n{name}: CPU and wall ms per update (median / p90), {len(next(iter(results.values()))[0].cpu)} "
           f"updates of each kind; bare PTB in the same run",
           f"{'update':26} {'SQL':>4} {'CPU med':>8} {'p90':>6} {'wall med':>9} {'p90':>6} "
           f"{'bare CPU':>9} {'x bare':>7}  target"]
    for kind, (ours, theirs) in results.items():
        cpu, bare_cpu = ours.median_cpu(), theirs.median_cpu()
        verdict = ("OK" if cpu <= TARGET_MS else "OVER") + f" (<= {TARGET_MS:g} ms)" if kind in lookups else "-"
        out.append(f"{kind:26} {statements.get(kind, 0):>4} {cpu:8.2f} {_p90(ours.cpu):6.2f} "
                   f"{statistics.median(ours.wall):9.2f} {_p90(ours.wall):6.2f} {bare_cpu:9.2f} "
                   f"{cpu / bare_cpu if bare_cpu else float('inf'):7.1f}  {verdict}")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200, help="updates of each kind (default 200)")
    args = parser.parse_args()
    databases: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory() as folder:
        databases.append(("SQLite", f"sqlite:///{Path(folder) / 'bench.db'}"))
        if url := os.environ.get("TEST_DATABASE_URL"):
            databases.append(("PostgreSQL", url))
        else:
            print("TEST_DATABASE_URL is not set: SQLite only")
        lines = [f"update_cost: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}, "
                 f"{datetime.now().astimezone():%Y-%m-%d %H:%M %Z}"]
        for name, url in databases:
            results, statements = asyncio.run(measure(url, args.runs))
            lines += report(name, results, statements)
        print("\n".join(lines))


if __name__ == "__main__":
    main()
