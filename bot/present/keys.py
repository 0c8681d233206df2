"""Inline keyboards for a phone: at most six buttons a message, labels cut only between words.

Every keyboard the bot sends passes through bot/sending.py (FittingBot), which applies both rules, so no
handler can break them:
- a label longer than LABEL_LIMIT characters is cut at the last space (or '·') that leaves room for '…',
  never inside a word; a first word longer than the limit is kept whole rather than cut;
- a keyboard of more than MAX_KEYS buttons is shown a page at a time: the first page holds five buttons and
  "더 보기 ▶"; later pages hold "◀ 이전" as well. The whole keyboard is kept as a row (services/keyboards.py)
  and the page buttons name it and the page ("more:<id>:<page>").
"""

from __future__ import annotations

from collections.abc import Sequence

Key = tuple[str, str]  # (label, callback data or "url:<address>")
Rows = list[list[Key]]

MAX_KEYS = 6
LABEL_LIMIT = 30
ELLIPSIS = "…"
MORE = "더 보기 ▶"
BACK = "◀ 이전"
_BREAKS = (" ", "·")


def label(text: str, limit: int = LABEL_LIMIT) -> str:
    """`text` if it has at most `limit` characters, else cut at a word boundary with "…"."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    room = limit - len(ELLIPSIS)
    cut = max((i for i, char in enumerate(text[: room + 1]) if char in _BREAKS), default=-1)
    if cut <= 0:  # one word longer than the limit: keep it whole, never cut inside it
        cut = next((i for i, char in enumerate(text) if char in _BREAKS), len(text))
        if cut >= len(text):
            return text
    return text[:cut].rstrip(" ·(,") + ELLIPSIS


def count(rows: Sequence[Sequence[Key]]) -> int:
    return sum(len(row) for row in rows)


def page_sizes(total: int) -> list[int]:
    """How many of `total` buttons each page shows, so that with its page buttons it holds at most MAX_KEYS."""
    if total <= MAX_KEYS:
        return [total]
    sizes = [MAX_KEYS - 1]  # + 더 보기
    left = total - sizes[0]
    while left > 0:
        size = left if left <= MAX_KEYS - 1 else MAX_KEYS - 2  # + 이전 (and 더 보기)
        sizes.append(size)
        left -= size
    return sizes


def pages(rows: Sequence[Sequence[Key]]) -> int:
    return len(page_sizes(count(rows)))


def page(rows: Sequence[Sequence[Key]], number: int, more_data: str) -> Rows:
    """Page `number` (0-based) of `rows`, keeping the rows' grouping, with 이전/더 보기 buttons whose
    callback data is `more_data` followed by the page they open."""
    sizes = page_sizes(count(rows))
    number = min(max(number, 0), len(sizes) - 1)
    start = sum(sizes[:number])
    stop = start + sizes[number]
    shown: Rows = []
    index = 0
    for row in rows:
        kept = [key for offset, key in enumerate(row) if start <= index + offset < stop]
        index += len(row)
        if kept:
            shown.append(kept)
    nav: list[Key] = []
    if number > 0:
        nav.append((BACK, f"{more_data}{number - 1}"))
    if number < len(sizes) - 1:
        nav.append((MORE, f"{more_data}{number + 1}"))
    return [*shown, nav] if nav else shown
