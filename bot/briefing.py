"""The daily briefing: at schedule.briefing_time on working days, today's agenda to those who opted in.

Sent once in all, however many replicas run: the first process to claim the day ("briefing", "2018-07-20")
writes one reminder row per subscriber in the same transaction, and the reminder engine delivers those rows
(claimed with a lease, so a crash mid-briefing neither resends to those already served nor skips the rest).
A briefing missed while every process was down is sent at the next start on the same day, marked late."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from telegram.ext import ContextTypes

from bot.context import BotApplication
from bot.domain.workdays import is_working_day, next_briefing
from bot.runtime import Runtime
from bot.services.agenda import queue_briefings

log = logging.getLogger(__name__)
JOB = "briefing:next"
EARLY = timedelta(seconds=2)  # a job queue may fire a moment early: a briefing due at 08:30 is taken from 08:29:58


class PushScheduler:
    """A push the JobQueue fires at its next due time (one named job, rescheduled after each run); `send_today`
    decides whether anything is due now and queues it once across replicas. Subclasses say when and what."""

    JOB = ""

    def __init__(self, app: BotApplication) -> None:
        self.app = app
        self.runtime: Runtime = app.bot_data["runtime"]

    def next_due(self, now: datetime) -> datetime | None:
        raise NotImplementedError

    async def send_today(self) -> int:
        raise NotImplementedError

    def start(self) -> None:
        self._schedule()

    def _schedule(self) -> None:
        queue = self.app.job_queue
        now = self.runtime.now()
        due = self.next_due(now)
        if queue is None or due is None:
            return
        for job in queue.get_jobs_by_name(self.JOB):
            job.schedule_removal()
        queue.run_once(self._job, when=(due - now).total_seconds(), name=self.JOB)

    async def _job(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        try:
            await self.send_today()
        finally:
            self._schedule()


class BriefingScheduler(PushScheduler):
    JOB = JOB

    def next_due(self, now: datetime) -> datetime | None:
        return next_briefing(now, self.runtime.briefing_time)

    async def send_today(self) -> int:
        """Queue today's briefing if today is a working day, its time has come and no process has queued it
        yet; returns how many were queued (the reminder engine, woken here, delivers them)."""
        now = self.runtime.now()
        scheduled = datetime.combine(now.date(), self.runtime.briefing_time, tzinfo=now.tzinfo)
        if not is_working_day(now.date()) or now < scheduled - EARLY:
            return 0
        queued = await queue_briefings(self.runtime, now, self.runtime.briefing_time)
        if queued:
            log.info("Daily briefing queued for %s subscribers", queued)
            self.runtime.wake()
        return queued
