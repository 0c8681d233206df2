"""Why a date could not be read: impossible dates and times, vague words — in Korean, with an example.

korean-datetime rightly refuses `2월 30일` or `25시`, but only says "nothing found". These checks turn
that into a reason the user can act on, and they also stop a partial read: in `2월 30일 오후 3시` the
library might still take `오후 3시`, which would be a confident misread.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from typing import Literal

from .textutil import topic

FailureCode = Literal[
    "empty", "not_found", "invalid_date", "invalid_time", "invalid_step", "vague", "weekday_mismatch",
    "out_of_range",
]
# Failures that mean "a date was written, but it is wrong": reported to the user, never read as "no date".
REPORTED_FAILURES: frozenset[str] = frozenset(
    {"invalid_date", "invalid_time", "invalid_step", "weekday_mismatch", "out_of_range"})
# The years the bot keeps dates in (the CLI's --now has the same bounds): 9999년 is a typo, not a plan.
FIRST_YEAR, LAST_YEAR = 2000, 2100

EXAMPLES = "예: 내일 오후 3시, 9.15, 다음주 화요일"

# Words that name no moment ("sometime", "later"); korean-datetime reads a few of them as "now".
VAGUE_WORDS = (
    "언젠가", "언제든지", "언제든", "언제라도", "아무때나", "아무 때나", "아무때", "나중에", "다음에",
    "조만간", "이따가", "이따", "조금 있다가", "조금있다가", "잠시 후", "잠시후", "곧", "금방", "머지않아",
    "언제", "시간 날 때", "시간 될 때", "틈나면", "적당히", "아무 날", "아무날",
)
_VAGUE_RE = re.compile("|".join(sorted(map(re.escape, VAGUE_WORDS), key=len, reverse=True)))

_YMD_RE = re.compile(
    r"(?:(?P<y>\d{4})\s*년\s*)?(?<!\d)(?P<m>\d{1,3})\s*월\s*(?P<d>\d{1,3})\s*일"
    r"|(?<![\d.])(?P<y2>\d{4})[-./]\s?(?P<m2>\d{1,2})[-./]\s?(?P<d2>\d{1,2})(?!\d)"
    r"|(?<![\d/])(?P<m3>\d{1,2})/(?P<d3>\d{1,2})(?![\d/])"
)
# A step from now: "30분 뒤", "-5분 뒤", "마이너스 3일 후", "0시간 뒤", "1.5시간 뒤", "5분 전".
_STEP_RE = re.compile(
    r"(?P<sign>(?<![\w.])(?:[-−－]|마이너스)\s*)?(?<![\d.])(?<!월)(?<!월\s)(?P<n>\d+(?:\.\d+)?)\s*"
    r"(?P<unit>초|분|시간|일|주일|주|개월|달|년)\s*(?P<dir>뒤|후|이후|지나서|전)"
)
_STEP_HINT = re.compile("[뒤후전서]")
_MONTH_RE = re.compile(r"(?<!\d)(?P<m>\d{1,3})\s*월(?!\s*\d{1,3}\s*일)")
_TIME_RE = re.compile(  # 25시, 3시 75분, 24:30
    r"(?<![\d:])(?:(?P<h>\d{1,3})\s*시(?!간)(?:\s*(?P<mi>\d{1,3})\s*분)?|(?P<h2>\d{1,2}):(?P<mi2>\d{2})(?![\d:]))"
)


@dataclass(frozen=True, slots=True)
class Problem:
    code: FailureCode
    reason: str


def find_problem(text: str) -> Problem | None:
    """The first impossible date or time written in ``text``, if any."""
    if _DIGIT_RE.search(text) is None:
        return None
    for check, hints in _CHECKS:
        if hints.search(text):
            problem = check(text)
            if problem is not None:
                return problem
    return None


def step_problem(text: str) -> Problem | None:
    """A step from now that names no real moment: zero ("0분 뒤" is now), negative ("-5분 뒤" would read
    as +5), or a decimal ("1.5시간 뒤" would read as 5시간)."""
    if _STEP_HINT.search(text) is None or _DIGIT_RE.search(text) is None:
        return None
    for match in _STEP_RE.finditer(text):
        written = match.group().strip()
        number, unit = match["n"], match["unit"]
        if match["sign"]:
            magnitude = f"{number}{unit}"
            return Problem(
                "invalid_step",
                f"‘{written}’처럼 음수는 쓸 수 없습니다. "
                f"앞으로의 때는 ‘{magnitude} 뒤’, 지난 때는 ‘{magnitude} 전’처럼 적어 주세요.",
            )
        if "." in number:
            return Problem(
                "invalid_step",
                f"{topic(f'‘{written}’')} 읽을 수 없습니다. 소수 대신 정수로 적어 주세요. 예: 1시간 30분 뒤, 2일 뒤",
            )
        if int(number) == 0:
            step = f"{number}{unit} {match['dir']}"
            return Problem(
                "invalid_step",
                f"{topic(step)} 바로 지금입니다. 1{unit} 이상으로 입력해 주세요. "
                f"예: 30분 {match['dir']}, 2시간 {match['dir']}",
            )
    return None


def vague_word(text: str) -> str | None:
    """The vague word in ``text`` ("언젠가"), if there is one."""
    match = _VAGUE_RE.search(text)
    return match.group() if match else None


def vague_problem(word: str) -> Problem:
    return Problem("vague", f"{topic(f'‘{word}’')} 정해진 때가 아니라서 날짜로 정할 수 없습니다. {EXAMPLES}")


def not_found(text: str) -> Problem:
    if not text.strip():
        return Problem("empty", f"날짜나 시간을 입력해 주세요. {EXAMPLES}")
    word = vague_word(text)
    if word is not None:
        return vague_problem(word)
    return Problem("not_found", f"날짜나 시간을 찾지 못했습니다. {EXAMPLES}")


def weekday_mismatch(month: int, day: int, actual: int, written: int) -> Problem:
    names = "월화수목금토일"
    return Problem(
        "weekday_mismatch",
        f"{topic(f'{month}월 {day}일')} {names[actual]}요일입니다(적힌 요일: {names[written]}). "
        "날짜나 요일을 확인해 주세요.",
    )


def _bad_date(text: str) -> Problem | None:
    for match in _YMD_RE.finditer(text):
        year_text = match["y"] or match["y2"]
        month = int(match["m"] or match["m2"] or match["m3"])
        day = int(match["d"] or match["d2"] or match["d3"])
        year = int(year_text) if year_text else None
        if not 1 <= month <= 12:
            return _no_month(month)
        last = _last_day(year, month)
        if not 1 <= day <= last:
            prefix = f"{year}년 " if year else ""
            example = min(last, 28) if month == 2 and not year else last
            return Problem(
                "invalid_date",
                f"{topic(f'{prefix}{month}월 {day}일')} 없는 날짜입니다. 예: {prefix}{month}월 {example}일",
            )
    return None


def _bad_month(text: str) -> Problem | None:
    for match in _MONTH_RE.finditer(text):
        month = int(match["m"])
        if not 1 <= month <= 12:
            return _no_month(month)
    return None


def _bad_time(text: str) -> Problem | None:
    for match in _TIME_RE.finditer(text):
        hour = int(match["h"] or match["h2"])
        minute = int(match["mi"] or match["mi2"] or 0)
        if hour > 24 or minute > 59 or (hour == 24 and minute > 0):
            shown = match.group().strip()
            return Problem("invalid_time", f"{topic(shown)} 없는 시각입니다. 예: 오후 1시, 13시, 13:30")
    return None


_DIGIT_RE = re.compile(r"\d")
# Each check with the characters its pattern needs, so most texts skip the regular expressions.
_CHECKS = (
    (_bad_date, re.compile(r"[월/.-]")),
    (_bad_month, re.compile("월")),
    (_bad_time, re.compile("[시:]")),
)


def _no_month(month: int) -> Problem:
    reason = f"{topic(f'{month}월')} 없는 달입니다. 달은 1월부터 12월까지입니다. 예: 12월 25일"
    return Problem("invalid_date", reason)


def _last_day(year: int | None, month: int) -> int:
    # Without a year, 2월 29일 is a real date (the next leap year's), so allow 29.
    return calendar.monthrange(year if year else 2000, month)[1]


def year_problem(first: int, last: int) -> Problem | None:
    """A date outside the years the bot keeps (FIRST_YEAR..LAST_YEAR)."""
    if first >= FIRST_YEAR and last <= LAST_YEAR:
        return None
    year = first if first < FIRST_YEAR else last
    return Problem("out_of_range", f"{year}년은 받을 수 없습니다. {FIRST_YEAR}년부터 {LAST_YEAR}년 사이의 날짜로 "
                                   f"입력해 주세요. {EXAMPLES}")
