"""Field work statistics as a PNG: counts per district (every district, the unvisited ones marked) and per category.

Left panel: one horizontal bar per district in the given order (the 25 districts, first on top); a district with
no record gets no bar but a shaded row, a grey name and the label '미방문', so the gaps stand out. Counts outside
the given districts (no district, or another name) are summed in the panel's title. Right panel: one bar per
category, the largest first. matplotlib and the Hangul font (bot.present.fonts) load on the first chart; the figure
is drawn on a bare ``Figure`` (Agg canvas, no pyplot state), so charts may be drawn from any thread.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from bot.present.fonts import korean_text

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

VISITED = "#1f5aa6"
CATEGORY = "#2e8b57"
UNVISITED = "#c0392b"  # the '미방문' label
UNVISITED_ROW = "#f6e3e1"  # the shading of an unvisited district's row
UNVISITED_NAME = "#8a8f98"
CAPTION = "#444444"
NONE_LABEL = "미방문"
DPI = 110
BAR = 0.6  # bar thickness, in rows
CATEGORY_ROWS = 12  # the category panel is laid out for at least this many rows


def _finish(ax: Axes, rows: int, widest: int, min_rows: int = 0) -> None:
    """Axis limits and grid; with ``min_rows``, a short list keeps its bars' thickness and sits at the top."""
    from matplotlib.ticker import MaxNLocator

    ax.set_xlim(0, widest * 1.18)
    ax.set_ylim(rows - 0.4 - max(rows, min_rows) - 0.2, rows - 0.4)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.grid(axis="x", alpha=0.3)
    ax.set_axisbelow(True)
    ax.spines[["top", "right"]].set_visible(False)


def _district_panel(ax: Axes, by_district: Mapping[str, int], districts: Sequence[str], none_label: str) -> None:
    names = list(districts)[::-1]  # first district on top
    counts = [by_district.get(name, 0) for name in names]
    widest = max([*counts, 1])
    ax.barh(range(len(names)), counts, color=VISITED, height=BAR)
    for y, count in enumerate(counts):
        if count:
            ax.text(count + widest * 0.015, y, f"{count:,}", va="center", fontsize=8, color=CAPTION)
        else:
            ax.axhspan(y - 0.5, y + 0.5, color=UNVISITED_ROW, zorder=0, linewidth=0)
            ax.text(widest * 0.015, y, none_label, va="center", fontsize=8, color=UNVISITED, fontweight="bold")
    ax.set_yticks(range(len(names)), names, fontsize=9)
    for label, count in zip(ax.get_yticklabels(), counts, strict=True):
        if not count:
            label.set_color(UNVISITED_NAME)
    known = set(districts)
    outside = sum(count for name, count in by_district.items() if name not in known)
    gaps = sum(1 for count in counts if not count)
    title = f"자치구별 · {len(names) - gaps}개 구 {sum(counts):,}건 · {none_label} {gaps}개 구"
    if outside:
        title += f"\n(자치구 미지정·기타 {outside:,}건 별도)"
    ax.set_title(title, fontsize=11, loc="left")
    _finish(ax, len(names), widest)


def _category_panel(ax: Axes, by_category: Mapping[str, int]) -> None:
    ax.set_title(f"분류별 · {sum(by_category.values()):,}건", fontsize=11, loc="left")
    if not by_category:
        ax.text(0.5, 0.5, "표시할 자료가 없습니다", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return
    ordered = sorted(by_category.items(), key=lambda item: -item[1])[::-1]  # largest on top; ties keep their order
    counts = [count for _, count in ordered]
    widest = max([*counts, 1])
    ax.barh(range(len(ordered)), counts, color=CATEGORY, height=BAR)
    for y, count in enumerate(counts):
        ax.text(count + widest * 0.015, y, f"{count:,}", va="center", fontsize=8, color=CAPTION)
    ax.set_yticks(range(len(ordered)), [name or "미분류" for name, _ in ordered], fontsize=9)
    _finish(ax, len(ordered), widest, min_rows=CATEGORY_ROWS)


def _draw(title: str, by_district: Mapping[str, int], districts: Sequence[str], by_category: Mapping[str, int],
          none_label: str) -> Figure:
    from matplotlib.figure import Figure

    height = max(4.0, 1.4 + 0.26 * max(len(districts), len(by_category)))
    figure = Figure(figsize=(10, height), dpi=DPI, layout="constrained")
    figure.suptitle(title, fontsize=14, fontweight="bold")
    left, right = figure.subplots(1, 2, width_ratios=[1.1, 1])
    _district_panel(left, by_district, districts, none_label)
    _category_panel(right, by_category)
    left.set_xlabel("건수", fontsize=9)
    if by_category:
        right.set_xlabel("건수", fontsize=9)
    return figure


def activity_figure(title: str, by_district: Mapping[str, int], districts: Sequence[str],
                    by_category: Mapping[str, int], *, none_label: str = NONE_LABEL) -> Figure:
    """The chart as a laid-out matplotlib Figure (to inspect its texts); :func:`activity_chart` gives the PNG."""
    with korean_text():
        figure = _draw(title, by_district, districts, by_category, none_label)
        figure.draw_without_rendering()  # creates the tick labels while the Hangul font is in force
    return figure


def activity_chart(title: str, by_district: Mapping[str, int], districts: Sequence[str],
                   by_category: Mapping[str, int], *, none_label: str = NONE_LABEL) -> bytes:
    """A PNG: a bar per district (all of ``districts`` in order, those with none marked ``none_label``) and a bar
    per category. ``none_label`` suits visits; meetings may pass '기록 없음'."""
    buffer = io.BytesIO()
    with korean_text():
        _draw(title, by_district, districts, by_category, none_label).savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()
