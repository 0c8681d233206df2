"""An offline Bot API: answers every call locally and records it.

Used by the console chat (which prints what the bot sends) and by the handler tests (which assert on it).
No network is touched: `getMe` is answered from a local bot user, sends return realistic Message objects.
Like Telegram, it refuses (400 Bad Request, which PTB raises as BadRequest) a message over 4,096 UTF-16 units,
an empty text, a caption over 1,024, an alert over 200, callback data over 64 bytes and an empty button text,
so every handler test checks Telegram's limits; refused calls are kept in `refused`, not in `calls`.
"""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from telegram.request import BaseRequest, RequestData

from bot.present.fit import ALERT_LIMIT, CAPTION_LIMIT, TEXT_LIMIT, utf16_len

BOT_USER: dict[str, Any] = {
    "id": 7000000001,
    "is_bot": True,
    "first_name": "비서실봇",
    "username": "secretariat_bot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}

UploadedFile = tuple[str, bytes]  # (file name, content)


@dataclass
class ApiCall:
    method: str
    params: dict[str, Any]
    files: dict[str, UploadedFile] = field(default_factory=dict)
    result: Any = None


def _file_content(content: Any) -> bytes:
    if isinstance(content, bytes):
        return content
    data = content.read()
    return data if isinstance(data, bytes) else str(data).encode()


def _echo_inline_keyboard(call: ApiCall, message: dict[str, Any]) -> None:
    """Telegram echoes inline keyboards in the returned Message, never reply keyboards."""
    markup = call.params.get("reply_markup")
    if isinstance(markup, dict) and "inline_keyboard" in markup:
        message["reply_markup"] = markup


def _markup(params: dict[str, Any]) -> dict[str, Any]:
    markup = params.get("reply_markup")
    if isinstance(markup, str):
        markup = json.loads(markup)
    return markup if isinstance(markup, dict) else {}


def telegram_refusal(call: ApiCall) -> str | None:
    """The 400 description Telegram gives for a call that breaks its size limits, else None."""
    params = call.params
    text = params.get("text")
    if call.method in ("sendMessage", "editMessageText"):
        if not str(text or "").strip():
            return "Bad Request: message text is empty"
        if utf16_len(str(text)) > TEXT_LIMIT:
            return "Bad Request: message is too long"
    if call.method == "answerCallbackQuery" and text is not None and utf16_len(str(text)) > ALERT_LIMIT:
        return "Bad Request: MESSAGE_TOO_LONG"
    caption = params.get("caption")
    if caption is not None and utf16_len(str(caption)) > CAPTION_LIMIT:
        return "Bad Request: message caption is too long"
    markup = _markup(params)
    for row in markup.get("inline_keyboard", []):
        for button in row:
            if not str(button.get("text", "")).strip():
                return "Bad Request: BUTTON_TEXT_INVALID"
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode("utf-8")) <= 64:
                return "Bad Request: BUTTON_DATA_INVALID"
    for row in markup.get("keyboard", []):
        for button in row:
            label = button.get("text", "") if isinstance(button, dict) else button
            if not str(label).strip():
                return "Bad Request: BUTTON_TEXT_INVALID"
    return None


class OfflineRequest(BaseRequest):
    """A BaseRequest that never leaves the process."""

    def __init__(self, bot_user: dict[str, Any] | None = None) -> None:
        self.bot_user = dict(bot_user or BOT_USER)
        self.calls: list[ApiCall] = []
        self.listeners: list[Callable[[ApiCall], None]] = []
        self._message_ids = itertools.count(1)
        self._messages: dict[tuple[int, int], dict[str, Any]] = {}
        self.files: dict[str, bytes] = {}  # file_id -> content, for documents users send (getFile + download)
        self.refused: list[tuple[ApiCall, str]] = []  # calls Telegram would refuse, with its description

    @property
    def read_timeout(self) -> float | None:
        return None

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        if "/file/bot" in url:  # a download of a file a user sent: raw bytes, not a Bot API answer
            return 200, self.files.get(url.rsplit("/", 1)[-1], b"")
        api_method = url.rsplit("/", 1)[-1]
        params = dict(request_data.parameters) if request_data else {}
        files: dict[str, UploadedFile] = {}
        if request_data and request_data.contains_files:
            for part, (name, content, *_rest) in request_data.multipart_data.items():
                files[part] = (name or part, _file_content(content))
        call = ApiCall(api_method, params, files)
        refusal = telegram_refusal(call)
        if refusal is not None:  # what Telegram answers; PTB raises BadRequest, nothing is delivered
            self.refused.append((call, refusal))
            return 400, json.dumps({"ok": False, "error_code": 400, "description": refusal}).encode()
        call.result = self._answer(call)
        self.calls.append(call)
        for listener in self.listeners:
            listener(call)
        return 200, json.dumps({"ok": True, "result": call.result}).encode()

    # -- answers -------------------------------------------------------------------------------------

    def _answer(self, call: ApiCall) -> Any:
        answer = getattr(self, f"_answer_{call.method}", None)
        return answer(call) if answer else True

    def _answer_getMe(self, call: ApiCall) -> Any:
        return self.bot_user

    def _answer_getMyCommands(self, call: ApiCall) -> Any:
        return []

    def _answer_getUpdates(self, call: ApiCall) -> Any:
        return []

    def _answer_getFile(self, call: ApiCall) -> Any:
        file_id = str(call.params["file_id"])
        return {"file_id": file_id, "file_unique_id": file_id, "file_size": len(self.files.get(file_id, b"")),
                "file_path": file_id}

    def _new_message(self, call: ApiCall, **content: Any) -> dict[str, Any]:
        chat_id = int(call.params["chat_id"])
        message = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "group", "title": "chat"},
            "from": self.bot_user,
            **content,
        }
        _echo_inline_keyboard(call, message)
        self._messages[(chat_id, message["message_id"])] = message
        return message

    def _answer_sendMessage(self, call: ApiCall) -> Any:
        return self._new_message(call, text=call.params.get("text", ""))

    def _uploaded(self, call: ApiCall, part: str) -> dict[str, Any]:
        name, data = call.files.get(part, (str(call.params.get(part, part)), b""))
        unique = f"offline-{len(self.calls)}"
        return {"file_id": unique, "file_unique_id": unique, "file_name": name, "file_size": len(data)}

    def _answer_sendDocument(self, call: ApiCall) -> Any:
        return self._new_message(call, document=self._uploaded(call, "document"),
                                 caption=call.params.get("caption", ""))

    def _answer_sendPhoto(self, call: ApiCall) -> Any:
        photo = self._uploaded(call, "photo")
        photo.update(width=800, height=600)
        photo.pop("file_name")
        return self._new_message(call, photo=[photo], caption=call.params.get("caption", ""))

    def _edit(self, call: ApiCall, **changes: Any) -> Any:
        if "inline_message_id" in call.params:
            return True
        key = (int(call.params["chat_id"]), int(call.params["message_id"]))
        message = self._messages.get(key) or {
            "message_id": key[1], "date": int(time.time()), "chat": {"id": key[0], "type": "private"},
            "from": self.bot_user,
        }
        message.update(changes)
        message.pop("reply_markup", None)
        _echo_inline_keyboard(call, message)
        self._messages[key] = message
        return message

    def _answer_editMessageText(self, call: ApiCall) -> Any:
        return self._edit(call, text=call.params.get("text", ""))

    def _answer_editMessageReplyMarkup(self, call: ApiCall) -> Any:
        return self._edit(call)

    # -- reading what was sent ---------------------------------------------------------------------

    def of(self, method: str) -> list[ApiCall]:
        return [c for c in self.calls if c.method == method]

    def texts(self, chat_id: int | None = None) -> list[str]:
        """Texts of every message sent or edited, in order (optionally to one chat)."""
        return [
            str(c.params.get("text", ""))
            for c in self.calls
            if c.method in ("sendMessage", "editMessageText")
            and (chat_id is None or int(c.params.get("chat_id", 0)) == chat_id)
        ]

    def clear(self) -> None:
        self.calls.clear()
