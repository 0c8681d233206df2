"""확인 acts only on a draft whose echo is what the user saw last: an older echo's 확인 pressed while a newer
draft is still being asked for (a line, a date, 오전/오후) stores nothing and says why — it used to store the
half-built draft (or crash on it)."""

from __future__ import annotations

from conftest import ADMIN_ID, Harness, replies
from sqlalchemy import func, select

from storage.models import Event, SpendingEntry, Visit


async def _count(h: Harness, model: type) -> int:
    async with h.runtime.sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_an_older_spending_echo_stores_its_own_draft_while_a_newer_one_asks_for_its_line(
        harness: Harness) -> None:
    first = await harness.send(ADMIN_ID, "지출 12만원 시책추진 간담회 7/20 복지정책 간담회 다과")
    assert "맞나요" in replies(first)[-1]
    asking = await harness.send(ADMIN_ID, "지출 3만원")
    assert "어느 과목" in replies(asking)[-1]
    pressed = await harness.tap(ADMIN_ID, first, "확인")
    assert "기록했습니다" in replies(pressed)[-1]
    async with harness.runtime.sessionmaker() as session:
        assert (await session.scalars(select(SpendingEntry.amount_won))).all() == [120_000]  # not the 3만원 draft
    again = await harness.tap(ADMIN_ID, first, "확인")
    assert replies(again) == ["이미 처리한 확인입니다"] and await _count(harness, SpendingEntry) == 1
    chosen = await harness.tap(ADMIN_ID, asking, "시책추진업무추진비")  # the open question still works
    assert "어느 분야" in replies(chosen)[-1]


async def test_an_older_visit_echo_stores_its_own_record_while_a_form_asks_when(harness: Harness) -> None:
    first = await harness.send(ADMIN_ID, "어제 오후 2시 강북구 쪽방촌 현장방문, 메모 여름철 냉방 점검 요청")
    assert "확인" in str(first[-1].params.get("reply_markup"))
    assert "언제인가요" in replies(await harness.send(ADMIN_ID, "/visit"))[-1]
    pressed = await harness.tap(ADMIN_ID, first, "확인")
    assert "쪽방촌" in replies(pressed)[-1] and await _count(harness, Visit) == 1
    assert replies(await harness.tap(ADMIN_ID, first, "확인")) == ["이미 처리한 확인입니다"]
    assert await _count(harness, Visit) == 1
    form = await harness.open_form(ADMIN_ID)
    assert form is not None and (form.kind, form.step) == ("visit", "when")  # the form still asks


async def test_an_older_event_echo_confirms_its_own_draft_while_a_newer_one_waits_for_am_or_pm(
        harness: Harness) -> None:
    first = await harness.send(ADMIN_ID, "9월 15일 오후 3시 서울식물원 개관식 알려줘")
    before = await _count(harness, Event)
    question = await harness.send(ADMIN_ID, "9월 16일 3시 구청장협의회 알려줘")
    assert "오후 3시" in str(question[-1].params.get("reply_markup"))
    pressed = await harness.tap(ADMIN_ID, first, "확인")
    assert "9.15.(토) 15:00 서울식물원 개관식" in replies(pressed)[-1]  # the echo's own draft, not the newest
    assert await _count(harness, Event) == before + 1
    again = await harness.tap(ADMIN_ID, first, "확인")
    assert replies(again) == ["이미 처리한 확인입니다"] and await _count(harness, Event) == before + 1
    before += 1
    echo = await harness.tap(ADMIN_ID, question, "오후 3시")
    stored = await harness.tap(ADMIN_ID, echo, "확인")
    assert "9.16.(일) 15:00 구청장협의회" in replies(stored)[-1]
    assert await _count(harness, Event) == before + 1
