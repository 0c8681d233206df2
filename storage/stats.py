"""Counts for the operations metrics, read at scrape time: cheap GROUP BYs over the reminders and drafts.

They describe the shared database, so every replica reports the same figures (scrape any one; do not sum)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage import drafts, reminders
from storage.models import Draft, Reminder

REMINDER_STATES = ("pending", "sent", "late", "failed")
_WAITING = (reminders.PENDING, reminders.CLAIMED)
_DELIVERED = (reminders.SENT, reminders.DONE, reminders.SKIPPED, reminders.SNOOZED)
OVERDUE_GRACE = timedelta(minutes=1)


async def reminder_counts(session: AsyncSession) -> dict[str, int]:
    """pending: not yet delivered (claimed ones included); sent: delivered on time; late: delivered late
    (marked as such, downtime summaries included); failed: given up. Cancelled and fanned-out rows are left out."""
    counts = dict.fromkeys(REMINDER_STATES, 0)
    rows = await session.execute(
        select(Reminder.state, Reminder.late, func.count()).group_by(Reminder.state, Reminder.late))
    for state, late, count in rows:
        if state in _WAITING:
            counts["pending"] += count
        elif state == reminders.FAILED:
            counts["failed"] += count
        elif state in _DELIVERED:
            counts["late" if late else "sent"] += count
    return counts


async def overdue_reminders(session: AsyncSession, now: datetime) -> int:
    """Reminders still waiting a minute after they were due: a stuck or stopped delivery."""
    return int(await session.scalar(
        select(func.count()).select_from(Reminder)
        .where(Reminder.state == reminders.PENDING, Reminder.due_at < now - OVERDUE_GRACE)) or 0)


async def open_drafts(session: AsyncSession, now: datetime) -> int:
    """Echoes waiting for 확인, forms between steps and questions asked back that have not expired."""
    return int(await session.scalar(
        select(func.count()).select_from(Draft).where(Draft.state == drafts.OPEN, Draft.expires_at > now)) or 0)
