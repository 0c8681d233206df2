"""bot.lang.datefmt: dates as the office writes them, and they read back to the same value."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest
from date_corpus import NOW, SEOUL
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.lang.datefmt import Precision, format_day, format_dday, format_span, format_when
from bot.lang.dates import DateResult, parse_when


def at(month: int, day: int, hour: int = 0, minute: int = 0, year: int = 2018) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=SEOUL)


@pytest.mark.parametrize(
    ("start", "end", "precision", "tentative", "shown"),
    [
        (at(9, 15, 15), None, "minute", False, "9.15.(토) 15:00"),
        (at(7, 20), None, "day", False, "7.20.(금)"),
        (at(8, 6), at(9, 1), "day", False, "8.6.(월)~9.1.(토)"),
        (at(9, 1), None, "month", True, "9월 중(예정)"),
        (at(9, 1), None, "month", False, "9월"),
        (at(3, 4, year=2019), None, "day", False, "2019.3.4.(월)"),
        (at(3, 1, year=2019), None, "month", False, "2019년 3월"),
        (at(7, 1), at(8, 1), "month", False, "7~8월"),
        (at(7, 1), at(8, 1), "month", True, "7~8월 중(예정)"),
        (at(12, 1), at(2, 1, year=2019), "month", False, "2018년 12월~2019년 2월"),
        (at(7, 21, 14), at(7, 21, 16), "minute", False, "7.21.(토) 14:00~16:00"),
        (at(7, 21, 14), at(7, 22, 16), "minute", False, "7.21.(토) 14:00~7.22.(일) 16:00"),
        (at(12, 20), at(1, 5, year=2019), "day", False, "12.20.(목)~2019.1.5.(토)"),
        (at(9, 15, 15), None, "minute", True, "9.15.(토) 15:00 예정"),
    ],
)
def test_format_span(
    start: datetime, end: datetime | None, precision: Precision, tentative: bool, shown: str
) -> None:
    assert format_span(start, end, precision, tentative, now=NOW) == shown
    back = parse_when(shown, NOW, past=start < NOW.replace(hour=0))
    assert isinstance(back, DateResult), back
    assert (back.start, back.end, back.precision, back.tentative) == (start, end, precision, tentative)


@pytest.mark.parametrize(
    ("start", "precision", "shown"),
    [
        (at(7, 20, 15), "minute", "오늘 15:00"),
        (at(7, 21), "day", "내일"),
        (at(7, 22, 9, 30), "minute", "모레 09:30"),
        (at(7, 19, 14), "minute", "어제 14:00"),
        (at(7, 25), "day", "7.25.(수)"),
    ],
)
def test_relative_words_where_they_help(start: datetime, precision: Precision, shown: str) -> None:
    assert format_span(start, None, precision, now=NOW, relative=True) == shown
    back = parse_when(shown, NOW)
    assert back.ok and (back.start, back.precision) == (start, precision)


def test_format_when_takes_a_result_and_dday_counts_days() -> None:
    result = parse_when("9.1.(토) 14:00", NOW)
    assert isinstance(result, DateResult)
    assert format_when(result, NOW) == "9.1.(토) 14:00"
    assert format_dday(result.start, NOW) == "D-43"
    assert format_dday(NOW, NOW) == "D-day"
    assert format_dday(date(2018, 7, 18), NOW) == "D+2"
    assert format_day(date(2019, 1, 1), NOW) == "2019.1.1.(화)"


@dataclass(frozen=True)
class Value:
    start: datetime
    end: datetime | None
    precision: Precision
    tentative: bool


def _value(base: datetime, precision: Precision, length: int, minute_of_day: int, tentative: bool) -> Value:
    if precision == "month":
        start = base.replace(day=1, hour=0, minute=0)
        end_month = (start.month - 1 + length) % 12 + 1
        end_year = start.year + (start.month - 1 + length) // 12
        end = start.replace(year=end_year, month=end_month) if length else None
        return Value(start, end, precision, tentative)
    if precision == "day":
        start = base.replace(hour=0, minute=0)
        return Value(start, start + timedelta(days=length) if length else None, precision, tentative)
    start = base.replace(hour=minute_of_day // 60, minute=minute_of_day % 60)
    return Value(start, start + timedelta(minutes=15 * length) if length else None, precision, tentative)


@settings(max_examples=400, deadline=None)
@given(
    st.dates(min_value=date(2017, 8, 1), max_value=date(2019, 6, 30)),
    st.sampled_from(["minute", "day", "month"]),
    st.integers(min_value=0, max_value=6),
    st.integers(min_value=0, max_value=23 * 60),
    st.booleans(),
    st.booleans(),
)
def test_format_then_parse_is_identity(
    day: date, precision: Precision, length: int, minute_of_day: int, tentative: bool, relative: bool
) -> None:
    midnight = datetime(day.year, day.month, day.day, tzinfo=SEOUL)
    value = _value(midnight, precision, length, minute_of_day, tentative)
    shown = format_when(value, NOW, relative=relative)
    past = value.start < NOW.replace(hour=0, minute=0)
    back = parse_when(shown, NOW, past=past)
    assert isinstance(back, DateResult), (shown, back)
    assert (back.start, back.end, back.precision, back.tentative) == (
        value.start, value.end, value.precision, value.tentative,
    ), shown
