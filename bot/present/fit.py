"""Telegram's size limits, and the one way the bot fits a text into them.

Telegram counts a message's length in UTF-16 code units (an emoji outside the BMP counts two), after entity
parsing; callback data in UTF-8 bytes. The rule the bot follows (see README, "Message sizes"):
- a message longer than TEXT_LIMIT is split at line breaks into several messages, each within the limit,
  at most MAX_PARTS of them; what would not fit even then is cut with "…" and a note that more was left out;
- a caption or a callback-query alert is cut with "…";
- lists page (see storage/paging.py), so the split is the safety net for unusually long free text.
"""

from __future__ import annotations

import hashlib

TEXT_LIMIT = 4096  # sendMessage / editMessageText text
CAPTION_LIMIT = 1024  # sendPhoto / sendDocument caption
ALERT_LIMIT = 200  # answerCallbackQuery text
DATA_LIMIT = 64  # InlineKeyboardButton.callback_data, UTF-8 bytes
MAX_PARTS = 4  # a reply is split into at most this many messages
ELLIPSIS = "…"
LEFT_OUT = "\n… (길어서 나머지는 생략했습니다)"


def utf16_len(text: str) -> int:
    """The length Telegram counts."""
    return len(text.encode("utf-16-le")) // 2


def data_fits(data: str) -> bool:
    return 1 <= len(data.encode("utf-8")) <= DATA_LIMIT


def named_data(prefix: str, name: str) -> str:
    """Callback data naming a record by its name (a fact's key): the name when it fits in 64 bytes, else
    '~' and a digest of it (a Korean key of 22 characters already does not fit)."""
    data = prefix + name
    return data if data_fits(data) else f"{prefix}~{hashlib.sha1(name.encode()).hexdigest()[:16]}"


def names(tail: str, name: str) -> bool:
    """Whether callback data's tail (after the prefix) from named_data names `name`."""
    return tail == name or tail == f"~{hashlib.sha1(name.encode()).hexdigest()[:16]}"


def cut(text: str, limit: int, tail: str = ELLIPSIS) -> str:
    """`text` if it fits in `limit` UTF-16 units, else its longest prefix that fits together with `tail`."""
    if utf16_len(text) <= limit:
        return text
    room = limit - utf16_len(tail)
    kept, used = [], 0
    for char in text:
        size = 2 if ord(char) > 0xFFFF else 1
        if used + size > room:
            break
        kept.append(char)
        used += size
    return "".join(kept).rstrip() + tail


def split(text: str, limit: int = TEXT_LIMIT, max_parts: int = MAX_PARTS) -> list[str]:
    """`text` as messages of at most `limit` units each, broken at line ends where a line fits, at most
    `max_parts` of them (the last then ends with a note that the rest was left out)."""
    if utf16_len(text) <= limit:
        return [text]
    parts: list[str] = []
    current = ""
    for line in text.split("\n"):
        while utf16_len(line) > limit:  # one line longer than a message: cut it where it must be cut
            if current:
                parts.append(current)
                current = ""
            head = cut(line, limit, "")
            parts.append(head)
            line = line[len(head):]
        candidate = f"{current}\n{line}" if current else line
        if current and utf16_len(candidate) > limit:
            parts.append(current)
            current = line
        else:
            current = candidate
    if current.strip():
        parts.append(current)
    if len(parts) > max_parts:
        parts = [*parts[: max_parts - 1], cut(parts[max_parts - 1] + LEFT_OUT, limit, LEFT_OUT)]
    return [part for part in parts if part.strip()] or [cut(text, limit)]


def clip(text: str, limit: int) -> str:
    """A stored field shown inside a longer message (a card's history line): at most `limit` characters."""
    return cut(" ".join(text.split()), limit)
