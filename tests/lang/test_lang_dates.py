"""bot.lang.dates: the corpus (must be 100%), the result model, reasons, and never an exception."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from date_corpus import NOW, SEOUL, Answer, Case, load, score
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.lang.dates import DateFailure, DateParser, DateResult, parse_when

CASES = load()
DATE_LETTERS = "0123456789.~/-:() 월일시분반년주오후내모레예정중쯤억만원"
HANGUL = re.compile(r"[가-힣]")


def test_corpus_is_big_and_covers_every_category() -> None:
    categories = {case.category for case in CASES}
    assert len(CASES) >= 250
    assert {"relative", "weekday", "time", "datetime", "absolute", "dotted", "month", "tentative",
            "duration", "range", "past", "sentence", "english", "failure", "decimal"} <= categories
    assert sum(case.past for case in CASES) >= 15
    failures = {case.failure for case in CASES if case.failure}
    assert failures == {
        "empty", "not_found", "invalid_date", "invalid_time", "invalid_step", "vague", "weekday_mismatch"
    }


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_corpus(case: Case) -> None:
    result = parse_when(case.text, NOW, past=case.past)
    if case.failure is not None:
        assert isinstance(result, DateFailure), result
        assert result.code == case.failure
        assert HANGUL.search(result.reason), "reasons are for the user, in Korean"
        return
    assert isinstance(result, DateResult), result
    answer = Answer(result.start, result.end, result.precision, result.tentative, result.rest)
    assert score(case, answer), (answer, case.expected)
    assert result.start.utcoffset() == timedelta(hours=9)


def test_acceptance_examples() -> None:
    result = parse_when("내일 오후 3시", NOW)
    assert result.ok
    expected = ("2018-07-21T15:00:00+09:00", None, "minute")
    assert (result.start.isoformat(), result.end, result.precision) == expected
    span = parse_when("8.6~9.1", NOW)
    assert span.ok and span.end is not None
    assert (span.start.date(), span.end.date()) == (date(2018, 8, 6), date(2018, 9, 1))
    refused = parse_when("2월 30일", NOW)
    assert not refused.ok
    assert refused.reason == "2월 30일은 없는 날짜입니다. 예: 2월 28일"


def test_bare_hour_is_flagged_so_a_handler_can_ask() -> None:
    bare = parse_when("3시", NOW)
    told = parse_when("오후 3시", NOW)
    assert bare.ok and told.ok
    assert bare.needs_meridiem and "meridiem" in bare.ambiguities
    assert not told.needs_meridiem
    noon = parse_when("12시", NOW)
    assert noon.ok and noon.needs_meridiem


def test_rest_keeps_command_words_on_request() -> None:
    text = "9월 15일 오후 3시에 서울식물원 개관식 알려줘"
    kept = parse_when(text, NOW, strip_commands=False)
    stripped = parse_when(text, NOW)
    assert kept.ok and stripped.ok
    assert kept.rest == "서울식물원 개관식 알려줘"
    assert stripped.rest == "서울식물원 개관식"
    assert kept.text == "9월 15일 오후 3시"
    assert text[kept.span[0] : kept.span[1]] == "9월 15일 오후 3시"


def test_span_points_into_the_original_text_after_the_prepass() -> None:
    text = "시민투표(8.6~9.1) 및 총회"
    result = parse_when(text, NOW)
    assert result.ok
    assert text[result.span[0] : result.span[1]] == "8.6~9.1"
    assert result.rest == "시민투표 및 총회"


def test_range_end_is_inclusive_at_each_precision() -> None:
    days = parse_when("8월 6일부터 9월 1일까지", NOW)
    months = parse_when("7~8월", NOW)
    hours = parse_when("내일 오후 2시~4시", NOW)
    assert days.ok and months.ok and hours.ok
    assert days.end == datetime(2018, 9, 1, tzinfo=SEOUL) and days.is_range
    assert months.end == datetime(2018, 8, 1, tzinfo=SEOUL)
    assert hours.end == datetime(2018, 7, 21, 16, 0, tzinfo=SEOUL)
    single = parse_when("9월 15일", NOW)
    assert single.ok and not single.is_range and single.end is None


def test_weekday_mark_is_checked_not_ignored() -> None:
    wrong = parse_when("9.1(일) 14:00", NOW)
    assert isinstance(wrong, DateFailure) and wrong.code == "weekday_mismatch"
    assert "토요일" in wrong.reason
    right = parse_when("9.1(토) 14:00", NOW)
    assert right.ok and right.start == datetime(2018, 9, 1, 14, 0, tzinfo=SEOUL)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("2월 30일", "예: 2월 28일"),
        ("2019년 2월 29일", "예: 2019년 2월 28일"),
        ("32월 45일", "32월은 없는 달"),
        ("25시", "25시는 없는 시각"),
        ("언젠가", "‘언젠가’는"),
        ("", "입력해 주세요"),
        ("asdfgh", "찾지 못했습니다"),
        ("0분 뒤에 회의 알려줘", "0분 뒤는 바로 지금입니다. 1분 이상으로 입력해 주세요"),
        ("0시간 뒤", "1시간 이상"),
        ("-5분 뒤 알려줘", "음수는 쓸 수 없습니다"),
        ("마이너스 5분 뒤", "‘5분 뒤’"),
        ("1.5시간 뒤", "1시간 30분 뒤"),
    ],
)
def test_failure_reasons_are_specific(text: str, fragment: str) -> None:
    result = parse_when(text, NOW)
    assert isinstance(result, DateFailure)
    assert fragment in result.reason
    assert result.as_dict() == {"ok": False, "error": result.reason}


@pytest.mark.parametrize("text", ["10분 뒤", "30 분후", "3일 뒤", "2주 후", "한 시간 반 뒤", "15일 후에"])
def test_positive_steps_still_read_forward(text: str) -> None:
    result = parse_when(text, NOW)
    assert isinstance(result, DateResult), result
    assert result.start > NOW


def test_zone_follows_now_and_naive_now_means_seoul() -> None:
    utc_now = NOW.astimezone(UTC)
    in_utc = parse_when("내일", utc_now)
    naive = parse_when("내일 오후 3시", NOW.replace(tzinfo=None))
    assert in_utc.ok and naive.ok
    assert in_utc.start.tzinfo is UTC
    assert naive.start == datetime(2018, 7, 21, 15, 0, tzinfo=SEOUL)


def test_english_goes_through_dateparser_with_the_zone_attached() -> None:
    result = parse_when("tomorrow 3pm", NOW)
    assert result.ok and result.source == "dateparser"
    assert result.start == datetime(2018, 7, 21, 15, 0, tzinfo=SEOUL)
    korean = parse_when("내일 3시", NOW)
    assert korean.ok and korean.source == "korean-datetime"


def test_injected_holidays_are_recognised() -> None:
    parser = DateParser(holidays={date(2018, 9, 26): "추석 대체공휴일", date(2018, 11, 2): "개청기념일"})
    result = parser.parse("개청기념일 오전 10시", NOW)
    assert result.ok and result.start == datetime(2018, 11, 2, 10, 0, tzinfo=SEOUL)
    assert not parse_when("개청기념일", NOW).ok


def test_as_dict_has_exactly_the_cli_fields() -> None:
    result = parse_when("9월 예정", NOW)
    assert result.ok
    assert result.as_dict() == {
        "ok": True, "start": "2018-09-01T00:00:00+09:00", "end": None, "precision": "month",
        "tentative": True, "rest": "",
    }


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(st.text(max_size=40), st.text(alphabet=DATE_LETTERS, max_size=25)),
    st.booleans(),
    st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2090, 12, 31), timezones=st.just(SEOUL)),
)
def test_any_text_gives_a_result_or_a_clean_failure(text: str, past: bool, now: datetime) -> None:
    result = parse_when(text, now, past=past)
    if isinstance(result, DateFailure):
        assert result.reason and HANGUL.search(result.reason)
        return
    assert result.start.tzinfo is not None
    assert result.end is None or result.end >= result.start
    assert result.precision in ("minute", "day", "month")
    if result.precision != "minute":
        assert (result.start.hour, result.start.minute) == (0, 0)
    if result.precision == "month":
        assert result.start.day == 1


@pytest.mark.parametrize("text", ["9999년 1월 1일 오후 3시", "1999년 3월 1일", "3000년", "2101년 1월 1일 알려줘"])
def test_years_outside_2000_to_2100_are_refused_with_a_reason(text: str) -> None:
    result = parse_when(text, NOW)
    assert isinstance(result, DateFailure) and result.code == "out_of_range"
    assert "2000년부터 2100년 사이" in result.reason


def test_the_edge_years_are_read() -> None:
    assert isinstance(parse_when("2100년 12월 31일", NOW), DateResult)
    assert isinstance(parse_when("2000년 1월 1일", NOW, past=True), DateResult)


@pytest.mark.parametrize(
    ("text", "start"),
    [
        # "N분 간…" is a minute and a word starting with 간, not the duration 30분간
        ("모레 오전 10시 30분 간부회의 알려줘", "2018-07-22T10:30"),
        ("내일 오후 2시 15분 간담회 준비", "2018-07-21T14:15"),
        # after lunch / before leaving the office: the afternoon, today unless a day is written
        ("점심 먹은 후 2시에 결재 올리라고 알려줘", "2018-07-20T14:00"),
        ("점심 식사 끝나고 세 시에 회신하라고", "2018-07-20T15:00"),
        ("퇴근 직전 5시에 내일 자료 챙기라고 알려줘", "2018-07-20T17:00"),
        ("내일 퇴근 전 5시에 보고서 출력", "2018-07-21T17:00"),
        # "그 다음 주" said with a filler is next week
        ("그다음 주 수요일 3시 회의", "2018-07-25T15:00"),
        ("그 다음주 목요일 오전 11시", "2018-07-26T11:00"),
    ],
)
def test_spoken_time_anchors(text: str, start: str) -> None:
    result = parse_when(text, NOW)
    assert isinstance(result, DateResult), result
    assert result.start.strftime("%Y-%m-%dT%H:%M") == start


@pytest.mark.parametrize("text", ["30분 간 회의", "30분 간격으로 알림"])
def test_a_duration_is_still_not_a_time(text: str) -> None:
    assert isinstance(parse_when(text, NOW), DateFailure)


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("오늘 8시 강서구 마곡 현장 다녀옴", "2018-07-20T08:00"),  # gone by this morning, not tonight
        ("9시 반 중구 남대문시장 방문", "2018-07-20T09:30"),  # not yesterday 21:30
        ("3시 종로구 방문", "2018-07-19T15:00"),  # 03:00 is no office hour: yesterday afternoon
    ],
)
def test_a_logs_bare_time_is_the_latest_gone_by(text: str, start: str) -> None:
    result = parse_when(text, NOW, past=True)
    assert isinstance(result, DateResult), result
    assert result.start.strftime("%Y-%m-%dT%H:%M") == start
