"""The systemd units of README "운영" (deploy/systemd/): each parses (and passes `systemd-analyze verify` where it
is installed), every command line they run is one the real CLI accepts, the replicas are the ports of the nginx
example's upstream and get their port from the unit, the replicas need the migrations first, the hardening is
there, the nightly backup keeps 14 days, and no secret is written in a unit."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.cli import build_parser, cmd_backup, cmd_db, cmd_run
from bot.config import load_config

ROOT = Path(__file__).resolve().parent.parent
UNITS = ROOT / "deploy" / "systemd"
NGINX = ROOT / "deploy" / "nginx-secretariat-bot.conf"
README = ROOT / "README.md"
EXECUTABLE = "/opt/secretariat-bot/.venv/bin/secretariat-bot"
BACKUPS = "/var/backups/secretariat-bot"
SERVICES = ("secretariat-bot@.service", "secretariat-bot-migrate.service", "secretariat-bot-backup.service")
HARDENING = {"NoNewPrivileges": "yes", "ProtectSystem": "strict", "PrivateTmp": "yes", "ProtectHome": "yes",
             "User": "secretariat-bot"}
KEEP_DAYS = 14

Unit = dict[str, list[tuple[str, str]]]


def parse_unit(text: str) -> Unit:
    """A unit file as systemd reads it: [Section] headers, Key=Value lines (a key may repeat), comments (# ;),
    a trailing backslash continuing the line. Anything else is an error."""
    sections: Unit = {}
    current: list[tuple[str, str]] | None = None
    pending = ""
    for number, raw in enumerate(text.splitlines(), 1):
        line = pending + raw.strip()
        pending = ""
        if not line or line[0] in "#;":
            continue
        if line.endswith("\\"):
            pending = line[:-1] + " "
            continue
        if header := re.fullmatch(r"\[([A-Za-z]+)\]", line):
            assert header[1] not in sections, f"line {number}: section [{header[1]}] twice"
            current = sections.setdefault(header[1], [])
            continue
        entry = re.fullmatch(r"([A-Za-z][A-Za-z0-9]*)\s*=\s*(.*)", line)
        assert entry and current is not None, f"line {number}: not a Key=Value line in a section: {raw!r}"
        current.append((entry[1], entry[2]))
    assert not pending, "the last line continues into nothing"
    return sections


def unit(name: str) -> Unit:
    return parse_unit((UNITS / name).read_text(encoding="utf-8"))


def values(parsed: Unit, section: str, key: str) -> list[str]:
    return [value for found, value in parsed.get(section, []) if found == key]


def one(parsed: Unit, section: str, key: str) -> str:
    (value,) = values(parsed, section, key)
    return value


def command(line: str, instance: str = "8001") -> list[str]:
    """An Exec line's argv as systemd splits it: its prefixes (-, @, +, !) off, %i the instance, %% a %."""
    argv = shlex.split(line.lstrip("-@+!:|"))
    return [arg.replace("%i", instance).replace("%%", "%") for arg in argv]


def environment(parsed: Unit, instance: str = "8001") -> dict[str, str]:
    env: dict[str, str] = {}
    for line in values(parsed, "Service", "Environment"):
        for assignment in shlex.split(line):
            key, _, value = assignment.partition("=")
            env[key] = value.replace("%i", instance)
    return env


def upstream_ports() -> list[int]:
    block = re.search(r"upstream secretariat_bot \{(.*?)\}", NGINX.read_text(encoding="utf-8"), re.S)
    assert block, "the nginx example has no upstream secretariat_bot"
    return [int(port) for port in re.findall(r"^\s*server 127\.0\.0\.1:(\d+)", block[1], re.M)]


def replica_ports() -> list[int]:
    wanted = " ".join(values(unit("secretariat-bot.target"), "Unit", "Wants")).split()
    ports = []
    for name in wanted:
        found = re.fullmatch(r"secretariat-bot@(\d+)\.service", name)
        assert found, f"the target wants {name}, not a replica"
        ports.append(int(found[1]))
    return ports


def test_every_unit_parses() -> None:
    names = sorted(p.name for p in UNITS.iterdir())
    assert names == sorted([*SERVICES, "secretariat-bot-backup.timer", "secretariat-bot.target"])
    for name in names:
        parsed = unit(name)
        assert values(parsed, "Unit", "Description"), name
        if name.endswith(".service"):
            assert len(values(parsed, "Service", "ExecStart")) == 1, name


def test_systemd_analyze_verify(tmp_path: Path) -> None:
    """systemd's own check, with the CLI's path pointed at this checkout's installed script (verify refuses a
    command that does not exist)."""
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed: the units are checked by the parser above only")
    script = Path(sys.executable).with_name("secretariat-bot")
    assert script.exists(), "the venv has no secretariat-bot script (pip install -e .)"
    for path in UNITS.iterdir():
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8").replace(EXECUTABLE, str(script)),
                                          encoding="utf-8")
    targets = [str(tmp_path / name) for name in sorted(os.listdir(tmp_path)) if "@." not in name]
    targets += [str(tmp_path / f"secretariat-bot@{port}.service") for port in replica_ports()]
    result = subprocess.run([analyze, "verify", "--man=no", *targets], capture_output=True, text=True, cwd=tmp_path,
                            env={**os.environ, "SYSTEMD_LOG_LEVEL": "notice"}, timeout=60)
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr


def test_the_timer_fires_nightly() -> None:
    timer = unit("secretariat-bot-backup.timer")
    assert one(timer, "Timer", "Unit") == "secretariat-bot-backup.service"
    assert one(timer, "Timer", "Persistent") == "true"
    calendar = one(timer, "Timer", "OnCalendar")
    assert re.fullmatch(r"\*-\*-\* 0[0-5]:\d\d:00 Asia/Seoul", calendar), calendar  # nightly, Seoul time
    if analyze := shutil.which("systemd-analyze"):
        checked = subprocess.run([analyze, "calendar", calendar], capture_output=True, text=True, timeout=30)
        assert checked.returncode == 0, checked.stderr


@pytest.mark.parametrize(("name", "func", "words"), [
    ("secretariat-bot@.service", cmd_run, ["run"]),
    ("secretariat-bot-migrate.service", cmd_db, ["db", "upgrade"]),
    ("secretariat-bot-backup.service", cmd_backup, ["backup"]),
])
def test_exec_start_is_a_command_line_the_cli_accepts(name: str, func: object, words: list[str]) -> None:
    parsed = unit(name)
    argv = command(one(parsed, "Service", "ExecStart"))
    assert argv[0] == EXECUTABLE
    args = build_parser().parse_args(argv[1:])  # exits (SystemExit) on a line the CLI refuses
    assert args.func is func and argv[1:1 + len(words)] == words
    config = environment(parsed)["SECRETARIAT_BOT_CONFIG"]
    assert args.config == config == "/etc/secretariat-bot/config.toml"
    assert values(parsed, "Service", "EnvironmentFile") == ["/etc/secretariat-bot/secrets.env"]


def test_replicas_are_the_nginx_upstreams_and_take_their_port_from_the_instance(tmp_path: Path) -> None:
    ports = upstream_ports()
    assert len(ports) >= 2 and replica_ports() == ports
    replica = unit("secretariat-bot@.service")
    config = tmp_path / "config.toml"
    config.write_text('[telegram]\nmode = "webhook"\n[webhook]\nport = 9999\n', encoding="utf-8")
    for port in ports:
        env = {**environment(replica, str(port)), "SECRETARIAT_BOT_CONFIG": str(config)}
        assert load_config(env=env).webhook.port == port  # the unit's port wins over the shared file's
    section = README.read_text(encoding="utf-8").split("\n## 운영\n", 1)[1].split("\n## ", 1)[0]
    for port in ports:  # the README's scrape targets are the same replicas
        assert f"127.0.0.1:{port}" in section


def test_replicas_need_the_migrations_first() -> None:
    replica = unit("secretariat-bot@.service")
    for key in ("Requires", "After"):
        assert "secretariat-bot-migrate.service" in " ".join(values(replica, "Unit", key)).split()
    assert one(unit("secretariat-bot-migrate.service"), "Service", "Type") == "oneshot"
    assert one(replica, "Service", "KillMode") == "mixed"  # SIGTERM to the bot; it stops its own workers


@pytest.mark.parametrize("name", SERVICES)
def test_services_are_hardened(name: str) -> None:
    service = unit(name)
    for key, expected in HARDENING.items():
        assert one(service, "Service", key) == expected, (name, key)
    writable = " ".join(values(service, "Service", "ReadWritePaths")).split()
    assert writable and all(path.startswith("/var/") for path in writable), writable
    assert one(service, "Service", "WorkingDirectory") in writable


def test_no_secret_in_any_unit() -> None:
    token = re.compile(r"\d{5,}:[A-Za-z0-9_-]{20,}")  # a bot token's shape
    for path in UNITS.iterdir():
        text = path.read_text(encoding="utf-8")
        assert not token.search(text), path.name
        parsed = parse_unit(text)
        for key, value in parsed.get("Service", []):
            if key == "Environment":
                names = {assignment.partition("=")[0] for assignment in shlex.split(value)}
                assert not names & {"SECRETARIAT_BOT_TOKEN", "DATABASE_URL"}, (path.name, names)
            assert not re.search(r"://[^/\s:@]+:[^/\s@]+@", value), (path.name, key)  # a URL with a password


def test_backup_writes_a_dated_file_and_keeps_fourteen_days(tmp_path: Path) -> None:
    backup = unit("secretariat-bot-backup.service")
    argv = command(one(backup, "Service", "ExecStart"))
    args = build_parser().parse_args(argv[1:])
    assert args.out == BACKUPS and BACKUPS in " ".join(values(backup, "Service", "ReadWritePaths"))
    (prune,) = values(backup, "Service", "ExecStartPost")  # after a backup that succeeded only
    find = shutil.which("find")
    if find is None:
        pytest.skip("find is not installed")
    day = 86_400
    ages = {"secretariat-20261205-0315.dump": 0.1, "secretariat-20261122-0315.dump": KEEP_DAYS - 0.5,
            "secretariat-20261120-0315.dump": KEEP_DAYS + 0.5, "secretariat-20261001-0315.dump": 60,
            "secretariat-20261001-0315.db": 60, "notes.txt": 60}
    for name, days in ages.items():
        path = tmp_path / name
        path.write_bytes(b"x")
        old = time.time() - days * day
        os.utime(path, (old, old))
    argv = command(prune)
    assert argv[0] == "/usr/bin/find" and argv[1] == BACKUPS
    subprocess.run([find, str(tmp_path), *argv[2:]], check=True, timeout=30)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["secretariat-20261205-0315.dump", "secretariat-20261122-0315.dump", "secretariat-20261001-0315.db",
         "notes.txt"])
    section = README.read_text(encoding="utf-8").split("\n## 운영\n", 1)[1].split("\n## ", 1)[0]
    assert f"{KEEP_DAYS} days" in section
