"""Benchmark: bot.lang.dates vs raw dateparser vs korean-datetime alone, on tests/lang/date_corpus.txt.

Run from the project root:  /work/venv/bin/python bench/dates.py [--repeat N]

All three are scored the same way against the corpus: start, inclusive end and precision must match (an
expected failure must give no date). The raw libraries are mapped to that model generously: dateparser with
its best Korean settings (languages=['ko'], PREFER_DATES_FROM future/past, RELATIVE_BASE naive local time,
RETURN_TIME_AS_PERIOD so a time-less answer counts as a day), through one reused DateDataParser per
setting (as we reuse ours: ``dateparser.parse(text, languages=…, settings=…)`` builds a new one per call,
which is ~7% slower; with try_previous_locales off, as there, a reused one answers the same), whose
get_date_data period gives the precision; korean-datetime through the same grain mapping our layer uses
(``span_of``). Times are per expression (median of N repeats), after a warm-up pass.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "lang")]

import dateparser  # noqa: E402
from date_corpus import NOW, Answer, Case, load, score  # noqa: E402
from dateparser.date import DateDataParser  # noqa: E402
from korean_datetime import Cycle, ParseOptions, TemporalParser  # noqa: E402

from bot.lang.dates import DateResult, parse_when, span_of  # noqa: E402

Parser = Callable[[Case], Answer]
NOTHING = Answer(None)


def ours(case: Case) -> Answer:
    result = parse_when(case.text, NOW, past=case.past)
    if not isinstance(result, DateResult):
        return NOTHING
    return Answer(result.start, result.end, result.precision, result.tentative, result.rest)


_KD = {False: TemporalParser(), True: TemporalParser(ParseOptions(cycle=Cycle.PAST))}


def korean_datetime_alone(case: Case) -> Answer:
    if not case.text:
        return NOTHING
    found = _KD[case.past].parse(case.text, NOW)
    if found is None:
        return NOTHING
    start, end, precision = span_of(found)
    return Answer(start, end, precision)


_DP_SETTINGS: dict[bool, dict[str, Any]] = {
    past: {
        "PREFER_DATES_FROM": "past" if past else "future",
        "RELATIVE_BASE": NOW.replace(tzinfo=None),  # naive local time: dateparser issue 1213
        "RETURN_AS_TIMEZONE_AWARE": False,
        "RETURN_TIME_AS_PERIOD": True,
    }
    for past in (False, True)
}


_DP = {past: DateDataParser(languages=["ko"], settings=settings) for past, settings in _DP_SETTINGS.items()}


def raw_dateparser(case: Case) -> Answer:
    # what dateparser.parse(text, languages=["ko"], settings=...) does, keeping the period it drops
    data = _DP[case.past].get_date_data(case.text)
    if data.date_obj is None:
        return NOTHING
    value = data.date_obj.replace(tzinfo=NOW.tzinfo)
    if data.period == "time":
        return Answer(value.replace(second=0, microsecond=0), None, "minute")
    midnight = value.replace(hour=0, minute=0, second=0, microsecond=0)
    if data.period in ("month", "year"):
        return Answer(midnight.replace(day=1), None, "month")
    return Answer(midnight, None, "day")


def measure(parser: Parser, cases: list[Case], repeat: int) -> tuple[list[bool], list[float]]:
    for case in cases:  # warm-up: imports, caches, dateparser's language loading
        parser(case)
    correct, times = [], []
    for case in cases:
        runs = []
        for _ in range(repeat):
            started = time.perf_counter()
            answer = parser(case)
            runs.append(time.perf_counter() - started)
        correct.append(score(case, answer, strict=False))
        times.append(statistics.median(runs))
    return correct, times


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def cold_start(runs: int = 5) -> tuple[float, float]:
    """Fresh process: (import + first parse measured inside, whole process wall time), medians in ms."""
    probe = (
        "import time; t = time.perf_counter()\n"
        "from datetime import datetime\n"
        "import bot.lang.dates\n"
        "from bot.lang.dates import SEOUL, parse_when\n"
        "r = parse_when('내일 오후 3시', datetime(2018, 7, 20, 10, tzinfo=SEOUL))\n"
        "assert r.ok\n"
        "print((time.perf_counter() - t) * 1000)"
    )
    inside, whole = [], []
    for _ in range(runs):
        started = time.perf_counter()
        command = [sys.executable, "-c", probe]
        out = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True)
        whole.append((time.perf_counter() - started) * 1000)
        inside.append(float(out.stdout.strip()))
    return statistics.median(inside), statistics.median(whole)


def main(argv: list[str]) -> int:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--repeat", type=int, default=5, help="timed calls per expression (median kept)")
    repeat = options.parse_args(argv).repeat
    cases = load()
    parsers: dict[str, Parser] = {
        "bot.lang.dates (ours)": ours,
        "dateparser (ko)": raw_dateparser,
        "korean-datetime alone": korean_datetime_alone,
    }
    print(f"corpus: {len(cases)} expressions, now = {NOW.isoformat()}, dateparser {dateparser.__version__}")
    print(f"{'parser':<24}{'correct':>9}{'accuracy':>10}{'median ms':>11}{'p99 ms':>9}")
    medians: dict[str, float] = {}
    for name, parser in parsers.items():
        correct, times = measure(parser, cases, repeat)
        medians[name] = statistics.median(times) * 1000
        accuracy = sum(correct) / len(cases)
        p99 = percentile(times, 0.99) * 1000
        print(f"{name:<24}{sum(correct):>5}/{len(cases):<3}{accuracy:>10.1%}{medians[name]:>11.3f}{p99:>9.3f}")
    strict = sum(score(case, ours(case)) and _same_failure(case) for case in cases)
    print(f"ours, strict (also tentative, rest, failure code): {strict}/{len(cases)}")
    mine, dp, kd = medians.values()
    print(f"median speed: ours is {dp / mine:.1f}x faster than dateparser; ", end="")
    print(f"ours / korean-datetime = {mine / kd:.2f}x")
    inside, whole = cold_start()
    print(f"fresh process: import + first parse {inside:.1f} ms ", end="")
    print(f"(whole process incl. interpreter {whole:.1f} ms)")
    return 0


def _same_failure(case: Case) -> bool:
    if case.failure is None:
        return True
    result = parse_when(case.text, NOW, past=case.past)
    return not result.ok and result.code == case.failure


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
