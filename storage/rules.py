"""Recurring reminder rules (RFC 5545 RRULE text)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage import audit
from storage.models import RecurringRule, Reminder


async def create(
    session: AsyncSession, *, text: str, rrule: str, dtstart: datetime, holiday_shift: str,
    owner_id: int | None, audience: str, now: datetime, seed_key: str | None = None,
) -> RecurringRule:
    rule = RecurringRule(text=text, rrule=rrule, dtstart=dtstart, holiday_shift=holiday_shift, owner_id=owner_id,
                         audience=audience, active=True, seed_key=seed_key, created_at=now)
    session.add(rule)
    await session.flush()
    await audit.record(session, at=now, actor_id=owner_id, action="rule.create", entity="rule", entity_id=rule.id,
                       after={"text": text, "rrule": rrule, "holiday_shift": holiday_shift})
    return rule


async def by_seed_key(session: AsyncSession, seed_key: str) -> RecurringRule | None:
    return await session.scalar(select(RecurringRule).where(RecurringRule.seed_key == seed_key))


async def get(session: AsyncSession, rule_id: int) -> RecurringRule | None:
    return await session.get(RecurringRule, rule_id)


async def active(session: AsyncSession) -> Sequence[RecurringRule]:
    return (await session.scalars(select(RecurringRule).where(RecurringRule.active.is_(True))
                                  .order_by(RecurringRule.id))).all()


async def deactivate(session: AsyncSession, rule: RecurringRule, now: datetime, actor_id: int) -> None:
    rule.active = False
    await audit.record(session, at=now, actor_id=actor_id, action="rule.stop", entity="rule", entity_id=rule.id,
                       before={"active": True}, after={"active": False})


async def without_reminders(session: AsyncSession) -> Sequence[RecurringRule]:
    """Active rules that have no reminder row at all yet (seeded ones, before the bot first starts)."""
    has_rows = select(Reminder.id).where(Reminder.rule_id == RecurringRule.id).exists()
    query = select(RecurringRule).where(RecurringRule.active.is_(True), ~has_rows).order_by(RecurringRule.id)
    return (await session.scalars(query)).all()
