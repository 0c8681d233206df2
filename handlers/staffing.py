"""인력 현황: the office's staffing table."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.commands import CommandHelp
from bot.context import BotContext
from bot.lang.asked import asked_view, staffing_number
from bot.present import brief
from bot.present.staffing import staffing_table
from bot.services import staffing
from handlers.buttons import button
from handlers.gate import figures_withheld

COMMANDS = (CommandHelp("staffing", "비서실 인력 현황 (정원·현원)", "/staffing · 인력 현황"),)
MENU_ROW = ("인력 현황",)
WORDS = r"(인력\s*현황|정원|현원|직원\s*(수|몇))"


DETAIL = "stf:all"


async def show(update: Update, context: BotContext) -> None:
    message = update.effective_message
    assert message is not None
    if message.text and not message.text.startswith("/") and await answer_number(update, context, message.text):
        return
    await _table(update, context)


async def _table(update: Update, context: BotContext) -> None:
    assert update.effective_chat is not None
    if await figures_withheld(update, context):
        return
    rows = await staffing.table(context.runtime)
    await context.bot.send_message(update.effective_chat.id, staffing_table(rows))


async def answer_number(update: Update, context: BotContext, text: str, figure: str | None = None) -> bool:
    """One number asked ("정원 몇 명", "별정직 현원"): that number in a line with "자세히" for the table.
    `figure` is the reading's view slot (else read from `text`). False when the question asks for the table."""
    asked = staffing_number(text, figure if figure is not None else asked_view(text))
    if asked is None:
        return False
    assert update.effective_chat is not None
    if await figures_withheld(update, context):
        return True
    category, which = asked
    counted = await staffing.count(context.runtime, category, context.me.telegram_id, update.effective_chat.id)
    if counted is None:
        await context.bot.send_message(update.effective_chat.id, staffing_table([]))
        return True
    text = brief.staffing_brief(category, which, counted.authorized, counted.filled, counted.as_of)
    markup = InlineKeyboardMarkup([[InlineKeyboardButton(brief.DETAIL, callback_data=DETAIL)]])
    await context.bot.send_message(update.effective_chat.id, text, reply_markup=markup)
    return True


@button
async def on_detail(update: Update, context: BotContext) -> None:
    assert update.callback_query is not None
    await update.callback_query.answer()
    await _table(update, context)


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [
        CommandHandler("staffing", show),
        MessageHandler(filters.TEXT & ~filters.COMMAND & filters.Regex(WORDS), show),
        CallbackQueryHandler(on_detail, pattern=rf"^{DETAIL}$"),
    ]
