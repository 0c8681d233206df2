"""Typed corrections of an echo still waiting for 확인: "금액은 15만원", "4시로", "장소 시민청", "제목 …".

A correction names the field it changes ("장소 시민청") or, without a name, ends in 으로/로 and is a time,
a date or an amount on its own ("4시로", "15만원으로"). The value comes back as text; the feature that owns
the echo reads it with its own parser. Pure: no telegram, no storage.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from bot.lang.amounts import Amount, parse_amount
from bot.lang.dates import DateResult, parse_when

# The echo's editable fields and the words that name them.
WHEN, TITLE, AMOUNT, SUBJECT, PLACE, PEOPLE, LEAD, PURPOSE, CATEGORY, MEETING_TYPE = (
    "when", "title", "amount", "subject", "place", "people", "lead", "purpose", "category", "type")
LABELS = {WHEN: "날짜·시간", TITLE: "제목", AMOUNT: "금액", SUBJECT: "과목·분야", PLACE: "장소", PEOPLE: "참석자",
          LEAD: "알림 시점", PURPOSE: "내용", CATEGORY: "분류", MEETING_TYPE: "유형"}
_NAMES = (
    (WHEN, ("날짜와 시간", "날짜와 시각", "날짜", "시간", "시각", "일시", "일자")),
    (TITLE, ("제목", "일정명", "행사명", "회의명")),
    (AMOUNT, ("금액", "액수", "지출액")),
    (SUBJECT, ("과목", "분야")),
    (PLACE, ("장소", "위치", "방문지")),
    (PEOPLE, ("참석자", "참석", "동행자", "동행")),
    (LEAD, ("알림 시점", "알림시점", "알림")),
    (PURPOSE, ("내용", "목적", "지출 목적")),
    (CATEGORY, ("분류",)),
    (MEETING_TYPE, ("유형",)),
)
_NAME_RE = re.compile(
    r"^(?P<name>" + "|".join(re.escape(word) for _, words in _NAMES for word in sorted(words, key=len, reverse=True))
    + r")\s*(?:은|는|을|를|이|가|:)?\s+?(?P<value>.+)$")
_FIELD_OF = {word: name for name, words in _NAMES for word in words}
# Trailing request words: "…으로 바꿔 주세요", "…로 변경", "…로 해줘", "…요".
_TAIL_RE = re.compile(r"\s*(?:(?:으로|로)\s*)?(?:바꿔\s*(?:줘|주세요|주실래요)?|변경\s*(?:해\s*(?:줘|주세요))?|"
                      r"수정\s*(?:해\s*(?:줘|주세요))?|해\s*(?:줘|주세요)|고쳐\s*(?:줘|주세요)?)?\s*[.!]*$")
_TO_RE = re.compile(r"^(?P<value>.+?)\s*(?:으로|로)(?:\s*(?:바꿔|변경|수정|해|고쳐)\S*(?:\s*\S*)?)?\s*[.!]*$")
MAX_VALUE = 200


@dataclass(frozen=True)
class Correction:
    field: str
    value: str


def read_correction(text: str, now: datetime) -> Correction | None:
    """The field a typed line changes and its new value as text, or None if the line is no correction."""
    clean = " ".join(text.split())
    if not clean or len(clean) > MAX_VALUE or "?" in clean:
        return None
    named = _NAME_RE.match(clean)
    if named:
        value = _strip_tail(named["value"])
        return Correction(_FIELD_OF[named["name"]], value) if value else None
    bare = _TO_RE.match(clean)
    if not bare:
        return None
    value = bare["value"].strip()
    if isinstance(parse_amount(value), Amount) and "원" in value:
        return Correction(AMOUNT, value)
    if isinstance(parse_when(value, now), DateResult):
        return Correction(WHEN, value)
    return None


def _strip_tail(value: str) -> str:
    return _TAIL_RE.sub("", value).strip()
