"""Small text helpers shared by the date, amount and intent parsers.

Korean attaches particles (조사) to the word before them ("9월 15일에", "3시까지"), so whatever we cut out
of a sentence may leave a particle or a command phrase behind; these helpers tidy the leftover.
"""

from __future__ import annotations

import re

# Particles that may trail a date or an amount; longest first so "에서" wins over "에".
PARTICLES = (
    "에서는", "에서", "에는", "에도", "까지는", "까지", "부터는", "부터", "까진", "부턴", "으로", "에",
    "엔", "로", "의", "은", "는", "이", "가", "도", "을", "를", "와", "과", "랑", "하고", "씩",
)
# Postpositions that may stand as a word of their own: "이번 주 안에", "3일 이내", "내일 까지".
POSTPOSITIONS = ("안에", "안으로", "내에", "내로", "이내에", "이내", "까지", "부터", "중에", "중으로")
_PARTICLE_RE = re.compile(
    r"^(?:(?:" + "|".join(PARTICLES) + r")|\s+(?:" + "|".join(POSTPOSITIONS) + r"))(?![가-힣])"
)
_TRAILING_PARTICLE_RE = re.compile(r"(?:" + "|".join(PARTICLES) + r")$")
_AFTER_VOWEL = frozenset({"가", "는", "를", "와"})

# Trailing requests ("…알려줘", "…일정 추가해 줘"); matched at the end of the text, repeatedly.
COMMAND_WORDS = (
    r"알려\s?줘(?:요)?", r"알려\s?주세요", r"알려\s?줄래(?:요)?", r"알려\s?주라", r"알림\s?(?:설정|등록)?",
    r"알람\s?(?:설정|맞춰\s?줘)?", r"리마인드(?:\s?해\s?줘|\s?해\s?주세요|\s?부탁해)?", r"리마인더",
    r"일정\s?(?:추가|등록)(?:\s?해\s?줘|\s?해\s?주세요|\s?부탁해)?", r"(?:추가|등록)\s?해\s?(?:줘|주세요)",
    r"기억\s?해\s?(?:줘|주세요)", r"잡아\s?(?:줘|주세요)", r"부탁해(?:요)?",
)
_COMMAND_TAIL_RE = re.compile(
    r"(?:\s*(?:이?라고|하라고))?\s*(?:" + "|".join(COMMAND_WORDS) + r")\s*[.!?~]*\s*$"
)
_COMMAND_ENDINGS = frozenset("줘요래라림정록람드해더가")  # last letters of COMMAND_WORDS: a cheap pre-check
_COMMAND_HEAD_RE = re.compile(r"^\s*(?:리마인드|리마인더|알림|일정\s?(?:추가|등록))\s*[:：]\s*")
_SPACES_RE = re.compile(r"\s+")
_EMPTY_BRACKETS_RE = re.compile(r"\(\s*\)|\[\s*\]")
_EDGE_PUNCT = " \t,;:·-–—/~"


def collapse_spaces(text: str) -> str:
    """One space between words, none at the ends."""
    return _SPACES_RE.sub(" ", text).strip()


def strip_leading_particle(text: str) -> str:
    """Drop one particle at the very start of ``text`` ("에 서울식물원" → " 서울식물원")."""
    return _PARTICLE_RE.sub("", text, count=1)


def strip_trailing_particle(word: str) -> str:
    """Drop one particle at the end of a word ("강북구에서" → "강북구"), keeping at least two letters. 가, 는, 를
    and 와 follow a vowel only: after a final consonant they belong to the word (공구상가, 상가)."""
    word = word.rstrip()
    found = _TRAILING_PARTICLE_RE.search(word)
    if found is None:
        return word
    stripped = word[: found.start()]
    if found.group() in _AFTER_VOWEL and has_final_consonant(stripped):
        return word
    return stripped if len(stripped) >= 2 else word


def strip_command_words(text: str) -> str:
    """Remove request phrases such as 알려줘, 리마인드, 일정 추가 from the start or end of ``text``."""
    if "리마" in text or "알림" in text or "일정" in text:
        text = _COMMAND_HEAD_RE.sub("", text)
    while text.rstrip(" .!?~")[-1:] in _COMMAND_ENDINGS:
        match = _COMMAND_TAIL_RE.search(text, max(0, len(text) - 40))  # command phrases are short
        if match is None:
            break
        text = text[: match.start()]
    return collapse_spaces(text)


def tidy(text: str) -> str:
    """Collapse spaces, drop empty brackets and punctuation left dangling at the edges."""
    return collapse_spaces(_EMPTY_BRACKETS_RE.sub(" ", text)).strip(_EDGE_PUNCT)


def has_final_consonant(word: str) -> bool:
    """Whether the last sound of ``word`` has a 받침 (decides 은/는, 이/가); digits are read Sino-Korean."""
    for char in reversed(word):
        if "가" <= char <= "힣":
            return (ord(char) - 0xAC00) % 28 != 0
        if char.isdigit():
            return char in "013678"
        if char.isalpha():
            return False
    return False


def topic(word: str) -> str:
    """``word`` with the topic particle that fits it: 25시는, 2월 30일은."""
    return word + ("은" if has_final_consonant(word) else "는")


def cut(text: str, start: int, end: int) -> str:
    """``text`` without ``[start, end)``, with a particle glued to the cut-out part removed too."""
    tail = strip_leading_particle(text[end:])
    return f"{text[:start]} {tail}"
