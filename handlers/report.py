"""/report and "보고서 뽑아줘": the office's work report as a PDF, XLSX or HWPX file; /report on|off|상태: the monthly
push of the previous month's report to admins (bot/report_push.py)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from telegram import Bot, Update
from telegram.constants import ChatAction
from telegram.error import TelegramError
from telegram.ext import BaseHandler, CommandHandler

from bot.commands import CommandHelp
from bot.context import BotContext
from bot.domain.access import DataKind
from bot.lang.intents import Intent
from bot.lang.report_words import PushChoice, ReportAsk, ReportProblem, read_report_args, read_report_words
from bot.present import report as view
from bot.services import reports
from handlers.gate import withheld

COMMANDS = (
    CommandHelp("report", "주요업무 보고서 받기 (PDF·엑셀·한글) · 월간 자동 발송 켜기/끄기",
                "/report · /report xlsx · /report 2018-07-20 hwpx · 보고서 뽑아줘 · /report off"),
)
ACTION_SECONDS = 4.5  # Telegram shows a chat action for 5 s: renewed while the file is being made


@contextlib.asynccontextmanager
async def uploading(bot: Bot, chat_id: int) -> AsyncIterator[None]:
    """'sending a file…' in the chat while the block runs (the first at once, then renewed)."""

    async def show() -> bool:
        try:
            await bot.send_chat_action(chat_id, ChatAction.UPLOAD_DOCUMENT)
        except TelegramError:
            return False  # only a hint: the report goes on without it
        return True

    async def renew() -> None:
        while True:
            await asyncio.sleep(ACTION_SECONDS)
            if not await show():
                return

    renewing = asyncio.create_task(renew()) if await show() else None
    try:
        yield
    finally:
        if renewing is not None:
            renewing.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await renewing


async def _say(update: Update, context: BotContext, text: str) -> None:
    assert update.effective_chat is not None
    await context.bot.send_message(update.effective_chat.id, text)


async def command(update: Update, context: BotContext) -> None:
    if await withheld(update, context, DataKind.FILES):
        return
    await _answer(update, context, read_report_args(" ".join(context.args or []), context.runtime.now()))


async def on_intent(update: Update, context: BotContext, intent: Intent) -> None:
    assert update.effective_message is not None
    if await withheld(update, context, DataKind.FILES):
        return
    asked = intent.slots.get("request")
    if not isinstance(asked, ReportAsk | ReportProblem):  # a reading beyond the first few carries no slots
        asked = read_report_words(update.effective_message.text or "", context.runtime.now())
    await _answer(update, context, asked)


async def _answer(update: Update, context: BotContext, asked: ReportAsk | PushChoice | ReportProblem) -> None:
    if isinstance(asked, ReportProblem):
        await _say(update, context, asked.reason)
    elif isinstance(asked, PushChoice):
        await _push(update, context, asked.on)
    else:
        await _send(update, context, asked)


async def _send(update: Update, context: BotContext, asked: ReportAsk) -> None:
    assert update.effective_chat is not None
    if not reports.may_request(context.runtime, context.me):
        await _say(update, context, view.NOT_ALLOWED)
        return
    chat_id = update.effective_chat.id
    try:
        async with uploading(context.bot, chat_id):
            made = await reports.make_report(context.runtime, asked)
    except reports.FormatUnavailable as exc:
        await _say(update, context, view.format_unavailable(exc.fmt))
        return
    await context.bot.send_document(chat_id, made.data, filename=made.name, caption=made.caption)


async def _push(update: Update, context: BotContext, on: bool | None) -> None:
    runtime, me = context.runtime, context.me
    if not me.is_admin:
        await _say(update, context, view.PUSH_ADMINS_ONLY)
        return
    if on is None:
        state = await reports.push_setting(runtime, me.telegram_id)
    else:
        await reports.set_push(runtime, me.telegram_id, on)
        state = on
    await _say(update, context, view.push_text(state, on is not None, runtime.report_monthly,
                                               runtime.report_monthly_time))


INTENTS = {"report": on_intent}


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [CommandHandler("report", command)]
