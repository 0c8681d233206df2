"""Access under faults and forgery: the gate fails closed, every button is checked (who may see or change what it
names, and whether its data makes sense), group chats see only what the one rule allows, and the roster follows
the configuration and removals."""

from __future__ import annotations

import json
import logging
from datetime import timedelta
from typing import Any

import pytest
from conftest import ADMIN_ID, STAFF_ID, STRANGER_ID, Harness, make_config, make_harness, replies
from sqlalchemy import select

from bot.domain.access import DataKind, may_show
from bot.offline import ApiCall, OfflineRequest
from bot.updates import callback_update, user_json
from handlers import texts
from handlers.buttons import STALE
from storage import people
from storage.models import AuditEntry, Event, Person, Reminder

HUGE_ID = 99999999999999999999999
FIGURE_WORDS = ("천원", "집행", "정원", "현원", "잔액", "공약", "t.me", "직원 명단")


async def _join(h: Harness, user_id: int) -> None:
    text = replies(await h.send(ADMIN_ID, "/invite"))[0]
    code = text.split("?start=")[1].split()[0]
    await h.send(user_id, f"/start {code}")


def _errors(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.levelno >= logging.ERROR]


def _only_text(calls: list[ApiCall]) -> str:
    """The one thing the bot said; nothing else was sent (no photo, no document, no second message)."""
    assert [c.method for c in calls if c.method not in ("answerCallbackQuery",)] in (["sendMessage"], []), calls
    said = replies(calls)
    assert len(said) == 1, said
    return said[0]


# -- 1. the gate fails closed ---------------------------------------------------------------------------------

@pytest.mark.parametrize("user_id", [STRANGER_ID, ADMIN_ID])
async def test_roster_failure_refuses_the_update(harness: Harness, monkeypatch: pytest.MonkeyPatch,
                                                 caplog: pytest.LogCaptureFixture, user_id: int) -> None:
    async def broken(*_: Any) -> None:
        raise RuntimeError("connection to the roster lost")

    monkeypatch.setattr(people, "roster", broken)
    caplog.set_level(logging.INFO)
    for words in ("업무추진비 잔액", "인력 현황", "/staff", "/invite"):
        assert _only_text(await harness.send(user_id, words)) == texts.GATE_FAULT
    gate_errors = [r for r in _errors(caplog) if r.name == "handlers.gate"]
    assert len(gate_errors) == 4 and all("RuntimeError" in r.getMessage() for r in gate_errors)
    assert _errors(caplog) == gate_errors  # the error handler never saw these updates
    (message,) = [c for c in harness.request.calls if c.method == "sendMessage"][-1:]
    pressed = await harness.press(user_id, message, "bud:v:s:20180720")
    assert [c.method for c in pressed] == ["answerCallbackQuery"]
    assert pressed[0].params["text"] == texts.GATE_FAULT


async def test_roster_failure_in_a_group_is_silent(harness: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    async def broken(*_: Any) -> None:
        raise RuntimeError("down")

    monkeypatch.setattr(people, "roster", broken)
    assert await harness.send(ADMIN_ID, "업무추진비 잔액", chat_id=-500, chat_type="group") == []


async def test_out_of_range_user_id_is_refused(db_url: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    async with make_harness(make_config(db_url)) as h:
        for words in ("업무추진비 잔액", "/staffing", "지연 공약", "/help"):
            text = _only_text(await h.send(HUGE_ID, words))
            assert "비서실 직원만" in text and not any(w in text for w in FIGURE_WORDS[:4])
        (message,) = [c for c in h.request.calls if c.method == "sendMessage"][-1:]
        pressed = await h.press(HUGE_ID, message, "bud:v:s:20180720")
        assert [c.method for c in pressed] == ["answerCallbackQuery"] and "비서실 직원만" in pressed[0].params["text"]
        assert _only_text(await h.send(ADMIN_ID, f"/staff remove {HUGE_ID}")).startswith("텔레그램 ID는 숫자로")
    assert _errors(caplog) == []


# -- 2. buttons: ownership and malformed data -----------------------------------------------------------------

async def _any_message(h: Harness, user_id: int) -> ApiCall:
    return [c for c in await h.send(user_id, "/help") if c.method == "sendMessage"][-1]


async def _press(h: Harness, user_id: int, data: str) -> list[ApiCall]:
    return await h.press(user_id, await _any_message(h, user_id), data)


def _stale_only(calls: list[ApiCall]) -> None:
    assert [c.method for c in calls] == ["answerCallbackQuery"], [(c.method, c.params) for c in calls]
    assert calls[0].params["text"] == STALE and calls[0].params["show_alert"] is True


async def _private_event_of_admin(h: Harness) -> int:
    await h.tap(ADMIN_ID, await h.send(ADMIN_ID, "9월 15일 오후 3시 인사 면담 알려줘"), "확인")
    async with h.runtime.sessionmaker() as session:
        event = await session.scalar(select(Event).where(Event.title == "인사 면담"))
    assert event is not None and event.audience == "me" and event.owner_id == ADMIN_ID
    return event.id


async def test_staff_cannot_open_or_reschedule_an_admins_private_event(harness: Harness) -> None:
    await _join(harness, STAFF_ID)
    event_id = await _private_event_of_admin(harness)
    _stale_only(await _press(harness, STAFF_ID, f"ev:show:{event_id}"))
    _stale_only(await _press(harness, STAFF_ID, f"ev:date:{event_id}"))
    said = replies(await harness.send(STAFF_ID, "9월 20일 오후 3시"))
    assert not any("날짜를 바꿨습니다" in s for s in said)
    async with harness.runtime.sessionmaker() as session:
        event = await session.get(Event, event_id)
        assert event is not None and event.start_at.day == 15
    # Its owner opens and reschedules it.
    card = await _press(harness, ADMIN_ID, f"ev:show:{event_id}")
    assert "인사 면담" in replies(card)[-1]
    await harness.tap(ADMIN_ID, card, "날짜 바꾸기")
    assert "날짜를 바꿨습니다" in replies(await harness.send(ADMIN_ID, "9월 20일 오후 3시"))[-1]


async def test_team_event_is_visible_to_staff_but_only_admins_fix_its_date(harness: Harness) -> None:
    await _join(harness, STAFF_ID)
    async with harness.runtime.sessionmaker() as session:
        event = await session.scalar(select(Event).where(Event.audience == "team").order_by(Event.id))
    assert event is not None
    card = await _press(harness, STAFF_ID, f"ev:show:{event.id}")
    assert event.title in replies(card)[-1]
    assert not (card[-1].params.get("reply_markup") or {}).get("inline_keyboard")  # no 날짜 바꾸기 for staff
    _stale_only(await _press(harness, STAFF_ID, f"ev:date:{event.id}"))


async def test_reminder_buttons_act_only_on_ones_own(harness: Harness) -> None:
    await _join(harness, STAFF_ID)
    await harness.tap(ADMIN_ID, await harness.send(ADMIN_ID, "30분 뒤에 회의자료 챙기라고 알려줘"), "확인")
    async with harness.runtime.sessionmaker() as session:
        row = await session.scalar(select(Reminder).where(Reminder.recipient_id == ADMIN_ID,
                                                          Reminder.kind == "personal"))
    assert row is not None
    for data in (f"rm:cancel:{row.id}", f"rm:move:{row.id}", f"rem:done:{row.id}", f"rem:s10:{row.id}"):
        _stale_only(await _press(harness, STAFF_ID, data))
    async with harness.runtime.sessionmaker() as session:
        assert (await session.get(Reminder, row.id)).state == "pending"
        assert await session.scalar(select(Reminder).where(Reminder.recipient_id == STAFF_ID)) is None


FORGED = [
    "bud:v:s:20181340", "bud:v:f:20180231", "bud:v:l999:20180720", "bud:v:l99999999999999999999:20180720",
    "ev:show:99999999999999999999", "ev:show:424242", "ev:date:424242",
    "rem:done:424242", "rem:s10:99999999999999999999999", "rm:cancel:424242",
    "fv:v:424242", "fv:m:99999999999999999999", "fv:fd:424242", "fv:x:v424242", "fv:en:m99999999999999999999",
    "fv:l:v:20181340:20181231:-:0:0", "fv:l:v:20180701:20180801:가짜구:0:0",
    "fv:l:m:20180701:20180801:-:0:99999999999999999999",
    "pl:c:424242", "pl:a:424242:0", "pl:p:1:99999999999999999999", "pl:e:p:424242", "pl:late:999999",
    "fact:no-such-fact", "staff:rm:99999999999999999999999", "bud:v:s:2018", "nonsense",
]


async def test_forged_or_malformed_buttons_get_the_stale_alert(harness: Harness,
                                                               caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    message = await _any_message(harness, ADMIN_ID)
    for data in FORGED:
        _stale_only(await harness.press(ADMIN_ID, message, data))
    assert _errors(caplog) == []
    assert not any(texts.SOMETHING_WENT_WRONG in t for t in harness.request.texts())


async def test_forged_draft_choices_are_refused(harness: Harness) -> None:
    calls = await harness.send(ADMIN_ID, "/visit")
    assert "언제인가요" in replies(calls)[-1]
    asked = await harness.send(ADMIN_ID, "어제 오후 2시")
    assert "자치구" in replies(asked)[-1]
    _stale_only(await harness.press(ADMIN_ID, asked[-1], "fv:d:<b>가짜구</b>"))
    _stale_only(await harness.press(ADMIN_ID, asked[-1], "fv:c:99"))
    _stale_only(await harness.press(ADMIN_ID, asked[-1], "fv:t:99999999999999999999"))
    spend = await harness.send(ADMIN_ID, "지출 12만원 간담회 다과")
    _stale_only(await harness.press(ADMIN_ID, spend[-1], "bud:l:424242"))
    _stale_only(await harness.press(ADMIN_ID, spend[-1], "bud:f:99999999999999999999"))


async def test_staff_cannot_press_the_admins_remove_button(harness: Harness) -> None:
    await _join(harness, STAFF_ID)
    await _join(harness, 333)
    calls = await _press(harness, STAFF_ID, "staff:rm:333")
    assert [c.method for c in calls] == ["answerCallbackQuery"]
    assert calls[0].params["text"] == texts.ADMIN_ONLY
    async with harness.runtime.sessionmaker() as session:
        assert (await session.get(Person, 333)).active


async def test_edit_buttons_follow_the_edit_rule(harness: Harness) -> None:
    await _join(harness, STAFF_ID)
    calls = await harness.send(ADMIN_ID, "어제 오후 2시 강북구 쪽방촌 현장방문, 메모 냉방 점검")
    saved = await harness.tap(ADMIN_ID, calls, "확인")
    assert "기록" in replies(saved)[-1]
    async with harness.runtime.sessionmaker() as session:
        from storage.models import Visit

        visit = await session.scalar(select(Visit).order_by(Visit.id.desc()))
    assert visit is not None
    # Staff may open the office's record, not delete an admin's.
    assert "쪽방촌" in replies(await _press(harness, STAFF_ID, f"fv:v:{visit.id}"))[-1]
    refused = replies(await _press(harness, STAFF_ID, f"fv:xy:v{visit.id}"))
    assert "자신이 7일 안에 기록한 것만" in refused[-1]
    async with harness.runtime.sessionmaker() as session:
        assert not (await session.get(Visit, visit.id)).deleted


# -- 3. group chats -------------------------------------------------------------------------------------------

def test_the_group_rule() -> None:
    for kind in DataKind:
        assert may_show(kind, private=True, allow_groups=False)
        assert may_show(kind, private=False, allow_groups=False) is (kind is DataKind.GREETING)
    shown = {k for k in DataKind if may_show(k, private=False, allow_groups=True)}
    assert shown == {DataKind.GREETING, DataKind.FIGURES, DataKind.RECORDS}


GROUP = {"chat_id": -500, "chat_type": "group"}
SENSITIVE = ["/invite", "/staff", "/staff remove 222", "/budget", "/budget entries", "/budget export", "/calendar",
             "/reminders", "/today", "/visits", "/visits export", "/meetings export", "/followups", "/pledges",
             "/pledges export", "/pledges template", "/facts 자매도시", "/staffing", "업무추진비 잔액",
             "지출 12만원 시책추진 간담회 복지정책 간담회 다과", "지연 공약", "이번달 현장방문", "오늘 일정",
             "자매도시 몇 곳이야?", "30분 뒤에 회의자료 챙기라고 알려줘", "/report", "/report off", "보고서 뽑아줘"]


async def test_group_without_allow_groups_sees_nothing_but_greetings(harness: Harness) -> None:
    for words in SENSITIVE:
        text = _only_text(await harness.send(ADMIN_ID, words, **GROUP))  # type: ignore[arg-type]
        assert "1:1" in text and not any(w in text for w in FIGURE_WORDS), (words, text)
    upload = await harness.upload(ADMIN_ID, "ledger.csv", "일자,과목\n".encode())
    assert all(c.method != "sendDocument" for c in upload)
    help_text = _only_text(await harness.send(ADMIN_ID, "/help", **GROUP))  # type: ignore[arg-type]
    assert "쓸 수 있는 명령어" in help_text
    assert "안녕하세요" in replies(await harness.send(ADMIN_ID, "/start", **GROUP))[0]  # type: ignore[arg-type]
    message = [c for c in await harness.send(ADMIN_ID, "/budget") if c.method == "sendMessage"][-1]
    pressed = await harness._feed(_group_press(harness, message, "bud:v:f:20180720"))
    assert [c.method for c in pressed] == ["answerCallbackQuery"] and "1:1" in pressed[0].params["text"]


def _group_press(h: Harness, message: ApiCall, data: str) -> dict[str, Any]:
    from bot.updates import callback_update

    result = dict(message.result)
    result["chat"] = {"id": -500, "type": "group", "title": "단체방"}
    return callback_update(h._user(ADMIN_ID), result, data)


async def test_group_with_allow_groups_gets_figures_but_never_links_roster_or_files(sqlite_url: str) -> None:
    async with make_harness(make_config(sqlite_url, access={"allow_groups": True})) as h:
        assert "잔액" in replies(await h.send(ADMIN_ID, "업무추진비 잔액", **GROUP))[0]  # type: ignore[arg-type]
        for words in ("/invite", "/staff", "/budget export", "/calendar", "/visits export", "/pledges export",
                      "/reminders", "/today", "/report", "/report xlsx", "업무보고 엑셀로 줘"):
            calls = await h.send(ADMIN_ID, words, **GROUP)  # type: ignore[arg-type]
            text = _only_text(calls)
            assert "1:1" in text and "t.me" not in text and "ID " not in text, (words, text)
        invite = _only_text(await h.send(ADMIN_ID, "/invite", **GROUP))  # type: ignore[arg-type]
        assert "초대 링크" in invite and "1:1" in invite
        from bot.updates import document_update

        h.request.files["group-file"] = "일자,과목\n".encode()
        update = document_update(h._user(ADMIN_ID), "group-file", "ledger.csv", 10)
        update["message"]["chat"] = {"id": -500, "type": "group", "title": "단체방"}
        calls = await h._feed(update)
        assert "파일은 단체방" in _only_text(calls) and not h.request.of("getFile")


# -- 4. the roster follows the configuration and removals -----------------------------------------------------

async def test_admin_removed_from_config_is_demoted_at_restart(sqlite_url: str) -> None:
    former = 333
    async with make_harness(make_config(sqlite_url, access={"admins": [ADMIN_ID, former]})) as h:
        assert "초대 링크입니다" in replies(await h.send(former, "/invite"))[0]
    async with make_harness(make_config(sqlite_url)) as h:  # a restart over the same database
        assert replies(await h.send(former, "/invite")) == [texts.ADMIN_ONLY]
        assert replies(await h.send(former, "/staff")) == [texts.ADMIN_ONLY]
        async with h.runtime.sessionmaker() as session:
            person = await session.get(Person, former)
            assert person is not None and person.role == people.STAFF and person.active
            audit = (await session.scalars(select(AuditEntry).where(AuditEntry.action == "admin.demoted"))).all()
        assert [(a.entity_id, a.before["role"], a.after["role"]) for a in audit] == [(str(former), "admin", "staff")]
    async with make_harness(make_config(sqlite_url)) as h, h.runtime.sessionmaker() as session:  # and only once
        assert len((await session.scalars(select(AuditEntry).where(AuditEntry.action == "admin.demoted"))).all()) == 1


async def test_removed_staff_reminders_are_cancelled_and_never_sent(harness: Harness) -> None:
    await _join(harness, STAFF_ID)
    for words in ("30분 뒤에 회의자료 챙기라고 알려줘", "매주 금요일 17시 주간보고 알려줘"):
        await harness.tap(STAFF_ID, await harness.send(STAFF_ID, words), "확인")
    question = [c for c in await harness.send(ADMIN_ID, f"/staff remove {STAFF_ID}") if c.method == "sendMessage"]
    done = replies(await harness.press(ADMIN_ID, question[-1], f"staff:rm:{STAFF_ID}"))
    assert "예정된 알림 2건도 취소했습니다" in done[-1]
    async with harness.runtime.sessionmaker() as session:
        states = (await session.scalars(select(Reminder.state).where(Reminder.recipient_id == STAFF_ID))).all()
        audit = await session.scalar(select(AuditEntry).where(AuditEntry.action == "reminder.cancel_for_removed"))
    assert states and set(states) == {"cancelled"}
    assert audit is not None and audit.entity_id == str(STAFF_ID) and len(audit.after["cancelled"]) == 2
    harness.clock.advance(timedelta(days=8))
    before = len(harness.request.calls)
    await harness.engine.run_due()
    assert not [c for c in harness.request.calls[before:] if c.params.get("chat_id") == STAFF_ID]


async def test_engine_never_sends_to_an_inactive_person(harness: Harness) -> None:
    await _join(harness, STAFF_ID)
    await harness.tap(STAFF_ID, await harness.send(STAFF_ID, "30분 뒤에 회의자료 챙기라고 알려줘"), "확인")
    async with harness.runtime.sessionmaker.begin() as session:  # taken off the roster some other way
        await people.deactivate(session, STAFF_ID, harness.runtime.now(), actor_id=ADMIN_ID)
    harness.clock.advance(timedelta(hours=1))
    before = len(harness.request.calls)
    await harness.engine.run_due()
    assert not [c for c in harness.request.calls[before:] if c.params.get("chat_id") == STAFF_ID]
    async with harness.runtime.sessionmaker() as session:
        states = (await session.scalars(select(Reminder.state).where(Reminder.recipient_id == STAFF_ID))).all()
    assert list(states) == ["cancelled"]


class _KickedFromGroup(OfflineRequest):
    """The bot was removed from group -500: every send there is refused (403); attempts are counted."""

    def __init__(self) -> None:
        super().__init__()
        self.refused: list[str] = []

    async def do_request(self, url: str, method: str, request_data: Any = None, *args: Any,
                         **kwargs: Any) -> tuple[int, bytes]:
        params = dict(request_data.parameters) if request_data else {}
        if params.get("chat_id") == -500:
            self.refused.append(url.rsplit("/", 1)[-1])
            return 403, json.dumps({"ok": False, "error_code": 403,
                                    "description": "Forbidden: bot was kicked from the group chat"}).encode()
        return await super().do_request(url, method, request_data, *args, **kwargs)


async def test_a_failing_notice_in_the_gate_still_stops_the_update(config: Any,
                                                                   caplog: pytest.LogCaptureFixture) -> None:
    request = _KickedFromGroup()
    async with make_harness(config, request) as h:
        await h.send(ADMIN_ID, "업무추진비 잔액", **GROUP)  # type: ignore[arg-type]
    assert request.refused == ["sendMessage"]  # the gate's notice only: no feature, no error-handler apology
    assert [r.name for r in _errors(caplog)] == ["handlers.gate"]


async def test_private_events_stay_out_of_groups_even_with_allow_groups(sqlite_url: str) -> None:
    async with make_harness(make_config(sqlite_url, access={"allow_groups": True})) as h:
        await h.tap(ADMIN_ID, await h.send(ADMIN_ID, "9월 15일 오후 3시 인사 면담 알려줘"), "확인")
        async with h.runtime.sessionmaker() as session:
            event = await session.scalar(select(Event).where(Event.title == "인사 면담"))
        assert event is not None and event.audience == "me"
        group_message = {"message_id": 77, "date": 0, "chat": {"id": -500, "type": "group", "title": "단체방"},
                         "text": "…"}
        for data in (f"ev:show:{event.id}", f"ev:date:{event.id}"):
            calls = await h._feed(callback_update(user_json(ADMIN_ID), group_message, data))
            assert [c.method for c in calls] == ["answerCallbackQuery"], data
            assert "1:1" in calls[0].params["text"] and "인사 면담" not in calls[0].params["text"]
        made = replies(await h.send(ADMIN_ID, "3분 뒤에 인사기밀 서류 챙기라고 알려줘", chat_id=-500,
                                    chat_type="group"))
        assert len(made) == 1 and "1:1" in made[0]
        async with h.runtime.sessionmaker() as session:
            assert await session.scalar(select(Reminder).where(Reminder.text.contains("인사기밀"))) is None
