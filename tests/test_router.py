"""Free text through the understanding step, in the real application: questions are answered and never
echoed as something to store, a report fact beats a keyword, close readings are asked with buttons that act
once, and two requests in one message are both answered."""

from __future__ import annotations

from datetime import timedelta

import pytest
from conftest import ADMIN_ID, Harness, replies

from handlers.buttons import STALE
from handlers.router import CLARIFY_TTL
from storage import drafts
from storage.models import Draft

CASUAL_QUESTIONS = [
    "모레 뭐 있어?", "다다음주는?", "직원 행사비 몇 번 썼지", "자치구마다 몇 번씩 나갔는지",
    "간담회 일정 알려줘", "예산 얼마 남았는지 알려줘", "내일 3시에 뭐 있더라", "어제 현장방문 다녀왔나",
    "이번주 간담회 몇 번 했지?", "9월에 개관식 있어?",
]
ECHOES = ("맞나요", "언제인가요", "기록할까요", "저장할까요", "등록할까요")


@pytest.mark.parametrize("text", CASUAL_QUESTIONS)
async def test_a_casual_question_is_never_echoed_for_storing(harness: Harness, text: str) -> None:
    said = "\n".join(replies(await harness.send(ADMIN_ID, text)))
    assert said
    assert not any(echo in said for echo in ECHOES), said


async def test_a_fact_beats_pledge_search(harness: Harness) -> None:
    cycle = "\n".join(replies(await harness.send(ADMIN_ID, "공약 점검 주기가 어떻게 돼?")))
    assert "반기별 자체평가" in cycle and "점검보고회" in cycle
    grade = "\n".join(replies(await harness.send(ADMIN_ID, "전임 평가등급 뭐였지")))
    assert "SA등급" in grade
    vote = "\n".join(replies(await harness.send(ADMIN_ID, "시민투표 일정 언제야")))
    assert "8.6." in vote and "9.1." in vote


async def test_close_readings_are_asked_and_a_press_answers_once(harness: Harness) -> None:
    calls = await harness.send(ADMIN_ID, "영역별 세부사업 몇 개야?")
    (ask,) = [call for call in calls if call.params.get("text") == "이거 말씀이세요?"]
    labels = [row[0]["text"] for row in ask.params["reply_markup"]["inline_keyboard"]]
    assert 2 <= len(labels) <= 3 and "보고서 자료" in labels
    answer = "\n".join(replies(await harness.tap(ADMIN_ID, [ask], "보고서 자료")))
    assert "185개 세부사업" in answer
    again = replies(await harness.tap(ADMIN_ID, [ask], "보고서 자료"))
    assert again == [STALE]  # the choice was kept once, as a draft


async def test_a_forged_or_expired_choice_is_a_stale_button(harness: Harness) -> None:
    calls = await harness.send(ADMIN_ID, "영역별 세부사업 몇 개야?")
    (ask,) = [call for call in calls if call.params.get("text") == "이거 말씀이세요?"]
    data = ask.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    draft_id = int(data.split(":")[1])
    for forged in (f"clarify:{draft_id + 99}:0", f"clarify:{draft_id}:7", "clarify:x:0"):
        assert replies(await harness.press(ADMIN_ID, ask, forged)) == [STALE]
    async with harness.runtime.sessionmaker() as session:
        draft = await drafts.get(session, draft_id, ADMIN_ID)
        assert isinstance(draft, Draft) and draft.kind == "clarify"
    harness.clock.advance(CLARIFY_TTL + timedelta(minutes=1))
    assert replies(await harness.press(ADMIN_ID, ask, data)) == [STALE]


async def test_two_requests_in_one_message_are_both_answered(harness: Harness) -> None:
    said = "\n".join(replies(await harness.send(ADMIN_ID, "업무추진비 잔액 그리고 모레 일정도 알려줘")))
    assert "238,625" in said  # the balance
    assert "모레 일정" in said  # and the agenda of 7.22.


async def test_a_request_to_move_a_reminder_never_makes_a_new_one(harness: Harness) -> None:
    said = replies(await harness.send(ADMIN_ID, "그 알림 30분 뒤로 미뤄줘"))
    assert said and "옮길 알림이 없습니다" in said[0] and "맞나요" not in "\n".join(said)
