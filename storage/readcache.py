"""An in-process cache of what rarely changes (the roster, the facts, the budget book, pledge totals), kept
while the database's version counter of its group (cache_versions, bumped by triggers in the same transaction as
any write: storage/cache_triggers.py) is unchanged, so a write in any process is seen by every other one on
its next read.

The versions are read with one query, at most once per update: the access gate calls :func:`new_update`, and
reads in that update (the same asyncio task) reuse what the first one read until a commit in this process.
Outside an update (the reminder engine, the CLI) every cached read checks the versions first. Cached values
must be plain (frozen dataclasses, tuples), never ORM instances: they outlive the session that read them.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Hashable, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import Engine, Executable, Row, create_engine, event, select
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession
from sqlalchemy.orm import ORMExecuteState, Session

from storage.models import CacheVersion

T = TypeVar("T")
MAX_ENTRIES = 512  # values held at most, all groups together
SESSION_KEY = "read_cache"  # Session.info key under which make_sessionmaker puts the engine's cache
WROTE = "read_cache_wrote"  # Session.info: this transaction has written
_VERSIONS = select(CacheVersion.name, CacheVersion.version)


@dataclass
class _Update:
    task: asyncio.Task[Any] | None
    versions: dict[int, Mapping[str, int]] = field(default_factory=dict)  # id(cache) -> versions read
    memo: dict[Hashable, Any] = field(default_factory=dict)  # what this update already read (update_memo)


# Each update task its own (PTB runs concurrent updates as tasks, each with a copy of the context).
_CURRENT: ContextVar[_Update | None] = ContextVar("read_cache_update", default=None)


def new_update() -> None:
    """An update starts (the access gate): the next cached read reads the versions again, once."""
    _CURRENT.set(_Update(_task()))


def _task() -> asyncio.Task[Any] | None:
    try:
        return asyncio.current_task()
    except RuntimeError:
        return None


def _this_update() -> _Update | None:
    """The update being handled in this task (a task started from a handler inherits the variable, not the
    update: it checks the versions itself)."""
    current = _CURRENT.get()
    return current if current is not None and current.task is _task() else None


def update_memo() -> dict[Hashable, Any] | None:
    """A dict that lives as long as the update being handled in this task (None outside one): what a read
    early in the update learnt, so that a write later in it can be skipped when it would change nothing."""
    update = _this_update()
    return update.memo if update is not None else None


class SqliteReads:
    """Small reads of a SQLite file in the calling thread (the event loop's): a read of a few rows takes tens of
    microseconds, where the async driver's hops to its own thread and back (cursor, execute, fetch, close,
    rollback) cost a good part of a millisecond. Read-only, and WAL readers never wait for writers; should a read
    have to wait all the same (a checkpoint, a recovery), it gives up after BUSY_SECONDS and returns None: the
    caller reads through the async driver. A statement sees every committed write, as the async path does."""

    BUSY_SECONDS = 0.05

    def __init__(self, path: str) -> None:
        self.path = path
        self._engine: Engine | None = None

    def rows(self, statement: Executable, params: Mapping[str, Any] | None = None) -> Sequence[Row[Any]] | None:
        if self._engine is None:
            self._engine = create_engine(f"sqlite:///file:{self.path}?mode=ro&uri=true",
                                         connect_args={"timeout": self.BUSY_SECONDS, "check_same_thread": False})
        try:
            with self._engine.connect() as connection:
                return connection.execute(statement, dict(params or {})).all()
        except OperationalError:  # busy, or not migrated yet: the async path says which
            return None

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None


class AutocommitReads:
    """PostgreSQL: small reads outside a transaction, on a connection held between reads. A session's first
    statement costs a BEGIN and its close a ROLLBACK, each a round trip to the server, and a checkout from the
    pool about as much CPU as the read itself; a read on the held connection in autocommit mode is the one round
    trip of its prepared statement. While another task's read is in flight on it, a read takes a connection from
    the pool (autocommit too: asyncpg's isolation level is set client-side). A read that fails drops the held
    connection; one that failed on a dead connection (SQLAlchemy then invalidates the whole pool) is read again
    on a fresh one, so a server restart costs no update an error (tests/test_pg_reconnect.py). A statement sees
    every committed write, as a read in a new transaction does."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine.execution_options(isolation_level="AUTOCOMMIT")
        self._held: AsyncConnection | None = None
        self._busy = False
        event.listen(engine.sync_engine, "engine_disposed", self._disposed)

    async def rows(self, statement: Executable, params: Mapping[str, Any] | None = None) -> Sequence[Row[Any]]:
        if self._busy:
            async with self.engine.connect() as connection:
                return (await connection.execute(statement, dict(params or {}))).all()
        self._busy = True
        try:
            try:
                return await self._read_held(statement, params)
            except DBAPIError as exc:
                if not exc.connection_invalidated:
                    raise
            # The held connection was dead (a server restart, a terminated backend): the disconnect invalidated
            # the pool, and a read is safe to repeat, once, on a fresh connection.
            return await self._read_held(statement, params)
        finally:
            self._busy = False

    async def _read_held(self, statement: Executable, params: Mapping[str, Any] | None) -> Sequence[Row[Any]]:
        try:
            if self._held is None:
                self._held = await self.engine.connect()
            return (await self._held.execute(statement, dict(params or {}))).all()
        except BaseException:
            await self.close()
            raise

    async def close(self) -> None:
        held, self._held = self._held, None
        if held is not None:
            with contextlib.suppress(Exception):  # a dead connection's close may fail: the pool is invalidated
                await held.close()

    @property
    def held(self) -> AsyncConnection | None:
        """The connection held between reads, if any (tests)."""
        return self._held

    def _disposed(self, _engine: Any) -> None:
        """engine.dispose() (in SQLAlchemy's greenlet): the held connection goes back and is closed with the rest."""
        held, self._held = self._held, None
        if held is not None and held.sync_connection is not None:
            held.sync_connection.close()


class ReadCache:
    """Values loaded through :meth:`get`, per (group, key), dropped when the group's version changes."""

    def __init__(self, local: SqliteReads | None = None, autocommit: AutocommitReads | None = None) -> None:
        self.local = local  # SQLite: small reads without the driver's thread
        self.autocommit = autocommit  # PostgreSQL: small reads without a transaction
        self._versions: dict[str, int] = {}  # group -> version of the entries held
        self._entries: dict[tuple[str, Hashable], Any] = {}
        self.version_reads = 0  # how often the versions were read (tests)

    async def versions(self, session: AsyncSession) -> Mapping[str, int]:
        update = _this_update()
        if update is not None and (known := update.versions.get(id(self))) is not None:
            return known
        self.version_reads += 1
        rows = await read_rows(session, _VERSIONS)
        read = {str(row[0]): int(row[1]) for row in rows}
        if update is not None:
            update.versions[id(self)] = read
        return read

    def committed(self) -> None:
        """This process committed a write: what this update read of the versions may be behind it."""
        update = _CURRENT.get()
        if update is not None:
            update.versions.pop(id(self), None)

    async def get(self, session: AsyncSession, group: str, key: Hashable,
                  load: Callable[[AsyncSession], Awaitable[T]]) -> T:
        """The value of (group, key), loaded with `load(session)` unless held at the group's current version.
        A group without a counter (a database before migration 0008) is read through, and so is everything in
        a transaction that has written (it must see its own writes, which no other process may see yet)."""
        if session.info.get(WROTE):
            return await load(session)
        version = (await self.versions(session)).get(group)
        if version is None:
            return await load(session)
        if self._versions.get(group) != version:
            for stale in [k for k in self._entries if k[0] == group]:
                del self._entries[stale]
            self._versions[group] = version
        if (group, key) in self._entries:
            value: T = self._entries[(group, key)]
            return value
        value = await load(session)
        if self._versions.get(group) == version:  # another task may have seen a newer version meanwhile
            if len(self._entries) >= MAX_ENTRIES:  # keyed by window or date: the oldest goes first
                del self._entries[next(iter(self._entries))]
            self._entries[(group, key)] = value
        return value

    def attach(self, engine: AsyncEngine) -> None:
        """Forget this update's versions after each commit on `engine` (a write just made must be read back)."""
        event.listen(engine.sync_engine, "commit", lambda _connection: self.committed())


def _wrote(state: ORMExecuteState) -> None:
    if not state.is_select:
        state.session.info[WROTE] = True


def _flushed(session: Session, _context: Any) -> None:
    session.info[WROTE] = True


def _ended(session: Session, *_args: Any) -> None:
    session.info.pop(WROTE, None)


class TrackedSession(Session):
    """A Session that notes in its `info` whether its transaction has written (statement or flush), so that
    the read cache reads through until it ends."""


event.listen(TrackedSession, "do_orm_execute", _wrote)
event.listen(TrackedSession, "after_flush", _flushed)
event.listen(TrackedSession, "after_commit", _ended)
event.listen(TrackedSession, "after_soft_rollback", _ended)


async def read_rows(session: AsyncSession, statement: Executable, params: Mapping[str, Any] | None = None
                    ) -> list[tuple[Any, ...]]:
    """The rows of a small read-only statement: on SQLite in the calling thread (SqliteReads) unless this
    session's transaction has written (it must see its own writes); on PostgreSQL outside a transaction
    (AutocommitReads) unless this session has one already; else through the session's connection."""
    cache = cache_of(session)
    if cache is not None and cache.local is not None and not session.info.get(WROTE):
        found = cache.local.rows(statement, params)
        if found is not None:
            return [tuple(row) for row in found]
    if cache is not None and cache.autocommit is not None and not session.in_transaction():
        return [tuple(row) for row in await cache.autocommit.rows(statement, params)]
    connection = await session.connection()  # a plain statement: the ORM's execution layer is not needed
    return [tuple(row) for row in (await connection.execute(statement, dict(params or {}))).all()]


def cache_of(session: AsyncSession) -> ReadCache | None:
    cache = session.info.get(SESSION_KEY)
    return cache if isinstance(cache, ReadCache) else None


async def cached(session: AsyncSession, group: str, key: Hashable, load: Callable[[AsyncSession], Awaitable[T]]
                 ) -> T:
    """`load(session)` through the session's cache (sessions of storage.db.make_sessionmaker have one)."""
    cache = cache_of(session)
    return await load(session) if cache is None else await cache.get(session, group, key, load)

