"""build_application(): the one place where handlers, the error handler, jobs and the start-up and
shut-down hooks are wired, in the order they run."""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from functools import partial
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine
from telegram import BotCommand, Update
from telegram.error import TelegramError
from telegram.ext import AIORateLimiter, Application, ContextTypes, TypeHandler
from telegram.request import BaseRequest

from bot import workers
from bot.briefing import BriefingScheduler
from bot.clock import Clock
from bot.config import Config, clock_time
from bot.context import BotApplication, BotContext
from bot.domain.leads import ReminderSettings
from bot.engine import ReminderEngine
from bot.logs import install_library_filters
from bot.metrics import MeteredRequest, Metrics
from bot.report_push import MonthlyReportScheduler
from bot.runtime import Runtime
from bot.sending import FittingApplicationBuilder, FittingBot
from bot.services.budget import raise_budget_alerts
from bot.services.conversation import purge_old
from bot.services.fieldwork import Rules
from bot.services.pledges import ensure_evaluation_events
from bot.services.reports import monthly_file
from bot.services.scheduling import plan_unplanned
from bot.sheets.common import MEGABYTE, ImportLimits
from bot.tracing import TracedApplication, name_handlers
from handlers import (
    agenda,
    asked,
    budget,
    conversation,
    documents,
    errors,
    events,
    facts,
    fallback,
    followups,
    gate,
    more,
    pledges,
    reminders,
    report,
    staff,
    staffing,
    start,
    visits,
)
from handlers.router import Router
from storage import claims, people
from storage.db import make_engine, make_sessionmaker
from storage.migrate import upgrade
from storage.reminders import MONTHLY_REPORT

log = logging.getLogger(__name__)

OFFLINE_TOKEN = "0:offline"
STARTUP = "startup"  # the job-claim row the start-up catch-up is serialized on


def _collect(features: tuple[Any, ...], attribute: str) -> tuple[Any, ...]:
    return tuple(item for module in features for item in getattr(module, attribute, ()))


def _add_handlers(app: BotApplication, features: tuple[Any, ...]) -> None:
    # Group -1: the access gate sees every update first and stops those of non-members.
    app.add_handler(TypeHandler(Update, gate.check), group=-1)
    app.bot_data[conversation.REGISTRY] = conversation.collect(features)
    for module in features:
        app.add_handlers(module.handlers())
    router = Router(
        intents={name: cb for module in features for name, cb in getattr(module, "INTENTS", {}).items()},
        not_understood=fallback.not_understood,
        answer_first=asked.answer_first,  # a follow-up about the last subject ("집행률은?")
        no_answer=facts.no_answer,
        fact_index=facts.fact_index,
        fact_answer=facts.answer,
    )
    app.add_handler(router.button_handler())  # "이거 말씀이세요?" choices, before fallback's stale-button catch-all
    app.add_handler(router.handler())
    app.add_handlers(fallback.handlers())
    # Group 1: after a command has been handled, an open form is set aside and offered back.
    app.add_handler(conversation.after_commands(), group=1)
    app.add_error_handler(errors.on_error)


async def _post_init(app: BotApplication) -> None:
    runtime: Runtime = app.bot_data["runtime"]
    database: AsyncEngine = app.bot_data["engine"]
    config: Config = app.bot_data["config"]
    if config.database.migrate_on_start:  # under an advisory lock on PostgreSQL: replicas migrate one at a time
        await upgrade(database)
    async with runtime.sessionmaker.begin() as session:
        # The start-up catch-up (pledge deadlines, unplanned reminders, budget pace alerts) checks what exists
        # before it writes; serialized across replicas, the second one starting finds the first one's rows.
        await claims.serialize(session, STARTUP, claims.PROCESS, runtime.now())
        await people.ensure_admins(session, runtime.admins, runtime.now())
        await ensure_evaluation_events(session, runtime.now(), app.bot_data["config"].pledges.evaluation_lead_days,
                                       app.bot_data["config"].pledges.review_month)
        await plan_unplanned(session, runtime.reminder_settings, runtime.now())
        await raise_budget_alerts(session, runtime)
        await claims.finish(session, STARTUP, "", runtime.now())
    await purge_old(runtime)
    engine: ReminderEngine = app.bot_data["reminder_engine"]
    runtime.wake = engine.wake
    engine.start()
    briefing = BriefingScheduler(app)
    await briefing.send_today()  # missed while every process was down: once, late, the same day only
    briefing.start()
    monthly = MonthlyReportScheduler(app)
    await monthly.send_today()  # the same: a missed monthly report goes out late, the same day only
    monthly.start()
    commands = [BotCommand(c.name, c.description) for c in runtime.commands if not c.admin_only]
    try:
        await app.bot.set_my_commands(commands)
    except TelegramError as exc:
        log.warning("setMyCommands failed (the bot works without the command menu): %s", exc)
    _freeze_start_up_heap()


def _freeze_start_up_heap() -> None:
    """Move what start-up built (modules, mappers, tables) out of the collector's sight, once per process: a full
    collection then walks only what updates allocate, and stops the loop for a third of the time (0.25 s → 0.08 s
    during a 50,000-row import, bench/loop_block.py)."""
    if not gc.get_freeze_count():
        gc.freeze()


async def _post_shutdown(app: BotApplication) -> None:
    if (lock := app.bot_data.pop("polling_lock", None)) is not None:  # taken by `run` in polling mode
        await lock.release()
    engine: AsyncEngine = app.bot_data["engine"]
    await engine.dispose()
    await asyncio.to_thread(workers.shutdown)  # the chart and spreadsheet worker processes, if any were started


def build_application(
    config: Config,
    *,
    request: BaseRequest | None = None,
    clock: Clock | None = None,
    database_url: str | None = None,
    extra_admins: tuple[int, ...] = (),
    rate_limit: bool = True,
) -> BotApplication:
    """Wire the bot. With `request` given (console chat, tests) no network is used. ``rate_limit=False`` leaves
    out PTB's AIORateLimiter (benches that measure the bot's own cost and latency)."""
    install_library_filters()  # 429s and shutdown cancellations are ours to log, in one line
    token = config.telegram.token.get() or OFFLINE_TOKEN
    metrics = Metrics()  # a registry of its own: applications side by side (tests) count apart
    builder = (
        FittingApplicationBuilder()  # every text fitted to Telegram's limits on its way out (bot/sending.py)
        .application_class(TracedApplication, {"metrics": metrics})  # every update timed and counted
        .wrap_requests(lambda inner: MeteredRequest(inner, metrics.bot_api_error))  # failed Bot API calls counted
        .token(token)
        .context_types(ContextTypes(context=BotContext))
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
    )
    if rate_limit:
        builder = builder.rate_limiter(AIORateLimiter(max_retries=0))
    if config.telegram.api_base_url:
        base = config.telegram.api_base_url.rstrip("/")
        builder = builder.base_url(base).base_file_url(base.removesuffix("/bot") + "/file/bot")
    if request is not None:
        builder = builder.request(request).get_updates_request(request)
    if config.telegram.mode == "webhook":  # updates come from bot/web.py's server, not from an Updater
        builder = builder.updater(None)
    app: BotApplication = builder.build()
    if isinstance(app, TracedApplication):
        app.hash_key = token.encode()  # log lines name users by a keyed hash (bot/tracing.py)
        app.log_updates = config.logging.updates
    # The features, in the order their handlers are tried (all in group 0; the first match wins). Their INTENTS
    # go to the free-text router, which comes after every feature handler and asks the conversation mechanism
    # (their FLOWS: draft kinds) first; `fallback` stays last. This list is the one place a feature is added.
    features: tuple[Any, ...] = (start, staff, staffing, conversation, events, reminders, agenda, budget, pledges,
                                 visits, facts, documents, followups, report, more)

    engine = make_engine(database_url or config.database.url)
    app.bot_data["engine"] = engine
    app.bot_data["config"] = config
    app.bot_data["runtime"] = Runtime(
        sessionmaker=make_sessionmaker(engine),
        clock=clock or Clock(config.schedule.tz),
        admins=frozenset(config.access.admins) | frozenset(extra_admins),
        allow_groups=config.access.allow_groups,
        secrets=config.secrets(),
        commands=_collect(features, "COMMANDS"),
        reminder_settings=reminder_settings(config),
        briefing_time=config.schedule.briefing,
        report_staff_may_request=config.report.staff_may_request,
        report_monthly=config.report.monthly,
        report_monthly_time=config.report.monthly_at,
        budget_alert_points=float(config.budget.pace_alert_points),
        budget_max_entry_won=config.budget.max_entry_won,
        import_limits=import_limits(config),
        pledge_statuses=config.pledges.statuses,
        pledge_late_status=config.pledges.late_status,
        field_rules=Rules(config.fieldwork.council_briefing_days, config.fieldwork.press_categories,
                          config.fieldwork.press_briefing_days, config.fieldwork.edit_days),
        visit_categories=config.fieldwork.visit_categories,
        meeting_types=config.fieldwork.meeting_types,
        fact_stale_days=config.facts.stale_after_days,
        draft_ttl=timedelta(hours=config.conversation.draft_hours),
        menu=(*(row for module in features if (row := getattr(module, "MENU_ROW", None))), ("도움말",)),
    )
    if isinstance(app.bot, FittingBot):  # keyboards past six buttons page through rows kept in the database
        app.bot.keep_keyboards_with(more.keep_keyboards(app.bot_data["runtime"]))
    remind = config.reminders
    app.bot_data["reminder_engine"] = ReminderEngine(
        app, app.bot_data["runtime"].reminder_settings, lease=timedelta(seconds=remind.lease_seconds),
        max_attempts=remind.max_attempts, poll_seconds=remind.poll_seconds,
        composers={MONTHLY_REPORT: partial(monthly_file, app.bot_data["runtime"])})
    _add_handlers(app, features)
    name_handlers(app)
    return app


def import_limits(config: Config) -> ImportLimits:
    imports = config.imports
    return ImportLimits(max_bytes=imports.max_upload_mb * MEGABYTE, max_rows=imports.max_rows,
                        max_unzipped_bytes=imports.max_unzipped_mb * MEGABYTE)


def reminder_settings(config: Config) -> ReminderSettings:
    remind = config.reminders
    return ReminderSettings(lead_days=remind.lead_days, lead_time=clock_time(remind.lead_time),
                            before_minutes=remind.before_minutes, catch_up=timedelta(hours=remind.catch_up_hours),
                            morning=clock_time(remind.morning))


@asynccontextmanager
async def running(app: Application[Any, Any, Any, Any, Any, Any]) -> AsyncIterator[None]:
    """Start an application without an updater (console chat, tests): updates come via process_update."""
    await app.initialize()
    if app.post_init:
        await app.post_init(app)
    await app.start()
    try:
        yield
    finally:
        await app.stop()
        await app.shutdown()
        if app.post_shutdown:
            await app.post_shutdown(app)
