"""An offline Bot API: answers every call locally and records it.

Used by the console chat (which prints what the bot sends) and by the handler tests (which assert on it).
No network is touched: `getMe` is answered from a local bot user, sends return realistic Message objects.
"""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from telegram.request import BaseRequest, RequestData

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


class OfflineRequest(BaseRequest):
    """A BaseRequest that never leaves the process."""

    def __init__(self, bot_user: dict[str, Any] | None = None) -> None:
        self.bot_user = dict(bot_user or BOT_USER)
        self.calls: list[ApiCall] = []
        self.listeners: list[Callable[[ApiCall], None]] = []
        self._message_ids = itertools.count(1)
        self._messages: dict[tuple[int, int], dict[str, Any]] = {}
        self.files: dict[str, bytes] = {}  # file_id -> content, for documents users send (getFile + download)

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
