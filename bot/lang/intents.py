"""Free text → intent + slots (date, amount, names, the words left over).

The matcher is generic: it scores every entry of :data:`bot.lang.intent_table.INTENTS` by its keywords,
patterns and slot features and picks the best; the table is where intents are added or tuned.

    >>> parse_intent("9월 15일 오후 3시 서울식물원 개관식 알려줘", now).name
    'event_create'
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from functools import cache
from types import MappingProxyType

from .amounts import Amount, AmountFailure, find_amount
from .dates import DateFailure, DateResult, parse_when, written_date
from .intent_table import INTENTS, MIN_SCORE, IntentEntry
from .names import NameIndex, NameLookup, default_index
from .textutil import collapse_spaces, strip_command_words

UNKNOWN = "unknown"
_SPACES = re.compile(r"\s+")
_MONTH_DAYS = 31  # a date that read as past is at most this far back could be a log's: not surely ahead


def squeeze(text: str) -> str:
    return _SPACES.sub("", text).lower()


def _squeezed(weights: Mapping[str, float]) -> dict[str, float]:
    """Keywords without spaces; "알려줘" and "알려 줘" become one keyword (the higher weight)."""
    merged: dict[str, float] = {}
    for word, weight in weights.items():
        merged[squeeze(word)] = max(weight, merged.get(squeeze(word), weight))
    return merged


@dataclass(frozen=True, slots=True)
class IntentRule:
    name: str
    keywords: tuple[tuple[str, float], ...]
    patterns: tuple[tuple[re.Pattern[str], float], ...]
    slots: Mapping[str, float]
    needs: tuple[str, ...]
    priority: int
    past: bool
    creates: bool = False
    edits: bool = False
    signals: tuple[str, ...] = ()

    @classmethod
    def from_entry(cls, entry: IntentEntry) -> IntentRule:
        return cls(
            name=entry["name"],
            keywords=tuple(_squeezed(entry.get("keywords", {})).items()),
            patterns=tuple((re.compile(rx), weight) for rx, weight in entry.get("patterns", {}).items()),
            slots=MappingProxyType(dict(entry.get("slots", {}))),
            needs=tuple(squeeze(word) for word in entry.get("needs", ())),
            priority=entry.get("priority", 0),
            past=entry.get("past", False),
            creates=entry.get("creates", False),
            edits=entry.get("edits", False),
            signals=tuple(entry.get("signals", ())),
        )

    def score(self, text: str, squeezed: str, features: Collection[str]) -> float:
        """The entry's total for a message; 0 when its needs are missing, when it creates or edits and the
        message is a question, or when it creates and none of its signals is present or the message edits
        an item just made (``edit_recent``)."""
        if self.needs and not any(word in squeezed for word in self.needs):
            return 0.0
        if (self.creates or self.edits) and "question" in features:
            return 0.0
        if self.creates and self.signals and not any(signal in features for signal in self.signals):
            return 0.0
        if self.creates and "edit_recent" in features:
            return 0.0  # "방금 기록한 방문 지워줘" changes what it names
        total = sum(weight for word, weight in self.keywords if word in squeezed)
        total += sum(weight for pattern, weight in self.patterns if pattern.search(text))
        return total + sum(self.slots.get(feature, 0.0) for feature in features)


@dataclass(frozen=True, slots=True)
class Intent:
    name: str
    score: float
    date: DateResult | DateFailure | None  # a failure only for an impossible date the user should fix
    amount: Amount | AmountFailure | None
    names: tuple[NameLookup, ...]
    text: str  # the message without date, amount and command words: a title or a memo
    alternatives: tuple[str, ...] = ()  # other intents that also qualified, best first
    slots: Mapping[str, object] = field(default_factory=dict)  # the reading's slots (see bot.lang.understand)


@dataclass(frozen=True, slots=True)
class _Slots:
    date: DateResult | DateFailure | None
    amount: Amount | AmountFailure | None
    names: tuple[NameLookup, ...]
    text: str
    before_date: str  # text the date was read from, to read it again as a past date
    when: str | None = None  # "date:ahead" or "date:past", see _when

    def features(self) -> set[str]:
        found = {f"name:{lookup.best.kind}" for lookup in self.names if lookup.sure and lookup.best}
        if isinstance(self.date, DateResult):
            found.add("date")
        if self.when is not None:
            found.add(self.when)
        if isinstance(self.amount, Amount):
            found.add("amount")
        return found


class IntentMatcher:
    def __init__(self, entries: Iterable[IntentEntry] = INTENTS, names: NameIndex | None = None) -> None:
        self.rules = tuple(IntentRule.from_entry(entry) for entry in entries)
        self.names = names if names is not None else default_index()

    def match(self, text: str, now: datetime) -> Intent:
        clean = collapse_spaces(text)
        slots = self._slots(clean, now)
        features = slots.features()
        qualified = self.rank(clean, squeeze(clean), features)
        if not qualified:
            return Intent(UNKNOWN, 0.0, slots.date, slots.amount, slots.names, slots.text)
        score, rule = qualified[0]
        if rule.past and isinstance(slots.date, DateResult):
            slots = self._with_past_date(slots, now)
        others = tuple(other.name for _score, other in qualified[1:])
        return Intent(rule.name, score, slots.date, slots.amount, slots.names, slots.text, others)

    def rank(self, text: str, squeezed: str, features: Collection[str]) -> list[tuple[float, IntentRule]]:
        """Every entry that reaches MIN_SCORE, best first (ties: the higher priority); an intent named by
        several entries counts once, with its best entry."""
        ranked = sorted(
            ((rule.score(text, squeezed, features), rule.priority, rule) for rule in self.rules),
            key=lambda item: (item[0], item[1]),
            reverse=True,
        )
        seen: set[str] = set()
        qualified: list[tuple[float, IntentRule]] = []
        for score, _priority, rule in ranked:
            if score >= MIN_SCORE and rule.name not in seen:
                seen.add(rule.name)
                qualified.append((score, rule))
        return qualified

    def _slots(self, text: str, now: datetime) -> _Slots:
        amount = find_amount(text)
        rest = amount.rest if isinstance(amount, Amount) else text
        date = parse_when(rest, now)
        slots = self._finish(amount, date, rest)
        when = _when(date, rest, now)
        return replace(slots, when=when) if when else slots

    def _with_past_date(self, slots: _Slots, now: datetime) -> _Slots:
        return self._finish(slots.amount, parse_when(slots.before_date, now, past=True), slots.before_date)

    def _finish(
        self, amount: Amount | AmountFailure | None, date: DateResult | DateFailure, rest: str
    ) -> _Slots:
        text = date.rest if isinstance(date, DateResult) else strip_command_words(rest)
        return _Slots(written_date(date), amount, tuple(self.names.find_all(text)), text, rest)


def _when(date: DateResult | DateFailure, text: str, now: datetime) -> str | None:
    """``date:past`` for a date wholly before today; ``date:ahead`` for one after today that the words
    themselves put ahead ("내일", "다음주 화요일", "9월 15일"), not one that is merely read forward: "월요일"
    or "25일" could as well be the last one (read as past it is at most a month back), so it is neither."""
    if not isinstance(date, DateResult):
        return None
    today = now.date()
    last = (date.end or date.start).date()
    if date.precision == "month" and last.replace(day=1) == today.replace(day=1):
        last = today  # 이번달: a month covers its days
    if last < today:
        return "date:past"
    if date.start.date() <= today:
        return None
    back = parse_when(text, now, past=True)
    if isinstance(back, DateResult) and today - timedelta(days=_MONTH_DAYS) <= back.start.date() <= today:
        return None
    return "date:ahead"


@cache
def default_matcher() -> IntentMatcher:
    return IntentMatcher()


def parse_intent(text: str, now: datetime) -> Intent:
    """The best reading of :func:`bot.lang.understand.understand` as an :class:`Intent` (no facts); names
    come from :func:`bot.lang.names.default_index` (add pledges to it)."""
    from .understand import understand

    return understand(text, now).intent()
