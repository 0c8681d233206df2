"""One poller per database: polling mode holds a lock for the life of the process.

Two processes polling one token get 409 Conflict from Telegram and take updates from each other. `run` in
polling mode therefore first takes a lock no second process can take: on PostgreSQL a session advisory lock on
a connection of its own, on SQLite an OS file lock beside the database file (fcntl.flock). Either is released
when the process ends, also by a crash (the server ends the session; the kernel closes the file). Webhook mode
takes no lock: any number of replicas may serve one webhook.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlalchemy.pool import NullPool

from storage.db import make_engine

POLLING_LOCK = 0x7365_6362_6F74_2D70  # pg advisory lock key, "secbot-p"
REFUSAL = ("이미 다른 비서실봇이 같은 데이터베이스({where})로 폴링 중입니다 — 폴링은 한 프로세스만 할 수 있습니다 "
           "(여러 개를 띄우려면 웹훅 모드로 실행하세요)")


class AlreadyPolling(Exception):
    """Another process holds the polling lock; the text is the one-line Korean refusal."""


class PollingLock:
    """Held until release() or the end of the process."""

    def __init__(self, *, engine: AsyncEngine | None = None, connection: AsyncConnection | None = None,
                 fd: int | None = None) -> None:
        self._engine = engine
        self._connection = connection
        self._fd = fd

    async def release(self) -> None:
        if self._connection is not None:
            with contextlib.suppress(Exception):  # the server may be gone; the lock went with the session
                await self._connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": POLLING_LOCK})
                await self._connection.commit()
            await self._connection.close()
            self._connection = None
        if self._engine is not None:
            await self._engine.dispose()
            self._engine = None
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor releases the flock
            self._fd = None


def lock_file(database_url: str) -> Path | None:
    """The lock file beside a SQLite database file (None for an in-memory database)."""
    database = make_url(database_url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database).expanduser().with_name(Path(database).name + ".polling.lock")


async def hold_polling_lock(database_url: str) -> PollingLock:
    """Take the polling lock for this database, or raise AlreadyPolling."""
    url = make_url(database_url)
    if url.get_backend_name() in ("postgresql", "postgres"):
        engine = make_engine(database_url, poolclass=NullPool)
        connection = await engine.connect()
        got = await connection.scalar(text("SELECT pg_try_advisory_lock(:key)"), {"key": POLLING_LOCK})
        await connection.commit()  # the session lock outlives the transaction; no idle transaction is left open
        if not got:
            await connection.close()
            await engine.dispose()
            raise AlreadyPolling(REFUSAL.format(where=f"PostgreSQL {url.database}"))
        return PollingLock(engine=engine, connection=connection)
    path = lock_file(database_url)
    if path is None:
        return PollingLock()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise AlreadyPolling(REFUSAL.format(where=str(path.with_name(path.name.removesuffix(".polling.lock"))))) \
            from None
    os.ftruncate(fd, 0)
    os.write(fd, f"{os.getpid()}\n".encode())  # for the operator: who holds it
    return PollingLock(fd=fd)
