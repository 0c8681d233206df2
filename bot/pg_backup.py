"""PostgreSQL backups: pg_dump in its custom format (-Fc) and pg_restore into the configured database.

The connection is handed to the tools piece by piece (-h -p -U -d) and the password through PGPASSWORD, so it
never appears on a command line (`ps` shows those) or in a message. A restore first asks pg_restore to list the
archive and checks it holds the bot's alembic_version table, and refuses while another client (a running bot)
is connected; it then runs in one transaction, so a failure half-way changes nothing."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url

from bot.backup import BackupError
from storage.db import make_engine

# libpq settings a URL may carry as query options, passed on as the environment variables libpq reads.
_QUERY_ENV = {"sslmode": "PGSSLMODE", "sslrootcert": "PGSSLROOTCERT", "sslcert": "PGSSLCERT", "sslkey": "PGSSLKEY",
              "host": "PGHOST", "port": "PGPORT"}
_INSTALL_HINT = "PostgreSQL 클라이언트 도구를 설치하세요 (예: apt install postgresql-client)."


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name}이(가) 설치되어 있지 않아 PostgreSQL을 백업·복원할 수 없습니다 (PATH에서 찾지 못함). "
                          f"{_INSTALL_HINT}")
    return found


def _connection(url: str) -> tuple[list[str], dict[str, str]]:
    """Command-line options and environment for the libpq tools; the password only in the environment."""
    parsed = make_url(url)
    args: list[str] = []
    if parsed.host:
        args += ["-h", parsed.host]
    if parsed.port:
        args += ["-p", str(parsed.port)]
    if parsed.username:
        args += ["-U", parsed.username]
    if not parsed.database:
        raise BackupError("데이터베이스 URL에 데이터베이스 이름이 없습니다.")
    args += ["-d", parsed.database]
    env = {**os.environ, "PGCONNECT_TIMEOUT": os.environ.get("PGCONNECT_TIMEOUT", "10")}
    for key, value in parsed.query.items():
        if key in _QUERY_ENV and isinstance(value, str):
            env[_QUERY_ENV[key]] = value
    if parsed.password is not None:
        env["PGPASSWORD"] = str(parsed.password)
    return args, env


def _run(command: list[str], env: dict[str, str], what: str) -> str:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        detail = " ".join(done.stderr.split())[:500] or f"종료 코드 {done.returncode}"
        raise BackupError(f"{what}에 실패했습니다: {detail}")
    return done.stdout


def backup_postgres(url: str, out: Path) -> None:
    pg_dump = _tool("pg_dump")
    args, env = _connection(url)
    out.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".part", dir=out.parent)
    os.close(handle)
    temp = Path(name)
    try:
        _run([pg_dump, "-Fc", "--no-owner", "-f", str(temp), *args], env, "pg_dump 백업")
        os.replace(temp, out)
    finally:
        temp.unlink(missing_ok=True)


def _check_archive(pg_restore: str, backup: Path, env: dict[str, str]) -> None:
    listing = _run([pg_restore, "--list", str(backup)], env, f"{backup} 읽기 (pg_dump 파일이 아니거나 손상됨)")
    if not any(" TABLE " in line and "alembic_version" in line.split() for line in listing.splitlines()):
        raise BackupError(f"{backup}: 비서실봇 데이터베이스의 백업이 아닙니다 (alembic_version 표가 없음). "
                          "아무것도 바꾸지 않았습니다.")


async def _other_clients(url: str) -> int:
    """Client connections to the database other than ours (a running bot keeps its pool open)."""
    engine = make_engine(url)
    try:
        async with engine.connect() as conn:
            return int(await conn.scalar(text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND backend_type = 'client backend'")) or 0)
    finally:
        await engine.dispose()


def restore_postgres(url: str, backup: Path) -> None:
    pg_restore = _tool("pg_restore")
    args, env = _connection(url)
    _check_archive(pg_restore, backup, env)
    others = asyncio.run(_other_clients(url))
    if others:
        raise BackupError(f"다른 연결 {others}개(실행 중인 봇?)가 이 데이터베이스를 쓰고 있습니다 — 봇을 멈춘 뒤 "
                          "다시 복원하세요. 아무것도 바꾸지 않았습니다.")
    _run([pg_restore, "--clean", "--if-exists", "--no-owner", "--single-transaction", "--exit-on-error",
          *args, str(backup)], env, "pg_restore 복원 (데이터베이스는 그대로입니다)")
