"""The pledges at a glance as a PNG: per area, its sub-projects counted by status, and the average progress.

One panel per axis (정책대상, then 정책영역); in each, one horizontal bar per area stacked by status in fixed
colours, with the count and the average progress written past the bar's end (no text sits on a colour).
matplotlib and the Hangul font (bot.present.fonts) load on the first chart; the figure is drawn on a bare
``Figure`` (Agg canvas, no pyplot state), so charts may be drawn from any thread.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.present.fonts import korean_text

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

TITLE = "민선7기 공약 진행 현황"
AXES = ("정책대상", "정책영역")
STATUS_COLOURS = {"완료": "#2e8b57", "정상추진": "#1f5aa6", "지연": "#c0392b", "보류": "#e0a526", "미착수": "#b8bec7"}
OTHER_COLOURS = ("#7d5ba6", "#3a9ea5", "#8c6d46", "#d17fa4", "#5c6370")  # statuses configured beyond the five
CAPTION = "#444444"
DPI = 110
BAR = 0.55  # bar thickness, in rows


@dataclass(frozen=True)
class AreaProgress:
    name: str
    axis: str  # 정책대상 | 정책영역
    by_status: Mapping[str, int]  # sub-projects per status
    average_progress: float  # percent


def _statuses(areas: Sequence[AreaProgress]) -> list[str]:
    """The five known statuses in their fixed order, then any other status in order of appearance."""
    seen = dict.fromkeys(status for area in areas for status, count in area.by_status.items() if count)
    return [status for status in STATUS_COLOURS if status in seen] + [s for s in seen if s not in STATUS_COLOURS]


def _colours(statuses: Sequence[str]) -> dict[str, str]:
    others = iter(OTHER_COLOURS * (len(statuses) // len(OTHER_COLOURS) + 1))
    return {status: STATUS_COLOURS.get(status) or next(others) for status in statuses}


def _by_axis(areas: Sequence[AreaProgress]) -> dict[str, list[AreaProgress]]:
    groups: dict[str, list[AreaProgress]] = {axis: [] for axis in AXES}
    for area in areas:
        groups.setdefault(area.axis, []).append(area)
    return {axis: group for axis, group in groups.items() if group}


def _caption(area: AreaProgress) -> str:
    return f"{sum(area.by_status.values())}개 · 평균 {area.average_progress:.1f}%"


def _axis_panel(ax: Axes, axis: str, areas: Sequence[AreaProgress], colours: Mapping[str, str], widest: int) -> None:
    from matplotlib.ticker import MaxNLocator

    rows = list(areas)[::-1]  # first area on top
    positions = list(range(len(rows)))
    ends = [0] * len(rows)
    for status, colour in colours.items():
        counts = [area.by_status.get(status, 0) for area in rows]
        ax.barh(positions, counts, left=ends, color=colour, height=BAR)
        ends = [end + count for end, count in zip(ends, counts, strict=True)]
    for y, (area, end) in enumerate(zip(rows, ends, strict=True)):
        ax.text(end + widest * 0.015, y, _caption(area), va="center", fontsize=9, color=CAPTION)
    ax.set_yticks(positions, [area.name for area in rows])
    ax.set_xlim(0, widest * 1.3)
    ax.set_ylim(-0.6, len(rows) - 0.4)
    total = sum(ends)
    ax.set_title(f"{axis}별 · {len(rows)}개 분야 · 세부사업 {total:,}개", fontsize=11, loc="left")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.grid(axis="x", alpha=0.3)
    ax.set_axisbelow(True)
    ax.spines[["top", "right"]].set_visible(False)


def _draw(areas: Sequence[AreaProgress]) -> Figure:
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    groups = _by_axis(areas)
    rows = sum(len(group) for group in groups.values())
    figure = Figure(figsize=(8, max(3.2, 1.5 + 0.42 * rows + 0.7 * len(groups))), dpi=DPI, layout="constrained")
    figure.suptitle(TITLE, fontsize=14, fontweight="bold")
    if not groups:
        ax = figure.subplots()
        ax.text(0.5, 0.5, "표시할 공약 자료가 없습니다", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return figure
    colours = _colours(_statuses(areas))
    widest = max([sum(area.by_status.values()) for area in areas] + [1])
    panels = figure.subplots(len(groups), 1, squeeze=False, height_ratios=[len(g) + 1 for g in groups.values()])
    for ax, (axis, group) in zip(panels[:, 0], groups.items(), strict=True):
        _axis_panel(ax, axis, group, colours, widest)
    panels[-1, 0].set_xlabel("세부사업 수", fontsize=9)
    if colours:
        figure.legend(handles=[Patch(color=colour, label=status) for status, colour in colours.items()],
                      loc="outside lower center", ncols=len(colours), fontsize=9, frameon=False)
    return figure


def pledge_figure(areas: Sequence[AreaProgress]) -> Figure:
    """The chart as a laid-out matplotlib Figure (to inspect its texts); :func:`pledge_chart` gives the PNG."""
    with korean_text():
        figure = _draw(areas)
        figure.draw_without_rendering()  # creates the tick labels while the Hangul font is in force
    return figure


def pledge_chart(areas: Sequence[AreaProgress]) -> bytes:
    """A PNG: per area a bar of sub-projects stacked by status, with the average progress at its end."""
    buffer = io.BytesIO()
    with korean_text():
        _draw(areas).savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()
