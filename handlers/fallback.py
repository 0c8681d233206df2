"""Last in line: whatever no feature handler took."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, MessageHandler, filters

from handlers import texts
from handlers.runtime import BotContext

UNKNOWN_COMMAND = "모르는 명령어입니다. /help 로 쓸 수 있는 명령어를 확인하세요."
STALE_BUTTON = "이 버튼은 더 이상 쓸 수 없습니다. 다시 요청해 주세요."


async def not_understood(update: Update, context: BotContext) -> None:
    assert update.effective_message is not None
    await update.effective_message.reply_text(texts.NOT_UNDERSTOOD)


async def unknown_command(update: Update, context: BotContext) -> None:
    assert update.effective_message is not None
    await update.effective_message.reply_text(UNKNOWN_COMMAND)


async def stale_button(update: Update, context: BotContext) -> None:
    assert update.callback_query is not None
    await update.callback_query.answer(STALE_BUTTON, show_alert=True)


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [
        MessageHandler(filters.COMMAND, unknown_command),
        MessageHandler(filters.TEXT, not_understood),
        CallbackQueryHandler(stale_button),
    ]
