"""`secretariat-bot backup` and `restore`: SQLite through its online backup API, PostgreSQL through pg_dump.

SQLite: a backup is a consistent copy taken while the bot runs (the backup API reads one snapshot; WAL readers
never block the bot's writers), written to a temporary file and renamed into place. A restore refuses while any
other connection has the database open (the bot must be stopped), checks the file first, copies it beside the
database, and renames it over the database in one step; the replaced file is kept next to it.
PostgreSQL: see bot/pg_backup.py. Every refusal is a BackupError with a Korean message and changes nothing."""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url

from storage.db import make_engine, normalize_url
from storage.migrate import alembic_config

SQLITE_HEADER = b"SQLite format 3\x00"
PG_ARCHIVE_HEADER = b"PGDMP"
BUSY_MS = 2000
# What a message says the file holds: table, Korean name.
SUMMARY_TABLES = (
    ("spending_entries", "업무추진비 집행"), ("reminders", "알림"), ("events", "일정"), ("visits", "현장방문"),
    ("meetings", "간담회·면담"), ("facts", "자료"), ("people", "직원"),
)


class BackupError(Exception):
    """A backup or restore that cannot go ahead, worded for one line; nothing was changed."""


@dataclass(frozen=True)
class Contents:
    revision: str | None
    counts: dict[str, int]

    def describe(self) -> str:
        counts = ", ".join(f"{name} {self.counts[table]}건" for table, name in SUMMARY_TABLES if table in self.counts)
        return f"{counts}; 스키마 {self.revision or '없음'}"


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def default_name(url: str, now: datetime) -> Path:
    """secretariat-20261205-1530.db (SQLite) or .dump (PostgreSQL), in the current folder."""
    return Path(f"secretariat-{now:%Y%m%d-%H%M}{'.db' if is_sqlite(url) else '.dump'}")


def file_kind(path: Path) -> str:
    """'sqlite' or 'postgresql' from the file's first bytes, or a BackupError naming what it is not."""
    if not path.is_file():
        raise BackupError(f"백업 파일이 없습니다: {path}")
    with path.open("rb") as handle:
        head = handle.read(len(SQLITE_HEADER))
    if head.startswith(SQLITE_HEADER):
        return "sqlite"
    if head.startswith(PG_ARCHIVE_HEADER):
        return "postgresql"
    raise BackupError(f"{path}: 비서실봇 백업 파일이 아닙니다 (SQLite 데이터베이스도, pg_dump 파일도 아님). "
                      "아무것도 바꾸지 않았습니다.")


def _count_sql(table: str) -> str:
    return f"SELECT count(*) FROM {table}"  # the names are SUMMARY_TABLES' constants


async def read_contents(url: str) -> Contents:
    """Row counts of the tables people care about, and the migration revision, of the database at `url`."""
    engine = make_engine(url)
    try:
        async with engine.connect() as conn:
            counts = {table: int(await conn.scalar(text(_count_sql(table))) or 0) for table, _ in SUMMARY_TABLES}
            revision = await conn.scalar(text("SELECT version_num FROM alembic_version"))
    finally:
        await engine.dispose()
    return Contents(revision, counts)


def sqlite_contents(path: Path) -> Contents:
    """read_contents of a SQLite file, opened read-only (the engine's pragmas would turn a backup into WAL)."""
    with _connect(path, read_only=True) as conn:
        counts = {table: int(conn.execute(_count_sql(table)).fetchone()[0]) for table, _ in SUMMARY_TABLES}
        revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    return Contents(revision[0] if revision else None, counts)


def sqlite_path(url: str) -> Path:
    database = normalize_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        raise BackupError(f"파일에 있는 SQLite 데이터베이스만 백업·복원할 수 있습니다: {database or '(빈 경로)'}")
    return Path(database).expanduser()


@contextlib.contextmanager
def _connect(path: Path, *, read_only: bool = False) -> Iterator[sqlite3.Connection]:
    target = f"file:{path}?mode=ro" if read_only else str(path)
    conn = sqlite3.connect(target, uri=read_only, timeout=BUSY_MS / 1000, isolation_level=None)
    try:
        yield conn
    finally:
        conn.close()


def _temp_beside(path: Path, suffix: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=suffix, dir=path.parent)
    os.close(handle)
    return Path(name)


def _copy_sqlite(source: sqlite3.Connection, dest_path: Path) -> None:
    """Copy `source` (one consistent snapshot) into a self-contained single file at `dest_path`, checked."""
    with _connect(dest_path) as dest:
        source.backup(dest)
        dest.execute("PRAGMA journal_mode=DELETE")  # one file, no -wal beside it
        problem = dest.execute("PRAGMA quick_check").fetchone()[0]
    if problem != "ok":
        raise BackupError(f"복사본 검사에 실패했습니다: {problem}")
    with dest_path.open("rb") as handle:
        os.fsync(handle.fileno())


def backup_sqlite(url: str, out: Path) -> None:
    path = sqlite_path(url)
    if not path.is_file():
        raise BackupError(f"데이터베이스 파일이 없습니다: {path}")
    temp = _temp_beside(out, ".part")
    try:
        with _connect(path) as source:  # read-write, so that closing the last connection tidies the -wal away
            _copy_sqlite(source, temp)
        os.replace(temp, out)
    finally:
        temp.unlink(missing_ok=True)


def _check_sqlite_backup(backup: Path) -> None:
    """The file opens as SQLite, passes quick_check and holds a migration revision this code knows."""
    try:
        with _connect(backup, read_only=True) as conn:
            problem = conn.execute("PRAGMA quick_check").fetchone()[0]
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            revision = conn.execute("SELECT version_num FROM alembic_version").fetchone() \
                if "alembic_version" in tables else None
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{backup}: SQLite 파일을 읽지 못했습니다 ({exc}). 아무것도 바꾸지 않았습니다.") from None
    if problem != "ok":
        raise BackupError(f"{backup}: 손상된 SQLite 파일입니다 ({problem}). 아무것도 바꾸지 않았습니다.")
    if revision is None:
        raise BackupError(f"{backup}: 비서실봇 데이터베이스가 아닙니다 (alembic_version 표가 없음). "
                          "아무것도 바꾸지 않았습니다.")
    known = _known_revisions()
    if revision[0] not in known:
        raise BackupError(f"{backup}: 이 버전의 봇이 모르는 스키마({revision[0]})의 백업입니다 — 더 새 버전의 봇으로 "
                          "복원하세요. 아무것도 바꾸지 않았습니다.")


def _known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    return {script.revision for script in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def _claim_unused(path: Path) -> sqlite3.Connection:
    """An exclusive hold on the database at `path`, or a BackupError if another process has it open.

    Leaving WAL mode needs every other connection closed (an idle bot keeps its pool open), so it tells a
    running bot apart from a stopped one; it also folds the -wal file into the database, so nothing stale is
    left beside the file that replaces it."""
    conn = sqlite3.connect(str(path), timeout=BUSY_MS / 1000, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode=DELETE")
        conn.execute("BEGIN EXCLUSIVE")
    except sqlite3.OperationalError:
        conn.close()
        raise BackupError(f"데이터베이스 {path}를 다른 프로세스(실행 중인 봇?)가 쓰고 있습니다 — 봇을 멈춘 뒤 다시 "
                          "복원하세요. 아무것도 바꾸지 않았습니다.") from None
    return conn


def _keep(path: Path, kept: Path) -> None:
    """The old database lives on under `kept` (a hard link where the file system allows, else a copy)."""
    try:
        os.link(path, kept)
    except OSError:
        shutil.copy2(path, kept)


def restore_sqlite(url: str, backup: Path, now: datetime) -> Path | None:
    """Replace the database with `backup`; the path the replaced database was kept at (None if there was none)."""
    _check_sqlite_backup(backup)
    path = sqlite_path(url)
    temp = _temp_beside(path, ".restoring")
    try:
        with _connect(backup, read_only=True) as source:
            _copy_sqlite(source, temp)
        if path.exists():
            shutil.copymode(path, temp)
        hold = _claim_unused(path) if path.exists() else None
        kept = None
        try:
            if hold is not None:
                kept = path.with_name(f"{path.name}.before-restore-{now:%Y%m%d-%H%M%S}")
                _keep(path, kept)
            os.replace(temp, path)
        finally:
            if hold is not None:
                hold.close()
        return kept
    finally:
        temp.unlink(missing_ok=True)
