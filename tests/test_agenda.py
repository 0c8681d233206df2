"""The agenda, the daily briefing (working days only) and the .ics export."""

from __future__ import annotations

import asyncio
from datetime import date, datetime, time, timedelta

from conftest import ADMIN_ID, SEOUL, Harness, make_harness, replies
from icalendar import Calendar, vRecur

from bot.briefing import BriefingScheduler
from bot.domain.workdays import is_working_day, next_briefing
from storage import reminders


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=SEOUL)  # type: ignore[misc]


async def test_september_agenda_lists_the_reports_items(harness: Harness) -> None:
    text = replies(await harness.send(ADMIN_ID, "9월 일정"))[0]
    lines = text.splitlines()
    assert lines[0] == "📅 9월 일정 (6건)"
    assert "• 8.6.(월)~9.1.(토) 시민참여예산 시민투표" in lines
    assert "• 9.1.(토) 참여예산위원회 총회" in lines
    for title in ("시정운영 4개년 계획 대외 발표", "서울식물원 개관", "델리 자매우호도시 결연", "(EBRD) 업무협약"):
        assert any(line.startswith("• 9월 중(예정)") and title in line for line in lines), title
    assert "날짜 미정" in text and "IDB" not in text and "도시건축박물관" not in text


async def test_today_week_and_upcoming(harness: Harness) -> None:
    calls = await harness.send(ADMIN_ID, "30분 뒤에 회의자료 챙기라고 알려줘")
    await harness.tap(ADMIN_ID, calls, "확인")
    today = replies(await harness.send(ADMIN_ID, "/today"))[0]
    assert today.startswith("📅 오늘 일정") and "⏰ 7.20.(금) 10:30 회의자료 챙기기" in today
    week = replies(await harness.send(ADMIN_ID, "이번주 일정"))[0]
    assert "회의자료 챙기기" in week and "동고동락" in week  # 7~8월 stay overlaps this week
    coming = replies(await harness.send(ADMIN_ID, "다가오는 일정"))[0]
    assert "8.6.(월)~9.1.(토) 시민참여예산 시민투표" in coming and "9월 중" not in coming
    empty = replies(await harness.send(ADMIN_ID, "2019년 3월 일정"))[0]
    assert "등록된 일정이 없습니다" in empty


def test_next_briefing_skips_weekends_and_chuseok() -> None:
    eight_thirty = time(8, 30)
    assert next_briefing(at(2018, 7, 20, 9), eight_thirty) == at(2018, 7, 23, 8, 30)  # Fri after -> Mon
    assert next_briefing(at(2018, 7, 20, 8), eight_thirty) == at(2018, 7, 20, 8, 30)
    assert next_briefing(at(2018, 9, 21, 9), eight_thirty) == at(2018, 9, 27, 8, 30)  # 추석 9.23~9.26
    assert not is_working_day(date(2018, 9, 26))  # 대체공휴일
    assert not is_working_day(date(2018, 8, 15)) and is_working_day(date(2018, 8, 16))


async def test_briefing_goes_to_subscribers_on_working_days_only(harness: Harness) -> None:
    assert "08:30" in replies(await harness.send(ADMIN_ID, "/briefing on"))[0]
    scheduler = BriefingScheduler(harness.app)
    for holiday in (at(2018, 9, 24, 8, 30), at(2018, 7, 21, 8, 30)):  # 추석, Saturday
        harness.clock.set(holiday)
        assert await scheduler.send_today() == 0
    harness.request.clear()
    harness.clock.set(at(2018, 8, 6, 8, 30))
    assert await scheduler.send_today() == 1  # queued as a reminder row; the engine delivers it
    await harness.app.bot_data["reminder_engine"].run_due()
    (text,) = [t for t in harness.request.texts(ADMIN_ID) if "아침 브리핑" in t]
    assert text.startswith("☀️ 아침 브리핑\n📅 오늘 일정") and "시민참여예산 시민투표" in text
    assert await scheduler.send_today() == 0  # claimed for the day: never twice
    harness.clock.set(at(2018, 8, 7, 8, 30))
    assert replies(await harness.send(ADMIN_ID, "/briefing off"))[0] == "아침 브리핑을 껐습니다."
    assert await scheduler.send_today() == 0
    harness.request.clear()
    await harness.app.bot_data["reminder_engine"].run_due()
    assert not [t for t in harness.request.texts(ADMIN_ID) if "아침 브리핑" in t]
    assert "사용법" in replies(await harness.send(ADMIN_ID, "/briefing maybe"))[0]


async def test_calendar_export_parses_back_to_the_same_events(harness: Harness) -> None:
    await harness.tap(ADMIN_ID, await harness.send(ADMIN_ID, "매주 금요일 17시 주간보고 알려줘"), "확인")
    calls = await harness.send(ADMIN_ID, "/calendar")
    (document,) = [c for c in calls if c.method == "sendDocument"]
    name, data = document.files["document"]
    assert name == "secretariat-calendar.ics"
    parsed = Calendar.from_ical(data)
    entries = {str(e.get("summary")): e for e in parsed.walk("VEVENT")}
    vote = entries["시민참여예산 시민투표"]
    assert vote.decoded("dtstart") == date(2018, 8, 6) and vote.decoded("dtend") == date(2018, 9, 2)
    garden = entries["서울식물원 개관"]
    assert garden.decoded("dtstart") == date(2018, 9, 1) and garden.decoded("dtend") == date(2018, 10, 1)
    assert str(garden.get("status")) == "TENTATIVE" and "서울식물원" in str(garden.get("location"))
    weekly = entries["주간보고"]
    assert weekly.get("rrule") == vRecur.from_ical("FREQ=WEEKLY;BYDAY=FR;BYHOUR=17;BYMINUTE=0;BYSECOND=0")
    assert weekly.decoded("dtstart").hour == 17
    # every seeded event still ahead or under way (the 7~8월 stay too), the coming pledge evaluation deadlines
    # (2018 H2, 2019 H1) and yearly review, and the seeded monthly rule
    assert len([e for e in entries if e != "주간보고"]) == 11 + 3 + 1
    assert "다가오는 일정 14건, 반복 알림 2건" in str(document.params.get("caption"))


async def test_job_queue_wakes_the_engine_in_real_time(config) -> None:  # type: ignore[no-untyped-def]
    async with make_harness(config, seeded=False, scheduled=True) as h:
        now = h.clock.now()
        async with h.runtime.sessionmaker.begin() as session:
            await reminders.add_all(session, [reminders.new(kind="personal", text="곧 울리는 알림",
                                                            due_at=now + timedelta(seconds=1.5), now=now,
                                                            recipient_id=ADMIN_ID)])
        h.runtime.wake()
        for _ in range(50):
            if "곧 울리는 알림" in h.request.texts(ADMIN_ID):
                break
            await asyncio.sleep(0.1)
        assert h.request.texts(ADMIN_ID) == ["곧 울리는 알림"]
