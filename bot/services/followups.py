"""Follow-ups in words on one's own latest entries: take back the last one (spending, visit, meeting, event or
reminder, within 24 hours, as /budget undo), correct the last spending's amount (balance and single-entry
ceiling checked, as a new entry), list my spending, and the as-of dates of what the bot answers from.
Every change is audited by the storage function it calls. No Telegram here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.lang import followups as words
from bot.lang.dates import parse_when
from bot.present import followups as view
from bot.present.budget import k
from bot.present.followups import AsOf, ItemView, ReminderView
from bot.runtime import Runtime
from bot.services import budget as budgeting
from bot.services import reminding
from storage import audit, budget, events, facts, fieldwork, pledges, recent, reminders, staffing
from storage.models import Event, Meeting, Reminder, SpendingEntry, Visit

UNDO_WINDOW = budgeting.UNDO_WINDOW
KINDS = ("spending", "visit", "meeting", "event", "reminder")
Item = SpendingEntry | Visit | Meeting | Event | Reminder


@dataclass(frozen=True)
class Latest:
    kind: str  # one of KINDS
    row: Item

    @property
    def id(self) -> int:
        return int(self.row.id)


def _logged_at(item: Latest) -> datetime:
    row = item.row
    return row.logged_at if isinstance(row, SpendingEntry | Visit | Meeting) else row.created_at


def view_of(item: Latest) -> ItemView:
    """What the undo names, for the echo and the reply."""
    row = item.row
    if isinstance(row, SpendingEntry):
        return ItemView(item.kind, row.spent_on, "day", f"{k(row.amount_won)}천원 '{row.purpose}'",
                        f"기록 번호 {row.id}")
    if isinstance(row, Visit):
        where = " ".join(x for x in (row.district, row.place) if x)
        return ItemView(item.kind, row.when_at, row.precision, where, f"기록 #{row.id}")
    if isinstance(row, Meeting):
        return ItemView(item.kind, row.when_at, row.precision, " ".join(x for x in (row.meeting_type, row.counterpart)
                                                                         if x), f"기록 #{row.id}")
    if isinstance(row, Event):
        return ItemView(item.kind, row.start_at, row.precision, f"'{row.title}'", end=row.end_at,
                        tentative=row.tentative)
    return ItemView(item.kind, row.due_at, "minute", f"'{row.text.splitlines()[0] if row.text else ''}'")


async def _of_kind(session: AsyncSession, kind: str, me: int, since: datetime) -> Item | None:
    if kind == "spending":
        return await recent.spending(session, me, since)
    if kind == "visit":
        return await recent.visit(session, me, since)
    if kind == "meeting":
        return await recent.meeting(session, me, since)
    if kind == "event":
        return await recent.event(session, me, since)
    return await recent.own_reminder(session, me, since)


async def latest_entry(runtime: Runtime, me: int, kind: str | None = None) -> Latest | None:
    """My newest entry of the last 24 hours: of the kind named, else the newest of every kind (the spending
    ledger first when two were made the same moment)."""
    since = runtime.now() - UNDO_WINDOW
    async with runtime.sessionmaker() as session:
        found = [Latest(k, row) for k in ((kind,) if kind else KINDS)
                 if (row := await _of_kind(session, k, me, since))]
    return max(found, key=lambda item: (_logged_at(item), -KINDS.index(item.kind)), default=None)


async def take_back(session: AsyncSession, kind: str, item_id: int, me: int, now: datetime) -> Latest | None:
    """Undo that entry if it is still mine, still in effect and at most 24 hours old; None (nothing changed)
    otherwise. Spending is voided, a visit or meeting deleted, an event cancelled with its reminders, a
    reminder cancelled — each audited."""
    item = await _of_kind(session, kind, me, now - UNDO_WINDOW)
    if item is None or item.id != item_id:
        item = await _still_mine(session, kind, item_id, me, now)
    if item is None:
        return None
    if isinstance(item, SpendingEntry):
        await budget.void_entry(session, item, now, me)
    elif isinstance(item, Visit | Meeting):
        await fieldwork.delete(session, item, now, me)
    elif isinstance(item, Event):
        await events.cancel(session, item, now, me)
        await reminders.cancel_pending(session, event_id=item.id)
    else:
        await reminders.set_state(session, item, reminders.CANCELLED)
        await audit.record(session, at=now, actor_id=me, action="reminder.cancel", entity="reminder",
                           entity_id=item.id, before={"state": reminders.PENDING},
                           after={"state": reminders.CANCELLED})
    return Latest(kind, item)


async def store_undo(session: AsyncSession, payload: dict[str, Any], me: int, now: datetime) -> str:
    """The store step of an undo echo ({"kind", "id"}), in the transaction that finishes it: the reply."""
    done = await take_back(session, payload["kind"], payload["id"], me, now)
    if done is None:
        return "이미 되돌렸거나 24시간이 지나 되돌릴 수 없습니다. 아무것도 바꾸지 않았습니다."
    return view.undone(view_of(done), now)


async def _still_mine(session: AsyncSession, kind: str, item_id: int, me: int, now: datetime) -> Item | None:
    """The entry a confirmation names, if it is not the newest any more but still mine, live and recent."""
    since = now - UNDO_WINDOW
    if kind == "spending":
        entry = await budget.get_entry(session, item_id)
        return entry if entry and not entry.voided and entry.logged_by == me and entry.logged_at >= since else None
    if kind in ("visit", "meeting"):
        record = await (fieldwork.get_visit if kind == "visit" else fieldwork.get_meeting)(session, item_id)
        return record if record and record.logged_by == me and record.logged_at >= since else None
    if kind == "event":
        event = await events.get(session, item_id)
        live = event is not None and not event.cancelled and event.owner_id == me and event.created_at >= since
        return event if live else None
    row = await reminders.get_for(session, item_id, me)
    pending = (row is not None and row.state == reminders.PENDING and row.kind in recent.OWN_REMINDER_KINDS
               and row.created_at >= since)
    return row if pending else None


# -- correcting the last spending's amount ------------------------------------------------------------

@dataclass(frozen=True)
class Fix:
    """A correction checked against the book: the entry, its line, the amounts, the line's balance after it,
    and what only an admin may approve (more than the balance, more than the single-entry ceiling)."""

    entry: SpendingEntry
    line: str
    new_won: int
    left_after: int
    warnings: list[str]


async def fixable_entry(session: AsyncSession, me: int, is_admin: bool, now: datetime) -> SpendingEntry | None:
    """My latest entry still counted: within 24 hours, or any age for an admin."""
    entry = await budget.last_entry_by(session, me)
    if entry is None or (now - entry.logged_at > UNDO_WINDOW and not is_admin):
        return None
    return entry


async def check_fix(session: AsyncSession, entry: SpendingEntry, new_won: int, now: datetime, ceiling: int
                    ) -> Fix | None:
    """The correction checked as a new entry of `new_won` would be, with the old amount given back first."""
    book = await budgeting.open_book(session, now.date())
    line = book.line(entry.line_id) if book is not None else None
    if book is None or line is None:
        return None
    left = (await budgeting.balances(session, book))[line.id] + entry.amount_won
    warnings = budgeting.over_limits(line.name, left, new_won, ceiling)
    return Fix(entry, line.name, new_won, left - new_won, warnings)


async def apply_fix(session: AsyncSession, entry_id: int, new_won: int, me: int, is_admin: bool, now: datetime,
                    ceiling: int, approved: bool) -> Fix | str:
    """Store the correction if the entry is still mine to fix and the checks still pass (or an admin approved
    what they flag); else why not, with nothing changed."""
    entry = await fixable_entry(session, me, is_admin, now)
    if entry is None or entry.id != entry_id:
        return "고칠 지출이 없습니다(이미 취소되었거나 24시간이 지났습니다). 아무것도 바꾸지 않았습니다."
    fix = await check_fix(session, entry, new_won, now, ceiling)
    if fix is None:
        return "등록된 업무추진비 예산이 없습니다. 아무것도 바꾸지 않았습니다."
    if fix.warnings and not (approved and is_admin):
        return "\n".join(fix.warnings) + "\n아무것도 바꾸지 않았습니다. 관리자에게 요청하세요."
    await budget.correct_amount(session, entry, new_won, now, me)
    return fix


async def proposed_fix(runtime: Runtime, me: int, is_admin: bool, new_won: int
                       ) -> tuple[SpendingEntry | None, Fix | None]:
    """My entry to fix (None: nothing of mine to fix) and the correction checked (None: no budget book)."""
    now = runtime.now()
    async with runtime.sessionmaker() as session:
        entry = await fixable_entry(session, me, is_admin, now)
        if entry is None:
            return None, None
        return entry, await check_fix(session, entry, new_won, now, runtime.budget_max_entry_won)


async def store_fix(session: AsyncSession, payload: dict[str, Any], me: int, is_admin: bool, runtime: Runtime
                    ) -> str:
    """The store step of a fix echo ({"entry", "amount", "over"}), in the transaction that finishes it."""
    done = await apply_fix(session, payload["entry"], payload["amount"], me, is_admin, runtime.now(),
                           runtime.budget_max_entry_won, payload["over"])
    if isinstance(done, str):
        return done
    return view.fixed(done.entry.id, done.new_won, done.line, done.left_after)


async def my_spending(runtime: Runtime, me: int, limit: int = 10) -> list[tuple[int, date, int, str, str]] | None:
    """My latest entries of the year as (number, day, amount, line, purpose); None when there is no book."""
    async with runtime.sessionmaker() as session:
        book = await budgeting.open_book(session, runtime.now().date())
        if book is None:
            return None
        entries = await recent.spending_by(session, me, book.year, limit)
    lines = {line.id: line.short_name for line in book.lines}
    return [(e.id, e.spent_on, e.amount_won, lines.get(e.line_id, ""), e.purpose) for e in entries]


# -- put off a reminder, in words ---------------------------------------------------------------------

def _reminder_view(row: Reminder) -> ReminderView:
    return ReminderView(row.due_at, row.text, row.state == reminders.SENT)


async def move_in_words(session: AsyncSession, reminder_id: int, me: int, text: str, now: datetime) -> str:
    """Put off my reminder as the words say ("30분 뒤로", "내일 9시로"): the reply, or why nothing changed."""
    delay = words.read_delay(text)
    when = None if delay is not None else parse_when(words.when_words(text), now)
    moved = await reminding.move_meant(session, reminder_id, me, delay, when, now)
    if isinstance(moved, str):
        return moved
    return view.moved(moved.text, moved.due, now, moved.snoozed)


@dataclass(frozen=True)
class Meant:
    """What moving a reminder in words came to: moved (the reply), or the reminders to choose from (ids and
    views), or none meant (then `mine`, everything of mine that could be moved)."""

    reply: str | None
    targets: list[str]  # the words that named it
    ids: list[int]
    choices: list[ReminderView]
    mine: list[ReminderView]


async def move_meant(runtime: Runtime, me: int, text: str) -> Meant:
    """The reminder the words mean, moved when exactly one fits (committed before anything is sent)."""
    now, targets = runtime.now(), list(words.target_words(text))
    async with runtime.sessionmaker.begin() as session:
        meant = await reminding.reminders_meant(session, me, targets, words.points_at_last(text), now)
        reply = await move_in_words(session, meant.rows[0].id, me, text, now) if len(meant.rows) == 1 else None
    return Meant(reply, targets, [row.id for row in meant.rows], [_reminder_view(row) for row in meant.rows],
                 [_reminder_view(row) for row in meant.mine])


# -- as-of dates ----------------------------------------------------------------------------------------

async def as_of_dates(runtime: Runtime) -> AsOf:
    async with runtime.sessionmaker() as session:
        book = await budgeting.open_book(session, runtime.now().date())
        reported = await pledges.reports(session)
        staff = await staffing.latest(session)
        by_day: dict[date, list[str]] = {}
        for fact in await facts.all_facts(session):
            by_day.setdefault(fact.as_of, []).append(fact.topic)
    return AsOf(book.opening_date if book else None, book.source if book else None,
                reported[0].as_of if reported else None, staff[0].as_of if staff else None,
                sorted(by_day.items(), reverse=True))
