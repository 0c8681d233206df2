"""Texts of the follow-ups in words: what an undo would take back, a spending correction's echo, a moved
reminder, my spending, the as-of dates, and the short replies to thanks and greetings."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from bot.lang.textutil import has_final_consonant
from bot.present.budget import k
from bot.present.events import when_text

KIND_LABELS = {"spending": "지출", "visit": "현장방문 기록", "meeting": "간담회·면담 기록", "event": "일정",
               "reminder": "알림"}
THANKS = "천만에요. 더 필요한 게 있으면 편하게 말씀해 주세요."
GREETING = "안녕하세요! 일정·예산·공약·현장방문 무엇이든 물어보세요. (예: 오늘 일정, 업무추진비 잔액)"
UNDO_EXAMPLE = "예: '방금 거 취소', '마지막 지출 취소해줘'"
MOVE_EXAMPLE = "예: '그 알림 30분 뒤로', '회의 알림 내일 9시로'"
FIX_EXAMPLE = "예: '방금 지출 15만원으로 고쳐줘'"


def _day(when: date | datetime) -> str:
    return f"{when.month}.{when.day}."


def _minute(at: datetime, now: datetime) -> str:
    return when_text(at, None, "minute", False, now)


_BADGE = re.compile(r"^\W*(?:알림\s*:\s*)?")


def first_line(text: str) -> str:
    """A reminder's first line without its badge ("⏰ 알림: 회의자료" → 회의자료)."""
    line = text.splitlines()[0] if text else ""
    return _BADGE.sub("", line) or line


def _object(word: str) -> str:
    return word + ("을" if has_final_consonant(word) else "를")


def _subject(word: str) -> str:
    return word + ("이" if has_final_consonant(word) else "가")


@dataclass(frozen=True)
class ItemView:
    """One of my entries as an undo names it: its kind, its date, what it is, and its record number."""

    kind: str
    start: datetime | date
    precision: str  # minute | day | month; a date is always "day"
    what: str
    ref: str = ""
    end: datetime | None = None
    tentative: bool = False


@dataclass(frozen=True)
class ReminderView:
    due: datetime
    text: str
    delivered: bool


@dataclass(frozen=True)
class AsOf:
    """What each kind of figure is as of: the budget's opening (the report's ledger; entries since are added),
    the pledges' reported totals, the staffing table, and the report's facts by date."""

    budget_opening: date | None
    budget_source: str | None
    pledges: date | None
    staffing: date | None
    facts: list[tuple[date, list[str]]]


def describe(item: ItemView, now: datetime) -> str:
    """One line naming the entry: what, when, how much or where."""
    when = (_day(item.start) if not isinstance(item.start, datetime)
            else when_text(item.start, item.end, item.precision, item.tentative, now))
    ref = f" ({item.ref})" if item.ref else ""
    return f"{KIND_LABELS[item.kind].split()[0]} {when} {item.what}{ref}"


def undo_question(item: ItemView, now: datetime) -> str:
    return f"이 {_object(KIND_LABELS[item.kind])} 되돌릴까요?\n{describe(item, now)}"


def undone(item: ItemView, now: datetime) -> str:
    return f"되돌렸습니다: {describe(item, now)}"


def nothing_to_undo(kind: str | None) -> str:
    what = KIND_LABELS[kind] if kind else "기록"
    return f"24시간 안에 직접 입력한 {_subject(what)} 없습니다. 되돌릴 것이 없습니다."


def fix_echo(spent_on: date, purpose: str, entry_id: int, old_won: int, new_won: int, line: str, left_after: int,
             warnings: Sequence[str]) -> str:
    text = (f"지출 금액을 고칠까요?\n{_day(spent_on)} '{purpose}' (기록 번호 {entry_id})\n"
            f"금액: {k(old_won)}천원 → {k(new_won)}천원\n{line} 잔액(고친 뒤): {k(left_after)}천원")
    return text + "".join(f"\n⚠️ {warning}" for warning in warnings)


def fixed(entry_id: int, new_won: int, line: str, left_after: int) -> str:
    return f"기록 {entry_id}의 금액을 {k(new_won)}천원으로 고쳤습니다. {line} 잔액: {k(left_after)}천원"


def moved(text: str, due: datetime, now: datetime, snoozed: bool) -> str:
    how = "다시 알려 드릴게요" if snoozed else "옮겼습니다"
    return f"알림 '{first_line(text)}' → {_minute(due, now)}로 {how}."


def reminder_line(number: int, row: ReminderView, now: datetime) -> str:
    state = " (방금 보냄)" if row.delivered else ""
    return f"{number}. {_minute(row.due, now)} — {first_line(row.text)}{state}"


def reminder_choice(rows: Sequence[ReminderView], now: datetime) -> str:
    return "어느 알림을 옮길까요?\n" + "\n".join(reminder_line(i, row, now) for i, row in enumerate(rows, 1))


def no_reminder_meant(words: Sequence[str], mine: Sequence[ReminderView], now: datetime) -> str:
    head = f"'{' '.join(words)}' 알림을 찾지 못했습니다." if words else "옮길 알림이 없습니다."
    if not mine:
        return f"{head} 예정된 내 알림이 없습니다."
    return head + " 내 알림:\n" + "\n".join(reminder_line(i, row, now) for i, row in enumerate(mine[:10], 1))


def spending_list(entries: Sequence[tuple[int, date, int, str, str]], admin: bool) -> str:
    """(number, day, amount, line, purpose) of my entries, newest first."""
    if not entries:
        return "내가 기록한 지출이 없습니다. 예: '지출 12만원 시책추진 간담회 다과'"
    rows = [f"#{number} {_day(day)} {k(won)}천원 {line} '{purpose}'" for number, day, won, line, purpose in entries]
    tail = "\n전체 기록: /budget entries" if admin else ""
    help_line = f"고치기: {FIX_EXAMPLE} · 취소: '마지막 지출 취소해줘'{tail}"
    return "내가 기록한 지출 (최근 순):\n" + "\n".join(rows) + "\n" + help_line


def _full(day: date) -> str:
    return f"{day.year}.{day.month}.{day.day}."


def as_of_text(dates: AsOf, now: datetime) -> str:
    lines = ["자료 기준일:"]
    if dates.budget_opening:
        source = dates.budget_source or "장부"
        lines.append(f"• 업무추진비: {_full(dates.budget_opening)} 기준 {source} + 이후 입력한 지출 "
                     f"(잔액은 오늘 {_day(now.date())} 기준으로 계산)")
    if dates.pledges:
        lines.append(f"• 공약 구성: {_full(dates.pledges)} 기준 보고 수치")
    if dates.staffing:
        lines.append(f"• 인력 현황: {_full(dates.staffing)} 기준")
    for day, topics in dates.facts[:4]:
        shown = ", ".join(topics[:3]) + (f" 외 {len(topics) - 3}건" if len(topics) > 3 else "")
        lines.append(f"• 보고서 자료 {_full(day)} 기준: {shown}")
    if len(lines) == 1:
        return "불러온 자료가 없습니다. 관리자가 'secretariat-bot seed'로 보고서 자료를 불러올 수 있습니다."
    return "\n".join(lines)
