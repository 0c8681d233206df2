"""Job claims: work done once across every process sharing the database, on SQLite and PostgreSQL.

`claim` inserts (name, period); the primary key lets one insert win (the others do nothing). On PostgreSQL
a second inserter waits for the first transaction and then finds the key taken (or wins, if the first rolled
back); on SQLite the database's write lock orders them the same way. Claim inside the transaction that does
the work: both commit together. `serialize` takes a standing row's lock instead, for work that may run again
but never two at a time.
"""

from __future__ import annotations

import os
import socket
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import JobClaim

PROCESS = f"{socket.gethostname()[:28]}:{os.getpid()}"  # who claimed: host and process id, for the operator


def _insert(session: AsyncSession) -> Any:
    return pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert


async def claim(session: AsyncSession, name: str, period: str, by: str, now: datetime) -> bool:
    """True if this transaction now holds (name, period); False if another process claimed it first. One INSERT
    that does nothing on the key (no savepoint: pysqlite's savepoints do not nest in the outer transaction)."""
    statement = (_insert(session)(JobClaim).values(name=name, period=period, claimed_by=by, claimed_at=now)
                 .on_conflict_do_nothing(index_elements=["name", "period"]).returning(JobClaim.name))
    return (await session.execute(statement)).first() is not None


async def finish(session: AsyncSession, name: str, period: str, now: datetime) -> None:
    await session.execute(
        update(JobClaim).where(JobClaim.name == name, JobClaim.period == period).values(done_at=now)
        .execution_options(synchronize_session=False)
    )


async def get(session: AsyncSession, name: str, period: str) -> JobClaim | None:
    return await session.scalar(select(JobClaim).where(JobClaim.name == name, JobClaim.period == period))


async def serialize(session: AsyncSession, name: str, by: str, now: datetime) -> None:
    """Hold the standing row `name` until this transaction ends: another process serializing on the same name
    waits here (PostgreSQL: the row lock; SQLite: the write lock the upsert takes), then sees what this one
    committed. Make it the transaction's first statement."""
    statement = _insert(session)(JobClaim).values(name=name, period="", claimed_by=by, claimed_at=now)
    await session.execute(statement.on_conflict_do_update(
        index_elements=["name", "period"], set_={"claimed_by": by, "claimed_at": now, "done_at": None}))
