"""Which fact a question is about (pure): the facts' own question words, longest and most specific first,
with fuzzy matching for typos; and the closest topics when nothing matches (never a guessed figure)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

_KEY_CHARS = re.compile(r"[^a-z0-9가-힣]+")
_SQUEEZE = re.compile(r"[\s·・.,?!~\-]+")
STRONG = 3.0  # a specific phrase (3+ letters) or two phrases: the question is about this fact
WEAK = 2.0


@dataclass(frozen=True)
class FactEntry:
    key: str
    topic: str
    questions: tuple[str, ...]
    labels: tuple[str, ...] = ()  # the labels of the fact's figures ("청년교류", "서울-도쿄 자매결연")


_LABEL_WORDS = re.compile(r"[0-9A-Za-z가-힣]{2,}")


def label_phrases(labels: Sequence[str]) -> tuple[tuple[str, ...], ...]:
    """Each figure label as its words (squeezed, two letters or more): a figure is findable by its label's
    words wherever they stand in the question ("도쿄랑 자매결연 몇 주년" finds 서울-도쿄 자매결연)."""
    return tuple(words for label in labels if (words := tuple(w.lower() for w in _LABEL_WORDS.findall(label))))


def _label_length(squeezed: str, words: tuple[str, ...]) -> int:
    """How much of a label the question says: the letters of its words found, when the whole label is found
    or two of its words are (one common word, such as 서울, is not enough)."""
    found = [w for w in words if w in squeezed]
    return sum(map(len, found)) if len(found) == len(words) or len(found) >= 2 else 0


@dataclass(frozen=True)
class FactMatch:
    key: str
    topic: str
    score: float


def key_base(topic: str, day: date) -> str:
    """The key a new fact is filed under: its topic as a slug plus the day it was entered ("서울시-인구-180720");
    storage adds "-2", "-3"… if the key is taken."""
    slug = _KEY_CHARS.sub("-", topic.lower()).strip("-")[:40] or "fact"
    return f"{slug}-{day:%y%m%d}"


def squeeze(text: str) -> str:
    return _SQUEEZE.sub("", text).lower()


def _score(text: str, entry: FactEntry) -> float:
    found = sorted((len(q) for q in map(squeeze, (*entry.questions, entry.topic)) if len(q) >= 2 and q in text),
                   reverse=True)
    if not found:
        return 0.0
    return found[0] + 0.5 * (len(found) - 1)


def rank(text: str, entries: Sequence[FactEntry], limit: int = 4) -> list[FactMatch]:
    """Facts whose question words appear in the text, best first (scores: the longest phrase's length, plus
    half a point for each other phrase found)."""
    squeezed = squeeze(text)
    scored = [FactMatch(e.key, e.topic, _score(squeezed, e)) for e in entries]
    found = sorted((m for m in scored if m.score > 0), key=lambda m: -m.score)
    if found:
        return found[:limit]
    return _fuzzy(squeezed, entries, limit)


def _fuzzy(squeezed: str, entries: Sequence[FactEntry], limit: int) -> list[FactMatch]:
    """Typos (자매도씨, 참여에산): the best partial similarity of a question word, scaled below STRONG."""
    from rapidfuzz import fuzz

    if len(squeezed) < 3:
        return []
    scored = []
    for entry in entries:
        best = max((fuzz.partial_ratio(squeeze(q), squeezed) for q in entry.questions if len(squeeze(q)) >= 3),
                   default=0.0)
        if best >= 80:
            scored.append(FactMatch(entry.key, entry.topic, WEAK * best / 100))
    return sorted(scored, key=lambda m: -m.score)[:limit]


def closest_topics(text: str, entries: Sequence[FactEntry], limit: int = 3) -> list[str]:
    """The topics most like the text, for "이런 자료가 있습니다" (keys, best first)."""
    from rapidfuzz import fuzz, process

    choices = {e.key: f"{e.topic} {' '.join(e.questions)}" for e in entries}
    found = process.extract(text, choices, scorer=fuzz.token_set_ratio, limit=limit)
    return [key for _, _, key in found]


class FactIndex:
    """The facts' question words, squeezed once, for ranking many messages against the same facts (the
    understanding step keeps one per set of facts: build it when the facts change, not per message)."""

    def __init__(self, entries: Sequence[FactEntry]) -> None:
        self.entries = tuple(entries)
        self._phrases = tuple(
            (entry, tuple(sorted({q for q in map(squeeze, (*entry.questions, entry.topic)) if len(q) >= 2},
                                 key=len, reverse=True)), label_phrases(entry.labels))
            for entry in self.entries
        )
        pairs = [(squeeze(q), at) for at, entry in enumerate(self.entries) for q in entry.questions
                 if len(squeeze(q)) >= 3]
        self._fuzzy_choices = [q for q, _at in pairs]
        self._fuzzy_owner = [at for _q, at in pairs]

    def rank(self, squeezed: str, limit: int = 4, *, fuzzy: bool = True) -> list[FactMatch]:
        """Like :func:`rank`, for a message already squeezed with :func:`squeeze`."""
        found: list[FactMatch] = []
        for entry, phrases, labels in self._phrases:
            lengths = [len(q) for q in phrases if q in squeezed]
            labelled = max((_label_length(squeezed, words) for words in labels), default=0)
            if labelled > (lengths[0] if lengths else 0):  # a label said more fully than any question phrase
                lengths = [labelled, *lengths[1:]]
            if lengths:
                found.append(FactMatch(entry.key, entry.topic, lengths[0] + 0.5 * (len(lengths) - 1)))
        if found:
            return sorted(found, key=lambda m: -m.score)[:limit]
        return self._fuzzy(squeezed, limit) if fuzzy and len(squeezed) >= 3 else []

    def _fuzzy(self, squeezed: str, limit: int) -> list[FactMatch]:
        """As :func:`_fuzzy`, over the question words squeezed once (one C call for all of them)."""
        from rapidfuzz import fuzz, process

        best: dict[int, float] = {}
        for _choice, score, at in process.extract(squeezed, self._fuzzy_choices, scorer=fuzz.partial_ratio,
                                                  score_cutoff=80, limit=None):
            owner = self._fuzzy_owner[at]
            best[owner] = max(best.get(owner, 0.0), score)
        found = [FactMatch(self.entries[i].key, self.entries[i].topic, WEAK * score / 100) for i, score in best.items()]
        return sorted(found, key=lambda m: -m.score)[:limit]
