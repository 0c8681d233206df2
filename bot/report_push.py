"""The monthly work report: at report.monthly_time on each month's first working day (weekends and public holidays
skipped, as for the daily briefing), the previous month's report to every admin who has not said /report off.

Queued once in all (bot/services/reports.queue_monthly_reports claims the month), delivered by the reminder engine,
which renders the PDF at send time. A push missed while every process was down is sent at the next start on the
same day, marked late; never on a later day."""

from __future__ import annotations

import logging
from datetime import datetime

from bot.briefing import EARLY, PushScheduler
from bot.domain.workdays import first_working_day_of_month, next_month_start
from bot.services.reports import queue_monthly_reports

log = logging.getLogger(__name__)
JOB = "report:monthly"


class MonthlyReportScheduler(PushScheduler):
    JOB = JOB

    def next_due(self, now: datetime) -> datetime | None:
        if not self.runtime.report_monthly:
            return None
        return next_month_start(now, self.runtime.report_monthly_time)

    async def send_today(self) -> int:
        """Queue last month's report if today is this month's first working day, its time has come and no process
        has queued it yet; returns how many admins get it (the reminder engine, woken here, sends them)."""
        now = self.runtime.now()
        due = self.runtime.report_monthly_time
        scheduled = datetime.combine(now.date(), due, tzinfo=now.tzinfo)
        if (not self.runtime.report_monthly or now.date() != first_working_day_of_month(now.year, now.month)
                or now < scheduled - EARLY):
            return 0
        queued = await queue_monthly_reports(self.runtime, now, due)
        if queued:
            log.info("Monthly work report queued for %s admins", queued)
            self.runtime.wake()
        return queued
