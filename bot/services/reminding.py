"""Acting on one's own reminders: snooze a delivered one, move a pending one, settle what a reminder is about,
and find the reminder that words ("그 알림", "회의 알림") mean. Shared by the reminder buttons, /reminders and
the follow-ups typed in words. No Telegram here."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.lang.dates import DateFailure, DateResult
from bot.present.events import when_text
from bot.runtime import Runtime
from bot.services.conversation import Open
from bot.services.fieldwork import BRIEFING, FOLLOW_UP
from bot.services.scheduling import move_reminder
from storage import fieldwork, recent, reminders
from storage.models import Reminder

MAX_CHOICES = 6  # buttons on one message
JUST_DELIVERED = timedelta(hours=12)  # "그 알림": one delivered this recently


def snooze_until(action: str, now: datetime, morning: time) -> datetime:
    """The snooze buttons: s10 (10분 뒤), s60 (1시간 뒤), sam (내일 아침)."""
    if action == "s10":
        return now + timedelta(minutes=10)
    if action == "s60":
        return now + timedelta(hours=1)
    tomorrow = now + timedelta(days=1)
    return tomorrow.replace(hour=morning.hour, minute=morning.minute, second=0, microsecond=0)


async def snooze(session: AsyncSession, row: Reminder, due: datetime, now: datetime, me: int) -> None:
    """A delivered reminder comes again at `due` (a new row; the delivered one is already settled)."""
    await reminders.add_all(session, [reminders.new(
        kind="snooze", text=row.text, due_at=due, now=now, recipient_id=me, event_id=row.event_id,
        subject=row.subject, parent_id=row.id)])


async def settle_subject(session: AsyncSession, subject: str | None, action: str, now: datetime, me: int) -> None:
    """완료 on a reminder about a follow-up or a council briefing settles that too."""
    kind, _, ident = (subject or "").partition(":")
    if kind == FOLLOW_UP and ident.isdigit() and action == "done":
        item = await fieldwork.follow_up(session, int(ident))
        if item is not None and not item.done:
            await fieldwork.complete_follow_up(session, item, now, me)
    elif kind == BRIEFING and ident.isdigit():
        visit = await fieldwork.get_visit(session, int(ident))
        if visit is not None:
            await fieldwork.set_briefing(session, visit, "done" if action == "done" else "n/a", ())


# -- the buttons on a delivered reminder, and /reminders ---------------------------------------------------

ANSWERS = {"done": reminders.DONE, "na": reminders.SKIPPED, "s10": reminders.SNOOZED, "s60": reminders.SNOOZED,
           "sam": reminders.SNOOZED}
_HANDLED = {reminders.DONE: "완료", reminders.SKIPPED: "해당 없음", reminders.CANCELLED: "취소됨"}


@dataclass(frozen=True)
class Pressed:
    mine: bool  # False: not this person's reminder (a forged or stale button); nothing changed
    refusal: str | None = None  # why nothing happened (already answered, not delivered yet); None: acted


async def press(runtime: Runtime, reminder_id: int, me: int, action: str, due: datetime) -> Pressed:
    """A button on my delivered reminder: done/na settle it (and what it is about), s10/s60/sam snooze it to
    `due`. The guarded transition comes first: of two presses (or two replicas) only one acts."""
    now = runtime.now()
    async with runtime.sessionmaker.begin() as session:
        if await reminders.settle_delivered(session, reminder_id, me, ANSWERS[action]):
            row = await reminders.get(session, reminder_id)
            assert row is not None  # just updated
            if action in ("done", "na"):
                await settle_subject(session, row.subject, action, now, me)
            else:
                await snooze(session, row, due, now, me)
            return Pressed(True)
        row = await reminders.get(session, reminder_id)
        if row is None or row.recipient_id != me:
            return Pressed(False)
        how: str | None
        if row.state == reminders.SNOOZED:
            again = await reminders.snoozed_to(session, reminder_id)
            how = f"{when_text(again, None, 'minute', False, now)}로 미룸" if again else "미룸"
        else:
            how = _HANDLED.get(row.state)
        return Pressed(True, f"이미 처리한 알림입니다 ({how})." if how else "아직 보내지 않은 알림입니다.")


async def pending(runtime: Runtime, me: int, limit: int = 10) -> Sequence[Reminder]:
    """My reminders still to come, soonest first."""
    async with runtime.sessionmaker() as session:
        return await reminders.pending_for(session, me, limit=limit)


@dataclass(frozen=True)
class Pending:
    pending: bool  # still to come (else already sent or cancelled: nothing changed)
    text: str  # the reminder's first line


async def cancel_pending(runtime: Runtime, reminder_id: int, me: int, cancel: bool) -> Pending | None:
    """My reminder and whether it is still to come; cancelled when `cancel` and it is. None: not mine."""
    async with runtime.sessionmaker.begin() as session:
        row = await reminders.get_for(session, reminder_id, me)
        if row is None:
            return None
        still = row.state == reminders.PENDING
        if still and cancel:
            await reminders.set_state(session, row, reminders.CANCELLED)
        return Pending(still, row.text.splitlines()[0])


def move_to(me: int, due: datetime, now: datetime) -> Callable[[AsyncSession, Open], Awaitable[str]]:
    """The store step of the /reminders 시간 변경 form: move the reminder it names to `due`; the reply."""

    async def store(session: AsyncSession, row: Open) -> str:
        if not await move_reminder(session, int(row.payload["reminder_id"]), me, due):
            return "이미 보냈거나 취소된 알림입니다."
        return f"알림을 {when_text(due, None, 'minute', False, now)}로 옮겼습니다."

    return store


async def put_off(session: AsyncSession, reminder_id: int, me: int, due: datetime, now: datetime) -> Reminder | None:
    """Move my pending reminder to `due`, or snooze my delivered one to `due` (the delivered row is settled as
    snoozed first, guarded: of two requests only one snoozes). None when it is neither any more."""
    row = await reminders.get_for(session, reminder_id, me)
    if row is None:
        return None
    if row.state == reminders.PENDING:
        return row if await move_reminder(session, reminder_id, me, due) else None
    if row.state == reminders.SENT and await reminders.settle_delivered(session, reminder_id, me, reminders.SNOOZED):
        await snooze(session, row, due, now, me)
        return row
    return None


# -- which reminder the words mean, and when to ---------------------------------------------------------

@dataclass(frozen=True)
class Meant:
    """The reminders the words may mean (one: act on it; several: ask which), and everything of mine to list
    when none fits."""

    rows: Sequence[Reminder]
    mine: Sequence[Reminder]


def _squeezed(text: str) -> str:
    return "".join(text.split())


async def reminders_meant(session: AsyncSession, me: int, words: Sequence[str], last: bool, now: datetime) -> Meant:
    """Among my pending reminders and those just delivered to me: the ones whose text holds the most of `words`;
    without words, the one just delivered (or the only one pending, or all of them to choose from)."""
    mine = await recent.movable_reminders(session, me, now - JUST_DELIVERED)
    if words:
        scored = [(sum(_squeezed(w) in _squeezed(row.text) for w in words), row) for row in mine]
        best = max((score for score, _ in scored), default=0)
        return Meant([row for score, row in scored if score == best][:MAX_CHOICES] if best else [], mine)
    delivered = [row for row in mine if row.state == reminders.SENT]
    if delivered and (last or len(mine) > 1):
        return Meant(delivered[:1], mine)
    return Meant(list(mine[:MAX_CHOICES]), mine)


def new_due(row: Reminder, delay: int | None, when: DateResult | DateFailure | None, now: datetime
            ) -> datetime | str:
    """When the reminder comes after the move: `delay` minutes after its due time (one still to come) or after
    now (one delivered); or the time the words name (a day alone keeps its time of day). Else why not."""
    if delay is not None:
        base = row.due_at if row.state == reminders.PENDING and row.due_at > now else now
        return base + timedelta(minutes=delay)
    if not isinstance(when, DateResult):
        return "언제로 옮길지 알려 주세요. 예: '그 알림 30분 뒤로', '회의 알림 내일 9시로'"
    if when.precision == "minute":
        due = when.start
    elif when.precision == "day":
        at = row.due_at.astimezone(now.tzinfo)
        due = when.start.replace(hour=at.hour, minute=at.minute)
    else:
        return "날짜와 시각으로 알려 주세요. 예: 내일 오전 9시, 30분 뒤"
    if due <= now:
        return "이미 지난 시각입니다. 앞으로의 시각을 알려 주세요. 예: 30분 뒤, 내일 오전 9시"
    return due


@dataclass(frozen=True)
class Moved:
    text: str  # the reminder's text
    due: datetime
    snoozed: bool  # it had been delivered: it comes again


async def move_meant(session: AsyncSession, reminder_id: int, me: int, delay: int | None,
                     when: DateResult | DateFailure | None, now: datetime) -> Moved | str:
    """Put off my reminder by `delay` minutes or to `when` (see new_due); else why not, nothing changed."""
    row = await reminders.get_for(session, reminder_id, me)
    if row is None or row.state not in (reminders.PENDING, reminders.SENT):
        return "이미 처리했거나 취소된 알림입니다. 아무것도 바꾸지 않았습니다."
    due = new_due(row, delay, when, now)
    if isinstance(due, str):
        return due
    delivered = row.state == reminders.SENT
    if await put_off(session, reminder_id, me, due, now) is None:
        return "이미 처리했거나 취소된 알림입니다. 아무것도 바꾸지 않았습니다."
    return Moved(row.text, due, delivered)
