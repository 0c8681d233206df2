"""One schedule as users see it (issue 12, item 8): every dated item in the agenda and the .ics, "…시에 알려줘"
reminded at that time, the echo listing each reminder's time, a same-day same-title item pointed out."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from conftest import ADMIN_ID, SEOUL, STAFF_ID, Harness, replies
from icalendar import Calendar
from sqlalchemy import select

from bot.domain import agenda
from bot.domain.leads import DraftEvent, ReminderSettings
from bot.domain.schedule import Nudge, alerts, same_title, title_words
from bot.lang.requests import EventRequest, PersonalRequest, RequestProblem, read_request
from bot.lang.schedule_words import AT_START, asks_at_time, is_task
from bot.services import agenda as agenda_service
from bot.services.fieldwork import Rules, save_meeting, save_visit
from bot.services.scheduling import save_event, save_personal
from storage import fieldwork, reminders
from storage.fieldwork import FollowUpDraft, MeetingDraft, VisitDraft
from storage.models import Meeting, Reminder

NOW = datetime(2018, 7, 20, 10, tzinfo=SEOUL)
SETTINGS = ReminderSettings()


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=SEOUL)  # type: ignore[misc]


def _due(text: str) -> list[datetime]:
    """The reminder times a line gets, through the same functions the echo and the services use."""
    request = read_request(text, NOW)
    if isinstance(request, PersonalRequest):
        return [p.due_at for p in alerts(Nudge(request.text, request.when.start), SETTINGS, NOW)]
    assert isinstance(request, EventRequest), (text, request)
    when = request.when
    draft = DraftEvent(request.title, when.start, when.end, when.precision, when.tentative,
                       lead_minutes=request.lead_minutes)
    return [p.due_at for p in alerts(draft, SETTINGS, NOW)]


# -- the rule, pure ------------------------------------------------------------------------------------

def test_a_nudge_at_a_time_is_reminded_exactly_then() -> None:
    assert _due("4시에 보고서 제출 알려줘") == [at(2018, 7, 20, 16)]
    assert _due("내일 오후 4시 반에 김과장에게 전화 알려줘") == [at(2018, 7, 21, 16, 30)]
    assert _due("9월 14일 오후 4시 예산서 제출 알려줘") == [at(2018, 9, 14, 16)]  # no D-7/D-1 for a nudge
    assert _due("내일 보고서 제출 알려줘") == [at(2018, 7, 21, 9)]  # a day alone: that morning
    assert isinstance(read_request("오늘 보고서 제출 알려줘", NOW), RequestProblem)  # 09:00 today has passed


def test_a_thing_to_attend_keeps_its_leads_and_the_asked_time_replaces_the_hour_before() -> None:
    # 15:00 is when the ceremony starts: D-7, D-1 and an hour before.
    assert _due("9월 15일 오후 3시 서울식물원 개관식 알려줘") == [at(2018, 9, 8, 9), at(2018, 9, 14, 9),
                                                       at(2018, 9, 15, 14)]
    # "…15시에 알려줘": reminded at 15:00 itself, never an hour before the asked time.
    request = read_request("서울식물원 개관식 9월 15일 오후 3시에 알려줘", NOW)
    assert isinstance(request, EventRequest) and request.lead_minutes == AT_START
    assert request.title == "서울식물원 개관식" and request.category == "개관"
    assert _due("서울식물원 개관식 9월 15일 오후 3시에 알려줘") == [at(2018, 9, 8, 9), at(2018, 9, 14, 9),
                                                         at(2018, 9, 15, 15)]
    # Leads already past are dropped; the asked time stays.
    assert _due("간담회 내일 오후 4시에 꼭 알려줘") == [at(2018, 7, 21, 16)]
    assert read_request("간담회 내일 오후 4시에 꼭 알려줘", NOW).title == "간담회"  # type: ignore[union-attr]


def test_which_is_which() -> None:
    assert is_task("보고서 제출") and is_task("간담회 자료 준비") and is_task("회의자료 챙기기")
    assert not is_task("서울식물원 개관식") and not is_task("구청장협의회") and not is_task("상임위원장 간담회")
    assert asks_at_time("개관식 15시에 알려줘") and asks_at_time("4시 반에 꼭 알려 줘")
    assert not asks_at_time("15시에 개관식 알려줘") and not asks_at_time("15시 개관식 알려줘")
    team = read_request("내일 오후 4시 보고서 제출 전체 알려줘", NOW)
    assert isinstance(team, EventRequest) and team.audience == "team"  # a team reminder is always an event
    explicit = read_request("내일 오후 2시 간담회 D-3 30분 전 알림", NOW)
    assert isinstance(explicit, EventRequest) and explicit.lead_minutes == (4320, 30)


def test_titles_compare_without_spaces_order_and_particles() -> None:
    assert same_title("서울식물원 개관식", "서울식물원개관식을")
    assert same_title("상임위원장단 간담회", "간담회 — 상임위원장단")
    assert same_title("현장방문 강북구 수유시장 (전통시장) 예정", "강북구 수유시장 현장방문")
    assert not same_title("서울식물원 개관식", "서울식물원 개관식 리허설")
    assert not same_title("", "") and title_words("··· ") == ()


# -- in chat --------------------------------------------------------------------------------------------

async def _personal_rows(h: Harness, user_id: int) -> list[Reminder]:
    async with h.runtime.sessionmaker() as session:
        return list((await session.scalars(select(Reminder).where(
            Reminder.recipient_id == user_id, Reminder.kind == "personal"))).all())


async def test_four_oclock_nudge_is_due_at_sixteen_exactly(harness: Harness) -> None:
    calls = await harness.send(ADMIN_ID, "4시에 보고서 제출 알려줘")
    assert replies(calls)[0] == "7.20.(금) 16:00에 '보고서 제출' 알려 드릴까요?"
    done = replies(await harness.tap(ADMIN_ID, calls, "확인"))[-1]
    assert done == "알림을 등록했습니다: 7.20.(금) 16:00 '보고서 제출'"
    (row,) = await _personal_rows(harness, ADMIN_ID)
    assert row.due_at.astimezone(SEOUL) == at(2018, 7, 20, 16) and row.event_id is None
    today = replies(await harness.send(ADMIN_ID, "/today"))[0]
    assert "16:00 보고서 제출" in today


async def test_echo_lists_every_reminder_time_of_an_asked_time(harness: Harness) -> None:
    calls = await harness.send(ADMIN_ID, "서울식물원 개관식 9월 15일 오후 3시에 알려줘")
    echo = replies(calls)[0]
    assert echo.startswith("9.15.(토) 15:00 서울식물원 개관식 — 맞나요?")
    assert "알림: D-7 9.8.(토) 09:00 · D-1 9.14.(금) 09:00 · 정각 9.15.(토) 15:00" in echo
    assert "1시간 전" not in echo
    done = replies(await harness.tap(ADMIN_ID, calls, "확인"))[-1]
    assert "정각 9.15.(토) 15:00" in done
    async with harness.runtime.sessionmaker() as session:
        due = sorted(r.due_at.astimezone(SEOUL) for r in (await session.scalars(select(Reminder).where(
            Reminder.event_id.isnot(None), Reminder.kind == "lead", Reminder.recipient_id == ADMIN_ID))).all())
    assert due == [at(2018, 9, 8, 9), at(2018, 9, 14, 9), at(2018, 9, 15, 15)]  # stored as echoed


async def test_same_title_on_the_same_day_is_pointed_out_before_storing(harness: Harness) -> None:
    await harness.tap(ADMIN_ID, await harness.send(ADMIN_ID, "9월 15일 오후 3시 서울식물원 개관식 알려줘"), "확인")
    again = replies(await harness.send(ADMIN_ID, "9월 15일 오후 5시 서울식물원개관식을 알려줘"))[0]
    assert "같은 날 같은 제목의 일정이 이미 있습니다: 9.15.(토) 15:00 서울식물원 개관식" in again
    other_day = replies(await harness.send(ADMIN_ID, "9월 16일 오후 3시 서울식물원 개관식 알려줘"))[0]
    assert "같은 날" not in other_day and other_day.startswith("9.16.(일) 15:00 서울식물원 개관식 — 맞나요?")
    other_title = replies(await harness.send(ADMIN_ID, "9월 15일 오후 4시 서울식물원 리허설 알려줘"))[0]
    assert "같은 날" not in other_title
    # A nudge and a personal reminder are checked alike.
    await harness.tap(ADMIN_ID, await harness.send(ADMIN_ID, "4시에 보고서 제출 알려줘"), "확인")
    nudge = replies(await harness.send(ADMIN_ID, "5시에 보고서 제출 알려줘"))[0]
    assert "같은 날 같은 제목의 일정이 이미 있습니다: 7.20.(금) 16:00 보고서 제출" in nudge


async def test_planned_meeting_is_alerted_like_an_event(harness: Harness) -> None:
    calls = await harness.send(ADMIN_ID, "다음주 화요일 10시 상임위원장 간담회 예정")
    echo = replies(calls)[-1]
    assert "알림: D-1 7.23.(월) 09:00 · 1시간 전 7.24.(화) 09:00" in echo
    done = replies(await harness.tap(ADMIN_ID, calls, "확인"))[-1]
    assert "알림: D-1 7.23.(월) 09:00 · 1시간 전 7.24.(화) 09:00" in done
    async with harness.runtime.sessionmaker() as session:
        meeting = await session.scalar(select(Meeting))
        assert meeting is not None and meeting.planned
        rows = (await session.scalars(select(Reminder).where(Reminder.subject == f"meeting:{meeting.id}"))).all()
    assert sorted(r.due_at.astimezone(SEOUL) for r in rows) == [at(2018, 7, 23, 9), at(2018, 7, 24, 9)]
    assert all(r.recipient_id == ADMIN_ID and r.state == "pending" and "간담회" in r.text for r in rows)
    # Deleting the record takes its alerts with it.
    async with harness.runtime.sessionmaker.begin() as session:
        meeting = await session.get(Meeting, meeting.id)
        assert meeting is not None
        await fieldwork.delete(session, meeting, NOW, ADMIN_ID)
    async with harness.runtime.sessionmaker() as session:
        states = {r.state for r in (await session.scalars(select(Reminder).where(
            Reminder.subject == f"meeting:{meeting.id}"))).all()}
    assert states == {"cancelled"}


# -- agenda and .ics hold every kind -------------------------------------------------------------------

async def _every_kind(h: Harness) -> None:
    """One of each dated item: an event, a planned meeting with a follow-up, a planned visit, a one-off and a
    snoozed personal reminder of the admin; and the staff member's private event and reminder."""
    async with h.runtime.sessionmaker.begin() as session:
        await save_event(session, DraftEvent("서울식물원 개관식", at(2018, 9, 15, 15), None, "minute", False),
                         ADMIN_ID, SETTINGS, NOW)
        await save_event(session, DraftEvent("예산 설명회", at(2018, 9, 3), None, "day", False), ADMIN_ID,
                         SETTINGS, NOW)
        await save_event(session, DraftEvent("도시건축 전시", at(2018, 10, 1), None, "month", True), ADMIN_ID,
                         SETTINGS, NOW)
        follow_up = FollowUpDraft("추경 자료 송부", "기획관", date(2018, 7, 27))
        await save_meeting(session, MeetingDraft(at(2018, 7, 24, 10), "minute", True, "상임위원회별 간담회",
                                                 "상임위원장단", agenda="추경", follow_ups=(follow_up,)),
                           NOW, ADMIN_ID, SETTINGS)
        await save_visit(session, VisitDraft(at(2018, 7, 26, 14), "minute", True, "전통시장", "수유시장", "강북구"),
                         NOW, ADMIN_ID, Rules(), SETTINGS)
        await save_personal(session, ADMIN_ID, "보고서 제출", at(2018, 7, 20, 16), NOW)
        await save_personal(session, ADMIN_ID, "회의자료 챙기기", at(2018, 7, 20, 10, 30), NOW)
        await save_event(session, DraftEvent("개인 면담", at(2018, 7, 25, 11), None, "minute", False), STAFF_ID,
                         SETTINGS, NOW)
        await save_personal(session, STAFF_ID, "병원 예약", at(2018, 7, 23, 9), NOW)
    async with h.runtime.sessionmaker.begin() as session:  # the 10:30 one was sent and snoozed to 11:30
        sent = await session.scalar(select(Reminder).where(Reminder.text == "⏰ 알림: 회의자료 챙기기"))
        assert sent is not None
        sent.state = "sent"
        await reminders.add_all(session, [reminders.new(kind="snooze", text=sent.text, due_at=at(2018, 7, 20, 11, 30),
                                                        now=NOW, recipient_id=ADMIN_ID, parent_id=sent.id)])


async def test_agenda_holds_every_kind(harness: Harness) -> None:
    await _every_kind(harness)
    window = agenda.Window(at(2018, 7, 20), at(2018, 11, 1), "")
    async with harness.runtime.sessionmaker() as session:
        mine = await agenda_service.collect(session, window, ADMIN_ID)
        theirs = await agenda_service.collect(session, window, STAFF_ID)
    kinds = {(i.kind, i.title) for i in mine}
    assert {("event", "서울식물원 개관식"), ("event", "예산 설명회"), ("event", "도시건축 전시"),
            ("meeting", "상임위원회별 간담회 — 상임위원장단"), ("visit", "현장방문 강북구 수유시장 (전통시장) 예정"),
            ("followup", "후속조치 기한: 추경 자료 송부 (기획관)"), ("reminder", "보고서 제출"),
            ("reminder", "회의자료 챙기기")} <= kinds
    assert not {"개인 면담", "병원 예약"} & {t for _, t in kinds}  # another person's private items
    assert {"개인 면담", "병원 예약"} <= {i.title for i in theirs} and "보고서 제출" not in {i.title for i in theirs}


async def test_calendar_file_holds_every_kind_with_zones_and_stable_uids(harness: Harness) -> None:
    await _every_kind(harness)
    calls = await harness.send(ADMIN_ID, "/calendar")
    (document,) = [c for c in calls if c.method == "sendDocument"]
    data = document.files["document"][1]
    parsed = Calendar.from_ical(data)
    entries = {str(e.get("summary")): e for e in parsed.walk("VEVENT")}
    garden = entries["서울식물원 개관식"]
    assert garden.decoded("dtstart") == at(2018, 9, 15, 15) and garden["dtstart"].params["TZID"] == "Asia/Seoul"
    assert entries["예산 설명회"].decoded("dtstart") == date(2018, 9, 3)  # day precision: all-day
    exhibition = entries["도시건축 전시"]
    assert exhibition.decoded("dtstart") == date(2018, 10, 1) and str(exhibition.get("status")) == "TENTATIVE"
    meeting = entries["상임위원회별 간담회 — 상임위원장단"]
    assert meeting.decoded("dtstart") == at(2018, 7, 24, 10) and str(meeting.get("uid")).startswith("meeting-")
    assert "추경" in str(meeting.get("description"))
    visit = entries["현장방문 강북구 수유시장 (전통시장)"]
    assert visit.decoded("dtstart") == at(2018, 7, 26, 14) and str(visit.get("location")) == "수유시장"
    follow_up = entries["후속조치 기한: 추경 자료 송부 (기획관)"]
    assert follow_up.decoded("dtstart") == date(2018, 7, 27) and follow_up.decoded("dtend") == date(2018, 7, 28)
    nudge = entries["보고서 제출"]
    assert nudge.decoded("dtstart") == at(2018, 7, 20, 16) and nudge["dtstart"].params["TZID"] == "Asia/Seoul"
    assert [a.decoded("trigger") for a in nudge.walk("VALARM")] == [timedelta(0)]
    snoozed = entries["회의자료 챙기기"]
    assert snoozed.decoded("dtstart") == at(2018, 7, 20, 11, 30)
    assert "개인 면담" not in entries and "병원 예약" not in entries  # the staff member's own items stay theirs
    assert [tz["tzid"] for tz in parsed.walk("VTIMEZONE")] == ["Asia/Seoul"]
    uids = [str(e.get("uid")) for e in parsed.walk("VEVENT")]
    assert len(uids) == len(set(uids))
    # The snoozed reminder keeps the UID of the reminder it came from; a second export gives the same UIDs.
    async with harness.runtime.sessionmaker() as session:
        first = await session.scalar(select(Reminder).where(Reminder.kind == "personal",
                                                            Reminder.text == "⏰ 알림: 회의자료 챙기기"))
    assert first is not None and str(snoozed.get("uid")) == f"reminder-{first.id}@secretariat-bot"
    again = Calendar.from_ical((await agenda_service.calendar_file(harness.runtime, ADMIN_ID)).data)
    assert sorted(str(e.get("uid")) for e in again.walk("VEVENT")) == sorted(uids)
    theirs = Calendar.from_ical((await agenda_service.calendar_file(harness.runtime, STAFF_ID)).data)
    their_titles = {str(e.get("summary")) for e in theirs.walk("VEVENT")}
    assert {"개인 면담", "병원 예약"} <= their_titles and "보고서 제출" not in their_titles
