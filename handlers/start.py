"""/start (with invite redemption), /help and the main menu."""

from __future__ import annotations

from telegram import ReplyKeyboardMarkup, Update
from telegram.ext import BaseHandler, CommandHandler, MessageHandler, filters

from bot.commands import HELP_WORDS, CommandHelp
from bot.context import BotContext
from bot.lang.intents import Intent
from bot.services import staff
from handlers import texts
from handlers.gate import refuse

COMMANDS = (
    CommandHelp("start", "인사와 메인 메뉴", "/start"),
    CommandHelp("help", "쓸 수 있는 명령어와 예시", "/help"),
)


def _menu(context: BotContext) -> ReplyKeyboardMarkup:
    return ReplyKeyboardMarkup([list(row) for row in context.runtime.menu], resize_keyboard=True)


async def _redeem(update: Update, context: BotContext, code: str) -> bool:
    user = update.effective_user
    assert user is not None
    refused = await staff.redeem(context.runtime, code, user.id, user.full_name, user.username)
    if refused is not None:
        assert update.message is not None
        await update.message.reply_text(f"{texts.INVITE_INVALID[refused]}\n내 ID: {user.id}")
        return False
    return True


async def start(update: Update, context: BotContext) -> None:
    message = update.message
    user = update.effective_user
    assert message is not None and user is not None
    if context.member is None:
        code = context.args[0] if context.args else ""
        if not code:  # the gate lets only /start CODE through for strangers; be safe anyway
            await refuse(update, user.id)
            return
        if not await _redeem(update, context, code):
            return
        name = user.full_name
    else:
        name = context.member.name
    await message.reply_text(texts.GREETING.format(name=name), reply_markup=_menu(context))


async def help_command(update: Update, context: BotContext) -> None:
    assert update.effective_message is not None
    member = context.me
    lines = [c.help_line() for c in context.runtime.commands if member.is_admin or not c.admin_only]
    text = "쓸 수 있는 명령어입니다.\n\n" + "\n".join(lines)
    text += "\n\n명령어 없이 말로 물어보셔도 됩니다. 예: '인력 현황'"
    await update.effective_message.reply_text(text, reply_markup=_menu(context))


async def on_help_intent(update: Update, context: BotContext, intent: Intent) -> None:
    await help_command(update, context)


INTENTS = {"help": on_help_intent}


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [
        CommandHandler("start", start),
        CommandHandler("help", help_command),
        MessageHandler(filters.TEXT & filters.Regex(HELP_WORDS), help_command),
    ]
