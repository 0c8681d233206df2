"""Budget use cases shared by the chat handlers and the CLI: the summary as of a date, logging a spending
entry with its checks, the pace alert. No Telegram here."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cached_property
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.budget import Logged, MonthPoint, Opening, Pace, Summary, monthly_trend, pace, summarize
from bot.lang.names import SURE, NameIndex, NameLookup
from bot.lang.spending import FIELD, LINE
from bot.present import budget as view
from bot.present.budget import alert_text, ceiling_text, overdraw_text
from bot.runtime import Runtime
from bot.services import topics
from bot.sheets.common import ImportLimits
from bot.workers import run_cpu
from storage import audit, budget, reminders
from storage.budget import EntryDraft, FieldRow, LineRow
from storage.models import SpendingEntry

NO_BOOK = "등록된 업무추진비 예산이 없습니다. 관리자가 'secretariat-bot seed'로 보고서 자료를 불러올 수 있습니다."
UNDO_WINDOW = timedelta(hours=24)  # one's own entry can be taken back (or, by staff, corrected) this long


@dataclass(frozen=True)
class Book:
    """A fiscal year's lines and fields, and where its ledger starts."""

    year: int
    lines: Sequence[LineRow]
    fields: Sequence[FieldRow]
    opening_date: date
    source: str
    line_openings: dict[int, Opening]
    field_openings: dict[int, Opening]

    def line(self, line_id: int) -> LineRow | None:
        return next((line for line in self.lines if line.id == line_id), None)

    def field(self, field_id: int) -> FieldRow | None:
        return next((field for field in self.fields if field.id == field_id), None)

    @cached_property
    def _names(self) -> NameIndex:
        index = NameIndex()
        index.add(LINE, [n for line in self.lines for n in (line.name, line.short_name)])
        index.add(FIELD, [n for field in self.fields for n in (field.name, *field.aliases)])
        return index

    def names(self) -> NameIndex:
        """The book's line and field names (built once per book: books are cached while unchanged)."""
        return self._names

    def resolve(self, lookup: NameLookup | None, kind: str) -> LineRow | FieldRow | None:
        """The one line (or field) a mention names: every strong candidate must point at the same one
        ('기관운영' matches both 기관운영 and 기관운영업무추진비, which are one line)."""
        if lookup is None:
            return None
        named = self.line_named if kind == LINE else self.field_named
        strong = {named(c.name) for c in lookup.candidates if c.kind == kind and c.score >= SURE}
        strong.discard(None)
        return strong.pop() if len(strong) == 1 else None

    def line_named(self, name: str) -> LineRow | None:
        return next((line for line in self.lines if name in (line.name, line.short_name)), None)

    def field_named(self, name: str) -> FieldRow | None:
        return next((field for field in self.fields if name == field.name or name in field.aliases), None)

    def named(self, text: str, subject: str | None) -> tuple[LineRow | None, FieldRow | None]:
        """The line and the field a question names: by the book's names in its words, else by the reading's
        subject (a line's short name or a field's name)."""
        lines = [self.resolve(x, LINE) for x in self.names().find_all(text, kinds=(LINE,))]
        fields = [self.resolve(x, FIELD) for x in self.names().find_all(text, kinds=(FIELD,))]
        line = next((x for x in lines if isinstance(x, LineRow)), None)
        field = next((x for x in fields if isinstance(x, FieldRow)), None)
        if line is None and field is None and subject:
            return self.line_named(subject), self.field_named(subject)
        return line, field

    def spellings(self) -> tuple[dict[str, str], dict[str, str]]:
        """Every accepted spelling of a line and of a field -> its canonical name (spreadsheet import)."""
        lines = {n: line.name for line in self.lines for n in (line.name, line.short_name)}
        fields = {n: field.name for field in self.fields for n in (field.name, *field.aliases)}
        return lines, fields


async def open_book(session: AsyncSession, today: date) -> Book | None:
    """This year's book, or the latest year that has one (the demo data is 2018's); read from the read cache
    while the budget's lines, fields and openings are unchanged."""
    rows = await budget.cached_book_rows(session)
    known = rows.years()
    if not known:
        return None
    earlier = [y for y in known if y <= today.year]
    year = today.year if today.year in known else max(earlier) if earlier else min(known)
    lines = [line for line in rows.lines if line.year == year]
    fields = [field for field in rows.fields if field.year == year]
    openings = [opening for opening in rows.openings if opening.year == year]
    opening_date = max((o.as_of for o in openings), default=date(year, 1, 1))
    source = openings[0].source if openings else "기록"
    return Book(
        year, lines, fields, opening_date, source,
        {o.line_id: Opening(o.line_id, o.spent_won, o.payments) for o in openings if o.line_id is not None},
        {o.field_id: Opening(o.field_id, o.spent_won, o.payments) for o in openings if o.field_id is not None},
    )


def over_limits(line_name: str, left: int, amount: int, ceiling: int) -> list[str]:
    """What only an admin's approval lets through: more than the line's balance, more than the single-entry
    ceiling (config budget.max_entry_won). Chat and import check the same two."""
    warnings = []
    if amount > left:
        warnings.append(overdraw_text(line_name, left, amount))
    if amount > ceiling:
        warnings.append(ceiling_text(amount, ceiling))
    return warnings


def clamp_as_of(book: Book, wanted: date) -> date:
    """As-of dates run from the opening date to the year's end."""
    return min(max(wanted, book.opening_date), date(book.year, 12, 31))


def as_of_problem(book: Book, wanted: date) -> str | None:
    """Why figures can't be shown as of `wanted` (outside the ledger): said, never answered for another day."""
    if book.opening_date <= wanted <= date(book.year, 12, 31):
        return None
    opening = f"{book.opening_date.month}.{book.opening_date.day}."
    return (f"{wanted.year}.{wanted.month}.{wanted.day}. 기준 수치는 없습니다. {book.year}년 장부는 {opening}"
            "(보고서 기준일)부터 12.31.까지입니다. 그 사이 날짜로 물어봐 주세요. "
            "예: 6월말 기준 잔액, 7월 20일 기준 잔액")


async def balances(session: AsyncSession, book: Book) -> dict[int, int]:
    """Each line's balance after every counted entry of the year, whatever its date: what an echo promises and
    what a new entry is checked against."""
    current = await summary(session, book, date(book.year, 12, 31))
    return {row.key: row.left or 0 for row in current.lines}


async def settled_as_of(session: AsyncSession, book: Book, today: date) -> date:
    """The as-of date whose balances count every recorded entry: today, or the latest entry's day when an entry
    was logged ahead (so the balance shown after an entry is the one its echo promised)."""
    latest = await budget.last_day(session, book.opening_date, date(book.year, 12, 31))
    return clamp_as_of(book, max(today, latest or today))


async def summary(session: AsyncSession, book: Book, as_of: date) -> Summary:
    by_line: dict[int, Logged] = {}
    by_field: dict[int, Logged] = {}
    for (line_id, field_id), logged in (await budget.cached_totals(session, book.opening_date, as_of)).items():
        for totals, key in ((by_line, line_id), (by_field, field_id)):
            before = totals.get(key, Logged(0, 0))
            totals[key] = Logged(before.amount + logged.amount_won, before.payments + logged.payments)
    return summarize(
        year=book.year, as_of=as_of, opening_date=book.opening_date, source=book.source,
        lines=[(line.id, line.name, line.allocation_won) for line in book.lines],
        fields=[(field.id, field.name) for field in book.fields],
        line_openings=book.line_openings, field_openings=book.field_openings,
        by_line=by_line, by_field=by_field,
    )


async def trend(session: AsyncSession, book: Book, as_of: date, line_id: int | None = None) -> list[MonthPoint]:
    if line_id is None:
        allocation = sum(line.allocation_won for line in book.lines)
        opening = sum(o.spent for o in book.line_openings.values())
    else:
        line = book.line(line_id)
        allocation = line.allocation_won if line else 0
        opening = book.line_openings.get(line_id, Opening(line_id, 0, None)).spent
    series = await budget.daily(session, book.opening_date, as_of, line_id)
    return monthly_trend(allocation, opening, book.opening_date, series, as_of)


@dataclass(frozen=True)
class PaceAlert:
    line: LineRow
    pace: Pace
    rate: float


async def pace_alerts(session: AsyncSession, book: Book, as_of: date, now: datetime, points: float
                      ) -> list[PaceAlert]:
    """Lines more than `points` percentage points ahead of or behind a linear plan, not alerted this week;
    each becomes a reminder row to the admins (the reminder engine delivers it)."""
    current = await summary(session, book, as_of)
    raised = []
    for row in current.lines:
        line = book.line(row.key)
        if line is None or not row.budget:
            continue
        line_pace = pace(row.budget, row.spent, as_of)
        if abs(line_pace.points) > points and await budget.alert_due(session, line.id, now):
            raised.append(PaceAlert(line, line_pace, row.rate or 0.0))
    return raised


async def queue_admin_message(session: AsyncSession, text: str, now: datetime) -> None:
    await reminders.add_all(session, [reminders.new(kind="alert", text=text, due_at=now, now=now,
                                                    audience="admins")])


YIELD_ROWS = 1_000  # rows checked between two turns of the event loop during an import


@dataclass(frozen=True)
class LedgerImport:
    """What an import did: the entries added, or every problem (row, column, reason) and nothing added.
    ``approvable``: every problem is one an admin may approve (a balance or the single-entry ceiling exceeded)."""

    count: int
    problems: list[tuple[int, str, str]]
    approvable: bool = False


async def import_ledger(session: AsyncSession, book: Book, data: bytes, filename: str, now: datetime,
                        actor_id: int | None, *, limits: ImportLimits, max_entry_won: int, approve: bool = False
                        ) -> LedgerImport:
    """Every row is checked first (reading and checking run in a worker process, off the event loop), with the
    chat's rules: a date the balance counts, and — unless ``approve`` — no row above the single-entry ceiling
    and no line overdrawn by the rows so far. One problem and nothing is imported."""
    from bot.sheets.ledger import AMOUNT, read_ledger

    line_names, field_names = book.spellings()
    rows, problems = await run_cpu(read_ledger, data, filename, line_names=line_names, field_names=field_names,
                                   year=book.year, opening_date=book.opening_date, limits=limits)
    if problems:
        return LedgerImport(0, [(p.row, p.column, p.reason) for p in problems])
    drafts = []
    start = await balances(session, book)
    left = dict(start)
    over: list[tuple[int, str, str]] = []
    # each spelling looked up once, not per row; and a pause every few thousand rows for other users' updates
    lines = {name: book.line_named(name) for name in {row.line for row in rows}}
    fields = {name: book.field_named(name) for name in {row.field for row in rows}}
    for number, row in enumerate(rows, start=1):
        if number % YIELD_ROWS == 0:
            await asyncio.sleep(0)
        line, field = lines[row.line], fields[row.field]
        assert line is not None and field is not None  # read_ledger only returns known names
        drafts.append(budget.EntryDraft(row.spent_on, row.amount_won, line.id, field.id, row.purpose,
                                        row.payments, row.note))
        so_far = "" if left[line.id] == start[line.id] else "이 파일의 앞 행들을 더하면 "
        over += [(row.row, AMOUNT, so_far + warning)
                 for warning in over_limits(line.name, left[line.id], row.amount_won, max_entry_won)]
        left[line.id] -= row.amount_won
    if over and not approve:
        return LedgerImport(0, over, approvable=True)
    count = await budget.add_entries(session, drafts, book.year, now, actor_id, source=filename)
    if over:
        await audit.record(session, at=now, actor_id=actor_id, action="spending.import_approved", entity="spending",
                           entity_id=filename[:128], after={"rows": [row for row, _, _ in over]})
    return LedgerImport(count, [])


async def raise_budget_alerts(session: AsyncSession, runtime: Runtime) -> int:
    """Queue a pace alert to the admins for each line off its linear plan (at most weekly per line)."""
    now = runtime.now()
    book = await open_book(session, now.date())
    if book is None:
        return 0
    alerts = await pace_alerts(session, book, clamp_as_of(book, now.date()), now, runtime.budget_alert_points)
    for alert in alerts:
        await queue_admin_message(session, alert_text(alert.line.name, alert.rate, alert.pace), now)
    return len(alerts)


async def ledger_file(session: AsyncSession, book: Book, as_of: date) -> tuple[bytes, int]:
    """The year's ledger and summary as an .xlsx, and the number of entries in it."""
    from bot.sheets.ledger import ledger_workbook

    entries = await budget.ledger(session, book.year)
    current = await summary(session, book, clamp_as_of(book, as_of))
    data = await run_cpu(ledger_workbook, entries, current, {x.id: x.name for x in book.lines},
                         {f.id: f.name for f in book.fields})
    return data, len(entries)


# -- spending drafts (handlers/budget.py echoes them; bot/services/conversation.py holds them) --------------

SPEND_STEPS = ("amount", "line", "field", "purpose")


def missing_step(payload: dict[str, Any]) -> str | None:
    """The first piece a spending draft still lacks (asked in this order), None when it can be echoed."""
    return next((step for step in SPEND_STEPS if payload.get(step) is None), None)


def entry_of(payload: dict[str, Any]) -> EntryDraft:
    return EntryDraft(date.fromisoformat(payload["day"]), payload["amount"], payload["line"], payload["field"],
                      payload["purpose"] or "", payload["payments"])


async def entry_limits(runtime: Runtime, book: Book, payload: dict[str, Any]) -> tuple[int, list[str]]:
    """The line's balance before this entry and what only an admin may approve (over balance or ceiling)."""
    line = book.line(payload["line"])
    assert line is not None
    async with runtime.sessionmaker() as session:
        left = (await balances(session, book))[line.id]
    return left, over_limits(line.name, left, payload["amount"], runtime.budget_max_entry_won)


async def store_entry(session: AsyncSession, book: Book, payload: dict[str, Any], owner: int, runtime: Runtime,
                      ) -> str:
    """Store a confirmed spending draft in the caller's transaction (the one that finished the draft)."""
    now = runtime.now()
    entry = entry_of(payload)
    if (refusal := view.day_refusal(entry.spent_on, book.year, book.opening_date)) is not None:
        return f"{refusal}\n아무것도 기록하지 않았습니다."
    await budget.add_entry(session, entry, book.year, now, owner)
    current = await summary(session, book, await settled_as_of(session, book, now.date()))
    await raise_budget_alerts(session, runtime)
    line = book.line(entry.line_id)
    assert line is not None
    return "기록했습니다.\n" + view.line_text(current, line.id, line.purpose, now)


async def store_confirmed(session: AsyncSession, payload: dict[str, Any], owner: int, runtime: Runtime) -> str:
    """The store step of a spending echo, in the transaction that finishes it: this year's book, the entry."""
    book = await open_book(session, runtime.now().date())
    if book is None:
        return NO_BOOK
    return await store_entry(session, book, payload, owner, runtime)


# -- the chat's reads and admin changes, each in its own session (handlers/budget.py) ------------------------

async def current_book(runtime: Runtime) -> Book | None:
    async with runtime.sessionmaker() as session:
        return await open_book(session, runtime.now().date())


async def figures(runtime: Runtime, book: Book, as_of: date, trend_of: int | None = None, with_trend: bool = False
                  ) -> tuple[Summary, list[MonthPoint]]:
    """The summary as of a day and, `with_trend`, the monthly trend of one line (`trend_of`) or the whole."""
    async with runtime.sessionmaker() as session:
        current = await summary(session, book, as_of)
        return current, await trend(session, book, as_of, trend_of) if with_trend else []


async def remember_subject(runtime: Runtime, owner_id: int, chat_id: int, subject: str) -> None:
    """This chat's last subject is now this part of the budget (a follow-up "집행률은?" is about it)."""
    async with runtime.sessionmaker.begin() as session:
        await topics.remember(session, owner_id, chat_id, topics.Topic("budget", subject), runtime.now())


async def undo_last(runtime: Runtime, me: int) -> SpendingEntry | None:
    """Void my latest entry if it was logged within the undo window; None (nothing changed) otherwise."""
    now = runtime.now()
    async with runtime.sessionmaker.begin() as session:
        entry = await budget.last_entry_by(session, me)
        if entry is None or now - entry.logged_at > UNDO_WINDOW:
            return None
        await budget.void_entry(session, entry, now, me)
    return entry


async def recent_entries(runtime: Runtime, year: int, limit: int) -> Sequence[SpendingEntry]:
    async with runtime.sessionmaker() as session:
        return await budget.recent_entries(session, year, limit=limit)


async def set_allocation(runtime: Runtime, line: LineRow, won: int, actor_id: int) -> None:
    async with runtime.sessionmaker.begin() as session:
        await budget.set_allocation(session, line.id, won, runtime.now(), actor_id)


async def change_entry(runtime: Runtime, entry_id: int, won: int | None, actor_id: int) -> bool:
    """An admin's correction of an entry's amount to `won`, or (None) its voiding; False when it is gone or
    already voided (nothing changed)."""
    now = runtime.now()
    async with runtime.sessionmaker.begin() as session:
        entry = await budget.get_entry(session, entry_id)
        if entry is None or entry.voided:
            return False
        if won is not None:
            await budget.correct_amount(session, entry, won, now, actor_id)
        else:
            await budget.void_entry(session, entry, now, actor_id)
    return True


async def ledger_export(runtime: Runtime, book: Book) -> tuple[bytes, int]:
    async with runtime.sessionmaker() as session:
        return await ledger_file(session, book, runtime.now().date())
