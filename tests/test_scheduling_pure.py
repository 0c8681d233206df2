"""Pure scheduling: repetition phrases to RRULEs, occurrences off holidays, lead times, agenda windows."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from bot.clock import SEOUL
from bot.domain.agenda import window_for
from bot.domain.leads import DraftEvent, ReminderSettings, plan
from bot.domain.recurrence import next_occurrence
from bot.lang.dates import parse_when
from bot.lang.recurrence import parse_recurrence
from bot.lang.requests import EventRequest, PersonalRequest, RecurringRequest, RequestProblem, read_request

NOW = datetime(2018, 7, 20, 10, 0, tzinfo=SEOUL)  # a Friday


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=SEOUL)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("text", "rule", "rest"),
    [
        ("매월 첫째 월요일 10시 주간회의 알려줘", "FREQ=MONTHLY;BYDAY=1MO;BYHOUR=10;BYMINUTE=0;BYSECOND=0", "주간회의"),
        ("매주 금요일 17시 주간보고 알려줘", "FREQ=WEEKLY;BYDAY=FR;BYHOUR=17;BYMINUTE=0;BYSECOND=0", "주간보고"),
        ("매월 말일 정산 알려줘", "FREQ=MONTHLY;BYMONTHDAY=-1;BYHOUR=9;BYMINUTE=0;BYSECOND=0", "정산"),
        ("반기 말 자체평가 알려줘", "FREQ=YEARLY;BYMONTH=6,12;BYMONTHDAY=-1;BYHOUR=9;BYMINUTE=0;BYSECOND=0",
         "자체평가"),
        ("매주 월, 수 오후 2시 회의", "FREQ=WEEKLY;BYDAY=MO,WE;BYHOUR=14;BYMINUTE=0;BYSECOND=0", "회의"),
        ("화요일마다 9시 반 점검", "FREQ=WEEKLY;BYDAY=TU;BYHOUR=9;BYMINUTE=30;BYSECOND=0", "점검"),
        ("매월 마지막 금요일 3시 보고", "FREQ=MONTHLY;BYDAY=-1FR;BYHOUR=15;BYMINUTE=0;BYSECOND=0", "보고"),
        ("매월 15일 공동마케팅", "FREQ=MONTHLY;BYMONTHDAY=15;BYHOUR=9;BYMINUTE=0;BYSECOND=0", "공동마케팅"),
        ("매일 아침 8시 스크랩", "FREQ=DAILY;BYHOUR=8;BYMINUTE=0;BYSECOND=0", "스크랩"),
    ],
)
def test_repetition_phrases_become_rrules(text: str, rule: str, rest: str) -> None:
    found = parse_recurrence(text, NOW)
    assert found is not None and found.rrule == rule and found.rest == rest


def test_holiday_policy_words() -> None:
    assert parse_recurrence("매주 월요일 10시 회의 휴일에도", NOW).holiday_shift == "none"  # type: ignore[union-attr]
    assert parse_recurrence("매월 1일 점검 휴일이면 다음 영업일", NOW).holiday_shift == "next"  # type: ignore[union-attr]
    assert parse_recurrence("내일 오후 3시 회의", NOW) is None


def test_occurrences_move_to_the_previous_working_day() -> None:
    rule = "FREQ=WEEKLY;BYDAY=MO;BYHOUR=10;BYMINUTE=0;BYSECOND=0"
    after, seen = at(2018, 9, 14, 12), []
    for _ in range(3):
        after = next_occurrence(rule, NOW, after, SEOUL, "previous")  # type: ignore[assignment]
        seen.append(after)
    assert seen == [at(2018, 9, 17, 10), at(2018, 9, 21, 10), at(2018, 10, 1, 10)]
    assert next_occurrence(rule, NOW, at(2018, 9, 17, 10), SEOUL, "none") == at(2018, 9, 24, 10)
    assert next_occurrence(rule, NOW, at(2018, 9, 17, 10), SEOUL, "next") == at(2018, 9, 27, 10)


def test_lead_times_for_timed_day_and_month_events() -> None:
    settings = ReminderSettings()
    timed = DraftEvent("개관식", at(2018, 9, 15, 15), None, "minute", False)
    assert [(p.label, p.due_at) for p in plan(timed, settings, NOW)] == [
        ("D-7", at(2018, 9, 8, 9)), ("D-1", at(2018, 9, 14, 9)), ("1시간 전", at(2018, 9, 15, 14))]
    day = DraftEvent("총회", at(2018, 9, 1), None, "day", False)
    assert [p.label for p in plan(day, settings, NOW)] == ["D-7", "D-1"]
    month = DraftEvent("개관", at(2018, 9, 1), None, "month", True)
    planned = plan(month, settings, NOW)
    assert [(p.kind, p.due_at) for p in planned] == [("fixdate", at(2018, 7, 23, 9)), ("month", at(2018, 9, 3, 9))]
    custom = plan(timed, settings, NOW, (3 * 24 * 60, 30))
    assert [(p.label, p.due_at) for p in custom] == [("D-3", at(2018, 9, 12, 15)), ("30분 전", at(2018, 9, 15, 14, 30))]
    soon = DraftEvent("곧", NOW + timedelta(hours=2), None, "minute", False)
    assert [p.label for p in plan(soon, settings, NOW)] == ["1시간 전"]  # past lead times are dropped


def test_request_kinds() -> None:
    assert isinstance(read_request("30분 뒤에 회의자료 챙기라고 알려줘", NOW), PersonalRequest)
    assert isinstance(read_request("매주 금요일 17시 주간보고 알려줘", NOW), RecurringRequest)
    event = read_request("9월 델리 자매결연 팀 전체 알려줘", NOW)
    assert isinstance(event, EventRequest) and event.audience == "team" and event.category == "협약"
    assert event.when.precision == "month"
    leads = read_request("내일 오후 2시 간담회 D-3 30분 전 알림", NOW)
    assert isinstance(leads, EventRequest) and leads.lead_minutes == (4320, 30) and leads.title == "간담회"
    for bad in ("알려줘", "2월 30일 회의 알려줘", "어제 3시 회의 알려줘", "언젠가 알려줘"):
        assert isinstance(read_request(bad, NOW), RequestProblem), bad


def test_agenda_windows() -> None:
    september = window_for(parse_when("9월", NOW), NOW, "9월 일정")  # type: ignore[arg-type]
    assert (september.start, september.end) == (at(2018, 9, 1), at(2018, 10, 1))
    week = window_for(parse_when("이번주", NOW), NOW, "")  # type: ignore[arg-type]
    assert (week.start, week.end) == (at(2018, 7, 16), at(2018, 7, 23))
    from bot.domain.agenda import this_week

    friday = this_week(NOW)  # from Thursday on, "this week" takes next week in
    assert (friday.start, friday.end, friday.title) == (at(2018, 7, 16), at(2018, 7, 30), "이번 주·다음 주 일정")
    tuesday = this_week(at(2018, 7, 17, 9))
    assert (tuesday.start, tuesday.end) == (at(2018, 7, 16), at(2018, 7, 23))
    upcoming = window_for(None, NOW, "")
    assert upcoming.start == NOW and upcoming.end == at(2018, 8, 20)
