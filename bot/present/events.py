"""Korean texts for events and reminders: the echo before confirmation, the confirmation, the card."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.domain.agenda import AgendaItem
from bot.domain.leads import EventView, Planned, describe
from bot.lang.datefmt import format_span


def when_text(start: datetime, end: datetime | None, precision: str, tentative: bool, now: datetime) -> str:
    tz = now.tzinfo
    return format_span(start.astimezone(tz), end.astimezone(tz) if end else None, precision,  # type: ignore[arg-type]
                       tentative, now=now)


def planned_lines(planned: Sequence[Planned], now: datetime, *, silent: bool = False) -> str:
    """'알림: D-7 9.8.(토) 09:00 · D-1 9.14.(금) 09:00 · 1시간 전 9.15.(토) 14:00': each reminder's exact time.
    `silent`: no reminder was asked for ("알림 없이")."""
    if not planned:
        return "알림: 없음" if silent else "알림: 없음 (알림 시각이 모두 지났습니다)"
    shown = [f"{p.label} {when_text(p.due_at, None, 'minute', False, now)}".strip()
             for p in planned if p.kind != "fixdate"]
    text = "알림: " + " · ".join(shown) if shown else ""
    if any(p.kind == "fixdate" for p in planned):
        text += ("\n" if text else "") + "날짜가 정해질 때까지 매주 월요일 아침에 날짜 확정을 여쭙겠습니다."
    return text


def same_day_note(items: Sequence[AgendaItem], now: datetime) -> str:
    """The warning shown in an echo when the day already holds an item of the same title ('' when none)."""
    if not items:
        return ""
    shown = " · ".join(f"{when_text(i.start, i.end, i.precision, i.tentative, now)} {i.title}" for i in items[:3])
    return f"⚠️ 같은 날 같은 제목의 일정이 이미 있습니다: {shown}"


def audience_text(audience: str) -> str:
    return "팀 전체" if audience == "team" else "나"


def event_echo(event: EventView, planned: Sequence[Planned], now: datetime, *, silent: bool = False) -> str:
    return (f"{describe(event, now)} — 맞나요?\n{planned_lines(planned, now, silent=silent)}\n"
            f"대상: {audience_text(event.audience)}")


def event_saved(event: EventView, planned: Sequence[Planned], now: datetime, *, silent: bool = False) -> str:
    return (f"등록했습니다: {describe(event, now)}\n{planned_lines(planned, now, silent=silent)}\n"
            f"대상: {audience_text(event.audience)}")


def personal_echo(title: str, due: datetime, now: datetime) -> str:
    return f"{when_text(due, None, 'minute', False, now)}에 '{title}' 알려 드릴까요?"


def personal_saved(title: str, due: datetime, now: datetime) -> str:
    return f"알림을 등록했습니다: {when_text(due, None, 'minute', False, now)} '{title}'"


def recurring_echo(description: str, text: str, first: datetime | None, shift: str, now: datetime) -> str:
    policy = {"previous": "주말·공휴일이면 앞 근무일로 당겨 알립니다.",
              "next": "주말·공휴일이면 다음 근무일로 미뤄 알립니다.",
              "none": "주말·공휴일에도 그대로 알립니다."}[shift]
    following = f"\n첫 알림: {when_text(first, None, 'minute', False, now)}" if first else ""
    return f"{description} '{text}' 반복 알림 — 맞나요?\n{policy}{following}"


def meridiem_question(hour: int) -> str:
    return f"{hour}시는 오전인가요, 오후인가요?"


def event_card(event: EventView, planned_pending: Sequence[datetime], now: datetime, category: str,
               note: str | None) -> str:
    lines = [f"[{category}] {describe(event, now)}"]
    if event.precision == "month":
        lines.append("날짜 미정: 정확한 날짜가 정해지면 '날짜 정하기'를 눌러 주세요.")
    if note:
        lines.append(f"메모: {note}")
    if planned_pending:
        lines.append("남은 알림: " + ", ".join(when_text(d, None, "minute", False, now) for d in planned_pending))
    lines.append(f"대상: {audience_text(event.audience)}")
    return "\n".join(lines)
