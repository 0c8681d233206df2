"""The facts form (/fact add, /fact set) and a pledge card's update on the one conversation mechanism (issue 12,
item 6): typed steps kept with the draft in the database — across a restart — a question typed in the middle
answered and the form offered back ([이어서 하기]), /cancel, the timeout, forged and expired draft buttons."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from conftest import ADMIN_ID, SEOUL, Harness, make_harness, replies
from sqlalchemy import select
from test_pledges import VALID

from bot.config import Config
from bot.offline import ApiCall
from storage import facts as fact_store
from storage.models import Evaluation, Fact, PledgeNote, SubProject

STALE = "오래되었거나 잘못된 버튼입니다"
EXPIRED = "시간이 지나 취소된 초안입니다 — 다시 입력해 주세요"
FACT_LINES = ("서울시 인구", "인구, 인구 수", "서울시 인구 983만 명(2018년 6월 말)", "서울 열린데이터광장",
              "2018-06-30")


def _cancel_data(calls: list[ApiCall]) -> tuple[ApiCall, str]:
    for call in reversed(calls):
        for row in (call.params.get("reply_markup") or {}).get("inline_keyboard", []):
            for button in row:
                if button["text"] == "취소":
                    return call, str(button["callback_data"])
    raise AssertionError("no 취소 button")


async def _topics(h: Harness) -> list[str]:
    async with h.runtime.sessionmaker() as session:
        return list((await session.scalars(select(Fact.topic).order_by(Fact.id))).all())


# -- facts ----------------------------------------------------------------------------------------------------


async def test_fact_form_steps_are_drafts_and_the_last_answer_stores(harness: Harness) -> None:
    harness.clock.set(datetime(2018, 7, 25, 10, tzinfo=SEOUL))
    asked = replies(await harness.send(ADMIN_ID, "/fact add"))
    assert asked[-1].startswith("새 자료의 주제를 입력하세요")
    for line, step in zip(FACT_LINES[:-1], ("questions", "answer", "source", "as_of"), strict=True):
        await harness.send(ADMIN_ID, line)
        form = await harness.open_form(ADMIN_ID)
        assert form is not None and (form.kind, form.step) == ("fact", step)
    done = replies(await harness.send(ADMIN_ID, FACT_LINES[-1]))
    assert done[0] == "저장했습니다 (키: 서울시-인구-180725)." and "983만" in done[-1]
    assert await harness.open_form(ADMIN_ID) is None
    async with harness.runtime.sessionmaker() as session:
        fact = await fact_store.by_key(session, "서울시-인구-180725")
    assert fact is not None and fact.questions == ["인구", "인구 수"] and fact.source == "서울 열린데이터광장"
    assert fact.as_of.isoformat() == "2018-06-30"


async def test_fact_form_refusals_keep_the_question_open(harness: Harness) -> None:
    await harness.send(ADMIN_ID, "/fact add")
    assert replies(await harness.send(ADMIN_ID, "가" * 300))[0].startswith("주제는 200자까지")
    await harness.send(ADMIN_ID, "서울시 인구")
    assert replies(await harness.send(ADMIN_ID, " , ,"))[0].startswith("질문어를 하나 이상")
    for line in FACT_LINES[1:4]:
        await harness.send(ADMIN_ID, line)
    assert "오늘이나 그 전" in replies(await harness.send(ADMIN_ID, "2018-12-31"))[0]  # a future as-of date
    form = await harness.open_form(ADMIN_ID)
    assert form is not None and form.step == "as_of"
    assert "서울시 인구" not in await _topics(harness)


async def test_a_question_in_the_fact_form_is_answered_and_the_form_resumes(harness: Harness) -> None:
    await harness.send(ADMIN_ID, "/fact add")
    await harness.send(ADMIN_ID, "서울시 인구")
    asked = await harness.send(ADMIN_ID, "자매도시 몇 곳이야?")
    assert "62" in replies(asked)[0] and replies(asked)[-1] == "입력 중이던 자료 입력이 있습니다"
    form = await harness.open_form(ADMIN_ID)
    assert form is not None and form.paused and form.step == "questions"
    resumed = replies(await harness.tap(ADMIN_ID, asked, "이어서 하기"))
    assert resumed[-1].startswith("이 자료를 찾을 질문어를")
    for line in FACT_LINES[1:]:
        said = replies(await harness.send(ADMIN_ID, line))
    assert said[0].startswith("저장했습니다") and "서울시 인구" in await _topics(harness)


async def test_report_text_typed_into_the_fact_form_is_its_answer_not_a_request(harness: Harness) -> None:
    """A topic, answer or date that reads as a follow-up list, a spending or an agenda day on its own."""
    lines = ("서울시 해외 도시 정책 협력 협약 체결 현황 및 후속 조치 계획", "해외정책협약",
             "서울시 인구 983만 명(2018년 6월 말)", "보고서", "2018년 6월 30일")
    await harness.send(ADMIN_ID, "/fact add")
    for line in lines:
        said = replies(await harness.send(ADMIN_ID, line))
    assert said[0].startswith("저장했습니다") and lines[0] in await _topics(harness)


async def test_cancel_and_timeout_end_the_fact_form(harness: Harness) -> None:
    await harness.send(ADMIN_ID, "/fact add")
    await harness.send(ADMIN_ID, "서울시 인구")
    assert "취소했습니다" in replies(await harness.send(ADMIN_ID, "/cancel"))[0]
    assert await harness.open_form(ADMIN_ID) is None
    await harness.send(ADMIN_ID, "인구, 인구 수")  # no longer the form's answer
    asked = await harness.send(ADMIN_ID, "/fact add")
    harness.clock.advance(timedelta(hours=24, minutes=1))  # conversation.draft_hours = 24
    assert await harness.open_form(ADMIN_ID) is None
    await harness.send(ADMIN_ID, "서울시 인구")  # read as a question of its own, stores nothing
    call, data = _cancel_data(asked)
    pressed = await harness.press(ADMIN_ID, call, data)
    assert replies(pressed) == [EXPIRED] and pressed[0].params["show_alert"] is True
    assert "서울시 인구" not in await _topics(harness)


async def test_fact_set_asks_the_new_answer_with_the_current_one(harness: Harness) -> None:
    async with harness.runtime.sessionmaker() as session:
        old = await fact_store.by_key(session, "sister-cities")
    assert old is not None
    asked = replies(await harness.send(ADMIN_ID, "/fact set sister-cities"))
    assert "새 내용을 입력하세요" in asked[-1] and "지금:" in asked[-1] and "62" in asked[-1]
    await harness.send(ADMIN_ID, "자매우호도시 63개 도시")
    await harness.send(ADMIN_ID, "그대로")
    done = replies(await harness.send(ADMIN_ID, "2018-07-19"))
    assert done[0] == "저장했습니다 (키: sister-cities)."
    async with harness.runtime.sessionmaker() as session:
        fact = await fact_store.by_key(session, "sister-cities")
        assert fact is not None and fact.answer == "자매우호도시 63개 도시"
        assert fact.source == old.source and fact.as_of.isoformat() == "2018-07-19"  # source kept ('그대로')
        assert old.answer in [entry.answer for entry in await fact_store.history(session, fact)]


async def test_a_fact_added_across_a_restart_over_the_same_database(config: Config) -> None:
    async with make_harness(config) as first:
        first.clock.set(datetime(2018, 7, 25, 10, tzinfo=SEOUL))
        for line in ("/fact add", *FACT_LINES[:3]):
            await first.send(ADMIN_ID, line)
    async with make_harness(config, seeded=False) as again:
        again.clock.set(datetime(2018, 7, 25, 10, 5, tzinfo=SEOUL))
        form = await again.open_form(ADMIN_ID)
        assert form is not None and (form.kind, form.step) == ("fact", "source")
        await again.send(ADMIN_ID, FACT_LINES[3])
        done = replies(await again.send(ADMIN_ID, FACT_LINES[4]))
        assert done[0] == "저장했습니다 (키: 서울시-인구-180725)."
        async with again.runtime.sessionmaker() as session:
            fact = await fact_store.by_key(session, "서울시-인구-180725")
        assert fact is not None and fact.answer == FACT_LINES[2] and fact.source == FACT_LINES[3]


async def test_forged_fact_form_buttons_are_stale(harness: Harness) -> None:
    asked = await harness.send(ADMIN_ID, "/fact add")
    call, data = _cancel_data(asked)
    draft_id = int(data.split(":")[1])
    for forged in (f"d:{draft_id + 99}:no", f"d:{draft_id}:ok", f"d:{draft_id}:edit:amount", f"d:{draft_id}:x:1"):
        pressed = await harness.press(ADMIN_ID, call, forged)
        assert pressed[0].params.get("text") in (STALE, "아직 입력 중인 초안입니다. 가장 최근 질문에 먼저 답해 주세요"
                                                        "(그만두려면 /cancel)."), forged
    form = await harness.open_form(ADMIN_ID)
    assert form is not None and form.step == "topic"  # untouched
    assert "취소했습니다" in replies(await harness.press(ADMIN_ID, call, data))[-1]
    assert await harness.open_form(ADMIN_ID) is None


# -- a pledge card's updates ----------------------------------------------------------------------------------


async def _card(h: Harness) -> list[ApiCall]:
    await h.upload(ADMIN_ID, "pledges.csv", VALID.encode())
    return await h.send(ADMIN_ID, "S1")


async def _sub(h: Harness) -> SubProject:
    async with h.runtime.sessionmaker() as session:
        sub = await session.scalar(select(SubProject).where(SubProject.code == "S1"))
    assert sub is not None
    return sub


async def _notes(h: Harness) -> list[str | None]:
    async with h.runtime.sessionmaker() as session:
        return list((await session.scalars(select(PledgeNote.text).order_by(PledgeNote.id))).all())


@pytest.mark.parametrize(("button", "step", "bad", "refusal"), [
    ("진행률 입력", "progress", "진행률 140%", "진행률은 0~100 사이의 정수로 입력하세요"),
    ("상태 변경", "status", "상태 없음 — 사유", "상태는 "),
    ("메모", "note", "메모 " + "가" * 1500, "메모는 1,000자까지"),
    ("자체평가", "eval", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA 좋음", "자체평가 등급을"),
])
async def test_a_refused_pledge_update_keeps_the_form_and_changes_nothing(harness: Harness, button: str, step: str,
                                                                         bad: str, refusal: str) -> None:
    card = await _card(harness)
    before, notes = await _sub(harness), await _notes(harness)
    await harness.tap(ADMIN_ID, card, button)
    form = await harness.open_form(ADMIN_ID)
    assert form is not None and (form.kind, form.step) == ("pledge_update", step)
    said = replies(await harness.send(ADMIN_ID, bad))
    assert said[0].startswith(refusal) and said[0].endswith("(그만두려면 /cancel)")
    after = await _sub(harness)
    assert (after.progress, after.status) == (before.progress, before.status) and await _notes(harness) == notes
    form = await harness.open_form(ADMIN_ID)
    assert form is not None and form.step == step


async def test_a_pledge_update_interrupted_then_resumed_is_stored(harness: Harness) -> None:
    card = await _card(harness)
    await harness.tap(ADMIN_ID, card, "진행률 입력")
    asked = await harness.send(ADMIN_ID, "업무추진비 얼마 남았어?")
    assert "238,625" in replies(asked)[0] and replies(asked)[-1] == "입력 중이던 공약 진행 입력이 있습니다"
    assert (await _sub(harness)).progress != 45
    assert "진행률을 0~100" in replies(await harness.tap(ADMIN_ID, asked, "이어서 하기"))[-1]
    saved = replies(await harness.send(ADMIN_ID, "진행률 45%"))
    assert saved[0] == "저장했습니다." and "45%" in saved[-1]
    assert (await _sub(harness)).progress == 45 and await harness.open_form(ADMIN_ID) is None


async def test_an_evaluation_through_the_form_is_stored_once(harness: Harness) -> None:
    card = await _card(harness)
    await harness.tap(ADMIN_ID, card, "자체평가")
    assert replies(await harness.send(ADMIN_ID, "A 계획대로 추진"))[0] == "저장했습니다."
    await harness.send(ADMIN_ID, "B 다시 평가")  # the form is done: not a second evaluation
    async with harness.runtime.sessionmaker() as session:
        grades = (await session.scalars(select(Evaluation.grade))).all()
    assert list(grades) == ["A"]


async def test_cancel_timeout_and_forged_presses_on_a_pledge_update(harness: Harness) -> None:
    card = await _card(harness)
    notes = await _notes(harness)
    await harness.tap(ADMIN_ID, card, "메모")
    assert "취소했습니다" in replies(await harness.send(ADMIN_ID, "/cancel"))[0]
    await harness.send(ADMIN_ID, "9월 추경 반영 요청")
    assert await _notes(harness) == notes
    prompt = await harness.tap(ADMIN_ID, card, "메모")
    call, data = _cancel_data(prompt)
    draft_id = int(data.split(":")[1])
    pressed = await harness.press(ADMIN_ID, call, f"d:{draft_id + 7}:no")
    assert replies(pressed) == [STALE]
    harness.clock.advance(timedelta(hours=24, minutes=1))
    await harness.send(ADMIN_ID, "9월 추경 반영 요청")  # the form expired: not a memo
    assert await _notes(harness) == notes
    assert replies(await harness.press(ADMIN_ID, call, data)) == [EXPIRED]


async def test_a_typed_update_applies_to_the_card_last_shown_here(harness: Harness) -> None:
    """No form open: '진행률 45%' goes to the card last shown in this chat (a draft note, not user_data); refused,
    the same update is asked again as a form."""
    assert "먼저 세부사업 카드를 여세요" in replies(await harness.send(ADMIN_ID, "진행률 45%"))[0]
    await _card(harness)
    refused = replies(await harness.send(ADMIN_ID, "진행률 140%"))
    assert refused == ["진행률은 0~100 사이의 정수로 입력하세요. 예: 진행률 45% (그만두려면 /cancel)"]
    form = await harness.open_form(ADMIN_ID)
    assert form is not None and (form.kind, form.step) == ("pledge_update", "progress")
    assert replies(await harness.send(ADMIN_ID, "진행률 45%"))[0] == "저장했습니다."
    assert (await _sub(harness)).progress == 45
