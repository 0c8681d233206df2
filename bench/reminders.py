"""Reminder delivery benchmarks (prints its figures; run: python bench/reminders.py).

1. 1,000 reminders due at once to 1,000 chats, through the real HTTP path to the fake Bot API server (which
   answers 429 when Telegram would): messages per second, 429 answers, lost and doubled.
2. 100,000 pending reminders in the database: start-up to ready, and the delay between a reminder's due
   time and its sending when the bot is idle.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from fake_bot_api import FakeBotApi  # noqa: E402
from sqlalchemy import insert  # noqa: E402

from bot.app import build_application, running  # noqa: E402
from bot.config import parse_config  # noqa: E402
from bot.database import migrate  # noqa: E402
from storage import reminders  # noqa: E402
from storage.db import make_engine  # noqa: E402
from storage.models import Reminder  # noqa: E402

FIRST_CHAT = 1_000_000


def _config(url: str, fake: FakeBotApi | None) -> object:
    telegram = {"token": fake.token, "api_base_url": fake.base_url} if fake else {}
    return parse_config({"telegram": telegram, "database": {"url": url}}, "bench", env={})


async def throughput(count: int = 1000) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder, FakeBotApi(enforce_limits=True) as fake:
        url = f"sqlite:///{folder}/bench.db"
        app = build_application(_config(url, fake))  # type: ignore[arg-type]
        engine = app.bot_data["reminder_engine"]
        engine.scheduled = False
        async with running(app):
            runtime = app.bot_data["runtime"]
            now = runtime.now()
            async with runtime.sessionmaker.begin() as session:
                await reminders.add_all(session, [reminders.new(
                    kind="personal", text=f"알림 {i}", due_at=now, now=now, recipient_id=FIRST_CHAT + i)
                    for i in range(count)])
            started = time.perf_counter()
            sent = await engine.run_due()
            elapsed = time.perf_counter() - started
        calls = [c for c in fake.calls("sendMessage") if int(c.params["chat_id"]) >= FIRST_CHAT]
        delivered = Counter(int(c.params["chat_id"]) for c in calls if c.ok)
        return {
            "sent": sent, "seconds": elapsed, "per_second": len(delivered) / elapsed,
            "answers_429": sum(1 for c in calls if c.error_code == 429),
            "lost": count - len(delivered), "doubled": sum(1 for n in delivered.values() if n > 1),
        }


async def _fill(url: str, count: int) -> None:
    await migrate(url)
    database = make_engine(url)
    from datetime import datetime

    from bot.clock import SEOUL

    now = datetime.now(SEOUL)
    rows = [{"kind": "personal", "text": f"나중 알림 {i}", "due_at": now + timedelta(days=1, seconds=i),
             "recipient_id": FIRST_CHAT + i % 5000, "audience": "me", "state": "pending", "attempts": 0,
             "late": False, "created_at": now} for i in range(count)]
    async with database.begin() as connection:
        for start in range(0, count, 10_000):
            await connection.execute(insert(Reminder), rows[start:start + 10_000])
    await database.dispose()


async def idle_latency(pending: int = 100_000, samples: int = 5) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder, FakeBotApi() as fake:
        url = f"sqlite:///{folder}/bench.db"
        await _fill(url, pending)
        app = build_application(_config(url, fake))  # type: ignore[arg-type]
        started = time.perf_counter()
        async with running(app):
            await app.bot_data["reminder_engine"].run_due()  # the first pass: catch-up over the pending rows
            ready = time.perf_counter() - started
            runtime = app.bot_data["runtime"]
            delays = []
            for sample in range(samples):
                due = runtime.now() + timedelta(seconds=1.5)
                async with runtime.sessionmaker.begin() as session:
                    await reminders.add_all(session, [reminders.new(
                        kind="personal", text=f"측정 {sample}", due_at=due, now=runtime.now(), recipient_id=42)])
                runtime.wake()
                marker = f"측정 {sample}"
                await asyncio.to_thread(fake.wait_for, "sendMessage", lambda c, m=marker: c.params.get("text") == m)
                delays.append((runtime.now() - due).total_seconds())
        return {"pending": pending, "ready_seconds": ready, "delay_max": max(delays),
                "delay_median": sorted(delays)[len(delays) // 2]}


def main() -> None:
    burst = asyncio.run(throughput())
    print("1,000 reminders to 1,000 chats through the fake Bot API (429 enforced as Telegram would):")
    print(f"  delivered {burst['sent']:.0f} in {burst['seconds']:.1f} s = {burst['per_second']:.1f} messages/s "
          f"(target >= 29); 429 answers: {burst['answers_429']:.0f}; lost: {burst['lost']:.0f}; "
          f"doubled: {burst['doubled']:.0f}")
    idle = asyncio.run(idle_latency())
    print(f"{idle['pending']:,.0f} pending reminders in the database:")
    print(f"  start-up to ready: {idle['ready_seconds']:.2f} s")
    print(f"  due -> sent when idle: median {idle['delay_median'] * 1000:.0f} ms, "
          f"max {idle['delay_max'] * 1000:.0f} ms (target < 1 s)")


if __name__ == "__main__":
    main()
