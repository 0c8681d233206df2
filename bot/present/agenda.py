"""The agenda laid out for a phone: one line an item, the days the Korean way."""

from __future__ import annotations

from datetime import datetime

from bot.domain.agenda import AgendaItem, Window, ordered
from bot.lang.datefmt import format_span
from bot.present.fit import utf16_len

MAX_CHARS = 3900  # Telegram's limit is 4096 UTF-16 units a message
EMPTY_HINT = "예: '9월 15일 오후 3시 서울식물원 개관식 알려줘'로 등록할 수 있습니다."
ICONS = {"event": "•", "reminder": "⏰", "visit": "🚶", "meeting": "🤝", "followup": "✅"}


def _line(item: AgendaItem, now: datetime) -> str:
    when = format_span(item.start, item.end, item.precision, item.tentative, now=now)  # type: ignore[arg-type]
    place = f" ({item.place})" if item.place else ""
    return f"{ICONS.get(item.kind, '•')} {when} {item.title}{place}"


def agenda_text(window: Window, items: list[AgendaItem], now: datetime) -> str:
    dated, undated = ordered(items)
    if not dated and not undated:
        return f"📅 {window.title}: 등록된 일정이 없습니다.\n{EMPTY_HINT}"
    lines = [f"📅 {window.title} ({len(dated) + len(undated)}건)"]
    lines += [_line(i, now) for i in dated]
    if undated:
        lines.append("\n날짜 미정(월만 정해짐):")
        lines += [_line(i, now) for i in undated]
    text = ""
    for index, line in enumerate(lines):
        if utf16_len(text) + utf16_len(line) + 1 > MAX_CHARS:
            return text + f"… 외 {len(lines) - index}건"
        text += ("\n" if text else "") + line
    return text
