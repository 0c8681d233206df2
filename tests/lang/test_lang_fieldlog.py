"""bot.lang.fieldlog: one line of a field visit or a council/district meeting."""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.lang.dates import SEOUL
from bot.lang.fieldlog import NOTES_LIMIT, FieldLog, FieldLogProblem, FollowUp, Kind, read_field_log
from bot.lang.names import DEFAULT_NAMES
from bot.lang.textutil import has_final_consonant

NOW = datetime(2018, 7, 20, 10, 0, tzinfo=SEOUL)
DISTRICTS = DEFAULT_NAMES["district"]
HANGANG = ("영등포구", "마포구", "용산구", "서초구", "송파구", "광진구")
GAZETTEER = {
    "광화문광장": ["종로구"],
    "문화비축기지": ["마포구"],
    "서울식물원": ["강서구"],
    "서울도시건축박물관": ["중구"],
    "한강공원": list(HANGANG),
}
CATEGORIES = {
    "계절성 안전": ["재해", "폭염", "한파", "수해", "재난", "안전점검"],
    "민생-복지시설": ["쪽방촌", "복지관", "노인복지관", "복지시설", "경로당"],
    "전통시장": ["시장", "전통시장"],
    "일자리": ["일자리", "고용", "취업"],
    "개관시설": ["개관", "개장", "준공"],
    "동고동락": ["동고동락"],
    "시민발언대": ["시민발언대", "발언대"],
    "기타": [],
}
MEETING_TYPES = {
    "의장단·상임위원장단 간담회": ["의장단", "상임위원장단"],
    "상임위원회별 간담회": ["상임위원회", "상임위"],
    "시의원 개별면담": ["시의원", "개별면담"],
    "현장방문 의견청취": ["의견청취"],
    "시-구 간담회": ["시-구", "시구 간담회"],
    "구청장협의회": ["구청장협의회"],
    "시-자치구 정책협의회": ["정책협의회"],
    "시장-구청장 면담": ["구청장 면담", "구청장면담"],
    "부구청장회의": ["부구청장회의", "부구청장 회의"],
}
BODIES = ("행정자치위원회", "환경수자원위원회")


def attempt(
    text: str, *, kind: Kind | None = None, bodies: tuple[str, ...] = BODIES, now: datetime = NOW
) -> FieldLog | FieldLogProblem:
    return read_field_log(
        text, now, kind=kind, districts=DISTRICTS, gazetteer=GAZETTEER, categories=CATEGORIES,
        meeting_types=MEETING_TYPES, council_bodies=bodies,
    )


def read(text: str, *, kind: Kind | None = None, bodies: tuple[str, ...] = BODIES, now: datetime = NOW) -> FieldLog:
    log = attempt(text, kind=kind, bodies=bodies, now=now)
    assert isinstance(log, FieldLog), log
    return log


def problem(text: str, *, kind: Kind | None = None) -> str:
    result = attempt(text, kind=kind)
    assert isinstance(result, FieldLogProblem), result
    assert "예:" in result.reason
    return result.reason


def at(year: int, month: int, day: int, hour: int = 0) -> datetime:
    return datetime(year, month, day, hour, tzinfo=SEOUL)


# --- the brief's examples ------------------------------------------------------------------------------------


def test_past_visit_with_participants_and_notes() -> None:
    log = read("어제 오후 2시 강북구 쪽방촌 현장방문, 참석 복지정책실장, 메모 여름철 냉방 점검 요청")
    assert log.kind == "visit"
    assert log.when is not None and log.when.start == at(2018, 7, 19, 14) and log.when.precision == "minute"
    assert not log.planned
    assert (log.district, log.place, log.category) == ("강북구", "쪽방촌", "민생-복지시설")
    assert log.participants == ("복지정책실장",)
    assert log.notes == "여름철 냉방 점검 요청"
    assert log.district_problem is None and log.district_candidates == ()
    assert log.meeting_type is None and log.counterpart is None and log.follow_ups == ()


def test_meeting_with_agenda_and_follow_up() -> None:
    log = read("오늘 10시 상임위원장단 간담회 — 안건 추경, 후속: 자료 제출 7/27 기획조정실")
    assert log.kind == "meeting"
    assert log.when is not None and log.when.start == at(2018, 7, 20, 10)
    assert not log.planned  # 10:00 said at 10:00
    assert log.meeting_type == "의장단·상임위원장단 간담회"
    assert log.counterpart == "상임위원장단"
    assert log.agenda == "추경"
    assert log.follow_ups == (FollowUp("자료 제출", date(2018, 7, 27), "기획조정실"),)
    assert log.category is None and log.purpose is None


def test_planned_visit_next_tuesday() -> None:
    log = read("다음주 화요일 강북구 쪽방촌 현장방문 예정")
    assert log.kind == "visit" and log.planned
    assert log.when is not None and log.when.start == at(2018, 7, 24) and log.when.precision == "day"
    assert (log.district, log.place, log.category) == ("강북구", "쪽방촌", "민생-복지시설")


def test_citizen_podium_district_from_gazetteer() -> None:
    log = read("어제 오후 2시 광화문광장 시민발언대, 메모 교통 민원 다수")
    assert log.kind == "visit"
    assert log.when is not None and log.when.start == at(2018, 7, 19, 14)
    assert (log.place, log.district, log.category) == ("광화문광장", "종로구", "시민발언대")
    assert log.notes == "교통 민원 다수"


def test_place_in_several_districts_gives_candidates() -> None:
    log = read("내일 한강공원 시민발언대")
    assert log.place == "한강공원" and log.district is None
    assert log.district_candidates == HANGANG
    assert log.district_problem is None
    assert log.planned and log.category == "시민발언대"


def test_district_typo_is_reported_not_guessed() -> None:
    log = read("어제 강북군 현장방문")
    assert log.district is None
    assert log.district_candidates[0] == "강북구"
    assert log.district_problem is not None
    assert "강북군" in log.district_problem and "강북구" in log.district_problem
    assert log.place is None  # the misspelt district is not taken for a place


# --- missing pieces ------------------------------------------------------------------------------------------


def test_no_district_and_no_date() -> None:
    log = read("쪽방촌 현장방문")
    assert log.when is None and not log.planned
    assert log.district is None and log.district_candidates == () and log.district_problem is None
    assert log.place == "쪽방촌"


def test_vague_date_is_no_date() -> None:
    log = read("나중에 강북구 쪽방촌 방문")
    assert log.when is None and log.district == "강북구"


def test_no_category_keyword_falls_back_to_the_empty_category() -> None:
    log = read("어제 강북구 현장방문")
    assert log.category == "기타" and log.place is None


def test_no_meeting_type_without_a_fallback_type() -> None:
    log = read("어제 오후 3시 간담회")
    assert log.kind == "meeting" and log.meeting_type is None and log.counterpart is None


# --- kind ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("어제 구청장협의회", "meeting"),
        ("어제 시-자치구 정책협의회", "meeting"),
        ("어제 부구청장회의", "meeting"),
        ("어제 강북구청장 면담", "meeting"),
        ("어제 상임위 간담회", "meeting"),
        ("어제 강북구 현장방문 의견청취", "meeting"),  # a meeting word beats a visit word
        ("어제 김OO 시의원", "meeting"),  # a meeting-type keyword
        ("어제 의장단", "meeting"),
        ("어제 서울식물원 점검", "visit"),
        ("어제 경로당 방문", "visit"),
        ("어제 강북구 동고동락", "visit"),
        ("어제 문화비축기지 찾아가는 시민발언대", "visit"),
        ("어제 강북구 쪽방촌", "visit"),  # a category keyword
        ("어제 광화문광장", "visit"),  # a gazetteer place
    ],
)
def test_kind_from_the_words(text: str, kind: Kind) -> None:
    assert read(text).kind == kind


def test_given_kind_wins_over_the_words() -> None:
    log = read("어제 강북구 쪽방촌 주민 간담회", kind="visit")
    assert log.kind == "visit" and log.category == "민생-복지시설" and log.meeting_type is None


def test_no_kind_word_is_a_problem_with_examples() -> None:
    reason = problem("어제 오후 2시 강북구")
    assert "현장방문" in reason and "간담회" in reason


def test_a_given_kind_needs_no_kind_word() -> None:
    log = read("어제 오후 2시 강북구", kind="visit")
    assert log.kind == "visit" and log.district == "강북구"


# --- participants --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "participants"),
    [
        ("어제 강북구 방문, 참석 복지정책실장, 강북구청장", ("복지정책실장", "강북구청장")),
        (
            "어제 강북구 방문, 참석자: 복지정책실장·강북구청장·김OO 시의원",
            ("복지정책실장", "강북구청장", "김OO 시의원"),
        ),
        ("어제 강북구 방문, 참석 복지정책실장 및 강북구청장 등", ("복지정책실장", "강북구청장")),
        ("어제 강북구 방문, 참석 복지정책실장 강북구청장", ("복지정책실장", "강북구청장")),
        ("어제 강북구 방문, 참석 김OO 시의원", ("김OO 시의원",)),
        ("어제 강북구 방문, 복지정책실장이 동행", ("복지정책실장",)),
        ("어제 강북구 방문, 주민 30명 참석", ("주민 30명",)),
        ("어제 강북구 방문, 19명 참석", ("19명",)),
        ("어제 강북구 방문, 참석 주민 19명", ("주민 19명",)),
        ("어제 강북구 방문, 참석 복지정책실장, 복지정책실장", ("복지정책실장",)),
    ],
)
def test_participants(text: str, participants: tuple[str, ...]) -> None:
    assert read(text).participants == participants


def test_a_day_before_a_counter_like_word_is_the_date_not_a_headcount() -> None:
    log = read("7/19 강북구 쪽방촌 방문, 명절 선물 전달")
    assert isinstance(log, FieldLog) and log.when.start.date() == date(2018, 7, 19)
    assert log.participants == () and log.notes == "명절 선물 전달"
    log = read("강북구 쪽방촌 방문 7/19 명절 위문")
    assert isinstance(log, FieldLog) and log.when.start.date() == date(2018, 7, 19)


def test_after_participants_a_clause_that_names_no_one_is_a_note() -> None:
    log = read("어제 강북구 쪽방촌 방문, 참석 복지정책실장, 어르신 더위 호소 많음")
    assert log.participants == ("복지정책실장",)
    assert log.notes == "어르신 더위 호소 많음"


# --- follow-ups ----------------------------------------------------------------------------------------------


def test_several_follow_ups_by_dot_semicolon_and_repeated_clauses() -> None:
    log = read(
        "어제 강북구청장 면담, 후속: 자료 제출 7/27 기획조정실; 현장 재점검 8/3 복지정책실 · 예산 검토 김OO 주무관,"
        " 후속 결과 보고 8월 중"
    )
    assert log.follow_ups == (
        FollowUp("자료 제출", date(2018, 7, 27), "기획조정실"),
        FollowUp("현장 재점검", date(2018, 8, 3), "복지정책실"),
        FollowUp("예산 검토", None, "김OO 주무관"),
        FollowUp("결과 보고", date(2018, 8, 1), None),
    )


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        ("자료 제출 7/27 기획조정실", FollowUp("자료 제출", date(2018, 7, 27), "기획조정실")),
        ("민원 회신 교통정책과", FollowUp("민원 회신", None, "교통정책과")),
        ("재원 검토 재정담당관", FollowUp("재원 검토", None, "재정담당관")),
        ("냉방기 지원 복지본부", FollowUp("냉방기 지원", None, "복지본부")),
        ("현장 재점검 강북구청", FollowUp("현장 재점검", None, "강북구청")),
        ("보고서 작성 홍보팀", FollowUp("보고서 작성", None, "홍보팀")),
        ("결과 보고 복지정책실장", FollowUp("결과 보고", None, "복지정책실장")),
        ("예산 검토 김OO 주무관", FollowUp("예산 검토", None, "김OO 주무관")),
        ("기획조정실 자료 제출", FollowUp("자료 제출", None, "기획조정실")),
        ("자료 제출 (기획조정실)", FollowUp("자료 제출", None, "기획조정실")),
        ("자료 제출 담당 기획조정실", FollowUp("자료 제출", None, "기획조정실")),
        ("노인복지관 재방문", FollowUp("노인복지관 재방문", None, None)),  # a facility, not an office
        ("망원시장 재방문", FollowUp("망원시장 재방문", None, None)),
        ("결과 공유", FollowUp("결과 공유", None, None)),
    ],
)
def test_follow_up_owner(item: str, expected: FollowUp) -> None:
    assert read(f"어제 강북구 현장방문, 후속: {item}").follow_ups == (expected,)


def test_follow_up_due_dates() -> None:
    log = read("어제 시-구 간담회, 후속: 자료 제출 7/15; 회신 다음주까지; 보고 8.10")
    assert [follow.due for follow in log.follow_ups] == [date(2018, 7, 15), date(2018, 7, 29), date(2018, 8, 10)]


def test_impossible_follow_up_due_is_a_problem() -> None:
    reason = problem("어제 시-구 간담회, 후속: 자료 제출 2/30 기획조정실")
    assert "2월 30일" in reason


# --- districts -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "district"),
    [
        ("어제 강북 쪽방촌 현장방문", "강북구"),
        ("어제 강북에서 현장방문", "강북구"),
        ("어제 강북구청 방문", "강북구"),
        ("어제 서대문 경로당 방문", "서대문구"),
        ("어제 중구 전통시장 방문", "중구"),
        ("어제 서울 도시건축 박물관 점검", "중구"),
        ("어제 마포구 한강공원 시민발언대", "마포구"),  # the written district settles the gazetteer's choice
    ],
)
def test_district(text: str, district: str) -> None:
    log = read(text)
    assert log.district == district and log.district_problem is None


def test_district_typo_with_a_wrong_vowel() -> None:
    log = read("어제 강뷱구 쪽방촌 방문")
    assert log.district is None and log.district_candidates[:1] == ("강북구",)
    assert log.district_problem is not None and "강뷱구" in log.district_problem
    assert log.place == "쪽방촌"


def test_a_county_outside_seoul_is_not_a_typo() -> None:
    log = read("어제 양평군 현장방문")
    assert log.district is None and log.district_problem is None and log.district_candidates == ()


def test_several_districts_named() -> None:
    log = read("어제 강북구·도봉구 쪽방촌 현장방문")
    assert log.district == "강북구" and log.district_candidates == ("강북구", "도봉구")


def test_gazetteer_place_spelt_with_spaces_is_its_canonical_name() -> None:
    log = read("어제 서울 도시건축 박물관 점검")
    assert log.place == "서울도시건축박물관"


def test_words_left_beside_a_gazetteer_place_are_the_purpose() -> None:
    log = read("어제 광화문광장 시민발언대 교통 민원 청취")
    assert log.place == "광화문광장" and log.purpose == "교통 민원 청취"


# --- meetings: counterpart and type --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "counterpart", "meeting_type"),
    [
        ("어제 의장단 간담회", "의장단", "의장단·상임위원장단 간담회"),
        ("어제 의장단·상임위원장단 간담회", "의장단·상임위원장단", "의장단·상임위원장단 간담회"),
        ("어제 행정자치위원회 간담회", "행정자치위원회", "상임위원회별 간담회"),
        ("어제 김OO 시의원 개별면담", "김OO 시의원", "시의원 개별면담"),
        ("어제 강북구 시의원 면담", "강북구 시의원", "시의원 개별면담"),
        ("어제 강북구청장 면담", "강북구청장", "시장-구청장 면담"),
        ("어제 강북구 시-구 간담회", "강북구", "시-구 간담회"),
        ("어제 구청장협의회", "구청장협의회", "구청장협의회"),
        ("어제 부구청장 회의", "부구청장", "부구청장회의"),
        ("어제 현장방문 의견청취 강북구 시의원", "강북구 시의원", "현장방문 의견청취"),
    ],
)
def test_counterpart_and_type(text: str, counterpart: str | None, meeting_type: str) -> None:
    log = read(text)
    assert log.kind == "meeting"
    assert (log.counterpart, log.meeting_type) == (counterpart, meeting_type)


@pytest.mark.parametrize(
    ("text", "counterpart"),
    [
        ("어제 행정자치위원회 간담회", "행정자치위원회"),
        ("7/19 환수위랑 간담회 했음", "환경수자원위원회"),
        ("그저께 오후 3시 문화체육관광위 간담회", "문화체육관광위원회"),
        ("어제 예결위 간담회, 안건 추경", "예산결산특별위원회"),
        ("지난 월요일 도안위 간담회 가짐", "도시안전건설위원회"),
    ],
)
def test_standing_committees_are_known_without_a_directory(text: str, counterpart: str) -> None:
    log = read(text, bodies=())
    assert (log.counterpart, log.meeting_type) == (counterpart, "상임위원회별 간담회")


def test_unknown_body_is_kept_as_typed_but_not_classified() -> None:
    log = read("어제 미래혁신위원회 간담회", bodies=())
    assert log.counterpart == "미래혁신위원회" and log.meeting_type is None


def test_meeting_fields() -> None:
    log = read("어제 김OO 시의원 면담 지역 민원 해결, 장소 시청 접견실, 결과 협조 약속, 메모 재면담 희망")
    assert log.counterpart == "김OO 시의원"
    assert log.purpose == "지역 민원 해결"
    assert (log.place, log.outcome, log.notes) == ("시청 접견실", "협조 약속", "재면담 희망")


def test_purpose_clause_wins_over_leftover() -> None:
    log = read("어제 구청장협의회, 목적 재난안전 협력, 비고 차기 회의 9월")
    assert log.purpose == "재난안전 협력" and log.notes == "차기 회의 9월"


# --- categories ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("어제 쪽방촌 폭염 점검", "민생-복지시설"),  # the longest keyword wins
        ("어제 강북구 쪽방촌 안전점검", "계절성 안전"),
        ("어제 망원시장 방문", "전통시장"),
        ("어제 서울식물원 개관 점검", "개관시설"),
        ("어제 강북구 동고동락", "동고동락"),
        ("어제 일자리 현장 방문", "일자리"),
        ("시장님 강북구 방문", "기타"),  # the mayor, not a market
    ],
)
def test_category(text: str, category: str) -> None:
    assert read(text).category == category


def test_the_mayor_is_not_a_place() -> None:
    log = read("어제 시장님 강북구 쪽방촌 방문")
    assert log.place == "쪽방촌"


# --- dates and planned ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "start", "planned"),
    [
        ("오늘 오후 3시 강북구 현장방문", at(2018, 7, 20, 15), True),
        ("오늘 강북구 현장방문", at(2018, 7, 20), False),
        ("오늘 강북구 현장방문 예정", at(2018, 7, 20), True),
        ("9시 부구청장회의", at(2018, 7, 20, 9), False),  # a log: the 9 o'clock gone by, not yesterday 21:00
        ("오늘 9시 부구청장회의", at(2018, 7, 20, 9), False),
        ("어제 9시 부구청장회의", at(2018, 7, 19, 9), False),
        ("어제 8시 만찬 간담회", at(2018, 7, 19, 20), False),
        ("오늘 3시 부구청장회의", at(2018, 7, 20, 15), True),  # 03:00 is no meeting time: later today
        ("8월 3일 서울식물원 점검", at(2018, 8, 3), True),  # this year's, not last year's
        ("7월 15일 서울식물원 점검", at(2018, 7, 15), False),
        ("지난주 금요일 시-구 간담회", at(2018, 7, 13), False),
        ("내일 한강공원 시민발언대", at(2018, 7, 21), True),
        ("3일 뒤 강북구 현장방문", at(2018, 7, 23), True),
        ("9월 서울식물원 개관 점검 예정", at(2018, 9, 1), True),
        ("어제 강북구 현장방문 예정이었음", at(2018, 7, 19), True),  # the words say 예정; the handler judges
    ],
)
def test_dates_and_planned(text: str, start: datetime, planned: bool) -> None:
    log = read(text)
    assert log.when is not None and log.when.start == start
    assert log.planned is planned


def test_far_future_done_visit_is_not_judged_here() -> None:
    log = read("2019년 3월 1일 강북구 현장방문 완료")
    assert log.when is not None and log.when.start == at(2019, 3, 1)
    assert log.planned and log.place is None


def test_bare_hour_keeps_the_meridiem_flag() -> None:
    log = read("오늘 10시 상임위원장단 간담회")
    assert log.when is not None and log.when.needs_meridiem


def test_date_in_a_later_head_clause() -> None:
    log = read("강북구 쪽방촌 현장방문, 어제 오후 2시")
    assert log.when is not None and log.when.start == at(2018, 7, 19, 14)
    assert log.place == "쪽방촌" and log.notes is None


def test_naive_now_is_seoul_time() -> None:
    log = read("어제 오후 2시 강북구 현장방문", now=datetime(2018, 7, 20, 10))
    assert log.when is not None and log.when.start == at(2018, 7, 19, 14)


# --- problems ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   ", "\n"])
def test_empty_is_a_problem(text: str) -> None:
    assert "적어 주세요" in problem(text)


def test_impossible_date_is_a_problem() -> None:
    reason = problem("2월 30일 강북구 현장방문")
    assert "2월 30일" in reason and "현장방문" in reason


def test_notes_limit() -> None:
    fits = read("어제 강북구 현장방문, 메모 " + "가" * NOTES_LIMIT)
    assert fits.notes is not None and len(fits.notes) == NOTES_LIMIT
    reason = problem("어제 강북구 현장방문, 메모 " + "가" * (NOTES_LIMIT + 1))
    assert "2,000자" in reason


# --- clauses -------------------------------------------------------------------------------------------------


def test_notes_continue_over_commas_and_keep_thousands() -> None:
    log = read("어제 강북구 쪽방촌 방문, 메모 선풍기 1,000대 배부, 냉방비 지원 요청")
    assert log.notes == "선풍기 1,000대 배부, 냉방비 지원 요청"


def test_a_later_head_clause_adding_nothing_is_a_note() -> None:
    log = read("어제 오후 2시, 강북구 쪽방촌 현장방문, 어르신 더위 호소")
    assert log.place == "쪽방촌" and log.notes == "어르신 더위 호소"


def test_field_words_glued_to_a_word_are_not_prefixes() -> None:
    log = read("어제 강북구 방문, 결과적으로 만족")
    assert log.outcome is None and log.notes == "결과적으로 만족"


# --- robustness ----------------------------------------------------------------------------------------------

_PIECES = (
    "어제", "오늘", "내일", "다음주 화요일", "오후 2시", "9시", "7/27", "2월 30일", "8.6~9.1", "강북구", "강북",
    "강북군", "중구", "한강공원", "광화문광장", "쪽방촌", "현장방문", "간담회", "면담", "예정", "참석", "메모",
    "안건", "결과",
    "후속:", "시장님", "김OO 시의원", "상임위원장단", "기획조정실", ",", "—", ";", "·", " - ", "(", ")", ":", "1,000",
)


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.text(max_size=80),
        st.lists(st.sampled_from(_PIECES), max_size=12).map(" ".join),
    ),
    st.sampled_from([None, "visit", "meeting"]),
)
def test_any_text_reads_or_is_a_problem(text: str, kind: Kind | None) -> None:
    result = attempt(text, kind=kind)
    assert isinstance(result, FieldLog | FieldLogProblem)
    if isinstance(result, FieldLog):
        assert result.kind in ("visit", "meeting")
        assert result.district is None or result.district in DISTRICTS
    else:
        assert result.reason


def test_module_is_pure() -> None:
    root = Path(__file__).resolve().parents[2]
    probe = "import sys, json\nimport bot.lang.fieldlog\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe], cwd=root, capture_output=True, text=True, check=True)
    loaded = set(json.loads(out.stdout.splitlines()[-1]))
    assert not {name.split(".")[0] for name in loaded} & {"telegram", "sqlalchemy", "storage", "handlers"}
    assert all(name == "bot" or name.startswith("bot.lang") for name in loaded if name.split(".")[0] == "bot")


# --- logs keep what was typed (issue 12, item 9) -------------------------------------------------------------

_SEED = Path(__file__).resolve().parents[2] / "storage" / "seed_data"
_POST_WORD = re.compile(
    r"[가-힣0-9]+(?:담당관|정책관|실장|국장|위원장|부의장|의장|부시장|구청장|본부장)(?![가-힣])"
)


def _seed_posts() -> list[str]:
    """Every post the seed data names: in the texts, and the chair of each council committee."""
    found: set[str] = set()
    for path in sorted(_SEED.iterdir()):
        if path.suffix in (".toml", ".csv"):
            found.update(_POST_WORD.findall(path.read_text(encoding="utf-8")))
    with (_SEED / "council_sample.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            body = row["소속 위원회"].strip()
            if body.endswith("위원회"):
                found.add(body.removesuffix("위원회") + "위원장")
    return sorted(found)


SEED_POSTS = _seed_posts()
POSTS = sorted({
    *SEED_POSTS, "상임위원장", "부의장", "의장", "기획경제위원장", "복지정책실장", "행정국장", "기획조정실장",
    "행정1부시장", "정무부시장", "비서실장", "시장비서실장", "대변인", "강북구청장", "부구청장", "시의원",
    "김OO 시의원", "서울시의회 부의장", "재정담당관", "도시교통본부장",
})


def _particles(post: str) -> list[str]:
    final = has_final_consonant(post)
    return ["", "은" if final else "는", "이" if final else "가", "과" if final else "와", "하고",
            "이랑" if final else "랑", "님", "님과"]


def test_the_seed_data_names_the_posts_under_test() -> None:
    assert {"부의장", "행정자치위원장", "보건복지위원장", "소상공인정책담당관", "스마트도시정책관"} <= set(SEED_POSTS)


@pytest.mark.parametrize("post", POSTS)
def test_a_post_survives_a_visit_log_whole_at_the_start_middle_and_end(post: str) -> None:
    for particle in _particles(post):
        said = f"{post}{particle}"
        for line in (
            f"{said} 어제 강북구 쪽방촌 현장방문",
            f"어제 {said} 강북구 쪽방촌 현장방문했습니다",
            f"어제 강북구 쪽방촌 현장방문 {said} 동행",
            f"어제 강북구 쪽방촌 현장방문, {said} 동행",
            f"어제 강북구 쪽방촌 현장방문, 참석 {said}",
        ):
            log = read(line)
            assert log.kind == "visit" and log.participants == (post,), line
            assert log.place == "쪽방촌" and log.district == "강북구", line
            assert log.notes is None and log.purpose is None, line


@pytest.mark.parametrize("post", POSTS)
def test_a_post_survives_a_meeting_log_whole(post: str) -> None:
    for particle in _particles(post):
        for line in (f"어제 {post}{particle} 면담", f"{post}{particle} 면담 어제 오후 3시",
                     f"어제 오후 3시 {post}{particle} 오찬 가졌음"):
            log = read(line)
            assert log.kind == "meeting" and log.counterpart == post, line
            assert log.purpose is None and log.notes is None, line


@pytest.mark.parametrize("post", POSTS)
def test_a_post_typed_without_a_space_before_the_next_word(post: str) -> None:
    assert read(f"어제 강북구 쪽방촌 방문 {post}동행").participants == (post,)
    assert read(f"어제 {post}면담").counterpart == post


@pytest.mark.parametrize(
    ("line", "participants"),
    [
        ("어제 오후 2시 강북구 쪽방촌 현장방문, 참석 복지정책실장 외 2명", ("복지정책실장 외 2명",)),
        ("어제 강북구 쪽방촌 현장방문 복지정책실장 외 2명 동행", ("복지정책실장 외 2명",)),
        ("어제 강북구 쪽방촌 현장방문 복지정책실장외2명동행", ("복지정책실장 외 2명",)),
        ("어제 행정국장 등 3명과 강북구 쪽방촌 방문함", ("행정국장 등 3명",)),
        ("어제 강북구 쪽방촌 방문, 복지정책실장 포함 4명 동행했습니다", ("복지정책실장 포함 4명",)),
        ("어제 강북구 쪽방촌 방문, 참석: 복지정책실장 외 두 명, 강북구청장", ("복지정책실장 외 2명", "강북구청장")),
        ("어제 강북구 쪽방촌 방문, 참석 복지정책실장 등", ("복지정책실장",)),
    ],
)
def test_a_count_of_companions_stays_with_the_person(line: str, participants: tuple[str, ...]) -> None:
    log = read(line)
    assert log.participants == participants
    assert log.place == "쪽방촌" and log.notes is None


def test_a_count_never_turns_the_person_into_another_title() -> None:
    log = read("어제 정무부시장 외 2명과 구청장협의회 참석")
    assert log.kind == "meeting" and log.counterpart == "구청장협의회"
    assert log.participants == ("정무부시장 외 2명",) and log.purpose is None


def test_a_person_beside_a_council_body_attended_and_the_body_is_the_counterpart() -> None:
    log = read("어제 정무부시장과 구청장협의회 참석")
    assert (log.counterpart, log.participants, log.purpose) == ("구청장협의회", ("정무부시장",), None)


def test_a_council_chair_is_not_the_standing_committee_plus_a_purpose() -> None:
    log = read("어제 상임위원장과 간담회 가졌음")
    assert log.counterpart == "상임위원장" and log.purpose is None
    assert read("오늘 10시 상임위원장단 간담회").counterpart == "상임위원장단"


@pytest.mark.parametrize(
    ("line", "agenda"),
    [
        ("오늘 10시 의장단 간담회, 안건 추경, 조직개편 및 인사", "추경, 조직개편 및 인사"),
        ("오늘 10시 의장단 간담회 안건: 추경·조직개편·청사 이전", "추경·조직개편·청사 이전"),
        ("오늘 10시 의장단 간담회, 안건 1) 추경 2) 조직개편 3) 청사 이전", "추경, 조직개편, 청사 이전"),
        ("오늘 10시 의장단 간담회, 안건 ① 추경 ② 조직개편 ③ 청사 이전", "추경, 조직개편, 청사 이전"),
        ("오늘 10시 의장단 간담회 안건은 추경 / 조직개편 그리고 인사", "추경 / 조직개편 그리고 인사"),
        ("오늘 10시 의장단 간담회, 안건 추경, 조직개편, 청사 이전 논의했습니다", "추경, 조직개편, 청사 이전 논의"),
    ],
)
def test_every_agenda_item_is_kept(line: str, agenda: str) -> None:
    log = read(line)
    assert log.kind == "meeting" and log.agenda == agenda
    assert log.purpose is None and log.notes is None


THREE_TASKS = ["자료 제출", "예산 재검토", "회의록 공유"]


@pytest.mark.parametrize(
    ("line", "whats"),
    [
        ("오늘 10시 의장단 간담회, 후속: 자료 제출, 예산 재검토 그리고 회의록 공유", THREE_TASKS),
        ("오늘 10시 의장단 간담회, 후속 1) 자료 제출 2) 예산 재검토 3) 회의록 공유", THREE_TASKS),
        ("오늘 10시 의장단 간담회, 후속: 자료 제출 / 예산 재검토", ["자료 제출", "예산 재검토"]),
        ("오늘 10시 의장단 간담회, 후속조치: 자료 제출 및 예산 재검토 해 주세요", ["자료 제출", "예산 재검토"]),
        ("오늘 10시 의장단 간담회 후속은 자료 제출·회의록 공유", ["자료 제출", "회의록 공유"]),
    ],
)
def test_every_follow_up_is_kept(line: str, whats: list[str]) -> None:
    assert [item.what for item in read(line).follow_ups] == whats


def test_tasks_joined_by_and_share_the_due_date_and_the_owner() -> None:
    log = read("어제 시-구 간담회, 후속: 자료 제출 및 보고 8/3 기획조정실")
    assert log.follow_ups == (
        FollowUp("자료 제출", date(2018, 8, 3), "기획조정실"), FollowUp("보고", date(2018, 8, 3), "기획조정실"),
    )


@pytest.mark.parametrize(
    "line",
    [
        "어제 강북구 쪽방촌 다녀왔어요",
        "어제 강북구 쪽방촌 다녀왔습니다",
        "어제 강북구 쪽방촌 다녀왔음",
        "어제 강북구 쪽방촌 현장방문했습니다",
        "어제 강북구 쪽방촌 현장방문함",
        "어제 강북구 쪽방촌 방문 기록해줘",
        "어제 강북구 쪽방촌 방문 남겨줘",
        "어제 강북구 쪽방촌 현장방문 등록 부탁드립니다",
        "어제 강북구 쪽방촌 현장방문 기록해 주세요",
        "어제 강북구 쪽방촌 현장방문 진행했습니다. 기록 좀 해줘요",
    ],
)
def test_the_sentence_verbs_never_land_in_the_place(line: str) -> None:
    log = read(line)
    assert (log.kind, log.place, log.district) == ("visit", "쪽방촌", "강북구")
    assert log.purpose is None and log.notes is None


@pytest.mark.parametrize(
    ("line", "field", "value"),
    [
        ("어제 강북구 쪽방촌 방문, 메모 냉방기 점검 요청했습니다", "notes", "냉방기 점검 요청"),
        ("어제 강북구 쪽방촌 방문, 메모: 어르신 더위 호소 많았음 기록해줘", "notes", "어르신 더위 호소 많았음"),
        ("어제 강북구 쪽방촌 방문, 비고 냉방비 지원 건의함", "notes", "냉방비 지원 건의"),
        ("어제 시-구 간담회, 결과 원안대로 합의했습니다", "outcome", "원안대로 합의"),
        ("어제 시-구 간담회, 안건 추경 논의했음", "agenda", "추경 논의"),
        ("어제 시-구 간담회, 목적 현안 청취 알려줘", "purpose", "현안 청취"),
        ("어제 현장방문, 장소 서울식물원 다녀왔어요", "place", "서울식물원"),
    ],
)
def test_the_sentence_verbs_never_land_in_a_field(line: str, field: str, value: str) -> None:
    assert getattr(read(line), field) == value


def test_a_planned_visit_said_politely_is_still_planned() -> None:
    log = read("다음주 화요일 강북구 쪽방촌 현장방문 예정입니다")
    assert log.planned and log.place == "쪽방촌" and log.notes is None


@pytest.mark.parametrize(
    ("line", "start"),
    [
        ("구청장협의회 다음주 화 10시에", at(2018, 7, 24, 10)),
        ("구청장협의회 다음주 화요일 오전 10시부터", at(2018, 7, 24, 10)),
        ("어제 강북구 쪽방촌 현장방문 오후 2시", at(2018, 7, 19, 14)),
        ("강북구 쪽방촌 현장방문 어제 오후 2시경", at(2018, 7, 19, 14)),
        ("어제 강북구 쪽방촌 오후 세 시에 다녀왔어요", at(2018, 7, 19, 15)),
        ("의장단 간담회 7월 25일 오후 3시 예정", at(2018, 7, 25, 15)),
        ("7월 25일 의장단 간담회 오후 3시", at(2018, 7, 25, 15)),
    ],
)
def test_a_time_anywhere_in_the_line_is_read(line: str, start: datetime) -> None:
    log = read(line)
    assert log.when is not None and log.when.precision == "minute" and log.when.start == start
    for text in (log.place, log.purpose, log.notes):
        assert text is None or not re.search(r"\d\s*시|오후|오전|[화]\s*$|에$", text), (line, text)


@pytest.mark.parametrize(
    ("text", "hour", "planned"),
    [
        ("오늘 점심 종로구청장이랑 오찬 면담했어요", 12, False),
        ("오늘 오후 2시 강북구 쪽방촌 현장방문 다녀왔음", 14, False),
        ("오늘 오후 2시 강북구 쪽방촌 현장방문", 14, True),
        ("오늘 오후 2시 강북구 쪽방촌 현장방문 예정", 14, True),
    ],
)
def test_a_done_report_later_today_keeps_its_time_and_is_no_plan(text: str, hour: int, planned: bool) -> None:
    log = read(text)
    assert log.when is not None and (log.when.start.date(), log.when.start.hour) == (NOW.date(), hour)
    assert log.planned is planned


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("어제 강북구 수해 현장 가서 점검했어", "수해 현장"),
        ("그제 노원구 공사 현장 둘러봤어", "공사 현장"),
        ("어제 중구 쪽방촌 가 봤어요", "쪽방촌"),
        ("7/18 강서구 봉제공장 들러서 점검함", "봉제공장"),
        ("어제 마포구 재개발 현장 방문햇음", "재개발 현장"),
    ],
)
def test_going_there_is_no_part_of_the_place(text: str, place: str) -> None:
    log = read(text, kind="visit")
    assert log.place == place


def test_a_field_word_after_the_report_starts_a_field() -> None:
    log = read("어제 강북구 쪽방촌 다녀왔어요 메모 냉방기 고장 많음", kind="visit")
    assert (log.place, log.notes) == ("쪽방촌", "냉방기 고장 많음")
