"""Fuzzy lookup of the office's names: budget lines, the 25 자치구, council bodies, pledges added at run time.

Staff shorten and misspell: `기관운영` means 기관운영업무추진비, `강북` 강북구, `강뷱구` too. Scores (0-100):
- exact (spaces and punctuation ignored): 100;
- the word starts the name (`강북` → 강북구): 85-100 by how much of the name it covers;
- the name is inside the word (`강북구청`): 85-100 likewise;
- the word is inside the name elsewhere (`협의회` → 구청장협의회): 70-90;
- otherwise rapidfuzz on the jamo (ㄱㅏㅇㅂㅜㄱ…), so one wrong vowel costs little: at most 90.
A match is *sure* at 85 or more with a lead of 15 over the next name; otherwise the lookup keeps the top
candidates so the bot can ask "이거 말씀이세요?". rapidfuzz is imported on first use.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache

from .textutil import strip_trailing_particle

SURE = 85.0
MARGIN = 15.0
CUTOFF = 70.0
MAX_WORDS = 3

DEFAULT_NAMES: Mapping[str, tuple[str, ...]] = {
    "budget_line": ("기관운영업무추진비", "시책추진업무추진비"),
    "district": (
        "종로구", "중구", "용산구", "성동구", "광진구", "동대문구", "중랑구", "성북구", "강북구",
        "도봉구", "노원구", "은평구", "서대문구", "마포구", "양천구", "강서구", "구로구", "금천구",
        "영등포구", "동작구", "관악구", "서초구", "강남구", "송파구", "강동구",
    ),
    "council": ("의장단", "상임위원장단", "상임위원회", "구청장협의회", "부구청장회의"),
}

_INITIALS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
_MEDIALS = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
_FINALS = ("", *"ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ")
_NOT_NAME_CHARS = re.compile(r"[\s·ㆍ‧\-_/.,()'\"]+")
_WORD = re.compile(r"[0-9A-Za-z가-힣·ㆍ‧\-]+")


@dataclass(frozen=True, slots=True)
class NameMatch:
    kind: str
    name: str
    score: float


@dataclass(frozen=True, slots=True)
class NameLookup:
    """What a stretch of text (``token`` at ``span``) may name, best first."""

    token: str
    span: tuple[int, int]
    candidates: tuple[NameMatch, ...]

    @property
    def best(self) -> NameMatch | None:
        return self.candidates[0] if self.candidates else None

    @property
    def sure(self) -> bool:
        if not self.candidates or self.candidates[0].score < SURE:
            return False
        return len(self.candidates) == 1 or self.candidates[0].score - self.candidates[1].score >= MARGIN


def normalize(name: str) -> str:
    return _NOT_NAME_CHARS.sub("", name).lower()


def jamo(text: str) -> str:
    """Split Hangul syllables into letters, so 강뷱 and 강북 differ by one letter, not one syllable."""
    out: list[str] = []
    for char in text:
        code = ord(char) - 0xAC00
        if 0 <= code < 11172:
            out += (_INITIALS[code // 588], _MEDIALS[code % 588 // 28], _FINALS[code % 28])
        else:
            out.append(char)
    return "".join(out)


def one_letter_off(word: str, name: str) -> bool:
    """Whether `word` starts with `name` typed at most one letter off (강뷱 for 강북, 헌황 for 현황, 정책대샹별
    for 정책대상): a particle or 별 may follow."""
    from rapidfuzz.distance import Levenshtein

    target = jamo(name)
    return any(Levenshtein.distance(jamo(word[:cut]), target, score_cutoff=1) <= 1
               for cut in (len(name) - 1, len(name), len(name) + 1) if 0 < cut <= len(word))


@dataclass(frozen=True, slots=True)
class _Entry:
    kind: str
    key: str  # normalized
    name: str
    letters: str  # jamo of key


class NameIndex:
    """Names by kind; fill it with :meth:`add` (e.g. pledge titles loaded from the database)."""

    def __init__(self, names: Mapping[str, Iterable[str]] | None = None) -> None:
        self._entries: dict[tuple[str, str], _Entry] = {}
        for kind, values in (names or {}).items():
            self.add(kind, values)

    def add(self, kind: str, names: Iterable[str]) -> None:
        for name in names:
            key = normalize(name)
            if key:
                self._entries[(kind, key)] = _Entry(kind, key, name, jamo(key))

    def replace(self, kind: str, names: Iterable[str]) -> None:
        self._entries = {ident: entry for ident, entry in self._entries.items() if entry.kind != kind}
        self.add(kind, names)

    def names(self, kind: str) -> tuple[str, ...]:
        return tuple(entry.name for entry in self._entries.values() if entry.kind == kind)

    def lookup(
        self,
        query: str,
        *,
        kinds: Iterable[str] | None = None,
        limit: int = 3,
        span: tuple[int, int] = (0, 0),
    ) -> NameLookup:
        """Candidates for ``query`` as a whole (also tried without a trailing particle: 강북구에서)."""
        wanted = None if kinds is None else set(kinds)
        entries = [entry for entry in self._entries.values() if wanted is None or entry.kind in wanted]
        best: dict[tuple[str, str], NameMatch] = {}
        for token in {normalize(query), normalize(strip_trailing_particle(query))}:
            if len(token) < 2:
                continue
            contained = [match for entry in entries if (match := _contained(token, entry))]
            for match in (*contained, *_fuzzy(token, entries)):
                known = best.get((match.kind, match.name))
                if known is None or known.score < match.score:
                    best[(match.kind, match.name)] = match
        ranked = sorted(best.values(), key=lambda match: -match.score)
        return NameLookup(query, span, tuple(ranked[:limit]))

    def find_all(self, text: str, *, kinds: Iterable[str] | None = None, limit: int = 3) -> list[NameLookup]:
        """Names mentioned in a sentence: each run of 1-3 words is looked up; the best runs that do not
        overlap win (an exact 상임위원장단 beats 상임위원장단 간담회 read as one name)."""
        words = list(_WORD.finditer(text))
        found: list[NameLookup] = []
        for first in range(len(words)):
            for last in range(first, min(first + MAX_WORDS, len(words))):
                span = (words[first].start(), words[last].end())
                lookup = self.lookup(text[span[0] : span[1]], kinds=kinds, limit=limit, span=span)
                if lookup.best is not None:
                    found.append(lookup)
        found.sort(key=lambda item: (-_score(item), item.span[0] - item.span[1]))
        chosen: list[NameLookup] = []
        for lookup in found:
            if all(lookup.span[1] <= other.span[0] or other.span[1] <= lookup.span[0] for other in chosen):
                chosen.append(lookup)
        return sorted(chosen, key=lambda item: item.span)


@cache
def default_index() -> NameIndex:
    """The names from the work report; callers add pledge titles with ``default_index().add("pledge", …)``."""
    return NameIndex(DEFAULT_NAMES)


def _score(lookup: NameLookup) -> float:
    return lookup.candidates[0].score if lookup.candidates else 0.0


def _contained(token: str, entry: _Entry) -> NameMatch | None:
    key = entry.key
    if token == key:
        score = 100.0
    elif key.startswith(token):
        score = 85 + 15 * len(token) / len(key)
    elif key in token and len(key) >= 2:
        score = 85 + 15 * len(key) / len(token)
    elif token in key:
        score = 70 + 20 * len(token) / len(key)
    else:
        return None
    return NameMatch(entry.kind, entry.name, score)


def _fuzzy(token: str, entries: list[_Entry]) -> list[NameMatch]:
    from rapidfuzz import fuzz, process

    choices = [entry.letters for entry in entries]
    hits = process.extract(jamo(token), choices, scorer=fuzz.ratio, limit=5, score_cutoff=CUTOFF / 0.9)
    return [NameMatch(entries[at].kind, entries[at].name, 0.9 * score) for _choice, score, at in hits]
