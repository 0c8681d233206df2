"""Editing an echo before 확인 (issue 12, item 5): 참석자 on visit and meeting echoes and 알림 시점 on event echoes,
each by its button and by a typed correction; the re-echo shows the change and 확인 stores it. An echo keeps to
six buttons."""

from __future__ import annotations

from datetime import datetime

from conftest import ADMIN_ID, Harness, replies
from sqlalchemy import select

from bot.clock import SEOUL
from bot.offline import ApiCall
from storage.models import Event, Meeting, Reminder, Visit

VISIT = "어제 오후 2시 강북구 쪽방촌 현장방문, 참석 복지정책실장, 메모 여름철 냉방 점검 요청"
MEETING = "오늘 10시 상임위원장단 간담회 — 안건 추경"
EVENT = "9월 15일 오후 3시 서울식물원 개관식 알려줘"


def _labels(calls: list[ApiCall]) -> list[str]:
    return [b["text"] for row in calls[-1].params["reply_markup"]["inline_keyboard"] for b in row]


async def _visit(h: Harness) -> Visit:
    async with h.runtime.sessionmaker() as session:
        visit = await session.scalar(select(Visit).order_by(Visit.id.desc()))
    assert visit is not None
    return visit


async def _event_reminders(h: Harness) -> list[datetime]:
    async with h.runtime.sessionmaker() as session:
        event = await session.scalar(select(Event).where(Event.source == "chat"))
        assert event is not None
        rows = await session.scalars(select(Reminder.due_at).where(Reminder.event_id == event.id)
                                     .order_by(Reminder.due_at))
        return [due.astimezone(SEOUL).replace(tzinfo=None) for due in rows]


# -- 참석자 ---------------------------------------------------------------------------------------------

async def test_typed_participants_replace_add_and_remove_then_are_stored(harness: Harness) -> None:
    echo = await harness.send(ADMIN_ID, VISIT)
    assert "참석: 복지정책실장" in replies(echo)[-1] and "참석자 변경" in _labels(echo)
    replaced = await harness.send(ADMIN_ID, "참석자 복지정책실장 외 2명")
    assert "맞나요" in replies(replaced)[-1] and "참석: 복지정책실장 외 2명" in replies(replaced)[-1]
    added = await harness.send(ADMIN_ID, "참석자에 교통정책과장 추가")
    assert "참석: 복지정책실장 외 2명, 교통정책과장" in replies(added)[-1]
    removed = await harness.send(ADMIN_ID, "참석자에서 복지정책실장 빼줘")
    assert "참석: 교통정책과장" in replies(removed)[-1] and "복지정책실장" not in replies(removed)[-1]
    await harness.tap(ADMIN_ID, removed, "확인")
    assert (await _visit(harness)).participants == ["교통정책과장"]


async def test_participants_button_asks_and_the_answer_re_echoes(harness: Harness) -> None:
    echo = await harness.send(ADMIN_ID, VISIT)
    asked = await harness.tap(ADMIN_ID, echo, "참석자 변경")
    assert replies(asked)[-1].startswith("참석자를 입력하세요")
    again = await harness.send(ADMIN_ID, "행정국장, 교통정책과장")
    assert "참석: 행정국장, 교통정책과장" in replies(again)[-1] and "맞나요" in replies(again)[-1]
    await harness.tap(ADMIN_ID, again, "확인")
    assert (await _visit(harness)).participants == ["행정국장", "교통정책과장"]


async def test_meeting_participants_by_a_short_typed_line(harness: Harness) -> None:
    echo = await harness.send(ADMIN_ID, MEETING)
    assert "참석자 변경" in _labels(echo)
    again = await harness.send(ADMIN_ID, "참석 행정국장")
    assert "참석: 행정국장" in replies(again)[-1] and "맞나요" in replies(again)[-1]
    await harness.tap(ADMIN_ID, again, "확인")
    async with harness.runtime.sessionmaker() as session:
        meeting = await session.scalar(select(Meeting).order_by(Meeting.id.desc()))
    assert meeting is not None and meeting.attendees == ["행정국장"]


async def test_removing_someone_not_listed_says_so_and_changes_nothing(harness: Harness) -> None:
    await harness.send(ADMIN_ID, VISIT)
    refused = await harness.send(ADMIN_ID, "참석자에서 행정국장 빼줘")
    assert "행정국장" in replies(refused)[-1] and "없습니다" in replies(refused)[-1]
    assert "기록했습니다" in replies(await harness.send(ADMIN_ID, "확인"))[-1]
    assert (await _visit(harness)).participants == ["복지정책실장"]


# -- 알림 시점 ------------------------------------------------------------------------------------------

async def test_typed_lead_times_re_plan_the_echo_and_the_stored_reminders(harness: Harness) -> None:
    echo = await harness.send(ADMIN_ID, EVENT)
    assert "알림: D-7 9.8.(토) 09:00 · D-1 9.14.(금) 09:00 · 1시간 전 9.15.(토) 14:00" in replies(echo)[-1]
    thirty = await harness.send(ADMIN_ID, "알림 30분 전")
    assert "맞나요" in replies(thirty)[-1] and "알림: 30분 전 9.15.(토) 14:30" in replies(thirty)[-1]
    three = await harness.send(ADMIN_ID, "알림 D-3")
    assert "알림: D-3 9.12.(수) 15:00" in replies(three)[-1]
    two = await harness.send(ADMIN_ID, "알림 D-1 하고 1시간 전")
    assert "알림: D-1 9.14.(금) 15:00 · 1시간 전 9.15.(토) 14:00" in replies(two)[-1]
    saved = await harness.tap(ADMIN_ID, two, "확인")
    assert "D-1 9.14.(금) 15:00" in replies(saved)[-1]
    assert await _event_reminders(harness) == [datetime(2018, 9, 14, 15), datetime(2018, 9, 15, 14)]


async def test_at_the_start_and_no_reminder_by_typing(harness: Harness) -> None:
    await harness.send(ADMIN_ID, EVENT)
    at_start = await harness.send(ADMIN_ID, "정각에 알려줘")
    assert "정각 9.15.(토) 15:00" in replies(at_start)[-1] and "1시간 전" not in replies(at_start)[-1]
    silent = await harness.send(ADMIN_ID, "알림 없이")
    assert "알림: 없음" in replies(silent)[-1] and "지났습니다" not in replies(silent)[-1]
    await harness.tap(ADMIN_ID, silent, "확인")
    assert await _event_reminders(harness) == []


async def test_lead_button_asks_and_the_answer_is_stored(harness: Harness) -> None:
    echo = await harness.send(ADMIN_ID, EVENT)
    assert _labels(echo) == ["확인", "취소", "날짜·시간 변경", "제목 변경", "알림 변경"]
    asked = await harness.tap(ADMIN_ID, echo, "알림 변경")
    assert replies(asked)[-1].startswith("언제 알려 드릴까요?")
    again = await harness.send(ADMIN_ID, "2시간 전")
    assert "알림: 2시간 전 9.15.(토) 13:00" in replies(again)[-1]
    await harness.tap(ADMIN_ID, again, "확인")
    assert await _event_reminders(harness) == [datetime(2018, 9, 15, 13)]


async def test_an_unreadable_lead_says_what_to_type_and_keeps_the_echo(harness: Harness) -> None:
    await harness.send(ADMIN_ID, EVENT)
    refused = await harness.send(ADMIN_ID, "알림 가끔")
    assert "알림 시점을 알아보지 못했습니다" in replies(refused)[-1] and "D-3" in replies(refused)[-1]
    kept = await harness.send(ADMIN_ID, "확인")
    assert "1시간 전 9.15.(토) 14:00" in replies(kept)[-1]
    assert await _event_reminders(harness) == [datetime(2018, 9, 8, 9), datetime(2018, 9, 14, 9),
                                               datetime(2018, 9, 15, 14)]


# -- six buttons -------------------------------------------------------------------------------------

async def test_echoes_keep_to_six_buttons_most_used_first(harness: Harness) -> None:
    visit = _labels(await harness.send(ADMIN_ID, VISIT))
    assert visit == ["확인", "취소", "날짜·시간 변경", "장소 변경", "참석자 변경", "분류 변경"]
    spend = _labels(await harness.send(ADMIN_ID, "지출 12만원 시책추진 간담회 7/20 복지정책 간담회 다과"))
    assert len(spend) <= 6 and spend[:2] == ["확인", "취소"]
