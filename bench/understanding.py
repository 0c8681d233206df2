"""Benchmark: the understanding step on tests/corpus — accuracy (overall, per writer, per kind), the
confusion table (expected kind × kind read), the must-not-create set, and the step's time per message.

Run from the project root:  .venv/bin/python bench/understanding.py [--misses] [--repeat N]
Times are per message (normalise + rank + slots, the facts' index built once), median and p95 over
N repeats of the whole corpus after a warm-up pass.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from corpus_check import NOW, Case, creates, load, problems, read, seed_facts  # noqa: E402

from bot.lang.understand import understand  # noqa: E402


def _confusion(results: list[tuple[Case, str]]) -> str:
    pairs = Counter((case.kind, got) for case, got in results if case.kind != got)
    lines = ["confusion (expected → read: count), most frequent first:"]
    lines += [f"  {want:16} → {got:16} {count}" for (want, got), count in pairs.most_common()]
    kinds = sorted({case.kind for case, _ in results})
    lines.append("per kind (right/total):")
    for kind in kinds:
        rows = [got for case, got in results if case.kind == kind]
        lines.append(f"  {kind:16} {sum(got == kind for got in rows):4}/{len(rows)}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--misses", action="store_true", help="print every miss")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    cases, quiet = load("messages.jsonl"), load("no_create.jsonl")
    seed_facts()
    right: dict[str, list[bool]] = defaultdict(list)
    results: list[tuple[Case, str]] = []
    misses: list[str] = []
    closes = 0
    for case in cases:
        understood = read(case)
        wrong = problems(case, understood)
        right[case.writer].append(not wrong)
        results.append((case, understood.best.kind))
        closes += understood.close
        if wrong:
            misses.append(f"  [{case.writer}] {case.text}  →  {'; '.join(wrong)}")
    created = [case.text for case in quiet if creates(read(case))]
    quiet_right = sum(read(case).best.kind == case.kind for case in quiet)
    total = sum(sum(v) for v in right.values())
    print(f"messages: {total}/{len(cases)} right = {100 * total / len(cases):.1f}%  (close, asked: {closes})")
    for writer, marks in sorted(right.items()):
        print(f"  {writer:7} {sum(marks):4}/{len(marks)} = {100 * sum(marks) / len(marks):.1f}%")
    print(f"no-create: {len(quiet) - len(created)}/{len(quiet)} create nothing; kind right {quiet_right}/{len(quiet)}")
    for text in created:
        print(f"  CREATES: {text}")
    print(_confusion(results))
    if args.misses:
        print("misses:")
        print("\n".join(misses))
    texts = [case.text for case in (*cases, *quiet)]
    facts = seed_facts()
    times: list[float] = []
    for _ in range(args.repeat):
        for text in texts:
            start = time.perf_counter()
            understand(text, NOW, facts)
            times.append((time.perf_counter() - start) * 1000)
    times.sort()
    print(f"time per message: median {statistics.median(times):.3f} ms, p95 {times[int(0.95 * len(times))]:.3f} ms "
          f"({len(texts)} messages × {args.repeat})")


if __name__ == "__main__":
    main()
