"""Typed corrections of an echo still waiting for 확인: "금액은 15만원", "4시로", "장소 시민청", "제목 …",
"참석자에 교통정책과장 추가", "알림 D-1 하고 1시간 전", "정각에 알려줘".

A correction names the field it changes ("장소 시민청") or, without a name, ends in 으로/로 and is a time,
a date or an amount on its own ("4시로", "15만원으로"). The value comes back as text; the feature that owns
the echo reads it with its own parser (participants: `change_people` below; reminder times:
bot.lang.requests.read_leads). Pure: no telegram, no storage.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from bot.lang.amounts import Amount, parse_amount
from bot.lang.dates import DateResult, parse_when
from bot.lang.fieldlog import read_people
from bot.lang.requests import read_leads

# The echo's editable fields and the words that name them.
WHEN, TITLE, AMOUNT, SUBJECT, PLACE, PEOPLE, LEAD, PURPOSE, CATEGORY, MEETING_TYPE = (
    "when", "title", "amount", "subject", "place", "people", "lead", "purpose", "category", "type")
LABELS = {WHEN: "날짜·시간", TITLE: "제목", AMOUNT: "금액", SUBJECT: "과목·분야", PLACE: "장소", PEOPLE: "참석자",
          LEAD: "알림", PURPOSE: "내용", CATEGORY: "분류", MEETING_TYPE: "유형"}
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
    + r")\s*(?:은|는|을|를|이|가|에서|에|:)?\s+?(?P<value>.+)$")
_FIELD_OF = {word: name for name, words in _NAMES for word in words}
# Trailing request words: "…으로 바꿔 주세요", "…로 변경", "…로 해줘", "…요".
_TAIL_RE = re.compile(r"\s*(?:(?:으로|로)\s*)?(?:바꿔\s*(?:줘|주세요|주실래요)?|변경\s*(?:해\s*(?:줘|주세요))?|"
                      r"수정\s*(?:해\s*(?:줘|주세요))?|해\s*(?:줘|주세요)|고쳐\s*(?:줘|주세요)?)?\s*[.!]*$")
_TO_RE = re.compile(r"^(?P<value>.+?)\s*(?:으로|로)(?:\s*(?:바꿔|변경|수정|해|고쳐)\S*(?:\s*\S*)?)?\s*[.!]*$")
# "정각에 알려줘", "시작 시각에 알림": remind at the start itself, without naming the field.
_AT_START_RE = re.compile(r"^(?:정각|제\s*시간|시작\s*시각|시작\s*시간)에?\s*(?:알려\s*(?:줘|주세요)?|알림)?\s*[.!]*$")
AT_START_WORD = "정각"
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
    if _AT_START_RE.match(clean):
        return Correction(LEAD, AT_START_WORD)
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


def reads_as(name: str, text: str, now: datetime) -> bool:
    """`text` is a whole value of the field `name` (typed after its change button): "2시간 전" and "D-3" are
    reminder times there, not a question about the agenda or the pledges."""
    value = _strip_tail(" ".join(text.split()))
    if name == LEAD:
        return read_leads(value) is not None
    if name == WHEN:
        return isinstance(parse_when(value, now), DateResult)
    if name == AMOUNT:
        return isinstance(parse_amount(value), Amount)
    return False


def _strip_tail(value: str) -> str:
    return _TAIL_RE.sub("", value).strip()


# -- participants ----------------------------------------------------------------------------------

_PLEASE = r"(?:\s*(?:줘|주세요|해\s*줘|해\s*주세요))?$"
_PEOPLE_ADD = re.compile(r"\s*(?:도|를|을)?\s*(?:추가|더|넣어|포함)\S*" + _PLEASE)
_PEOPLE_REMOVE = re.compile(r"\s*(?:은|는|를|을)?\s*(?:빼|제외|삭제|빠짐|불참)\S*" + _PLEASE)
_NOBODY = frozenset({"없음", "없이", "없어", "없습니다", "-", "모두 삭제", "전부 삭제"})
PEOPLE_EXAMPLE = "예: 복지정책실장 외 2명 · 교통정책과장 추가 · 행정국장 빼기 · 없음"


def change_people(value: str, current: list[str]) -> list[str] | str:
    """The participant list after a typed change: "교통정책과장 추가" adds, "행정국장 빼줘" removes, "없음" empties,
    anything else ("복지정책실장 외 2명, 행정국장") replaces. A str is why it cannot be (Korean, with an example)."""
    text = " ".join(value.split())
    if text in _NOBODY:
        return []
    added, removed = _PEOPLE_ADD.search(text), _PEOPLE_REMOVE.search(text)
    change = added or removed
    named = text[: change.start()] if change else text
    people = [person for part in re.split(r"\s*[,，]\s*", named) for person in read_people(part)]
    if not people:
        return f"참석자를 알아보지 못했습니다. {PEOPLE_EXAMPLE}"
    if added:
        return list(dict.fromkeys([*current, *people]))
    if removed:
        gone = [person for person in current if any(_names(person, typed) for typed in people)]
        if not gone:
            return f"참석자 목록에 {', '.join(people)}이(가) 없습니다. 지금 참석자: {', '.join(current) or '없음'}"
        return [person for person in current if person not in gone]
    return people


def _names(person: str, typed: str) -> bool:
    """'복지정책실장 외 2명' is named by '복지정책실장'."""
    return person == typed or person.split(" 외 ")[0].split(" 등 ")[0] == typed
