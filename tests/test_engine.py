"""The reminder engine on a controlled clock: on time, exactly once, late but marked, across restarts."""

from __future__ import annotations

import asyncio
import sqlite3
from collections import Counter
from datetime import datetime, timedelta
from typing import Any

import pytest
from conftest import ADMIN_ID, SEOUL, Harness, make_config, make_harness, replies
from sqlalchemy import make_url, select

from bot.app import build_application, running
from bot.config import Config
from bot.engine import Pacer
from bot.offline import OfflineRequest
from storage import reminders
from storage.models import Delivery, Person, Reminder

KST = SEOUL


@pytest.fixture
async def quiet(config):  # type: ignore[no-untyped-def]
    """The application without the report's events, so that only the test's reminders are due."""
    async with make_harness(config, seeded=False) as h:
        yield h


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=KST)  # type: ignore[misc]


def sent_texts(h: Harness, chat_id: int = ADMIN_ID) -> list[str]:
    return [str(c.params["text"]) for c in h.request.of("sendMessage") if c.params["chat_id"] == chat_id]


async def run_at(h: Harness, moment: datetime) -> int:
    h.clock.set(moment)
    return await h.engine.run_due()


async def add_reminder(h: Harness, text: str, due: datetime, recipient: int = ADMIN_ID) -> int:
    async with h.runtime.sessionmaker.begin() as session:
        (row,) = await reminders.add_all(session, [reminders.new(kind="personal", text=text, due_at=due,
                                                                 now=h.clock.now(), recipient_id=recipient)])
        return row.id


async def test_each_lead_time_fires_at_its_instant(quiet: Harness) -> None:
    calls = await quiet.send(ADMIN_ID, "9월 15일 오후 3시 서울식물원 개관식 알려줘")
    await quiet.tap(ADMIN_ID, calls, "확인")
    quiet.request.clear()
    for instant, label in ((at(2018, 9, 8, 9), "D-7"), (at(2018, 9, 14, 9), "D-1"),
                           (at(2018, 9, 15, 14), "1시간 전")):
        assert await run_at(quiet, instant - timedelta(seconds=1)) == 0
        assert await run_at(quiet, instant) == 1
        text = sent_texts(quiet)[-1]
        assert text == f"🔔 {label} 알림: 9.15.(토) 15:00 서울식물원 개관식"
    assert len(sent_texts(quiet)) == 3


async def test_reminder_carries_snooze_done_and_event_buttons(quiet: Harness) -> None:
    calls = await quiet.send(ADMIN_ID, "9월 15일 오후 3시 서울식물원 개관식 알려줘")
    await quiet.tap(ADMIN_ID, calls, "확인")
    quiet.request.clear()
    await run_at(quiet, at(2018, 9, 8, 9))
    (message,) = quiet.request.of("sendMessage")
    labels = [b["text"] for row in message.params["reply_markup"]["inline_keyboard"] for b in row]
    assert labels == ["10분 뒤", "1시간 뒤", "내일 아침", "완료", "일정 보기"]
    card = await quiet.tap(ADMIN_ID, [message], "일정 보기")
    assert "[개관] 9.15.(토) 15:00 서울식물원 개관식" in replies(card)[-1]
    snooze = await quiet.tap(ADMIN_ID, [message], "10분 뒤")
    assert "10분 뒤(9.8.(토) 09:10)에 다시 알려 드릴게요" in replies(snooze)[-1]
    assert await run_at(quiet, at(2018, 9, 8, 9, 9)) == 0
    assert await run_at(quiet, at(2018, 9, 8, 9, 10, 1)) == 1
    assert sent_texts(quiet)[-1] == "🔔 D-7 알림: 9.15.(토) 15:00 서울식물원 개관식"
    again = quiet.request.of("sendMessage")[-1:]
    tomorrow = await quiet.tap(ADMIN_ID, again, "내일 아침")
    assert "9.9.(일) 09:00" in replies(tomorrow)[-1]
    assert await run_at(quiet, at(2018, 9, 9, 9)) == 1
    done = await quiet.tap(ADMIN_ID, quiet.request.of("sendMessage")[-1:], "완료")
    assert replies(done)[-1] == "완료로 표시했습니다."


async def test_reminder_buttons_act_once(db_url: str) -> None:
    """Four presses of 10분 뒤 make one snooze; 완료 after a snooze, or twice, changes nothing and says so."""
    async with make_harness(make_config(db_url), seeded=False) as quiet:
        await _press_each_button_again(quiet)


async def _press_each_button_again(quiet: Harness) -> None:
    await add_reminder(quiet, "⏰ 알림: 회의자료", at(2018, 7, 20, 10))
    await add_reminder(quiet, "⏰ 알림: 전화", at(2018, 7, 20, 10))
    await run_at(quiet, at(2018, 7, 20, 10))
    first, second = quiet.request.of("sendMessage")
    assert "10분 뒤(7.20.(금) 10:10)에 다시" in replies(await quiet.tap(ADMIN_ID, [first], "10분 뒤"))[-1]
    for label in ("10분 뒤", "10분 뒤", "1시간 뒤", "완료"):
        answer = await quiet.tap(ADMIN_ID, [first], label)
        (alert,) = [c for c in answer if c.method == "answerCallbackQuery"]
        assert alert.params["text"] == "이미 처리한 알림입니다 (7.20.(금) 10:10로 미룸)."
        assert alert.params["show_alert"] is True
        assert not [c for c in answer if c.method == "editMessageReplyMarkup"]
    assert replies(await quiet.tap(ADMIN_ID, [second], "완료"))[-1] == "완료로 표시했습니다."
    for label in ("완료", "10분 뒤"):
        assert replies(await quiet.tap(ADMIN_ID, [second], label))[-1] == "이미 처리한 알림입니다 (완료)."
    async with quiet.runtime.sessionmaker() as session:
        snoozes = (await session.scalars(select(Reminder).where(Reminder.kind == "snooze"))).all()
    assert [(r.text, r.due_at.astimezone(KST).replace(second=0, microsecond=0)) for r in snoozes] == [
        ("⏰ 알림: 회의자료", at(2018, 7, 20, 10, 10))]
    assert await run_at(quiet, at(2018, 7, 20, 12)) == 1  # one snooze delivered, not four


async def test_guarded_transition_lets_one_of_two_sessions_act(db_url: str) -> None:
    """Two processes (two engines, two pools) press at once: exactly one changes the row."""
    from storage.db import make_engine, make_sessionmaker
    from storage.migrate import upgrade

    engines = [make_engine(db_url), make_engine(db_url)]
    try:
        await upgrade(engines[0])
        makers = [make_sessionmaker(engine) for engine in engines]
        async with makers[0].begin() as session:
            (row,) = await reminders.add_all(session, [reminders.new(
                kind="personal", text="x", due_at=at(2018, 7, 20, 10), now=at(2018, 7, 20, 9), recipient_id=7)])
            row.state = reminders.SENT
        row_id = row.id

        async def press(maker, state: str) -> bool:  # type: ignore[no-untyped-def]
            async with maker.begin() as session:
                return await reminders.settle_delivered(session, row_id, 7, state)

        outcomes = await asyncio.gather(press(makers[0], reminders.SNOOZED), press(makers[1], reminders.DONE))
        assert sorted(outcomes) == [False, True]
        assert not await press(makers[0], reminders.DONE)
        assert not await press(makers[1], reminders.SNOOZED)
        async with makers[1]() as session:
            final = await reminders.get(session, row_id)
        assert final is not None
        assert final.state == (reminders.SNOOZED if outcomes[0] else reminders.DONE)
        # someone else's reminder is never settled by this person
        async with makers[0].begin() as session:
            (other,) = await reminders.add_all(session, [reminders.new(
                kind="personal", text="y", due_at=at(2018, 7, 20, 10), now=at(2018, 7, 20, 9), recipient_id=8)])
            other.state = reminders.SENT
        async with makers[0].begin() as session:
            assert not await reminders.settle_delivered(session, other.id, 7, reminders.DONE)
    finally:
        for engine in engines:
            await engine.dispose()


async def test_released_rows_are_due_again_at_once_and_only_the_engines_own(db_url: str) -> None:
    """A stopping engine hands back what it holds: due again for any engine without waiting for the lease; a row
    another engine has taken over meanwhile stays with it."""
    from storage.db import make_engine, make_sessionmaker
    from storage.migrate import upgrade

    engine = make_engine(db_url)
    try:
        await upgrade(engine)
        maker = make_sessionmaker(engine)
        now, lease = at(2018, 7, 20, 10), timedelta(minutes=5)
        async with maker.begin() as session:
            await reminders.add_all(session, [reminders.new(kind="personal", text=t, due_at=now, now=now,
                                                            recipient_id=7) for t in ("a", "b", "c")])
        async with maker.begin() as session:
            mine = await reminders.claim_due(session, now, token="stopping", lease=lease, limit=2)
        async with maker.begin() as session:
            (theirs,) = await reminders.claim_due(session, now, token="other", lease=lease, limit=5)
        async with maker.begin() as session:
            assert await reminders.release(session, [r.id for r in mine] + [theirs.id], "stopping") == 2
        async with maker.begin() as session:
            again = await reminders.claim_due(session, now + timedelta(seconds=1), token="next", lease=lease,
                                              limit=5)
        assert [(r.text, r.attempts) for r in again] == [("a", 2), ("b", 2)]  # within the first claim's lease
        async with maker() as session:
            kept = await reminders.get(session, theirs.id)
        assert kept is not None and (kept.state, kept.claimed_by) == (reminders.CLAIMED, "other")
    finally:
        await engine.dispose()


async def test_recurring_rule_moves_off_chuseok_and_month_end(quiet: Harness) -> None:
    quiet.clock.set(at(2018, 9, 10, 12))
    for text in ("매주 월요일 10시 주간회의 알려줘", "매월 말일 17시 정산 알려줘"):
        await quiet.tap(ADMIN_ID, await quiet.send(ADMIN_ID, text), "확인")
    quiet.request.clear()
    expected = [
        (at(2018, 9, 17, 10), "주간회의"),
        (at(2018, 9, 21, 10), "주간회의"),  # 9.24. (Mon) is 추석: the previous working day is Friday 9.21.
        (at(2018, 9, 28, 17), "정산"),  # 9.30. is a Sunday: Friday 9.28.
        (at(2018, 10, 1, 10), "주간회의"),
        (at(2018, 10, 31, 17), "정산"),
    ]
    for instant, word in expected:
        assert await run_at(quiet, instant - timedelta(minutes=1)) == 0, instant
        assert await run_at(quiet, instant) == 1, instant
        assert word in sent_texts(quiet)[-1]


async def test_restart_sends_each_pending_reminder_exactly_once(config) -> None:  # type: ignore[no-untyped-def]
    async with make_harness(config, seeded=False) as first:
        for minute in range(5):
            await add_reminder(first, f"알림 {minute}", at(2018, 7, 20, 10, 1 + minute))
        await run_at(first, at(2018, 7, 20, 10, 2, 30))  # two are due
        assert sorted(t.splitlines()[-1] for t in sent_texts(first)) == ["알림 0", "알림 1"]
    async with make_harness(config, seeded=False) as second:  # a fresh Application over the same database
        second.clock.set(at(2018, 7, 20, 10, 6))
        await second.engine.run_due()
        await second.engine.run_due()
        assert sorted(t.splitlines()[-1] for t in sent_texts(second)) == ["알림 2", "알림 3", "알림 4"]


async def test_due_during_downtime_arrives_late_and_marked(config) -> None:  # type: ignore[no-untyped-def]
    async with make_harness(config, seeded=False) as h:
        await add_reminder(h, "회의자료 챙기기", at(2018, 7, 20, 11))
        await add_reminder(h, "아주 오래된 알림", at(2018, 7, 18, 11))
        await add_reminder(h, "다른 오래된 알림", at(2018, 7, 19, 8))
    async with make_harness(config, seeded=False) as h:
        h.clock.set(at(2018, 7, 20, 13))
        await h.engine.run_due()
        texts = sent_texts(h)
    assert texts[0].startswith("봇이 멈춰 있던 동안 보내지 못한 알림 2건")
    assert "7.18. 11:00 — 아주 오래된 알림" in texts[0] and "7.19. 08:00 — 다른 오래된 알림" in texts[0]
    assert texts[1] == "(지연 발송: 예정 7.20. 11:00)\n회의자료 챙기기"
    assert len(texts) == 2


async def test_team_reminder_reaches_every_member_once(quiet: Harness) -> None:
    from test_gate import _join

    await _join(quiet, 222)
    await _join(quiet, 333)
    async with quiet.runtime.sessionmaker.begin() as session:
        await reminders.add_all(session, [reminders.new(kind="lead", text="팀 알림", due_at=at(2018, 7, 20, 11),
                                                        now=quiet.clock.now(), audience="team")])
    quiet.request.clear()
    await run_at(quiet, at(2018, 7, 20, 11))
    await quiet.engine.run_due()
    chats = Counter(c.params["chat_id"] for c in quiet.request.of("sendMessage") if c.params["text"] == "팀 알림")
    assert chats == Counter({ADMIN_ID: 1, 222: 1, 333: 1})


async def test_lease_expiry_makes_a_crashed_claim_due_again(quiet: Harness) -> None:
    reminder_id = await add_reminder(quiet, "크래시", at(2018, 7, 20, 10, 30))
    async with quiet.runtime.sessionmaker.begin() as session:  # another process claims, then dies
        claimed = await reminders.claim_due(session, at(2018, 7, 20, 10, 30), token="dead", lease=timedelta(seconds=30),
                                            limit=10)
    assert [r.id for r in claimed] == [reminder_id]
    assert await run_at(quiet, at(2018, 7, 20, 10, 30, 10)) == 0  # the lease still holds
    assert await run_at(quiet, at(2018, 7, 20, 10, 30, 31)) == 1
    assert sent_texts(quiet)[-1] == "크래시"


class _SlowSends(OfflineRequest):
    """Each sendMessage takes a moment, as over HTTP: sends that overlapped would show."""

    async def do_request(self, url: str, method: str, request_data: Any = None, **kwargs: Any) -> tuple[int, bytes]:
        if url.endswith("/sendMessage"):
            await asyncio.sleep(0.02)
        return await super().do_request(url, method, request_data, **kwargs)


async def test_one_chats_pace_does_not_hold_up_the_other_chats(config: Config) -> None:
    """One claimed batch, three rows to each of three chats, at one message a second per chat. Sent in one
    sequence, every row waited for its own chat's slot and the chats queued behind each other (six seconds here;
    a replica that took over a killed one's rows fell minutes behind). The chats go side by side, each in its
    order, and still one send at a time: when a send starts every earlier one is recorded as sent, so a crash
    repeats at most one message."""
    request = _SlowSends()
    path = make_url(str(config.database.url)).database
    recorded: list[tuple[int, int]] = []  # (sends so far, rows recorded as sent) as each send starts

    def count_recorded(call: Any) -> None:
        if call.method == "sendMessage":
            with sqlite3.connect(str(path)) as db:
                (sent,) = db.execute("SELECT count(*) FROM reminders WHERE state = 'sent'").fetchone()
            recorded.append((len(recorded), sent))

    request.listeners.append(count_recorded)
    async with make_harness(config, request, seeded=False) as h:
        h.engine.pacer = Pacer(rate=10_000, per_chat=1.0)
        chats = [ADMIN_ID, ADMIN_ID + 1, ADMIN_ID + 2]
        due = h.clock.now()
        for chat in chats:  # the batch's order: the first chat's three rows, then the second's, then the third's
            for n in range(3):
                await add_reminder(h, f"{chat}:{n}", due, recipient=chat)
        assert await run_at(h, due) == 9
        order = [(int(c.params["chat_id"]), str(c.params["text"])) for c in h.request.of("sendMessage")]
    assert [chat for chat, _ in order[:3]] == chats, order  # each chat's first row before any chat's second
    for chat in chats:
        assert [text for c, text in order if c == chat] == [f"{chat}:{n}" for n in range(3)]
    assert recorded == [(n, n) for n in range(9)], recorded


async def test_pacer_gaps_run_from_the_sends_made_so_a_late_one_brings_no_burst() -> None:
    """The gaps (overall and per chat) count from when each send was made, not from slots reserved ahead: after
    a send held up behind a slow one, the next still waits a full interval (a catch-up burst would be more than
    Telegram's 30 a second), and a chat's next send is a full `per_chat` after its last."""
    loop = asyncio.get_running_loop()
    slack = 0.002
    pacer = Pacer(rate=10, per_chat=0.3)  # 0.1 s apart overall
    await pacer.turn(1)
    await asyncio.sleep(0.25)  # the next sender was held up
    await pacer.turn(2)
    held_up = loop.time()
    await pacer.turn(3)
    assert loop.time() - held_up >= 0.1 - slack
    await pacer.chat_ready(2)
    await pacer.turn(2)
    assert loop.time() - held_up >= 0.3 - slack


class _FirstSendSlow(OfflineRequest):
    """The first sendMessage takes 0.3 s (a slow round trip); each send's moment is noted."""

    def __init__(self) -> None:
        super().__init__()
        self.moments: list[float] = []

    async def do_request(self, url: str, method: str, request_data: Any = None, **kwargs: Any) -> tuple[int, bytes]:
        if url.endswith("/sendMessage"):
            self.moments.append(asyncio.get_running_loop().time())
            if len(self.moments) == 1:
                await asyncio.sleep(0.3)
        return await super().do_request(url, method, request_data, **kwargs)


async def test_sends_held_up_by_a_slow_one_do_not_burst(config: Config) -> None:
    """Eight chats of one batch at ten sends a second: the first send takes 0.3 s. The sends behind it then go
    on a tenth of a second apart, not all at once to catch up with slots reserved ahead (at 29.5 a second that
    burst was more than Telegram's 30 in a second: 429s)."""
    request = _FirstSendSlow()
    async with make_harness(config, request, seeded=False) as h:
        h.engine.pacer = Pacer(rate=10, per_chat=0)
        due = h.clock.now()
        for chat in range(ADMIN_ID, ADMIN_ID + 8):
            await add_reminder(h, f"{chat}", due, recipient=chat)
        assert await run_at(h, due) == 8
    gaps = [b - a for a, b in zip(request.moments, request.moments[1:], strict=False)]
    assert len(gaps) == 7 and min(gaps) >= 0.1 - 0.002, gaps


async def test_two_engines_deliver_200_reminders_exactly_once_on_postgres(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from conftest import postgres_url, reset_postgres

    url = postgres_url()
    await reset_postgres(url)
    config = make_config(url)
    requests = [OfflineRequest(), OfflineRequest()]
    apps = [build_application(config, request=r) for r in requests]
    for app in apps:
        app.bot_data["reminder_engine"].pacer = Pacer(rate=10_000, per_chat=0)
        app.bot_data["reminder_engine"].scheduled = False
    async with running(apps[0]), running(apps[1]):
        runtime = apps[0].bot_data["runtime"]
        now = runtime.now()
        async with runtime.sessionmaker.begin() as session:
            await reminders.add_all(session, [
                reminders.new(kind="personal", text=f"r{i}", due_at=now - timedelta(seconds=1), now=now,
                              recipient_id=10_000 + i) for i in range(200)])
        counts = await asyncio.gather(*(app.bot_data["reminder_engine"].run_due() for app in apps))
        await asyncio.gather(*(app.bot_data["reminder_engine"].run_due() for app in apps))
    sent = Counter(str(c.params["text"]) for r in requests for c in r.of("sendMessage"))
    assert len(sent) == 200 and set(sent.values()) == {1}
    assert sum(counts) == 200 and min(counts) > 0  # both engines took part


async def test_seeded_month_events_nudge_admins_until_fixed(config) -> None:  # type: ignore[no-untyped-def]
    from test_gate import _join

    async with make_harness(config) as h:
        await _join(h, 222)
        await run_at(h, at(2018, 7, 23, 9))  # Monday: one nudge per undated event, to the admins
        nudges = [t for t in sent_texts(h) if t.startswith("📌 날짜를 정해 주세요")]
        assert any("서울식물원 개관" in t for t in nudges) and any("4개년 계획" in t for t in nudges)
        # the report's coming events known only to the month (the 7~8월 stay has begun: 8) and the yearly
        # pledge review, whose date is not fixed either
        assert len(nudges) == 9
        assert not [t for t in sent_texts(h, 222) if t.startswith("📌")]  # staff are not nagged
        async with h.runtime.sessionmaker() as session:
            pending = (await session.scalars(select(Reminder).where(
                Reminder.kind == "fixdate", Reminder.state == "pending"))).all()
        assert pending and all(r.due_at.astimezone(KST) >= at(2018, 7, 30, 9) for r in pending)
        # Fixing a date (the card's 날짜 정하기) stops the nudges and plans the usual lead times.
        garden = [c for c in h.request.of("sendMessage") if "서울식물원 개관" in str(c.params["text"])]
        card = await h.tap(ADMIN_ID, garden[-1:], "일정 보기")
        await h.tap(ADMIN_ID, card, "날짜 정하기")
        fixed = replies(await h.send(ADMIN_ID, "9월 15일 오후 3시"))[-1]
        assert fixed.startswith("날짜를 바꿨습니다. 등록했습니다: 9.15.(토) 15:00")
        assert "D-7 9.8.(토) 09:00" in fixed


async def test_delivery_outcomes_are_recorded(quiet: Harness) -> None:
    reminder_id = await add_reminder(quiet, "기록", at(2018, 7, 20, 10, 30))
    await run_at(quiet, at(2018, 7, 20, 10, 30))
    async with quiet.runtime.sessionmaker() as session:
        outcomes = (await session.scalars(select(Delivery.outcome).where(Delivery.reminder_id == reminder_id))).all()
        row = await session.get(Reminder, reminder_id)
        person = await session.get(Person, ADMIN_ID)
    assert outcomes == ["sent"] and row is not None and row.state == "sent" and row.message_id
    assert person is not None and person.deliverable


async def test_a_long_outage_does_not_replay_every_missed_week(config) -> None:  # type: ignore[no-untyped-def]
    async with make_harness(config, seeded=False) as h:
        h.clock.set(at(2018, 7, 20, 10))
        await h.tap(ADMIN_ID, await h.send(ADMIN_ID, "매주 월요일 10시 주간회의 알려줘"), "확인")
    async with make_harness(config, seeded=False) as h:  # back two years later
        h.request.clear()
        await run_at(h, at(2020, 7, 20, 12))
        await h.engine.run_due()
        assert len(sent_texts(h)) == 1  # the summary of what was missed, not a hundred weekly messages
        async with h.runtime.sessionmaker() as session:
            pending = (await session.scalars(select(Reminder).where(Reminder.state == "pending"))).all()
        assert [r.due_at.astimezone(KST) for r in pending] == [at(2020, 7, 27, 10)]  # the next Monday from now
