"""The work report in chat and as the monthly push (no Telegram here).

Chat: who may ask (admins; staff too with report.staff_may_request), and the report built
(bot/services/work_report.py) and rendered in the worker pool (bot/report.render_in_worker) as a file with its caption.

Monthly push: on each month's first working day the first process to claim the month ("monthly_report",
"2018-07") writes one reminder row per admin who has the push on, in the same transaction; the reminder engine
delivers each row with a lease (a crash mid-push neither resends nor skips) and renders the previous month's PDF at
send time (:func:`monthly_file`). A push missed while every process was down is queued at the next start the same
day, its caption marked late; a row still unsent when that day is over is dropped, as the briefing's is.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from bot.domain.workdays import previous_month
from bot.lang.report_words import ReportAsk
from bot.present import report as view
from bot.report import FORMATS, Format, file_name, render_in_worker
from bot.runtime import Member, Runtime
from bot.services.work_report import work_report_for
from storage import claims, people, reminders
from storage.models import Reminder

log = logging.getLogger(__name__)

MONTHLY = "monthly_report"  # the job claim's name; its period is the report's month, "2018-07"
SUBJECT = "report:"  # a push row's subject: "report:2018-07"
LATE = timedelta(minutes=5)  # queued later than this after its time: the caption says it comes late


@dataclass(frozen=True)
class ReportFile:
    name: str  # 주요업무보고_2018-07-20.pdf
    data: bytes
    caption: str


class FormatUnavailable(Exception):
    """The renderer of that format is not written yet."""

    def __init__(self, fmt: str) -> None:
        super().__init__(fmt)
        self.fmt = fmt


def may_request(runtime: Runtime, member: Member) -> bool:
    return member.is_admin or runtime.report_staff_may_request


async def make_report(runtime: Runtime, ask: ReportAsk) -> ReportFile:
    """The report as of the date asked, rendered in the worker pool."""
    fmt = _format(ask)
    report = await work_report_for(runtime, ask.as_of, ask.period)
    try:
        data = await render_in_worker(report, fmt)
    except NotImplementedError as exc:
        raise FormatUnavailable(fmt) from exc
    return ReportFile(file_name(report, fmt), data, view.caption(report.as_of, runtime.now()))


async def push_setting(runtime: Runtime, user_id: int) -> bool:
    async with runtime.sessionmaker() as session:
        person = await people.get(session, user_id)
        return bool(person is not None and person.report_push)


async def set_push(runtime: Runtime, user_id: int, on: bool) -> None:
    """An admin's /report on|off (audited)."""
    async with runtime.sessionmaker.begin() as session:
        await people.set_report_push(session, user_id, on, runtime.now())


def _month(subject: str) -> tuple[date, date]:
    """'report:2018-07' → 7.1.–7.31."""
    first = date.fromisoformat(subject.removeprefix(SUBJECT) + "-01")
    return previous_month(first + timedelta(days=32))


def _format(ask: ReportAsk) -> Format:
    fmt = next((f for f in FORMATS if f == ask.fmt), None)
    if fmt is None:
        raise ValueError(f"unknown report format: {ask.fmt!r}")
    return fmt


async def queue_monthly_reports(runtime: Runtime, now: datetime, due: time) -> int:
    """Claim the previous month's report and write one reminder row per admin with the push on, in one
    transaction; 0 when another process (or an earlier start today) claimed the month first, or when no admin
    wants it (the month stays unclaimed: one who turns it on later today gets it late)."""
    first, last = previous_month(now.date())
    period = f"{first:%Y-%m}"
    late = now - datetime.combine(now.date(), due, tzinfo=now.tzinfo) > LATE
    text = view.monthly_caption(first, last, now, due, late)
    async with runtime.sessionmaker.begin() as session:
        admins = await people.report_subscribers(session)
        if not admins or not await claims.claim(session, MONTHLY, period, claims.PROCESS, now):
            return 0
        await reminders.add_all(session, [
            reminders.new(kind=reminders.MONTHLY_REPORT, text=text, due_at=now, now=now,
                          recipient_id=admin.telegram_id, subject=f"{SUBJECT}{period}") for admin in admins])
        await claims.finish(session, MONTHLY, period, now)
    return len(admins)


async def monthly_file(runtime: Runtime, row: Reminder) -> tuple[str, tuple[str, bytes] | None]:
    """What the reminder engine sends for a monthly push row: the month's PDF with the row's caption; when the
    file cannot be made, the caption and what to type instead (the admin is told rather than left waiting)."""
    last: date | None = None
    try:
        first, last = _month(row.subject or "")
        made = await make_report(runtime, ReportAsk("pdf", last, (first, last)))
    except Exception as exc:  # any failure to build or render: logged, and the admin told what to do
        log.error("Monthly report %s could not be made: %s: %s", row.subject, type(exc).__name__, exc)
        log.debug("Monthly report failure", exc_info=exc)
        return view.push_failed(row.text, last), None
    return row.text, (made.name, made.data)
