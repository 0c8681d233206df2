""""더 보기 ▶" / "◀ 이전" under a keyboard longer than six buttons (bot/present/keys.py): the same message
shows another page of its own buttons."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot.context import BotContext
from bot.present import keys
from bot.runtime import Runtime
from bot.sending import markup_of
from bot.services import keyboards
from handlers import buttons
from handlers.buttons import button


@button
async def on_page(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None and update.effective_chat is not None
    _, stash, number = query.data.split(":")
    stash_id, page = buttons.ident(stash), buttons.ident(number)
    rows = buttons.found(await keyboards.kept_for(context.runtime, stash_id, update.effective_chat.id))
    if page >= keys.pages(rows):
        raise buttons.StaleButton(f"keyboard page {page} past the end")
    await query.answer()
    await query.edit_message_reply_markup(markup_of(keys.page(rows, page, f"more:{stash_id}:")))


def keep_keyboards(runtime: Runtime) -> Callable[[int, keys.Rows], Awaitable[int]]:
    """The FittingBot's keyboard_stash: keep a long keyboard for its page buttons (bot/app.py wires it)."""

    async def stash(chat_id: int, rows: keys.Rows) -> int:
        return await keyboards.keep_for(runtime, chat_id, rows)

    return stash


def handlers() -> list[BaseHandler[Update, BotContext, Any]]:
    return [CallbackQueryHandler(on_page, pattern=r"^more:\d+:\d+$")]
