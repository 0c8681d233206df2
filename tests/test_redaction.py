"""Secrets never printed: the bot token, the webhook secret and the database password, wherever text goes out."""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ADMIN_ID, Harness, postgres_url, replies
from helpers import run_cli

from bot import cli
from bot.app import build_application
from bot.config import parse_config
from bot.logs import RedactingFormatter, redact
from bot.offline import OfflineRequest

PASSWORD = "pa%40ss-w0rd"  # written percent-escaped in the URL; the driver sees "pa@ss-w0rd"
PG_URL = f"postgresql://bot:{PASSWORD}@db.example.org:5432/secretariat"


def test_redact_masks_url_passwords_and_known_secrets() -> None:
    text = f"connect {PG_URL} failed; token 123:ABC; other mysql://u:hunter2@h/x; plain http://127.0.0.1:9/bot"
    masked = redact(text, ("123:ABC",))
    assert PASSWORD not in masked and "hunter2" not in masked and "123:ABC" not in masked
    assert "postgresql://bot:[REDACTED]@db.example.org:5432/secretariat" in masked
    assert "http://127.0.0.1:9/bot" in masked  # no credentials, nothing to hide


def test_config_secrets_hold_the_database_password_as_written_and_decoded() -> None:
    config = parse_config({"telegram": {"token": "42:TOKEN"}, "database": {"url": PG_URL}}, "c.toml", env={})
    assert set(config.secrets()) == {"42:TOKEN", PASSWORD, "pa@ss-w0rd"}
    app = build_application(config, request=OfflineRequest())
    assert set(app.bot_data["runtime"].secrets) >= {"42:TOKEN", PASSWORD, "pa@ss-w0rd"}


def test_log_records_hide_the_decoded_database_password() -> None:
    config = parse_config({"database": {"url": PG_URL}}, "c.toml", env={})
    formatter = RedactingFormatter(config.secrets())
    try:
        raise OSError('password authentication failed: "pa@ss-w0rd"')
    except OSError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "db down", None, sys.exc_info())
    text = formatter.format(record)
    assert "pa@ss-w0rd" not in text and "[REDACTED]" in text


async def test_admin_alert_hides_a_database_password(harness: Harness) -> None:
    before = len(harness.request.calls)
    await harness.app.process_error(None, OSError(f"could not reach {PG_URL}"))
    alerts = replies([c for c in harness.request.calls[before:] if c.params.get("chat_id") == ADMIN_ID])
    assert len(alerts) == 1 and "오류가 발생했습니다" in alerts[0]
    assert PASSWORD not in alerts[0] and "[REDACTED]" in alerts[0]


def test_cli_database_error_line_hides_the_password(monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    async def unreachable(url: str) -> None:
        raise OSError(f"could not connect to {url}")

    monkeypatch.setattr(cli, "migrate", unreachable)
    assert cli.main(["db", "upgrade", "--db", PG_URL]) == 1
    err = capsys.readouterr().err
    assert err.startswith("데이터베이스 오류 — OSError: could not connect to postgresql://bot:[REDACTED]@")
    assert PASSWORD not in err and "pa@ss" not in err


def test_an_uncaught_traceback_is_redacted_too(tmp_path: Path) -> None:
    script = ("from bot.logs import setup_logging\nsetup_logging(['77:UNCAUGHT-SECRET'])\n"
              "raise RuntimeError('token 77:UNCAUGHT-SECRET in postgresql://u:hunter2@h/x')\n")
    result = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 1 and "Traceback" in result.stderr
    assert "UNCAUGHT-SECRET" not in result.stderr and "hunter2" not in result.stderr


def test_console_banner_hides_the_database_password(tmp_path: Path) -> None:
    url = postgres_url()
    scheme, rest = url.split("://", 1)
    user, host = rest.split("@", 1) if "@" in rest else ("postgres", rest)
    with_password = f"{scheme}://{user.split(':')[0]}:banner-pw-123@{host}"  # trust auth ignores it
    result = run_cli(tmp_path, "chat", "--db", with_password, input="/help\n")
    assert result.returncode == 0, result.stderr
    assert "banner-pw-123" not in result.stdout + result.stderr and "[REDACTED]" in result.stdout
