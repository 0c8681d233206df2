"""Korean repetition phrases -> RFC 5545 recurrence rules (매주 금요일 17시, 매월 첫째 월요일, 매월 말일, 반기 말).

The rule is the standard RRULE text that python-dateutil reads and .ics files carry; the time of day comes from
the date layer. Holidays are handled where occurrences are computed (bot.domain.recurrence).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from bot.lang.dates import parse_when
from bot.lang.textutil import strip_command_words, tidy

DAYS = {"월": "MO", "화": "TU", "수": "WE", "목": "TH", "금": "FR", "토": "SA", "일": "SU"}
ORDINALS = {"첫째": 1, "첫번째": 1, "첫 번째": 1, "둘째": 2, "두번째": 2, "셋째": 3, "세번째": 3, "넷째": 4,
            "네번째": 4, "다섯째": 5, "마지막": -1}
_DAY = r"([월화수목금토일])(?:요일)?"
_EVERY_MONTH = r"(?:매월|매달|달마다|매 ?월)"
_ORDINAL = "|".join(sorted(ORDINALS, key=len, reverse=True))
DEFAULT_HOUR = 9

# (pattern, builder of the RRULE body from the match, Korean description)
_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(rf"{_EVERY_MONTH}\s*(?P<ord>{_ORDINAL})\s*(?:주\s*)?{_DAY}"), "monthly_weekday"),
    (re.compile(rf"{_EVERY_MONTH}\s*(?:말일|마지막\s*날|월말)"), "month_end"),
    (re.compile(rf"{_EVERY_MONTH}\s*(?P<day>[1-9]|[12]\d|3[01])\s*일(?!요일)"), "monthly_day"),
    (re.compile(r"(?:매\s*)?반기\s*(?:말|마지막\s*날)(?:마다)?"), "half_year_end"),
    (re.compile(r"(?:매\s*)?분기\s*(?:말|마지막\s*날)(?:마다)?"), "quarter_end"),
    (re.compile(r"(?:매년|해마다)\s*(?P<month>1[0-2]|[1-9])\s*월\s*(?P<day>[1-9]|[12]\d|3[01])\s*일"), "yearly"),
    (re.compile(r"(?:평일마다|매\s*평일|평일\s*매일)"), "weekdays"),
    (re.compile(rf"(?:매주|주마다)\s*(?P<days>{_DAY}(?:\s*[,·와과및]\s*{_DAY})*)"), "weekly"),
    (re.compile(rf"{_DAY}마다"), "weekly_suffix"),
    (re.compile(r"(?:매일|날마다|하루\s*한\s*번)"), "daily"),
]
_HOLIDAY_NONE = re.compile(r"휴일(?:에도|\s*그대로|\s*상관\s*없이)|공휴일\s*포함")
_HOLIDAY_NEXT = re.compile(r"(?:휴일이면\s*)?다음\s*(?:영업일|근무일|평일)")


@dataclass(frozen=True)
class Recurrence:
    rrule: str  # e.g. "FREQ=WEEKLY;BYDAY=FR;BYHOUR=17;BYMINUTE=0"
    description: str  # Korean, for the echo: "매주 금요일 17:00"
    rest: str  # what is left: the reminder's text
    holiday_shift: str  # previous | next | none
    assumed_time: bool  # no time was given: DEFAULT_HOUR was used


def _weekday_names(codes: list[str]) -> str:
    names = {v: k for k, v in DAYS.items()}
    return "·".join(f"{names[c]}요일" for c in codes)


def _body(kind: str, match: re.Match[str]) -> tuple[str, str]:
    """The RRULE without its time part, and the Korean description."""
    if kind == "monthly_weekday":
        ordinal = ORDINALS[re.sub(r"\s+", " ", match["ord"])]
        code = DAYS[match.group(2)]
        label = "마지막" if ordinal == -1 else f"{ordinal}번째"
        return f"FREQ=MONTHLY;BYDAY={ordinal}{code}", f"매월 {label} {_weekday_names([code])}"
    if kind == "month_end":
        return "FREQ=MONTHLY;BYMONTHDAY=-1", "매월 말일"
    if kind == "monthly_day":
        return f"FREQ=MONTHLY;BYMONTHDAY={int(match['day'])}", f"매월 {int(match['day'])}일"
    if kind == "half_year_end":
        return "FREQ=YEARLY;BYMONTH=6,12;BYMONTHDAY=-1", "반기 말(6월·12월 말일)"
    if kind == "quarter_end":
        return "FREQ=YEARLY;BYMONTH=3,6,9,12;BYMONTHDAY=-1", "분기 말(3·6·9·12월 말일)"
    if kind == "yearly":
        month, day = int(match["month"]), int(match["day"])
        return f"FREQ=YEARLY;BYMONTH={month};BYMONTHDAY={day}", f"매년 {month}월 {day}일"
    if kind == "weekdays":
        return "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "평일마다"
    if kind in ("weekly", "weekly_suffix"):
        codes = [DAYS[d] for d in re.findall(_DAY, match.group(0).removeprefix("매주").removeprefix("주마다"))]
        return f"FREQ=WEEKLY;BYDAY={','.join(dict.fromkeys(codes))}", f"매주 {_weekday_names(codes)}"
    return "FREQ=DAILY", "매일"


def _office_hour(hour: int) -> int:
    base = hour % 12
    return base + 12 if 1 <= base <= 6 else 12 if base == 0 else base


def parse_recurrence(text: str, now: datetime) -> Recurrence | None:
    """Read a repetition phrase; None when the text has none (then it is not a recurring reminder)."""
    for pattern, kind in _PATTERNS:
        match = pattern.search(text)
        if match is None:
            continue
        body, description = _body(kind, match)
        remainder = text[: match.start()] + " " + text[match.end():]
        shift = "none" if _HOLIDAY_NONE.search(remainder) else "next" if _HOLIDAY_NEXT.search(remainder) else "previous"
        remainder = _HOLIDAY_NEXT.sub(" ", _HOLIDAY_NONE.sub(" ", remainder))
        when = parse_when(remainder, now)
        hour, minute, assumed = DEFAULT_HOUR, 0, True
        if when.ok and when.precision == "minute" and not when.is_range:
            hour, minute, assumed = when.start.hour, when.start.minute, False
            if when.needs_meridiem:  # a bare "9시" repeats in office hours: 7~11 morning, 1~6 afternoon
                hour = _office_hour(hour)
            remainder = when.rest
        rest = tidy(strip_command_words(remainder))
        rule = f"{body};BYHOUR={hour};BYMINUTE={minute};BYSECOND=0"
        return Recurrence(rule, f"{description} {hour:02d}:{minute:02d}", rest, shift, assumed)
    return None
