"""Buttons on every reminder (snooze, done) and /reminders: list, cancel or move my reminders."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.commands import CommandHelp
from bot.context import BotContext
from bot.domain.access import DataKind
from bot.lang.dates import DateFailure, parse_when
from bot.present.events import when_text
from bot.services.fieldwork import BRIEFING, FOLLOW_UP
from handlers.buttons import StaleButton, button, found, ident
from handlers.gate import withheld
from handlers.router import expect_reply
from storage import fieldwork, reminders
from storage.models import Reminder

COMMANDS = (CommandHelp("reminders", "내 알림 목록 (취소·시간 변경)", "/reminders"),)
SNOOZE_LABEL = {"s10": "10분 뒤", "s60": "1시간 뒤", "sam": "내일 아침"}


def snooze_until(action: str, now: datetime, morning_hour: int, morning_minute: int) -> datetime:
    if action == "s10":
        return now + timedelta(minutes=10)
    if action == "s60":
        return now + timedelta(hours=1)
    tomorrow = now + timedelta(days=1)
    return tomorrow.replace(hour=morning_hour, minute=morning_minute, second=0, microsecond=0)


@button
async def on_reminder_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None
    _, action, raw_id = query.data.split(":")
    reminder_id = ident(raw_id)
    runtime = context.runtime
    now = runtime.now()
    me = context.me.telegram_id
    morning = runtime.reminder_settings.morning
    due = snooze_until(action, now, morning.hour, morning.minute)
    async with runtime.sessionmaker.begin() as session:
        # The guarded transition comes first: of two presses (or two replicas) only one acts.
        refusal = None
        if await reminders.settle_delivered(session, reminder_id, me, _ANSWERS[action]):
            row = await reminders.get(session, reminder_id)
            assert row is not None  # just updated
            await _carry_out(session, row, action, due, now, me)
        else:
            refusal = await _already_handled(session, reminder_id, me, now)
    if refusal is not None:
        await query.answer(refusal, show_alert=True)
        return
    if action in ("done", "na"):
        await query.answer("완료로 표시했습니다." if action == "done" else "해당 없음으로 표시했습니다.")
    else:
        runtime.wake()
        again = when_text(due, None, "minute", False, now)
        await query.answer(f"{SNOOZE_LABEL[action]}({again})에 다시 알려 드릴게요.")
    await query.edit_message_reply_markup(None)


async def _carry_out(
    session: AsyncSession, row: Reminder, action: str, due: datetime, now: datetime, me: int
) -> None:
    if action in ("done", "na"):
        await settle_subject(session, row.subject, action, now, me)
        return
    await reminders.add_all(session, [reminders.new(
        kind="snooze", text=row.text, due_at=due, now=now, recipient_id=me, event_id=row.event_id,
        subject=row.subject, parent_id=row.id)])


_ANSWERS = {"done": reminders.DONE, "na": reminders.SKIPPED, "s10": reminders.SNOOZED, "s60": reminders.SNOOZED,
            "sam": reminders.SNOOZED}


_HANDLED = {reminders.DONE: "완료", reminders.SKIPPED: "해당 없음", reminders.CANCELLED: "취소됨"}


async def _already_handled(session: AsyncSession, reminder_id: int, me: int, now: datetime) -> str:
    """Why a reminder's button did nothing: not this person's, or already answered (and how)."""
    row = await reminders.get(session, reminder_id)
    if row is None or row.recipient_id != me:
        raise StaleButton(f"reminder {reminder_id} is not {me}'s")
    how: str | None
    if row.state == reminders.SNOOZED:
        again = await reminders.snoozed_to(session, reminder_id)
        how = f"{when_text(again, None, 'minute', False, now)}로 미룸" if again else "미룸"
    else:
        how = _HANDLED.get(row.state)
    return f"이미 처리한 알림입니다 ({how})." if how else "아직 보내지 않은 알림입니다."


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


async def list_reminders(update: Update, context: BotContext) -> None:
    assert update.effective_message is not None
    if await withheld(update, context, DataKind.PERSONAL):
        return
    now = context.runtime.now()
    async with context.runtime.sessionmaker() as session:
        rows = await reminders.pending_for(session, context.me.telegram_id, limit=10)
    if not rows:
        await update.effective_message.reply_text("예정된 내 알림이 없습니다. 예: '30분 뒤에 회의자료 챙기라고 알려줘'")
        return
    lines, buttons = ["예정된 내 알림:"], []
    for number, row in enumerate(rows, start=1):
        lines.append(f"{number}. {when_text(row.due_at, None, 'minute', False, now)} — {row.text.splitlines()[0]}")
        buttons.append([InlineKeyboardButton(f"{number}번 취소", callback_data=f"rm:cancel:{row.id}"),
                        InlineKeyboardButton(f"{number}번 시간 변경", callback_data=f"rm:move:{row.id}")])
    await update.effective_message.reply_text("\n".join(lines), reply_markup=InlineKeyboardMarkup(buttons))


@button
async def on_manage_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None and context.user_data is not None
    _, action, raw_id = query.data.split(":")
    reminder_id = ident(raw_id)
    if await withheld(update, context, DataKind.PERSONAL):
        return
    async with context.runtime.sessionmaker.begin() as session:
        row = found(await reminders.get_for(session, reminder_id, context.me.telegram_id))
        if row.state != reminders.PENDING:
            await query.answer("이미 보냈거나 취소된 알림입니다.", show_alert=True)
            return
        if action == "cancel":
            await reminders.set_state(session, row, reminders.CANCELLED)
            await query.answer("취소했습니다.")
            assert update.effective_chat is not None
            await context.bot.send_message(update.effective_chat.id, f"알림을 취소했습니다: {row.text.splitlines()[0]}")
            return
    await query.answer()
    context.user_data["reminder_to_move"] = reminder_id
    expect_reply(context, "reminder_time")
    assert update.effective_chat is not None
    await context.bot.send_message(update.effective_chat.id, "언제로 옮길까요? 예: 내일 오전 10시, 30분 뒤, 오후 4시")


async def on_new_reminder_time(update: Update, context: BotContext, text: str) -> None:
    assert update.effective_message is not None and context.user_data is not None
    runtime = context.runtime
    now = runtime.now()
    when = parse_when(text, now)
    if isinstance(when, DateFailure) or when.precision != "minute" or when.start <= now:
        reason = when.reason if isinstance(when, DateFailure) else "앞으로의 날짜와 시각을 함께 적어 주세요."
        expect_reply(context, "reminder_time")
        await update.effective_message.reply_text(f"{reason}\n예: 내일 오전 10시, 30분 뒤 (그만두려면 /cancel)")
        return
    async with runtime.sessionmaker.begin() as session:
        row = await reminders.get_for(session, int(context.user_data.pop("reminder_to_move", 0)),
                                      context.me.telegram_id)
        if row is None or row.state != reminders.PENDING:
            await update.effective_message.reply_text("이미 보냈거나 취소된 알림입니다.")
            return
        await reminders.move(session, row, when.start)
    runtime.wake()
    moved_to = when_text(when.start, None, "minute", False, now)
    await update.effective_message.reply_text(f"알림을 {moved_to}로 옮겼습니다.")


REPLIES = {"reminder_time": on_new_reminder_time}


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [
        CommandHandler("reminders", list_reminders),
        CallbackQueryHandler(on_reminder_button, pattern=r"^rem:(s10|s60|sam|done|na):\d+$"),
        CallbackQueryHandler(on_manage_button, pattern=r"^rm:(cancel|move):\d+$"),
    ]
