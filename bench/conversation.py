"""Replay corpora of staff messages through the real application (offline console path) and print how many
were handled right, by writer and by kind, and the misses.

    python bench/conversation.py                       # tests/corpus/messages.jsonl and no_create.jsonl
    python bench/conversation.py path/to/other.jsonl   # any file of the same format (a held-out set)
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from conftest import make_config
from corpus_replay import load, replay, table


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpora", nargs="*", default=["messages.jsonl", "no_create.jsonl"])
    parser.add_argument("--misses", type=int, default=60, help="print at most this many misses per corpus")
    args = parser.parse_args()
    for name in args.corpora:
        lines = load(name)
        with tempfile.TemporaryDirectory() as folder:
            config = make_config(f"sqlite+aiosqlite:///{folder}/bench.db")
            started = time.perf_counter()
            graded = await replay(lines, config)
            spent = time.perf_counter() - started
        report = table(graded).splitlines()
        misses = [row for row in report if row.startswith("MISS")]
        print(f"== {name}: {len(lines)} messages in {spent:.1f} s")
        print("\n".join(row for row in report if not row.startswith("MISS")))
        print("\n".join(misses[: args.misses]))


if __name__ == "__main__":
    asyncio.run(main())
