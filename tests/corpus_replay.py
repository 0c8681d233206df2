"""Replay a corpus of staff messages through the real application (offline) and grade each reply.

A message is handled right when the bot did what its writer meant, judged from what the bot sent:
- a lookup or other non-creating kind never proposes to create anything (no "맞나요?" echo, no 확인 button, no
  form opened) and is not met with "I don't understand"; where the corpus gives `expect` strings, one of them is
  in the reply (the figure or date from the report);
- a creation is echoed for 확인 (or asks for what is missing), and the echo carries the corpus's slots: the
  amount, the day and time, the title and place words;
- `unknown` (outside the bot's job) creates nothing.
Used by tests/test_corpus_replies.py and bench/conversation.py (which prints the table).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from bot.config import Config
from bot.lang.moneyfmt import format_thousand_won, format_won, format_won_words
from bot.offline import ApiCall

CORPUS = Path(__file__).resolve().parent / "corpus"
CREATIONS = frozenset({"event_create", "reminder_create", "spending_log", "visit_log", "meeting_log"})
ECHO = re.compile(r"맞나요|맞습니까|저장할까요|등록할까요|기록할까요")
CONFIRM_LABELS = frozenset({"확인", "저장", "등록"})
NOT_UNDERSTOOD_MARKS = ("잘 모르겠", "이해하지 못")


@dataclass(frozen=True)
class Graded:
    line: dict[str, Any]
    replies: tuple[str, ...]
    buttons: tuple[str, ...]
    right: bool
    why: str

    @property
    def kind(self) -> str:
        return str(self.line["kind"])

    @property
    def writer(self) -> str:
        return str(self.line.get("writer", "?"))


def load(name: str) -> list[dict[str, Any]]:
    path = Path(name) if "/" in name else CORPUS / name
    return [json.loads(raw) for raw in path.read_text(encoding="utf-8").splitlines() if raw.strip()]


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _amount_forms(won: int) -> set[str]:
    forms = {format_won(won), format_thousand_won(won), format_won_words(won), f"{won:,}"}
    return {_squeeze(form) for form in forms}


def _date_forms(value: str) -> list[str]:
    moment = datetime.fromisoformat(value)
    forms = [f"{moment.month}.{moment.day}."]
    if "T" in value:
        forms.append(f"{moment.hour:02d}:{moment.minute:02d}")
    return forms


def _echo_carries(slots: dict[str, Any], echo: str) -> str:
    """Why the echo lacks one of the corpus's slots ('' when it has them all)."""
    flat = _squeeze(echo)
    if isinstance(slots.get("amount"), int) and not any(form in flat for form in _amount_forms(slots["amount"])):
        return f"amount {slots['amount']} not echoed"
    if isinstance(slots.get("date"), str):
        for form in _date_forms(slots["date"]):
            if form not in flat:
                return f"date {slots['date']} not echoed ({form})"
    for key in ("title", "place", "district"):
        value = slots.get(key)
        if isinstance(value, str) and value and _squeeze(value) not in flat:
            return f"{key} {value!r} not echoed"
    return ""


def grade(line: dict[str, Any], replies: Sequence[str], buttons: Sequence[str], form_opened: bool) -> tuple[bool, str]:
    text = "\n".join(replies)
    proposes = bool(ECHO.search(text)) or bool(CONFIRM_LABELS & set(buttons)) or form_opened
    kind = str(line["kind"])
    if kind in CREATIONS:
        if not proposes:
            return False, "no echo for a creation"
        missing = _echo_carries(line.get("slots") or {}, text)
        return (not missing), missing
    if proposes:
        return False, "proposed to create"
    if kind == "unknown":
        return True, ""
    if not replies or any(mark in text for mark in NOT_UNDERSTOOD_MARKS):
        return False, "not understood"
    expect = line.get("expect") or []
    if expect and not any(_squeeze(str(want)) in _squeeze(text) for want in expect):
        return False, f"none of {expect} in reply"
    return True, ""


def _captions(calls: Iterable[ApiCall]) -> list[str]:
    """What a file or picture the bot sent says about itself (an export, the calendar, a chart)."""
    return [f"[{call.method}] {call.params.get('caption') or ''}" for call in calls
            if call.method in ("sendDocument", "sendPhoto")]


def _buttons(calls: Iterable[ApiCall]) -> list[str]:
    return [button["text"] for call in calls
            for row in (call.params.get("reply_markup") or {}).get("inline_keyboard", []) for button in row]


async def replay(lines: Sequence[dict[str, Any]], config: Config, user: int = 0) -> list[Graded]:
    """Each message on its own: typed after /cancel, so an echo or form of the previous one is gone."""
    from conftest import make_harness, replies

    from storage import drafts

    out: list[Graded] = []
    async with make_harness(config) as harness:
        me = user or next(iter(harness.runtime.admins))
        for line in lines:
            await harness.send(me, "/cancel")
            calls = await harness.send(me, str(line["text"]))
            async with harness.runtime.sessionmaker() as session:
                form = await drafts.open_for(session, me, me, harness.runtime.now(), forms_only=True)
            said = tuple(replies(calls)) + tuple(_captions(calls))
            buttons = tuple(_buttons(calls))
            right, why = grade(line, said, buttons, form is not None)
            out.append(Graded(line, said, buttons, right, why))
    return out


def table(graded: Sequence[Graded]) -> str:
    """Right/total by writer and by kind, then the misses."""
    lines = []
    for title, key in (("writer", lambda g: g.writer), ("kind", lambda g: g.kind)):
        groups: dict[str, list[Graded]] = {}
        for item in graded:
            groups.setdefault(key(item), []).append(item)
        lines.append(f"{title:<16} right/total")
        for name, items in sorted(groups.items()):
            right = sum(item.right for item in items)
            lines.append(f"  {name:<16} {right:>4}/{len(items):<4} {100 * right / len(items):5.1f}%")
    total = sum(item.right for item in graded)
    lines.append(f"all: {total}/{len(graded)} = {100 * total / max(1, len(graded)):.1f}%")
    lines += [f"MISS [{g.kind}] {g.line['text']!r}: {g.why} → {' / '.join(g.replies)[:160]!r}"
              for g in graded if not g.right]
    return "\n".join(lines)
