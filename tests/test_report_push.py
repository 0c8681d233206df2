"""The monthly work report: on each month's first working day at report.monthly_time, the previous month's report
(as of its last day) to every admin who has the push on — once, however many processes share the database; not to
staff, not to an admin who said /report off, not on any other day; a push missed while every process was down goes
out late at the next start the same day, never on a later day."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from conftest import ADMIN_ID, SEOUL, STAFF_ID, Harness, make_config, make_harness
from report_checks import freeze, join, rendered, same_file
from sqlalchemy import select

from bot.app import build_application, running
from bot.clock import Clock
from bot.config import Config
from bot.context import BotApplication
from bot.database import migrate_and_seed
from bot.domain.workdays import next_month_start, previous_month
from bot.engine import Pacer
from bot.offline import ApiCall, OfflineRequest
from bot.present import report as view
from bot.report_push import MonthlyReportScheduler
from bot.services.reports import MONTHLY, monthly_file
from bot.services.work_report import work_report_for
from storage import claims, reminders
from storage.models import Reminder

OTHER_ADMIN, QUIET_ADMIN = 333, 444
NINE = time(9, 0)


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=SEOUL)  # type: ignore[misc]


def test_the_first_working_day_of_each_month() -> None:
    assert next_month_start(at(2018, 7, 20, 10), NINE) == at(2018, 8, 1, 9)  # a Wednesday
    assert next_month_start(at(2018, 8, 1, 9), NINE) == at(2018, 9, 3, 9)  # 9.1 is a Saturday
    assert next_month_start(at(2018, 9, 3, 9, 0, 1), NINE) == at(2018, 10, 1, 9)  # a Monday
    assert next_month_start(at(2018, 12, 5), NINE) == at(2019, 1, 2, 9)  # 1.1 is a holiday
    assert next_month_start(at(2018, 8, 1, 8, 59), time(10, 30)) == at(2018, 8, 1, 10, 30)
    assert previous_month(date(2018, 8, 1)) == (date(2018, 7, 1), date(2018, 7, 31))
    assert previous_month(date(2019, 1, 2)) == (date(2018, 12, 1), date(2018, 12, 31))
    assert previous_month(date(2018, 3, 2)) == (date(2018, 2, 1), date(2018, 2, 28))


def _pushes(calls: list[ApiCall], user: int) -> list[ApiCall]:
    """The monthly reports (the file, or the notice that it could not be made) sent to that user."""
    return [c for c in calls if int(c.params.get("chat_id", 0)) == user and (
        (c.method == "sendDocument" and str(c.params.get("caption", "")).startswith("📄"))
        or (c.method == "sendMessage" and str(c.params.get("text", "")).startswith("📄")))]


async def _is_the_month(runtime: Any, calls: list[ApiCall], first: date, last: date, caption: str) -> None:
    """One push: the month's report as a PDF with the caption, or — while the PDF renderer is not written — the
    caption and what to type instead."""
    (push,) = calls
    expected = rendered(await work_report_for(runtime, last, (first, last)), "pdf")
    if expected is None:
        assert push.method == "sendMessage" and push.params["text"] == view.push_failed(caption, last)
        assert f"/report {last.isoformat()}" in push.params["text"]
        return
    name, data = push.files["document"]
    assert name == f"주요업무보고_{last.isoformat()}.pdf" and push.params["caption"] == caption
    assert same_file(data, expected)


async def test_admins_with_the_push_on_get_last_months_report_once(sqlite_url: str,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    config = make_config(sqlite_url, access={"admins": [ADMIN_ID, OTHER_ADMIN, QUIET_ADMIN]})
    async with make_harness(config) as h:
        await join(h, STAFF_ID, ADMIN_ID)
        await h.send(QUIET_ADMIN, "/report off")
        scheduler = MonthlyReportScheduler(h.app)
        freeze(monkeypatch, h, at(2018, 8, 1, 8, 59))
        assert await scheduler.send_today() == 0  # not yet
        freeze(monkeypatch, h, at(2018, 8, 1, 9))
        h.request.clear()
        assert await scheduler.send_today() == 2
        await h.engine.run_due()
        caption = view.monthly_caption(date(2018, 7, 1), date(2018, 7, 31), at(2018, 8, 1, 9), NINE, late=False)
        assert caption.startswith("📄 7월 주요업무 보고 — 7.31.(화) 기준\n매월 첫 근무일")
        for admin in (ADMIN_ID, OTHER_ADMIN):
            await _is_the_month(h.runtime, _pushes(h.request.calls, admin), date(2018, 7, 1), date(2018, 7, 31),
                                caption)
        assert _pushes(h.request.calls, QUIET_ADMIN) == [] and _pushes(h.request.calls, STAFF_ID) == []
        h.request.clear()
        assert await scheduler.send_today() == 0  # claimed for the month: never twice
        await h.engine.run_due()
        freeze(monkeypatch, h, at(2018, 8, 2, 9))
        assert await scheduler.send_today() == 0  # another day of the month
        await h.engine.run_due()
        assert not any(_pushes(h.request.calls, user) for user in (ADMIN_ID, OTHER_ADMIN, QUIET_ADMIN, STAFF_ID))


async def test_a_crash_mid_push_neither_resends_nor_skips(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    async with make_harness(make_config(sqlite_url, access={"admins": [ADMIN_ID, OTHER_ADMIN]})) as h:
        nine = at(2018, 8, 1, 9)
        freeze(monkeypatch, h, nine)
        assert await MonthlyReportScheduler(h.app).send_today() == 2
        async with h.runtime.sessionmaker.begin() as session:  # a process claimed the rows, sent one, and died
            claimed = await reminders.claim_due(session, nine, token="dead", lease=timedelta(seconds=30), limit=100)
            (sent,) = [r for r in claimed if r.kind == reminders.MONTHLY_REPORT and r.recipient_id == ADMIN_ID]
            assert await reminders.mark_sent(session, sent.id, "dead", nine, 1, False)
        h.request.clear()
        await h.engine.run_due()  # its leases still run: nothing is taken over yet
        assert _pushes(h.request.calls, OTHER_ADMIN) == []
        freeze(monkeypatch, h, nine + timedelta(minutes=1))
        await h.engine.run_due()
        caption = view.monthly_caption(date(2018, 7, 1), date(2018, 7, 31), nine, NINE, late=False)
        assert _pushes(h.request.calls, ADMIN_ID) == []
        await _is_the_month(h.runtime, _pushes(h.request.calls, OTHER_ADMIN), date(2018, 7, 1), date(2018, 7, 31),
                            caption)


async def _queued(h: Harness) -> list[Reminder]:
    async with h.runtime.sessionmaker() as session:
        rows = await session.scalars(select(Reminder).where(Reminder.kind == reminders.MONTHLY_REPORT)
                                     .order_by(Reminder.id))
        return list(rows.all())


async def test_months_starting_on_a_weekend_or_a_holiday_wait_for_the_first_working_day(
        harness: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    scheduler = MonthlyReportScheduler(harness.app)
    for moment, month in ((at(2018, 8, 1, 9), "2018-07"), (at(2018, 9, 1, 9), None), (at(2018, 9, 2, 9), None),
                          (at(2018, 9, 3, 9), "2018-08"), (at(2018, 10, 1, 9), "2018-09"),
                          (at(2018, 10, 2, 9), None), (at(2019, 1, 1, 9), None), (at(2019, 1, 2, 9), "2018-12")):
        freeze(monkeypatch, harness, moment)
        before = len(await _queued(harness))
        assert await scheduler.send_today() == (1 if month else 0), moment
        rows = (await _queued(harness))[before:]
        assert [(row.subject, row.recipient_id, row.due_at) for row in rows] == (
            [(f"report:{month}", ADMIN_ID, moment)] if month else [])
    (december,) = [row for row in await _queued(harness) if row.subject == "report:2018-12"]
    assert december.text.startswith("📄 12월 주요업무 보고 — 2018.12.31.(월) 기준\n")
    assert scheduler.next_due(at(2018, 8, 1, 9)) == at(2018, 9, 3, 9)


async def test_two_applications_on_one_database_push_once(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    config = make_config(db_url)
    async with make_harness(config) as first, make_harness(config) as second:
        for h in (first, second):
            freeze(monkeypatch, h, at(2018, 8, 1, 9))
            h.request.clear()
        queued = await asyncio.gather(*(MonthlyReportScheduler(h.app).send_today() for h in (first, second)))
        assert sorted(queued) == [0, 1]
        await asyncio.gather(first.engine.run_due(), second.engine.run_due())
        pushes = _pushes(first.request.calls, ADMIN_ID) + _pushes(second.request.calls, ADMIN_ID)
        caption = view.monthly_caption(date(2018, 7, 1), date(2018, 7, 31), at(2018, 8, 1, 9), NINE, late=False)
        await _is_the_month(first.runtime, pushes, date(2018, 7, 1), date(2018, 7, 31), caption)
        async with first.runtime.sessionmaker() as session:
            claim = await claims.get(session, MONTHLY, "2018-07")
            assert claim is not None and claim.done_at is not None


@asynccontextmanager
async def _started(config: Config, instant: datetime, monkeypatch: pytest.MonkeyPatch
                   ) -> AsyncIterator[tuple[BotApplication, OfflineRequest]]:
    """The application started (its start-up hook run) at `instant`, the clock held there; reminders delivered by
    the test."""
    request = OfflineRequest()
    clock = Clock(SEOUL, instant)
    monkeypatch.setattr(clock, "now", lambda: instant)
    app = build_application(config, request=request, clock=clock)
    engine = app.bot_data["reminder_engine"]
    engine.pacer = Pacer(rate=10_000, per_chat=0)
    engine.scheduled = False
    async with running(app):
        yield app, request


async def test_a_push_missed_while_down_goes_out_late_at_the_next_start_that_day(
        config: Config, monkeypatch: pytest.MonkeyPatch) -> None:
    await migrate_and_seed(str(config.database.url))
    async with _started(config, at(2018, 8, 1, 11), monkeypatch) as (app, request):  # down at 09:00
        await app.bot_data["reminder_engine"].run_due()
        late = view.monthly_caption(date(2018, 7, 1), date(2018, 7, 31), at(2018, 8, 1, 11), NINE, late=True)
        assert "(늦게 보내는 보고서 — 8.1.(수) 09:00 예정이었음)" in late.splitlines()
        await _is_the_month(app.bot_data["runtime"], _pushes(request.calls, ADMIN_ID), date(2018, 7, 1),
                            date(2018, 7, 31), late)
    async with _started(config, at(2018, 8, 1, 15), monkeypatch) as (app, request):  # a restart: already sent
        await app.bot_data["reminder_engine"].run_due()
        assert _pushes(request.calls, ADMIN_ID) == []


async def test_a_push_is_never_sent_on_a_later_day(config: Config, monkeypatch: pytest.MonkeyPatch) -> None:
    await migrate_and_seed(str(config.database.url))
    async with _started(config, at(2018, 9, 4, 9, 30), monkeypatch) as (app, request):  # down all of 9.3
        await app.bot_data["reminder_engine"].run_due()
        assert _pushes(request.calls, ADMIN_ID) == []
    async with _started(config, at(2018, 10, 1, 9, 1), monkeypatch) as (app, request):  # queued, then it died
        pass
    async with _started(config, at(2018, 10, 2, 9), monkeypatch) as (app, request):  # the next day's start
        await app.bot_data["reminder_engine"].run_due()
        assert _pushes(request.calls, ADMIN_ID) == []
        async with app.bot_data["runtime"].sessionmaker() as session:
            (row,) = (await session.scalars(select(Reminder).where(Reminder.subject == "report:2018-09"))).all()
            assert row.state == reminders.FAILED and "earlier day" in (row.last_error or "")


async def test_no_push_when_the_configuration_turns_it_off(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    async with make_harness(make_config(sqlite_url, report={"monthly": False})) as h:
        scheduler = MonthlyReportScheduler(h.app)
        freeze(monkeypatch, h, at(2018, 8, 1, 9))
        assert await scheduler.send_today() == 0 and scheduler.next_due(at(2018, 8, 1, 9)) is None
        assert await _queued(h) == []


async def test_a_report_that_cannot_be_made_tells_the_admin_what_to_type(harness: Harness) -> None:
    row = reminders.new(kind=reminders.MONTHLY_REPORT, text="📄 13월 주요업무 보고", due_at=at(2018, 8, 1, 9),
                        now=at(2018, 8, 1, 9), recipient_id=ADMIN_ID, subject="report:2018-13")
    text, document = await monthly_file(harness.runtime, row)
    assert document is None and text.startswith("📄 13월 주요업무 보고\n⚠️ 보고서 파일을 만들지 못했습니다. /report ")
