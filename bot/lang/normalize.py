"""Stand-in normaliser (interface only; the full one — spacing, abbreviations, typos, number words — lands
from branch h12-normalize and replaces this file).

    >>> normalize("음 내일 3시 회의 알려 주실 수 있을까요?").text
    '내일 3시 회의 알려줘'
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Normalized:
    text: str  # what the understanding step reads
    typed: str  # as typed
    fixes: tuple[str, ...]  # what was changed ("filler", "polite", …)
    polite_request: bool  # a polite wrapper ("…해 주실 수 있을까요?") asked for something: not a question


_SPACES = re.compile(r"\s+")
_FILLERS = re.compile(r"(?:(?<=\s)|^)(?:어+|음+|으음|그+|저기|아|뭐냐|있잖아)(?:[,.…]+|\s)+")
_POLITE = re.compile(
    r"(?P<verb>알려|해|등록해|추가해|기록해|남겨|잡아|넣어|보여|찾아|바꿔|옮겨|미뤄|취소해|지워|뽑아|보내)\s*"
    r"(?:주실\s*수\s*있(?:을까요|나요|으세요|으신가요)|주시겠(?:어요|습니까)|주세요|줄래요?|주시면\s*(?:좋겠|감사)\S*)"
    r"\s*[?？.!]*\s*$"
)
_SPLIT = re.compile(r"\s*(?:\n+|[;；]|(?<=[요줘고])\.\s+|,?\s*그리고\s+|,?\s*그리고요\s+|\s+또\s+|,\s*아\s*그리고\s+)\s*")


_COPULA = re.compile(r"(?<=[0-9천만억]원)(?=이(?:야|에요|예요|고|었|래|라서|니까)|입니다|임\b|인데)")


def normalize(text: str) -> Normalized:
    fixes: list[str] = []
    clean = _COPULA.sub(" ", _SPACES.sub(" ", text).strip())
    without = _FILLERS.sub("", clean).strip()
    if without != clean and without:
        fixes.append("filler")
        clean = without
    polite = _POLITE.search(clean)
    if polite:
        clean = clean[: polite.start()] + polite.group("verb") + "줘"
        fixes.append("polite")
    return Normalized(clean, text, tuple(fixes), polite is not None)


def split_requests(text: str) -> tuple[str, ...]:
    """The requests of one message, in order ("잔액 알려주고 그리고 내일 일정도" → two)."""
    parts = tuple(part.strip(" ,.") for part in _SPLIT.split(text))
    return tuple(part for part in parts if part) or (text.strip(),)
