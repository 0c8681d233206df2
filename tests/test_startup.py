"""`secretariat-bot run` start-up failures: one line naming the cause, no traceback, no secret, exit 1 or 2."""

from __future__ import annotations

import itertools
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import make_config
from fake_bot_api import FakeBotApi
from helpers import run_cli

from bot.app import build_application
from bot.config import ConfigError, check_database_url, parse_config
from bot.startup import StartupError, backoff, reach_bot_api, release

ADMIN = 4242
DB_PASSWORD = "s3cretDbPw"


def _config(tmp_path: Path, *, token: str, api: str, database: str | None = None, telegram: str = "",
            admins: str = f"[{ADMIN}]") -> Path:
    path = tmp_path / "c.toml"
    database = database or f"sqlite:///{tmp_path / 'bot.db'}"
    path.write_text(
        f'[telegram]\ntoken = "{token}"\napi_base_url = "{api}"\n{telegram}\n'
        f'[database]\nurl = "{database}"\n'
        f"[access]\nadmins = {admins}\n",
        encoding="utf-8",
    )
    return path


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _one_line(result: subprocess.CompletedProcess[str]) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    return lines[0]


def test_rejected_token_prints_one_line_without_the_token(tmp_path: Path, fake: FakeBotApi) -> None:
    wrong = "123456:WRONG-TOKEN-AbCdEfGhIjKlMnOpQrStUvWxYz"
    result = run_cli(tmp_path, "run", "--config", str(_config(tmp_path, token=wrong, api=fake.base_url)))
    line = _one_line(result)
    assert result.returncode == 2
    assert "토큰" in line and "telegram.token" in line
    assert wrong not in result.stderr + result.stdout and "WRONG-TOKEN" not in result.stderr + result.stdout
    assert [call.error_code for call in fake.calls("getMe")] == [401]  # refused once: not retried
    assert not (tmp_path / "bot.db").exists()  # nothing was started


def test_unreachable_bot_api_is_retried_then_one_line(tmp_path: Path) -> None:
    api = f"http://127.0.0.1:{_closed_port()}/bot"
    token = "123456:UNREACHABLE-TOKEN-SECRET"
    config = _config(tmp_path, token=token, api=api, telegram="start_attempts = 3\nstart_backoff_seconds = 1")
    result = run_cli(tmp_path, "run", "--config", str(config))
    line = _one_line(result)
    assert result.returncode == 1
    assert "Bot API에 연결할 수 없습니다" in line and "3회 시도" in line and api in line
    assert token not in result.stderr and "UNREACHABLE-TOKEN" not in result.stderr


def test_backoff_doubles() -> None:
    assert backoff(4, 1) == [1, 2, 4]
    assert backoff(1, 1) == []


def test_dropped_get_me_is_retried_with_backoff_and_the_bot_starts(tmp_path: Path, fake: FakeBotApi) -> None:
    fake.drop_connection_next("getMe", times=2)
    config = _config(tmp_path, token=fake.token, api=fake.base_url,
                     telegram="start_attempts = 3\nstart_backoff_seconds = 1")
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path)}
    process = subprocess.Popen([sys.executable, "-m", "bot", "run", "--config", str(config)], cwd=tmp_path,
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        fake.wait_for("getUpdates", timeout=60)  # serving (a stop signal before that races PTB's start-up)
    finally:
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    attempts = fake.calls("getMe")
    assert [call.dropped for call in attempts[:3]] == [True, True, False]
    gaps = [later.at - earlier.at for earlier, later in itertools.pairwise(attempts[:3])]
    assert gaps[0] >= 0.9 and gaps[1] >= 1.9, gaps  # waited 1 s, then 2 s
    assert "Traceback" not in err and fake.token not in err


def test_unreachable_database_prints_one_line_without_the_password(tmp_path: Path, fake: FakeBotApi) -> None:
    database = f"postgresql://user:{DB_PASSWORD}@127.0.0.1:{_closed_port()}/x"
    result = run_cli(tmp_path, "run", "--config",
                     str(_config(tmp_path, token=fake.token, api=fake.base_url, database=database)))
    line = _one_line(result)
    assert result.returncode == 1
    assert "데이터베이스에 연결할 수 없습니다" in line
    assert DB_PASSWORD not in result.stderr + result.stdout and fake.token not in result.stderr


def test_admin_id_out_of_range_is_a_config_error(tmp_path: Path, fake: FakeBotApi) -> None:
    config = _config(tmp_path, token=fake.token, api=fake.base_url, admins=f"[{ADMIN}, {2**52}]")
    result = run_cli(tmp_path, "run", "--config", str(config))
    line = _one_line(result)
    assert result.returncode == 2
    assert line.startswith("설정 오류 — ") and "access.admins" in line and str(2**52) in line
    assert not fake.calls("getMe")


@pytest.mark.parametrize("admin", [0, -5, 2**52, 99999999999999999999])
def test_admin_ids_must_be_telegram_ids(admin: int) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config({"access": {"admins": [ADMIN, admin]}}, "c.toml", env={})
    assert caught.value.key == "access.admins" and str(admin) in caught.value.reason


def test_largest_telegram_id_is_accepted() -> None:
    config = parse_config({"access": {"admins": [1, 2**52 - 1]}}, "c.toml", env={})
    assert config.access.admins == (1, 2**52 - 1)


def test_database_url_with_a_bad_port_is_refused_before_use(tmp_path: Path) -> None:
    assert check_database_url("postgresql://u:pw@127.0.0.1:notaport/x") is not None
    assert check_database_url("postgresql://u:pw@127.0.0.1:5432/x") is None
    result = run_cli(tmp_path, "db", "upgrade", "--db", "postgresql://u:pw@127.0.0.1:notaport/x")
    assert result.returncode == 2 and "Traceback" not in result.stderr and "port" in result.stderr


async def _reach(fake: FakeBotApi, sqlite_url: str, attempts: int) -> tuple[list[float], StartupError | None]:
    config = make_config(sqlite_url, telegram={"token": fake.token, "api_base_url": fake.base_url})
    app = build_application(config)
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    try:
        await reach_bot_api(app, attempts=attempts, first_wait=1, where=fake.base_url, sleep=sleep)
    except StartupError as exc:
        return waits, exc
    finally:
        await release(app)
    return waits, None


async def test_bot_api_attempts_wait_1_2_4_seconds_then_give_up(fake: FakeBotApi, sqlite_url: str) -> None:
    fake.drop_connection_next("getMe", times=4)
    waits, error = await _reach(fake, sqlite_url, attempts=4)
    assert waits == [1, 2, 4] and len(fake.calls("getMe")) == 4
    assert error is not None and error.exit_code == 1 and "4회 시도" in str(error)


async def test_flood_wait_at_start_is_waited_out(fake: FakeBotApi, sqlite_url: str) -> None:
    fake.fail_next("getMe", error_code=429, retry_after=3)
    waits, error = await _reach(fake, sqlite_url, attempts=2)
    assert error is None and waits == [3] and [c.error_code for c in fake.calls("getMe")] == [429, None]
