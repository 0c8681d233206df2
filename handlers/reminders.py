"""Buttons on every reminder (snooze, done) and /reminders: list, cancel or move my reminders."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.commands import CommandHelp
from bot.context import BotContext
from bot.domain.access import DataKind
from bot.lang.dates import DateFailure, parse_when
from bot.present.events import when_text
from bot.services import reminding
from bot.services.conversation import Open
from handlers import conversation as talk
from handlers.buttons import StaleButton, button, found, ident
from handlers.gate import withheld

COMMANDS = (CommandHelp("reminders", "내 알림 목록 (취소·시간 변경)", "/reminders"),)
SNOOZE_LABEL = {"s10": "10분 뒤", "s60": "1시간 뒤", "sam": "내일 아침"}


@button
async def on_reminder_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None
    _, action, raw_id = query.data.split(":")
    reminder_id = ident(raw_id)
    runtime = context.runtime
    now = runtime.now()
    me = context.me.telegram_id
    due = reminding.snooze_until(action, now, runtime.reminder_settings.morning)
    pressed = await reminding.press(runtime, reminder_id, me, action, due)
    if not pressed.mine:
        raise StaleButton(f"reminder {reminder_id} is not {me}'s")
    if pressed.refusal is not None:
        await query.answer(pressed.refusal, show_alert=True)
        return
    if action in ("done", "na"):
        await query.answer("완료로 표시했습니다." if action == "done" else "해당 없음으로 표시했습니다.")
    else:
        runtime.wake()
        again = when_text(due, None, "minute", False, now)
        await query.answer(f"{SNOOZE_LABEL[action]}({again})에 다시 알려 드릴게요.")
    await query.edit_message_reply_markup(None)


async def list_reminders(update: Update, context: BotContext) -> None:
    assert update.effective_message is not None
    if await withheld(update, context, DataKind.PERSONAL):
        return
    now = context.runtime.now()
    rows = await reminding.pending(context.runtime, context.me.telegram_id, limit=10)
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
    assert query is not None and query.data is not None
    _, action, raw_id = query.data.split(":")
    reminder_id = ident(raw_id)
    if await withheld(update, context, DataKind.PERSONAL):
        return
    mine = found(await reminding.cancel_pending(context.runtime, reminder_id, context.me.telegram_id,
                                                cancel=action == "cancel"))
    if not mine.pending:
        await query.answer("이미 보냈거나 취소된 알림입니다.", show_alert=True)
        return
    if action == "cancel":
        await query.answer("취소했습니다.")
        assert update.effective_chat is not None
        await context.bot.send_message(update.effective_chat.id, f"알림을 취소했습니다: {mine.text}")
        return
    await query.answer()
    await talk.start(update, context, MOVE, {"reminder_id": reminder_id}, WHEN)


async def ask_new_time(update: Update, context: BotContext, draft: Open) -> None:
    await talk.say(update, context, "언제로 옮길까요? 예: 내일 오전 10시, 30분 뒤, 오후 4시")


async def on_new_reminder_time(update: Update, context: BotContext, draft: Open, text: str) -> None:
    now = context.runtime.now()
    when = parse_when(text, now)
    if isinstance(when, DateFailure) or when.precision != "minute" or when.start <= now:
        reason = when.reason if isinstance(when, DateFailure) else "앞으로의 날짜와 시각을 함께 적어 주세요."
        await talk.say(update, context, f"{reason}\n예: 내일 오전 10시, 30분 뒤 (그만두려면 /cancel)")
        return
    await talk.complete(update, context, draft, reminding.move_to(context.me.telegram_id, when.start, now))


MOVE, WHEN = "reminder_move", "when"
FLOWS = {MOVE: talk.Flow("알림 시간 변경", ask_new_time, None, on_new_reminder_time, frozenset({WHEN}))}


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [
        CommandHandler("reminders", list_reminders),
        CallbackQueryHandler(on_reminder_button, pattern=r"^rem:(s10|s60|sam|done|na):\d+$"),
        CallbackQueryHandler(on_manage_button, pattern=r"^rm:(cancel|move):\d+$"),
    ]
