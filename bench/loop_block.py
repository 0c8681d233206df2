"""Does heavy work block the event loop? (prints its figures; run: python bench/loop_block.py [ROWS])

The real application (build_application, offline Bot API, rate limiter off) on a fresh seeded database. One
admin asks "업무추진비 잔액" in a loop (a short pause between answers, as a person would not type faster) and
the time each lookup takes from update to reply is recorded:
  idle            — nothing else happening;
  during import   — another admin sends a ledger .xlsx of ROWS spending rows (50,000 by default, built here in
                    the layout of tests/test_budget_import.py, small amounts so no line is overdrawn and no
                    approval is needed), from upload to "장부 …건을 가져왔습니다";
  during charts   — a third admin asks "/budget chart" back to back, CHARTS times.
Each is measured with the CPU work in worker processes (bot/workers.py, the default) and with it on the event
loop (SECRETARIAT_BOT_WORKERS=off, as before), side by side in one run, on SQLite and on PostgreSQL when
TEST_DATABASE_URL is set (that database is emptied). Target (issue 13): lookup p99 under 300 ms while importing
and while charting.
"""

from __future__ import annotations

import asyncio
import io
import os
import random
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

from telegram import Update  # noqa: E402

from bench.imports import on_each_database, reset_and_seed  # noqa: E402
from bot import workers  # noqa: E402
from bot.app import build_application, running  # noqa: E402
from bot.clock import SEOUL, Clock  # noqa: E402
from bot.config import parse_config  # noqa: E402
from bot.context import BotApplication  # noqa: E402
from bot.engine import Pacer  # noqa: E402
from bot.offline import OfflineRequest  # noqa: E402
from bot.updates import document_update, text_update, user_json  # noqa: E402

ROWS = 50_000
CHARTS = 20
IDLE_LOOKUPS = 40
PAUSE = 0.02  # seconds between one answer and the next question
NOW = datetime(2018, 7, 20, 10, 0, tzinfo=SEOUL)
ASKER, IMPORTER, CHARTER = 111, 112, 113
LOOKUP = "업무추진비 잔액"
TARGET_MS = 300
MODES: tuple[workers.Mode, ...] = ("process", "off")
LEDGER_HEADER = ["일자", "과목", "분야", "금액(원)", "건수", "내용", "비고"]


def ledger_xlsx(count: int) -> bytes:
    """Spending rows from 7.1. to 7.20. (the report's day), 100–800 won each: no line is overdrawn."""
    import openpyxl

    rng = random.Random(7)
    lines, fields = ("기관운영", "시책추진"), ("직원격려", "간담회", "위문")
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("장부")
    sheet.append(LEDGER_HEADER)
    for n in range(count):
        sheet.append([date(2018, 7, 1) + timedelta(days=n % 20), lines[n % 2], fields[n % 3],
                      rng.randrange(1, 9) * 100, 1 + n % 3, f"업무 협의 다과 {n}", "" if n % 4 else "비고"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


LAG_TICK = 0.005
_LAG = [0.0]


async def _longest_lag() -> None:
    _LAG[0] = 0.0
    loop = asyncio.get_running_loop()
    while True:
        due = loop.time() + LAG_TICK
        await asyncio.sleep(LAG_TICK)
        _LAG[0] = max(_LAG[0], loop.time() - due)


class Bench:
    def __init__(self, app: BotApplication, request: OfflineRequest) -> None:
        self.app = app
        self.request = request

    async def feed(self, update: dict[str, Any]) -> list[Any]:
        before = len(self.request.calls)
        await self.app.process_update(Update.de_json(update, self.app.bot))
        return self.request.calls[before:]

    async def lookup(self) -> float:
        started = time.perf_counter()
        calls = await self.feed(text_update(user_json(ASKER, "질문자"), LOOKUP))
        took = time.perf_counter() - started
        assert any("업무추진비" in str(c.params.get("text", "")) for c in calls), calls
        return took

    async def lookups_while(self, work: Callable[[], Awaitable[str]], at_least: int = 0
                            ) -> tuple[list[float], float]:
        """Lookups one after another until `work` is done (and at least `at_least` of them), and the longest the
        event loop was late meanwhile (a timer of LAG_TICK seconds, how much later than due it fired)."""
        task = asyncio.ensure_future(work())
        lag = asyncio.ensure_future(_longest_lag())
        times: list[float] = []
        while not task.done() or len(times) < at_least:
            times.append(await self.lookup())
            await asyncio.sleep(PAUSE)
        await task
        lag.cancel()
        return times, _LAG[0]

    async def import_ledger(self, data: bytes) -> str:
        """Upload, then wait for the result (a large file is imported in a background task, answered when done)."""
        file_id = f"ledger-{len(self.request.files)}"
        self.request.files[file_id] = data
        before = len(self.request.calls)
        await self.feed(document_update(user_json(IMPORTER, "관리자"), file_id, "ledger.xlsx", len(data)))
        while True:
            texts = [str(c.params.get("text", "")) for c in self.request.calls[before:]
                     if c.method == "sendMessage" and c.params.get("chat_id") == IMPORTER]
            if done := [t for t in texts if "가져왔습니다" in t or "아무것도" in t]:
                assert "가져왔습니다" in done[0], done
                return done[0]
            await asyncio.sleep(0.05)

    async def charts(self) -> str:
        for _ in range(CHARTS):
            calls = await self.feed(text_update(user_json(CHARTER, "차트 보는 사람"), "/budget chart"))
            assert any(c.method == "sendPhoto" for c in calls), [c.params.get("text") for c in calls]
        return f"{CHARTS} charts"


async def measure(url: str, mode: workers.Mode, data: bytes) -> dict[str, tuple[list[float], float, float]]:
    """Lookup times, the loop's longest lag and the wall time of the other user's work, per phase, in one mode."""
    workers.set_mode(mode)
    await reset_and_seed(url)
    config = parse_config({"database": {"url": url}, "access": {"admins": [ASKER, IMPORTER, CHARTER]}},
                          "bench.toml", env={})
    request = OfflineRequest()
    app = build_application(config, request=request, clock=Clock(SEOUL, NOW), rate_limit=False)
    app.bot_data["reminder_engine"].pacer = Pacer(rate=10_000, per_chat=0)
    bench = Bench(app, request)
    phases: dict[str, tuple[list[float], float, float]] = {}

    async def nothing() -> str:
        return ""

    async with running(app):
        await bench.lookup()  # the first answer warms caches; not counted
        for phase, work, at_least in (("idle", nothing, IDLE_LOOKUPS),
                                      ("during import", lambda: bench.import_ledger(data), 0),
                                      ("during charts", bench.charts, 0)):
            started = time.perf_counter()
            times, lag = await bench.lookups_while(work, at_least)
            phases[phase] = (times, lag, time.perf_counter() - started)
    workers.shutdown()
    return phases


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _cell(times: list[float], lag: float, work: float) -> str:
    p50, p99 = statistics.median(times) * 1000, _percentile(times, 0.99) * 1000
    return (f"p50 {p50:5.0f} ms  p99 {p99:6.0f} ms  max {max(times) * 1000:6.0f} ms  n={len(times):<4} "
            f"loop late ≤ {lag * 1000:5.0f} ms  ({work:5.1f} s)")


async def run(label: str, url: str, data: bytes) -> None:
    results = {mode: await measure(url, mode, data) for mode in MODES}
    print(f"\n{label}: lookup reply time ('{LOOKUP}'), workers on (process pool) | off (on the event loop)")
    for phase in results[MODES[0]]:
        on, off = results["process"][phase], results["off"][phase]
        verdict = "" if phase == "idle" else (
            "  [ok]" if _percentile(on[0], 0.99) * 1000 < TARGET_MS else f"  [OVER {TARGET_MS} ms]")
        print(f"  {phase:<14} on:  {_cell(*on)}{verdict}")
        print(f"  {'':<14} off: {_cell(*off)}", flush=True)


async def main(rows: int) -> None:
    print(f"building a {rows:,}-row ledger .xlsx …", flush=True)
    data = ledger_xlsx(rows)
    print(f"{len(data) / 1e6:.1f} MB; {os.cpu_count()} cores; {time.strftime('%Y-%m-%d %H:%M')}", flush=True)
    await on_each_database(lambda label, url: run(label, url, data), "loop")


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else ROWS))
