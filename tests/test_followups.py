"""Follow-ups in words, typed as staff type them, through the real application: undo the last entry, move a
reminder, correct the last spending, my lists, files asked for in words, the as-of dates, thanks and greetings."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from conftest import ADMIN_ID, REPORT_NOW, STAFF_ID, Harness, replies
from helpers import run_cli
from sqlalchemy import func, select

from bot.clock import SEOUL
from bot.offline import ApiCall
from storage.models import AuditEntry, Event, Reminder, SpendingEntry

SPEND = "지출 12만원 시책추진 간담회 7/20 복지정책 간담회 다과"


async def _staff(h: Harness) -> None:
    from test_gate import _join

    await _join(h, STAFF_ID)


async def _spend(h: Harness, user: int = ADMIN_ID, text: str = SPEND) -> None:
    assert "기록했습니다" in replies(await h.tap(user, await h.send(user, text), "확인"))[-1]


async def _remind(h: Harness, text: str, user: int = ADMIN_ID) -> None:
    assert "등록했습니다" in replies(await h.tap(user, await h.send(user, text), "확인"))[-1]


async def _entry(h: Harness) -> SpendingEntry:
    async with h.runtime.sessionmaker() as session:
        entry = await session.scalar(select(SpendingEntry).order_by(SpendingEntry.id.desc()))
    assert entry is not None
    return entry


async def _mine(h: Harness, user: int = ADMIN_ID) -> list[Reminder]:
    async with h.runtime.sessionmaker() as session:
        rows = await session.scalars(select(Reminder).where(Reminder.recipient_id == user,
                                                            Reminder.kind.in_(("personal", "snooze")))
                                     .order_by(Reminder.id))
        return list(rows.all())


async def _actions(h: Harness, action: str) -> int:
    async with h.runtime.sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(AuditEntry)
                                        .where(AuditEntry.action == action)) or 0)


def _documents(calls: list[ApiCall]) -> list[str]:
    return [str(call.params.get("caption", "")) for call in calls if call.method == "sendDocument"]


def _labels(calls: list[ApiCall]) -> list[str]:
    return [b["text"] for call in calls for row in (call.params.get("reply_markup") or {}).get("inline_keyboard", [])
            for b in row]


# -- undo_last -----------------------------------------------------------------------------------------------

async def test_undo_in_words_voids_the_spending_only_after_confirming(harness: Harness) -> None:
    await _spend(harness)
    calls = await harness.send(ADMIN_ID, "마지막 지출 취소해줘")
    echo = replies(calls)[0]
    assert "되돌릴까요" in echo and "120천원 '복지정책 간담회 다과'" in echo
    assert (await _entry(harness)).voided is False  # nothing taken back before 확인
    done = replies(await harness.tap(ADMIN_ID, calls, "확인"))[-1]
    assert done.startswith("되돌렸습니다: 지출 7.20. 120천원")
    assert (await _entry(harness)).voided is True and await _actions(harness, "spending.void") == 1
    again = replies(await harness.tap(ADMIN_ID, calls, "확인"))
    assert "이미 처리한" in again[-1] and await _actions(harness, "spending.void") == 1
    asked = await harness.send(ADMIN_ID, "업무추진비 잔액")
    assert replies(asked)[0].startswith("업무추진비 잔액 238,625천원")  # one figure first, the void counted
    card = replies(await harness.tap(ADMIN_ID, asked, "자세히"))[-1]
    assert "시책추진업무추진비: 80,000 / 34,379 / 45,621" in card


async def test_undo_takes_back_the_newest_of_my_entries_whatever_its_kind(harness: Harness) -> None:
    await _spend(harness)
    harness.clock.advance(timedelta(minutes=1))
    await _remind(harness, "30분 뒤에 회의자료 챙기라고 알려줘")
    calls = await harness.send(ADMIN_ID, "방금 거 취소")
    assert "이 알림을 되돌릴까요?" in replies(calls)[0] and "회의자료 챙기기" in replies(calls)[0]
    assert replies(await harness.tap(ADMIN_ID, calls, "확인"))[-1].startswith("되돌렸습니다: 알림")
    assert [row.state for row in await _mine(harness)] == ["cancelled"]
    assert (await _entry(harness)).voided is False and await _actions(harness, "reminder.cancel") == 1
    # Named by its kind, an older entry is found past the newer ones.
    calls = await harness.send(ADMIN_ID, "아까 입력한 지출 지워줘")
    assert "이 지출을 되돌릴까요?" in replies(calls)[0]
    await harness.tap(ADMIN_ID, calls, "취소")
    assert (await _entry(harness)).voided is False


async def test_undo_of_an_event_cancels_it_and_its_reminders(harness: Harness) -> None:
    await _remind(harness, "9월 15일 오후 3시 서울식물원 개관식 알려줘")
    calls = await harness.send(ADMIN_ID, "잘못 넣었어 빼줘")
    assert "이 일정을 되돌릴까요?" in replies(calls)[0] and "서울식물원 개관식" in replies(calls)[0]
    await harness.tap(ADMIN_ID, calls, "확인")
    async with harness.runtime.sessionmaker() as session:
        event = await session.scalar(select(Event).where(Event.title.contains("서울식물원 개관식"),
                                                         Event.owner_id == ADMIN_ID))
        assert event is not None and event.cancelled
        pending = await session.scalar(select(func.count()).select_from(Reminder).where(
            Reminder.event_id == event.id, Reminder.state == "pending"))
    assert pending == 0


async def test_undo_with_nothing_recent_or_someone_elses_changes_nothing(harness: Harness) -> None:
    await _staff(harness)
    assert "되돌릴 것이 없습니다" in replies(await harness.send(STAFF_ID, "방금 거 취소"))[0]
    await _spend(harness)  # the admin's entry is not the staff member's to undo
    assert "되돌릴 것이 없습니다" in replies(await harness.send(STAFF_ID, "마지막 지출 취소해줘"))[0]
    calls = await harness.send(ADMIN_ID, "마지막 지출 취소해줘")
    harness.clock.advance(timedelta(hours=25))  # confirmed too late: the 24 hours apply at 확인 too
    late = replies(await harness.tap(ADMIN_ID, calls, "확인"))[-1]
    assert "24시간" in late or "시간이 지나" in late
    assert (await _entry(harness)).voided is False


# -- reminder_move ---------------------------------------------------------------------------------------

async def test_postponing_a_reminder_moves_it_and_makes_no_new_one(harness: Harness) -> None:
    await _remind(harness, "30분 뒤에 회의자료 챙기라고 알려줘")
    done = replies(await harness.send(ADMIN_ID, "회의자료 알림 한 시간 미뤄줘"))
    assert done == ["알림 '회의자료 챙기기' → 7.20.(금) 11:30로 옮겼습니다."]
    (row,) = await _mine(harness)
    assert row.due_at == REPORT_NOW + timedelta(minutes=90) and row.state == "pending"
    replies(await harness.send(ADMIN_ID, "회의자료 알림 내일 9시로"))
    (row,) = await _mine(harness)
    assert row.due_at == datetime(2018, 7, 21, 9, 0, tzinfo=SEOUL)


async def test_the_reminder_just_delivered_is_snoozed(harness: Harness) -> None:
    await _remind(harness, "10분 뒤에 보도자료 확인하라고 알려줘")
    harness.clock.set(REPORT_NOW + timedelta(minutes=10))
    await harness.engine.run_due()
    done = replies(await harness.send(ADMIN_ID, "그 알림 30분 뒤로"))
    assert done == ["알림 '보도자료 확인하기' → 7.20.(금) 10:40로 다시 알려 드릴게요."]
    first, again = await _mine(harness)
    assert first.state == "snoozed" and again.kind == "snooze" and again.parent_id == first.id
    assert abs(again.due_at - (REPORT_NOW + timedelta(minutes=40))) < timedelta(seconds=30)  # the clock runs on
    assert again.text == first.text


async def test_several_reminders_meant_are_asked_with_buttons(harness: Harness) -> None:
    await _remind(harness, "30분 뒤에 회의자료 챙기라고 알려줘")
    await _remind(harness, "2시간 뒤에 회의실 예약하라고 알려줘")
    calls = await harness.send(ADMIN_ID, "회의 알림 10분 미뤄줘")
    assert "어느 알림을 옮길까요?" in replies(calls)[0] and _labels(calls) == ["1번", "2번", "취소"]
    assert replies(await harness.tap(ADMIN_ID, calls, "2번"))[-1].startswith("알림 '회의실 예약하기' → 7.20.(금) 12:10")
    first, second = await _mine(harness)
    assert first.due_at == REPORT_NOW + timedelta(minutes=30)
    assert second.due_at == REPORT_NOW + timedelta(hours=2, minutes=10)
    assert "이미 처리한" in replies(await harness.tap(ADMIN_ID, calls, "1번"))[-1]


async def test_no_reminder_meant_lists_mine_and_creates_nothing(harness: Harness) -> None:
    await _remind(harness, "30분 뒤에 회의자료 챙기라고 알려줘")
    text = replies(await harness.send(ADMIN_ID, "개관식 알림 한 시간 미뤄줘"))[0]
    assert "'개관식' 알림을 찾지 못했습니다" in text and "1. 7.20.(금) 10:30 — 회의자료 챙기기" in text
    assert len(await _mine(harness)) == 1


# -- spending_fix -------------------------------------------------------------------------------------------

async def test_correcting_the_last_amount_in_words(harness: Harness) -> None:
    await _spend(harness)
    calls = await harness.send(ADMIN_ID, "금액 잘못 넣었어 12만원 아니고 13만원")
    assert "금액: 120천원 → 130천원" in replies(calls)[0]
    assert (await _entry(harness)).amount_won == 120_000
    done = replies(await harness.tap(ADMIN_ID, calls, "확인"))[-1]
    assert done == "기록 1의 금액을 130천원으로 고쳤습니다. 시책추진업무추진비 잔액: 45,491천원"
    assert (await _entry(harness)).amount_won == 130_000 and await _actions(harness, "spending.correct") == 1


async def test_a_correction_over_the_balance_needs_an_admin(harness: Harness) -> None:
    await _staff(harness)
    await _spend(harness, STAFF_ID)
    refused = replies(await harness.send(STAFF_ID, "방금 지출 5천만원으로 고쳐줘"))[0]
    assert "관리자에게 요청하세요" in refused and (await _entry(harness)).amount_won == 120_000
    await _spend(harness)
    calls = await harness.send(ADMIN_ID, "방금 지출 5천만원으로 고쳐줘")
    assert "⚠️" in replies(calls)[0] and "확인" not in _labels(calls)
    assert replies(await harness.tap(ADMIN_ID, calls, "초과 지출 승인"))[-1].startswith("기록 2의 금액을 50,000천원")
    assert "얼마로 고칠까요" in replies(await harness.send(ADMIN_ID, "지출 금액 틀렸어"))[0]


# -- lists, files, as-of, small talk -----------------------------------------------------------------------

async def test_my_reminders_and_my_spending_in_words(harness: Harness) -> None:
    await _remind(harness, "30분 뒤에 회의자료 챙기라고 알려줘")
    listed = replies(await harness.send(ADMIN_ID, "내 알림 뭐 있어"))[0]
    assert listed.startswith("예정된 내 알림:") and "회의자료 챙기기" in listed
    await _spend(harness)
    spent = replies(await harness.send(ADMIN_ID, "내가 쓴 지출 내역"))[0]
    assert "#1 7.20. 120천원 시책추진 '복지정책 간담회 다과'" in spent


async def test_files_in_words(harness: Harness) -> None:
    assert _documents(await harness.send(ADMIN_ID, "현장방문 엑셀로 줘"))[0].startswith("현장방문")
    assert _documents(await harness.send(ADMIN_ID, "예산 내보내기"))[0].startswith("2018년 업무추진비 장부")
    assert _documents(await harness.send(ADMIN_ID, "공약 파일로"))[0].startswith("세부사업")
    assert _documents(await harness.send(ADMIN_ID, "캘린더 파일 줘"))[0].startswith("다가오는 일정")
    calls = await harness.send(ADMIN_ID, "엑셀 파일로 줘")
    assert _labels(calls) == ["현장방문", "간담회·면담", "업무추진비 장부", "공약"]
    assert _documents(await harness.tap(ADMIN_ID, calls, "간담회·면담"))[0].startswith("간담회·면담")


async def test_files_and_edits_stay_out_of_group_chats(harness: Harness) -> None:
    calls = await harness.send(ADMIN_ID, "예산 내보내기", chat_id=-100, chat_type="group")
    assert not _documents(calls)
    calls = await harness.send(ADMIN_ID, "방금 거 취소", chat_id=-100, chat_type="group")
    assert not any("되돌릴까요" in text for text in replies(calls))


async def test_as_of_dates_in_words(harness: Harness) -> None:
    text = replies(await harness.send(ADMIN_ID, "이거 언제 기준이야"))[0]
    assert "업무추진비: 2018.6.30. 기준" in text and "공약 구성: 2018.7.10. 기준" in text
    assert "보고서 자료 2018.7.10. 기준" in text


async def test_thanks_and_greetings_get_a_short_reply_and_nothing_else(harness: Harness) -> None:
    for text in ("고마워", "감사합니다", "ㄳ", "수고하셨습니다", "넵 알겠습니다"):
        calls = await harness.send(ADMIN_ID, text)
        assert replies(calls) == ["천만에요. 더 필요한 게 있으면 편하게 말씀해 주세요."], text
        assert not _labels(calls)
    for text in ("안녕", "좋은 아침"):
        (reply,) = replies(await harness.send(ADMIN_ID, text))
        assert reply.startswith("안녕하세요!")
    assert await _mine(harness) == []


def test_follow_ups_typed_in_the_console(tmp_path: Path) -> None:
    """The console chat on the demo data, as a user pipes it: postpone by words, fix, undo, thanks."""
    script = ("30분 뒤에 회의자료 챙기라고 알려줘\n#1\n회의자료 알림 한 시간 미뤄줘\n내 알림 뭐 있어\n"
              f"{SPEND}\n#1\n방금 지출 15만원으로 고쳐줘\n#1\n마지막 지출 취소해줘\n#1\n고마워\n")
    result = run_cli(tmp_path, "chat", input=script)
    out = result.stdout
    assert result.returncode == 0 and "Traceback" not in out + result.stderr
    assert "알림 '회의자료 챙기기' → 7.20.(금) 11:30로 옮겼습니다." in out
    assert "1. 7.20.(금) 11:30 — ⏰ 알림: 회의자료 챙기기" in out and "한 시간 미뤄" not in out.split("옮겼습니다")[1]
    assert "기록 1의 금액을 150천원으로 고쳤습니다" in out
    assert "되돌렸습니다: 지출 7.20. 150천원 '복지정책 간담회 다과'" in out
    assert "천만에요." in out
