"""Korean dates and times: ``parse_when(text, now)`` → a :class:`DateResult` or a :class:`DateFailure`.

The grammar is korean-datetime's; this module is glue:
1. a pre-pass (:mod:`bot.lang.dateprep`) for the report's dotted forms, month ranges and weekday marks;
2. impossible dates/times are refused with a Korean reason (:mod:`bot.lang.datecheck`), never guessed;
3. the library's half-open ``[start, end)`` + grain is mapped to ours: ``start``, an inclusive ``end`` (only
   for spans), ``precision`` in {minute, day, month}, ``tentative`` (예정/중/쯤/경), ambiguity flags;
4. a day and a time written apart ("9월 15일 서울식물원 개관식 오후 3시", "오후 3시 개관식 9월 15일") are one
   moment: the library reads them as two expressions, the first of which alone would give an all-day date
   and leave the time in the title;
5. the date words (with their particle and, optionally, command words) are cut out, leaving ``rest``;
6. other languages go to dateparser, lazily imported (:mod:`bot.lang.datefallback`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import cache
from itertools import pairwise
from typing import Any, ClassVar, Literal
from zoneinfo import ZoneInfo

from korean_datetime import (
    Ambiguity,
    BuiltinHolidays,
    ChainedHolidays,
    Cycle,
    DateTableHolidays,
    Grain,
    Kind,
    ParseOptions,
    TemporalExpression,
    TemporalParser,
)

from .datecheck import (
    REPORTED_FAILURES,
    VAGUE_WORDS,
    FailureCode,
    Problem,
    find_problem,
    not_found,
    step_problem,
    vague_problem,
    weekday_mismatch,
    year_problem,
)
from .datefallback import FOREIGN_RE, Found, fallback
from .dateprep import WEEKDAYS, WeekdayMark, rewrite
from .datescan import speed_up
from .textutil import cut, strip_command_words, tidy

SEOUL = ZoneInfo("Asia/Seoul")
Precision = Literal["minute", "day", "month"]

_SUB_DAY = {
    Grain.SECOND: timedelta(seconds=1),
    Grain.MINUTE: timedelta(minutes=1),
    Grain.HOUR: timedelta(hours=1),
}
_DAY_GRAINS = (Grain.DAY, Grain.WEEK)
_VAGUE = frozenset(VAGUE_WORDS)
_QUOTES = "'’‘"
# A hedge written right after the date: "9월 중", "3시경에", "10월 중(예정)", "9월 예정".
_HEDGE_AFTER = re.compile(
    r"\s*(?:(?:중|쯤|경|께|즈음|무렵|전후)(?:에는|에|으로|로)?(?![가-힣])(?:\s*\(\s*예정\s*\))?"
    r"|\(\s*예정\s*\)|예정(?![가-힣]))"
)
_HEDGE_INSIDE = re.compile(r"(?:[\s주]중|쯤|즈음|무렵)$")  # the library keeps "중" in "다음주 중"
_PLANNED = re.compile(r"예정(?!대로|된|되|돼)")
_PLANNED_WORD = re.compile(r"\(?\s*예정\s*\)?(?=[\s,.)]|$)")
_RANGE_MARK = re.compile(r"~|부터")
_DIGIT = re.compile(r"\d")
_WEEKDAY_WORD = re.compile(r"([월화수목금토일])(?:요일|욜)")


@dataclass(frozen=True, slots=True)
class DateResult:
    """A date read from text. ``end`` is inclusive at ``precision`` and set only for spans."""

    start: datetime
    end: datetime | None
    precision: Precision
    tentative: bool
    rest: str
    text: str  # the date words as the user wrote them
    span: tuple[int, int]
    ambiguities: tuple[str, ...] = ()  # korean-datetime's Ambiguity values, e.g. "meridiem" for a bare 3시
    source: Literal["korean-datetime", "dateparser"] = "korean-datetime"
    ok: ClassVar[Literal[True]] = True  # lets `if result.ok:` narrow the type

    @property
    def needs_meridiem(self) -> bool:
        """True when 오전/오후 was assumed (`3시`, `12시`): a handler may ask the user."""
        return "meridiem" in self.ambiguities or "noon_or_midnight" in self.ambiguities

    @property
    def is_range(self) -> bool:
        return self.end is not None

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": True,
            "start": self.start.isoformat(),
            "end": self.end.isoformat() if self.end else None,
            "precision": self.precision,
            "tentative": self.tentative,
            "rest": self.rest,
        }


@dataclass(frozen=True, slots=True)
class DateFailure:
    """No date could be read; ``reason`` is a Korean sentence for the user, with an example."""

    reason: str
    code: FailureCode
    text: str
    ok: ClassVar[Literal[False]] = False

    def as_dict(self) -> dict[str, Any]:
        return {"ok": False, "error": self.reason}


class DateParser:
    """Reusable parser; pass ``holidays`` (``{date: name}``, e.g. ``holidays.KR(language="ko")``) to add
    substitute and temporary holidays to the library's built-in calendar."""

    def __init__(self, holidays: Mapping[date, str] | None = None) -> None:
        calendar = ChainedHolidays(DateTableHolidays(holidays), BuiltinHolidays()) if holidays else None
        self._future = speed_up(TemporalParser(ParseOptions(holidays=calendar)))
        self._past = speed_up(TemporalParser(ParseOptions(cycle=Cycle.PAST, holidays=calendar)))

    def parse(
        self, text: str, now: datetime, *, past: bool = False, strip_commands: bool = True
    ) -> DateResult | DateFailure:
        """Read the first date in ``text``. ``past`` reads undated forms as the latest past occurrence
        (for logs of what happened); ``strip_commands`` also drops 알려줘/리마인드/일정 추가 from ``rest``.
        A date outside the years the bot keeps (2000–2100) is refused."""
        result = self._read(text, now, past=past, strip_commands=strip_commands)
        if past and isinstance(result, DateResult):
            result = _latest_morning(result, now if now.tzinfo else now.replace(tzinfo=SEOUL))
        if isinstance(result, DateResult):
            last = result.end or result.start
            if (problem := year_problem(result.start.year, last.year)) is not None:
                return _failure(problem, text)
        return result

    def _read(self, text: str, now: datetime, *, past: bool, strip_commands: bool) -> DateResult | DateFailure:
        now = now if now.tzinfo else now.replace(tzinfo=SEOUL)
        step = step_problem(text)  # "0분 뒤", "-5분 뒤": the library reads midnight, or +5
        if step is not None:
            return _failure(step, text)
        prepared = rewrite(text)
        expression, apart = self._first(prepared.text, now, past)
        if expression is None or _digits_outside(prepared.text, expression.span):
            # an impossible date is refused even if the library read something else around it:
            # "2월 30일 오후 3시" must not become today 15:00
            problem = find_problem(prepared.text)
            if problem is not None:
                return _failure(problem, text)
        if expression is not None and expression.text.strip() in _VAGUE:
            return _failure(vague_problem(expression.text.strip()), text)
        span = prepared.to_original(*expression.span) if expression else None
        if expression is None or _worth_fallback(text, expression, span):
            found = fallback(text, now, past=past)
            if found is not None and (span is None or _covers(found.span, span)):
                return _from_fallback(found, text, strip_commands)
        if expression is None or span is None:
            return _failure(not_found(text), text)
        if past and expression.kind is Kind.TIME and expression.start > now:
            expression = _day_before(expression)
        second = prepared.to_original(*apart.span) if apart is not None else None
        return _from_expression(expression, text, span, prepared.marks, strip_commands, second)

    def _first(
        self, text: str, now: datetime, past: bool
    ) -> tuple[TemporalExpression | None, TemporalExpression | None]:
        """The first expression, joined with a time (or day) written apart from it; and that other part."""
        parser = self._past if past else self._future
        try:
            found = parser.parse_all(text, now)
        except (ValueError, OverflowError, IndexError):  # the library's own guard misses a few corners
            return None, None
        if not found:
            return None, None
        first = found[0]
        other = next((item for item in found[1:] if _complements(first, item)), None)
        if other is None:
            return first, None
        return _joined(first, other), other


@cache
def default_parser() -> DateParser:
    return DateParser()


def parse_when(
    text: str, now: datetime, *, past: bool = False, strip_commands: bool = True
) -> DateResult | DateFailure:
    """Read the first date or time in ``text`` relative to ``now`` (tz-aware; naive means Asia/Seoul)."""
    return default_parser().parse(text, now, past=past, strip_commands=strip_commands)


def written_date(result: DateResult | DateFailure) -> DateResult | DateFailure | None:
    """What a query's optional date slot holds: the date, None when no date was written (or only a vague
    word), or the failure when the date written is impossible ("2월 30일 기준 잔액"): that one must be told
    to the user, never read as "no date" and answered for today."""
    if isinstance(result, DateResult) or result.code in REPORTED_FAILURES:
        return result
    return None


def optional_date(text: str, now: datetime, *, past: bool = False) -> DateResult | DateFailure | None:
    """The date a query may name (see :func:`written_date`)."""
    return written_date(parse_when(text, now, past=past))


_OFFICE_MORNING = range(7, 12)  # a bare "9시" gone by today is 09:00, not yesterday's or tonight's 21:00


def _latest_morning(result: DateResult, now: datetime) -> DateResult:
    """A log's bare clock time (오전/오후 not said) is the latest one gone by: "오늘 9시 … 끝" said at 10:00 is
    09:00 today, whereas the library reads 9시 forward (21:00) or, shifted back, as yesterday 21:00."""
    if "meridiem" not in result.ambiguities or result.end is not None or result.precision != "minute":
        return result
    morning = result.start - timedelta(hours=12)
    if "cycle_shifted" in result.ambiguities and result.start.date() < now.date():
        morning += timedelta(days=1)  # no day was written: this morning, if it is gone by
    if (morning.hour in _OFFICE_MORNING and result.start < morning <= now) or (
            result.start > now and morning.hour in _OFFICE_MORNING and morning <= now):
        return replace(result, start=morning)
    return result


def _failure(problem: Problem, text: str) -> DateFailure:
    return DateFailure(problem.reason, problem.code, text)


def _worth_fallback(text: str, expression: TemporalExpression, span: tuple[int, int] | None) -> bool:
    """Foreign words next to a bare time ("tomorrow 3pm": the library takes only "3pm")."""
    if span is None or expression.grain not in _SUB_DAY or expression.kind is not Kind.TIME:
        return False
    return bool(FOREIGN_RE.search(text[: span[0]]) or FOREIGN_RE.search(text[span[1] :]))


def _is_day(expression: TemporalExpression) -> bool:
    return expression.kind is Kind.DATE and expression.grain is Grain.DAY and not expression.is_range


def _is_clock(expression: TemporalExpression) -> bool:
    return expression.kind is Kind.TIME and expression.grain in _SUB_DAY


def _complements(first: TemporalExpression, other: TemporalExpression) -> bool:
    """A single day and a clock time, in either order: "9월 15일 … 오후 3시", "오후 3시 … 9월 15일"."""
    return (_is_day(first) and _is_clock(other)) or (_is_clock(first) and _is_day(other))


def _joined(first: TemporalExpression, other: TemporalExpression) -> TemporalExpression:
    """The day of one with the time of the other; the first's span (the caller cuts the other's too)."""
    day, clock = (first, other) if _is_day(first) else (other, first)
    start = datetime.combine(day.start.date(), clock.start.timetz())
    # the clock's own day is "today" and means nothing here; the day's flags (cycle_shifted) still hold
    flags = (*day.ambiguities, *(flag for flag in clock.ambiguities if flag is not Ambiguity.CYCLE_SHIFTED))
    return replace(
        first, kind=Kind.DATETIME, grain=clock.grain, start=start, end=start + (clock.end - clock.start),
        is_range=clock.is_range, ambiguities=tuple(dict.fromkeys(flags)),
    )


def _day_before(expression: TemporalExpression) -> TemporalExpression:
    """A bare time in a log is the latest one gone by: "오후 3시" said at 10:00 is yesterday's."""
    day = timedelta(days=1)
    flags = (*expression.ambiguities, Ambiguity.CYCLE_SHIFTED)
    return replace(expression, start=expression.start - day, end=expression.end - day, ambiguities=flags)


def _digits_outside(text: str, span: tuple[int, int]) -> bool:
    return bool(_DIGIT.search(text, 0, span[0]) or _DIGIT.search(text, span[1]))


def _covers(outer: tuple[int, int], inner: tuple[int, int]) -> bool:
    return outer[0] <= inner[0] and inner[1] <= outer[1]


def span_of(expression: TemporalExpression) -> tuple[datetime, datetime | None, Precision]:
    """The library's half-open ``[start, end)`` + grain → start, inclusive end (None for one unit),
    precision. Public so the benchmark can score the library alone the same way."""
    start, stop = expression.start, expression.end
    unit = _SUB_DAY.get(expression.grain)
    if unit is not None:
        single = not expression.is_range and stop - start <= unit
        return start.replace(second=0, microsecond=0), None if single else stop, "minute"
    last_day = stop - timedelta(days=1)
    if expression.grain in _DAY_GRAINS:
        return start, last_day if last_day > start else None, "day"
    last_month = last_day.replace(day=1)
    return start, last_month if last_month > start else None, "month"


def _from_expression(
    expression: TemporalExpression,
    text: str,
    span: tuple[int, int],
    marks: tuple[WeekdayMark, ...],
    strip_commands: bool,
    second: tuple[int, int] | None = None,
) -> DateResult | DateFailure:
    """``second``: where a time (or day) written apart from the first expression is, cut out of ``rest`` too;
    then ``text`` holds both parts and ``span`` runs from the first to the last."""
    start, end, precision = span_of(expression)
    problem = _weekday_word_problem(expression.text, start) if end is None and precision != "month" else None
    if problem is not None:
        return _failure(problem, text)
    begin, stop = span
    if begin > 0 and text[begin - 1] in _QUOTES:  # '18.7.10
        begin -= 1
    if marks:
        own_marks = [mark for mark in marks if begin <= mark.start and not text[stop : mark.start].strip()]
        stop = max(stop, own_marks[-1].end) if own_marks else stop
        problem = _check_marks(own_marks, text[begin:stop], begin, start, end)
        if problem is not None and precision != "month":
            return _failure(problem, text)
    hedge = _HEDGE_AFTER.match(text, stop)
    if hedge:
        stop = hedge.end()
    if second is not None and (later := _HEDGE_AFTER.match(text, second[1])):
        hedge, second = later, (second[0], later.end())
    planned = "예정" in text and _PLANNED.search(text)
    tentative = bool(hedge or _HEDGE_INSIDE.search(expression.text) or planned)
    pieces = sorted([(begin, stop), *([second] if second else [])])
    return DateResult(
        start=start,
        end=end,
        precision=precision,
        tentative=tentative,
        rest=_rest(text, pieces, strip_commands),
        text=" ".join(text[a:b].strip() for a, b in pieces),
        span=(pieces[0][0], pieces[-1][1]),
        ambiguities=tuple(flag.value for flag in expression.ambiguities),
    )


def _from_fallback(found: Found, text: str, strip_commands: bool) -> DateResult:
    begin, stop = found.span
    return DateResult(
        start=found.start,
        end=found.end,
        precision=found.precision,
        tentative=False,
        rest=_rest(text, [(begin, stop)], strip_commands),
        text=found.text,
        span=found.span,
        source="dateparser",
    )


def _check_marks(
    marks: list[WeekdayMark], written: str, offset: int, start: datetime, end: datetime | None
) -> Problem | None:
    """Weekdays in brackets must match: the first mark the start date, a mark after `~`/부터 the end date."""
    for index, mark in enumerate(marks):
        after_range = bool(_RANGE_MARK.search(written[: mark.start - offset]))
        day = end if end is not None and (after_range or (index and index == len(marks) - 1)) else start
        if day.weekday() != mark.weekday:
            return weekday_mismatch(day.month, day.day, day.weekday(), mark.weekday)
    return None


def _weekday_word_problem(written: str, start: datetime) -> Problem | None:
    """The library ignores a weekday after a step ("2주 뒤 월요일" → a Friday): refuse, don't misread."""
    if "요일" not in written and "욜" not in written:
        return None
    days = _WEEKDAY_WORD.findall(written)
    if len(days) == 1 and WEEKDAYS.index(days[0]) != start.weekday():
        return weekday_mismatch(start.month, start.day, start.weekday(), WEEKDAYS.index(days[0]))
    return None


def _rest(text: str, pieces: list[tuple[int, int]], strip_commands: bool) -> str:
    """``text`` without the date's pieces (in order, not overlapping) and the particles glued to them."""
    kept = [text[: pieces[0][0]], *(text[a[1] : b[0]] for a, b in pairwise(pieces)),
            text[pieces[-1][1] :]]
    if not any(part.strip() for part in kept):
        return ""
    rest = text
    for begin, stop in reversed(pieces):
        rest = cut(rest, begin, stop)
    rest = _PLANNED_WORD.sub(" ", rest) if "예정" in rest else rest
    return tidy(strip_command_words(rest) if strip_commands else rest)
