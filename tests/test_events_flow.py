"""Creating events and reminders in chat: echo first, store only on 확인; ask when 오전/오후 is unclear."""

from __future__ import annotations

from datetime import datetime

from conftest import ADMIN_ID, SEOUL, Harness, replies
from sqlalchemy import func, select

from storage.models import Event, RecurringRule, Reminder


async def _count(h: Harness, model: type) -> int:
    async with h.runtime.sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(model).where(
            *( [model.source == "chat"] if model is Event else []))) or 0)


async def _reminders_of(h: Harness, event_id: int) -> list[Reminder]:
    async with h.runtime.sessionmaker() as session:
        return list((await session.scalars(select(Reminder).where(Reminder.event_id == event_id)
                                          .order_by(Reminder.due_at))).all())


async def test_one_line_event_is_echoed_then_stored_on_confirm(harness: Harness) -> None:
    calls = await harness.send(ADMIN_ID, "9월 15일 오후 3시 서울식물원 개관식 알려줘")
    echo = replies(calls)[0]
    assert echo.startswith("9.15.(토) 15:00 서울식물원 개관식 — 맞나요?")
    assert "D-7 9.8.(토) 09:00" in echo and "D-1 9.14.(금) 09:00" in echo and "1시간 전 9.15.(토) 14:00" in echo
    assert await _count(harness, Event) == 0  # nothing stored before the confirmation
    done = replies(await harness.tap(ADMIN_ID, calls, "확인"))
    assert done[-1].startswith("등록했습니다: 9.15.(토) 15:00 서울식물원 개관식")
    async with harness.runtime.sessionmaker() as session:
        event = await session.scalar(select(Event).where(Event.source == "chat"))
    assert event is not None and event.precision == "minute" and event.category == "개관"
    assert event.start_at == datetime(2018, 9, 15, 15, 0, tzinfo=SEOUL)
    due = [r.due_at.astimezone(SEOUL) for r in await _reminders_of(harness, event.id)]
    assert due == [datetime(2018, 9, 8, 9, tzinfo=SEOUL), datetime(2018, 9, 14, 9, tzinfo=SEOUL),
                   datetime(2018, 9, 15, 14, tzinfo=SEOUL)]
    # A second press of the same 확인 stores nothing more.
    assert "이미 처리한 확인입니다" in replies(await harness.tap(ADMIN_ID, calls, "확인"))[-1]
    assert await _count(harness, Event) == 1


async def test_cancel_leaves_nothing_stored(harness: Harness) -> None:
    calls = await harness.send(ADMIN_ID, "/event 다음주 화요일 10시 구청장협의회")
    assert replies(calls)[0].startswith("7.24.(화) 10:00 구청장협의회 — 맞나요?")
    assert "취소했습니다" in replies(await harness.tap(ADMIN_ID, calls, "취소"))[-1]
    assert await _count(harness, Event) == 0
    async with harness.runtime.sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(Reminder).where(
            Reminder.recipient_id == ADMIN_ID)) == 0


async def test_bare_hour_is_asked_not_guessed(harness: Harness) -> None:
    calls = await harness.send(ADMIN_ID, "/event 다음주 화요일 3시 구청장협의회")
    assert replies(calls) == ["3시는 오전인가요, 오후인가요?"]
    assert await _count(harness, Event) == 0
    answer = await harness.tap(ADMIN_ID, calls, "오후 3시")
    echo = replies(answer)[-1]
    assert echo.startswith("7.24.(화) 15:00 구청장협의회 — 맞나요?")
    await harness.tap(ADMIN_ID, answer, "확인")
    assert await _count(harness, Event) == 1


async def test_change_time_before_confirming(harness: Harness) -> None:
    calls = await harness.send(ADMIN_ID, "9월 15일 오후 3시 서울식물원 개관식 알려줘")
    prompt = await harness.tap(ADMIN_ID, calls, "날짜·시간 변경")
    assert "새 날짜나 시각" in replies(prompt)[-1]
    bad = await harness.send(ADMIN_ID, "25시")
    assert "예:" in replies(bad)[-1] and await _count(harness, Event) == 0
    again = await harness.send(ADMIN_ID, "오후 4시")
    assert replies(again)[-1].startswith("9.15.(토) 16:00 서울식물원 개관식 — 맞나요?")  # the day is kept
    await harness.tap(ADMIN_ID, again, "확인")
    async with harness.runtime.sessionmaker() as session:
        event = await session.scalar(select(Event).where(Event.source == "chat"))
    assert event is not None and event.start_at == datetime(2018, 9, 15, 16, tzinfo=SEOUL)


async def test_impossible_dates_are_refused_in_korean(harness: Harness) -> None:
    for text in ("2월 30일 회의 알려줘", "어제 3시 보고서 제출 알려줘"):
        answer = replies(await harness.send(ADMIN_ID, text))[0]
        assert "예:" in answer and "맞나요" not in answer
    assert await _count(harness, Event) == 0


async def test_guided_form_and_its_cancel(harness: Harness) -> None:
    assert "제목" in replies(await harness.send(ADMIN_ID, "/event"))[0]
    assert "언제" in replies(await harness.send(ADMIN_ID, "델리 자매결연 협약식"))[0]
    assert "없는 날짜" in replies(await harness.send(ADMIN_ID, "2월 30일"))[0]
    calls = await harness.send(ADMIN_ID, "9월 중")
    assert replies(calls)[0].startswith("9월 중(예정) 델리 자매결연 협약식 — 맞나요?")
    assert "매주 월요일" in replies(calls)[0]  # month precision: weekly nudge to fix the date
    await harness.tap(ADMIN_ID, calls, "확인")
    assert await _count(harness, Event) == 1
    await harness.send(ADMIN_ID, "/event")
    assert "취소했습니다" in replies(await harness.send(ADMIN_ID, "/cancel"))[0]
    assert "무슨 말씀인지" in replies(await harness.send(ADMIN_ID, "아무 제목"))[0]  # the form is over


async def test_personal_and_recurring_reminders(harness: Harness) -> None:
    calls = await harness.send(ADMIN_ID, "30분 뒤에 회의자료 챙기라고 알려줘")
    assert replies(calls)[0] == "7.20.(금) 10:30에 '회의자료 챙기기' 알려 드릴까요?"
    await harness.tap(ADMIN_ID, calls, "확인")
    calls = await harness.send(ADMIN_ID, "매월 말일 정산 알려줘")
    assert replies(calls)[0].startswith("매월 말일 09:00 '정산' 반복 알림 — 맞나요?")
    assert "첫 알림: 7.31.(화) 09:00" in replies(calls)[0]
    await harness.tap(ADMIN_ID, calls, "확인")
    async with harness.runtime.sessionmaker() as session:
        rule = await session.scalar(select(RecurringRule).where(RecurringRule.owner_id == ADMIN_ID))
        mine = (await session.scalars(select(Reminder).where(Reminder.recipient_id == ADMIN_ID)
                                      .order_by(Reminder.due_at))).all()
    assert rule is not None and rule.rrule.startswith("FREQ=MONTHLY;BYMONTHDAY=-1;BYHOUR=9")
    assert [(r.kind, r.due_at.astimezone(SEOUL)) for r in mine] == [
        ("personal", datetime(2018, 7, 20, 10, 30, tzinfo=SEOUL)),
        ("recurring", datetime(2018, 7, 31, 9, 0, tzinfo=SEOUL))]
    listing = replies(await harness.send(ADMIN_ID, "/reminders"))[0]
    assert "1. 7.20.(금) 10:30 — ⏰ 알림: 회의자료 챙기기" in listing and "2. 7.31.(화) 09:00" in listing


async def test_reminders_list_cancel_and_move(harness: Harness) -> None:
    for text in ("30분 뒤에 회의자료 챙기라고 알려줘", "2시간 뒤에 전화하기 알려줘"):
        await harness.tap(ADMIN_ID, await harness.send(ADMIN_ID, text), "확인")
    listing = await harness.send(ADMIN_ID, "/reminders")
    assert "1. 7.20.(금) 10:30 — ⏰ 알림: 회의자료 챙기기" in replies(listing)[0]
    cancelled = await harness.tap(ADMIN_ID, listing, "1번 취소")
    assert "알림을 취소했습니다: ⏰ 알림: 회의자료 챙기기" in replies(cancelled)[-1]
    assert "이미 보냈거나 취소된" in replies(await harness.tap(ADMIN_ID, listing, "1번 취소"))[-1]
    ask = await harness.tap(ADMIN_ID, listing, "2번 시간 변경")
    assert "언제로 옮길까요" in replies(ask)[-1]
    assert "앞으로의" in replies(await harness.send(ADMIN_ID, "어제 오후 3시"))[-1]  # asked again
    moved = await harness.send(ADMIN_ID, "내일 오전 10시")
    assert replies(moved)[-1] == "알림을 7.21.(토) 10:00로 옮겼습니다."
    after = replies(await harness.send(ADMIN_ID, "/reminders"))[0]
    assert after.splitlines()[1:] == ["1. 7.21.(토) 10:00 — ⏰ 알림: 전화하기"]


async def test_zero_and_negative_steps_are_refused_not_scheduled(harness: Harness) -> None:
    expected = {
        "0분 뒤에 회의 알려줘": "0분 뒤는 바로 지금입니다. 1분 이상으로 입력해 주세요",
        "0시간 뒤 보고 알려줘": "0시간 뒤는 바로 지금입니다",
        "0일 뒤 회의 알려줘": "0일 뒤는 바로 지금입니다",
        "-5분 뒤 알려줘": "음수는 쓸 수 없습니다",
        "-3일 뒤 회의 알려줘": "음수는 쓸 수 없습니다",
        "마이너스 5분 뒤 회의 알려줘": "음수는 쓸 수 없습니다",
    }
    reminders_before = await _count(harness, Reminder)
    for text, reason in expected.items():
        answer = replies(await harness.send(ADMIN_ID, text))
        assert reason in answer[0] and "맞나요" not in answer[0] and "알려 드릴까요" not in answer[0], (text, answer)
    assert await _count(harness, Event) == 0
    assert await _count(harness, Reminder) == reminders_before


async def test_a_year_outside_2000_to_2100_is_refused_in_chat(harness: Harness) -> None:
    (answer,) = replies(await harness.send(ADMIN_ID, "9999년 1월 1일 오후 3시 행사 알려줘"))
    assert "2000년부터 2100년 사이" in answer
    async with harness.runtime.sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(Event).where(Event.title == "행사")) == 0
