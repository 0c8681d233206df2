"""Job claims: work done once across every process sharing the database, on SQLite and PostgreSQL.

`claim` inserts (name, period); the primary key lets one insert win. On PostgreSQL a second inserter waits for
the first transaction and then fails on the key (or wins, if the first rolled back); on SQLite the database's
write lock orders them the same way. Claim inside the transaction that does the work: both commit together.
`serialize` takes a standing row's lock instead, for work that may run again but never two at a time.
"""

from __future__ import annotations

import os
import socket
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import JobClaim

PROCESS = f"{socket.gethostname()[:28]}:{os.getpid()}"  # who claimed: host and process id, for the operator


async def claim(session: AsyncSession, name: str, period: str, by: str, now: datetime) -> bool:
    """True if this transaction now holds (name, period); False if another process claimed it first."""
    try:
        async with session.begin_nested():
            session.add(JobClaim(name=name, period=period, claimed_by=by, claimed_at=now))
    except IntegrityError:
        return False
    return True


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
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = insert(JobClaim).values(name=name, period="", claimed_by=by, claimed_at=now)
    await session.execute(statement.on_conflict_do_update(
        index_elements=["name", "period"], set_={"claimed_by": by, "claimed_at": now, "done_at": None}))
