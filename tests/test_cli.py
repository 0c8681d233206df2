"""`secretariat-bot seed` and `db upgrade` from the command line, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from pathlib import Path

from conftest import postgres_url, reset_postgres
from helpers import run_cli
from sqlalchemy import func, select

from storage.db import make_engine, make_sessionmaker
from storage.migrate import current_revision, head_revision
from storage.models import StaffingRow

cli = run_cli


async def _state(url: str) -> tuple[str | None, int]:
    engine = make_engine(url)
    try:
        async with make_sessionmaker(engine)() as session:
            count = await session.scalar(select(func.count()).select_from(StaffingRow))
        return await current_revision(engine), int(count or 0)
    finally:
        await engine.dispose()


def _seed_twice(tmp_path: Path, url: str) -> None:
    for _ in range(2):
        result = cli(tmp_path, "seed", "--db", url)
        assert result.returncode == 0, result.stderr
        assert "staffing 8" in result.stdout
    assert asyncio.run(_state(url)) == (head_revision(), 8)


def test_seed_sqlite_twice_equals_once(tmp_path: Path) -> None:
    _seed_twice(tmp_path, f"sqlite:///{tmp_path / 'x.db'}")


def test_seed_postgres_twice_equals_once(tmp_path: Path) -> None:
    url = postgres_url()
    asyncio.run(reset_postgres(url))
    _seed_twice(tmp_path, url)


def test_db_upgrade_on_empty_file_and_default_url(tmp_path: Path) -> None:
    result = cli(tmp_path, "db", "upgrade")
    assert result.returncode == 0, result.stderr
    assert asyncio.run(_state(f"sqlite:///{tmp_path / 'data' / 'secretariat.db'}")) == (head_revision(), 0)


def test_bad_database_url_is_one_line(tmp_path: Path) -> None:
    result = cli(tmp_path, "seed", "--db", "mysql://x")
    assert result.returncode == 2 and "sqlite" in result.stderr and "Traceback" not in result.stderr
    unreachable = cli(tmp_path, "db", "upgrade", "--db", "postgresql://nobody@127.0.0.1:1/none")
    assert unreachable.returncode == 1 and "Traceback" not in unreachable.stderr
    assert "데이터베이스 오류" in unreachable.stderr
