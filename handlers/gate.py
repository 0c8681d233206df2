"""The access gate (handler group -1): only active roster members get past it. Fails closed: any error while
deciding refuses the update. Also the one place that decides what a chat may see (`withheld`)."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Coroutine
from functools import wraps
from typing import Any

from telegram import InlineQueryResultsButton, Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop

from bot.commands import HELP_WORDS
from bot.context import BotContext
from bot.domain.access import DataKind, may_show
from bot.services import staff
from handlers import texts
from handlers.errors import redact

log = logging.getLogger(__name__)
INVITE_START = re.compile(r"^/start(@\w+)?\s+\S+\s*$")
GREETING = re.compile(rf"^/(start|help)(@\w+)?(\s|$)|{HELP_WORDS}")

Callback = Callable[[Update, BotContext], Coroutine[Any, Any, None]]


def _is_invite_start(update: Update) -> bool:
    message = update.message
    return bool(message and message.text and INVITE_START.match(message.text))


def _is_greeting(update: Update) -> bool:
    message = update.message
    return bool(message and message.text and GREETING.match(message.text))


def _private(update: Update) -> bool:
    chat = update.effective_chat
    return chat is not None and chat.type == ChatType.PRIVATE


def _in_group(update: Update) -> bool:
    chat = update.effective_chat
    return chat is not None and chat.type != ChatType.PRIVATE


async def _tell(update: Update, text: str) -> None:
    if update.callback_query:
        await update.callback_query.answer(text, show_alert=True)
    elif update.inline_query:
        button = InlineQueryResultsButton(text=text.splitlines()[0][:64], start_parameter="denied")
        await update.inline_query.answer([], button=button, cache_time=0, is_personal=True)
    elif update.message:
        await update.message.reply_text(text)


async def refuse(update: Update, user_id: int) -> None:
    if update.inline_query:
        button = InlineQueryResultsButton(text=f"이용 권한이 없습니다 (ID {user_id})", start_parameter="denied")
        await update.inline_query.answer([], button=button, cache_time=0, is_personal=True)
        return
    await _tell(update, texts.REFUSAL.format(user_id=user_id))


async def _refuse_on_fault(update: Update, context: BotContext, error: Exception) -> None:
    """The roster could not be read (or anything else went wrong): refuse, apologise, log once."""
    summary = redact(f"{type(error).__name__}: {error}", context.runtime.secrets)[:500]
    log.error("Access gate failed; update %s refused: %s", update.update_id, summary)
    log.debug("Access gate failure", exc_info=error)
    if _in_group(update):
        return  # a group hears nothing, as for strangers
    try:
        await _tell(update, texts.GATE_FAULT)
    except TelegramError as exc:
        log.warning("Could not send the gate apology: %s", redact(str(exc), context.runtime.secrets))


async def check(update: Update, context: BotContext) -> None:
    context.runtime.begin_update()
    user = update.effective_user
    if user is None:
        raise ApplicationHandlerStop  # channel posts, polls and the like: nobody to authorise
    try:
        await _admit(update, context, user.id, user.full_name)
    except ApplicationHandlerStop:
        raise
    except Exception as error:  # fail closed on anything, not only database errors
        await _refuse_on_fault(update, context, error)
        raise ApplicationHandlerStop from None


async def _admit(update: Update, context: BotContext, user_id: int, full_name: str) -> None:
    """Return to let the update through; raise ApplicationHandlerStop to stop it."""
    member = await staff.member(context.runtime, user_id, full_name)
    if member is not None:
        context.member = member
        # In a group without access.allow_groups only greetings pass; features check stricter kinds themselves.
        kind = DataKind.GREETING if _is_greeting(update) else DataKind.FIGURES
        if await withheld(update, context, kind):
            raise ApplicationHandlerStop
        return
    if _in_group(update):
        raise ApplicationHandlerStop  # strangers in a group get silence, not a notice to the whole room
    if _is_invite_start(update):
        return  # handlers.start redeems the code; context.member stays None
    await refuse(update, user_id)
    raise ApplicationHandlerStop


def admin_only(callback: Callback) -> Callback:
    @wraps(callback)
    async def wrapper(update: Update, context: BotContext) -> None:
        if not context.me.is_admin:
            await _tell(update, texts.ADMIN_ONLY)
            return
        await callback(update, context)

    return wrapper


async def withheld(update: Update, context: BotContext, kind: DataKind) -> bool:
    """True (after telling the user to ask in a 1:1 chat) when this chat may not see data of this kind."""
    if may_show(kind, private=_private(update), allow_groups=context.runtime.allow_groups):
        return False
    await _tell(update, texts.WITHHELD_IN_GROUP.get(kind, texts.NO_FIGURES_IN_GROUP))
    return True


async def figures_withheld(update: Update, context: BotContext) -> bool:
    """True (after telling the user) when figures may not be shown in this chat."""
    return await withheld(update, context, DataKind.FIGURES)
