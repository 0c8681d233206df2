"""Spreadsheets sent in chat by an admin (read and imported by bot/services/imports.py).

A file is refused by its declared size before it is downloaded (config [imports]). Reading and checking run in a
worker process (bot/workers.py); a file larger than BACKGROUND_BYTES is imported in a background task, so the bot
keeps answering everyone (the admin is told it is under way, then gets the result).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, MessageHandler, filters

from bot.context import BotContext
from bot.domain.access import DataKind
from bot.services import imports
from bot.sheets.common import check_upload_size, megabytes
from handlers.gate import withheld

log = logging.getLogger(__name__)

BACKGROUND_BYTES = 64 * 1024  # larger files are imported in a background task
APPROVE = "초과 지출 승인하고 가져오기"
STALE = "오래되었거나 잘못된 버튼입니다. 파일을 다시 보내 주세요."
EXPIRED = "시간이 지나 취소된 승인 요청입니다. 파일을 다시 보내 주세요."
FAILED = "파일을 가져오다 문제가 생겨 아무것도 가져오지 않았습니다. 잠시 뒤 다시 보내 주세요."
_RUNNING: set[asyncio.Task[None]] = set()  # background imports (a reference keeps them from being collected)


async def _reply(message: Message, context: BotContext, outcome: imports.Outcome, file_id: str, name: str) -> None:
    markup = None
    if outcome.approvable:  # held as a draft: the buttons name it, and it is approved once
        held = await imports.hold_ledger(context.runtime, context.me.telegram_id, message.chat_id, file_id, name)
        markup = InlineKeyboardMarkup([[InlineKeyboardButton(APPROVE, callback_data=f"imp:over:{held}"),
                                        InlineKeyboardButton("취소", callback_data=f"imp:no:{held}")]])
    await message.reply_text(outcome.text, reply_markup=markup)


async def _in_background(message: Message, context: BotContext, data: bytes, file_id: str, name: str,
                         approve: bool) -> None:
    try:
        outcome = await imports.import_file(context.runtime, data, name, context.me.telegram_id, approve)
    except Exception:
        log.exception("background import of %s failed", name)
        await message.reply_text(FAILED)
        return
    await _reply(message, context, outcome, file_id, name)


async def _run(message: Message, context: BotContext, data: bytes, file_id: str, name: str, approve: bool) -> None:
    """Small files are imported before the answer; larger ones in a background task."""
    if len(data) <= BACKGROUND_BYTES:
        outcome = await imports.import_file(context.runtime, data, name, context.me.telegram_id, approve)
        await _reply(message, context, outcome, file_id, name)
        return
    await message.reply_text(f"파일({megabytes(len(data))})을 받았습니다. 확인해서 가져오는 동안 다른 일을 하셔도 "
                             "됩니다. 끝나면 결과를 알려 드리겠습니다.")
    task = asyncio.create_task(_in_background(message, context, data, file_id, name, approve))
    _RUNNING.add(task)
    task.add_done_callback(_RUNNING.discard)


async def on_document(update: Update, context: BotContext) -> None:
    message = update.effective_message
    assert message is not None and message.document is not None
    if not context.me.is_admin:
        await message.reply_text("파일 가져오기는 관리자만 할 수 있습니다.")
        return
    if await withheld(update, context, DataKind.FILES):
        return
    document = message.document
    name = document.file_name or "file"
    if not name.lower().endswith((".xlsx", ".csv")):
        await message.reply_text(imports.KINDS_HINT)
        return
    limits = context.runtime.import_limits
    if refusal := check_upload_size(document.file_size or 0, limits):  # before downloading it
        await message.reply_text(refusal)
        return
    data = bytes(await (await document.get_file()).download_as_bytearray())
    if refusal := check_upload_size(len(data), limits):
        await message.reply_text(refusal)
        return
    await _run(message, context, data, document.file_id, name, approve=False)


async def on_approve(update: Update, context: BotContext) -> None:
    """An admin approves the ledger just refused for overdrawn lines or the ceiling: it is fetched again and
    imported with the same checks, those two let through."""
    query = update.callback_query
    assert query is not None and query.data is not None
    await query.answer()
    _, action, held = query.data.split(":")
    message = update.effective_message
    assert isinstance(message, Message)
    pending, ended = (None, imports.Ended.MISSING) if not context.me.is_admin else await imports.take_ledger(
        context.runtime, context.me.telegram_id, message.chat_id, int(held), approve=action == "over")
    await query.edit_message_reply_markup(None)  # the draft is finished first: a second press imports nothing
    if ended is imports.Ended.EXPIRED:
        await message.reply_text(EXPIRED)
        return
    if action == "no" and ended is imports.Ended.DROPPED:
        await message.reply_text("취소했습니다. 아무것도 가져오지 않았습니다.")
        return
    if pending is None:
        await message.reply_text(STALE)
        return
    data = bytes(await (await context.bot.get_file(pending["file_id"])).download_as_bytearray())
    await _run(message, context, data, pending["file_id"], pending["name"], approve=True)


def handlers() -> list[BaseHandler[Update, BotContext, Any]]:
    return [MessageHandler(filters.Document.ALL, on_document),
            CallbackQueryHandler(on_approve, pattern=r"^imp:(over|no):\d{1,9}$")]
