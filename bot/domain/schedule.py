"""One schedule as users see it (pure): when each reminder of a dated item comes, and whether two titles name
the same thing.

Every dated item — an event, a planned meeting or visit, a personal nudge — is reminded by the same rule
(bot/lang/schedule_words.py says which line is which):
- a thing to attend: D-7 and D-1 at 09:00 while ahead, and an hour before a timed start — or, when the person
  asked for the time itself ("…15시에 알려줘"), at that time instead of an hour before;
- a nudge: exactly at its time, once.
`alerts` computes that list; the echo shows it before anything is stored, and the services store the same list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from bot.domain.leads import DraftEvent, EventView, Planned, ReminderSettings, plan
from bot.lang.textutil import strip_trailing_particle

NUDGE_LABEL = ""  # a nudge's one reminder is its own time: no "D-1" or "1시간 전" to show


@dataclass(frozen=True)
class Nudge:
    """A one-off personal reminder: what, and when exactly."""

    title: str
    due_at: datetime


@dataclass(frozen=True)
class Attendable:
    """A planned meeting or visit seen as an event for planning its reminders (EventView)."""

    title: str
    start_at: datetime
    precision: str
    place: str | None = None
    end_at: datetime | None = None
    tentative: bool = False
    audience: str = "me"


def alerts(item: DraftEvent | EventView | Nudge, settings: ReminderSettings, now: datetime) -> list[Planned]:
    """Every reminder of `item` still ahead of `now`, in time order."""
    if isinstance(item, Nudge):
        return [Planned("personal", NUDGE_LABEL, item.due_at)] if item.due_at > now else []
    lead = item.lead_minutes if isinstance(item, DraftEvent) else None
    return plan(item, settings, now, lead)


_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_SEPARATORS = re.compile(r"[^\w]+")
_NOISE = frozenset({"예정", "일정", "알림"})


def title_words(title: str) -> tuple[str, ...]:
    """The words of a title without spaces, punctuation, brackets and trailing particles, in order."""
    words = (strip_trailing_particle(w) for w in _SEPARATORS.split(_BRACKETS.sub(" ", title)) if w)
    return tuple(w for w in words if w and w not in _NOISE)


def same_title(a: str, b: str) -> bool:
    """"서울식물원 개관식" = "서울식물원개관식을" = "개관식 — 서울식물원": the same words, spaced or ordered apart."""
    wa, wb = title_words(a), title_words(b)
    return bool(wa) and ("".join(wa) == "".join(wb) or sorted(wa) == sorted(wb))
