"""Async engine and session factory; URL normalisation; SQLite connection pragmas."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from storage.readcache import SESSION_KEY, AutocommitReads, ReadCache, SqliteReads, TrackedSession

SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA busy_timeout=5000",
    "PRAGMA foreign_keys=ON",
    "PRAGMA synchronous=NORMAL",
)
RECYCLE_SECONDS = 1800  # PostgreSQL: a pooled connection is replaced after this long (idle timeouts, failovers)


def normalize_url(url: str) -> URL:
    """Give plain sqlite:// and postgresql:// URLs their async driver."""
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        return parsed.set(drivername="sqlite+aiosqlite")
    if backend in ("postgresql", "postgres"):
        return parsed.set(drivername="postgresql+asyncpg")
    raise ValueError(f"unsupported database URL scheme: {parsed.drivername}")


def _ensure_sqlite_folder(url: URL) -> None:
    database = url.database
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)


def _apply_sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    for pragma in SQLITE_PRAGMAS:
        cursor.execute(pragma)
    cursor.close()


def make_engine(url: str, **kwargs: Any) -> AsyncEngine:
    parsed = normalize_url(url)
    if parsed.get_backend_name() == "sqlite":
        _ensure_sqlite_folder(parsed)
        engine = create_async_engine(parsed, **kwargs)
        event.listen(engine.sync_engine, "connect", _apply_sqlite_pragmas)
        return engine
    # No pre-ping: asyncpg's costs three round trips (BEGIN, ";", ROLLBACK) at every checkout, several times an
    # update. A connection that died meanwhile (a server restart, a terminated backend) fails the one statement
    # that meets it; SQLAlchemy then sees a disconnect and invalidates the whole pool, so the next checkout
    # connects afresh (tests/test_reconnect.py). Connections older than RECYCLE_SECONDS are replaced at checkout.
    return create_async_engine(parsed, pool_pre_ping=False, pool_recycle=RECYCLE_SECONDS, **kwargs)


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions on `engine`, sharing one read cache (storage/readcache.py) through `Session.info`."""
    database = engine.url.database
    local = is_sqlite(engine) and database and database != ":memory:" and not database.startswith("file:")
    cache = ReadCache(SqliteReads(str(Path(database).expanduser())) if local and database else None,
                      None if is_sqlite(engine) else AutocommitReads(engine))
    cache.attach(engine)
    return async_sessionmaker(engine, expire_on_commit=False, info={SESSION_KEY: cache},
                              sync_session_class=TrackedSession)


def is_sqlite(engine: AsyncEngine) -> bool:
    return engine.dialect.name == "sqlite"
