"""Budget query benchmarks (prints its figures; run: python bench/budget.py).

The same reads the bot makes for a budget view, timed with 1,000 and with 1,000,000 spending entries in a
SQLite file: (1) the summary (lines, fields, openings, totals by line and by field, then summarize) and (2) a
line drill-down (the summary plus that line's daily series and monthly trend). Both read spending_daily,
the per-day aggregate kept in step with every insert, so the target is that 1M costs less than 2x 1k.
"""

from __future__ import annotations

import asyncio
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

from sqlalchemy import func, insert, select  # noqa: E402
from sqlalchemy.ext.asyncio import AsyncEngine  # noqa: E402

from bot.database import migrate  # noqa: E402
from bot.services import budget as budgeting  # noqa: E402
from storage import budget  # noqa: E402
from storage.db import make_engine, make_sessionmaker  # noqa: E402
from storage.models import SpendingDaily, SpendingEntry  # noqa: E402
from storage.seed import seed  # noqa: E402

YEAR = 2018
FIRST_DAY, LAST_DAY = date(2018, 7, 1), date(2018, 12, 31)
AS_OF = LAST_DAY
CHUNK = 50_000
RUNS = 50
SIZES = (1_000, 1_000_000)
PURPOSES = ("간담회 다과", "직원 격려 물품", "복지시설 위문품", "정책자문 회의 식대", "현장방문 음료")


def _entries(count: int, line_ids: list[int], field_ids: list[int], seed_value: int = 7
             ) -> Iterator[list[dict[str, Any]]]:
    """Entries spread over the second half of 2018, across every line and the first three fields, in chunks."""
    rng = random.Random(seed_value)
    days = [FIRST_DAY + timedelta(days=n) for n in range((LAST_DAY - FIRST_DAY).days + 1)]
    logged_at = datetime(2018, 7, 1, tzinfo=UTC)
    for start in range(0, count, CHUNK):
        yield [{"year": YEAR, "spent_on": rng.choice(days), "amount_won": rng.randrange(10, 500) * 1000,
                "line_id": rng.choice(line_ids), "field_id": rng.choice(field_ids), "purpose": rng.choice(PURPOSES),
                "payments": rng.randint(1, 3), "note": None, "logged_by": 1000 + i % 20, "logged_at": logged_at,
                "voided": False}
               for i in range(start, min(start + CHUNK, count))]


async def build(url: str, count: int) -> None:
    """Migrate, seed the report's lines and fields, bulk insert ``count`` entries and their daily aggregate."""
    await migrate(url)
    engine = make_engine(url)
    try:
        async with make_sessionmaker(engine).begin() as session:
            await seed(session)
            line_ids = [line.id for line in await budget.lines(session, YEAR)]
            field_ids = [field.id for field in await budget.fields(session, YEAR)][:3]
        daily: dict[tuple[int, int, date], list[int]] = {}
        started, done = time.perf_counter(), 0
        async with engine.begin() as connection:
            for chunk in _entries(count, line_ids, field_ids):
                await connection.execute(insert(SpendingEntry), chunk)
                for row in chunk:
                    total = daily.setdefault((row["line_id"], row["field_id"], row["spent_on"]), [0, 0])
                    total[0] += row["amount_won"]
                    total[1] += row["payments"]
                done += len(chunk)
                if count > CHUNK and (done % 250_000 == 0 or done == count):
                    print(f"    {done:>9,} / {count:,} entries  ({time.perf_counter() - started:5.1f} s)", flush=True)
            aggregate = [{"line_id": line, "field_id": field, "day": day, "amount_won": amount, "payments": payments}
                         for (line, field, day), (amount, payments) in daily.items()]
            for start in range(0, len(aggregate), CHUNK):
                await connection.execute(insert(SpendingDaily), aggregate[start:start + CHUNK])
    finally:
        await engine.dispose()


async def _summary(engine: AsyncEngine) -> None:
    async with make_sessionmaker(engine)() as session:
        book = await budgeting.open_book(session, AS_OF)
        assert book is not None
        await budgeting.summary(session, book, AS_OF)


async def _drill_down(engine: AsyncEngine) -> None:
    async with make_sessionmaker(engine)() as session:
        book = await budgeting.open_book(session, AS_OF)
        assert book is not None
        await budgeting.summary(session, book, AS_OF)
        await budgeting.trend(session, book, AS_OF, book.lines[0].id)


async def _median_ms(engine: AsyncEngine, task: Callable[[AsyncEngine], Awaitable[None]]) -> float:
    for _ in range(3):  # warm the connection pool and the statement caches
        await task(engine)
    samples = []
    for _ in range(RUNS):
        started = time.perf_counter()
        await task(engine)
        samples.append(time.perf_counter() - started)
    return statistics.median(samples) * 1000


async def _check(engine: AsyncEngine, count: int) -> int:
    """The data is what the benchmark says: ``count`` entries, and the aggregate adds up to them."""
    async with make_sessionmaker(engine)() as session:
        logged = await budget.totals(session, FIRST_DAY - timedelta(days=1), LAST_DAY, "line")
        entries = await session.scalar(select(func.count()).select_from(SpendingEntry))
        daily_rows = len(await budget.daily(session, FIRST_DAY - timedelta(days=1), LAST_DAY))
    assert entries == count and sum(t.payments for t in logged.values()) >= count, (entries, count)
    return daily_rows


async def measure(count: int, folder: str) -> dict[str, float]:
    path = Path(folder) / f"budget_{count}.db"
    url = f"sqlite:///{path}"
    print(f"  building {count:,} entries ...", flush=True)
    started = time.perf_counter()
    await build(url, count)
    built = time.perf_counter() - started
    engine = make_engine(url)
    try:
        days = await _check(engine, count)
        summary = await _median_ms(engine, _summary)
        drill = await _median_ms(engine, _drill_down)
    finally:
        await engine.dispose()
    size = path.stat().st_size + sum(p.stat().st_size for p in path.parent.glob(f"{path.name}-*"))
    return {"entries": count, "build_s": built, "days": days, "summary_ms": summary, "drill_ms": drill,
            "megabytes": size / 1e6}


async def run() -> list[dict[str, float]]:
    with tempfile.TemporaryDirectory() as folder:
        return [await measure(count, folder) for count in SIZES]


def main() -> None:
    print(f"Budget reads with 1k vs 1M spending entries (SQLite file, median of {RUNS} runs):")
    small, large = asyncio.run(run())
    print()
    print(f"  {'entries':>10} {'build s':>8} {'DB MB':>8} {'days':>5} {'summary ms':>11} {'drill-down ms':>14}")
    for row in (small, large):
        print(f"  {row['entries']:>10,.0f} {row['build_s']:>8.1f} {row['megabytes']:>8.1f} {row['days']:>5.0f} "
              f"{row['summary_ms']:>11.2f} {row['drill_ms']:>14.2f}")
    ratios = {key: large[key] / small[key] for key in ("summary_ms", "drill_ms")}
    print(f"  {'1M / 1k':>10} {'':>8} {'':>8} {'':>5} {ratios['summary_ms']:>10.2f}x {ratios['drill_ms']:>13.2f}x")
    verdict = "within" if max(ratios.values()) <= 2 else "OVER"
    print(f"  target: 1M within 2x of 1k -> {verdict} ({max(ratios.values()):.2f}x)")


if __name__ == "__main__":
    main()
