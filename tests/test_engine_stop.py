"""A clean stop while the reminder engine is busy logs nothing at ERROR (no CancelledError traceback)."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from pathlib import Path

import pytest
from conftest import ADMIN_ID, make_harness
from helpers import run_cli
from sqlalchemy import select

from bot.config import Config
from bot.engine import Pacer
from bot.logs import install_library_filters
from storage import reminders
from storage.db import make_engine
from storage.models import Reminder


async def test_stopping_while_a_delivery_runs_and_a_wake_up_is_due_logs_no_error(
    config: Config, caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    async with make_harness(config, scheduled=True) as h:
        h.engine.pacer = Pacer(rate=10_000, per_chat=1.0)  # three sends to one chat: a run of about 2 s
        now = h.runtime.now()
        async with h.runtime.sessionmaker.begin() as session:
            await reminders.add_all(session, [
                reminders.new(kind="personal", text=f"알림 {n}", due_at=now - timedelta(seconds=n), now=now,
                              recipient_id=ADMIN_ID) for n in range(3)])
        started = asyncio.Event()
        h.request.listeners.append(
            lambda call: started.set() if str(call.params.get("text", "")).startswith("알림") else None)
        h.engine.wake()
        await asyncio.wait_for(started.wait(), timeout=30)  # the run has begun
        h.engine.wake(0.5)  # due while the application stops and waits for the running job
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors == [], [(r.name, r.getMessage(), r.exc_info) for r in errors]


async def test_a_stop_hands_the_unsent_rows_of_a_batch_back(config: Config) -> None:
    """SIGTERM while a claimed batch is paced out: the process does not stay to deliver the rest (at a message a
    second per chat that can take minutes, and a replica's stop timed out). The rows not yet sent are handed back,
    due at once for another engine or the next start: none is left claimed until its lease runs out."""
    async with make_harness(config, scheduled=True, seeded=False) as h:
        h.engine.pacer = Pacer(rate=10_000, per_chat=1.0)  # three rows to one chat: two seconds of pacing
        now = h.runtime.now()
        async with h.runtime.sessionmaker.begin() as session:
            await reminders.add_all(session, [
                reminders.new(kind="personal", text=f"알림 {n}", due_at=now - timedelta(seconds=3 - n), now=now,
                              recipient_id=ADMIN_ID) for n in range(3)])
        started = asyncio.Event()
        h.request.listeners.append(
            lambda call: started.set() if str(call.params.get("text", "")).startswith("알림") else None)
        h.engine.wake()
        await asyncio.wait_for(started.wait(), timeout=30)  # the first row is sent; the stop begins
    sent = [str(c.params["text"]) for c in h.request.of("sendMessage")]
    assert sent == ["알림 0"]
    engine = make_engine(str(config.database.url))
    try:
        async with engine.connect() as connection:
            rows = (await connection.execute(select(Reminder.text, Reminder.state, Reminder.claimed_by,
                                                    Reminder.lease_until).order_by(Reminder.id))).all()
    finally:
        await engine.dispose()
    assert [tuple(r) for r in rows] == [("알림 0", reminders.SENT, h.engine.token, None),
                                        ("알림 1", reminders.PENDING, None, None),
                                        ("알림 2", reminders.PENDING, None, None)]


def test_a_job_cancelled_by_the_scheduler_at_shutdown_is_not_an_error(caplog: pytest.LogCaptureFixture) -> None:
    """APScheduler cancels the wrapper of a job still pending when the queue shuts down; PTB shields the
    job's own work from it, so the cancellation is not an error. Any other exception still is."""
    install_library_filters()
    scheduler_log = logging.getLogger("apscheduler.executors.default")
    for error in (asyncio.CancelledError(), ValueError("real failure")):
        try:
            raise error
        except BaseException:
            scheduler_log.exception('Job "reminders:poll" raised an exception')
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1 and isinstance(errors[0].exc_info and errors[0].exc_info[1], ValueError)


def test_console_stops_cleanly_at_end_of_input(tmp_path: Path) -> None:
    result = run_cli(tmp_path, "chat", input="인력 현황\n")
    assert result.returncode == 0 and "총계: 정원 19 / 현원 19" in result.stdout
    assert "ERROR" not in result.stderr and "Traceback" not in result.stderr, result.stderr
