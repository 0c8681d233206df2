"""Two replicas of `secretariat-bot run` in webhook mode on one PostgreSQL database, behind a round-robin proxy,
the fake Bot API delivering webhooks to the proxy as Telegram would: an echo answered by one replica is confirmed
on the other and stored once; 100 reminders and the day's briefing reach each recipient exactly once; killing a
replica mid-delivery loses nothing. And polling refuses a second instance."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from conftest import SEOUL, postgres_url, reset_postgres
from fake_bot_api import Call, FakeBotApi
from helpers import http_get
from replica_proxy import RoundRobinProxy
from sqlalchemy import func, select

from bot.clock import OFFSET_ENV
from bot.database import migrate
from storage import people, reminders
from storage.db import make_engine, make_sessionmaker
from storage.models import Event, Reminder

RECIPIENTS = list(range(7001, 7011))  # ten roster members (configured admins), each gets ten reminders
USER = RECIPIENTS[0]
SECRET = "replica-secret_1"
FRIDAY_0829 = datetime(2018, 7, 20, 8, 29, 50, tzinfo=SEOUL)  # the briefing (08:30) comes due while they run
ECHO = "9월 15일 오후 3시 서울식물원 개관식 알려줘"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")
        time.sleep(0.1)


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _config(path: Path, fake: FakeBotApi, url: str, port: int, proxy_port: int) -> Path:
    admins = ", ".join(str(r) for r in RECIPIENTS)
    path.write_text(
        f'[telegram]\ntoken = "{fake.token}"\napi_base_url = "{fake.base_url}"\nmode = "webhook"\n'
        f'[webhook]\nlisten = "127.0.0.1"\nport = {port}\nurl = "http://127.0.0.1:{proxy_port}/hook"\n'
        f'secret_token = "{SECRET}"\n'
        f'[database]\nurl = "{url}"\nmigrate_on_start = false\n'  # deployed after `db upgrade`
        f"[access]\nadmins = [{admins}]\n"
        "[reminders]\nlease_seconds = 2\npoll_seconds = 1\n",
        encoding="utf-8",
    )
    return path


@dataclass
class Replica:
    port: int
    process: subprocess.Popen[bytes]
    log: Path

    def stderr(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


async def _prepare(url: str, briefing: bool, due: list[tuple[int, str]]) -> None:
    """The roster (each member subscribed to the briefing or not) and reminders already due."""
    engine = make_engine(url)
    try:
        async with make_sessionmaker(engine).begin() as session:
            await people.ensure_admins(session, RECIPIENTS, FRIDAY_0829)
            for member in RECIPIENTS:
                await people.set_briefing(session, member, briefing, FRIDAY_0829)
            await reminders.add_all(session, [
                reminders.new(kind="personal", text=text, due_at=FRIDAY_0829 - timedelta(minutes=1),
                              now=FRIDAY_0829, recipient_id=recipient) for recipient, text in due])
    finally:
        await engine.dispose()


async def _rows(url: str, query: object) -> list[object]:
    engine = make_engine(url)
    try:
        async with engine.connect() as connection:
            return list((await connection.execute(query)).all())  # type: ignore[call-overload]
    finally:
        await engine.dispose()


async def _count(url: str, query: object) -> int:
    engine = make_engine(url)
    try:
        async with engine.connect() as connection:
            return int((await connection.execute(query)).scalar_one())  # type: ignore[call-overload]
    finally:
        await engine.dispose()


@contextmanager
def _cluster(tmp_path: Path, fake: FakeBotApi, url: str) -> Iterator[tuple[RoundRobinProxy, list[Replica]]]:
    ports = [_free_port(), _free_port()]
    offset = (FRIDAY_0829 - datetime.now(SEOUL)).total_seconds()
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path), OFFSET_ENV: f"{offset:.3f}"}
    with RoundRobinProxy(ports) as proxy:
        replicas = []
        for index, port in enumerate(ports):
            config = _config(tmp_path / f"replica{index}.toml", fake, url, port, proxy.port)
            log = tmp_path / f"replica{index}.log"
            with log.open("wb") as sink:
                process = subprocess.Popen([sys.executable, "-m", "bot", "run", "--config", str(config)],
                                           cwd=tmp_path, env=env, stdout=sink, stderr=subprocess.STDOUT)
            replicas.append(Replica(port, process, log))
        try:
            _wait(lambda: (len(fake.calls("setWebhook")) >= 2 and all(_listening(p) for p in ports))
                  or any(r.process.poll() is not None for r in replicas), 60, "both replicas to serve")
            for replica in replicas:
                assert replica.process.poll() is None, replica.stderr()
            yield proxy, replicas
        finally:
            for replica in replicas:
                if replica.process.poll() is None:
                    replica.process.send_signal(signal.SIGTERM)
            for replica in replicas:
                try:
                    replica.process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    replica.process.kill()
                    raise


def _texts(fake: FakeBotApi, chat_id: int) -> list[str]:
    return [str(m["text"]) for m in fake.sent_messages(chat_id)]


def _reminder_texts(fake: FakeBotApi) -> Counter[str]:
    """How many times each reminder text reached its recipient (a late mark on the first line is ignored)."""
    return Counter(text.splitlines()[-1] for chat in RECIPIENTS for text in _texts(fake, chat)
                   if "알림 #" in text and "아침 브리핑" not in text)  # a briefing may list the day's reminders


def _button(call: Call, label: str) -> str:
    markup = call.params.get("reply_markup") or {}
    for row in markup.get("inline_keyboard", []):
        for button in row:
            if label in button["text"] and str(button["callback_data"]).startswith("d:"):
                return str(button["callback_data"])
    raise AssertionError(f"no {label} button in {markup}")


@pytest.fixture
def pg_url() -> str:
    url = postgres_url()
    asyncio.run(reset_postgres(url))
    asyncio.run(migrate(url))  # what `secretariat-bot db upgrade` does before the replicas are deployed
    return url


def test_two_replicas_echo_confirm_and_exactly_once_delivery(tmp_path: Path, fake: FakeBotApi, pg_url: str) -> None:
    due = [(RECIPIENTS[i % len(RECIPIENTS)], f"알림 #{i:03d}") for i in range(100)]
    asyncio.run(_prepare(pg_url, briefing=True, due=due))
    with _cluster(tmp_path, fake, pg_url) as (proxy, replicas):
        # (a) the echo is answered by one replica, its 확인 pressed through the other
        fake.send_text(USER, ECHO)
        assert fake.deliver_pending() == [200]
        echo = fake.wait_for("sendMessage", lambda c: c.params.get("chat_id") == USER
                             and "맞나요" in str(c.params.get("text")), timeout=30)
        confirm = _button(echo, "확인")
        fake.press_button(USER, echo, confirm)
        assert fake.deliver_pending() == [200]
        fake.wait_for("editMessageText", lambda c: c.params.get("chat_id") == USER, timeout=30)
        assert proxy.served[0] != proxy.served[1], proxy.served
        fake.press_button(USER, echo, confirm)  # pressed again, on the first replica: nothing stored twice
        assert fake.deliver_pending() == [200]
        assert proxy.served[2] == proxy.served[0]
        fake.wait_for("answerCallbackQuery", timeout=30)
        _wait(lambda: len(fake.calls("answerCallbackQuery")) >= 2, 30, "the second press answered")
        titles = select(func.count()).select_from(Event).where(Event.title == "서울식물원 개관식")
        assert asyncio.run(_count(pg_url, titles)) == 1

        # (b) 100 reminders and the 08:30 briefing: each to its recipient exactly once, whichever replica sends
        _wait(lambda: sum(_reminder_texts(fake).values()) >= 100
              and all(any("아침 브리핑" in t for t in _texts(fake, chat)) for chat in RECIPIENTS),
              120, "100 reminders and ten briefings")
        time.sleep(3)  # leases (2 s) run out and both engines poll (1 s): a duplicate would show by now
        for replica in replicas:
            assert replica.process.poll() is None, replica.stderr()
    assert _reminder_texts(fake) == Counter(text for _, text in due)
    for chat in RECIPIENTS:
        briefings = [t for t in _texts(fake, chat) if "아침 브리핑" in t]
        assert len(briefings) == 1 and briefings[0].startswith("☀️ 아침 브리핑\n📅 오늘 일정"), briefings
    assert sum(1 for t in _texts(fake, USER) if "맞나요" in t) == 1
    for replica in replicas:
        assert "Traceback" not in replica.stderr() and SECRET not in replica.stderr()


def _both_hold_claims(url: str) -> bool:
    """Each replica is in the middle of a batch: two engines hold at least five claimed rows each."""
    held = select(func.count()).where(Reminder.state == reminders.CLAIMED).group_by(Reminder.claimed_by)
    return sum(1 for (count,) in asyncio.run(_rows(url, held)) if count >= 5) >= 2  # type: ignore[misc]


def test_killing_a_replica_mid_delivery_loses_nothing(tmp_path: Path, fake: FakeBotApi, pg_url: str) -> None:
    # Runs of five rows per recipient: a batch of 20 claimed rows covers four chats and takes five seconds at
    # Telegram's one message a second per chat, so a replica killed mid-batch holds claimed rows.
    due = [(RECIPIENTS[(i // 5) % len(RECIPIENTS)], f"알림 #{i:03d}") for i in range(200)]
    asyncio.run(_prepare(pg_url, briefing=False, due=due))
    with _cluster(tmp_path, fake, pg_url) as (_, replicas):
        _wait(lambda: _both_hold_claims(pg_url), 60, "both replicas delivering")
        victim, survivor = replicas
        victim.process.send_signal(signal.SIGKILL)
        victim.process.wait(timeout=10)
        at_kill = sum(_reminder_texts(fake).values())
        assert at_kill < 200, "delivery finished before the kill: nothing was tested"
        _wait(lambda: set(_reminder_texts(fake)) == {text for _, text in due}, 120, "the survivor to deliver the rest")
        time.sleep(3)
        assert survivor.process.poll() is None, survivor.stderr()
    sent = _reminder_texts(fake)
    assert set(sent) == {text for _, text in due}  # nothing lost
    # A send the killed process made but could not record is the one repeat a crash can cause (one at a time per
    # process: the chats of a claimed batch are paced side by side, but the engine sends one message at a time).
    assert sum(sent.values()) - len(due) <= 1, [t for t, n in sent.items() if n > 1]
    states = select(func.count()).select_from(Reminder).where(Reminder.state != reminders.SENT)
    assert asyncio.run(_count(pg_url, states)) == 0
    retaken = select(func.count()).select_from(Reminder).where(Reminder.attempts > 1)
    assert asyncio.run(_count(pg_url, retaken)) >= 1  # rows the killed process held were taken over after the lease


@pytest.mark.parametrize("ops", ["off", "shared"])
def test_polling_refuses_a_second_instance(tmp_path: Path, fake: FakeBotApi, ops: str) -> None:
    """The refusal is the one line the second instance prints: with the ops server off, and with both on the
    same ops port (as with the defaults), where the refusal comes before the port is tried."""
    ops_port = 0 if ops == "off" else _free_port()
    config = tmp_path / "config.toml"
    config.write_text(f'[telegram]\ntoken = "{fake.token}"\napi_base_url = "{fake.base_url}"\n'
                      f'[database]\nurl = "sqlite:///{tmp_path / "bot.db"}"\n'
                      f'[ops]\nport = {ops_port}\n', encoding="utf-8")
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path)}
    command = [sys.executable, "-m", "bot", "run", "--config", str(config)]
    first = subprocess.Popen(command, cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        fake.wait_for("setMyCommands", timeout=60)
        if ops_port:  # the first holds the port the second would try
            assert http_get(f"http://127.0.0.1:{ops_port}/healthz")[0] == 200
        second = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
        assert second.returncode == 1
        lines = second.stderr.strip().splitlines()
        assert len(lines) == 1, second.stderr
        (line,) = lines
        assert line.startswith("이미 다른 비서실봇이 같은 데이터베이스(") and "웹훅 모드" in line, line
        assert first.poll() is None
    finally:
        first.send_signal(signal.SIGTERM)
        first.communicate(timeout=30)
    assert first.returncode == 0
