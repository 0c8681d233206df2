"""Builders of Bot API update objects (as JSON dicts), for the console chat and the tests."""

from __future__ import annotations

import itertools
import time
from typing import Any

_ids = itertools.count(1)


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def user_json(user_id: int, first_name: str = "사용자", username: str | None = None) -> dict[str, Any]:
    user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name, "language_code": "ko"}
    if username:
        user["username"] = username
    return user


def chat_json(chat_id: int, chat_type: str = "private", name: str = "사용자") -> dict[str, Any]:
    if chat_type == "private":
        return {"id": chat_id, "type": chat_type, "first_name": name}
    return {"id": chat_id, "type": chat_type, "title": name}


def text_update(
    user: dict[str, Any], text: str, *, chat: dict[str, Any] | None = None, update_id: int | None = None,
) -> dict[str, Any]:
    """A message update; a leading /command gets its bot_command entity, as Telegram sends it."""
    message: dict[str, Any] = {
        "message_id": next(_ids),
        "date": int(time.time()),
        "chat": chat or chat_json(user["id"], "private", user.get("first_name", "")),
        "from": user,
        "text": text,
    }
    if text.startswith("/"):
        command = text.split()[0]
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": utf16_len(command)}]
    return {"update_id": update_id or next(_ids), "message": message}


def callback_update(
    user: dict[str, Any], message: dict[str, Any] | None, data: str, *, update_id: int | None = None,
) -> dict[str, Any]:
    """A button press on a message the bot sent (the Message dict the Bot API returned)."""
    query: dict[str, Any] = {"id": str(next(_ids)), "from": user, "chat_instance": "local", "data": data}
    if message is not None:
        query["message"] = message
    return {"update_id": update_id or next(_ids), "callback_query": query}


def inline_query_update(user: dict[str, Any], query: str) -> dict[str, Any]:
    return {
        "update_id": next(_ids),
        "inline_query": {"id": str(next(_ids)), "from": user, "query": query, "offset": ""},
    }


def document_update(user: dict[str, Any], file_id: str, file_name: str, size: int,
                    caption: str | None = None) -> dict[str, Any]:
    """A message carrying a document the user sends (its content is served by the offline request)."""
    message: dict[str, Any] = {
        "message_id": next(_ids), "date": int(time.time()), "chat": chat_json(user["id"], "private"),
        "from": user, "document": {"file_id": file_id, "file_unique_id": file_id, "file_name": file_name,
                                   "file_size": size},
    }
    if caption:
        message["caption"] = caption
    return {"update_id": next(_ids), "message": message}
