"""What a request for the office's work report says (pure): the file format, the as-of date and the month it covers,
or the monthly push turned on, off or asked about — from `/report …` arguments ("/report 2018-07-20 xlsx") or from
a message ("이번달 업무보고 엑셀로 줘", "지난달 업무보고 보내줘").

Dates are read with the chat's Korean date reader. A date still to come within half a year ("8월 3일" said on 7.20) is
refused with a hint to add the year; other dates are read back (as figures are: "12월" said in January is last
December). A day is the as-of date; a month is that month up to its last day (or today, for this month); a span such as
"6월 말" is as of its last day. A date after today is refused: the report counts what has happened.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from .datecheck import REPORTED_FAILURES
from .datefmt import format_day
from .dates import DateFailure, DateResult, parse_when

FORMATS = ("pdf", "xlsx", "hwpx")
FORMAT_NAMES = {"pdf": "PDF", "xlsx": "엑셀(xlsx)", "hwpx": "한글(hwpx)"}
_FORMAT_WORDS = (
    ("pdf", r"pdf|피디에프"),
    ("xlsx", r"xlsx|xls|엑셀|액셀|excel|스프레드\s*시트"),
    ("hwpx", r"hwpx|hwp|한글|한컴|아래아\s*한글"),
)
_FORMATS = tuple((fmt, re.compile(rx, re.IGNORECASE)) for fmt, rx in _FORMAT_WORDS)
# Formats the report is not made in: named back, with the ones it is.
_OTHER_FORMAT = re.compile(
    r"(?<![a-z])(?:docx?|odt|rtf|pptx?|csv|txt|html?|json|zip|png|jpe?g)(?![a-z])|워드|파워포인트", re.IGNORECASE)
_PARTICLE = r"(?:으로|로|파일로|파일|형식으로|형식|버전으로|버전)?"
# `/report on|off|상태`: the monthly push.
_PUSH = {"on": True, "켜기": True, "켜": True, "켜줘": True, "off": False, "끄기": False, "꺼": False, "꺼줘": False,
         "상태": None, "status": None, "설정": None}
_FILLER = re.compile(r"^(?:기준(?:으로|일)?|의|로|으로|까지|보고서?|주요업무|업무보고|파일)$")

_YEAR = re.compile(r"(?<!\d)(?:19|20|21)\d\d(?!\d)|년")  # a year written: "2019-01-01", "작년 12월"
_AHEAD_DAYS = 183  # "8월 3일" said on 7.20 is the coming one: refused (not read as last year's) within half a year
USAGE = ("예: /report (오늘 기준 PDF) · /report xlsx · /report hwpx · /report 7/20 · /report 2018-07-20 xlsx · "
         "/report 6월 · /report off · /report 상태")


@dataclass(frozen=True)
class ReportAsk:
    """The report asked for: its format, as-of date, and the days its field work covers (None: the as-of date's
    month from its 1st, the report's default)."""

    fmt: str
    as_of: date
    period: tuple[date, date] | None = None


@dataclass(frozen=True)
class PushChoice:
    """`/report on|off` (on = True/False) or `/report 상태` (on = None)."""

    on: bool | None


@dataclass(frozen=True)
class ReportProblem:
    """Input that asks for no report the bot can make: why, in Korean, and what to type instead."""

    reason: str


def format_in(text: str) -> str | None:
    """The format a message names (엑셀, 한글, PDF …), if any."""
    found = [(m.start(), fmt) for fmt, rx in _FORMATS if (m := rx.search(text))]
    return min(found)[1] if found else None


def _other_format(text: str) -> str | None:
    found = _OTHER_FORMAT.search(text)
    return found.group(0) if found else None


def _format_problem(name: str) -> ReportProblem:
    return ReportProblem(f"{name} 형식의 보고서는 만들 수 없습니다. PDF(기본), 엑셀(xlsx), 한글(hwpx) 중에서 골라 "
                         f"주세요.\n{USAGE}")


def _month_end(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def _not_yet(result: DateResult, now: datetime, hint: bool) -> ReportProblem:
    """A date still to come: no report is made as of it; `hint`: the year was not written, say how to name last
    year's."""
    start = result.start
    month = result.precision == "month"
    named = f"{start.month}월은" if month else f"{format_day(start.date(), now)}은(는)"
    text = (f"{named} 아직 지나지 않았으니 그 기준의 보고서는 만들 수 없습니다. "
            f"오늘({format_day(now.date(), now)})까지의 날짜로 요청해 주세요.")
    if hint:
        last_year = f"{start.year - 1}년 {start.month}월" if month else f"{start.year - 1}-{start:%m-%d}"
        text += f" 지난해의 것이면 {last_year}처럼 연도를 붙여 주세요."
    return ReportProblem(f"{text}\n{USAGE}")


def ask_for(result: DateResult, fmt: str, now: datetime) -> ReportAsk | ReportProblem:
    """The report a date asks for (see the module's docstring), or why there is none."""
    today = now.date()
    start = result.start.date()
    if result.precision == "month":
        last = _month_end((result.end or result.start).date())
        as_of, period = min(last, today), (start, min(last, today))
    else:
        as_of, period = (result.end or result.start).date(), None
    if start > today or as_of > today:
        return _not_yet(result, now, hint=False)
    return ReportAsk(fmt, as_of, period)


def _dated(text: str, fmt: str, now: datetime, *, strict: bool) -> ReportAsk | ReportProblem:
    """The date in `text` (today when none is written); `strict` (a command's arguments): nothing else may be
    left over."""
    if not text.strip():
        return ReportAsk(fmt, now.date())
    ahead = parse_when(text, now)
    if isinstance(ahead, DateResult) and 0 < (ahead.start.date() - now.date()).days <= _AHEAD_DAYS and not (
            _YEAR.search(ahead.text)):
        return _not_yet(ahead, now, hint=any(c.isdigit() for c in ahead.text))
    found = parse_when(text, now, past=True)
    if isinstance(found, DateFailure):
        if found.code in REPORTED_FAILURES:
            return ReportProblem(f"{found.reason}\n{USAGE}")
        if strict:
            return ReportProblem(f"'{text.strip()}'은(는) 날짜로도 형식으로도 읽을 수 없습니다.\n{USAGE}")
        return ReportAsk(fmt, now.date())
    left = [word for word in found.rest.split() if not _FILLER.match(word)]
    if strict and left:
        return ReportProblem(f"'{' '.join(left)}'은(는) 날짜로도 형식으로도 읽을 수 없습니다.\n{USAGE}")
    return ask_for(found, fmt, now)


def read_report_args(args: str, now: datetime) -> ReportAsk | PushChoice | ReportProblem:
    """`/report`'s arguments: nothing (today's PDF), a format, a date, both in any order, or on/off/상태."""
    words = args.split()
    if len(words) == 1 and words[0].lower() in _PUSH:
        return PushChoice(_PUSH[words[0].lower()])
    if any(word.lower() in _PUSH for word in words):
        return ReportProblem("월간 보고서 자동 발송은 /report on, /report off, /report 상태 로 따로 보내 주세요."
                             f"\n{USAGE}")
    formats: list[str] = []
    rest: list[str] = []
    for word in words:
        fmt = next((f for f, rx in _FORMATS if re.fullmatch(rf"(?:{rx.pattern}){_PARTICLE}", word, re.IGNORECASE)),
                   None)
        if fmt is not None:
            formats.append(fmt)
        elif (other := _other_format(word)) is not None:
            return _format_problem(other)
        else:
            rest.append(word)
    if len(set(formats)) > 1:
        return ReportProblem(f"형식은 하나만 골라 주세요 (PDF, xlsx, hwpx).\n{USAGE}")
    return _dated(" ".join(rest), formats[0] if formats else "pdf", now, strict=True)


def read_report_words(text: str, now: datetime) -> ReportAsk | ReportProblem:
    """A message asking for the report: the format it names (PDF unless told) and its date, if any."""
    fmt = format_in(text)
    if fmt is None and (other := _other_format(text)) is not None:
        return _format_problem(other)
    return _dated(text, fmt or "pdf", now, strict=False)
