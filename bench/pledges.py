"""Pledge query benchmarks (prints its figures; run: python bench/pledges.py).

The two reads the bot makes for the pledges, timed on a SQLite file of the report's size (12 areas split 6/6
across the axes, 66 core pledges, 242 sub-projects) and on one of 2,000 core pledges and 20,000 sub-projects:
(1) the dashboard (handlers.pledging.dashboard: reported totals, pledge_stats, structure counts) and (2) a title
search for a word in about 1% of the titles (handlers.pledging.search). Both databases are loaded through
storage.pledges.apply_import, which keeps pledge_stats in step, so the dashboard reads a few dozen rows at any
size; the target is that the large database costs less than 2x the real one.
"""

from __future__ import annotations

import asyncio
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

from sqlalchemy import func, select  # noqa: E402
from sqlalchemy.ext.asyncio import AsyncEngine  # noqa: E402

from bot.database import migrate  # noqa: E402
from bot.services import pledges as pledging  # noqa: E402
from bot.sheets.pledges import PledgeRow  # noqa: E402
from storage import pledges  # noqa: E402
from storage.db import make_engine, make_sessionmaker  # noqa: E402
from storage.models import CorePledge, SubProject  # noqa: E402
from storage.seed import seed  # noqa: E402

RUNS = 50
BATCH = 500  # rows per import transaction
STATUSES = ("정상추진", "지연", "완료", "보류", "미착수")
STATUS_WEIGHTS = (70, 8, 10, 4, 8)
RARE = "드론"  # in every 100th title, and in no word of the pools below
SEARCH = RARE
NOW = datetime(2018, 7, 20, 1, 0, tzinfo=UTC)
PLACES = ("서울", "도심", "생활권", "자치구", "한강", "골목", "동네", "광역", "시민", "지역")
TOPICS = ("소상공인", "청년", "어르신", "돌봄", "주거", "일자리", "안전", "교통", "환경", "문화", "복지", "창업",
          "공원", "미세먼지", "보행", "에너지", "데이터", "교육", "의료", "관광")
ACTIONS = ("지원", "확대", "구축", "개선", "조성", "강화", "도입", "운영", "활성화", "혁신")


@dataclass(frozen=True)
class Size:
    label: str
    core: dict[str, int]  # per axis
    subs: dict[str, int]

    @property
    def core_total(self) -> int:
        return sum(self.core.values())

    @property
    def sub_total(self) -> int:
        return sum(self.subs.values())


REAL = Size("real", {"정책대상": 18, "정책영역": 48}, {"정책대상": 57, "정책영역": 185})
LARGE = Size("large", {"정책대상": 545, "정책영역": 1_455}, {"정책대상": 4_711, "정책영역": 15_289})
AREAS_PER_AXIS = 6
AXIS_CODES = {"정책대상": "T", "정책영역": "D"}
FIRST_AREA = {"정책대상": "자영업자", "정책영역": "미래특별시"}  # the two the report names


def _title(rng: random.Random, number: int) -> str:
    words = [rng.choice(PLACES), rng.choice(TOPICS), rng.choice(ACTIONS)]
    if number % 100 == 0:
        words.insert(1, RARE)
    return " ".join(words)


def _rows(size: Size, seed_value: int = 11) -> Iterator[PledgeRow]:
    """Sub-projects spread round-robin over the core pledges of each axis, the pledges over its 6 areas."""
    rng = random.Random(seed_value)
    row = 1
    for axis, letter in AXIS_CODES.items():
        areas = [(f"{letter}{n:02d}", FIRST_AREA[axis] if n == 1 else f"{axis} 분야 {n}")
                 for n in range(1, AREAS_PER_AXIS + 1)]
        core = [(f"{letter}P{n:04d}", areas[n % AREAS_PER_AXIS], _title(rng, n)) for n in range(size.core[axis])]
        for n in range(size.subs[axis]):
            pledge_code, (area_code, area_name), pledge_title = core[n % len(core)]
            row += 1
            planned = rng.randrange(1, 500) * 10_000_000
            secured = planned * rng.randrange(0, 11) // 10
            steps = ((f"{n}단계 완료", date(2018 + n % 2, 1 + n % 12, 1 + n % 28)),) if n % 5 == 0 else ()
            yield PledgeRow(row, axis, area_code, area_name, pledge_code, pledge_title, f"{pledge_code}-{n:05d}",
                            _title(rng, n), f"부서 {n % 40}", rng.choices(STATUSES, STATUS_WEIGHTS)[0],
                            rng.randrange(0, 101), 2018, planned, secured, secured * rng.randrange(0, 11) // 10,
                            steps, None)


async def build(url: str, size: Size) -> None:
    """Migrate, seed the report (its reported totals feed the dashboard), import the rows in batches."""
    await migrate(url)
    engine = make_engine(url)
    try:
        sessions = make_sessionmaker(engine)
        async with sessions.begin() as session:
            await seed(session)
        rows = list(_rows(size))
        started = time.perf_counter()
        for start in range(0, len(rows), BATCH):
            async with sessions.begin() as session:
                await pledges.apply_import(session, rows[start:start + BATCH], NOW, None)
            done = min(start + BATCH, len(rows))
            if len(rows) > 5_000 and (done % 5_000 == 0 or done == len(rows)):
                print(f"    {done:>6,} / {len(rows):,} sub-projects  ({time.perf_counter() - started:5.1f} s)",
                      flush=True)
    finally:
        await engine.dispose()


async def _dashboard(engine: AsyncEngine) -> None:
    async with make_sessionmaker(engine)() as session:
        await pledging.dashboard(session)


async def _search(engine: AsyncEngine) -> None:
    async with make_sessionmaker(engine)() as session:
        await pledging.search(session, SEARCH, STATUSES)


async def _median_ms(engine: AsyncEngine, task: Callable[[AsyncEngine], Awaitable[None]]) -> float:
    for _ in range(3):  # warm the connection pool and the statement caches
        await task(engine)
    samples = []
    for _ in range(RUNS):
        started = time.perf_counter()
        await task(engine)
        samples.append(time.perf_counter() - started)
    return statistics.median(samples) * 1000


async def _check(engine: AsyncEngine, size: Size) -> tuple[int, int]:
    """The data is what the benchmark says, the dashboard counts it all, and the search finds the rare word
    (returns the number of sub-project titles holding it, and how many the search returned)."""
    async with make_sessionmaker(engine)() as session:
        subs = await session.scalar(select(func.count()).select_from(SubProject))
        core = await session.scalar(select(func.count()).select_from(CorePledge))
        board = await pledging.dashboard(session)
        found = await pledging.search(session, SEARCH, STATUSES)
        holding = await session.scalar(select(func.count()).select_from(SubProject)
                                       .where(SubProject.title.contains(RARE)))
    assert (subs, core) == (size.sub_total, size.core_total), (subs, core)
    assert board.total.sub_projects == size.sub_total, board.total
    assert len(board.by_area) == 2 * AREAS_PER_AXIS
    assert found.subs and all(RARE in sub.title for sub in found.subs), found
    return int(holding or 0), len(found.subs)


async def measure(size: Size, folder: str) -> dict[str, float]:
    path = Path(folder) / f"pledges_{size.label}.db"
    url = f"sqlite:///{path}"
    print(f"  building {size.core_total:,} core pledges / {size.sub_total:,} sub-projects ...", flush=True)
    started = time.perf_counter()
    await build(url, size)
    built = time.perf_counter() - started
    engine = make_engine(url)
    try:
        holding, returned = await _check(engine, size)
        board = await _median_ms(engine, _dashboard)
        search = await _median_ms(engine, _search)
    finally:
        await engine.dispose()
    megabytes = (path.stat().st_size + sum(p.stat().st_size for p in path.parent.glob(f"{path.name}-*"))) / 1e6
    return {"core": size.core_total, "subs": size.sub_total, "build_s": built, "megabytes": megabytes,
            "holding": holding, "returned": returned, "dashboard_ms": board, "search_ms": search}


async def run() -> list[dict[str, float]]:
    with tempfile.TemporaryDirectory() as folder:
        return [await measure(size, folder) for size in (REAL, LARGE)]


def main() -> None:
    print(f"Pledge reads, the report's size vs 20,000 sub-projects (SQLite file, median of {RUNS} runs; "
          f"search word '{SEARCH}' in ~1% of titles):")
    real, large = asyncio.run(run())
    print()
    print(f"  {'core':>6} {'subs':>7} {'build s':>8} {'DB MB':>6} {'hits':>5} {'dashboard ms':>13} {'search ms':>10}")
    for row in (real, large):
        print(f"  {row['core']:>6,.0f} {row['subs']:>7,.0f} {row['build_s']:>8.1f} {row['megabytes']:>6.1f} "
              f"{row['holding']:>5,.0f} {row['dashboard_ms']:>13.2f} {row['search_ms']:>10.2f}")
    ratios = {key: large[key] / real[key] for key in ("dashboard_ms", "search_ms")}
    print(f"  {'large / real':>38} {ratios['dashboard_ms']:>12.2f}x {ratios['search_ms']:>9.2f}x")
    verdict = "within" if max(ratios.values()) <= 2 else "OVER"
    print(f"  target: large within 2x of real -> {verdict} ({max(ratios.values()):.2f}x)")


if __name__ == "__main__":
    main()
