"""The reminder engine: claims due reminder rows and pushes them, exactly once, at Telegram's pace.

The database is the truth; PTB's JobQueue only wakes the engine (one named job for the next due time and a
periodic poll for rows written by other processes and for leases that ran out). Jobs are never pickled.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
import warnings
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import ContextTypes
from telegram.warnings import PTBDeprecationWarning

from bot.clock import Clock
from bot.context import BotApplication
from bot.domain.leads import ReminderSettings, next_fix_date_nudge
from bot.domain.recurrence import next_occurrence
from storage import events, people, reminders, rules
from storage.models import Reminder

log = logging.getLogger(__name__)

WAKE_JOB = "reminders:wake"
POLL_JOB = "reminders:poll"
POLL_SECONDS = 30
LATE_AFTER = timedelta(seconds=60)
MAX_RETRY_AFTER_WAITS = 5
SUMMARY_LIMIT = 3800  # a Telegram message holds 4096 characters
COMPOSE_SECONDS = 300  # the lease is held this much longer while a row's document is made (the monthly report)
# What a kind's composer makes of a row at send time: the text (a document's caption) and the document (file name,
# bytes), or None for a plain message.
Composed = tuple[str, tuple[str, bytes] | None]
Composer = Callable[[Reminder], Awaitable[Composed]]


def reminder_keyboard(row: Reminder) -> InlineKeyboardMarkup | None:
    if row.kind in reminders.NOTICES:  # the bot's own briefing or summary: nothing to snooze or mark done
        return None
    buttons = [
        [InlineKeyboardButton("10분 뒤", callback_data=f"rem:s10:{row.id}"),
         InlineKeyboardButton("1시간 뒤", callback_data=f"rem:s60:{row.id}"),
         InlineKeyboardButton("내일 아침", callback_data=f"rem:sam:{row.id}")],
        [InlineKeyboardButton("완료", callback_data=f"rem:done:{row.id}")],
    ]
    if (row.subject or "").startswith("briefing:"):  # the council briefing may not apply (no members to brief)
        buttons[1].append(InlineKeyboardButton("해당 없음", callback_data=f"rem:na:{row.id}"))
    if row.event_id is not None:
        buttons[1].append(InlineKeyboardButton("일정 보기", callback_data=f"ev:show:{row.event_id}"))
    return InlineKeyboardMarkup(buttons)


def short_when(moment: datetime, tz: Any) -> str:
    local = moment.astimezone(tz)
    return f"{local.month}.{local.day}. {local:%H:%M}"


def late_mark(due_at: datetime, tz: Any) -> str:
    return f"(지연 발송: 예정 {short_when(due_at, tz)})"


def _retry_seconds(exc: RetryAfter) -> float:
    with warnings.catch_warnings():  # PTB 22 warns that retry_after will become a timedelta
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class Pacer:
    """At most `rate` sends a second overall and one a second per chat (Telegram's limits), counted from the
    moments the sends are made.

    Two steps: `chat_ready(chat)` waits until the chat's previous send is `per_chat` old (the chats of a batch
    wait side by side); `turn(chat)`, called by one sender at a time just before its send, waits for what is
    left of both gaps and notes the send. No slot is reserved ahead: a send held up behind a slow one is not
    followed by a burst of sends catching up with their slots, which Telegram would count as over the rate."""

    def __init__(self, rate: float = 29.5, per_chat: float = 1.0) -> None:
        self.interval = 1.0 / rate
        self.per_chat = per_chat
        self._last = float("-inf")
        self._chats: dict[int, float] = {}

    def _chat_free_at(self, chat_id: int) -> float:
        return self._chats.get(chat_id, float("-inf")) + self.per_chat

    async def chat_ready(self, chat_id: int) -> None:
        delay = self._chat_free_at(chat_id) - asyncio.get_running_loop().time()
        if delay > 0:
            await asyncio.sleep(delay)

    async def turn(self, chat_id: int) -> None:
        loop = asyncio.get_running_loop()
        now = loop.time()
        slot = max(now, self._last + self.interval, self._chat_free_at(chat_id))
        if slot > now:
            await asyncio.sleep(slot - now)
        self._last = self._chats[chat_id] = sent = loop.time()
        if len(self._chats) > 10_000:
            self._chats = {c: t for c, t in self._chats.items() if sent - t < self.per_chat}


class _Retry(NamedTuple):
    """Telegram said 429: try the same row again after this many seconds."""

    seconds: float


class ReminderEngine:
    def __init__(
        self, app: BotApplication, settings: ReminderSettings, *, lease: timedelta = timedelta(seconds=30),
        max_attempts: int = 5, batch: int = 20, rate: float = 29.5, poll_seconds: float = POLL_SECONDS,
        composers: Mapping[str, Composer] | None = None,
    ) -> None:
        self.app = app
        runtime = app.bot_data["runtime"]
        self.sessionmaker = runtime.sessionmaker
        self.clock: Clock = runtime.clock
        self.settings = settings
        self.lease = lease
        self.max_attempts = max_attempts
        self.batch = batch
        self.poll_seconds = poll_seconds
        self.token = uuid.uuid4().hex[:16]
        self.pacer = Pacer(rate)
        self.composers = dict(composers or {})  # kinds whose message is made at send time (bot/app.py wires them)
        self._lock = asyncio.Lock()
        self._sending = asyncio.Lock()  # one send in flight at a time (see _send)
        # Tests that drive run_due() on a controlled clock turn the job-queue wake-ups off.
        self.scheduled = True

    # -- waking --------------------------------------------------------------------------------------

    def start(self) -> None:
        """Begin: deliver what is due (and what was missed) now, then poll periodically."""
        queue = self.app.job_queue
        assert queue is not None, "python-telegram-bot[job-queue] is required"
        if not self.scheduled:
            return
        queue.run_repeating(self._job, interval=self.poll_seconds, first=self.poll_seconds, name=POLL_JOB)
        self.wake()

    def wake(self, delay: float = 0.0) -> None:
        """Run the engine after `delay` seconds (replacing any earlier wake-up)."""
        queue = self.app.job_queue
        if queue is None or not self.scheduled:
            return
        for job in queue.get_jobs_by_name(WAKE_JOB):
            job.schedule_removal()
        queue.run_once(self._job, when=max(delay, 0.0), name=WAKE_JOB)

    async def _job(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        if not self.app.running:  # stopping: the rows stay due and are delivered at the next start
            log.debug("Engine wake-up skipped: the application is stopping")
            return
        await self.run_due()

    async def _schedule_next(self) -> None:
        async with self.sessionmaker() as session:
            upcoming = await reminders.next_due_at(session)
        if upcoming is not None:
            delay = (upcoming - self.clock.now()).total_seconds()
            if delay < self.poll_seconds:
                self.wake(delay + 0.01)

    # -- one pass ------------------------------------------------------------------------------------

    async def run_due(self) -> int:
        """Deliver every due reminder; returns how many were sent (the bot's own notices, the briefing and the
        downtime summary, are delivered too but not counted)."""
        async with self._lock:
            sent = 0
            await self._summarise_old()
            while True:
                await self._fan_out_team_rows()
                now = self.clock.now()
                async with self.sessionmaker.begin() as session:
                    await reminders.stop_for_inactive(session)  # removed from the roster: never sent
                    rows = await reminders.claim_due(session, now, token=self.token, lease=self.lease,
                                                     limit=self.batch)
                    for row in rows:
                        if row.attempts == 1 and row.parent_id is None:
                            await self._plan_follow_up(session, row)
                if not rows:
                    break
                sent += await self._deliver_batch(rows)
                if self._stopping():
                    return sent  # the rest stays due: another engine, or the next start, delivers it
            await self._schedule_next()
            return sent

    def _stopping(self) -> bool:
        """The application is stopping (SIGTERM): no further batch is claimed nor row sent, so that the process
        stops within about a second however many rows are due."""
        return not self.app.running

    async def _deliver_batch(self, rows: Sequence[Reminder]) -> int:
        """A claimed batch: each chat's rows in order, the chats side by side. Sent in one sequence, the rows
        would each wait for their chat's slot (a message a second) and hold up every other chat behind them:
        twenty rows to four chats would take twenty seconds instead of five."""
        queues: dict[int, list[Reminder]] = {}
        for row in rows:
            assert row.recipient_id is not None
            queues.setdefault(row.recipient_id, []).append(row)
        results = await asyncio.gather(*(self._deliver_queue(queue) for queue in queues.values()),
                                       return_exceptions=True)  # every chat's run ends before an error goes up
        for result in results:
            if isinstance(result, BaseException):
                raise result
        return sum(r for r in results if isinstance(r, int))

    async def _deliver_queue(self, rows: Sequence[Reminder]) -> int:
        sent = 0
        for index, row in enumerate(rows):
            if self._stopping():
                await self._release(rows[index:])
                break
            delivered = await self._deliver(row)
            sent += delivered if row.kind not in reminders.NOTICES else 0
        return sent

    async def _release(self, rows: Sequence[Reminder]) -> None:
        async with self.sessionmaker.begin() as session:
            released = await reminders.release(session, [row.id for row in rows], self.token)
        log.info("Stopping: %d claimed reminders handed back unsent (due again for any engine)", released)

    async def _fan_out_team_rows(self) -> None:
        now = self.clock.now()
        async with self.sessionmaker.begin() as session:
            parents = await reminders.due_team_rows(session, now)
            if not parents:
                return
            await self._expand(session, parents, now)

    async def _expand(self, session: Any, parents: Sequence[Reminder], now: datetime) -> None:
        """One row per member (audience 'team') or per admin (audience 'admins'), then the follow-up."""
        roster = [p for p in await people.members(session) if p.deliverable]
        team = [p.telegram_id for p in roster]
        admins = [p.telegram_id for p in roster if p.role == people.ADMIN]
        for parent in parents:
            recipients = admins if parent.audience == "admins" else team
            await reminders.add_all(session, reminders.fan_out(parent, recipients, now))
            await self._plan_follow_up(session, parent)

    async def _plan_follow_up(self, session: Any, row: Reminder) -> None:
        """The next occurrence of a recurring rule, or the next weekly nudge to fix a date — the next one from
        now: occurrences missed while the bot was down are not replayed one by one (one late message or the
        summary stands for them), or a weekly rule after a long outage would send every missed week."""
        tz = self.clock.tz
        now = self.clock.now()
        after = max(row.due_at, now).astimezone(tz)
        due: datetime | None = None
        if row.rule_id is not None:
            rule = await rules.get(session, row.rule_id)
            if rule is None or not rule.active:
                return
            due = next_occurrence(rule.rrule, rule.dtstart, after, tz, rule.holiday_shift)
        elif row.kind == "fixdate" and row.event_id is not None:
            event = await events.get(session, row.event_id)
            if event is None or event.cancelled or event.precision != "month":
                return
            due = next_fix_date_nudge(event.start_at.astimezone(tz), self.settings, after)
        if due is not None:
            await reminders.add_all(session, [reminders.new(
                kind=row.kind, text=row.text, due_at=due, now=now, recipient_id=row.recipient_id,
                audience=row.audience, event_id=row.event_id, rule_id=row.rule_id)])

    # -- sending -------------------------------------------------------------------------------------

    async def _deliver(self, row: Reminder) -> int:
        assert row.recipient_id is not None
        chat_id = row.recipient_id
        day = row.due_at.astimezone(self.clock.tz).date()
        if row.kind in reminders.SAME_DAY and day != self.clock.now().date():  # late, but the same day only
            await self._settle_failed(row, f"a {row.kind} of an earlier day: not sent")
            return 0
        late = self.clock.now() - row.due_at > LATE_AFTER
        marked = late and row.kind not in reminders.NOTICES  # a notice's own text says when it was due
        text = f"{late_mark(row.due_at, self.clock.tz)}\n{row.text}" if marked else row.text
        document: tuple[str, bytes] | None = None
        if (composer := self.composers.get(row.kind)) is not None:
            await self._extend(row, COMPOSE_SECONDS)  # no other engine takes the row while its file is made
            try:
                text, document = await composer(row)
            except Exception as exc:  # the row fails alone; the engine goes on with the others
                log.error("Reminder %s could not be composed: %s: %s", row.id, type(exc).__name__, exc)
                await self._settle_failed(row, f"could not compose: {type(exc).__name__}: {exc}")
                return 0
        for _ in range(MAX_RETRY_AFTER_WAITS):
            await self.pacer.chat_ready(chat_id)  # its chat's gap, without holding up the other chats
            async with self._sending:
                outcome = await self._send(row, text, late, document)
            if isinstance(outcome, _Retry):  # 429: wait as told (not holding up the other chats), then again
                await asyncio.sleep(outcome.seconds)
                continue
            return outcome
        await self._network_error(row, NetworkError("rate limited too many times"))
        return 0

    async def _send(self, row: Reminder, text: str, late: bool,
                    document: tuple[str, bytes] | None = None) -> int | _Retry:
        """Renew the claim, send and record the outcome: 1 sent, 0 not (settled, or not ours any more), or how
        long to wait before trying again (a 429). Called one at a time (`_sending`): the chats' runs wait for
        their gaps side by side, but a crash leaves at most one message sent and not recorded as sent."""
        assert row.recipient_id is not None
        chat_id = row.recipient_id
        if self._stopping():  # it waited its turn while the application began to stop
            await self._release([row])
            return 0
        if not await self._hold(row):  # its lease ran out while it waited its turn and another engine took it
            log.info("Reminder %s was taken over by another engine before its turn; not sent here", row.id)
            return 0
        await self.pacer.turn(chat_id)
        try:
            if document is not None:  # a composed row (the monthly report): its file, the text as the caption
                message = await self.app.bot.send_document(chat_id, document[1], filename=document[0], caption=text)
            else:
                message = await self.app.bot.send_message(chat_id, text, reply_markup=reminder_keyboard(row))
        except RetryAfter as exc:
            wait = _retry_seconds(exc)
            log.warning("Telegram rate limit (429) sending reminder %s to %s: retrying in %.0f s",
                        row.id, chat_id, wait)
            await self._record(row, "rate_limited", f"retry after {wait}s")
            await self._extend(row, wait)
            return _Retry(wait)
        except Forbidden as exc:
            await self._blocked(row, str(exc))
            return 0
        except BadRequest as exc:
            await self._settle_failed(row, f"bad request: {exc}")
            return 0
        except NetworkError as exc:  # TimedOut is a NetworkError
            await self._network_error(row, exc)
            return 0
        except TelegramError as exc:
            await self._settle_failed(row, f"telegram error: {exc}")
            return 0
        async with self.sessionmaker.begin() as session:
            await reminders.mark_sent(session, row.id, self.token, self.clock.now(), message.message_id, late)
            await reminders.record(session, row.id, self.clock.now(), "sent", "late" if late else None)
        return 1

    async def _hold(self, row: Reminder) -> bool:
        """Renew the claim just before sending: a row later in a batch may wait longer than the lease (one send
        a second per chat), and another replica may meanwhile have claimed it; then it is theirs to send."""
        async with self.sessionmaker.begin() as session:
            return await reminders.extend_lease(session, row.id, self.token, self.clock.now() + self.lease)

    async def _record(self, row: Reminder, outcome: str, detail: str) -> None:
        async with self.sessionmaker.begin() as session:
            await reminders.record(session, row.id, self.clock.now(), outcome, detail)

    async def _extend(self, row: Reminder, seconds: float) -> None:
        async with self.sessionmaker.begin() as session:
            until = self.clock.now() + self.lease + timedelta(seconds=seconds)
            await reminders.extend_lease(session, row.id, self.token, until)

    async def _blocked(self, row: Reminder, error: str) -> None:
        assert row.recipient_id is not None
        async with self.sessionmaker.begin() as session:
            await reminders.mark_failed(session, row.id, self.token, f"blocked: {error}")
            await reminders.record(session, row.id, self.clock.now(), "blocked", error)
            dropped = await reminders.drop_pending_for(session, row.recipient_id, "recipient blocked the bot")
            await people.set_deliverable(session, row.recipient_id, False)
        log.warning("Recipient %s blocked the bot; %s pending reminders stopped", row.recipient_id, dropped)

    async def _settle_failed(self, row: Reminder, error: str) -> None:
        async with self.sessionmaker.begin() as session:
            await reminders.mark_failed(session, row.id, self.token, error)
            await reminders.record(session, row.id, self.clock.now(), "failed", error)

    async def _network_error(self, row: Reminder, exc: Exception) -> None:
        error = f"{type(exc).__name__}: {exc}"
        if row.attempts >= self.max_attempts:
            await self._settle_failed(row, f"gave up after {row.attempts} attempts: {error}")
            return
        backoff = timedelta(seconds=min(2 ** row.attempts, 300))
        async with self.sessionmaker.begin() as session:
            await reminders.retry_later(session, row.id, self.token, self.clock.now() + backoff, error)
            await reminders.record(session, row.id, self.clock.now(), "retry", error)

    # -- downtime ------------------------------------------------------------------------------------

    async def _summarise_old(self) -> None:
        """Reminders missed by more than catch_up are summed up in one message per recipient. The summary is a
        reminder row written in the transaction that marks the missed rows, so it is delivered like any other
        (claimed with a lease, exactly once, by whichever replica gets it) and a missed row is in one summary."""
        cutoff = self.clock.now() - self.settings.catch_up
        now = self.clock.now()
        async with self.sessionmaker.begin() as session:
            await reminders.stop_for_inactive(session)
            await self._fan_out_overdue_team_rows(session, cutoff)
            old = [row for row in await reminders.overdue(session, cutoff) if row.recipient_id is not None]
            taken = await reminders.mark_summarised(session, [r.id for r in old], now)
            by_recipient: dict[int, list[Reminder]] = {}
            for row in old:
                if row.id in taken and row.recipient_id is not None:
                    by_recipient.setdefault(row.recipient_id, []).append(row)
            for row in old:  # a rule or a nudge goes on after the outage (never claimed: not planned yet)
                if row.id in taken and row.attempts == 0 and row.parent_id is None:
                    await self._plan_follow_up(session, row)
            await reminders.add_all(session, [
                reminders.new(kind=reminders.MISSED_SUMMARY, text=self._summary(rows), now=now,
                              due_at=rows[0].due_at, recipient_id=recipient)  # first in line: before the rest
                for recipient, rows in by_recipient.items()])

    async def _fan_out_overdue_team_rows(self, session: Any, cutoff: datetime) -> None:
        parents = await reminders.due_team_rows(session, cutoff, limit=10_000)
        if parents:
            await self._expand(session, parents, self.clock.now())

    def _summary(self, rows: Sequence[Reminder]) -> str:
        lines = [f"봇이 멈춰 있던 동안 보내지 못한 알림 {len(rows)}건입니다(예정 시각 순):"]
        for index, row in enumerate(rows):
            line = f"• {short_when(row.due_at, self.clock.tz)} — {row.text.splitlines()[0]}"
            if sum(len(x) + 1 for x in lines) + len(line) > SUMMARY_LIMIT:
                lines.append(f"… 외 {len(rows) - index}건")
                break
            lines.append(line)
        return "\n".join(lines)
