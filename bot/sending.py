"""The send path: every text the bot sends goes through FittingBot, which fits it into Telegram's limits
(bot/present/fit.py says how), so that no handler can fail with "message is too long"."""

from __future__ import annotations

from typing import Any

from telegram._utils.defaultvalue import DefaultValue
from telegram.ext import ApplicationBuilder, ExtBot
from telegram.ext._utils.types import RLARGS

from bot.present.fit import ALERT_LIMIT, CAPTION_LIMIT, cut, split

_CAPTIONED = ("sendPhoto", "sendDocument", "sendVideo", "sendAudio", "sendAnimation", "editMessageCaption")


class FittingBot(ExtBot[RLARGS]):
    """ExtBot whose every request is fitted before it is posted: a long message becomes several messages
    (the keyboard stays on the last one, or on the edited one), a long caption or alert is cut with "…"."""

    __slots__ = ()

    async def _post(self, endpoint: str, data: dict[str, Any] | None = None, **kwargs: Any) -> Any:
        data = dict(data or {})
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


class FittingApplicationBuilder(ApplicationBuilder):
    """ApplicationBuilder that builds a FittingBot: PTB's own _build_ext_bot with the class changed."""

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
