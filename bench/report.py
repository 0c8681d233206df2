"""How long the work report takes to make (prints its figures; run: python bench/report.py [ROUNDS])

On a fresh demo database (the report's data), and again with the pledge sample imported (status tables, the
pledge chart, a late sub-project), per format:
  build   — build_work_report: every section read from the database (the chat's services);
  first   — the first render in this process: the libraries and fonts load, the charts are drawn (what the CLI
            and a fresh worker process pay; for the second data set the libraries are loaded already);
  warm    — the median of ROUNDS further renders (a worker that has made one report before);
  command — `secretariat-bot report` end to end in a new process (interpreter start, database, render, file).
Target (issue 14): a PDF in under 3 s; the XLSX and the HWPX (no charts) take a fraction of that.
"""

from __future__ import annotations

import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

from bot.clock import SEOUL
from bot.database import migrate_and_seed
from bot.report import FORMATS, Format, render
from bot.services import pledges as pledging
from bot.services.work_report import WorkReport, build_work_report
from bot.workers import inline
from storage.db import make_engine, make_sessionmaker

AS_OF = date(2018, 7, 20)
NOW = datetime(2018, 7, 20, 10, 0, tzinfo=SEOUL)
SAMPLE = Path(__file__).resolve().parents[1] / "storage" / "seed_data" / "pledges_sample.csv"
STATUSES = ("정상추진", "지연", "완료", "보류", "미착수")


async def _import_sample(url: str) -> None:
    from bot.domain.leads import ReminderSettings

    engine = make_engine(url)
    try:
        with inline():
            async with make_sessionmaker(engine).begin() as session:
                result, problems = await pledging.import_file(session, SAMPLE.read_bytes(), SAMPLE.name, STATUSES,
                                                              NOW, None, ReminderSettings())
        assert result is not None, problems
    finally:
        await engine.dispose()


async def _build(url: str) -> tuple[WorkReport, float]:
    engine = make_engine(url)
    try:
        async with make_sessionmaker(engine)() as session:
            started = time.perf_counter()
            report = await build_work_report(session, AS_OF, now=NOW)
            return report, time.perf_counter() - started
    finally:
        await engine.dispose()


def _timed(report: WorkReport, fmt: Format) -> tuple[float, int]:
    started = time.perf_counter()
    data = render(report, fmt)
    return time.perf_counter() - started, len(data)


def _command(url: str, fmt: Format, folder: Path) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "bot", "report", "--db", url, "--as-of", AS_OF.isoformat(), "--format",
                    fmt, "--out", str(folder / f"r.{fmt}")], check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.db"
        asyncio.run(migrate_and_seed(url, demo=True))
        for label in ("demo", "demo + pledge sample"):
            if label != "demo":
                asyncio.run(_import_sample(url))
            report, built = asyncio.run(_build(url))
            print(f"{label}: build {built * 1000:.0f} ms")
            for fmt in FORMATS:
                first = _timed(report, fmt)
                warm = statistics.median(_timed(report, fmt)[0] for _ in range(rounds))
                command = _command(url, fmt, Path(folder))
                print(f"  {fmt:5} first {first[0]:.3f} s · warm {warm:.3f} s (median of {rounds}) · "
                      f"command {command:.2f} s · {first[1] / 1024:.0f} KB")


if __name__ == "__main__":
    main()
