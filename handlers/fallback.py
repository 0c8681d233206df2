"""Last in line: whatever no feature handler took."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, MessageHandler, filters

from bot.context import BotContext
from handlers import texts
from handlers.buttons import STALE

UNKNOWN_COMMAND = "모르는 명령어입니다. /help 로 쓸 수 있는 명령어를 확인하세요."


async def not_understood(update: Update, context: BotContext) -> None:
    assert update.effective_message is not None
    await update.effective_message.reply_text(texts.NOT_UNDERSTOOD)


async def unknown_command(update: Update, context: BotContext) -> None:
    assert update.effective_message is not None
    await update.effective_message.reply_text(UNKNOWN_COMMAND)


async def stale_button(update: Update, context: BotContext) -> None:
    assert update.callback_query is not None
    await update.callback_query.answer(STALE, show_alert=True)  # data no handler's pattern reads


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [
        MessageHandler(filters.COMMAND, unknown_command),
        MessageHandler(filters.TEXT, not_understood),
        CallbackQueryHandler(stale_button),
    ]
