"""The bot's HTTP server (bot/web.py): the webhook, /healthz, /readyz and /metrics, with the real application
serving on 127.0.0.1 against the fake Bot API, in this process."""

from __future__ import annotations

import asyncio
import re
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import httpx
from conftest import ADMIN_ID, STAFF_ID, make_config
from fake_bot_api import FakeBotApi
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.app import build_application
from bot.context import BotApplication
from bot.web import SECRET_HEADER, readiness, serve
from storage import drafts, reminders
from storage.db import make_sessionmaker
from storage.migrate import head_revision
from storage.stats import open_drafts, overdue_reminders, reminder_counts

SECRET = "hook-Secret_123"
METRICS = ("secretariat_updates_total", "secretariat_update_seconds", "secretariat_reminders",
           "secretariat_reminders_overdue", "secretariat_bot_api_errors_total", "secretariat_drafts_open",
           "secretariat_database_up", "secretariat_webhook_rejected_total")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def sample(text: str, name: str, **labels: str) -> float | None:
    """The value of one series in a Prometheus text exposition (labels in any order), or None."""
    for line in text.splitlines():
        match = re.fullmatch(r"([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)", line)
        if not match or match.group(1) != name:
            continue
        found = dict(re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', match.group(2) or ""))
        if found == labels:
            return float(match.group(3))
    return None


@dataclass
class Served:
    app: BotApplication
    client: httpx.AsyncClient
    base: str

    async def post(self, update: object, secret: str | None = SECRET, *, raw: bytes | None = None) -> int:
        headers = {SECRET_HEADER: secret} if secret is not None else {}
        if raw is not None:
            response = await self.client.post(f"{self.base}/hook", content=raw, headers=headers)
        else:
            response = await self.client.post(f"{self.base}/hook", json=update, headers=headers)
        return response.status_code

    async def metrics(self) -> str:
        response = await self.client.get(f"{self.base}/metrics")
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/plain")
        return response.text


@asynccontextmanager
async def webhook_bot(fake: FakeBotApi, database_url: str) -> AsyncIterator[Served]:
    """`serve` (what `secretariat-bot run` runs) in webhook mode on a free port, until the block ends."""
    port = free_port()
    config = make_config(database_url, telegram={"token": fake.token, "api_base_url": fake.base_url,
                                                 "mode": "webhook"},
                         webhook={"listen": "127.0.0.1", "port": port, "url": "https://bot.example.org/hook",
                                  "secret_token": SECRET})
    app = build_application(config)
    stop = asyncio.Event()
    task = asyncio.create_task(serve(app, config, stop))
    base = f"http://127.0.0.1:{port}"
    async with httpx.AsyncClient(trust_env=False, timeout=20) as client:
        try:
            for _ in range(300):
                assert not task.done(), task.exception()
                try:
                    if (await client.get(f"{base}/healthz")).status_code == 200:
                        break
                except httpx.TransportError:
                    await asyncio.sleep(0.05)
            yield Served(app, client, base)
        finally:
            stop.set()
            await asyncio.wait_for(task, 30)


async def test_webhook_answers_refuses_wrong_secrets_and_bad_bodies_and_counts(fake: FakeBotApi,
                                                                                db_url: str) -> None:
    async with webhook_bot(fake, db_url) as bot:
        hook = fake.wait_for("setWebhook")
        assert hook.params["url"] == "https://bot.example.org/hook" and hook.params["secret_token"] == SECRET
        before = await bot.metrics()
        assert all(f"# TYPE {name.removesuffix('_total')}" in before for name in METRICS), before
        assert sample(before, "secretariat_database_up") == 1.0
        assert sample(before, "secretariat_reminders", state="pending") is not None

        start = fake.send_text(ADMIN_ID, "/start")
        assert await bot.post(start, "wrong-secret") == 403
        assert await bot.post(start, None) == 403
        assert await bot.post(start, SECRET[:-1]) == 403
        assert fake.sent_messages(ADMIN_ID) == []  # nothing processed
        assert await bot.post(None, raw=b"{not json") == 400
        assert await bot.post({"no": "update"}) == 400
        assert await bot.post([1, 2]) == 400
        assert (await bot.client.get(f"{bot.base}/healthz")).status_code == 200  # still serving

        assert await bot.post(start) == 200  # processed before the answer: the reply was sent already
        assert "비서실봇" in fake.sent_messages(ADMIN_ID)[-1]["text"]
        fake.fail_next("sendMessage", error_code=403, chat_id=ADMIN_ID)
        assert await bot.post(fake.send_text(ADMIN_ID, "업무추진비 잔액")) == 200

        after = await bot.metrics()
        assert sample(after, "secretariat_updates_total", kind="command", intent="") == 1.0
        texts = [line for line in after.splitlines() if line.startswith('secretariat_updates_total{')
                 and 'kind="text"' in line]
        assert len(texts) == 1 and 'intent="budget' in texts[0] and texts[0].endswith(" 1.0"), texts
        assert sample(after, "secretariat_update_seconds_count", kind="command") == 1.0
        assert sample(after, "secretariat_bot_api_errors_total", code="403", method="sendMessage") == 1.0
        assert sample(after, "secretariat_webhook_rejected_total", reason="forbidden") == 3.0
        assert sample(after, "secretariat_webhook_rejected_total", reason="malformed") == 3.0
        assert fake.token not in after and SECRET not in after


async def test_readyz_reports_the_database_the_migrations_and_the_bot_api(fake: FakeBotApi, tmp_path: Path) -> None:
    folder = tmp_path / "db"
    folder.mkdir()
    async with webhook_bot(fake, f"sqlite:///{folder / 'bot.db'}") as bot:
        ready = await bot.client.get(f"{bot.base}/readyz")
        assert ready.status_code == 200
        assert ready.json() == {"ready": True, "failed": [],
                                "checks": {"database": "ok", "migrations": "ok", "bot_api": "ok"}}
        behind = await readiness(bot.app, "a-later-revision")
        assert behind["migrations"] == f"at {head_revision()}, head is a-later-revision"

        engine: AsyncEngine = bot.app.bot_data["engine"]
        folder.rename(tmp_path / "gone")  # the database file is unreachable ...
        await engine.dispose()  # ... and no pooled connection still holds it open
        gone = await bot.client.get(f"{bot.base}/readyz")
        assert gone.status_code == 503
        assert gone.json()["failed"] == ["database", "migrations"]
        assert "OperationalError" in gone.json()["checks"]["database"]
        assert sample(await bot.metrics(), "secretariat_database_up") == 0.0  # /metrics still answers
        assert (await bot.client.get(f"{bot.base}/healthz")).status_code == 200  # alive, not ready

        (tmp_path / "gone").rename(folder)
        assert (await bot.client.get(f"{bot.base}/readyz")).status_code == 200


async def test_reminder_and_draft_counts_on_both_databases(engine: AsyncEngine) -> None:
    from conftest import REPORT_NOW

    now = REPORT_NOW
    sessionmaker = make_sessionmaker(engine)
    async with sessionmaker.begin() as session:
        def row(state: str, due: timedelta, late: bool = False) -> reminders.Reminder:
            reminder = reminders.new(kind="personal", text="x", due_at=now + due, now=now, recipient_id=STAFF_ID)
            reminder.state, reminder.late = state, late
            return reminder

        await reminders.add_all(session, [
            row("pending", timedelta(hours=1)), row("pending", -timedelta(hours=1)), row("claimed", timedelta()),
            row("sent", -timedelta(days=1)), row("done", -timedelta(days=1)), row("sent", -timedelta(days=1), True),
            row("failed", -timedelta(days=2)), row("cancelled", timedelta(days=1)),
        ])
        for ttl in (timedelta(hours=1), timedelta(hours=2), -timedelta(hours=1)):
            await drafts.create(session, owner_id=STAFF_ID, chat_id=STAFF_ID, kind="echo", payload={}, now=now,
                                ttl=ttl)
    async with sessionmaker() as session:
        assert await reminder_counts(session) == {"pending": 3, "sent": 2, "late": 1, "failed": 1}
        assert await overdue_reminders(session, now) == 1
        assert await open_drafts(session, now) == 2  # the expired one is not open
