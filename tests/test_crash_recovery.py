"""kill -9 in the middle of 500 sends, start again: every reminder arrives, at most one of them twice."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

from fake_bot_api import FakeBotApi

from bot.clock import SEOUL
from bot.database import migrate
from storage import reminders
from storage.db import make_engine, make_sessionmaker

COUNT = 500
FIRST_CHAT = 100_000


async def _fill(url: str) -> None:
    await migrate(url)
    engine = make_engine(url)
    now = datetime.now(SEOUL)
    async with make_sessionmaker(engine).begin() as session:
        await reminders.add_all(session, [
            reminders.new(kind="personal", text=f"알림 {i}", due_at=now - timedelta(seconds=1), now=now,
                          recipient_id=FIRST_CHAT + i) for i in range(COUNT)])
    await engine.dispose()


def _start(config: Path, cwd: Path) -> subprocess.Popen[bytes]:
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(cwd)}
    return subprocess.Popen([sys.executable, "-m", "bot", "run", "--config", str(config)], cwd=cwd, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _delivered(fake: FakeBotApi) -> Counter[int]:
    return Counter(int(c.params["chat_id"]) for c in fake.calls("sendMessage")
                   if c.ok and int(c.params["chat_id"]) >= FIRST_CHAT)


def test_kill_9_mid_delivery_then_restart(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'bot.db'}"
    asyncio.run(_fill(url))
    with FakeBotApi() as fake:
        config = tmp_path / "config.toml"
        config.write_text(
            f'[telegram]\ntoken = "{fake.token}"\napi_base_url = "{fake.base_url}"\n'
            f'[database]\nurl = "{url}"\n[reminders]\nlease_seconds = 3\n', encoding="utf-8")
        first = _start(config, tmp_path)
        deadline = time.monotonic() + 60
        while sum(_delivered(fake).values()) < 100 and time.monotonic() < deadline:
            time.sleep(0.05)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        before_restart = sum(_delivered(fake).values())
        assert 100 <= before_restart < COUNT, before_restart
        second = _start(config, tmp_path)
        try:
            deadline = time.monotonic() + 90
            while len(_delivered(fake)) < COUNT and time.monotonic() < deadline:
                time.sleep(0.2)
        finally:
            second.send_signal(signal.SIGTERM)
            _, err = second.communicate(timeout=30)
        delivered = _delivered(fake)
        assert len(delivered) == COUNT, (len(delivered), err.decode()[-2000:])
        assert sum(1 for n in delivered.values() if n > 1) <= 1
        assert max(delivered.values()) <= 2
        assert fake.rate_violations() == 0
