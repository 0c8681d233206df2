"""The per-application runtime every handler and service may use (no telegram here; the per-update context
is in bot/context.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.commands import CommandHelp
from bot.domain.leads import ReminderSettings
from bot.services.fieldwork import Rules
from bot.sheets.common import ImportLimits
from storage import readcache


@dataclass(frozen=True)
class Member:
    """The roster member behind the current update, as the access gate found them."""

    telegram_id: int
    name: str
    is_admin: bool


@dataclass
class Runtime:
    """Long-lived services, created by build_application() and kept in bot_data."""

    sessionmaker: async_sessionmaker[AsyncSession]
    clock: Clock
    admins: frozenset[int]
    allow_groups: bool
    secrets: tuple[str, ...] = ()
    commands: tuple[CommandHelp, ...] = ()
    menu: tuple[tuple[str, ...], ...] = ()
    reminder_settings: ReminderSettings = field(default_factory=ReminderSettings)
    briefing_time: time = time(8, 30)
    report_staff_may_request: bool = False  # [report]: staff may ask for the work report too
    report_monthly: bool = True  # the previous month's report to the admins on each month's first working day
    report_monthly_time: time = time(9, 0)
    budget_alert_points: float = 15.0
    budget_max_entry_won: int = 50_000_000
    import_limits: ImportLimits = field(default_factory=ImportLimits)
    pledge_statuses: tuple[str, ...] = ("정상추진", "지연", "완료", "보류", "미착수")
    pledge_late_status: str = "지연"
    field_rules: Rules = field(default_factory=Rules)
    visit_categories: tuple[str, ...] = ("기타",)
    meeting_types: tuple[str, ...] = ("기타",)
    fact_stale_days: int = 365
    draft_ttl: timedelta = timedelta(hours=24)  # an unanswered echo or form expires with no effect
    # Wakes the reminder engine after a handler wrote reminder rows (set when the engine starts).
    wake: Callable[[], None] = lambda: None
    # Last admin alert per kind, to send at most one a minute (see handlers.errors).
    last_alert: dict[str, datetime] = field(default_factory=dict)

    def begin_update(self) -> None:
        """An update starts (the access gate): cached reads check the database's versions once in it."""
        readcache.new_update()

    def now(self) -> datetime:
        return self.clock.now()

    @property
    def tz(self) -> Any:
        return self.clock.tz
