"""인력 현황: the office's staffing table."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, MessageHandler, filters

from bot.commands import CommandHelp
from bot.context import BotContext
from bot.present.staffing import staffing_table
from handlers.gate import figures_withheld
from storage import staffing

COMMANDS = (CommandHelp("staffing", "비서실 인력 현황 (정원·현원)", "/staffing · 인력 현황"),)
MENU_ROW = ("인력 현황",)
WORDS = r"(인력\s*현황|정원|현원|직원\s*(수|몇))"


async def show(update: Update, context: BotContext) -> None:
    assert update.effective_message is not None
    if await figures_withheld(update, context):
        return
    async with context.runtime.sessionmaker() as session:
        rows = await staffing.latest(session)
    await update.effective_message.reply_text(staffing_table(rows))


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [
        CommandHandler("staffing", show),
        MessageHandler(filters.TEXT & ~filters.COMMAND & filters.Regex(WORDS), show),
    ]
