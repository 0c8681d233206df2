"""Field work query benchmarks (prints its figures; run: python bench/visits.py).

The reads the bot makes for visits and meetings, timed on a SQLite file with 1,000 visits + 1,000 meetings and
on one with 100,000 + 100,000, spread over 2018 across the 25 districts and the configured categories and
meeting types: (1) a month's visit list, first page (storage.fieldwork.visits_between, limit 10, offset 0: the
page and a COUNT of the month), (2) the same for one district, (3) the year's statistics for visits and
(4) for meetings (storage.fieldwork.tally, which reads activity_counts, the per-day aggregate kept in step with
every record). The rows and their aggregate are bulk inserted (add_visit keeps them in step one by one, too slow
for 100k), then checked to agree. The target is that the large database costs less than 2x the small one.
"""

from __future__ import annotations

import asyncio
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

from sqlalchemy import func, insert, select  # noqa: E402
from sqlalchemy.ext.asyncio import AsyncEngine  # noqa: E402

from bot.clock import SEOUL  # noqa: E402
from bot.config import FieldworkConfig  # noqa: E402
from bot.database import migrate  # noqa: E402
from storage import fieldwork  # noqa: E402
from storage.db import make_engine, make_sessionmaker  # noqa: E402
from storage.models import ActivityCount, ActivityMonth, Meeting, Visit  # noqa: E402
from storage.seed import seed  # noqa: E402

YEAR = 2018
FIRST_DAY, LAST_DAY = date(YEAR, 1, 1), date(YEAR, 12, 31)
MONTH_START, MONTH_END = datetime(YEAR, 7, 1, tzinfo=SEOUL), datetime(YEAR, 8, 1, tzinfo=SEOUL)
DISTRICT = "강북구"
CHUNK = 20_000
RUNS = 50
BLOCK = 10  # consecutive runs on one database
SIZES = (1_000, 100_000)  # visits, and as many meetings
CONFIG = FieldworkConfig()
PLACES = ("전통시장", "복지관", "경로당", "공사 현장", "한강공원", "도서관", "주민센터", "어린이집", "배수펌프장")
PEOPLE = ("행정1부시장", "복지정책실장", "안전총괄실장", "도시계획국장", "구청장", "지역 주민 대표")
COUNTERPARTS = ("시의회 의장단", "행정자치위원회", "구청장협의회", "(예시) 김의원", "부구청장단", "환경수자원위원회")
AGENDAS = ("폭염 대책", "예산 협의", "주거 정책", "골목상권 활성화", "미세먼지 대응", "도시재생")
LOGGED_AT = datetime(YEAR, 1, 1, tzinfo=UTC)
TASKS = ("month list", "district list", "tally visits", "tally meetings")


def _moments(rng: random.Random) -> Iterator[datetime]:
    """Times during office hours on random days of the year, aware (UTC), as the records store them."""
    days = (LAST_DAY - FIRST_DAY).days + 1
    while True:
        day = FIRST_DAY + timedelta(days=rng.randrange(days))
        local = datetime(day.year, day.month, day.day, rng.randrange(8, 20), rng.choice((0, 10, 30, 40)),
                         tzinfo=SEOUL)
        yield local.astimezone(UTC)


def _visits(count: int, districts: list[str], rng: random.Random) -> Iterator[list[dict[str, Any]]]:
    moments = _moments(rng)
    for start in range(0, count, CHUNK):
        yield [{"when_at": next(moments), "precision": "day" if i % 10 == 0 else "minute", "planned": i % 7 == 0,
                "place": rng.choice(PLACES), "district": rng.choice(districts),
                "category": rng.choice(CONFIG.visit_categories), "purpose": "현장 점검",
                "participants": rng.sample(PEOPLE, 2), "council_briefing": None, "council_invited": [],
                "notes": None, "photos": [], "logged_by": 1000 + i % 20, "logged_at": LOGGED_AT, "deleted": False}
               for i in range(start, min(start + CHUNK, count))]


def _meetings(count: int, rng: random.Random) -> Iterator[list[dict[str, Any]]]:
    moments = _moments(rng)
    for start in range(0, count, CHUNK):
        yield [{"when_at": next(moments), "precision": "minute", "planned": i % 7 == 0,
                "meeting_type": rng.choice(CONFIG.meeting_types), "counterpart": rng.choice(COUNTERPARTS),
                "attendees": rng.sample(PEOPLE, 3), "agenda": rng.choice(AGENDAS), "outcome": None, "notes": None,
                "photos": [], "logged_by": 1000 + i % 20, "logged_at": LOGGED_AT, "deleted": False}
               for i in range(start, min(start + CHUNK, count))]


def _count_key(kind: str, row: dict[str, Any]) -> tuple[str, date, str, str]:
    """The activity_counts key storage.fieldwork keeps for a record (the day in local time)."""
    category = row["category"] if kind == "visit" else row["meeting_type"]
    return kind, row["when_at"].astimezone(SEOUL).date(), row.get("district") or "", category


async def build(url: str, count: int) -> None:
    """Migrate, seed (the 25 districts), bulk insert ``count`` visits and meetings and their activity_counts."""
    await migrate(url)
    engine = make_engine(url)
    rng = random.Random(7)
    try:
        async with make_sessionmaker(engine).begin() as session:
            await seed(session)
            districts = await fieldwork.districts(session)
        counts: Counter[tuple[str, date, str, str]] = Counter()
        async with engine.begin() as connection:
            for kind, model, chunks in (("visit", Visit, _visits(count, districts, rng)),
                                        ("meeting", Meeting, _meetings(count, rng))):
                for chunk in chunks:
                    await connection.execute(insert(model), chunk)
                    counts.update(_count_key(kind, row) for row in chunk)
            aggregate = [{"kind": kind, "day": day, "district": district, "category": category, "count": n}
                         for (kind, day, district, category), n in counts.items()]
            months: Counter[tuple[str, date, str, str]] = Counter()
            for (kind, day, district, category), n in counts.items():
                months[(kind, day.replace(day=1), district, category)] += n
            monthly = [{"kind": kind, "month": month, "district": district, "category": category, "count": n}
                       for (kind, month, district, category), n in months.items()]
            for table, rows in ((ActivityCount, aggregate), (ActivityMonth, monthly)):
                for start in range(0, len(rows), CHUNK):
                    await connection.execute(insert(table), rows[start:start + CHUNK])
    finally:
        await engine.dispose()


async def _check(engine: AsyncEngine, count: int) -> int:
    """The data is what the benchmark says: ``count`` rows of each kind, activity_counts and tally add up to them
    (in all, and for the district's month the lists read); returns the number of activity_counts rows."""
    async with make_sessionmaker(engine)() as session:
        for kind, model in (("visit", Visit), ("meeting", Meeting)):
            rows = await session.scalar(select(func.count()).select_from(model))
            aggregated = await session.scalar(select(func.sum(ActivityCount.count)).where(ActivityCount.kind == kind))
            tallied = await fieldwork.tally(session, kind, FIRST_DAY, LAST_DAY)
            assert rows == aggregated == tallied.total == count, (kind, rows, aggregated, tallied.total, count)
        visits = await fieldwork.tally(session, "visit", FIRST_DAY, LAST_DAY)
        assert set(visits.by_district) == set(await fieldwork.districts(session))
        month = await fieldwork.tally(session, "visit", MONTH_START.date(), MONTH_END.date() - timedelta(days=1))
        _, listed = await fieldwork.visits_between(session, MONTH_START, MONTH_END, district=DISTRICT)
        assert month.by_district[DISTRICT] == listed, (month.by_district[DISTRICT], listed)  # local days agree
        return int(await session.scalar(select(func.count()).select_from(ActivityCount)) or 0)


async def _month_list(engine: AsyncEngine) -> int:
    async with make_sessionmaker(engine)() as session:
        rows, total = await fieldwork.visits_between(session, MONTH_START, MONTH_END, offset=0, limit=10)
    assert len(rows) == min(10, total)
    return total


async def _district_list(engine: AsyncEngine) -> int:
    async with make_sessionmaker(engine)() as session:
        rows, total = await fieldwork.visits_between(session, MONTH_START, MONTH_END, district=DISTRICT, offset=0,
                                                     limit=10)
    assert len(rows) == min(10, total)
    return total


async def _tally(engine: AsyncEngine, kind: str) -> int:
    async with make_sessionmaker(engine)() as session:
        return (await fieldwork.tally(session, kind, FIRST_DAY, LAST_DAY)).total


async def _tally_visits(engine: AsyncEngine) -> int:
    return await _tally(engine, "visit")


async def _tally_meetings(engine: AsyncEngine) -> int:
    return await _tally(engine, "meeting")


async def _medians_ms(engines: list[AsyncEngine], task: Callable[[AsyncEngine], Awaitable[int]]
                      ) -> list[tuple[float, int]]:
    """Per database, the median time of ``task`` and what it counted (the list's total, the tally's total). The
    databases take turns in blocks of runs, so a change in the machine's load weighs on all of them alike (and the
    first run of a block, with the caches taken by the other database, does not move the median)."""
    counted = [0] * len(engines)
    for _ in range(3):  # warm the connection pools and the statement caches
        counted = [await task(engine) for engine in engines]
    samples: list[list[float]] = [[] for _ in engines]
    for _ in range(RUNS // BLOCK):
        for engine, times in zip(engines, samples, strict=True):
            for _ in range(BLOCK):
                started = time.perf_counter()
                await task(engine)
                times.append(time.perf_counter() - started)
    return [(statistics.median(times) * 1000, n) for times, n in zip(samples, counted, strict=True)]


async def run() -> list[dict[str, Any]]:
    with tempfile.TemporaryDirectory() as folder:
        paths = [Path(folder) / f"visits_{count}.db" for count in SIZES]
        results: list[dict[str, Any]] = []
        for count, path in zip(SIZES, paths, strict=True):
            print(f"  building {count:,} visits + {count:,} meetings ...", flush=True)
            started = time.perf_counter()
            await build(f"sqlite:///{path}", count)
            size = path.stat().st_size + sum(p.stat().st_size for p in path.parent.glob(f"{path.name}-*"))
            results.append({"records": count, "build_s": time.perf_counter() - started, "megabytes": size / 1e6,
                            "ms": {}, "counted": {}})
        engines = [make_engine(f"sqlite:///{path}") for path in paths]
        try:
            for engine, count, result in zip(engines, SIZES, results, strict=True):
                result["aggregate_rows"] = await _check(engine, count)
            for name, task in zip(TASKS, (_month_list, _district_list, _tally_visits, _tally_meetings), strict=True):
                for result, (ms, counted) in zip(results, await _medians_ms(engines, task), strict=True):
                    result["ms"][name], result["counted"][name] = ms, counted
        finally:
            for engine in engines:
                await engine.dispose()
        return results


def main() -> None:
    print(f"Field work reads with 1k vs 100k visits (+ as many meetings; SQLite file, median of {RUNS} runs):")
    small, large = asyncio.run(run())
    print()
    print(f"  {'records':>9} {'build s':>8} {'DB MB':>7} {'agg rows':>9} {'month rows':>11} {'district rows':>14} "
          + " ".join(f"{name + ' ms':>17}" for name in TASKS))
    for row in (small, large):
        counted = row["counted"]
        print(f"  {row['records']:>9,} {row['build_s']:>8.1f} {row['megabytes']:>7.1f} {row['aggregate_rows']:>9,} "
              f"{counted['month list']:>11,} {counted['district list']:>14,} "
              + " ".join(f"{row['ms'][name]:>17.2f}" for name in TASKS))
    ratios = {name: large["ms"][name] / small["ms"][name] for name in TASKS}
    print(f"  {'100k / 1k':>9} {'':>8} {'':>7} {'':>9} {'':>11} {'':>14} "
          + " ".join(f"{ratios[name]:>16.2f}x" for name in TASKS))
    over = [name for name, ratio in ratios.items() if ratio > 2]
    verdict = "within" if not over else f"OVER for {', '.join(over)}"
    print(f"  target: 100k within 2x of 1k -> {verdict} (worst {max(ratios.values()):.2f}x)")


if __name__ == "__main__":
    main()
