"""Spreadsheet import benchmark (prints its figures; run: python bench/imports.py [ROWS]).

Times the whole import path the chat and the CLI take (read and check every row in a worker thread, then write
all or nothing in one transaction) for a ledger of 50,000 spending rows and a pledges file of 50,000
sub-projects (one in five with a milestone, which becomes an event with its reminders), each as a CSV, on a
fresh seeded SQLite file, and on PostgreSQL when TEST_DATABASE_URL is set (that database is emptied).
Targets (issue 11): the ledger under 30 s, the pledges under a minute.
"""

from __future__ import annotations

import asyncio
import csv
import io
import os
import random
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

from sqlalchemy import text  # noqa: E402

from bot.clock import SEOUL  # noqa: E402
from bot.database import migrate_and_seed  # noqa: E402
from bot.domain.leads import ReminderSettings  # noqa: E402
from bot.services import budget as budgeting  # noqa: E402
from bot.services import pledges as pledging  # noqa: E402
from bot.sheets.common import ImportLimits  # noqa: E402
from storage.db import make_engine, make_sessionmaker  # noqa: E402

ROWS = 50_000
NOW = datetime(2018, 7, 20, 10, 0, tzinfo=SEOUL)
LIMITS = ImportLimits()
STATUSES = ("정상추진", "지연", "완료", "보류", "미착수")
LEDGER_HEADER = ["일자", "과목", "분야", "금액(원)", "건수", "내용", "비고"]
PLEDGE_HEADER = ["분류", "분야코드", "분야", "공약코드", "핵심공약", "세부사업코드", "세부사업", "담당부서", "상태",
                 "진행률", "예산연도", "예산계획(원)", "예산확보(원)", "예산집행(원)", "마일스톤", "비고"]


def _csv(header: list[str], rows: list[list[object]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def ledger_file(count: int) -> bytes:
    """Spending rows from 7.1. to 12.31., small enough that no line is overdrawn."""
    rng = random.Random(7)
    lines, fields = ("기관운영", "시책추진"), ("직원격려", "간담회", "위문")
    return _csv(LEDGER_HEADER, [
        [(date(2018, 7, 1) + timedelta(days=n % 184)).isoformat(), lines[n % 2], fields[n % 3],
         rng.randrange(1, 9) * 100, 1 + n % 3, f"업무 협의 다과 {n}", "" if n % 4 else "비고"] for n in range(count)])


def pledges_file(count: int) -> bytes:
    """Sub-projects over 12 areas and 500 core pledges; every fifth with a milestone."""
    rng = random.Random(11)
    rows: list[list[object]] = []
    for n in range(count):
        axis, letter = ("정책대상", "T") if n % 2 else ("정책영역", "D")
        area = 1 + n % 6
        pledge = n % 250
        milestone = f"{n}단계 완료 2018-{1 + n % 12:02d}-{1 + n % 28:02d}" if n % 5 == 0 else ""
        planned = rng.randrange(1, 500) * 10_000_000
        rows.append([axis, f"{letter}{area:02d}", f"{axis} 분야 {area}", f"{letter}{area:02d}-{pledge:03d}",
                     f"핵심공약 {letter}{pledge}", f"{letter}{area:02d}-{pledge:03d}-{n:05d}", f"세부사업 {n}",
                     f"부서 {n % 40}", STATUSES[n % 5], n % 101, 2018, planned, planned // 2, planned // 4,
                     milestone, "" if n % 3 else f"비고 {n}"])
    return _csv(PLEDGE_HEADER, rows)


async def reset_and_seed(url: str) -> None:
    """A fresh database with the report's data (PostgreSQL: its public schema emptied first); benches share it."""
    if url.startswith("postgresql"):
        engine = make_engine(url)
        async with engine.begin() as conn:
            await conn.execute(text("DROP SCHEMA public CASCADE"))
            await conn.execute(text("CREATE SCHEMA public"))
        await engine.dispose()
    await migrate_and_seed(url)


async def import_ledger(url: str, data: bytes) -> tuple[int, float]:
    engine = make_engine(url)
    try:
        started = time.perf_counter()
        async with make_sessionmaker(engine).begin() as session:
            book = await budgeting.open_book(session, NOW.date())
            assert book is not None
            done = await budgeting.import_ledger(session, book, data, "ledger.csv", NOW, None, limits=LIMITS,
                                                 max_entry_won=50_000_000)
        assert not done.problems, done.problems[:3]
        return done.count, time.perf_counter() - started
    finally:
        await engine.dispose()


async def import_pledges(url: str, data: bytes) -> tuple[int, float]:
    engine = make_engine(url)
    try:
        started = time.perf_counter()
        async with make_sessionmaker(engine).begin() as session:
            result, problems = await pledging.import_file(session, data, "pledges.csv", STATUSES, NOW, None,
                                                          ReminderSettings(), limits=LIMITS)
        assert result is not None, problems[:3]
        return result.created + result.updated + result.unchanged, time.perf_counter() - started
    finally:
        await engine.dispose()


async def measure(label: str, url: str, rows: int) -> None:
    ledger, pledges = ledger_file(rows), pledges_file(rows)
    for kind, data, run, target in (("ledger", ledger, import_ledger, 30), ("pledges", pledges, import_pledges, 60)):
        await reset_and_seed(url)
        count, seconds = await run(url, data)
        verdict = "ok" if seconds < target else f"OVER the {target} s target"
        print(f"{label:<10} {kind:<8} {count:>7,} rows ({len(data) / 1e6:5.1f} MB csv)  {seconds:6.1f} s  "
              f"{count / seconds:8,.0f} rows/s  [{verdict}]", flush=True)


async def on_each_database(measure: Callable[[str, str], Awaitable[None]], name: str) -> None:
    """`measure(label, url)` on a fresh SQLite file, then on TEST_DATABASE_URL when it is set (it is emptied)."""
    with tempfile.TemporaryDirectory() as folder:
        await measure("SQLite", f"sqlite:///{folder}/{name}.db")
    if url := os.environ.get("TEST_DATABASE_URL"):
        await measure("PostgreSQL", url)
    else:
        print("PostgreSQL: skipped (set TEST_DATABASE_URL to measure it; that database is emptied)")


async def main(rows: int) -> None:
    await on_each_database(lambda label, url: measure(label, url, rows), "imports")


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else ROWS))
