"""`secretariat-bot backup` and `restore`: round trips on SQLite and PostgreSQL, a backup taken while the bot
writes, refusals that change nothing, and a missing pg_dump."""

from __future__ import annotations

import asyncio
import re
import sqlite3
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import REPORT_NOW, postgres_url, reset_postgres
from helpers import run_cli
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from bot.backup import BackupError, backup_sqlite, restore_sqlite, sqlite_contents
from bot.database import migrate_and_seed
from bot.pg_backup import _connection, restore_postgres
from storage import budget as store
from storage import reminders
from storage.db import make_engine, make_sessionmaker
from storage.models import Base, SpendingEntry

cli = run_cli
NOW = datetime(2026, 12, 5, 15, 30)


async def _snapshot(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (and the migration revision), in primary-key order."""
    engine = make_engine(url)
    try:
        async with engine.connect() as conn:
            rows = {table.name: [tuple(row) for row in await conn.execute(
                        select(table).order_by(*table.primary_key.columns))]
                    for table in Base.metadata.sorted_tables}
            rows["alembic_version"] = [tuple(r) for r in await conn.execute(text("SELECT * FROM alembic_version"))]
    finally:
        await engine.dispose()
    return rows


async def _add_entry_and_reminder(url: str, purpose: str) -> None:
    engine = make_engine(url)
    try:
        async with make_sessionmaker(engine).begin() as session:
            line = (await store.lines(session, 2018))[0]
            field = (await store.fields(session, 2018))[0]
            await store.add_entry(session, store.EntryDraft(date(2018, 7, 19), 120_000, line.id, field.id, purpose),
                                  2018, REPORT_NOW, 111)
            await reminders.add_all(session, [reminders.new(kind="personal", text=f"{purpose} 영수증 제출",
                                                            due_at=REPORT_NOW + timedelta(days=1), now=REPORT_NOW,
                                                            recipient_id=111)])
    finally:
        await engine.dispose()


async def _change_everything(url: str) -> None:
    """After the backup: one more entry, the first reminder gone, a fact edited."""
    await _add_entry_and_reminder(url, "백업 뒤 집행")
    engine = make_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.execute(text("DELETE FROM reminders WHERE id = (SELECT min(id) FROM reminders)"))
            await conn.execute(text("UPDATE facts SET answer = '바뀜'"))
    finally:
        await engine.dispose()


def _round_trip(tmp_path: Path, url: str, out: Path) -> None:
    asyncio.run(migrate_and_seed(url))
    asyncio.run(_add_entry_and_reminder(url, "간담회 다과"))
    before = asyncio.run(_snapshot(url))

    saved = cli(tmp_path, "backup", "--db", url, "--out", str(out))
    assert saved.returncode == 0, saved.stderr
    assert "백업했습니다" in saved.stdout and str(out) in saved.stdout
    assert "업무추진비 집행 1건" in saved.stdout and "알림 1건" in saved.stdout

    asyncio.run(_change_everything(url))
    assert asyncio.run(_snapshot(url)) != before

    restored = cli(tmp_path, "restore", "--db", url, str(out))
    assert restored.returncode == 0, restored.stderr
    assert "복원했습니다" in restored.stdout and "업무추진비 집행 1건" in restored.stdout
    assert asyncio.run(_snapshot(url)) == before


def test_sqlite_round_trip_brings_the_data_back_exactly(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'live.db'}"
    _round_trip(tmp_path, url, tmp_path / "backups" / "nightly.db")
    kept = list(tmp_path.glob("live.db.before-restore-*"))
    assert len(kept) == 1  # the replaced database is kept, with the post-backup changes in it
    assert sqlite_contents(kept[0]).counts["spending_entries"] == 2


def test_postgres_round_trip_brings_the_data_back_exactly(tmp_path: Path) -> None:
    url = postgres_url()
    asyncio.run(reset_postgres(url))
    _round_trip(tmp_path, url, tmp_path / "nightly.dump")


def test_default_file_name_has_a_timestamp(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'live.db'}"
    asyncio.run(migrate_and_seed(url))
    result = cli(tmp_path, "backup", "--db", url)
    assert result.returncode == 0, result.stderr
    written = [p.name for p in tmp_path.iterdir() if re.fullmatch(r"secretariat-\d{8}-\d{4}\.db", p.name)]
    assert len(written) == 1 and written[0] in result.stdout
    assert (tmp_path / written[0]).read_bytes()[:16] == b"SQLite format 3\x00"
    assert not list(tmp_path.glob("secretariat-*-wal"))  # a single self-contained file


def test_out_folder_gets_the_dated_name(tmp_path: Path) -> None:
    """`--out DIR` (the nightly unit's form, deploy/systemd): the default dated name inside that folder."""
    url = f"sqlite:///{tmp_path / 'live.db'}"
    asyncio.run(migrate_and_seed(url))
    folder = tmp_path / "backups"
    folder.mkdir()
    result = cli(tmp_path, "backup", "--db", url, "--out", str(folder))
    assert result.returncode == 0, result.stderr
    (written,) = folder.iterdir()
    assert re.fullmatch(r"secretariat-\d{8}-\d{4}\.db", written.name) and str(written) in result.stdout
    assert written.read_bytes()[:16] == b"SQLite format 3\x00"


async def _write_while_backing_up(url: str, backups: list[Path]) -> None:
    engine = make_engine(url)
    stop = asyncio.Event()

    async def writer() -> int:
        written = 0
        maker = make_sessionmaker(engine)
        while not stop.is_set():
            async with maker.begin() as session:
                line = (await store.lines(session, 2018))[0]
                field = (await store.fields(session, 2018))[0]
                await store.add_entry(session, store.EntryDraft(date(2018, 7, 1), 1_000 + written, line.id,
                                                                field.id, f"동시 기록 {written}"), 2018, REPORT_NOW, 1)
            written += 1
            await asyncio.sleep(0)
        return written

    task = asyncio.create_task(writer())
    try:
        for path in backups:
            await asyncio.sleep(0.05)
            await asyncio.to_thread(backup_sqlite, url, path)
    finally:
        stop.set()
        assert await task > 0
        await engine.dispose()


def _ledger_agrees(path: Path) -> tuple[int, int]:
    """Entries and their total in a backup file, after checking the daily totals match them (one snapshot)."""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        count, total = conn.execute("SELECT count(*), coalesce(sum(amount_won), 0) FROM spending_entries").fetchone()
        daily = conn.execute("SELECT coalesce(sum(amount_won), 0) FROM spending_daily").fetchone()[0]
    assert daily == total
    return int(count), int(total)


def test_sqlite_backup_while_the_bot_writes_is_consistent(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'live.db'}"
    asyncio.run(migrate_and_seed(url))
    backups = [tmp_path / f"b{i}.db" for i in range(4)]
    asyncio.run(_write_while_backing_up(url, backups))
    counts = [_ledger_agrees(path)[0] for path in backups]
    assert counts == sorted(counts) and counts[0] > 0 and counts[-1] > counts[0]  # taken while rows were added


def _unchanged(url: str, before: dict[str, list[tuple[Any, ...]]], tmp_path: Path) -> None:
    assert asyncio.run(_snapshot(url)) == before
    assert not list(tmp_path.glob("*.before-restore-*")) and not list(tmp_path.glob(".*restoring"))


def test_wrong_files_are_refused_and_nothing_changes(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'live.db'}"
    asyncio.run(migrate_and_seed(url))
    before = asyncio.run(_snapshot(url))
    text_file = tmp_path / "notes.db"
    text_file.write_text("회의록", encoding="utf-8")
    foreign = tmp_path / "other.db"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE t (x)")
    conn.close()
    torn = tmp_path / "torn.db"
    torn.write_bytes(b"SQLite format 3\x00" + b"\x00" * 84)
    dump = tmp_path / "x.dump"
    dump.write_bytes(b"PGDMP\x01\x0e\x00garbage")
    expected = {text_file: "백업 파일이 아닙니다", foreign: "비서실봇 데이터베이스가 아닙니다",
                torn: "SQLite", dump: "PostgreSQL(pg_dump) 백업인데", tmp_path / "missing.db": "백업 파일이 없습니다"}
    for path, words in expected.items():
        result = cli(tmp_path, "restore", "--db", url, str(path))
        assert result.returncode == 1, (path, result.stdout)
        assert words in result.stderr and "Traceback" not in result.stderr, (path, result.stderr)
        _unchanged(url, before, tmp_path)


def test_postgres_refuses_a_file_that_is_not_its_backup(tmp_path: Path) -> None:
    url = postgres_url()
    asyncio.run(reset_postgres(url))
    asyncio.run(migrate_and_seed(url))
    before = asyncio.run(_snapshot(url))
    sqlite_file = tmp_path / "x.db"
    asyncio.run(migrate_and_seed(f"sqlite:///{sqlite_file}"))
    garbage = tmp_path / "x.dump"
    garbage.write_bytes(b"PGDMP\x01\x0e\x00garbage")
    for path, words in {sqlite_file: "SQLite 백업인데", garbage: "pg_dump 파일이 아니거나 손상됨"}.items():
        result = cli(tmp_path, "restore", "--db", url, str(path))
        assert result.returncode == 1 and words in result.stderr, result.stderr
        assert asyncio.run(_snapshot(url)) == before


def test_restore_refuses_while_the_bot_has_the_database_open(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'live.db'}"
    asyncio.run(migrate_and_seed(url))
    backup_sqlite(url, tmp_path / "b.db")
    asyncio.run(_add_entry_and_reminder(url, "뒤에 쓴 것"))
    before = asyncio.run(_snapshot(url))

    async def restore_with_a_connection_open() -> None:
        engine = make_engine(url)  # the running bot: its pool keeps a connection open between updates
        try:
            async with make_sessionmaker(engine)() as session:
                assert await session.scalar(select(func.count()).select_from(SpendingEntry)) == 1
            with pytest.raises(BackupError, match="봇을 멈춘 뒤"):
                await asyncio.to_thread(restore_sqlite, url, tmp_path / "b.db", NOW)
        finally:
            await engine.dispose()

    asyncio.run(restore_with_a_connection_open())
    _unchanged(url, before, tmp_path)
    restore_sqlite(url, tmp_path / "b.db", NOW)  # stopped: it goes ahead
    assert sqlite_contents(tmp_path / "live.db").counts["spending_entries"] == 0


def test_missing_pg_dump_is_one_clear_line_and_exit_1(tmp_path: Path) -> None:
    url = "postgresql://postgres:s3cret-pw@127.0.0.1:5432/nowhere"
    empty_bin = tmp_path / "bin"
    empty_bin.mkdir()
    for command in (["backup", "--db", url], ["restore", "--db", url, str(_pg_archive(tmp_path))]):
        result = cli(tmp_path, *command, env={"PATH": str(empty_bin)})
        assert result.returncode == 1, result.stderr
        assert "설치되어 있지 않아" in result.stderr and "pg_" in result.stderr
        assert "Traceback" not in result.stderr and "s3cret-pw" not in result.stdout + result.stderr
    assert not list(tmp_path.glob("secretariat-*"))


def _pg_archive(tmp_path: Path) -> Path:
    path = tmp_path / "a.dump"
    path.write_bytes(b"PGDMP\x01\x0e\x00")
    return path


def test_the_password_goes_to_pg_dump_by_environment_only(tmp_path: Path) -> None:
    args, env = _connection("postgresql://bot:p%40ss@db.local:6543/secretariat?sslmode=require")
    assert args == ["-h", "db.local", "-p", "6543", "-U", "bot", "-d", "secretariat"]
    assert env["PGPASSWORD"] == "p@ss" and env["PGSSLMODE"] == "require"


def test_postgres_backup_never_prints_the_password(tmp_path: Path) -> None:
    url = postgres_url()
    asyncio.run(reset_postgres(url))
    asyncio.run(migrate_and_seed(url))
    # trust auth: the password is accepted and ignored
    with_password = make_url(url).set(password="s3cret-pw").render_as_string(hide_password=False)
    result = cli(tmp_path, "backup", "--db", with_password)
    assert result.returncode == 0, result.stderr
    assert "s3cret-pw" not in result.stdout + result.stderr and "[REDACTED]" in result.stdout
    assert len(list(tmp_path.glob("secretariat-*.dump"))) == 1



def test_postgres_restore_refuses_while_the_bot_is_connected(tmp_path: Path) -> None:
    url = postgres_url()
    asyncio.run(reset_postgres(url))
    asyncio.run(migrate_and_seed(url))
    assert cli(tmp_path, "backup", "--db", url, "--out", "b.dump").returncode == 0
    asyncio.run(_add_entry_and_reminder(url, "뒤에 쓴 것"))
    before = asyncio.run(_snapshot(url))

    async def restore_with_a_connection_open() -> None:
        engine = make_engine(url)  # the running bot's pool
        try:
            async with engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
                with pytest.raises(BackupError, match="봇을 멈춘 뒤"):
                    await asyncio.to_thread(restore_postgres, url, tmp_path / "b.dump")
        finally:
            await engine.dispose()

    asyncio.run(restore_with_a_connection_open())
    assert asyncio.run(_snapshot(url)) == before
