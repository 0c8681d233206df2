"""General rules of the understanding step, each with new variants of the kinds of writer the bot meets
(junior polite, hurried senior 반말, dictated, typo-prone): none of these lines is in tests/corpus."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.lang.facts import FactEntry, FactIndex
from bot.lang.normalize import normalize
from bot.lang.understand import understand
from storage.seed import fact_drafts

NOW = datetime(2018, 7, 20, 10, 0, tzinfo=ZoneInfo("Asia/Seoul"))
FACTS = FactIndex([FactEntry(d.key, d.topic, tuple(d.questions)) for d in fact_drafts()])


def _kind(text: str) -> str:
    return understand(text, NOW).best.kind


@pytest.mark.parametrize(("text", "kind"), [
    # "X 기록/내역/목록" with no day and no past verb asks for records (typos of 회의/기록 too)
    ("의장단 면담 기록", "meeting_query"),
    ("복지위 간담 기록 좀", "meeting_query"),
    ("이번 달 회의 기록", "meeting_query"),
    ("부구청장 회으 기룩", "meeting_query"),
    ("강북구 현장방문 목록", "visit_query"),
    ("지난달 현장방문 기록 보여줘", "visit_query"),
    # …but a day and a past verb, or a request to store, log it
    ("어제 의장단 면담 기록해줘", "meeting_log"),
    ("오늘 오전 망원시장 현장방문 다녀왔어 기록", "visit_log"),
])
def test_records_asked_for_are_lookups(text: str, kind: str) -> None:
    assert _kind(text) == kind


@pytest.mark.parametrize(("text", "kind"), [
    ("내 알림 ㄱ", "reminder_list"),
    ("지출 내역 ㄱㄱ", "spending_list"),
    ("업추비 잔액 고고", "budget_query"),
])
def test_go_at_the_end_asks_to_show(text: str, kind: str) -> None:
    assert _kind(text) == kind


@pytest.mark.parametrize(("text", "said"), [
    ("내일 3시 보고서 제출 알려쥬", "알려줘"),
    ("담주 화욜 10시 간담회 일정 등록해쥬", "등록해줘"),
    ("이따 4시 결재 올리라고 알려조", "알려줘"),
    ("모레 2시 기자 오찬 잡아 주세용", None),
])
def test_cute_request_endings_read_as_requests(text: str, said: str | None) -> None:
    if said:
        assert said in normalize(text).text
    assert understand(text, NOW).best.creates


@pytest.mark.parametrize("text", [
    "10분 있다가 전화하라고 알럼",
    "이따 3시 시장님 보고자료 확인하라고",
    "오후 다섯 시에 출장비 정산했는지 확인하라고 알려 줘",
    "삼십 분 있다가 회의실 냉방 확인 알람",
    "내일 9시 간담회장 의자 배치 확인하라고 알림",
])
def test_task_nudges_are_reminders(text: str) -> None:
    assert _kind(text) == "reminder_create"


@pytest.mark.parametrize(("text", "kind"), [
    ("이 숫자들 언제 날짜 기준이야", "as_of_query"),
    ("업추비 자료 기준일 언제", "as_of_query"),
    ("인력 현황 기준", "as_of_query"),
])
def test_as_of_questions(text: str, kind: str) -> None:
    assert _kind(text) == kind


@pytest.mark.parametrize("text", [
    "바로 전에 등록한 일정을 취소하고 싶습니다",
    "조금 전 넣은 지출 없애 주세요",
    "방금 거 없애줘",
])
def test_polite_undo(text: str) -> None:
    assert _kind(text) == "undo_last"


@pytest.mark.parametrize(("text", "kind"), [
    ("공공와이파이 사업 메모에 민원 많음 추가해줘", "pledge_update"),
    ("공공와이파이 진행률 60으로", "pledge_update"),
    ("일정 추가요", "event_create"),
    ("내일 3시 시의회 간담회 일정 넣어주세요", "event_create"),
    ("다음주 화요일 2시 정책박람회 캘린더에 넣어줘", "event_create"),
    ("담주 월 10시 구청장협의회 일정 잡아줘", "event_create"),
])
def test_updates_and_bookings(text: str, kind: str) -> None:
    assert _kind(text) == kind


@pytest.mark.parametrize("text", [
    "회의 끝나고 하기로 한 것들 아직 안 된 거 있어",
    "후속 남은 거",
    "간담회에서 하기로 했던 거 뭐 남았어",
])
def test_open_follow_ups(text: str) -> None:
    assert _kind(text) == "followup_query"


@pytest.mark.parametrize(("text", "first", "second"), [
    ("잔액 알려주고 담주 일정도", "budget_query", "agenda_query"),
    ("간담회 기록하고 자료 제출 알림 걸어줘", "meeting_log", "reminder_create"),
    ("공약 현황이랑 내일 일정 좀", "pledge_query", "agenda_query"),
    ("커피 알림 30분 미루고 결재알림은 취소", "reminder_move", "reminder_move"),
    ("자매도시 몇 개고 시민참여예산 규모는 얼마야", "fact_query", "fact_query"),
    ("시민투표 기간이 언제였지 그리고 자매도시는 몇 개야", "fact_query", "fact_query"),
    ("직원 격려로 몇 건 나갔고 회의 쪽은 몇 건이야", "budget_query", "budget_query"),
])
def test_two_requests_in_one_message(text: str, first: str, second: str) -> None:
    understood = understand(text, NOW, FACTS)
    assert understood.best.kind == first
    assert understood.more, text
    assert understand(understood.more[0], NOW, FACTS).best.kind == second


@pytest.mark.parametrize("text", ["명함 알림 5시 말고 6시로 옮겨줘", "내일 9시에 자료 보내라고 알림 설정해 주세요"])
def test_a_turn_or_a_quote_is_no_second_request(text: str) -> None:
    assert not understand(text, NOW).more


@pytest.mark.parametrize(("text", "kind"), [
    # what was stored, asked for (등록된/기록한 is no request to store)
    ("알림 걸어둔 거 뭐야", "reminder_list"),
    ("내가 알려달라고 한 거 몇 개야", "reminder_list"),
    ("알림 등록된 거 있어?", "reminder_list"),
    ("지출 등록된 거 보여줘", "spending_list"),
    ("8/2 오후 일정 등록된거 있나", "agenda_query"),
    ("다음주 수요일에 뭐 잡혀 있는지 알려줘", "agenda_query"),
])
def test_what_was_stored_is_looked_up_never_created(text: str, kind: str) -> None:
    understood = understand(text, NOW)
    assert understood.best.kind == kind
    assert not understood.best.creates


@pytest.mark.parametrize(("text", "kind"), [
    # money asked about a meeting or a visit is the budget's, not the records'
    ("간담회 다과로 이번 달 얼마 썼는지 알려줘", "budget_query"),
    ("회의 식대 몇 건 나갔어", "budget_query"),
    # a payment made, asked whether it was stored
    ("아까 결제한 거 입력됐는지 봐줘", "spending_list"),
    ("그제 결제한 건 기록돼 있어?", "spending_list"),
])
def test_money_and_payments_asked_about(text: str, kind: str) -> None:
    understood = understand(text, NOW)
    assert understood.best.kind == kind
    assert not understood.best.creates
