"""The send path: every text the bot sends goes through FittingBot, which fits it into Telegram's limits
(bot/present/fit.py says how), so that no handler can fail with "message is too long", and every inline
keyboard into a phone's (bot/present/keys.py): labels cut between words, at most six buttons a message."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram._utils.defaultvalue import DefaultValue
from telegram.ext import ApplicationBuilder, ExtBot
from telegram.ext._utils.types import RLARGS
from telegram.request import BaseRequest

from bot.present import keys
from bot.present.fit import ALERT_LIMIT, CAPTION_LIMIT, cut, split

log = logging.getLogger(__name__)
_CAPTIONED = ("sendPhoto", "sendDocument", "sendVideo", "sendAudio", "sendAnimation", "editMessageCaption")


class FittingBot(ExtBot[RLARGS]):
    """ExtBot whose every request is fitted before it is posted: a long message becomes several messages
    (the keyboard stays on the last one, or on the edited one), a long caption or alert is cut with "…"; an
    inline keyboard gets whole-word labels and, past six buttons, pages (its rows kept by `keyboard_stash`)."""

    __slots__ = ("keyboard_stash",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # (chat id, the whole keyboard) → the id its page buttons name; set by the wiring (bot/app.py).
        with self._unfrozen():
            self.keyboard_stash: Callable[[int, keys.Rows], Awaitable[int]] | None = None

    def keep_keyboards_with(self, stash: Callable[[int, keys.Rows], Awaitable[int]]) -> None:
        with self._unfrozen():
            self.keyboard_stash = stash

    async def _post(self, endpoint: str, data: dict[str, Any] | None = None, **kwargs: Any) -> Any:
        data = dict(data or {})
        if isinstance(data.get("reply_markup"), InlineKeyboardMarkup):
            data["reply_markup"] = await self._fit_keyboard(data["reply_markup"], data.get("chat_id"))
        if endpoint in _CAPTIONED and isinstance(data.get("caption"), str):
            data["caption"] = cut(data["caption"], CAPTION_LIMIT)
        elif endpoint == "answerCallbackQuery" and isinstance(data.get("text"), str):
            data["text"] = cut(data["text"], ALERT_LIMIT)
        elif endpoint in ("sendMessage", "editMessageText") and isinstance(data.get("text"), str):
            parts = split(data["text"])
            if len(parts) > 1:
                return await self._post_parts(endpoint, data, parts, **kwargs)
        return await super()._post(endpoint, data, **kwargs)

    async def _post_parts(self, endpoint: str, data: dict[str, Any], parts: list[str], **kwargs: Any) -> Any:
        plain = {key: value for key, value in data.items()
                 if key in ("chat_id", "message_thread_id", "disable_notification", "protect_content")}
        if endpoint == "editMessageText":  # the edited message keeps its keyboard; the rest follows it
            result = await super()._post(endpoint, {**data, "text": parts[0]}, **kwargs)
            if "chat_id" in data:
                for part in parts[1:]:
                    await super()._post("sendMessage", {**plain, "text": part}, **kwargs)
            return result
        for part in parts[:-1]:
            await super()._post(endpoint, {**plain, "text": part}, **kwargs)
        return await super()._post(endpoint, {**data, "text": parts[-1]}, **kwargs)

    async def _fit_keyboard(self, markup: InlineKeyboardMarkup, chat_id: object) -> InlineKeyboardMarkup:
        rows = [[_relabel(button) for button in row] for row in markup.inline_keyboard]
        if sum(len(row) for row in rows) <= keys.MAX_KEYS:
            return InlineKeyboardMarkup(rows)
        plain = [[(b.text, b.callback_data) for b in row if isinstance(b.callback_data, str)] for row in rows]
        if self.keyboard_stash is None or not isinstance(chat_id, int) or keys.count(plain) != sum(map(len, rows)):
            log.warning("A keyboard of %d buttons cut to %d", sum(map(len, rows)), keys.MAX_KEYS)
            return InlineKeyboardMarkup(_first(rows))
        stash_id = await self.keyboard_stash(chat_id, plain)
        return markup_of(keys.page(plain, 0, f"more:{stash_id}:"))


def _relabel(button: InlineKeyboardButton) -> InlineKeyboardButton:
    text = keys.label(button.text)
    if text == button.text:
        return button
    fields = button.to_dict()
    fields["text"] = text
    return InlineKeyboardButton.de_json(fields, None)


def _first(rows: list[list[InlineKeyboardButton]]) -> list[list[InlineKeyboardButton]]:
    """The first MAX_KEYS buttons (no way to page them: only when the bot is built without the wiring)."""
    kept: list[list[InlineKeyboardButton]] = []
    left = keys.MAX_KEYS
    for row in rows:
        if left <= 0:
            break
        kept.append(row[:left])
        left -= len(kept[-1])
    return kept


def markup_of(rows: keys.Rows) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(text, callback_data=data) for text, data in row]
                                 for row in rows])


class FittingApplicationBuilder(ApplicationBuilder):
    """ApplicationBuilder that builds a FittingBot: PTB's own _build_ext_bot with the class changed; its requests
    (the default HTTPX ones or those given) may be wrapped, e.g. to count failed Bot API calls."""

    def wrap_requests(self, wrap: Callable[[BaseRequest], BaseRequest]) -> FittingApplicationBuilder:
        self._wrap_request = wrap
        return self

    def _build_request(self, get_updates: bool) -> BaseRequest:
        request = super()._build_request(get_updates)
        wrap: Callable[[BaseRequest], BaseRequest] | None = getattr(self, "_wrap_request", None)
        return wrap(request) if wrap else request

    def _build_ext_bot(self) -> ExtBot[Any]:
        if isinstance(self._token, DefaultValue):
            raise RuntimeError("No bot token was set.")
        return FittingBot(
            token=self._token,
            base_url=DefaultValue.get_value(self._base_url),
            base_file_url=DefaultValue.get_value(self._base_file_url),
            private_key=DefaultValue.get_value(self._private_key),
            private_key_password=DefaultValue.get_value(self._private_key_password),
            defaults=DefaultValue.get_value(self._defaults),
            arbitrary_callback_data=DefaultValue.get_value(self._arbitrary_callback_data),
            request=self._build_request(get_updates=False),
            get_updates_request=self._build_request(get_updates=True),
            rate_limiter=DefaultValue.get_value(self._rate_limiter),
            local_mode=DefaultValue.get_value(self._local_mode),
        )
