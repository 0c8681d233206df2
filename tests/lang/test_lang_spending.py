"""bot.lang.spending: a slashed or dotted day before a word that starts like a counter (명절, 건물) is the date,
and real counts (5건, 참석 19명) still read as counts."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from bot.lang.amounts import Amount
from bot.lang.dates import SEOUL, DateResult
from bot.lang.names import NameIndex
from bot.lang.spending import read_spending

NOW = datetime(2018, 7, 20, 10, 0, tzinfo=SEOUL)


@pytest.mark.parametrize(
    ("text", "day", "payments", "purpose"),
    [
        ("지출 300만원 시책추진 간담회 7/19 명절 선물", date(2018, 7, 19), 1, "시책추진 간담회 명절 선물"),
        ("지출 300만원 7/19 명절", date(2018, 7, 19), 1, "명절"),
        ("지출 300만원 7/19명절", date(2018, 7, 19), 1, "명절"),
        ("지출 300만원 7.19 명절 선물", date(2018, 7, 19), 1, "명절 선물"),
        ("지출 300만원 7.19 명 절", date(2018, 7, 19), 1, "명 절"),
        ("지출 30만원 7/19 건물 관리", date(2018, 7, 19), 1, "건물 관리"),
        ("지출 30만원 7/19 회의 다과", date(2018, 7, 19), 1, "회의 다과"),
        ("지출 30만원 7/19 분기 간담회", date(2018, 7, 19), 1, "분기 간담회"),
        ("지출 30만원 7/19 5건 다과", date(2018, 7, 19), 5, "다과"),
        ("지출 12만원 7/20 다과 3건으로", date(2018, 7, 20), 3, "다과"),
        ("지출 30만원 참석 19명 간담회 7/18", date(2018, 7, 18), 1, "참석 19명 간담회"),
        ("지출 30만원 19명 참석 간담회", None, 1, "19명 참석 간담회"),
    ],
)
def test_day_count_and_purpose(text: str, day: date | None, payments: int, purpose: str) -> None:
    read = read_spending(text, NOW, NameIndex())
    assert isinstance(read.amount, Amount)
    if day is None:
        assert read.when is None
    else:
        assert isinstance(read.when, DateResult), read.when
        assert read.when.start.date() == day and read.when.precision == "day"
    assert (read.payments, read.purpose) == (payments, purpose)
