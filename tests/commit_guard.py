"""The test harness's check that no Bot API call is made while the calling task holds a write transaction open.

A connection of the application's engine is "writing" from its first INSERT/UPDATE/DELETE (or SELECT … FOR
UPDATE, a claim) until its COMMIT or ROLLBACK; the task that wrote owns it. A session in a transaction that holds
changes not flushed yet (objects added, changed or deleted: SQL only the commit will send) is writing too.
Every call the offline Bot API receives is checked against the open writes of the task making it: a
"저장했습니다" sent before the commit, or any send from inside `sessionmaker.begin()` after a change, is
recorded as a violation (make_harness fails the test on one). Per task, so that two updates processed
concurrently never accuse each other."""

from __future__ import annotations

import asyncio
import re
import weakref
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.orm import Session, SessionTransaction

from bot.offline import ApiCall

WRITE = re.compile(r"^\s*(?:INSERT|UPDATE|DELETE|REPLACE)\b|\bFOR\s+(?:NO\s+KEY\s+)?UPDATE\b", re.IGNORECASE)
# What the harness itself asks (the bot's identity and the files users send) is not a reply.
NOT_REPLIES = frozenset({"getMe", "getFile"})


class CommitGuard:
    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine.sync_engine
        self.writing: dict[int, asyncio.Task[Any] | None] = {}  # connection id -> the task that wrote
        # sessions in a transaction on this engine -> the task that began it
        self.sessions: dict[int, tuple[weakref.ref[Session], asyncio.Task[Any] | None]] = {}
        self.violations: list[str] = []
        self.checked = 0
        for target, name, listener in self._listeners():
            event.listen(target, name, listener)

    def _listeners(self) -> list[tuple[Any, str, Any]]:
        return [(self.engine, "before_cursor_execute", self._execute), (self.engine, "commit", self._end),
                (self.engine, "rollback", self._end), (Session, "after_begin", self._session_begins),
                (Session, "after_transaction_end", self._session_ends)]

    def close(self) -> None:
        for target, name, listener in self._listeners():
            event.remove(target, name, listener)

    def _session_begins(self, session: Session, _transaction: SessionTransaction, conn: Connection) -> None:
        if conn.engine is self.engine:
            self.sessions[id(session)] = (weakref.ref(session), _task())

    def _session_ends(self, session: Session, transaction: SessionTransaction) -> None:
        if transaction.parent is None:
            self.sessions.pop(id(session), None)

    def _execute(self, conn: Connection, _cursor: Any, statement: str, *_args: Any) -> None:
        if WRITE.search(statement):
            self.writing.setdefault(id(conn), _task())

    def _end(self, conn: Connection) -> None:
        self.writing.pop(id(conn), None)

    def open_here(self) -> bool:
        """Whether the current task holds a write transaction open."""
        task = _task()
        if any(owner is task for owner in self.writing.values()):
            return True
        for ref, owner in list(self.sessions.values()):
            session = ref()
            if owner is task and session is not None and (session.new or session.dirty or session.deleted):
                return True
        return False

    def check(self, call: ApiCall) -> None:
        """An OfflineRequest listener: record `call` if it is made inside its task's write transaction."""
        if call.method in NOT_REPLIES:
            return
        self.checked += 1
        if self.open_here():
            self.violations.append(f"{call.method} {str(call.params.get('text', ''))[:60]!r}")


def _task() -> asyncio.Task[Any] | None:
    try:
        return asyncio.current_task()
    except RuntimeError:
        return None
