"""What a "알려줘" message asks for: an event, a one-off personal reminder, or a repeating one.

`9월 15일 오후 3시 서울식물원 개관식 알려줘` → an event (reminded D-7, D-1 and an hour before);
`개관식 9월 15일 15시에 알려줘` → the same event, reminded D-7, D-1 and at 15:00 (the time asked for);
`30분 뒤에 회의자료 챙기라고 알려줘`, `4시에 보고서 제출 알려줘` → a personal reminder at that moment;
`매주 금요일 17시 주간보고 알려줘` → a recurring reminder (RFC 5545 rule).
Which is which: bot/lang/schedule_words.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime

from bot.lang.dates import DateFailure, DateResult, parse_when
from bot.lang.limits import field_problem
from bot.lang.recurrence import Recurrence, parse_recurrence
from bot.lang.schedule_words import AT_START, NUDGE_HOUR, asks_at_time, is_task
from bot.lang.tails import strip_tail
from bot.lang.textutil import tidy

_TEAM = re.compile(r"(?:팀\s*)?(?:전체|전원|모두|다\s*같이|다같이)(?:에게|한테|에)?(?:\s*공유)?")
_RELATIVE = re.compile(
    r"\d+\s*(?:분|시간|일|주|주일|개월|달)\s*(?:뒤|후)|(?:하루|이틀|사흘|한\s*시간)\s*(?:반\s*)?(?:뒤|후)"
)
# "회의자료 챙기라고 알려줘": what was said, as a task ("회의자료 챙기기").
_SAYING = re.compile(r"(?<=[가-힣])으?라고\s*(?:$|알려|리마인드)")
_ADVERB_TAIL = re.compile(r"(?:\s+(?:꼭|좀|다시|미리|한번|잊지\s*말고))+$")  # "간담회 꼭 알려줘": not the title
_LEADS = re.compile(r"D\s*-\s*(\d{1,3})(?:\s*알림)?|(\d{1,3})\s*(분|시간|일)\s*전(?:에)?(?:\s*알림)?", re.IGNORECASE)
CATEGORIES = {
    "기자설명회": "기자설명회", "브리핑": "기자설명회", "발표": "발표",
    "개관": "개관", "개장": "개관", "협약": "협약", "MOU": "협약", "결연": "협약", "투표": "투표", "총회": "회의",
    "회의": "회의", "간담회": "회의", "협의회": "회의", "면담": "회의", "평가": "평가", "점검": "평가",
    "박람회": "행사", "행사": "행사", "축제": "행사", "기념": "행사",
}
TITLE_EXAMPLE = "예: '9월 15일 오후 3시 서울식물원 개관식 알려줘', '30분 뒤에 회의자료 챙기라고 알려줘'"


@dataclass(frozen=True)
class EventRequest:
    title: str
    when: DateResult
    audience: str  # me | team
    category: str
    lead_minutes: tuple[int, ...] | None  # None: the configured defaults


@dataclass(frozen=True)
class PersonalRequest:
    text: str
    when: DateResult


@dataclass(frozen=True)
class RecurringRequest:
    text: str
    recurrence: Recurrence
    audience: str


@dataclass(frozen=True)
class RequestProblem:
    reason: str  # Korean, with an example of what to type


ReminderRequest = EventRequest | PersonalRequest | RecurringRequest


def category_of(title: str) -> str:
    for word, category in CATEGORIES.items():
        if word.lower() in title.lower():
            return category
    return "일정"


def _lead_minutes(text: str) -> tuple[tuple[int, ...] | None, str]:
    minutes: list[int] = []
    for match in _LEADS.finditer(text):
        if match.group(1):
            minutes.append(int(match.group(1)) * 24 * 60)
        else:
            unit = {"분": 1, "시간": 60, "일": 24 * 60}[match.group(3)]
            minutes.append(int(match.group(2)) * unit)
    return (tuple(sorted(set(minutes), reverse=True)) or None), _LEADS.sub(" ", text)


# What may sit between the lead times of a typed change: "D-1 하고 1시간 전", "D-7, D-1 그리고 정각".
_LEAD_GLUE = re.compile(r"(?:하고|그리고|이랑|랑|및|와|과|에|,|·|/|\+|알림|알려\s*(?:줘|주세요)?|으로|로|\s)+")
_AT_START_WORD = re.compile(r"정각|시작\s*시[각간]|제\s*시간")
_NO_LEADS = re.compile(r"^(?:없이|없음|없어|끄기|꺼\s*줘|안\s*(?:해|함|받음)|필요\s*없(?:어|음)?)\S*$")


def read_leads(text: str) -> tuple[int, ...] | None:
    """The reminder times of a typed change, in minutes before the start, largest first: "30분 전" → (30,),
    "D-1 하고 1시간 전" → (1440, 60), "정각" → AT_START (D-7, D-1 and at the start, as "…시에 알려줘"),
    "D-1 하고 정각" → (1440, 0), "없이" → () (no reminder). None when the text is not only lead times."""
    clean = " ".join(text.split())
    if _NO_LEADS.match(clean):
        return ()
    leads, rest = _lead_minutes(clean)
    at_start = _AT_START_WORD.search(rest) is not None
    if _LEAD_GLUE.sub("", _AT_START_WORD.sub(" ", rest)):
        return None
    if leads is None:
        return AT_START if at_start else None
    return tuple(sorted({*leads, 0}, reverse=True)) if at_start else leads


def _audience(text: str) -> tuple[str, str]:
    found = _TEAM.search(text)
    return ("team", _TEAM.sub(" ", text)) if found else ("me", text)


def read_request(text: str, now: datetime) -> ReminderRequest | RequestProblem:
    audience, text = _audience(text)
    recurrence = parse_recurrence(text, now)
    if recurrence is not None:
        if not recurrence.rest:
            return RequestProblem("무엇을 알려 드릴지 함께 적어 주세요. 예: '매주 금요일 17시 주간보고 알려줘'")
        too_long = field_problem("reminder_text", recurrence.rest)
        return RequestProblem(too_long) if too_long else RecurringRequest(recurrence.rest, recurrence, audience)
    leads, text = _lead_minutes(text)
    when = parse_when(text, now, strip_commands=False)
    if isinstance(when, DateFailure):
        return RequestProblem(f"{when.reason}\n{TITLE_EXAMPLE}")
    if when.start < now and when.precision == "minute":
        return RequestProblem("이미 지난 시각입니다. 앞으로의 날짜나 시각을 적어 주세요. " + TITLE_EXAMPLE)
    saying = _SAYING.search(when.rest)
    title = tidy(when.rest[: saying.start()] + "기") if saying else strip_tail(when.rest)
    title = _ADVERB_TAIL.sub("", title)
    if not title:
        return RequestProblem(f"무엇을 알려 드릴지 함께 적어 주세요. {TITLE_EXAMPLE}")
    nudge = audience == "me" and leads is None and (saying is not None or is_task(title))
    personal = audience == "me" and (bool(_RELATIVE.search(when.text)) or (nudge and when.precision != "month"))
    if too_long := field_problem("reminder_text" if personal else "event_title", title):
        return RequestProblem(too_long)
    if personal:
        return _nudge(title, when, now)
    if leads is None and when.precision == "minute" and asks_at_time(text):
        leads = AT_START
    return EventRequest(title, when, audience, category_of(title), leads)


def _nudge(title: str, when: DateResult, now: datetime) -> PersonalRequest | RequestProblem:
    """A nudge at its time; given only a day, at NUDGE_HOUR that morning."""
    if when.precision == "minute":
        return PersonalRequest(title, when)
    start = when.start.replace(hour=NUDGE_HOUR, minute=0, second=0, microsecond=0)
    if start <= now:
        return RequestProblem(f"몇 시에 알려 드릴까요? 예: '오늘 오후 4시에 {title} 알려줘'")
    return PersonalRequest(title, replace(when, start=start, end=None, precision="minute", tentative=False))
