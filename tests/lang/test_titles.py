"""Event and reminder titles keep what was typed: a time anywhere in the line is read, never left in the title,
and the sentence's own request ("등록해 주세요", "알려 주실 수 있을까요?") never ends a title."""

from __future__ import annotations

import re
from datetime import datetime

import pytest

from bot.lang.dates import SEOUL, DateResult, parse_when
from bot.lang.requests import EventRequest, PersonalRequest, read_request
from bot.lang.tails import strip_tail

NOW = datetime(2018, 7, 20, 10, 0, tzinfo=SEOUL)  # a Friday

# A title must not end with a date or time word, nor with a request to the bot.
_DATE_OR_TIME_END = re.compile(
    r"(?:\d\s*(?:시|분|일|월)|시\s*반|오전|오후|아침|저녁|요일|[월화수목금토일]|내일|모레|다음\s*주|이번\s*주|에|부터)$"
)
_REQUEST_END = re.compile(r"(?:줘|주세요|부탁|드립니다|까요|해요|습니다|했음|등록|기록|일정)\??$")

# (line, title, start), by several kinds of writer: a senior in a hurry, a polite junior, someone dictating
# (the dictated lines as the normaliser leaves them: number words it already turns into digits are mixed in).
EVENT_LINES: list[tuple[str, str, str]] = [
    # the outside check's lines: the time after the title
    ("서울식물원 개관식 9월 15일 오후 3시", "서울식물원 개관식", "2018-09-15T15:00"),
    ("서울식물원 개관식 9월 15일 오후 3시 알려줘", "서울식물원 개관식", "2018-09-15T15:00"),
    ("구청장협의회 다음주 화 10시에 알려줘", "구청장협의회", "2018-07-24T10:00"),
    ("구청장협의회 다음주 화 10시에", "구청장협의회", "2018-07-24T10:00"),
    # the day before the title, the time after it
    ("9월 15일 서울식물원 개관식 오후 3시에 알려줘", "서울식물원 개관식", "2018-09-15T15:00"),
    ("9/15 서울식물원 개관식 15시 등록", "서울식물원 개관식", "2018-09-15T15:00"),
    ("7/27 시-구 정책협의회 14:00 알려주세요", "시-구 정책협의회", "2018-07-27T14:00"),
    ("다음주 화요일 구청장협의회 10시부터", "구청장협의회", "2018-07-24T10:00"),
    ("내일 기자설명회 오후 4시 반에 알려줘", "기자설명회", "2018-07-21T16:30"),
    ("모레 상임위원장단 간담회 오전 11시 일정 추가해줘", "상임위원장단 간담회", "2018-07-22T11:00"),
    ("8월 3일 강북구 현장방문 오후 2시 리마인드 해줘", "강북구 현장방문", "2018-08-03T14:00"),
    # the time first, the day after the title
    ("오후 3시 서울식물원 개관식 9월 15일 알려줘", "서울식물원 개관식", "2018-09-15T15:00"),
    ("오전 10시 구청장협의회 다음주 화요일", "구청장협의회", "2018-07-24T10:00"),
    # both after the title
    ("시-구 정책협의회 7월 27일 14시 잡아줘", "시-구 정책협의회", "2018-07-27T14:00"),
    ("복지정책실장 면담 내일 오후 5시에 알려줘요", "복지정책실장 면담", "2018-07-21T17:00"),
    ("상임위원장단 간담회 모레 11시 일정 잡아주세요", "상임위원장단 간담회", "2018-07-22T11:00"),
    ("기자설명회 내일 오후 4시 반 알려줘", "기자설명회", "2018-07-21T16:30"),
    ("주간업무회의 다음주 금 오전 9시", "주간업무회의", "2018-07-27T09:00"),
    ("부구청장회의 다음 주 수 오후 2시 등록", "부구청장회의", "2018-07-25T14:00"),
    # dictated: number words and fillers (as far as the readers see them)
    ("기자설명회 내일 오후 네 시 알려줘", "기자설명회", "2018-07-21T16:00"),
    ("서울식물원 개관식 구월 십오일 오후 세 시", "서울식물원 개관식", "2018-09-15T15:00"),
    # polite wrappers
    ("서울식물원 개관식 9월 15일 오후 3시에 등록해 주세요", "서울식물원 개관식", "2018-09-15T15:00"),
    ("구청장협의회 다음주 화요일 10시 일정 등록 부탁드립니다", "구청장협의회", "2018-07-24T10:00"),
    ("다음주 금요일 주간업무회의 오전 9시 반에 알려 주실 수 있을까요?", "주간업무회의", "2018-07-27T09:30"),
    ("내일 오후 2시 시민발언대 일정 좀 넣어 주세요", "시민발언대", "2018-07-21T14:00"),
    ("7월 25일 오후 3시 의장단 간담회 기록해 주세요", "의장단 간담회", "2018-07-25T15:00"),
    ("의장단 간담회 7월 25일 15시 등록 부탁해요", "의장단 간담회", "2018-07-25T15:00"),
    ("다음주 월요일 오전 10시 행정국장 보고 잡아줘", "행정국장 보고", "2018-07-23T10:00"),
    ("행정국장 보고 다음주 월 오전 10시 잡아줘", "행정국장 보고", "2018-07-23T10:00"),
]


# A task to do at a time is a personal nudge at that time (bot/lang/schedule_words.py), read the same way.
NUDGE_LINES = [
    ("내일 아침 9시에 보고서 제출 알려줘", "보고서 제출", "2018-07-21T09:00"),
    ("보고서 제출 내일 오전 9시에 알려줘", "보고서 제출", "2018-07-21T09:00"),
]


@pytest.mark.parametrize(("line", "text", "due"), NUDGE_LINES)
def test_a_task_nudge_keeps_its_text_and_time_wherever_the_time_is(line: str, text: str, due: str) -> None:
    request = read_request(line, NOW)
    assert isinstance(request, PersonalRequest), request
    assert request.text == text
    assert request.when.start.strftime("%Y-%m-%dT%H:%M") == due


@pytest.mark.parametrize(("line", "title", "start"), EVENT_LINES)
def test_title_and_time_wherever_the_time_is_written(line: str, title: str, start: str) -> None:
    request = read_request(line, NOW)
    assert isinstance(request, EventRequest), request
    assert request.title == title
    assert request.when.precision == "minute"
    assert request.when.start.strftime("%Y-%m-%dT%H:%M") == start
    assert not _DATE_OR_TIME_END.search(request.title)
    assert not _REQUEST_END.search(request.title)


@pytest.mark.parametrize(
    ("line", "rest", "start"),
    [
        ("9월 15일 서울식물원 개관식 오후 3시에", "서울식물원 개관식", "2018-09-15T15:00"),
        ("오후 3시 서울식물원 개관식 9월 15일", "서울식물원 개관식", "2018-09-15T15:00"),
        ("어제 강북구 쪽방촌 현장방문 오후 2시경", "강북구 쪽방촌 현장방문", "2018-07-19T14:00"),
        ("다음주 화 10시 구청장협의회", "구청장협의회", "2018-07-24T10:00"),
        ("금 오후 3시 보고회", "보고회", "2018-07-27T15:00"),
    ],
)
def test_the_date_reader_joins_a_day_and_a_time_written_apart(line: str, rest: str, start: str) -> None:
    found = parse_when(line, NOW)
    assert isinstance(found, DateResult), found
    assert found.rest == rest
    assert found.start.strftime("%Y-%m-%dT%H:%M") == start and found.precision == "minute"


def test_a_time_written_apart_keeps_its_meridiem_flag_and_the_day_its_year_choice() -> None:
    found = parse_when("구청장협의회 다음주 화요일 그리고 10시", NOW)
    assert isinstance(found, DateResult) and found.needs_meridiem
    past = parse_when("9월 15일 개관식 오후 3시", NOW, past=True)
    assert isinstance(past, DateResult) and past.start == datetime(2017, 9, 15, 15, tzinfo=SEOUL)


@pytest.mark.parametrize(
    ("line", "start", "precision"),
    [
        ("내일 회의 3시간", "2018-07-21T00:00", "day"),  # a duration is no time of day
        ("이번주 일 많음", "2018-07-16T00:00", "day"),  # 일 is work here, not Sunday
        ("다음주 월요일 회의", "2018-07-23T00:00", "day"),
        ("매월 10일 보고", "2018-08-10T00:00", "day"),
        ("9월 15일부터 10월 3일까지 행사", "2018-09-15T00:00", "day"),  # two days: a span, no clock time to join
    ],
)
def test_nothing_is_joined_that_is_no_clock_time(line: str, start: str, precision: str) -> None:
    found = parse_when(line, NOW)
    assert isinstance(found, DateResult), found
    assert found.start.strftime("%Y-%m-%dT%H:%M") == start and found.precision == precision


def test_a_personal_reminder_keeps_its_task() -> None:
    request = read_request("30분 뒤에 회의자료 챙기라고 알려줘", NOW)
    assert isinstance(request, PersonalRequest) and request.text == "회의자료 챙기기"


# --- the sentence's own ending -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("쪽방촌 다녀왔어요", "쪽방촌"),
        ("쪽방촌 다녀왔습니다", "쪽방촌"),
        ("쪽방촌 다녀왔음", "쪽방촌"),
        ("쪽방촌 다녀옴", "쪽방촌"),
        ("쪽방촌 갔다 왔어요", "쪽방촌"),
        ("냉방기 점검 요청했습니다", "냉방기 점검 요청"),
        ("냉방기 점검 요청함", "냉방기 점검 요청"),
        ("냉방기 점검 요청드렸습니다", "냉방기 점검 요청"),
        ("간담회 가졌음", "간담회"),
        ("추경 논의 진행했습니다", "추경 논의 진행"),
        ("현장방문했습니다 기록 부탁드려요", "현장방문"),
        ("쪽방촌 방문 남겨줘", "쪽방촌 방문"),
        ("쪽방촌 방문 기록해줘", "쪽방촌 방문"),
        ("쪽방촌 방문함", "쪽방촌 방문"),
        ("서울식물원 개관식 등록해 주세요", "서울식물원 개관식"),
        ("서울식물원 개관식 등록 부탁", "서울식물원 개관식"),
        ("회의자료 확인해 주세요", "회의자료 확인"),
        ("자료 요청 좀 해 주실 수 있을까요?", "자료 요청"),
        ("강북구 방문할 예정입니다", "강북구 방문"),
        ("강북구 방문 예정", "강북구 방문"),
        ("의견 청취함.", "의견 청취"),
        ("시설 점검했음 네", "시설 점검"),
        ("다녀왔습니다", ""),
        # real words that only look like endings stay
        ("복지정책실장 포함", "복지정책실장 포함"),
        ("우편함", "우편함"),
        ("보관함 설치", "보관함 설치"),
        ("냉방기 설치 완료", "냉방기 설치 완료"),
        ("예정대로 진행", "예정대로 진행"),
        ("어르신 더위 호소 많음", "어르신 더위 호소 많음"),
        ("함께", "함께"),
        ("주간 일정", "주간 일정"),
    ],
)
def test_strip_tail(text: str, kept: str) -> None:
    assert strip_tail(text) == kept


@pytest.mark.parametrize(("said", "kept"), [
    ("회기 일정 조율이었습니다", "회기 일정 조율"),
    ("버스 노선 개편입니다", "버스 노선 개편"),
    ("전국체전 준비였어요", "전국체전 준비"),
    ("정책 분야", "정책 분야"),
])
def test_a_copula_ending_the_sentence_is_not_kept(said: str, kept: str) -> None:
    assert strip_tail(said) == kept
