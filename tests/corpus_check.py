"""Grading the understanding step against tests/corpus (shared by tests/test_corpus.py and
bench/understanding.py): load the lines, read each at the corpus's now, and say what is wrong."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.lang.amounts import Amount
from bot.lang.dates import DateResult
from bot.lang.facts import FactEntry, FactIndex
from bot.lang.understand import Understanding, understand
from storage.seed import fact_drafts

CORPUS = Path(__file__).with_name("corpus")
NOW = datetime(2018, 7, 20, 10, 0, tzinfo=ZoneInfo("Asia/Seoul"))
DATE_SLOTS = frozenset({"date", "end", "as_of"})
NUMBER_SLOTS = frozenset({"amount", "delay_minutes"})


@dataclass(frozen=True)
class Case:
    text: str
    writer: str
    kind: str
    slots: Mapping[str, Any]
    also: str | None


def load(name: str) -> list[Case]:
    lines = (CORPUS / name).read_text(encoding="utf-8").splitlines()
    rows = [json.loads(line) for line in lines if line.strip()]
    return [Case(r["text"], r["writer"], r["kind"], r.get("slots", {}), r.get("also")) for r in rows]


@cache
def seed_facts() -> FactIndex:
    """The report's facts as the bot holds them after `secretariat-bot seed`."""
    return FactIndex([FactEntry(d.key, d.topic, tuple(d.questions)) for d in fact_drafts()])


def read(case: Case) -> Understanding:
    return understand(case.text, NOW, seed_facts())


def _moment(value: object) -> datetime | None:
    if isinstance(value, DateResult):
        return value.start
    return value if isinstance(value, datetime) else None


def _squeezed(value: object) -> str:
    return "".join(str(value).split()).lower()


def slot_problem(name: str, expected: Any, slots: Mapping[str, object]) -> str | None:
    got = slots.get(name)
    if name == "as_of" and got is None:
        got = slots.get("date")
    if name in DATE_SLOTS:
        moment = _moment(got)
        width = 16 if "T" in str(expected) else 10
        shown = moment.isoformat()[:width] if moment else None
        return None if shown == expected else f"{name}={shown} (want {expected})"
    if name in NUMBER_SLOTS:
        number = got.won if isinstance(got, Amount) else got
        return None if number == expected else f"{name}={number} (want {expected})"
    words = expected if isinstance(expected, list) else [expected]
    if got is not None and all(_squeezed(word) in _squeezed(got) for word in words):
        return None
    return f"{name}={got!r} (want {expected!r})"


def problems(case: Case, understood: Understanding) -> list[str]:
    """Empty when the top reading is the expected kind with every listed slot, and `also` is in `more`."""
    best = understood.best
    if best.kind != case.kind:
        return [f"kind {best.kind} (want {case.kind})"]
    found = [p for name, value in case.slots.items() if (p := slot_problem(name, value, best.slots))]
    if case.also:
        kinds = [understand(part, NOW, seed_facts()).best.kind for part in understood.more]
        if case.also not in kinds:
            found.append(f"also {kinds} (want {case.also})")
    return found


def creates(understood: Understanding) -> bool:
    return understood.best.creates
