"""The `secretariat-bot` command: run, chat, seed, db upgrade, parse-date."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from bot.app import build_application
from bot.clock import OFFSET_ENV, SEOUL, Clock, clock_from_env
from bot.config import (
    DEFAULT_DATABASE_URL,
    Config,
    ConfigError,
    check_database_url,
    database_secrets,
    load_config,
)
from bot.database import migrate, migrate_and_seed
from bot.lang.parse_date_cli import parse_now
from bot.logs import redact, setup_logging
from bot.startup import DATABASE_ERRORS, StartupError, describe

DEMO_DATABASE = "sqlite:///data/demo.db"
DEMO_NOW = datetime(2018, 7, 20, 10, 0, tzinfo=SEOUL)
CONSOLE_FILES = Path("data/console-files")

log = logging.getLogger("bot")


class UsageError(Exception):
    """A bad command-line value, worded for one line."""


def _parse_now(raw: str | None) -> datetime | None:
    if raw is None:
        return None
    try:
        return parse_now(raw)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def _config(args: argparse.Namespace) -> Config:
    return load_config(getattr(args, "config", None))


def cmd_run(args: argparse.Namespace) -> int:
    from bot.web import serve  # the HTTP server's libraries are for `run` alone

    config = _config(args)
    config.require_token()
    setup_logging(secrets=config.secrets(), level=logging.getLevelName(config.logging.level),
                  json_lines=config.logging.format == "json")
    try:
        clock = clock_from_env(config.schedule.tz, os.environ)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if clock.shifted:
        log.warning("Clock shifted by %s: now is %s", OFFSET_ENV, clock.now().isoformat())
    app = build_application(config, clock=clock)
    # serve() checks the Bot API and the database first (bot/startup.py): a failure is one line, not a traceback.
    asyncio.run(serve(app, config))
    return 0


def cmd_chat(args: argparse.Namespace) -> int:
    from bot.console import describe_clock, run_console

    config = _config(args)
    setup_logging(secrets=_secrets(args), level=logging.WARNING)
    start = _parse_now(args.now)
    if args.db:
        url = args.db
        asyncio.run(migrate(url))
        where = f"DB {redact(url)} (있는 그대로, 마이그레이션만)"
        clock = Clock(config.schedule.tz, start)
    else:
        url = DEMO_DATABASE
        asyncio.run(migrate_and_seed(url, demo=True))
        where = "데모 DB data/demo.db (2018.7 주요업무 보고 자료)"
        clock = Clock(config.schedule.tz, start or DEMO_NOW)
    who = f"사용자 ID {args.user}" if args.user else "로컬 관리자"
    banner = (
        f"비서실봇 콘솔 대화 — {where}, 시계 {describe_clock(clock, clock.now())}, {who}. "
        "버튼은 #번호, 끝내려면 Ctrl+D."
    )
    return asyncio.run(
        run_console(config, database_url=url, clock=clock, user_id=args.user, banner=banner,
                    stdin=sys.stdin, stdout=sys.stdout, files_dir=CONSOLE_FILES)
    )


def _db_option(raw: str) -> str:
    problem = check_database_url(raw)
    if problem:
        raise argparse.ArgumentTypeError(problem)
    return raw


def _database_url(args: argparse.Namespace) -> str:
    return str(args.db) if args.db else _config(args).database.url


def _unconfigured(config: Config) -> bool:
    """No config file and no DATABASE_URL: the command falls back to the demo database (as `chat` does)."""
    return config.source == "(defaults)" and config.database.url == DEFAULT_DATABASE_URL


def cmd_seed(args: argparse.Namespace) -> int:
    url = _database_url(args)
    counts = asyncio.run(migrate_and_seed(url))
    summary = ", ".join(f"{name} {count}" for name, count in counts.items())
    print(f"보고서 자료를 불러왔습니다 ({summary}).")
    return 0


def cmd_db(args: argparse.Namespace) -> int:
    asyncio.run(migrate(_database_url(args)))
    print("데이터베이스를 최신 구조로 올렸습니다.")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from bot import sheets_cli

    path = Path(args.file)
    if not path.is_file():
        raise UsageError(f"파일이 없습니다: {path}")
    config = _config(args)
    if refusal := sheets_cli.size_refusal(path.stat().st_size, config):  # before a byte is read
        print(refusal)
        return 1
    url, data = _database_url(args), path.read_bytes()
    if args.kind == "budget":
        job = sheets_cli.import_budget(url, data, path.name, config, approve=args.approve_overdraw)
    else:
        importer = {"pledges": sheets_cli.import_pledges, "council": sheets_cli.import_council,
                    "facts": sheets_cli.import_facts}[args.kind]
        job = importer(url, data, path.name, config)
    message, ok = asyncio.run(job)
    print(message)
    return 0 if ok else 1


DEFAULT_EXPORTS = {
    "budget": "업무추진비.xlsx", "pledges": "공약_현황.xlsx", "pledges-template": "공약_가져오기_양식.xlsx",
    "visits": "현장방문.xlsx", "meetings": "간담회_면담.xlsx",
}


def cmd_export(args: argparse.Namespace) -> int:
    from bot import sheets_cli

    out = Path(args.out or DEFAULT_EXPORTS[args.kind])
    try:
        start = date.fromisoformat(args.start) if args.start else None
        end = date.fromisoformat(args.end) if args.end else None
    except ValueError:
        raise UsageError("--from/--to: 날짜는 YYYY-MM-DD 형식으로 주세요 (예: 2018-07-01)") from None
    data, message = asyncio.run(sheets_cli.export(args.kind, _database_url(args), _config(args), start, end))
    out.write_bytes(data)
    print(f"{message} → {out}")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from bot import report_cli
    from bot.report import file_name

    config = _config(args)
    demo = not args.db and _unconfigured(config)
    today = DEMO_NOW.date() if demo else datetime.now(config.schedule.tz).date()
    as_of = report_cli.read_as_of(args.as_of, today)
    if isinstance(as_of, str):
        raise UsageError(as_of)
    if demo:  # nothing configured: the report of the demo database, as `chat` shows it (its clock's day)
        asyncio.run(migrate_and_seed(DEMO_DATABASE, demo=True))
        print("설정된 데이터베이스가 없어 데모 DB data/demo.db (2018.7 주요업무 보고 자료)로 작성합니다.")
    report = asyncio.run(report_cli.build(DEMO_DATABASE if demo else _database_url(args), as_of, config))
    out = Path(args.out or file_name(report, args.format))
    out.write_bytes(report_cli.write(report, args.format))
    print(f"주요업무 보고 ({as_of.year}.{as_of.month}.{as_of.day}. 기준, {args.format.upper()}) → {out}")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from bot import backup_cli

    out = Path(args.out) if args.out else None
    return _report(args, lambda url: backup_cli.backup(url, out, datetime.now())[0])


def cmd_restore(args: argparse.Namespace) -> int:
    from bot import backup_cli

    return _report(args, lambda url: backup_cli.restore(url, Path(args.file), datetime.now()))


def _report(args: argparse.Namespace, job: Callable[[str], str]) -> int:
    """Run a backup or restore on the database; its message on stdout (0), or its refusal on stderr (1)."""
    from bot.backup import BackupError

    try:
        print(job(_database_url(args)))
    except BackupError as exc:
        print(redact(str(exc), _secrets(args)), file=sys.stderr)
        return 1
    return 0


CONFIG_HELP = "config file (default: $SECRETARIAT_BOT_CONFIG, else ./config.toml if present)"
DB_HELP = "database URL (default: database.url from the config)"


def _command(sub: Any, name: str, help_text: str, func: Any, db_help: str | None = DB_HELP) -> argparse.ArgumentParser:
    """A subcommand with the options they all share: --config, and --db where a database is used."""
    command: argparse.ArgumentParser = sub.add_parser(name, help=help_text)
    command.add_argument("--config", help=CONFIG_HELP)
    if db_help:
        command.add_argument("--db", type=_db_option, help=db_help)
    command.set_defaults(func=func)
    return command


def build_parser() -> argparse.ArgumentParser:
    """The command line (tests/test_deploy_systemd.py parses the systemd units' command lines with it)."""
    parser = argparse.ArgumentParser(prog="secretariat-bot", description="비서실봇 (Secretariat Bot)")
    sub = parser.add_subparsers(dest="command", required=True)
    _command(sub, "run", "run the Telegram bot (polling or webhook)", cmd_run, db_help=None)
    chat = _command(sub, "chat", "talk to the bot in this terminal (no Telegram needed)", cmd_chat,
                    db_help="database URL (default: the demo database seeded from the report)")
    chat.add_argument("--user", type=int, help="act as this roster member's Telegram id")
    chat.add_argument("--now", help="start the clock at this ISO 8601 instant")
    _command(sub, "seed", "load the report's data (idempotent)", cmd_seed)
    db_sub = sub.add_parser("db", help="database maintenance").add_subparsers(dest="db_command", required=True)
    _command(db_sub, "upgrade", "apply the migrations", cmd_db)
    importer = _command(sub, "import", "import a spreadsheet (all rows checked first; all or nothing)", cmd_import)
    importer.add_argument("kind", choices=["budget", "pledges", "council", "facts"], help="what the file holds")
    importer.add_argument("file", help="an .xlsx or .csv file")
    importer.add_argument("--approve-overdraw", action="store_true",
                          help="budget: approve rows above a line's balance or budget.max_entry_won (as an admin)")
    exporter = _command(sub, "export", "export to a spreadsheet", cmd_export)
    exporter.add_argument("kind", choices=list(DEFAULT_EXPORTS), help="what to export")
    exporter.add_argument("--out", help="the .xlsx file to write")
    exporter.add_argument("--from", dest="start", help="visits/meetings: first day (YYYY-MM-DD; default Jan 1)")
    exporter.add_argument("--to", dest="end", help="visits/meetings: last day (YYYY-MM-DD; default: all)")
    report = _command(sub, "report", "write the office's work report (주요업무 보고) from the database", cmd_report,
                      db_help="database URL (default: the configured one; with no config file and no DATABASE_URL, "
                              "the demo database seeded from the report)")
    report.add_argument("--as-of", dest="as_of",
                        help="the report's date (YYYY-MM-DD; default: today, or 2018-07-20 on the demo database)")
    report.add_argument("--format", choices=["pdf", "xlsx", "hwpx"], default="pdf", help="file format (default: pdf)")
    report.add_argument("--out", help="the file to write (default: 주요업무보고_YYYY-MM-DD.<format>)")
    backup = _command(sub, "backup", "back the database up (SQLite: online backup API; PostgreSQL: pg_dump -Fc)",
                      cmd_backup)
    backup.add_argument("--out", help="the file to write, or a folder to write the default name in "
                                      "(default: secretariat-YYYYMMDD-HHMM.db or .dump here)")
    restore = _command(sub, "restore", "replace the database with a backup (stop the bot first)", cmd_restore)
    restore.add_argument("file", help="a file written by `secretariat-bot backup`")
    # Listed for --help only: main() hands "parse-date ..." to bot.lang.parse_date_cli before argparse runs.
    sub.add_parser("parse-date", help="parse Korean date expressions to JSON ([--now ISO] [--past] [--stdin] TEXT…)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["parse-date"]:  # its options may come first: hand everything over untouched
        from bot.lang.parse_date_cli import main as parse_date_main

        return parse_date_main(argv[1:])
    args = build_parser().parse_args(argv)
    try:
        code: int = args.func(args)
    except ConfigError as exc:
        print(redact(f"설정 오류 — {exc}", _secrets(args)), file=sys.stderr)
        return 2
    except UsageError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except StartupError as exc:
        print(redact(str(exc), _secrets(args)), file=sys.stderr)
        return exc.exit_code
    except DATABASE_ERRORS as exc:
        print(redact(f"데이터베이스 오류 — {describe(exc)}", _secrets(args)), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return code


def _secrets(args: argparse.Namespace) -> tuple[str, ...]:
    """What an error line must not show: the --db URL's password and the config's secrets, if it loads."""
    found = list(database_secrets(args.db)) if getattr(args, "db", None) else []
    with contextlib.suppress(ConfigError):
        found.extend(_config(args).secrets())
    return tuple(found)


if __name__ == "__main__":
    sys.exit(main())
