"""`secretariat-bot run` as a real process: polling (and webhook) through api_base_url to the fake server."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from fake_bot_api import FakeBotApi
from helpers import http_get, when_listening
from test_web import METRICS, sample

ADMIN = 4242
STRANGER = 5151


def _write_config(tmp_path: Path, fake: FakeBotApi, extra: str = "") -> Path:
    path = tmp_path / "config.toml"
    path.write_text(
        f'[telegram]\ntoken = "{fake.token}"\napi_base_url = "{fake.base_url}"\n{extra}\n'
        f'[database]\nurl = "sqlite:///{tmp_path / "bot.db"}"\n'
        f"[access]\nadmins = [{ADMIN}]\n",
        encoding="utf-8",
    )
    return path


def _start(config: Path, cwd: Path) -> subprocess.Popen[str]:
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(cwd)}
    return subprocess.Popen([sys.executable, "-m", "bot", "run", "--config", str(config)], cwd=cwd, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _stop(process: subprocess.Popen[str]) -> str:
    process.send_signal(signal.SIGTERM)
    try:
        _, err = process.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        raise
    return err


def test_polling_answers_admin_start_and_refuses_stranger(tmp_path: Path, fake: FakeBotApi) -> None:
    process = _start(_write_config(tmp_path, fake), tmp_path)
    try:
        fake.wait_for("setMyCommands", timeout=30)
        fake.send_text(ADMIN, "/start")
        greeting = fake.wait_for("sendMessage", lambda c: c.params.get("chat_id") == ADMIN, timeout=20)
        assert "비서실봇" in greeting.params["text"]
        fake.send_text(STRANGER, "/start")
        refusal = fake.wait_for("sendMessage", lambda c: c.params.get("chat_id") == STRANGER, timeout=20)
        assert "비서실 직원만" in refusal.params["text"] and str(STRANGER) in refusal.params["text"]
    finally:
        err = _stop(process)
    assert process.returncode == 0, err
    assert fake.token not in err and "TEST-TOKEN" not in err  # the token never reaches the logs
    assert fake.calls("getUpdates"), "the bot did not poll through api_base_url"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _post_when_listening(fake: FakeBotApi, url: str, update: dict[str, object], secret: str) -> int:
    """setWebhook may be called a moment before the bot's HTTP server accepts connections."""
    return when_listening(lambda: fake.post_webhook(url, update, secret))


def test_webhook_mode_checks_secret_token(tmp_path: Path, fake: FakeBotApi) -> None:
    port = _free_port()
    extra = (f'mode = "webhook"\n[webhook]\nlisten = "127.0.0.1"\nport = {port}\n'
             f'url = "https://bot.example.org/hook"\nsecret_token = "s3cret-value"\n')
    process = _start(_write_config(tmp_path, fake, extra), tmp_path)
    try:
        hook = fake.wait_for("setWebhook", timeout=30)
        assert hook.params["url"] == "https://bot.example.org/hook"
        assert hook.params["secret_token"] == "s3cret-value"
        local = f"http://127.0.0.1:{port}/hook"
        update = {"update_id": 1, "message": {
            "message_id": 1, "date": int(time.time()), "text": "/start",
            "chat": {"id": ADMIN, "type": "private", "first_name": "a"},
            "from": {"id": ADMIN, "is_bot": False, "first_name": "a"},
            "entities": [{"type": "bot_command", "offset": 0, "length": 6}]}}
        assert _post_when_listening(fake, local, update, "wrong") == 403
        assert fake.post_webhook(local, update, "s3cret-value") == 200
        reply = fake.wait_for("sendMessage", lambda c: c.params.get("chat_id") == ADMIN, timeout=20)
        assert "비서실봇" in reply.params["text"]
        assert len(fake.sent_messages(ADMIN)) == 1  # the rejected post was not processed
        status, metrics = http_get(f"http://127.0.0.1:{port}/metrics")  # served beside the webhook
        assert status == 200 and all(name.removesuffix("_total") in metrics for name in METRICS)
        assert sample(metrics, "secretariat_updates_total", kind="command", intent="") == 1.0
        assert sample(metrics, "secretariat_webhook_rejected_total", reason="forbidden") == 1.0
        assert http_get(f"http://127.0.0.1:{port}/readyz")[0] == 200
    finally:
        err = _stop(process)
    assert process.returncode == 0, err
    assert "s3cret-value" not in err
