"""Cold start benchmark (prints its figures; run: python bench/cold_start.py [RUNS]).

Every figure is measured from a fresh process, spawned here, from the moment it is spawned:
  (a) `python -c "import bot.app"` until it exits;
  (b) `secretariat-bot chat` (the console, on the demo database, which a first unmeasured run creates) answering
      "업무추진비 잔액" from stdin: until its first reply line, and until it exits (stdin closed after the question);
  (c) the real application (build_application with an offline Bot API, post_init with its migrations check,
      seed-free start, the reminder engine and the briefing scheduler started) until the first reply to that
      lookup leaves process_update, and until it has shut down — on SQLite, and on PostgreSQL when
      TEST_DATABASE_URL is set (that database is emptied and seeded).
Median and min of RUNS runs each. Target (issue 13): first reply under 1.5 s for (b) and (c).
With BASELINE=DIR (a source tree of an earlier commit, e.g. `git archive COMMIT | tar -x -C DIR`), every figure
is measured for it too, run for run alternately with this tree, and printed beside it.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

RUNS = 7
QUESTION = "업무추진비 잔액"
TARGET = 1.5
PYTHON = sys.executable
CLI = str(Path(PYTHON).with_name("secretariat-bot"))

# (c): the child prints READY when the first reply has been sent, then stops the application and exits.
APP_CHILD = """
import asyncio, sys
from telegram import Update
from bot.app import build_application, running
from bot.clock import SEOUL, Clock
from bot.config import parse_config
from bot.offline import OfflineRequest
from bot.updates import text_update, user_json
from datetime import datetime

async def main(url):
    config = parse_config({"database": {"url": url}, "access": {"admins": [111]}}, "bench.toml", env={})
    request = OfflineRequest()
    clock = Clock(SEOUL, datetime(2018, 7, 20, 10, 0, tzinfo=SEOUL))
    try:
        app = build_application(config, request=request, clock=clock, rate_limit=False)
    except TypeError:  # a baseline from before the rate_limit switch
        app = build_application(config, request=request, clock=clock)
    async with running(app):
        await app.process_update(Update.de_json(text_update(user_json(111, "관리자"), sys.argv[2]), app.bot))
        sent = [c for c in request.calls if c.method == "sendMessage"]
        print("READY" if sent else "NO REPLY", flush=True)

asyncio.run(main(sys.argv[1]))
"""


def _env(root: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(root)  # before the editable install's finder: the tree measured
    env.pop("TEST_DATABASE_URL", None)
    return env


def _timed(root: Path, args: list[str], cwd: Path, stdin: str | None = None, marker: str | None = None
           ) -> tuple[float | None, float]:
    """Seconds from spawning to the first stdout line starting with `marker` (None without one), and to exit."""
    started = time.perf_counter()
    proc = subprocess.Popen(args, cwd=cwd, env=_env(root), stdin=subprocess.PIPE if stdin is not None else None,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")
    if stdin is not None:
        assert proc.stdin is not None
        proc.stdin.write(stdin)
        proc.stdin.close()
    first = None
    assert proc.stdout is not None
    lines = []
    for line in proc.stdout:
        lines.append(line)
        if first is None and marker is not None and line.startswith(marker):
            first = time.perf_counter() - started
    code = proc.wait()
    total = time.perf_counter() - started
    if code != 0 or (marker is not None and first is None):
        raise SystemExit(f"{args[:3]} failed ({code}): {''.join(lines)[-500:]} {proc.stderr.read()[-2000:]}")
    return first, total


def _row(label: str, samples: dict[str, list[float]], target: float | None = None) -> str:
    cells = []
    for name, values in samples.items():
        median = statistics.median(values)
        verdict = "" if target is None or name != "this tree" else ("[ok]" if median < target else "[OVER 1.5 s]")
        cells.append(f"{name}: median {median:5.2f} s  min {min(values):5.2f} s {verdict}")
    return f"{label:<46} " + "  |  ".join(cells)


def _measure(roots: dict[str, Path], runs: int, args: list[str], cwd: Path, stdin: str | None = None,
             marker: str | None = None) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    """Runs alternate between the trees, so that the machine's load falls on both alike."""
    firsts: dict[str, list[float]] = {name: [] for name in roots}
    totals: dict[str, list[float]] = {name: [] for name in roots}
    for _ in range(runs):
        for name, root in roots.items():
            first, total = _timed(root, args, cwd, stdin, marker)
            if first is not None:
                firsts[name].append(first)
            totals[name].append(total)
    return firsts, totals


async def _prepare(url: str) -> None:
    from bench.imports import reset_and_seed

    await reset_and_seed(url)


def main(runs: int) -> None:
    print(f"cold start, {runs} fresh processes each ({os.cpu_count()} cores, {time.strftime('%Y-%m-%d %H:%M')})")
    roots = {"this tree": ROOT}
    if baseline := os.environ.get("BASELINE"):
        roots["baseline"] = Path(baseline).resolve()
    with tempfile.TemporaryDirectory() as folder:
        cwd = Path(folder)
        _, totals = _measure(roots, runs, [PYTHON, "-c", "import bot.app"], cwd)
        print(_row("(a) python -c 'import bot.app'", totals), flush=True)
        _timed(ROOT, [CLI, "chat"], cwd, stdin=QUESTION + "\n", marker="봇>")  # creates and seeds data/demo.db
        firsts, totals = _measure(roots, runs, [CLI, "chat"], cwd, stdin=QUESTION + "\n", marker="봇>")
        print(_row(f"(b) secretariat-bot chat: first reply ({QUESTION})", firsts, TARGET), flush=True)
        print(_row("(b) secretariat-bot chat: until it exits", totals), flush=True)
        targets = [("SQLite", f"sqlite:///{cwd / 'app.db'}")]
        if url := os.environ.get("TEST_DATABASE_URL"):
            targets.append(("PostgreSQL", url))
        for label, url in targets:
            asyncio.run(_prepare(url))
            firsts, totals = _measure(roots, runs, [PYTHON, "-c", APP_CHILD, url, QUESTION], cwd, marker="READY")
            print(_row(f"(c) application, {label}: first reply", firsts, TARGET), flush=True)
            print(_row(f"(c) application, {label}: until shut down", totals), flush=True)
        if "TEST_DATABASE_URL" not in os.environ:
            print("(c) PostgreSQL: skipped (set TEST_DATABASE_URL to measure it; that database is emptied)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else RUNS)
