"""The access gate (handler group -1): only active roster members get past it. Fails closed."""

from __future__ import annotations

import re
from collections.abc import Callable, Coroutine
from functools import wraps
from typing import Any

from telegram import InlineQueryResultsButton, Update
from telegram.constants import ChatType
from telegram.ext import ApplicationHandlerStop

from handlers import texts
from handlers.runtime import BotContext, Member
from storage import people

INVITE_START = re.compile(r"^/start(@\w+)?\s+\S+\s*$")

Callback = Callable[[Update, BotContext], Coroutine[Any, Any, None]]


async def find_member(context: BotContext, telegram_id: int, fallback_name: str) -> Member | None:
    runtime = context.runtime
    async with runtime.sessionmaker() as session:
        person = await people.active_member(session, telegram_id)
    if person is not None and not person.deliverable:  # they blocked the bot once and now write again
        async with runtime.sessionmaker.begin() as session:
            await people.set_deliverable(session, telegram_id, True)
    if telegram_id in runtime.admins:
        known = person is not None and person.name != people.placeholder_name(telegram_id)
        return Member(telegram_id, person.name if person and known else fallback_name, is_admin=True)
    if person is None:
        return None
    return Member(telegram_id, person.name, is_admin=person.role == people.ADMIN)


def _is_invite_start(update: Update) -> bool:
    message = update.message
    return bool(message and message.text and INVITE_START.match(message.text))


async def refuse(update: Update, user_id: int) -> None:
    text = texts.REFUSAL.format(user_id=user_id)
    if update.callback_query:
        await update.callback_query.answer(text, show_alert=True)
    elif update.inline_query:
        button = InlineQueryResultsButton(text=f"이용 권한이 없습니다 (ID {user_id})", start_parameter="denied")
        await update.inline_query.answer([], button=button, cache_time=0, is_personal=True)
    elif update.message:
        await update.message.reply_text(text)


async def check(update: Update, context: BotContext) -> None:
    user = update.effective_user
    if user is None:
        raise ApplicationHandlerStop  # channel posts, polls and the like: nobody to authorise
    member = await find_member(context, user.id, user.full_name)
    if member is not None:
        context.member = member
        return
    chat = update.effective_chat
    if chat is not None and chat.type != ChatType.PRIVATE:
        raise ApplicationHandlerStop  # strangers in a group get silence, not a notice to the whole room
    if _is_invite_start(update):
        return  # handlers.start redeems the code; context.member stays None
    await refuse(update, user.id)
    raise ApplicationHandlerStop


def admin_only(callback: Callback) -> Callback:
    @wraps(callback)
    async def wrapper(update: Update, context: BotContext) -> None:
        if not context.me.is_admin:
            if update.effective_message:
                await update.effective_message.reply_text(texts.ADMIN_ONLY)
            return
        await callback(update, context)

    return wrapper


async def figures_withheld(update: Update, context: BotContext) -> bool:
    """True (after telling the user) when figures may not be shown in this chat."""
    chat = update.effective_chat
    if chat is None or chat.type == ChatType.PRIVATE or context.runtime.allow_groups:
        return False
    if update.effective_message:
        await update.effective_message.reply_text(texts.NO_FIGURES_IN_GROUP)
    return True
