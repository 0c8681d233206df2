"""bot.lang.intents (+ names): data-driven examples, slots, and a table that grows without code changes."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from date_corpus import NOW, SEOUL
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.lang.amounts import Amount
from bot.lang.dates import DateFailure, DateResult
from bot.lang.intent_table import INTENTS, MIN_SCORE, IntentEntry
from bot.lang.intents import UNKNOWN, IntentMatcher, default_matcher, parse_intent
from bot.lang.names import NameIndex, default_index

INTENT_LETTERS = "지출잔액공약간담회현장방문알려줘일정 0123456789만원/.~월일시"
EXAMPLES = [
    tuple(part.strip() for part in line.split("|", 1))
    for line in Path(__file__).with_name("intent_examples.txt").read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#")
]


def test_examples_cover_every_intent() -> None:
    assert len(EXAMPLES) >= 60
    assert {name for name, _text in EXAMPLES} == {entry["name"] for entry in INTENTS} | {UNKNOWN}


@pytest.mark.parametrize(("intent", "text"), EXAMPLES, ids=[text for _intent, text in EXAMPLES])
def test_example(intent: str, text: str) -> None:
    assert parse_intent(text, NOW).name == intent


def test_spending_log_slots() -> None:
    result = parse_intent("지출 100만원 기관운영 직원격려 7/20 격려 다과", NOW)
    assert result.name == "spending_log"
    assert isinstance(result.amount, Amount) and result.amount.won == 1_000_000
    assert isinstance(result.date, DateResult) and result.date.start == datetime(2018, 7, 20, tzinfo=SEOUL)
    sure = [lookup.best.name for lookup in result.names if lookup.sure and lookup.best]
    assert sure == ["기관운영업무추진비"]
    assert result.text == "지출 기관운영 직원격려 격려 다과"


def test_event_slots_give_the_title() -> None:
    result = parse_intent("9월 15일 오후 3시 서울식물원 개관식 알려줘", NOW)
    assert result.name == "event_create"
    assert isinstance(result.date, DateResult)
    assert result.date.start == datetime(2018, 9, 15, 15, 0, tzinfo=SEOUL)
    assert result.text == "서울식물원 개관식"


def test_logs_read_dates_as_past() -> None:
    visit = parse_intent("금요일 강북구 쪽방촌 현장방문", NOW)
    reminder = parse_intent("금요일 현장방문 일정 추가", NOW)
    assert visit.name == "visit_log" and reminder.name == "event_create"
    assert isinstance(visit.date, DateResult) and isinstance(reminder.date, DateResult)
    assert visit.date.start.day == 20  # today, a Friday: the latest one gone by
    assert reminder.date.start.day == 27  # the next Friday


def test_impossible_date_is_reported_not_dropped() -> None:
    result = parse_intent("2월 30일 일정 추가", NOW)
    assert result.name == "event_create"
    assert isinstance(result.date, DateFailure) and result.date.code == "invalid_date"
    assert parse_intent("언젠가 일정 추가", NOW).date is None  # no date is an empty slot, not an error


def test_unsure_names_carry_candidates() -> None:
    result = parse_intent("업무추진비 잔액", NOW)
    assert result.name == "budget_query"
    (lookup,) = result.names
    assert not lookup.sure
    assert {match.name for match in lookup.candidates} == {"기관운영업무추진비", "시책추진업무추진비"}


def test_alternatives_for_a_did_you_mean_button() -> None:
    result = parse_intent("내일 3시 회의 리마인드", NOW)
    assert result.name == "event_create"
    assert "reminder_create" in result.alternatives


def test_the_table_grows_without_touching_the_matcher() -> None:
    extra: IntentEntry = {"name": "staff_query", "keywords": {"정원": 4, "현원": 4}, "priority": 40}
    matcher = IntentMatcher((*INTENTS, extra))
    assert matcher.match("비서실 정원 현원", NOW).name == "staff_query"
    assert parse_intent("비서실 정원 현원", NOW).name == UNKNOWN


def test_pledge_titles_registered_at_run_time_are_found() -> None:
    names = NameIndex({"district": ["강북구"]})
    names.add("pledge", ["제로페이 도입", "청년 주거 지원"])
    matcher = IntentMatcher(names=names)
    result = matcher.match("제로페이 추진 상황", NOW)
    assert result.name == "pledge_query"
    assert [lookup.best.name for lookup in result.names if lookup.sure and lookup.best] == ["제로페이 도입"]


@pytest.mark.parametrize(
    ("query", "name", "sure"),
    [
        ("기관운영", "기관운영업무추진비", True),
        ("시책", "시책추진업무추진비", True),
        ("강북", "강북구", True),
        ("강북구에서", "강북구", True),
        ("중구", "중구", True),
        ("동대문", "동대문구", True),
        ("상임위원장단", "상임위원장단", True),
        ("강뷱구", "강북구", False),
        ("서대뮨구", "서대문구", False),
        ("구청장", "구청장협의회", False),
        ("상임위", "상임위원회", False),
    ],
)
def test_name_lookup(query: str, name: str, sure: bool) -> None:
    lookup = default_index().lookup(query)
    assert lookup.best is not None and lookup.best.name == name
    assert lookup.sure is sure


def test_all_25_districts_and_replace() -> None:
    index = default_index()
    assert len(index.names("district")) == 25
    assert default_index().lookup("테스트").best is None
    local = NameIndex({"pledge": ["A 공약"]})
    local.replace("pledge", ["지하철 연장"])
    assert local.names("pledge") == ("지하철 연장",)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=40), st.text(alphabet=INTENT_LETTERS, max_size=30)))
def test_any_text_gets_an_intent(text: str) -> None:
    result = parse_intent(text, NOW)
    assert result.name in {entry["name"] for entry in INTENTS} | {UNKNOWN}
    if result.name == UNKNOWN:
        assert result.score == 0.0 and not result.alternatives
    else:
        assert result.score >= MIN_SCORE


def test_a_reminder_request_schedules_a_meeting_with_its_future_date() -> None:
    result = parse_intent("다음주 화요일 3시 구청장협의회 알려줘", NOW)
    assert result.name == "event_create"
    assert isinstance(result.date, DateResult) and result.date.start == datetime(2018, 7, 24, 15, tzinfo=SEOUL)
    assert "meeting_log" not in result.alternatives
    log = parse_intent("오늘 10시 상임위원장단 간담회 — 안건 추경", NOW)
    assert log.name == "meeting_log"


@pytest.mark.parametrize(
    ("text", "ahead"),
    [
        ("다음주 화요일 10시 구청장협의회", True),  # the words put it ahead
        ("9월 15일 강북구 현장방문", True),  # read as past it would be last September
        ("매월 말일 정산", True),  # recurring: always the next one
        ("월요일 복지시설 방문함", False),  # may be last Monday: still a log
        ("25일 간담회", False),  # may be last month's 25th
        ("오늘 오후 3시 간담회", False),  # today is neither ahead nor past
    ],
)
def test_date_ahead_only_when_the_words_say_so(text: str, ahead: bool) -> None:
    slots = default_matcher()._slots(text, NOW)
    assert ("date:ahead" in slots.features()) is ahead
    assert "date:past" not in slots.features()
    for text, when in [("어제 현장방문", {"date:past"}), ("지난달 간담회", {"date:past"}), ("이번달 간담회", set())]:
        assert default_matcher()._slots(text, NOW).features() & {"date:past", "date:ahead"} == when, text


@pytest.mark.parametrize("text", ["다음주 화요일 10시 구청장협의회", "담주 수요일 3시 부구청장회의",
                                  "8월 2일 오전 10시 정책협의회", "모레 오후 2시 의장단 간담회"])
def test_a_bare_day_ahead_with_a_meeting_asks_to_book_or_to_log(text: str) -> None:
    """No word says whether to put it on the schedule or to log a planned meeting: the bot asks back."""
    from bot.lang.understand import understand

    understood = understand(text, NOW)
    assert understood.close
    assert {reading.kind for reading in understood.choices()} == {"event_create", "meeting_log"}


@pytest.mark.parametrize("text", ["오늘 오후 부구청장회의", "다음주 화요일 10시 구청장협의회 일정 등록",
                                  "다음주 화요일 10시 구청장협의회 예정"])
def test_a_said_or_same_day_meeting_is_not_asked(text: str) -> None:
    from bot.lang.understand import understand

    assert not understand(text, NOW).close


@pytest.mark.parametrize("text", ["ㄳ" * 60, "1" * 4000, "가" * 4000, "내일 3시 회의, " * 300, "일정 " * 800,
                                  ("가나 다라3 시만원, ." * 400)[:4000]])
def test_long_or_repeated_messages_stay_quick(text: str) -> None:
    """No pattern or loop grows faster than the message (a 4,000-character paste once took seconds)."""
    import time

    from bot.lang.understand import understand

    understand("워밍업 일정", NOW)
    start = time.perf_counter()
    understand(text, NOW)
    assert time.perf_counter() - start < 0.1


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("다음 달 말까지 남은 일정 보여줘", "2018-07-20", "2018-08-31"),  # 남은 … 까지: from today
        ("이번주 남은 방문 일정 알려줘", "2018-07-20", None),
        ("8/6부터 8/10까지 일정 있나", "2018-08-06", "2018-08-10"),  # 까지 alone keeps the first day
        ("다음 주 남은 일정", "2018-07-23", "2018-07-29"),  # a week wholly ahead is not cut to today
    ],
)
def test_remaining_periods_start_today(text: str, start: str, end: str | None) -> None:
    from bot.lang.understand import understand

    slots = understand(text, NOW).best.slots
    assert slots["date"].strftime("%Y-%m-%d") == start  # type: ignore[attr-defined]
    if end is not None:
        assert slots["end"].strftime("%Y-%m-%d") == end  # type: ignore[attr-defined]


@pytest.mark.parametrize(("text", "won"), [("방금 지출 금액 틀렸어요. 12만 3천원이에요", 123000),
                                           ("마지막 지출 금액이 틀렸습니다. 8만 8천원이 맞아요.", 88000)])
def test_an_edit_takes_its_amount_from_the_next_sentence(text: str, won: int) -> None:
    from bot.lang.understand import understand

    understood = understand(text, NOW)
    assert understood.best.kind == "spending_fix"
    assert isinstance(amount := understood.best.slots["amount"], Amount) and amount.won == won
    assert not understood.more


def test_a_meetings_follow_up_plan_keeps_the_logged_date_past() -> None:
    from bot.lang.understand import understand

    text = ("7월 17일 오전 10시 교통위원회와 간담회를 했습니다. "
            "후속조치로 버스 노선 검토를 8월 3일까지 하기로 했습니다.")
    date = understand(text, NOW).best.slots["date"]
    assert isinstance(date, DateResult)
    assert date.start.strftime("%Y-%m-%dT%H:%M") == "2018-07-17T10:00"
