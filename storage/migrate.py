"""Alembic migrations, run programmatically on the application's own engine.

Every start calls ``upgrade``: when the database is already at the scripts' head (read from the version files
with a regular expression, and the stored revision with one query) nothing else happens and Alembic is never
imported — it costs about a tenth of a second of a cold start that should stay under 1.5 s.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).with_name("migrations")
VERSION_TABLE = "alembic_version"
_ASSIGNED = re.compile(r"^(down_revision|revision)\s*(?::[^=]*)?=\s*['\"]?([^'\"\s]*)['\"]?\s*$", re.MULTILINE)
# pg_advisory_xact_lock key held while migrating: replicas starting together migrate one after the other (the
# second finds the schema at head and does nothing). Any fixed 64-bit number; this one spells "secbot-m".
MIGRATION_LOCK = 0x7365_6362_6F74_2D6D


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


@cache
def script_heads() -> frozenset[str]:
    """The revisions no script names as its down_revision, read from the version files without Alembic
    (tests/test_storage.py checks this against Alembic's own answer)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        found = dict((name, value) for name, value in _ASSIGNED.findall(path.read_text(encoding="utf-8")))
        if "revision" in found:
            revisions.add(found["revision"])
            if found.get("down_revision") not in (None, "", "None"):
                parents.add(found["down_revision"])
    return frozenset(revisions - parents)


def _stored(connection: Connection) -> frozenset[str]:
    if not inspect(connection).has_table(VERSION_TABLE):
        return frozenset()
    return frozenset(str(v) for v in connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars())


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    def _upgrade(connection: Connection) -> None:
        if revision == "head" and _stored(connection) == script_heads():
            return  # already current: the cheap path of every start
        from alembic import command

        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, revision)

    async with engine.begin() as connection:
        if connection.dialect.name == "postgresql":  # held until this transaction commits (SQLite: its write lock)
            await connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        await connection.run_sync(_upgrade)


async def current_revision(engine: AsyncEngine) -> str | None:
    def _current(connection: Connection) -> str | None:
        from alembic.runtime.migration import MigrationContext

        return MigrationContext.configure(connection).get_current_revision()

    async with engine.connect() as connection:
        return await connection.run_sync(_current)


def head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()
