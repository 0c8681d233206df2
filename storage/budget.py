"""The business-promotion budget (업무추진비): lines, fields, opening balances, spending and its daily totals.

Every change to spending_entries moves spending_daily in the same transaction, so balances and trends read a
few hundred aggregate rows whatever the size of the ledger.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from types import MappingProxyType
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage import audit, bulk, counters, readcache
from storage.models import (
    BudgetAlert,
    BudgetField,
    BudgetLine,
    BudgetOpening,
    SpendingDaily,
    SpendingEntry,
)

CHUNK = bulk.CHUNK

@dataclass(frozen=True)
class EntryDraft:
    spent_on: date
    amount_won: int
    line_id: int
    field_id: int
    purpose: str
    payments: int = 1
    note: str | None = None


@dataclass(frozen=True)
class Totals:
    amount_won: int
    payments: int


_SNAPSHOT = ("spent_on", "amount_won", "line_id", "field_id", "purpose", "payments", "voided")


def _snapshot(entry: SpendingEntry) -> dict[str, Any]:
    """What the audit log keeps of an entry."""
    return {name: entry.spent_on.isoformat() if name == "spent_on" else getattr(entry, name) for name in _SNAPSHOT}


@dataclass(frozen=True)
class LineRow:
    """A budget line as it is kept in memory (storage/readcache.py): plain values, no session."""

    id: int
    year: int
    name: str
    short_name: str
    purpose: str
    allocation_won: int
    position: int


@dataclass(frozen=True)
class FieldRow:
    id: int
    year: int
    name: str
    description: str
    aliases: tuple[str, ...]
    position: int


@dataclass(frozen=True)
class OpeningRow:
    year: int
    as_of: date
    line_id: int | None
    field_id: int | None
    spent_won: int
    payments: int | None
    source: str


@dataclass(frozen=True)
class BookRows:
    """Every year's lines, fields and openings (a few dozen rows), each in its order."""

    lines: tuple[LineRow, ...]
    fields: tuple[FieldRow, ...]
    openings: tuple[OpeningRow, ...]

    def years(self) -> list[int]:
        return sorted({line.year for line in self.lines})


async def book_rows(session: AsyncSession) -> BookRows:
    lines_ = await session.execute(select(BudgetLine.id, BudgetLine.year, BudgetLine.name, BudgetLine.short_name,
                                          BudgetLine.purpose, BudgetLine.allocation_won, BudgetLine.position)
                                   .order_by(BudgetLine.year, BudgetLine.position))
    fields_ = await session.execute(select(BudgetField.id, BudgetField.year, BudgetField.name,
                                           BudgetField.description, BudgetField.aliases, BudgetField.position)
                                    .order_by(BudgetField.year, BudgetField.position))
    openings_ = await session.execute(select(BudgetOpening.year, BudgetOpening.as_of, BudgetOpening.line_id,
                                             BudgetOpening.field_id, BudgetOpening.spent_won, BudgetOpening.payments,
                                             BudgetOpening.source).order_by(BudgetOpening.id))
    return BookRows(tuple(LineRow(*row) for row in lines_.all()),
                    tuple(FieldRow(*row[:4], tuple(row[4] or ()), row[5]) for row in fields_.all()),
                    tuple(OpeningRow(*row) for row in openings_.all()))


async def cached_book_rows(session: AsyncSession) -> BookRows:
    """book_rows, from the read cache while the budget's lines, fields and openings are unchanged."""
    return await readcache.cached(session, "budget", None, book_rows)


async def lines(session: AsyncSession, year: int) -> Sequence[BudgetLine]:
    return (await session.scalars(select(BudgetLine).where(BudgetLine.year == year)
                                  .order_by(BudgetLine.position))).all()


async def fields(session: AsyncSession, year: int) -> Sequence[BudgetField]:
    return (await session.scalars(select(BudgetField).where(BudgetField.year == year)
                                  .order_by(BudgetField.position))).all()


async def years(session: AsyncSession) -> list[int]:
    return list((await session.scalars(select(BudgetLine.year).distinct().order_by(BudgetLine.year))).all())


async def openings(session: AsyncSession, year: int) -> Sequence[BudgetOpening]:
    return (await session.scalars(select(BudgetOpening).where(BudgetOpening.year == year)
                                  .order_by(BudgetOpening.id))).all()


async def _move_daily(session: AsyncSession, entry: SpendingEntry, sign: int) -> None:
    await counters.add_to(session, SpendingDaily,
                          {"line_id": entry.line_id, "field_id": entry.field_id, "day": entry.spent_on},
                          {"amount_won": sign * entry.amount_won, "payments": sign * entry.payments})


async def add_entry(session: AsyncSession, draft: EntryDraft, year: int, now: datetime, actor_id: int | None
                    ) -> SpendingEntry:
    entry = SpendingEntry(year=year, spent_on=draft.spent_on, amount_won=draft.amount_won, line_id=draft.line_id,
                          field_id=draft.field_id, purpose=draft.purpose, payments=draft.payments, note=draft.note,
                          logged_by=actor_id, logged_at=now, voided=False)
    session.add(entry)
    await session.flush()
    await _move_daily(session, entry, +1)
    await audit.record(session, at=now, actor_id=actor_id, action="spending.add", entity="spending",
                       entity_id=entry.id, after=_snapshot(entry))
    return entry


async def add_entries(session: AsyncSession, drafts: Sequence[EntryDraft], year: int, now: datetime,
                      actor_id: int | None, source: str = "import") -> int:
    """add_entry for many drafts (an import) in a few statements: the entries inserted in chunks, the daily
    totals moved once per (line, field, day), one audit row for the whole import."""
    daily: dict[tuple[int, int, date], list[int]] = {}
    for start in range(0, len(drafts), CHUNK):
        part = drafts[start:start + CHUNK]
        await bulk.insert_rows(session, SpendingEntry, [
            {"year": year, "spent_on": d.spent_on, "amount_won": d.amount_won, "line_id": d.line_id,
             "field_id": d.field_id, "purpose": d.purpose, "payments": d.payments, "note": d.note,
             "logged_by": actor_id, "logged_at": now, "voided": False} for d in part])
        for draft in part:
            sums = daily.setdefault((draft.line_id, draft.field_id, draft.spent_on), [0, 0])
            sums[0] += draft.amount_won
            sums[1] += draft.payments
    await counters.add_many(session, SpendingDaily, ("line_id", "field_id", "day"), [
        {"line_id": line_id, "field_id": field_id, "day": day, "amount_won": amount, "payments": payments}
        for (line_id, field_id, day), (amount, payments) in daily.items()])
    await audit.record(session, at=now, actor_id=actor_id, action="spending.import", entity="spending",
                       entity_id=source[:128], after={"entries": len(drafts),
                                                      "amount_won": sum(d.amount_won for d in drafts)})
    return len(drafts)


async def void_entry(session: AsyncSession, entry: SpendingEntry, now: datetime, actor_id: int) -> None:
    before = _snapshot(entry)
    entry.voided = True
    await _move_daily(session, entry, -1)
    await audit.record(session, at=now, actor_id=actor_id, action="spending.void", entity="spending",
                       entity_id=entry.id, before=before, after=_snapshot(entry))


async def correct_amount(session: AsyncSession, entry: SpendingEntry, amount_won: int, now: datetime,
                         actor_id: int) -> None:
    before = _snapshot(entry)
    await _move_daily(session, entry, -1)
    entry.amount_won = amount_won
    await _move_daily(session, entry, +1)
    await audit.record(session, at=now, actor_id=actor_id, action="spending.correct", entity="spending",
                       entity_id=entry.id, before=before, after=_snapshot(entry))


async def set_allocation(session: AsyncSession, line_id: int, amount_won: int, now: datetime,
                         actor_id: int) -> None:
    line = await session.get_one(BudgetLine, line_id)
    before = {"allocation_won": line.allocation_won}
    line.allocation_won = amount_won
    await audit.record(session, at=now, actor_id=actor_id, action="budget.allocate", entity="budget_line",
                       entity_id=line.id, before=before, after={"allocation_won": amount_won})


async def get_entry(session: AsyncSession, entry_id: int) -> SpendingEntry | None:
    return await session.get(SpendingEntry, entry_id)


async def last_entry_by(session: AsyncSession, actor_id: int) -> SpendingEntry | None:
    return await session.scalar(
        select(SpendingEntry).where(SpendingEntry.logged_by == actor_id, SpendingEntry.voided.is_(False))
        .order_by(SpendingEntry.logged_at.desc(), SpendingEntry.id.desc()).limit(1))


async def recent_entries(session: AsyncSession, year: int, limit: int = 10) -> Sequence[SpendingEntry]:
    return (await session.scalars(
        select(SpendingEntry).where(SpendingEntry.year == year, SpendingEntry.voided.is_(False))
        .order_by(SpendingEntry.id.desc()).limit(limit))).all()


async def ledger(session: AsyncSession, year: int) -> Sequence[SpendingEntry]:
    return (await session.scalars(select(SpendingEntry).where(SpendingEntry.year == year)
                                  .order_by(SpendingEntry.spent_on, SpendingEntry.id))).all()


async def totals(session: AsyncSession, after: date, until: date, by: str) -> dict[int, Totals]:
    """Logged spending with after < day <= until, per line ('line') or field ('field')."""
    key = SpendingDaily.line_id if by == "line" else SpendingDaily.field_id
    rows = await session.execute(
        select(key, func.sum(SpendingDaily.amount_won), func.sum(SpendingDaily.payments))
        .where(SpendingDaily.day > after, SpendingDaily.day <= until).group_by(key))
    return {ident: Totals(int(amount or 0), int(count or 0)) for ident, amount, count in rows.all()}


async def totals_by_pair(session: AsyncSession, after: date, until: date) -> dict[tuple[int, int], Totals]:
    """Logged spending with after < day <= until, per (line, field): both axes' totals from one query."""
    rows = await session.execute(
        select(SpendingDaily.line_id, SpendingDaily.field_id, func.sum(SpendingDaily.amount_won),
               func.sum(SpendingDaily.payments))
        .where(SpendingDaily.day > after, SpendingDaily.day <= until)
        .group_by(SpendingDaily.line_id, SpendingDaily.field_id))
    return {(line, field): Totals(int(amount or 0), int(count or 0)) for line, field, amount, count in rows.all()}


async def cached_totals(session: AsyncSession, after: date, until: date) -> Mapping[tuple[int, int], Totals]:
    """totals_by_pair, from the read cache while spending_daily is unchanged (every entry, void, correction
    and import moves it, in its own transaction)."""
    async def load(session: AsyncSession) -> Mapping[tuple[int, int], Totals]:
        return MappingProxyType(await totals_by_pair(session, after, until))

    return await readcache.cached(session, "spending", (after, until), load)


async def last_day(session: AsyncSession, after: date, until: date) -> date | None:
    """The latest day with logged spending in after < day <= until."""
    return await session.scalar(select(func.max(SpendingDaily.day)).where(
        SpendingDaily.day > after, SpendingDaily.day <= until,
        (SpendingDaily.amount_won != 0) | (SpendingDaily.payments != 0)))


async def daily(session: AsyncSession, after: date, until: date, line_id: int | None = None
                ) -> list[tuple[date, int]]:
    """Logged spending per day (optionally of one line), for trends."""
    query = (select(SpendingDaily.day, func.sum(SpendingDaily.amount_won))
             .where(SpendingDaily.day > after, SpendingDaily.day <= until)
             .group_by(SpendingDaily.day).order_by(SpendingDaily.day))
    if line_id is not None:
        query = query.where(SpendingDaily.line_id == line_id)
    return [(day, int(amount or 0)) for day, amount in (await session.execute(query)).all()]


async def alert_due(session: AsyncSession, line_id: int, now: datetime, every_days: int = 7) -> bool:
    """True (and the alert recorded) when the line's pace alert was not raised in the last week."""
    alert = await session.get(BudgetAlert, line_id)
    if alert is not None and (now - alert.last_at).days < every_days:
        return False
    if alert is None:
        session.add(BudgetAlert(line_id=line_id, last_at=now))
    else:
        alert.last_at = now
    await session.flush()
    return True


async def upsert_line(session: AsyncSession, year: int, name: str, short_name: str, purpose: str,
                      allocation_won: int, position: int) -> BudgetLine:
    line = await session.scalar(select(BudgetLine).where(BudgetLine.year == year, BudgetLine.name == name))
    if line is None:
        line = BudgetLine(year=year, name=name)
        session.add(line)
    line.short_name, line.purpose, line.allocation_won, line.position = short_name, purpose, allocation_won, position
    await session.flush()
    return line


async def upsert_field(session: AsyncSession, year: int, name: str, description: str, aliases: list[str],
                       position: int) -> BudgetField:
    field = await session.scalar(select(BudgetField).where(BudgetField.year == year, BudgetField.name == name))
    if field is None:
        field = BudgetField(year=year, name=name)
        session.add(field)
    field.description, field.aliases, field.position = description, aliases, position
    await session.flush()
    return field


async def replace_openings(session: AsyncSession, year: int, rows: Sequence[BudgetOpening]) -> None:
    for old in await openings(session, year):
        await session.delete(old)
    await session.flush()
    session.add_all(rows)
    await session.flush()
