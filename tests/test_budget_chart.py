"""The budget chart: a real PNG, drawn with a font that has Hangul glyphs and without missing-glyph warnings."""

from __future__ import annotations

import io
from datetime import date

import pytest
from chart_checks import figure_texts, font_complaints, missing_glyphs
from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.ft2font import FT2Font
from matplotlib.text import Text
from PIL import Image

from bot.domain.budget import Logged, MonthPoint, Opening, Summary, monthly_trend, summarize
from bot.present.budget_chart import budget_chart, budget_figure, chart_title
from bot.present.fonts import korean_font

TOTAL = 357_200_000


def report_summary(as_of: date = date(2018, 7, 20)) -> Summary:
    return summarize(
        year=2018, as_of=as_of, opening_date=date(2018, 6, 30), source="2018.7 주요업무 보고 Ⅰ-3 예산 집행현황",
        lines=[(1, "기관운영업무추진비", 277_200_000), (2, "시책추진업무추진비", 80_000_000)],
        fields=[(1, "직원격려"), (2, "회의·간담회"), (3, "위문")],
        line_openings={1: Opening(1, 84_196_000, None), 2: Opening(2, 34_379_000, None)},
        field_openings={1: Opening(1, 17_291_000, 30), 2: Opening(2, 101_284_000, 213), 3: Opening(3, 0, 0)},
        by_line={}, by_field={},
    )


def report_trend(as_of: date = date(2018, 10, 31)) -> list[MonthPoint]:
    daily = [(date(2018, month, 15), 9_000_000) for month in range(7, as_of.month + 1)]
    return monthly_trend(TOTAL, 118_575_000, date(2018, 6, 30), daily, as_of)


def test_chart_is_a_png_of_sensible_size(caplog: pytest.LogCaptureFixture) -> None:
    with font_complaints(caplog) as complaints:
        data = budget_chart(report_summary(), report_trend(), TOTAL)
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    image = Image.open(io.BytesIO(data))
    image.load()
    assert image.format == "PNG"
    width, height = image.size
    assert 600 <= width <= 2000 and 500 <= height <= 2000
    assert complaints == []


def test_the_font_of_the_korean_labels_has_hangul_glyphs(caplog: pytest.LogCaptureFixture) -> None:
    family = korean_font()
    path = font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
    assert FT2Font(path).get_char_index(ord("예")) != 0
    with font_complaints(caplog) as complaints:
        figure = budget_figure(report_summary(), report_trend(), TOTAL)
    title = [t for t in figure.findobj(Text) if isinstance(t, Text) and t.get_text() == chart_title(report_summary())]
    assert len(title) == 1
    title_font = font_manager.findfont(title[0].get_fontproperties())
    assert FT2Font(title_font).get_char_index(ord("예")) != 0
    texts = figure_texts(figure)
    for label in ("기관운영업무추진비", "시책추진업무추진비", "6월", "10월", "84,196", "예산 357,200"):
        assert label in texts
    assert missing_glyphs(figure) == []
    assert complaints == []


def test_the_checks_catch_a_font_without_hangul(caplog: pytest.LogCaptureFixture) -> None:
    """Without the Korean font the checks above fail: the glyph probe and the warning capture both see it."""
    figure = Figure()
    figure.suptitle("예산 집행", family="DejaVu Sans")
    assert missing_glyphs(figure)
    with font_complaints(caplog) as complaints:
        figure.savefig(io.BytesIO(), format="png")
    assert any("missing from" in c for c in complaints)


def test_title_and_edge_cases(caplog: pytest.LogCaptureFixture) -> None:
    assert chart_title(report_summary()) == "2018년 시장 업무추진비 (7.20. 기준, 천원)"
    overspent = summarize(
        year=2018, as_of=date(2018, 12, 31), opening_date=date(2018, 6, 30), source="시험",
        lines=[(1, "시책추진업무추진비", 80_000_000)], fields=[(1, "위문")],
        line_openings={1: Opening(1, 34_379_000, None)}, field_openings={},
        by_line={1: Logged(60_000_000, 3)}, by_field={1: Logged(60_000_000, 3)},
    )
    with font_complaints(caplog) as complaints:
        assert budget_chart(overspent, [], 80_000_000).startswith(b"\x89PNG")
        assert budget_chart(report_summary(date(2018, 6, 30)), report_trend(date(2018, 6, 30)), TOTAL)
    assert complaints == []
