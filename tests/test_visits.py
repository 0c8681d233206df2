"""현장방문 and 간담회: one-line logs, missing pieces asked, the council-briefing rule, follow-ups, queries,
statistics, export, editing, bad input."""

from __future__ import annotations

import io
from datetime import datetime, timedelta

import openpyxl
import pytest
from conftest import ADMIN_ID, SEOUL, STAFF_ID, Harness, make_harness, replies
from helpers import run_cli
from sqlalchemy import func, select

from bot.config import Config
from handlers.visits import NO_RECENT_RECORD
from storage.models import FollowUp, Meeting, Reminder, Visit

COUNCIL = ("이름,지역구,소속 위원회,정당,의장단\n김강북,강북구,보건복지위원회,,\n이강북,강북구,교통위원회,,\n"
           "박의장,,의장,,Y\n")


async def _count(h: Harness, model: type) -> int:
    async with h.runtime.sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def _directory(h: Harness) -> None:
    answer = replies(await h.upload(ADMIN_ID, "council.csv", COUNCIL.encode()))[0]
    assert "시의원 명단을 가져왔습니다: 새로 3명" in answer


async def test_done_visit_in_one_line(harness: Harness) -> None:
    calls = await harness.send(ADMIN_ID, "어제 오후 2시 광화문광장 시민발언대, 메모 교통 민원 다수")
    echo = replies(calls)[0]
    assert "일시: 7.19.(목) 14:00 (완료)" in echo and "장소: 광화문광장 (종로구)" in echo
    assert "분류: 시민발언대" in echo and "메모: 교통 민원 다수" in echo
    assert await _count(harness, Visit) == 0
    await harness.tap(ADMIN_ID, calls, "확인")
    async with harness.runtime.sessionmaker() as session:
        visit = await session.scalar(select(Visit))
    assert visit is not None and visit.when_at == datetime(2018, 7, 19, 14, tzinfo=SEOUL)
    assert (visit.district, visit.category, visit.planned) == ("종로구", "시민발언대", False)
    assert visit.notes == "교통 민원 다수"


async def test_full_visit_line_with_participants(harness: Harness) -> None:
    line = "어제 오후 2시 강북구 쪽방촌 현장방문, 참석 복지정책실장, 메모 여름철 냉방 점검 요청"
    calls = await harness.send(ADMIN_ID, line)
    echo = replies(calls)[0]
    assert "장소: 쪽방촌 (강북구)" in echo and "분류: 민생-복지시설" in echo and "참석: 복지정책실장" in echo
    await harness.tap(ADMIN_ID, calls, "취소")
    assert await _count(harness, Visit) == 0


async def test_planned_visit_schedules_the_council_briefing(harness: Harness) -> None:
    await _directory(harness)
    calls = await harness.send(ADMIN_ID, "다음주 화요일 강북구 쪽방촌 현장방문 예정")
    echo = replies(calls)[0]
    assert "7.24.(화) (예정)" in echo and "7.21.(토) 09:00" in echo and "김강북, 이강북" in echo
    done = replies(await harness.tap(ADMIN_ID, calls, "확인"))[-1]
    assert "🏛 방문 3일 전 시의원 사전 설명·초청 알림: 김강북, 이강북" in done
    async with harness.runtime.sessionmaker() as session:
        reminder = await session.scalar(select(Reminder).where(Reminder.kind == "briefing"))
        visit = await session.scalar(select(Visit))
    assert reminder is not None and reminder.due_at == datetime(2018, 7, 21, 9, tzinfo=SEOUL)
    assert visit is not None and visit.council_briefing == "pending"
    week = replies(await harness.send(ADMIN_ID, "이번주 일정"))[0]
    assert "🚶 7.24.(화) 현장방문 강북구 쪽방촌 (민생-복지시설) 예정" in week
    assert "7.24.(화) 현장방문 강북구 쪽방촌" in replies(await harness.send(ADMIN_ID, "다가오는 일정"))[0]
    # The reminder, when it comes, closes the loop: 완료 marks the briefing done on the visit card.
    harness.clock.set(datetime(2018, 7, 21, 9, tzinfo=SEOUL))
    await harness.engine.run_due()
    pushed = [c for c in harness.request.of("sendMessage") if "시의원 사전 설명" in str(c.params["text"])]
    labels = [b["text"] for r in pushed[-1].params["reply_markup"]["inline_keyboard"] for b in r]
    assert "완료" in labels and "해당 없음" in labels
    await harness.tap(ADMIN_ID, pushed[-1:], "완료")
    card = replies(await harness.press(ADMIN_ID, pushed[-1], f"fv:v:{visit.id}"))[-1]
    assert "시의원 사전 설명·초청: 완료 (김강북, 이강북)" in card


async def test_no_briefing_for_a_district_without_members(harness: Harness) -> None:
    await _directory(harness)
    calls = await harness.send(ADMIN_ID, "다음주 화요일 도봉구 전통시장 현장방문 예정")
    assert "도봉구 의원이 없어 사전 설명 알림은 만들지 않습니다" in replies(calls)[0]
    await harness.tap(ADMIN_ID, calls, "확인")
    async with harness.runtime.sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(Reminder).where(Reminder.kind == "briefing")) == 0


async def test_meeting_with_follow_up_reminder_and_done_button(harness: Harness) -> None:
    calls = await harness.send(ADMIN_ID, "오늘 10시 상임위원장단 간담회 — 안건 추경, 후속: 자료 제출 7/27 기획조정실")
    echo = replies(calls)[0]
    assert "유형: 의장단·상임위원장단 간담회" in echo and "안건: 추경" in echo
    assert "후속조치: 자료 제출 (기획조정실, 7.27.(금)까지)" in echo
    await harness.tap(ADMIN_ID, calls, "확인")
    open_items = replies(await harness.send(ADMIN_ID, "미완료 후속조치"))[0]
    assert "☐ 자료 제출 (기획조정실, 7.27.(금)까지)" in open_items
    harness.clock.set(datetime(2018, 7, 27, 9, tzinfo=SEOUL))
    await harness.engine.run_due()
    pushed = [c for c in harness.request.of("sendMessage") if "후속조치 기한" in str(c.params["text"])]
    assert len(pushed) == 1
    await harness.tap(ADMIN_ID, pushed, "완료")
    async with harness.runtime.sessionmaker() as session:
        item = await session.scalar(select(FollowUp))
    assert item is not None and item.done
    assert "미완료 후속조치가 없습니다" in replies(await harness.send(ADMIN_ID, "미완료 후속조치"))[0]


async def test_missing_pieces_are_asked(harness: Harness) -> None:
    calls = await harness.send(ADMIN_ID, "/visit")
    assert "언제인가요" in replies(calls)[0]
    districts = await harness.send(ADMIN_ID, "어제 오후 3시")
    assert "어느 자치구인가요" in replies(districts)[0]
    categories = await harness.tap(ADMIN_ID, districts, "강북구")
    assert "어떤 현장방문인가요" in replies(categories)[-1]
    place = await harness.tap(ADMIN_ID, categories, "전통시장")
    assert "장소와 목적" in replies(place)[-1]
    echo = await harness.send(ADMIN_ID, "수유시장 상인 간담")
    assert "7.19.(목) 15:00 (완료)" in replies(echo)[0] and "목적: 수유시장 상인 간담" in replies(echo)[0]
    await harness.tap(ADMIN_ID, echo, "확인")
    assert await _count(harness, Visit) == 1
    river = await harness.send(ADMIN_ID, "어제 한강공원 시민발언대")
    assert "여러 자치구에 걸쳐" in replies(river)[0]
    meeting = await harness.send(ADMIN_ID, "/meeting 어제 오후 4시 면담")
    assert "유형: 기타" in replies(meeting)[-1]  # a line naming no type is not stalled: changeable from the echo


async def test_bad_input_is_refused_and_changes_nothing(harness: Harness) -> None:
    assert "강북구" in replies(await harness.send(ADMIN_ID, "어제 강북군 현장방문"))[0]
    far = replies(await harness.send(ADMIN_ID, "2025년 3월 2일 강북구 현장방문 다녀왔음"))
    assert "날짜" in far[-1] and "아무것도 기록하지 않았습니다" in far[-1]
    long = replies(await harness.send(ADMIN_ID, "어제 강북구 현장방문, 메모 " + "가" * 5000))[0]
    assert "2,000자" in long and "아무것도 기록하지 않았습니다" in long
    assert await _count(harness, Visit) == 0 and await _count(harness, Meeting) == 0


async def test_queries_stats_and_export(harness: Harness) -> None:
    for text in ("어제 오후 2시 강북구 쪽방촌 현장방문", "7월 10일 종로구 광화문광장 시민발언대"):
        await harness.tap(ADMIN_ID, await harness.send(ADMIN_ID, text), "확인")
    month = replies(await harness.send(ADMIN_ID, "이번달 현장방문"))[0]
    assert "7.19.(목) 14:00 강북구 쪽방촌" in month and "광화문광장" in month
    gangbuk = replies(await harness.send(ADMIN_ID, "강북구 방문 기록"))[0]
    assert "강북구 쪽방촌" in gangbuk and "광화문광장" not in gangbuk
    calls = await harness.send(ADMIN_ID, "/visits stats")
    stats = replies(calls)[0]
    assert "2018년 현장방문 2건" in stats and "아직 방문하지 않은 자치구 23곳" in stats and "도봉구" in stats
    assert any(c.method == "sendPhoto" for c in calls)
    exported = await harness.send(ADMIN_ID, "/visits export")
    (document,) = [c for c in exported if c.method == "sendDocument"]
    assert document.params["caption"].endswith("(1.1. 이후 전체, 예정 포함)")  # not the search window's far end
    book = openpyxl.load_workbook(io.BytesIO(document.files["document"][1]), read_only=True)
    assert len(list(book[book.sheetnames[0]].iter_rows(values_only=True))) == 3


async def test_edit_own_within_a_week_admin_any(harness: Harness) -> None:
    from test_gate import _join

    await _join(harness, STAFF_ID)
    await harness.tap(ADMIN_ID, await harness.send(ADMIN_ID, "어제 오후 2시 강북구 쪽방촌 현장방문"), "확인")
    listing = await harness.send(STAFF_ID, "이번달 현장방문")
    card = await harness.tap(STAFF_ID, listing, next(b["text"] for c in listing for r in (
        c.params.get("reply_markup") or {}).get("inline_keyboard", []) for b in r))
    assert "자신이 7일 안에 기록한 것만" in replies(await harness.tap(STAFF_ID, card, "삭제"))[-1]
    mine = await harness.send(ADMIN_ID, "이번달 현장방문")  # the admin's own chat: drafts belong to a chat
    card = await harness.tap(ADMIN_ID, mine, next(b["text"] for c in mine for r in (
        c.params.get("reply_markup") or {}).get("inline_keyboard", []) for b in r))
    ask = await harness.tap(ADMIN_ID, card, "메모 수정")
    assert "새 메모" in replies(ask)[-1]
    edited = replies(await harness.send(ADMIN_ID, "냉방기 2대 지원 결정"))
    assert "고쳤습니다" in edited[0] and "메모: 냉방기 2대 지원 결정" in edited[-1]
    confirm = await harness.tap(ADMIN_ID, card, "삭제")
    await harness.tap(ADMIN_ID, confirm, "삭제")
    assert "기록이 없습니다" in replies(await harness.send(ADMIN_ID, "이번달 현장방문"))[0]


async def _photo(h: Harness, file_id: str, chat: int = ADMIN_ID) -> str:
    from bot.updates import chat_json, user_json

    update = {"update_id": 99001, "message": {
        "message_id": 99001, "date": 0, "chat": chat_json(chat), "from": user_json(ADMIN_ID),
        "photo": [{"file_id": file_id, "file_unique_id": file_id, "width": 100, "height": 100}]}}
    return replies(await h._feed(update))[0]


async def _photos(h: Harness) -> list[str] | None:
    async with h.runtime.sessionmaker() as session:
        visit = await session.scalar(select(Visit))
    return None if visit is None else list(visit.photos)


async def test_photo_after_a_log_attaches(harness: Harness) -> None:
    await harness.tap(ADMIN_ID, await harness.send(ADMIN_ID, "어제 오후 2시 강북구 쪽방촌 현장방문"), "확인")
    assert "사진을 기록 #1에 붙였습니다 (사진 1장)" in await _photo(harness, "photo-1")
    assert await _photos(harness) == ["photo-1"]


async def test_photo_after_a_restart_still_attaches_to_the_last_record(config: Config) -> None:
    """The record a photo attaches to is kept in the database, not in the process: a new application over the
    same database (a restart, another replica) attaches it; after the 30-minute window it attaches nowhere."""
    async with make_harness(config) as first:
        await first.tap(ADMIN_ID, await first.send(ADMIN_ID, "어제 오후 2시 강북구 쪽방촌 현장방문"), "확인")
    async with make_harness(config, seeded=False) as again:
        assert "사진을 기록 #1에 붙였습니다 (사진 1장)" in await _photo(again, "photo-1")
        assert "사진을 기록 #1에 붙였습니다 (사진 2장)" in await _photo(again, "photo-2")
        again.clock.advance(timedelta(minutes=31))
        assert NO_RECENT_RECORD in await _photo(again, "photo-3")
        assert await _photos(again) == ["photo-1", "photo-2"]


async def test_photo_without_a_recent_log_attaches_nowhere(harness: Harness) -> None:
    assert NO_RECENT_RECORD in await _photo(harness, "photo-1")
    assert await _count(harness, Visit) == 0


def test_cli_council_import_and_visit_export(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import subprocess

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return run_cli(tmp_path, *args)

    url = f"sqlite:///{tmp_path / 'v.db'}"
    assert cli("seed", "--db", url).returncode == 0
    (tmp_path / "bad.csv").write_text(COUNCIL + "최강북,강북군,,,\n", encoding="utf-8")
    bad = cli("import", "council", "bad.csv", "--db", url)
    assert bad.returncode == 1 and "5행 지역구" in bad.stdout
    (tmp_path / "council.csv").write_text(COUNCIL, encoding="utf-8")
    good = cli("import", "council", "council.csv", "--db", url)
    assert good.returncode == 0 and "새로 3명" in good.stdout
    out = cli("export", "visits", "--db", url, "--from", "2018-01-01", "--to", "2018-12-31", "--out", "v.xlsx")
    assert out.returncode == 0 and (tmp_path / "v.xlsx").exists()
    wrong = cli("export", "visits", "--db", url, "--from", "어제")
    assert wrong.returncode == 2 and "YYYY-MM-DD" in wrong.stderr


async def test_press_event_schedules_the_leadership_briefing(harness: Harness) -> None:
    await _directory(harness)
    calls = await harness.send(ADMIN_ID, "9월 3일 오전 10시 미세먼지 대책 기자설명회 알려줘")
    done = replies(await harness.tap(ADMIN_ID, calls, "확인"))[-1]
    assert "🏛 발표 전 시의회 사전 설명 알림도 등록했습니다: 박의장" in done
    async with harness.runtime.sessionmaker() as session:
        reminder = await session.scalar(select(Reminder).where(Reminder.kind == "briefing"))
    assert reminder is not None and reminder.due_at == datetime(2018, 9, 2, 9, tzinfo=SEOUL)
    assert "박의장" in reminder.text and "미세먼지 대책 기자설명회" in reminder.text


async def test_admins_extend_the_gazetteer(harness: Harness) -> None:
    from test_gate import _join

    listing = replies(await harness.send(ADMIN_ID, "/places"))[0]
    assert "광화문광장 → 종로구" in listing and "한강공원 → 강서구" in listing
    await _join(harness, STAFF_ID)
    assert "관리자만" in replies(await harness.send(STAFF_ID, "/places add 북서울꿈의숲 강북구"))[0]
    assert "자치구가 아닙니다" in replies(await harness.send(ADMIN_ID, "/places add 북서울꿈의숲 강북군"))[0]
    assert "북서울꿈의숲 → 강북구" in replies(await harness.send(ADMIN_ID, "/places add 북서울꿈의숲 강북"))[0]
    echo = replies(await harness.send(ADMIN_ID, "어제 오후 3시 북서울꿈의숲 현장방문"))[-1]
    assert "장소: 북서울꿈의숲 (강북구)" in echo  # the district came from the gazetteer: not asked
    assert "분류: 기타" in echo  # no category word: the catch-all, changeable from the echo


async def test_an_over_long_place_name_is_refused_not_cut(harness: Harness) -> None:
    from storage import fieldwork

    long_name = "가" * 101
    answer = replies(await harness.send(ADMIN_ID, f"/places add {long_name} 강북구"))[0]
    assert answer.startswith("장소 이름은 100자까지 입력할 수 있습니다 (지금 101자)")
    assert "아무것도 바꾸지 않았습니다" in answer
    async with harness.runtime.sessionmaker() as session:
        places = await fieldwork.gazetteer(session)
    assert not [name for name in places if name.startswith("가" * 10)]  # neither the name nor a cut of it
    exact = "나" * 100
    assert f"{exact} → 강북구" in replies(await harness.send(ADMIN_ID, f"/places add {exact} 강북구"))[0]
    async with harness.runtime.sessionmaker.begin() as session:
        with pytest.raises(ValueError, match=r"1\.\.100"):
            await fieldwork.upsert_place(session, long_name, ["강북구"], ADMIN_ID)


async def test_long_lists_page_with_the_same_question(harness: Harness) -> None:
    from storage import fieldwork
    from storage.fieldwork import VisitDraft

    async with harness.runtime.sessionmaker.begin() as session:
        for day in range(1, 16):
            await fieldwork.add_visit(session, VisitDraft(datetime(2018, 7, day, 10, tzinfo=SEOUL), "minute", False,
                                                          "기타", district="강북구"), harness.clock.now(), ADMIN_ID)
    first = await harness.send(ADMIN_ID, "이번달 현장방문")
    assert "(1~10 / 15)" in replies(first)[0] and "7.15.(일) 10:00" in replies(first)[0]
    second = replies(await harness.tap(ADMIN_ID, first, "다음 ▶"))[-1]
    assert "(11~15 / 15)" in second and "7.1.(일) 10:00" in second


async def test_a_nul_in_a_place_name_is_refused(harness: Harness) -> None:
    from storage import fieldwork

    answer = replies(await harness.send(ADMIN_ID, "/places add 광장a\x00b 강북구"))[0]
    assert "NUL" in answer and "아무것도 바꾸지 않았습니다" in answer
    async with harness.runtime.sessionmaker() as session:
        assert not [name for name in await fieldwork.gazetteer(session) if "\x00" in name]
