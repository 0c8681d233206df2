"""Answers to a question about one figure: the figure first, in one or two lines, and the as-of date.
The whole card stays one button away ("자세히")."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from bot.domain.budget import BudgetRow, pace
from bot.lang.moneyfmt import format_won_words
from bot.present.budget import k, percent

DETAIL = "자세히"
_PACE_EPSILON = 0.05


def day(as_of: date) -> str:
    return f"{as_of.month}.{as_of.day}."


def tail(as_of: date) -> str:
    return f" — {day(as_of)} 기준"


def won(amount: int) -> str:
    """118,575천원 (약 1억 1,858만원): the report's figure, then in words to the nearest 만원."""
    rounded = (abs(amount) + 5000) // 10000 * 10000 * (1 if amount >= 0 else -1)
    words = format_won_words(rounded)
    return f"{k(amount)}천원 ({'' if rounded == amount else '약 '}{words})"


def budget_brief(name: str, row: BudgetRow, view: str, as_of: date, total_payments: int | None = None) -> str:
    """One figure of a budget line, a field or the whole (view: 잔액|집행|집행률|건수|예산)."""
    if view == "잔액" and row.left is not None:
        return f"{name} 잔액 {won(row.left)}{tail(as_of)}"
    if view == "예산" and row.budget is not None:
        return f"{name} 예산 {won(row.budget)}{tail(as_of)}"
    if view == "집행률" and row.budget:
        points = pace(row.budget, row.spent, as_of).points
        speed = "계획대로" if abs(points) < _PACE_EPSILON else f"{abs(points):.1f}%p {'빠름' if points > 0 else '느림'}"
        return (f"{name} 집행률 {percent(row.rate)}{tail(as_of)}\n"
                f"예산 {k(row.budget)}천원 중 {k(row.spent)}천원 집행 · 연간 경과 대비 {speed}")
    if view in ("건수", "횟수"):
        if row.payments is not None:
            return f"{name} 집행 {row.payments:,}건 ({k(row.spent)}천원){tail(as_of)}"
        whole = f"업무추진비 전체 {total_payments:,}건" if total_payments is not None else "전체 건수"
        return (f"{whole}{tail(as_of)} (보고서에 과목별 건수는 없습니다)\n"
                f"{name}: 집행 {k(row.spent)}천원, 보고서 이후 기록 {row.logged_payments}건")
    count = f", {row.payments:,}건" if row.payments is not None else ""
    return f"{name} 집행 {won(row.spent)}{count}{tail(as_of)}"


def _topic_name(topic: str) -> str:
    return re.sub(r"\s*\(.*?\)\s*", " ", topic).split(" — ")[0].strip()


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def figure_value(figure: Mapping[str, Any]) -> str:
    value, unit = figure.get("value"), str(figure.get("unit", ""))
    if isinstance(value, int) and unit == "천원":
        return won(value * 1000)
    shown = f"{value:,}" if isinstance(value, int) else str(value)
    return f"{shown}{unit}"


def fact_brief(topic: str, figure: Mapping[str, Any], answer: str, as_of: date) -> str:
    """The figure asked, then the line of the answer it comes from (when that says more)."""
    name = _topic_name(topic)
    label = str(figure.get("label", ""))
    if str(figure.get("unit", "")) == "월":  # "개관 월" 9월 → 개관 9월
        label = label.removesuffix("월").strip()
    head = name if _squash(label) in _squash(name) else label if _squash(name) in _squash(label) \
        else f"{name} {label}"
    first = f"{head} {figure_value(figure)}{tail(as_of)}"
    value = figure.get("value")
    shown = f"{value:,}" if isinstance(value, int) else str(value)
    source = next((line.strip().lstrip("·").strip() for line in answer.splitlines()
                   if re.search(rf"(?<![\d,]){re.escape(shown)}(?![\d,])", line)), None)
    return first if source is None or len(source) > 160 else f"{first}\n{source}"


def staffing_brief(category: str | None, which: str, authorized: int, filled: int, as_of: date) -> str:
    other = ("현원", filled) if which == "정원" else ("정원", authorized)
    number = authorized if which == "정원" else filled
    gap = f" ({other[0]} {other[1]}명)"
    return f"비서실 {category + ' ' if category else ''}{which} {number}명{gap} — '{as_of:%y}.{day(as_of)} 기준"


PLEDGE_WORDS = {"areas": ("분야", "개"), "core_pledges": ("핵심공약", "개"), "sub_projects": ("세부사업", "개")}


def pledge_count_brief(scope: str, counted: str, reported: Any, as_of: date) -> str:
    word, unit = PLEDGE_WORDS[counted]
    number = getattr(reported, counted)
    where = "민선7기" if scope == "전체" else f"민선7기 {scope}별"
    rest = ", ".join(f"{w} {getattr(reported, key)}{u}" for key, (w, u) in PLEDGE_WORDS.items() if key != counted)
    return f"{where} {word} {number}{unit} ({rest}){tail(as_of)} 보고 수치"
