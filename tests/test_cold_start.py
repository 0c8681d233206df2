"""A cold start imports only what every update needs (bench/cold_start.py prints the times): the heavy packages
that only some updates use are imported on first use, and a database already at head is not migrated."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncEngine

from storage.migrate import current_revision, head_revision, script_heads, upgrade

ROOT = Path(__file__).resolve().parents[1]
LAZY = ("matplotlib", "koreanize_matplotlib", "openpyxl", "dateparser", "alembic", "icalendar", "holidays")


def _loaded_after(code: str) -> set[str]:
    probe = code + "\nimport sys\nprint(' '.join(sorted(m for m in sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def test_importing_the_application_leaves_the_heavy_packages_for_later() -> None:
    loaded = _loaded_after("import bot.app, bot.cli")
    assert "bot.app" in loaded
    assert not {name for name in LAZY if name in loaded}


def test_script_head_read_without_alembic_is_alembics() -> None:
    assert script_heads() == frozenset({head_revision()})


def test_a_current_database_is_not_migrated_and_alembic_stays_unimported(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cold.db'}"
    code = ("import asyncio\nfrom storage.db import make_engine\nfrom storage.migrate import upgrade\n"
            f"async def main():\n    e = make_engine({url!r})\n    await upgrade(e)\n    await e.dispose()\n"
            "asyncio.run(main())")
    assert "alembic" in _loaded_after(code)  # a new database: migrated by Alembic
    assert "alembic" not in _loaded_after(code)  # at head: one query, no Alembic


async def test_a_database_behind_the_head_is_still_upgraded(engine: AsyncEngine) -> None:
    from alembic import command

    from storage.migrate import alembic_config

    def _down(connection: object) -> None:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, "0006")

    async with engine.begin() as connection:
        await connection.run_sync(_down)
    assert await current_revision(engine) == "0006"
    await upgrade(engine)
    assert await current_revision(engine) == head_revision()
