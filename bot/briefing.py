"""The daily briefing: at schedule.briefing_time on working days, today's agenda to those who opted in."""

from __future__ import annotations

import logging

from telegram.error import Forbidden, TelegramError
from telegram.ext import ContextTypes

from bot.context import BotApplication
from bot.domain.workdays import is_working_day, next_briefing
from bot.runtime import Runtime
from bot.services.agenda import briefings
from storage import people

log = logging.getLogger(__name__)
JOB = "briefing:next"


class BriefingScheduler:
    def __init__(self, app: BotApplication) -> None:
        self.app = app
        self.runtime: Runtime = app.bot_data["runtime"]

    def start(self) -> None:
        self._schedule()

    def _schedule(self) -> None:
        queue = self.app.job_queue
        if queue is None:
            return
        now = self.runtime.now()
        due = next_briefing(now, self.runtime.briefing_time)
        for job in queue.get_jobs_by_name(JOB):
            job.schedule_removal()
        queue.run_once(self._job, when=(due - now).total_seconds(), name=JOB)

    async def _job(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        try:
            await self.send_today()
        finally:
            self._schedule()

    async def send_today(self) -> int:
        """Send today's briefing if today is a working day; returns how many were sent."""
        now = self.runtime.now()
        if not is_working_day(now.date()):
            return 0
        sent = 0
        for chat_id, text in await briefings(self.runtime, now):
            try:
                await self.app.bot.send_message(chat_id, text)
                sent += 1
            except Forbidden:
                async with self.runtime.sessionmaker.begin() as session:
                    await people.set_deliverable(session, chat_id, False)
            except TelegramError as exc:
                log.warning("Briefing to %s failed: %s", chat_id, exc)
        return sent
