"""Config: typed, frozen, validated; one-line errors with exit code 2; the token never shows."""

from __future__ import annotations

import dataclasses
import logging
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import run_cli

from bot.config import ConfigError, Secret, load_config, parse_config
from bot.logs import RedactingFormatter

EXAMPLE = Path(__file__).parent.parent / "config.example.toml"


def cli(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return run_cli(cwd, *args, env=env, timeout=60)


def test_example_file_loads_to_the_defaults() -> None:
    config = load_config(EXAMPLE, env={})
    assert config.schedule.timezone == "Asia/Seoul" and config.schedule.briefing_time == "08:30"
    assert config.telegram.mode == "polling" and config.database.url.startswith("sqlite:///data/")
    assert config == parse_config({}, "x", env={})


def test_every_example_key_has_a_comment() -> None:
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines):
        if "=" in line and not line.startswith("#"):
            assert lines[number - 1].startswith("#"), f"key without a comment: {line}"


def test_config_is_frozen() -> None:
    config = parse_config({}, "x", env={})
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.telegram.mode = "webhook"  # type: ignore[misc]


def test_environment_overrides_token_and_database() -> None:
    env = {"SECRETARIAT_BOT_TOKEN": "42:ENV", "DATABASE_URL": "postgresql://u@h/db"}
    config = parse_config({"telegram": {"token": "1:FILE"}}, "x", env=env)
    assert config.telegram.token.get() == "42:ENV" and config.database.url == "postgresql://u@h/db"


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ({"telegram": {"tokn": "x"}}, "telegram.tokn"),
        ({"telegarm": {}}, "telegarm"),
        ({"telegram": {"mode": "pull"}}, "telegram.mode"),
        ({"telegram": {"api_base_url": "localhost:8081"}}, "telegram.api_base_url"),
        ({"webhook": {"port": "8443"}}, "webhook.port"),
        ({"webhook": {"port": 70000}}, "webhook.port"),
        ({"webhook": {"secret_token": "has spaces"}}, "webhook.secret_token"),
        ({"access": {"admins": "111"}}, "access.admins"),
        ({"access": {"admins": [True]}}, "access.admins"),
        ({"access": {"allow_groups": "yes"}}, "access.allow_groups"),
        ({"schedule": {"timezone": "Mars/Base"}}, "schedule.timezone"),
        ({"schedule": {"briefing_time": "8:30am"}}, "schedule.briefing_time"),
        ({"report": {"monthly_time": "9시"}}, "report.monthly_time"),
        ({"report": {"monthly": "yes"}}, "report.monthly"),
        ({"report": {"staff_may_request": 1}}, "report.staff_may_request"),
        ({"report": {"monthly_day": 1}}, "report.monthly_day"),
        ({"database": {"url": "mysql://x"}}, "database.url"),
        ({"access": 3}, "access"),
    ],
)
def test_bad_values_name_the_key(raw: dict[str, object], key: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_config(raw, "my.toml", env={})
    assert info.value.key == key and str(info.value).startswith("my.toml: ")


def test_secret_never_prints() -> None:
    secret = Secret("123:ABC")
    assert "123:ABC" not in repr(secret) and "123:ABC" not in str(secret)
    config = parse_config({"telegram": {"token": "123:ABC"}}, "x", env={})
    assert "123:ABC" not in repr(config)


def test_log_formatter_redacts_tracebacks_too() -> None:
    formatter = RedactingFormatter(["123:ABC"])
    try:
        raise RuntimeError("GET https://api.telegram.org/bot123:ABC/getMe")
    except RuntimeError:
        record = logging.LogRecord("httpx", logging.ERROR, __file__, 1, "url %s", ("bot123:ABC",), sys.exc_info())
    output = formatter.format(record)
    assert "123:ABC" not in output and output.count("[REDACTED]") >= 2


def test_run_with_broken_config_prints_one_line_and_exits_2(tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text('[telegram]\ntoken = "1:X"\nmode = "polling"\n[access]\nadmins = "me"\n', encoding="utf-8")
    result = cli("run", "--config", str(broken), cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == "" and len(result.stderr.strip().splitlines()) == 1
    assert "broken.toml" in result.stderr and "access.admins" in result.stderr
    assert "Traceback" not in result.stderr


def test_run_with_toml_syntax_error_exits_2(tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text("[telegram\n", encoding="utf-8")
    result = cli("run", "--config", str(broken), cwd=tmp_path)
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1 and "broken.toml" in result.stderr


def test_run_without_token_names_the_key(tmp_path: Path) -> None:
    result = cli("run", cwd=tmp_path)
    assert result.returncode == 2 and "telegram.token" in result.stderr
    assert "SECRETARIAT_BOT_TOKEN" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_missing_config_file_exits_2(tmp_path: Path) -> None:
    result = cli("run", "--config", str(tmp_path / "nope.toml"), cwd=tmp_path)
    assert result.returncode == 2 and "nope.toml" in result.stderr


def test_config_from_environment_variable(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text("[webhook]\nport = 0\n", encoding="utf-8")
    result = cli("run", cwd=tmp_path, env={"SECRETARIAT_BOT_CONFIG": str(path)})
    assert result.returncode == 2 and "c.toml" in result.stderr and "webhook.port" in result.stderr


def test_webhook_mode_requires_url_and_secret(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text('[telegram]\ntoken = "1:X"\nmode = "webhook"\n', encoding="utf-8")
    result = cli("run", "--config", str(path), cwd=tmp_path)
    assert result.returncode == 2 and "webhook.url" in result.stderr


def test_each_replica_takes_its_port_from_the_environment() -> None:
    config = parse_config({"webhook": {"port": 8443}}, "x", env={"SECRETARIAT_BOT_WEBHOOK_PORT": "8002"})
    assert config.webhook.port == 8002
    for bad in ("80a", "0", "70000"):
        with pytest.raises(ConfigError, match="SECRETARIAT_BOT_WEBHOOK_PORT"):
            parse_config({}, "x", env={"SECRETARIAT_BOT_WEBHOOK_PORT": bad})
