"""Drafts in the database (issue 12, items 4–6): every echo's buttons act on their own draft — once, after a
restart, from another application over the same database — expired and forged drafts store nothing, a
question typed while a form is open is answered and the form offered back, typed corrections re-echo."""

from __future__ import annotations

from datetime import timedelta

from conftest import ADMIN_ID, STAFF_ID, Harness, make_config, make_harness, replies
from sqlalchemy import func, select

from bot.clock import SEOUL
from bot.config import Config
from bot.offline import ApiCall
from storage.models import Event, SpendingEntry

SPEND = "지출 12만원 시책추진 간담회 7/20 복지정책 간담회 다과"


async def _count(h: Harness, model: type) -> int:
    async with h.runtime.sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def _amounts(h: Harness) -> list[int]:
    async with h.runtime.sessionmaker() as session:
        return list((await session.scalars(select(SpendingEntry.amount_won).order_by(SpendingEntry.id))).all())


def _button(calls: list[ApiCall], label: str) -> tuple[ApiCall, str]:
    for call in reversed(calls):
        for row in (call.params.get("reply_markup") or {}).get("inline_keyboard", []):
            for button in row:
                if button["text"] == label:
                    return call, str(button["callback_data"])
    raise AssertionError(f"no button {label!r}")


async def test_each_spending_echo_confirms_its_own_draft_once(harness: Harness) -> None:
    first = await harness.send(ADMIN_ID, SPEND)
    second = await harness.send(ADMIN_ID, "지출 300만원 시책추진 간담회 7/20 정책 토론회")
    assert "맞나요" in replies(second)[-1]
    assert "기록했습니다" in replies(await harness.tap(ADMIN_ID, first, "확인"))[-1]
    assert await _amounts(harness) == [120_000]  # the older echo's 12만원, not the newest 300만원
    assert replies(await harness.tap(ADMIN_ID, first, "확인")) == ["이미 처리한 확인입니다"]
    await harness.tap(ADMIN_ID, second, "확인")
    assert await _amounts(harness) == [120_000, 3_000_000]
    assert replies(await harness.tap(ADMIN_ID, second, "확인")) == ["이미 처리한 확인입니다"]
    assert await _amounts(harness) == [120_000, 3_000_000]


async def test_each_event_echo_confirms_its_own_draft(harness: Harness) -> None:
    before = await _count(harness, Event)
    first = await harness.send(ADMIN_ID, "9월 15일 오후 3시 서울식물원 개관식 알려줘")
    second = await harness.send(ADMIN_ID, "9월 20일 오전 10시 구청장협의회 알려줘")
    assert "구청장협의회" in replies(second)[-1]
    assert "서울식물원 개관식" in replies(await harness.tap(ADMIN_ID, first, "확인"))[-1]
    async with harness.runtime.sessionmaker() as session:
        titles = (await session.scalars(select(Event.title).where(Event.source == "chat"))).all()
    assert titles == ["서울식물원 개관식"] and await _count(harness, Event) == before + 1


async def test_a_draft_confirmed_after_a_restart_is_stored_once(config: Config) -> None:
    async with make_harness(config) as first:
        echo = await first.send(ADMIN_ID, SPEND)
    async with make_harness(config, seeded=False) as again:
        call, data = _button(echo, "확인")
        assert "기록했습니다" in replies(await again.press(ADMIN_ID, call, data))[-1]
        assert replies(await again.press(ADMIN_ID, call, data)) == ["이미 처리한 확인입니다"]
        assert await _amounts(again) == [120_000]


async def _two_applications(url: str) -> None:
    config = make_config(url)
    async with make_harness(config) as one, make_harness(config, seeded=False) as other:
        echo = await one.send(ADMIN_ID, SPEND)
        call, data = _button(echo, "확인")
        assert "기록했습니다" in replies(await other.press(ADMIN_ID, call, data))[-1]
        assert replies(await one.press(ADMIN_ID, call, data)) == ["이미 처리한 확인입니다"]
        assert await _amounts(one) == [120_000]
        event = await one.send(ADMIN_ID, "9월 15일 오후 3시 서울식물원 개관식 알려줘")
        before = await _count(one, Event)
        call, data = _button(event, "확인")
        await other.press(ADMIN_ID, call, data)
        await one.press(ADMIN_ID, call, data)
        assert await _count(one, Event) == before + 1


async def test_echo_through_one_application_confirm_through_another_stores_once(db_url: str) -> None:
    await _two_applications(db_url)


async def test_an_expired_draft_says_so_and_stores_nothing(harness: Harness) -> None:
    echo = await harness.send(ADMIN_ID, SPEND)
    harness.clock.advance(timedelta(hours=24, minutes=1))  # config conversation.draft_hours = 24
    pressed = await harness.tap(ADMIN_ID, echo, "확인")
    assert replies(pressed)[0] == "시간이 지나 취소된 초안입니다 — 다시 입력해 주세요"
    assert pressed[0].params["show_alert"] is True
    assert await _amounts(harness) == []


async def test_the_timeout_is_configurable(sqlite_url: str) -> None:
    async with make_harness(make_config(sqlite_url, conversation={"draft_hours": 1})) as h:
        echo = await h.send(ADMIN_ID, SPEND)
        h.clock.advance(timedelta(minutes=61))
        assert "시간이 지나" in replies(await h.tap(ADMIN_ID, echo, "확인"))[0]
        assert await _amounts(h) == []


async def test_another_users_draft_id_is_a_stale_button(harness: Harness) -> None:
    invite = replies(await harness.send(ADMIN_ID, "/invite"))[0]
    await harness.send(STAFF_ID, f"/start {invite.split('?start=')[1].split()[0]}")
    echo = await harness.send(ADMIN_ID, SPEND)
    call, data = _button(echo, "확인")
    for forged in (data, data.replace(":ok", ":over"), data.replace(":ok", ":no"), data + ":x:y:z", "d:abc:ok",
                   "d:99999999999:ok", "d:424242:ok"):
        pressed = await harness.press(STAFF_ID, call, forged)
        assert [c.method for c in pressed] == ["answerCallbackQuery"], forged
        assert pressed[0].params["text"] == "오래되었거나 잘못된 버튼입니다" and pressed[0].params["show_alert"]
    assert await _amounts(harness) == []
    assert "기록했습니다" in replies(await harness.press(ADMIN_ID, call, data))[-1]  # untouched by the forgeries


async def test_a_question_while_a_form_is_open_is_answered_and_the_form_offered_back(harness: Harness) -> None:
    assert "어떤 일정인가요" in replies(await harness.send(ADMIN_ID, "/event"))[-1]
    asked = await harness.send(ADMIN_ID, "업무추진비 얼마 남았어?")
    assert "238,625" in replies(asked)[0]  # answered, not taken as the event's title
    assert replies(asked)[-1] == "입력 중이던 일정이 있습니다"
    form = await harness.open_form(ADMIN_ID)
    assert form is not None and form.paused and form.step == "title"
    assert "어떤 일정인가요" in replies(await harness.tap(ADMIN_ID, asked, "이어서 하기"))[-1]
    assert "언제인가요" in replies(await harness.send(ADMIN_ID, "서울식물원 개관식"))[-1]
    echo = await harness.send(ADMIN_ID, "9월 15일 오후 3시")
    assert replies(echo)[-1].startswith("9.15.(토) 15:00 서울식물원 개관식 — 맞나요?")


async def test_throwing_away_an_interrupted_form(harness: Harness) -> None:
    await harness.send(ADMIN_ID, "/spend")
    asked = await harness.send(ADMIN_ID, "지연 공약 몇 개야?")
    assert replies(asked)[-1] == "입력 중이던 지출 기록이 있습니다"
    assert "버렸습니다" in replies(await harness.tap(ADMIN_ID, asked, "버리기"))[-1]
    assert await harness.open_form(ADMIN_ID) is None
    after = replies(await harness.send(ADMIN_ID, "12만원"))
    assert not any("내용(지출 목적)" in text for text in after)  # no longer read as the form's amount
    assert replies(await harness.tap(ADMIN_ID, asked, "이어서 하기")) == [
        "취소된 초안입니다 — 다시 입력해 주세요"]


async def test_cancel_drops_the_open_form(harness: Harness) -> None:
    await harness.send(ADMIN_ID, "/spend")
    assert "취소했습니다" in replies(await harness.send(ADMIN_ID, "/cancel"))[0]
    assert await harness.open_form(ADMIN_ID) is None


async def test_a_typed_amount_correction_re_echoes_and_is_what_is_stored(harness: Harness) -> None:
    await harness.send(ADMIN_ID, SPEND)
    again = await harness.send(ADMIN_ID, "금액은 15만원")
    assert "맞나요" in replies(again)[-1] and "150" in replies(again)[-1]
    await harness.tap(ADMIN_ID, again, "확인")
    assert await _amounts(harness) == [150_000]


async def test_a_typed_time_and_title_correction_of_an_event_echo(harness: Harness) -> None:
    await harness.send(ADMIN_ID, "9월 15일 오후 3시 서울식물원 개관식 알려줘")
    moved = await harness.send(ADMIN_ID, "4시로")
    assert replies(moved)[-1].startswith("9.15.(토) 16:00 서울식물원 개관식 — 맞나요?")
    renamed = await harness.send(ADMIN_ID, "제목 서울식물원 임시개방 행사")
    assert replies(renamed)[-1].startswith("9.15.(토) 16:00 서울식물원 임시개방 행사 — 맞나요?")
    labels = [b["text"] for row in renamed[-1].params["reply_markup"]["inline_keyboard"] for b in row]
    assert labels == ["확인", "취소", "날짜·시간 변경", "제목 변경", "알림 변경"]
    await harness.tap(ADMIN_ID, renamed, "확인")
    async with harness.runtime.sessionmaker() as session:
        event = await session.scalar(select(Event).where(Event.source == "chat"))
    assert event is not None and event.title == "서울식물원 임시개방 행사"
    assert event.start_at.astimezone(SEOUL).hour == 16


async def test_an_over_limit_draft_needs_an_admins_approval_of_that_draft(harness: Harness) -> None:
    over = await harness.send(ADMIN_ID, "지출 5억원 시책추진 간담회 7/20 대형 행사")
    assert "초과 지출 승인" in str(over[-1].params["reply_markup"])
    small = await harness.send(ADMIN_ID, SPEND)
    call, data = _button(small, "확인")
    refused = await harness.press(ADMIN_ID, call, data.replace(":ok", ":over"))  # approval is bound to a draft
    assert "확인할 수 없습니다" in replies(refused)[0] and await _amounts(harness) == []
    call, data = _button(over, "초과 지출 승인")
    assert "확인할 수 없습니다" in replies(await harness.press(ADMIN_ID, call, data.replace(":over", ":ok")))[0]
    await harness.tap(ADMIN_ID, small, "확인")
    assert await _amounts(harness) == [120_000]  # the 5억원 draft still waits for its own approval
    await harness.tap(ADMIN_ID, over, "초과 지출 승인")
    assert await _amounts(harness) == [120_000, 500_000_000]
