"""The budget at a glance as a PNG: spent vs left per line, and the cumulative trend against a linear plan.

matplotlib and the Hangul font (bot.present.fonts) load on the first chart, not at start-up. The figure is drawn
on a bare ``Figure`` (Agg canvas, no pyplot state), so charts may be drawn from any thread.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import TYPE_CHECKING

from bot.domain.budget import BudgetRow, MonthPoint, Summary
from bot.lang.moneyfmt import format_thousand_won
from bot.present.fonts import korean_text

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.ticker import Formatter

SPENT, LEFT, OVER, PLAN, LIMIT = "#1f5aa6", "#d5dbe3", "#c0392b", "#8a8f98", "#444444"
DPI = 110
BAR = 0.45  # bar thickness, in rows


def _k(won: int) -> str:
    """Won as the report's 천원 figure, without the unit (the title carries it): 84,196."""
    return format_thousand_won(won).removesuffix("천원")


def chart_title(summary: Summary) -> str:
    as_of = summary.as_of
    return f"{summary.year}년 시장 업무추진비 ({as_of.month}.{as_of.day}. 기준, 천원)"


def _lines_panel(ax: Axes, rows: Sequence[BudgetRow]) -> None:
    names = [row.name for row in rows][::-1]  # first line on top
    rows = list(rows)[::-1]
    budgets = [row.budget or 0 for row in rows]
    spent = [min(row.spent, budget) if budget else row.spent for row, budget in zip(rows, budgets, strict=True)]
    left = [max(budget - row.spent, 0) for row, budget in zip(rows, budgets, strict=True)]
    over = [max(row.spent - budget, 0) if budget else 0 for row, budget in zip(rows, budgets, strict=True)]
    ax.barh(names, [s / 1000 for s in spent], color=SPENT, label="집행액", height=BAR)
    ax.barh(names, [v / 1000 for v in left], left=[s / 1000 for s in spent], color=LEFT, label="잔액", height=BAR)
    if any(over):
        ax.barh(names, [v / 1000 for v in over], left=[b / 1000 for b in budgets], color=OVER, label="초과 집행",
                height=BAR)
    widest = max([max(row.spent, row.budget or 0) for row in rows] + [1]) / 1000
    for y, row in enumerate(rows):  # one caption above each bar, so no text sits on a colour
        rate = f" ({row.rate:.1%})" if row.rate is not None else ""
        rest = "" if row.left is None else f" · 잔액 {_k(row.left)} / 예산 {_k(row.budget or 0)}"
        ax.text(0, y + 0.3, f"집행 {_k(row.spent)}{rate}{rest}", va="bottom", fontsize=9)
    ax.set_xlim(0, widest * 1.04)
    ax.set_ylim(-0.4, len(rows) - 0.1)
    ax.set_title("과목별 집행액과 잔액", fontsize=11, loc="left")
    ax.xaxis.set_major_formatter(_thousands())
    ax.legend(loc="lower right", bbox_to_anchor=(1, 1), ncols=3, fontsize=8, frameon=False)
    ax.spines[["top", "right"]].set_visible(False)


def _trend_panel(ax: Axes, trend: Sequence[MonthPoint], total_budget: int) -> None:
    ax.set_title("월별 누적 집행 추이", fontsize=11, loc="left")
    if not trend:
        ax.text(0.5, 0.5, "표시할 집행 자료가 없습니다", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return
    months = [f"{point.month}월" for point in trend]
    spent = [point.spent_cumulative / 1000 for point in trend]
    ax.plot(months, [point.planned_cumulative / 1000 for point in trend], color=PLAN, linestyle="--",
            marker="o", markersize=3, label="계획 (균등 집행)")
    ax.plot(months, spent, color=SPENT, marker="o", linewidth=2, label="누적 집행")
    for x, point in enumerate(trend):
        mark = " (보고서)" if point.opening else ""
        ax.annotate(f"{_k(point.spent_cumulative)}{mark}", (x, point.spent_cumulative / 1000),
                    textcoords="offset points", xytext=(0, 7), ha="center", fontsize=8, color=SPENT)
    ax.axhline(total_budget / 1000, color=LIMIT, linewidth=1)
    ax.annotate(f"예산 {_k(total_budget)}", (0, total_budget / 1000), textcoords="offset points", xytext=(0, 4),
                fontsize=8, color=LIMIT)
    ax.set_ylim(0, max([total_budget, *(p.spent_cumulative for p in trend)]) / 1000 * 1.12)
    ax.yaxis.set_major_formatter(_thousands())
    ax.legend(loc="lower right", fontsize=8, frameon=False)
    ax.grid(axis="y", alpha=0.3)
    ax.spines[["top", "right"]].set_visible(False)


def _thousands() -> Formatter:
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda value, _pos: f"{value:,.0f}")


def _draw(summary: Summary, trend: Sequence[MonthPoint], total_budget: int) -> Figure:
    from matplotlib.figure import Figure

    figure = Figure(figsize=(8, 7.2), dpi=DPI, layout="constrained")
    top, bottom = figure.subplots(2, 1, height_ratios=(1, 1.3))
    figure.suptitle(chart_title(summary), fontsize=14, fontweight="bold")
    _lines_panel(top, summary.lines)
    _trend_panel(bottom, trend, total_budget)
    figure.supxlabel(f"자료: {summary.source}", x=0.99, ha="right", fontsize=7, color=PLAN)
    return figure


def budget_figure(summary: Summary, trend: Sequence[MonthPoint], total_budget: int) -> Figure:
    """The chart as a laid-out matplotlib Figure (to inspect its texts); :func:`budget_chart` gives the PNG."""
    with korean_text():
        figure = _draw(summary, trend, total_budget)
        figure.draw_without_rendering()  # creates the tick labels while the Hangul font is in force
    return figure


def budget_chart(summary: Summary, trend: Sequence[MonthPoint], total_budget: int) -> bytes:
    """A PNG: panel 1 spent vs left per budget line, panel 2 the monthly cumulative trend against the plan."""
    buffer = io.BytesIO()
    with korean_text():
        _draw(summary, trend, total_budget).savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()
