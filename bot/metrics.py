"""The bot's Prometheus metrics, in a registry of its own per application (tests run several side by side).

Counted in the process (per replica; sum them across replicas):
  secretariat_updates_total{kind,intent}        updates processed: kind text|command|callback|document|other,
                                                intent the router's understanding of a text ("" otherwise)
  secretariat_update_seconds{kind}              histogram of the time to process one update
  secretariat_bot_api_errors_total{code,method} Bot API calls that failed: code 400|401|403|404|409|429|…|5xx|network
  secretariat_webhook_rejected_total{reason}    webhook posts refused: forbidden (secret) | malformed (body)
Read from the shared database at scrape time (the same on every replica; do not sum):
  secretariat_reminders{state}                  pending | sent | late | failed
  secretariat_reminders_overdue                 pending a minute past their time
  secretariat_drafts_open                       open, unexpired drafts (echoes, forms, questions asked back)
  secretariat_database_up                       1 when the scrape could read those, else 0 (they keep old values)
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime

import prometheus_client
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram._utils.defaultvalue import DEFAULT_NONE
from telegram._utils.types import ODVInput
from telegram.error import NetworkError
from telegram.request import BaseRequest, RequestData

from bot.startup import DATABASE_ERRORS, describe
from storage import stats

log = logging.getLogger(__name__)
prometheus_client.disable_created_metrics()  # no *_created series beside every counter

CONTENT_TYPE = prometheus_client.CONTENT_TYPE_LATEST
LATENCY_BUCKETS = (0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
SCRAPE_TIMEOUT = 5.0  # seconds for the database reads of one scrape


class Metrics:
    def __init__(self) -> None:
        self.registry = registry = CollectorRegistry()
        self.updates = Counter("secretariat_updates", "Updates processed, by kind and (for texts) intent",
                               ["kind", "intent"], registry=registry)
        self.latency = Histogram("secretariat_update_seconds", "Time to process one update", ["kind"],
                                 buckets=LATENCY_BUCKETS, registry=registry)
        self.bot_api_errors = Counter("secretariat_bot_api_errors", "Failed Bot API calls, by error code and method",
                                      ["code", "method"], registry=registry)
        self.webhook_rejected = Counter("secretariat_webhook_rejected", "Webhook posts refused, by reason",
                                        ["reason"], registry=registry)
        self.reminders = Gauge("secretariat_reminders", "Reminders in the database, by state", ["state"],
                               registry=registry)
        self.reminders_overdue = Gauge("secretariat_reminders_overdue",
                                       "Reminders still pending a minute after they were due", registry=registry)
        self.drafts_open = Gauge("secretariat_drafts_open", "Open, unexpired drafts", registry=registry)
        self.database_up = Gauge("secretariat_database_up", "1 when the last scrape could read the database",
                                 registry=registry)
        for state in stats.REMINDER_STATES:
            self.reminders.labels(state)
        # labels() takes a lock and builds a key: the children an update needs are kept here instead.
        self._counted: dict[tuple[str, str], Counter] = {}
        self._timed: dict[str, Histogram] = {}

    def observe_update(self, kind: str, intent: str, seconds: float) -> None:
        counter = self._counted.get((kind, intent))
        if counter is None:
            counter = self._counted[(kind, intent)] = self.updates.labels(kind, intent)
        counter.inc()
        timer = self._timed.get(kind)
        if timer is None:
            timer = self._timed[kind] = self.latency.labels(kind)
        timer.observe(seconds)

    def bot_api_error(self, code: str, method: str) -> None:
        self.bot_api_errors.labels(code, method).inc()

    async def read_database(self, sessionmaker: async_sessionmaker[AsyncSession], now: datetime) -> None:
        """Refresh the gauges read from the database (on an error they keep their values and database_up is 0)."""
        try:
            async with asyncio.timeout(SCRAPE_TIMEOUT), sessionmaker() as session:
                reminders = await stats.reminder_counts(session)
                overdue = await stats.overdue_reminders(session, now)
                drafts = await stats.open_drafts(session, now)
        except (*DATABASE_ERRORS, TimeoutError) as exc:
            log.warning("Metrics: the database could not be read: %s", describe(exc))
            self.database_up.set(0)
            return
        for state, count in reminders.items():
            self.reminders.labels(state).set(count)
        self.reminders_overdue.set(overdue)
        self.drafts_open.set(drafts)
        self.database_up.set(1)

    def render(self) -> bytes:
        return prometheus_client.generate_latest(self.registry)


def error_code(status: int) -> str:
    return "5xx" if status >= 500 else str(status)


def api_method(url: str) -> str:
    """The Bot API method of a request URL (its last segment: the token, before it, never shows)."""
    return url.rsplit("/", 1)[-1].split("?", 1)[0][:40] or "?"


class MeteredRequest(BaseRequest):
    """A request that reports every failed Bot API call (an HTTP error status or no answer) and passes it on."""

    __slots__ = ("_inner", "_report")

    def __init__(self, inner: BaseRequest, report: Callable[[str, str], None]) -> None:
        self._inner = inner
        self._report = report

    @property
    def inner(self) -> BaseRequest:
        return self._inner

    @property
    def read_timeout(self) -> float | None:
        return self._inner.read_timeout

    async def initialize(self) -> None:
        await self._inner.initialize()

    async def shutdown(self) -> None:
        await self._inner.shutdown()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = DEFAULT_NONE,
        write_timeout: ODVInput[float] = DEFAULT_NONE,
        connect_timeout: ODVInput[float] = DEFAULT_NONE,
        pool_timeout: ODVInput[float] = DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        try:
            status, payload = await self._inner.do_request(
                url, method, request_data, read_timeout=read_timeout, write_timeout=write_timeout,
                connect_timeout=connect_timeout, pool_timeout=pool_timeout)
        except NetworkError:  # TimedOut included
            self._report("network", api_method(url))
            raise
        if status >= 400:
            self._report(error_code(status), api_method(url))
        return status, payload
