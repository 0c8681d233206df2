"""Inline-button presses: callback data comes from the client and can be forged or stale. One mechanism reads it:
the parsers below raise `StaleButton` on anything malformed, out of range or not found, and the `button`
decorator turns that into a short alert — no traceback, no apology for a server error, nothing changed."""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine, Iterable
from datetime import date, datetime
from functools import wraps
from typing import Any, TypeVar

from telegram import Update
from telegram.error import TelegramError

from bot.context import BotContext

log = logging.getLogger(__name__)
STALE = "오래되었거나 잘못된 버튼입니다"
MAX_ID = 2**31 - 1  # record ids are INTEGER columns (PostgreSQL's int4)
MAX_USER_ID = 2**52 - 1  # Telegram user ids
T = TypeVar("T")
Callback = Callable[[Update, BotContext], Coroutine[Any, Any, None]]


class StaleButton(Exception):
    """The pressed button names something that is malformed, gone, or not the presser's to see or change."""


def ident(raw: str, *, limit: int = MAX_ID) -> int:
    """A record id (or an offset) from callback data: digits only, 0..limit."""
    if not raw.isascii() or not raw.isdigit() or len(raw) > len(str(limit)) or int(raw) > limit:
        raise StaleButton(f"bad number {raw[:20]!r}")
    return int(raw)


def user_id(raw: str) -> int:
    value = ident(raw, limit=MAX_USER_ID)
    if value == 0:
        raise StaleButton("user id 0")
    return value


def day(raw: str) -> date:
    """A YYYYMMDD date from callback data (20181340 is refused, not a crash)."""
    if len(raw) != 8 or not raw.isascii() or not raw.isdigit():
        raise StaleButton(f"bad date {raw[:20]!r}")
    try:
        return datetime.strptime(raw, "%Y%m%d").date()
    except ValueError:
        raise StaleButton(f"bad date {raw!r}") from None


def one_of(raw: str, options: Iterable[T]) -> T:
    """`raw` if it is one of `options` (compared as text), else stale."""
    for option in options:
        if str(option) == raw:
            return option
    raise StaleButton(f"unknown choice {raw[:40]!r}")


def pick(items: tuple[T, ...] | list[T], raw: str) -> T:
    """The item at index `raw` of a list the button was built from."""
    index = ident(raw)
    if index >= len(items):
        raise StaleButton(f"index {index} out of range")
    return items[index]


def found(value: T | None) -> T:
    """A record looked up for the presser (storage queries filter by who may see it): None means stale."""
    if value is None:
        raise StaleButton("record missing or not the presser's")
    return value


def button(callback: Callback) -> Callback:
    """Wrap a CallbackQueryHandler callback: a StaleButton anywhere in it becomes the stale-button alert."""

    @wraps(callback)
    async def wrapper(update: Update, context: BotContext) -> None:
        try:
            await callback(update, context)
        except StaleButton as why:
            query = update.callback_query
            log.info("Stale or forged button %r from user %s: %s", query.data if query else None,
                     update.effective_user.id if update.effective_user else None, why)
            if query is None:
                return
            try:
                await query.answer(STALE, show_alert=True)
            except TelegramError:  # the handler had already answered: say it in the chat instead
                if update.effective_chat is not None:
                    await context.bot.send_message(update.effective_chat.id, STALE)

    return wrapper
