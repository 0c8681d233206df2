"""A world for stateful fuzzing of the conversation: the real application over an offline Bot API, the people
who talk to it, the steps they can take, and the invariants that must hold after every step.

Used by tests/test_fuzz_conversation.py (a hypothesis state machine, bounded for CI) and bench/soak.py (many more
sequences, figures printed). Both draw from the same vocabulary below, written the way the office's staff, a
careless admin and a hostile outsider would type.
"""

from __future__ import annotations

import asyncio
import logging
import re
import shutil
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from telegram import Update

from bot.app import build_application, running
from bot.clock import SEOUL, Clock
from bot.config import Config, parse_config
from bot.context import BotApplication
from bot.database import migrate_and_seed
from bot.engine import Pacer
from bot.offline import BOT_USER, ApiCall, OfflineRequest
from bot.updates import callback_update, chat_json, text_update, user_json
from handlers import texts as shared_texts
from storage import people
from storage.models import (
    BudgetLine,
    BudgetOpening,
    Event,
    FollowUp,
    Meeting,
    Person,
    RecurringRule,
    Reminder,
    SpendingEntry,
    Visit,
)

ADMIN = 111
STAFF = 222
STAFF2 = 223
REMOVED = 333
STRANGER = 999
ACTORS = (ADMIN, STAFF, STAFF2, REMOVED, STRANGER)
GROUP = -100123
START = datetime(2018, 7, 20, 10, 0, tzinfo=SEOUL)
# Only the admin's private chat may ever show these (the admin's private event and personal reminder).
SECRET = "ZQ비밀"
MAX_TEXT = 4096
MAX_CALLBACK_BYTES = 64
MAX_ALERT = 200
MAX_CAPTION = 1024

# What people type: commands, lookups, logs, follow-ups, answers to questions, junk and hostile text.
TEXTS: tuple[str, ...] = (
    "/start", "/help", "/budget", "/budget entries", "/budget undo", "/budget export", "/spend", "/event",
    "/cancel", "/pledges", "/pledges review", "/visits", "/meetings", "/followups", "/facts", "/facts 자매도시",
    "/fact add", "/fact history 자매도시", "/staff", "/invite", "/today", "/week", "/reminders", "/calendar",
    "/briefing on", "/briefing off", "/places", "/staffing", "/visit", "/meeting", "/budget void 1",
    "/budget fix 1 15만원", "/staff remove 222", "/budget set 기관운영 300,000", "/places add 북서울꿈의숲 강북구",
    "/report off", "/report 상태", "/report on", "/report 2월 30일", "/report docx",
    "/start abcdef", "/start " + "x" * 64, "/nosuchcommand",
    "업무추진비 잔액", "기관운영 얼마 남았어?", "시책추진 집행률", "분야별 집행", "6월말 기준 잔액",
    "2월 30일 기준 잔액", "월별 추이", "잔액 얼마임", "업추비 얼마 남음?", "직원 행사비 몇 번 썼지",
    "지출 12만원 시책추진 간담회 7/20 복지정책 간담회 다과", "지출 300만원 시책추진 간담회 7/19 명절 선물",
    "지출 5억원 기관운영 직원격려 7/20 회식", "지출 -5만원 기관운영", "지출 12만원 없는과목",
    "지출 100만원 기관운영 직원격려 6/29 격려 다과", "지출 10조원 기관운영 직원격려 7/20 격려",
    "지출 100만원 기관운영 직원격려 7/20 격려 다과", "어제 간담회 다과비 8만원 썼어", "지출 3만원",
    "9월 15일 오후 3시 서울식물원 개관식 알려줘", "30분 뒤에 회의자료 챙기라고 알려줘", "0분 뒤에 테스트 알려줘",
    "-5분 뒤 알려줘", "매주 금요일 17시 주간보고 알려줘", "다음주 화요일 3시 구청장협의회 알려줘",
    "9월 중 델리 자매결연 알려줘", "내일 오전 9시 " + "긴제목" * 120 + " 알려줘", "그 알림 30분 뒤로",
    "공약 현황", "지연 공약", "미래특별시 공약", "T01-2-02", "진행률 45%", "진행률 140%", "상태 지연 — 부지 협의 지연",
    "메모 " + "가" * 3000, "메모 현장 확인 필요",
    "어제 오후 2시 강북구 쪽방촌 현장방문, 참석 복지정책실장, 메모 여름철 냉방 점검 요청",
    "오늘 10시 상임위원장단 간담회 — 안건 추경, 후속: 자료 제출 7/27 기획조정실",
    "다음주 화요일 강북구 쪽방촌 현장방문 예정", "어제 오후 2시 광화문광장 시민발언대, 메모 교통 민원 다수",
    "이번달 현장방문", "미방문 자치구", "미완료 후속조치", "강북구 방문 기록", "시의회 간담회 내역",
    "시민참여예산 규모", "자매도시 몇 곳이야?", "인력 현황", "모레 뭐 있어?", "9월 일정", "오늘 일정", "이번주 일정",
    "다가오는 일정", "다다다음주는?", "민선6기 공약 평가 등급", "4개년 계획 언제 발표해?",
    "고마워", "ㅋㅋ", "ㅇㅋ", "asdfgh", "🙂🙂", "\u202e악성", "<b>굵게</b>", "'; DROP TABLE people; --",
    "가" * 5000, "1" * 200, "%s%s%n", "{0}{1}", "\\x00",
    "9월 15일", "오후 4시", "15만원", "4시로", "네", "아니요", "확인", "취소", "2월 30일", "32월 45일", "25시",
    "오전", "오후 3시 반", "장소 시민청",
)

# Callback data a modified client could send: prefixes of the bot's own buttons with made-up ids and dates.
FORGED_PREFIXES: tuple[str, ...] = (
    "ev:show:", "ev:date:", "rem:s10:", "rem:s60:", "rem:sam:", "rem:done:", "rem:na:", "rm:cancel:", "rm:move:",
    "fv:v:", "fv:m:", "fv:fd:", "fv:x:v", "fv:xy:v", "fv:xy:m", "fv:en:v", "fv:ew:m", "fv:c:", "fv:t:", "fv:d:",
    "pl:c:", "pl:late:", "pl:rv:", "pl:e:p:", "pl:e:s:", "pl:a:0:", "pl:p:1:", "fact:", "staff:rm:", "bud:v:s:",
    "bud:v:f:", "bud:v:l1:", "bud:l:", "bud:f:", "fv:l:v:20180701:", "imp:over:", "imp:no:",
    # drafts in the database: d:<id>:<action>[:<arg>] (ids of other users' drafts, of none, of garbage)
    "d:", "d:1:", "d:2:ok:", "d:1:over:", "d:1:edit:", "d:1:line:", "d:2:field:", "d:1:district:", "d:1:category:",
    "d:1:type:", "d:1:am:", "d:1:resume:", "d:1:drop:",
)
FORGED_TAILS: tuple[str, ...] = (
    "1", "2", "3", "7", "50", "999999", "99999999999999999999", "-1", "abc", "20181340", "20180720", "0",
    "20180230", "1:20181340", "x" * 60, "",
)
FORGED_WHOLE: tuple[str, ...] = (
    "ev:ok", "ev:no", "ev:time", "ev:am", "ev:pm", "bud:ok", "bud:over", "bud:no", "bud:asof", "fv:ok", "fv:no",
    "pl:d", "pl:ch", "pl:x:t", "staff:cancel", "garbage", "", "😀" * 16, "rem:", ":::",
    "d:1:ok", "d:2:ok", "d:3:over", "d:1:no", "d:1:edit:amount", "d:1:edit:nothing", "d:1:resume", "d:1:drop",
    "d:1:pm", "d:1:line:1", "d:1:field:2", "d:1:district:강북구", "d:0:ok", "d:-1:ok", "d:1", "d::ok",
)

CREATED = (SpendingEntry, Event, Visit, Meeting, RecurringRule, FollowUp)
FIGURE = re.compile(r"\d{1,3}(?:,\d{3})+|천원|만원|억원|t\.me/|https?://")
ENGLISH_ERROR = re.compile(r"Traceback|Exception|Error\b|File \"|NoneType|sqlalchemy|telegram\.", re.I)


class InvariantBroken(AssertionError):
    """An invariant of the conversation did not hold after a step."""


@dataclass
class Step:
    kind: str
    actor: int
    detail: str

    def __str__(self) -> str:
        return f"{self.kind}({self.actor}, {self.detail!r})"


class ErrorLog(logging.Handler):
    """Collects every record at ERROR or above, from any logger."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


_template: dict[str, Path] = {}


def seeded_template() -> Path:
    """One seeded SQLite database per process; every world starts from a copy of it."""
    if "path" not in _template:
        folder = Path(tempfile.mkdtemp(prefix="fuzz-template-"))
        path = folder / "template.db"
        with ThreadPoolExecutor(1) as pool:  # callable with or without a running event loop
            pool.submit(asyncio.run, migrate_and_seed(f"sqlite:///{path}")).result()
        _template["path"] = path
    return _template["path"]


def fuzz_config(url: str) -> Config:
    return parse_config({"database": {"url": url}, "access": {"admins": [ADMIN]}}, "fuzz.toml", env={})


@dataclass
class World:
    """The application under test and what the fuzzer knows of it."""

    folder: Path
    app: BotApplication | None = None
    request: OfflineRequest = field(default_factory=OfflineRequest)
    clock: Clock = field(default_factory=lambda: Clock(SEOUL, START))
    keyboards: list[tuple[int, dict[str, Any], list[str]]] = field(default_factory=list)  # (chat, message, data)
    errors: ErrorLog = field(default_factory=ErrorLog)
    steps: list[Step] = field(default_factory=list)
    figures: dict[str, int] = field(default_factory=lambda: {"steps": 0, "restarts": 0, "calls": 0})
    _running: Any = None

    @property
    def url(self) -> str:
        return f"sqlite:///{self.folder / 'world.db'}"

    @classmethod
    def fresh(cls) -> World:
        folder = Path(tempfile.mkdtemp(prefix="fuzz-world-"))
        shutil.copy(seeded_template(), folder / "world.db")
        return cls(folder)

    # -- life cycle --------------------------------------------------------------------------------------

    async def start(self, *, first: bool = True) -> None:
        app = build_application(fuzz_config(self.url), request=self.request, clock=self.clock)
        engine = app.bot_data["reminder_engine"]
        engine.pacer = Pacer(rate=100_000, per_chat=0)
        engine.scheduled = False
        self._running = running(app)
        await self._running.__aenter__()
        self.app = app
        logging.getLogger().addHandler(self.errors)
        if first:
            await self._populate()
        self.request.clear()

    async def stop(self) -> None:
        logging.getLogger().removeHandler(self.errors)
        if self._running is not None:
            await self._running.__aexit__(None, None, None)
            self._running = None

    async def restart(self) -> None:
        self.steps.append(Step("restart", 0, ""))
        await self.stop()
        self.request = OfflineRequest()
        self.keyboards.clear()
        await self.start(first=False)
        self.figures["restarts"] += 1
        self.check_no_errors()

    def close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    async def _populate(self) -> None:
        """The cast: two staff members, one removed, and the admin's private event and personal reminder."""
        assert self.app is not None
        runtime = self.app.bot_data["runtime"]
        now = self.clock.now()
        async with runtime.sessionmaker.begin() as session:
            for member in (STAFF, STAFF2, REMOVED):
                await people.add_staff(session, member, f"직원{member}", None, now, ADMIN)
            await people.deactivate(session, REMOVED, now, ADMIN)
        for line in (f"9월 3일 오후 2시 {SECRET}행사 알려줘", f"내일 오전 10시 {SECRET}알림 챙기라고 알려줘"):
            calls = await self._feed(text_update(user_json(ADMIN, "관리자"), line))
            await self._press_label(ADMIN, calls, "확인")
        async with runtime.sessionmaker() as session:
            stored = await session.scalar(select(func.count()).select_from(Event).where(Event.title.contains(SECRET)))
        assert stored, "the fuzz world could not create the admin's private event"

    async def _press_label(self, actor: int, calls: list[ApiCall], label: str) -> list[ApiCall]:
        for call in reversed(calls):
            for row in (call.params.get("reply_markup") or {}).get("inline_keyboard", []):
                for button in row:
                    if button.get("text") == label:
                        return await self._feed(callback_update(user_json(actor), call.result, button["callback_data"]))
        raise InvariantBroken(f"no {label!r} button in {[c.params.get('text') for c in calls]}")

    # -- steps ---------------------------------------------------------------------------------------------

    async def _feed(self, update: dict[str, Any]) -> list[ApiCall]:
        assert self.app is not None
        before = len(self.request.calls)
        await self.app.process_update(Update.de_json(update, self.app.bot))
        calls = self.request.calls[before:]
        for call in calls:
            self._remember(call)
        self.figures["calls"] += len(calls)
        return calls

    def _remember(self, call: ApiCall) -> None:
        markup = call.params.get("reply_markup")
        if not isinstance(markup, dict) or "inline_keyboard" not in markup or not isinstance(call.result, dict):
            return
        data = [b["callback_data"] for row in markup["inline_keyboard"] for b in row if "callback_data" in b]
        if data:
            self.keyboards.append((int(call.params["chat_id"]), call.result, data))
            del self.keyboards[:-40]

    async def say(self, actor: int, text: str, *, in_group: bool = False) -> None:
        chat = chat_json(GROUP, "supergroup", "비서실 단체방") if in_group else None
        step = Step("say-group" if in_group else "say", actor, text[:80])
        before = await self._created()
        calls = await self._step(step, text_update(user_json(actor, f"사용자{actor}"), text, chat=chat))
        after = await self._created()
        if after != before:
            grown = {k: (before[k], after[k]) for k in after if after[k] != before[k]}
            self._broken(f"a typed message stored something no one confirmed: {grown}", calls)

    async def press(self, actor: int, pick: int, *, own_only: bool) -> None:
        """Press a button the bot showed: on the actor's own messages, or on anybody's (a copied callback)."""
        pool = [k for k in self.keyboards if not own_only or k[0] == actor] or self.keyboards
        if not pool:
            return
        chat_id, message, data = pool[-1 - pick % len(pool)]
        choice = data[pick % len(data)]
        if CHART.match(choice):
            return  # charts are pictures (tested on their own) and cost a second each: not worth a fuzz step
        if chat_id != actor:  # the data is copied onto the actor's own chat: only the callback data can be forged
            message = {**message, "chat": chat_json(actor, "private", "사용자")}
        await self._step(Step("press", actor, choice), callback_update(user_json(actor), message, choice))

    async def forge(self, actor: int, data: str) -> None:
        message = {"message_id": 10**6, "date": int(time.time()), "chat": chat_json(actor, "private", "사용자"),
                   "from": BOT_USER, "text": "…"}
        await self._step(Step("forge", actor, data), callback_update(user_json(actor), message, data))

    async def time_passes(self, minutes: int) -> None:
        assert self.app is not None
        self.clock.advance(timedelta(minutes=minutes))
        before = len(self.request.calls)
        self.steps.append(Step("time", 0, f"+{minutes}분"))
        await self.app.bot_data["reminder_engine"].run_due()
        calls = self.request.calls[before:]
        for call in calls:
            self._remember(call)
        await self.check(calls, Step("time", 0, f"+{minutes}분"))

    async def _step(self, step: Step, update: dict[str, Any]) -> list[ApiCall]:
        self.steps.append(step)
        self.figures["steps"] += 1
        calls = await self._feed(update)
        await self.check(calls, step)
        return calls

    # -- invariants --------------------------------------------------------------------------------------

    def _broken(self, what: str, calls: list[ApiCall]) -> None:
        shown = [(c.method, str(c.params.get("text", c.params.get("caption", "")))[:200]) for c in calls]
        recent = " → ".join(str(s) for s in self.steps[-8:])
        raise InvariantBroken(f"{what}\n  steps: {recent}\n  calls: {shown}")

    async def check(self, calls: list[ApiCall], step: Step) -> None:
        self.check_no_errors(calls)
        outsiders = await self._outsiders()
        for call in calls:
            self._check_limits(call, calls)
            self._check_audience(call, calls, outsiders, step)
        await self._check_budget(calls)

    def check_no_errors(self, calls: list[ApiCall] | None = None) -> None:
        if self.errors.records:
            record = self.errors.records[0]
            self.errors.records.clear()
            detail = record.getMessage()
            if record.exc_info and record.exc_info[1] is not None:
                detail += f" — {type(record.exc_info[1]).__name__}: {record.exc_info[1]}"
            self._broken(f"logged at ERROR: {detail[:500]}", calls or [])
        for call in calls or []:
            text = _text_of(call)
            if shared_texts.SOMETHING_WENT_WRONG in text or ENGLISH_ERROR.search(text):
                self._broken("an error reached the chat", calls or [])

    def _check_limits(self, call: ApiCall, calls: list[ApiCall]) -> None:
        text = _text_of(call)
        limit = {"answerCallbackQuery": MAX_ALERT, "sendDocument": MAX_CAPTION, "sendPhoto": MAX_CAPTION}.get(
            call.method, MAX_TEXT)
        if len(text.encode("utf-16-le")) // 2 > limit:
            self._broken(f"{call.method} text of {len(text)} characters (limit {limit})", calls)
        markup = call.params.get("reply_markup")
        if isinstance(markup, dict):
            for row in markup.get("inline_keyboard", []):
                for button in row:
                    data = button.get("callback_data")
                    if data is not None and len(str(data).encode()) > MAX_CALLBACK_BYTES:
                        self._broken(f"callback_data of {len(str(data).encode())} bytes: {data!r}", calls)
                    if not str(button.get("text", "")).strip():
                        self._broken("a button without a label", calls)

    def _check_audience(self, call: ApiCall, calls: list[ApiCall], outsiders: set[int], step: Step) -> None:
        text = _text_of(call)
        chat = _chat_of(call, step)
        if chat in outsiders:
            refused = text == shared_texts.REFUSAL.format(user_id=chat) or text.startswith(INVITE_REFUSALS)
            if text and not refused and not _refusal_button(call, chat):
                self._broken(f"an outsider ({chat}) was shown {text[:120]!r}", calls)
            if call.method in ("sendDocument", "sendPhoto"):
                self._broken(f"an outsider ({chat}) was sent a file", calls)
        if chat == GROUP:
            if FIGURE.search(EXAMPLE.sub("", text)) or call.method in ("sendDocument", "sendPhoto"):
                self._broken(f"figures, a link or a file in a group chat: {text[:120]!r}", calls)
            if step.actor in outsiders:
                self._broken("a stranger in the group got an answer", calls)
        if SECRET in text and chat != ADMIN:
            self._broken(f"the admin's private item was shown in chat {chat}", calls)

    async def _outsiders(self) -> set[int]:
        assert self.app is not None
        async with self.app.bot_data["runtime"].sessionmaker() as session:
            active = set(await session.scalars(select(Person.telegram_id).where(Person.active.is_(True))))
        return {actor for actor in ACTORS if actor not in active and actor != ADMIN}

    async def _created(self) -> dict[str, int]:
        assert self.app is not None
        counts = [select(func.count()).select_from(model).scalar_subquery().label(model.__tablename__)
                  for model in CREATED]
        personal = select(func.count()).select_from(Reminder).where(Reminder.kind == "personal")
        async with self.app.bot_data["runtime"].sessionmaker() as session:
            row = (await session.execute(select(*counts, personal.scalar_subquery().label("personal")))).one()
        return dict(row._mapping)

    async def expected_budget(self) -> tuple[int, int, int]:
        """(budget, spent, left) in won as of today: the opening balances plus every counted entry."""
        assert self.app is not None
        today = self.clock.now().date()
        async with self.app.bot_data["runtime"].sessionmaker() as session:
            budget = int(await session.scalar(select(func.sum(BudgetLine.allocation_won)).where(
                BudgetLine.year == today.year)) or 0)
            openings = (await session.execute(select(BudgetOpening.as_of, BudgetOpening.spent_won).where(
                BudgetOpening.year == today.year, BudgetOpening.line_id.is_not(None)))).all()
            opening_day: date = max(row.as_of for row in openings)
            entries = (await session.execute(select(SpendingEntry.spent_on, SpendingEntry.amount_won).where(
                SpendingEntry.voided.is_(False), SpendingEntry.year == today.year))).all()
        uncounted = [e for e in entries if e.spent_on <= opening_day]
        if uncounted:
            raise InvariantBroken(f"entries stored but never counted (on or before {opening_day}): {uncounted}")
        spent = sum(row.spent_won for row in openings) + sum(e.amount_won for e in entries if e.spent_on <= today)
        return budget, spent, budget - spent

    async def _check_budget(self, calls: list[ApiCall]) -> None:
        today = f"{self.clock.now().month}.{self.clock.now().day}."
        for call in calls:
            text = _text_of(call)
            match = TOTAL_LINE.search(text)
            heading = text.split("\n", 1)[0]
            if not match or (today not in heading and "오늘" not in heading):
                continue  # another as-of date
            budget, spent, left = await self.expected_budget()
            shown = tuple(int(match.group(i).replace(",", "")) for i in (1, 2, 3))
            expected = tuple(round(won / 1000) for won in (budget, spent, left))
            if shown != expected:
                self._broken(f"the budget shows {shown} (천원), the ledger says {expected}", calls)

    async def final_check(self) -> None:
        """Ask for the balance once more, as the admin in private: it must match the ledger."""
        await self._step(Step("say", ADMIN, "/budget"), text_update(user_json(ADMIN, "관리자"), "/budget"))
        await self.expected_budget()


INVITE_REFUSALS = tuple(shared_texts.INVITE_INVALID.values())
EXAMPLE = re.compile(r"예:[^\n]*")  # usage hints quote made-up amounts, not the office's figures
CHART = re.compile(r"^(bud:v:c:|pl:ch$|fv:st)")
TOTAL_LINE = re.compile(r"계: ([\d,]+) / ([\d,]+) / (-?[\d,]+)")


def _text_of(call: ApiCall) -> str:
    return str(call.params.get("text") or call.params.get("caption") or "")


def _chat_of(call: ApiCall, step: Step) -> int:
    if "chat_id" in call.params:
        return int(call.params["chat_id"])
    return step.actor  # answerCallbackQuery / answerInlineQuery go to the one who pressed or asked


def _refusal_button(call: ApiCall, chat: int) -> bool:
    button = call.params.get("button")
    return isinstance(button, dict) and str(chat) in str(button.get("text", ""))


def forged_data() -> Iterator[str]:
    """Every forged callback the vocabulary can make (the soak draws from it at random)."""
    for prefix in FORGED_PREFIXES:
        for tail in FORGED_TAILS:
            yield prefix + tail
    yield from FORGED_WHOLE
