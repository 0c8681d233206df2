"""A fact in one compact message: the answer, a warning when it is old, and its as-of date and source last."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from bot.lang.datefmt import format_day


def basis(as_of: date, source: str) -> str:
    return f"기준: {as_of.year}.{as_of.month}.{as_of.day}. · 출처: {source}"


def stale_warning(as_of: date, now: datetime, stale_days: int) -> str | None:
    age = (now.date() - as_of).days
    if age <= stale_days:
        return None
    years = age // 365
    span = f"{years}년" if years else f"{age}일"
    return f"⚠️ {span} 넘게 지난 자료입니다. 지금도 맞는지 최신 자료로 확인하세요."


def fact_text(topic: str, body: str, as_of: date, source: str, now: datetime, stale_days: int) -> str:
    lines = [f"📌 {topic}", body]
    warning = stale_warning(as_of, now, stale_days)
    if warning:
        lines.append(warning)
    lines.append(basis(as_of, source))
    return "\n".join(lines)


def topics_text(topics: Sequence[str]) -> str:
    return "보고서 자료 목록입니다. 주제를 누르거나 궁금한 것을 그대로 물어보세요.\n" + "\n".join(
        f"{i}. {t}" for i, t in enumerate(topics, start=1))


def no_match(text: str) -> str:
    return (f"'{text}'에 맞는 자료를 찾지 못했습니다. 추측한 숫자는 드리지 않습니다. 가까운 주제는 아래와 같습니다. "
            "/facts 로 전체 목록을 볼 수 있습니다.")


def history_text(topic: str, current: Any, entries: Sequence[Any], now: datetime) -> str:
    lines = [f"🕘 {topic} — 변경 이력", f"현재 ({basis(current.as_of, current.source)}):", current.answer]
    if not entries:
        lines.append("이전 값이 없습니다(처음 입력된 그대로입니다).")
    for entry in entries:
        when = format_day(entry.at.astimezone(now.tzinfo).date(), now)
        lines += [f"\n{when}까지의 값 ({basis(entry.as_of, entry.source)}):", entry.answer]
    return "\n".join(lines)
