"""Telegram after commit: no Bot API call inside a write transaction, "saved" only once the write is committed, and
a send that fails after the commit neither undoes nor repeats the write.

Every harness runs under tests/commit_guard.py (make_harness fails a test that sends inside a write transaction);
here the guard itself is checked, the representative writing flows are run through it on purpose, and sends are
made to fail after the commit."""

from __future__ import annotations

import ast
import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import ADMIN_ID, REPORT_NOW, STAFF_ID, Config, Harness, make_harness, replies
from sqlalchemy import func, select, text
from telegram.error import NetworkError
from telegram.request import RequestData

from bot.briefing import BriefingScheduler
from bot.offline import OfflineRequest
from storage import reminders
from storage.models import Event, Person, Reminder, SpendingEntry, Visit

SPEND = "지출 12만원 시책추진 간담회 7/20 복지정책 간담회 다과"
LEDGER = ("일자,과목,분야,금액(원),건수,내용,비고\n2018-07-02,시책추진,간담회,30000000,1,간담회 1,\n"
          "2018-07-03,시책추진,간담회,30000000,1,간담회 2,\n")


async def _count(h: Harness, model: type, *where: Any) -> int:
    async with h.runtime.sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


def _guarded(h: Harness) -> int:
    """How many replies the guard has checked so far, none of them inside a write transaction."""
    assert h.guard is not None and h.guard.violations == []
    return h.guard.checked


# -- the guard ----------------------------------------------------------------------------------------------

async def test_the_guard_records_a_send_inside_a_write_transaction(harness: Harness) -> None:
    guard = harness.guard
    assert guard is not None
    async with harness.runtime.sessionmaker.begin() as session:
        await session.execute(select(Person.telegram_id))  # a read alone is no write transaction
        await harness.app.bot.send_message(ADMIN_ID, "읽는 중")
        assert guard.violations == []
        await session.execute(text("UPDATE people SET briefing = briefing"))
        await harness.app.bot.send_message(ADMIN_ID, "저장했습니다")  # the regression: said before the commit
    await harness.app.bot.send_message(ADMIN_ID, "저장했습니다")  # after the commit: fine
    assert guard.violations == ["sendMessage '저장했습니다'"]
    guard.violations.clear()
    with pytest.raises(RuntimeError):
        async with harness.runtime.sessionmaker.begin() as session:
            await session.execute(text("UPDATE people SET briefing = briefing"))
            raise RuntimeError("rolled back")
    await harness.app.bot.send_message(ADMIN_ID, "롤백 뒤")  # a rollback ends the write transaction too
    assert guard.violations == []
    async with harness.runtime.sessionmaker.begin() as session:
        admin = await session.scalar(select(Person).where(Person.telegram_id == ADMIN_ID))
        assert admin is not None
        admin.briefing = not admin.briefing  # a change only the commit will flush: no SQL yet
        await harness.app.bot.send_message(ADMIN_ID, "저장했습니다")
    assert guard.violations == ["sendMessage '저장했습니다'"]
    guard.violations.clear()


# -- the writing flows, through the guard ---------------------------------------------------------------------

async def test_writing_flows_reply_only_after_their_commit(harness: Harness) -> None:
    from test_gate import _join

    start = _guarded(harness)
    assert "기록했습니다" in replies(await harness.tap(ADMIN_ID, await harness.send(ADMIN_ID, SPEND), "확인"))[-1]
    event = await harness.send(ADMIN_ID, "9월 15일 오후 3시 서울식물원 개관식 알려줘")
    assert "서울식물원 개관식" in replies(await harness.tap(ADMIN_ID, event, "확인"))[-1]
    personal = await harness.send(ADMIN_ID, "30분 뒤에 회의자료 챙기라고 알려줘")
    assert "등록했습니다" in replies(await harness.tap(ADMIN_ID, personal, "확인"))[-1]
    visit = await harness.send(ADMIN_ID, "어제 오후 2시 강북구 쪽방촌 현장방문, 메모 여름철 냉방 점검 요청")
    assert "쪽방촌" in replies(await harness.tap(ADMIN_ID, visit, "확인"))[-1]
    ledger = await harness.upload(ADMIN_ID, "ledger.csv", LEDGER.encode())
    assert replies(await harness.tap(ADMIN_ID, ledger, "초과 지출 승인하고 가져오기"))[-1] == "장부 2건을 가져왔습니다."
    await _join(harness, STAFF_ID)  # /invite, then /start with its code
    assert await _count(harness, Person, Person.telegram_id == STAFF_ID, Person.active.is_(True)) == 1
    undo = await harness.send(ADMIN_ID, "방금 거 취소")
    assert replies(await harness.tap(ADMIN_ID, undo, "확인"))[-1].startswith("되돌렸습니다")
    assert await _count(harness, SpendingEntry) == 3 and await _count(harness, Visit) == 1
    assert _guarded(harness) - start >= 14


async def test_the_reminder_engine_marks_sent_only_after_a_successful_send(config: Config) -> None:
    request = StateAtSend()
    async with make_harness(config, request, seeded=False) as h:
        request.sessionmaker = h.runtime.sessionmaker
        due = REPORT_NOW + timedelta(minutes=5)
        async with h.runtime.sessionmaker.begin() as session:
            rows = await reminders.add_all(session, [reminders.new(kind="personal", text=f"알림 {i}", due_at=due,
                                                                   now=REPORT_NOW, recipient_id=ADMIN_ID)
                                                     for i in range(3)])
        h.clock.set(due)
        assert await h.engine.run_due() == 3
        assert request.states == {row.id: "claimed" for row in rows}  # claimed and committed, not yet sent
        async with h.runtime.sessionmaker() as session:
            stored = (await session.scalars(select(Reminder).order_by(Reminder.id))).all()
        assert [(r.state, r.message_id is not None) for r in stored] == [("sent", True)] * 3
        # The briefing and the downtime summary are sent outside their transactions as well.
        await h.send(ADMIN_ID, "/briefing on")
        h.clock.set(datetime(2018, 8, 6, 8, 30, tzinfo=REPORT_NOW.tzinfo))
        assert await BriefingScheduler(h.app).send_today() == 1
        _guarded(h)


class StateAtSend(OfflineRequest):
    """Reads, at the moment a reminder is sent, the state its row has in the database (another connection)."""

    def __init__(self) -> None:
        super().__init__()
        self.sessionmaker: Any = None
        self.states: dict[int, str] = {}

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                         *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        params = dict(request_data.parameters) if request_data else {}
        if url.endswith("/sendMessage") and self.sessionmaker is not None and "reply_markup" in params:
            found = re.search(r"rem:done:(\d+)", str(params["reply_markup"]))
            if found:
                reminder_id = int(found.group(1))
                async with self.sessionmaker() as session:
                    self.states[reminder_id] = str(await session.scalar(
                        select(Reminder.state).where(Reminder.id == reminder_id)))
        return await super().do_request(url, method, request_data, *args, **kwargs)


# -- a send that fails after the commit -----------------------------------------------------------------------

class LostReplies(OfflineRequest):
    """Telegram unreachable for the listed methods: PTB raises NetworkError, as on a dropped connection."""

    def __init__(self) -> None:
        super().__init__()
        self.failing: set[str] = set()
        self.lost: list[str] = []

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                         *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        api_method = url.rsplit("/", 1)[-1]
        if api_method in self.failing:
            self.lost.append(api_method)
            raise NetworkError("offline: connection reset")
        return await super().do_request(url, method, request_data, *args, **kwargs)


async def test_a_lost_saved_reply_keeps_the_write_and_a_second_confirm_stores_nothing(config: Config) -> None:
    request = LostReplies()
    async with make_harness(config, request) as h:
        echo = await h.send(ADMIN_ID, SPEND)
        request.failing = {"sendMessage"}
        await h.send(ADMIN_ID, "확인")  # typed: "기록했습니다" goes by sendMessage, and is lost
        assert "sendMessage" in request.lost
        request.failing = set()
        assert await _count(h, SpendingEntry) == 1  # the write stands
        again = await h.tap(ADMIN_ID, echo, "확인")
        assert replies(again) == ["이미 처리한 확인입니다"] and await _count(h, SpendingEntry) == 1

        event = await h.send(ADMIN_ID, "9월 15일 오후 3시 서울식물원 개관식 알려줘")
        before = await _count(h, Event)
        request.failing = {"editMessageText", "answerCallbackQuery"}
        await h.tap(ADMIN_ID, event, "확인")  # pressed: the edited echo is lost
        assert "editMessageText" in request.lost or "answerCallbackQuery" in request.lost
        request.failing = set()
        assert await _count(h, Event) == before + 1
        assert replies(await h.tap(ADMIN_ID, event, "확인")) == ["이미 처리한 확인입니다"]
        assert await _count(h, Event) == before + 1
        _guarded(h)


async def test_a_lost_reminder_send_is_not_marked_sent(config: Config) -> None:
    request = LostReplies()
    async with make_harness(config, request, seeded=False) as h:
        due = REPORT_NOW + timedelta(minutes=5)
        async with h.runtime.sessionmaker.begin() as session:
            (row,) = await reminders.add_all(session, [reminders.new(kind="personal", text="회의자료", due_at=due,
                                                                     now=REPORT_NOW, recipient_id=ADMIN_ID)])
        h.clock.set(due)
        request.failing = {"sendMessage"}
        assert await h.engine.run_due() == 0
        async with h.runtime.sessionmaker() as session:
            lost = await session.get(Reminder, row.id)
            assert lost is not None and (lost.state, lost.sent_at) == ("pending", None)  # due again, later
        request.failing = set()
        h.clock.set(due + timedelta(minutes=10))
        assert await h.engine.run_due() == 1
        assert [c.params["text"] for c in h.request.of("sendMessage")] == ["(지연 발송: 예정 7.20. 10:05)\n회의자료"]


# -- and in the code itself -----------------------------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[1]
# Bot API calls and the handlers' own wrappers around them.
SENDS = frozenset({"send_message", "send_photo", "send_document", "send_chat_action", "edit_message_text",
                   "edit_message_reply_markup", "edit_message_caption", "answer", "reply_text", "reply_document",
                   "reply_photo", "set_my_commands", "delete_message", "_send", "say", "tell"})


def _sends_inside_write_blocks(source: str, name: str) -> list[str]:
    """`await <send>(...)` lexically inside `async with <...>sessionmaker.begin()` (the call sites a test may miss)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.AsyncWith) or "sessionmaker.begin" not in ast.unparse(node.items[0].context_expr):
            continue
        for inner in (n for statement in node.body for n in ast.walk(statement)):
            if isinstance(inner, ast.Await) and isinstance(inner.value, ast.Call):
                func = inner.value.func
                called = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
                if called in SENDS:
                    found.append(f"{name}:{inner.lineno} {called}")
    return found


def test_no_send_is_written_inside_a_write_block() -> None:
    paths = [*(ROOT / "handlers").glob("*.py"), *(ROOT / "bot").rglob("*.py")]
    assert [hit for path in paths
            for hit in _sends_inside_write_blocks(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))] == []


def test_the_code_check_sees_a_send_inside_a_write_block() -> None:
    source = ("async def f(runtime, bot):\n    async with runtime.sessionmaker.begin() as session:\n"
              "        await session.flush()\n        await bot.send_message(1, '저장했습니다')\n"
              "    await bot.send_message(1, '저장했습니다')\n")
    assert _sends_inside_write_blocks(source, "sample.py") == ["sample.py:4 send_message"]
