"""Soak the conversation: many random sequences against the real application, invariants after every step.

The same world, vocabulary and invariants as tests/test_fuzz_conversation.py (tests/fuzzworld.py), drawn with a
seeded random generator instead of hypothesis so that a long run stays cheap: a sequence is 2–10 steps by the
cast (admin, staff, removed staff, stranger) in private and group chats — typed text, presses of the latest and
of older buttons, forged callback data, time passing, a restart over the same database now and then — and every
`--per-world` sequences a fresh copy of the seeded database is started.

    .venv/bin/python bench/soak.py --sequences 20000 [--seed 1] [--per-world 250]

Prints the sequences and steps run, updates per second and every invariant broken (with its last steps).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from fuzzworld import ACTORS, ADMIN, STAFF, STRANGER, TEXTS, InvariantBroken, World, forged_data

FORGED = list(forged_data())
HANGUL = [chr(c) for c in range(0xAC00, 0xAC00 + 400)] + list("0123456789 .,/~-:!?원만억시분월일")


def _typed(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.75:
        return rng.choice(TEXTS)
    if roll < 0.9:
        return f"{rng.choice(TEXTS)} {rng.choice(TEXTS)}"
    return "".join(rng.choice(HANGUL) for _ in range(rng.randint(1, 60))).strip() or "ㅎ"


async def _step(world: World, rng: random.Random) -> None:
    roll = rng.random()
    if roll < 0.45:
        await world.say(rng.choice(ACTORS), _typed(rng))
    elif roll < 0.52:
        await world.say(rng.choice((ADMIN, STAFF, STRANGER)), _typed(rng), in_group=True)
    elif roll < 0.72:
        await world.press(rng.choice((ADMIN, STAFF)), rng.randint(0, 30), own_only=True)
    elif roll < 0.8:
        await world.press(rng.choice(ACTORS), rng.randint(0, 30), own_only=False)
    elif roll < 0.93:
        await world.forge(rng.choice(ACTORS), rng.choice(FORGED))
    elif roll < 0.99:
        await world.time_passes(rng.choice((1, 10, 31, 60, 600, 1440)))
    else:
        await world.restart()


async def soak(sequences: int, seed: int, per_world: int) -> int:
    rng = random.Random(seed)
    broken: Counter[str] = Counter()
    examples: dict[str, str] = {}
    steps = restarts = worlds = 0
    started = time.perf_counter()
    done = 0
    while done < sequences:
        world = World.fresh()
        await world.start()
        worlds += 1
        try:
            for _ in range(min(per_world, sequences - done)):
                for _ in range(rng.randint(2, 10)):
                    try:
                        await _step(world, rng)
                    except InvariantBroken as exc:
                        key = str(exc).splitlines()[0][:160]
                        broken[key] += 1
                        examples.setdefault(key, str(exc))
                done += 1
                if rng.random() < 0.3:
                    try:
                        await world.final_check()
                    except InvariantBroken as exc:
                        key = str(exc).splitlines()[0][:160]
                        broken[key] += 1
                        examples.setdefault(key, str(exc))
                if done % 500 == 0:
                    print(f"… {done} sequences, {sum(broken.values())} broken", flush=True)
            steps += world.figures["steps"]
            restarts += world.figures["restarts"]
        finally:
            await world.stop()
            world.close()
    elapsed = time.perf_counter() - started
    print(f"sequences: {done}  steps: {steps}  worlds (fresh databases): {worlds}  restarts: {restarts}")
    print(f"time: {elapsed:.0f} s  ({steps / elapsed:.0f} steps/s)")
    print(f"invariants broken: {sum(broken.values())} ({len(broken)} kinds)")
    for key, count in broken.most_common():
        print(f"\n[{count}×] {examples[key]}")
    return 1 if broken else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sequences", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--per-world", type=int, default=250)
    args = parser.parse_args()
    return asyncio.run(soak(args.sequences, args.seed, args.per_world))


if __name__ == "__main__":
    sys.exit(main())
