"""Loader and scorer for ``date_corpus.txt``, shared by the tests and ``bench/dates.py``.

A case expects either a date (start, inclusive end or None, precision, tentative, optionally the rest)
or a failure code. :func:`score` compares a parser's answer, reduced to :class:`Answer`, with a case;
the benchmark uses the same function for all three parsers it compares.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

SEOUL = ZoneInfo("Asia/Seoul")
NOW = datetime(2018, 7, 20, 10, 0, tzinfo=SEOUL)  # a Friday
PATH = Path(__file__).with_name("date_corpus.txt")
_PLACEHOLDERS = {"<empty>": "", "<spaces>": "   "}


@dataclass(frozen=True, slots=True)
class Answer:
    """What a parser said, in the corpus' terms: None start means "no date"."""

    start: datetime | None
    end: datetime | None = None
    precision: str | None = None
    tentative: bool = False
    rest: str | None = None


@dataclass(frozen=True, slots=True)
class Case:
    line: int
    category: str
    text: str
    past: bool
    expected: Answer
    failure: str | None  # expected failure code, or None when a date is expected

    @property
    def id(self) -> str:
        return f"{self.line}:{self.text or '<empty>'}"


def _moment(field: str) -> datetime | None:
    if field == "-":
        return None
    day, _, clock = field.partition(" ")
    if day.count("-") == 1:
        day = f"2018-{day}"
    return datetime.fromisoformat(f"{day}T{clock or '00:00'}").replace(tzinfo=SEOUL)


def _case(line: int, raw: str) -> Case:
    fields = [field.strip() for field in raw.split("|")]
    category, text, flags, start = fields[:4]
    text = _PLACEHOLDERS.get(text, text)
    if start == "!":
        return Case(line, category, text, flags == "past", Answer(None), fields[4])
    end, precision, tentative = fields[4:7]
    rest = fields[7] if len(fields) > 7 else None
    answer = Answer(_moment(start), _moment(end), precision, tentative == "T", rest)
    return Case(line, category, text, flags == "past", answer, None)


def load(path: Path = PATH) -> list[Case]:
    cases = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if raw.strip() and not raw.lstrip().startswith("#"):
            cases.append(_case(number, raw))
    return cases


def score(case: Case, answer: Answer, *, strict: bool = True) -> bool:
    """True when ``answer`` matches. ``strict`` also checks tentative and rest (our layer only: the raw
    libraries have no such notion, so the benchmark compares start, end and precision for all)."""
    expected = case.expected
    if case.failure is not None or answer.start is None:
        return case.failure is not None and answer.start is None
    same = (answer.start, answer.end, answer.precision) == (expected.start, expected.end, expected.precision)
    if not strict:
        return same
    rest_ok = expected.rest is None or answer.rest == expected.rest
    return same and answer.tentative == expected.tentative and rest_ok
