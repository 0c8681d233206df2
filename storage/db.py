"""Async engine and session factory; URL normalisation; SQLite connection pragmas."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import InvalidatePoolError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.pool import ConnectionPoolEntry, PoolProxiedConnection

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
    # update. Instead a checkout looks, without a round trip, whether asyncpg already saw the server close the
    # connection (a restart, a terminated backend: the socket closed while the connection sat in the pool), and
    # if so the pool is invalidated and a fresh connection is made (_refuse_closed). A connection that dies
    # unnoticed fails the one statement that meets it; SQLAlchemy then sees a disconnect and invalidates the
    # whole pool, so the next checkout connects afresh (tests/test_pg_reconnect.py). Connections older than
    # RECYCLE_SECONDS are replaced at checkout.
    engine = create_async_engine(parsed, pool_pre_ping=False, pool_recycle=RECYCLE_SECONDS, **kwargs)
    event.listen(engine.sync_engine.pool, "checkout", _refuse_closed)
    return engine


def _refuse_closed(_dbapi_connection: Any, record: ConnectionPoolEntry, _proxy: PoolProxiedConnection) -> None:
    """A pooled connection whose socket the server closed is not handed out: the pool (every connection older
    than this one: a server restart ends them all) is invalidated and the checkout retried on a new one."""
    if driver_closed(record.driver_connection):
        raise InvalidatePoolError("the server closed this pooled connection")


def driver_closed(driver_connection: Any) -> bool:
    """Whether the driver knows its connection is closed (asyncpg's is_closed(); no round trip)."""
    is_closed = getattr(driver_connection, "is_closed", None)
    return bool(is_closed()) if callable(is_closed) else False


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
