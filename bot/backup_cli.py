"""What `secretariat-bot backup` and `restore` do and say, on either database (bot/backup.py, bot/pg_backup.py)."""

from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path

from bot.backup import (
    BackupError,
    backup_sqlite,
    default_name,
    file_kind,
    is_sqlite,
    read_contents,
    restore_sqlite,
    sqlite_contents,
    sqlite_path,
)
from bot.logs import redact
from bot.pg_backup import backup_postgres, restore_postgres
from storage.migrate import head_revision


def _size(path: Path) -> str:
    size = path.stat().st_size
    return f"{size / 1_048_576:.1f} MB" if size >= 1_048_576 else f"{max(1, round(size / 1024))} KB"


def _where(url: str) -> str:
    return f"SQLite {sqlite_path(url)}" if is_sqlite(url) else f"PostgreSQL {redact(url)}"


def backup(url: str, out: Path | None, now: datetime) -> tuple[str, Path]:
    """Write the backup; the Korean line saying what was saved where, and the file. `out` may be a folder: the
    dated default name inside it (a nightly job's file names)."""
    target = out / default_name(url, now) if out is not None and out.is_dir() else out or default_name(url, now)
    if is_sqlite(url):
        backup_sqlite(url, target)
        held = sqlite_contents(target)
    else:
        backup_postgres(url, target)
        held = asyncio.run(read_contents(url))
    return f"백업했습니다: {_where(url)} → {target} ({_size(target)}; {held.describe()})", target


def restore(url: str, backup_file: Path, now: datetime) -> str:
    """Check `backup_file`, then replace the database with it; the Korean line saying what was restored."""
    kind = file_kind(backup_file)
    wanted = "sqlite" if is_sqlite(url) else "postgresql"
    if kind != wanted:
        names = {"sqlite": "SQLite", "postgresql": "PostgreSQL(pg_dump)"}
        raise BackupError(f"{backup_file}은(는) {names[kind]} 백업인데 설정된 데이터베이스는 {names[wanted]}입니다. "
                          "아무것도 바꾸지 않았습니다.")
    kept_note = ""
    if kind == "sqlite":
        kept = restore_sqlite(url, backup_file, now)
        kept_note = f" 바꾸기 전 파일은 {kept}에 남겨 두었습니다." if kept else ""
    else:
        restore_postgres(url, backup_file)
    held = sqlite_contents(sqlite_path(url)) if kind == "sqlite" else asyncio.run(read_contents(url))
    upgrade = "" if held.revision == head_revision() else " 예전 스키마이니 `secretariat-bot db upgrade`로 올리세요."
    return f"복원했습니다: {backup_file} → {_where(url)} ({held.describe()}).{kept_note}{upgrade}"
