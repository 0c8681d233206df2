"""Who may see what, where: the one rule for data shown in group chats (README, "Access and group chats")."""

from __future__ import annotations

from enum import Enum


class DataKind(Enum):
    """What a reply would show. Private (1:1) chats with a member may show every kind their role allows."""

    GREETING = "greeting"  # /start, /help: nothing of the office's
    FIGURES = "figures"  # budget balances, staffing, report facts, pledge totals, charts
    RECORDS = "records"  # visits, meetings, follow-ups, pledge lists and cards, spending entries, the team agenda
    PERSONAL = "personal"  # one's own reminders and private events
    ROSTER = "roster"  # the staff list: names and Telegram ids
    INVITE = "invite"  # invite links
    FILES = "files"  # exports, .ics calendars, templates, imports


# With access.allow_groups = true a group chat may see these; never the others.
GROUP_KINDS = frozenset({DataKind.GREETING, DataKind.FIGURES, DataKind.RECORDS})


def may_show(kind: DataKind, *, private: bool, allow_groups: bool) -> bool:
    """In a private chat everything; in a group only greetings, and with allow_groups figures and records."""
    if private or kind is DataKind.GREETING:
        return True
    return allow_groups and kind in GROUP_KINDS
