"""The pledge chart: a real PNG, drawn with a font that has Hangul glyphs and without missing-glyph warnings."""

from __future__ import annotations

import io

import pytest
from chart_checks import figure_texts, font_complaints, missing_glyphs
from matplotlib import font_manager
from matplotlib.colors import to_rgb
from matplotlib.ft2font import FT2Font
from matplotlib.patches import Rectangle
from matplotlib.text import Text
from PIL import Image

from bot.present.pledge_chart import STATUS_COLOURS, TITLE, AreaProgress, pledge_chart, pledge_figure

AREAS = [
    AreaProgress("자영업자", "정책대상", {"정상추진": 6, "지연": 1, "완료": 2}, 47.3),
    AreaProgress("(예시) 청년", "정책대상", {"정상추진": 3, "미착수": 2}, 20.0),
    AreaProgress("미래특별시", "정책영역", {"정상추진": 12, "보류": 1, "완료": 4, "지연": 2, "미착수": 3}, 38.0),
]


def test_chart_is_a_png_of_sensible_size(caplog: pytest.LogCaptureFixture) -> None:
    with font_complaints(caplog) as complaints:
        data = pledge_chart(AREAS)
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    image = Image.open(io.BytesIO(data))
    image.load()
    assert image.format == "PNG"
    width, height = image.size
    assert 600 <= width <= 2000 and 300 <= height <= 2000
    assert complaints == []


def test_the_font_of_the_korean_labels_has_hangul_glyphs(caplog: pytest.LogCaptureFixture) -> None:
    with font_complaints(caplog) as complaints:
        figure = pledge_figure(AREAS)
    title = [t for t in figure.findobj(Text) if isinstance(t, Text) and t.get_text() == TITLE]
    assert len(title) == 1
    assert FT2Font(font_manager.findfont(title[0].get_fontproperties())).get_char_index(ord("공")) != 0
    texts = figure_texts(figure)
    for label in ("민선7기 공약 진행 현황", "자영업자", "미래특별시", "정책대상별", "정책영역별", "9개 · 평균 47.3%",
                  "22개 · 평균 38.0%", "정상추진", "지연", "완료", "보류", "미착수", "세부사업 14개"):
        assert label in texts, label
    assert missing_glyphs(figure) == []
    assert complaints == []


def test_bars_stack_the_counts_in_the_fixed_colours() -> None:
    figure = pledge_figure(AREAS[2:])
    bars = [patch for patch in figure.axes[0].patches if isinstance(patch, Rectangle) and patch.get_width() > 0]
    widths = {tuple(round(c, 3) for c in bar.get_facecolor()[:3]): bar.get_width() for bar in bars}
    expected = {tuple(round(c, 3) for c in to_rgb(STATUS_COLOURS[status])): count
                for status, count in AREAS[2].by_status.items()}
    assert widths == expected
    assert max(bar.get_x() + bar.get_width() for bar in bars) == 22


def test_edge_cases_draw(caplog: pytest.LogCaptureFixture) -> None:
    other = AreaProgress("(예시) 기타", "정책영역", {"검토중": 2, "정상추진": 0}, 0.0)
    empty_area = AreaProgress("(예시) 빈 분야", "정책대상", {}, 0.0)
    with font_complaints(caplog) as complaints:
        assert pledge_chart([]).startswith(b"\x89PNG")
        assert pledge_chart([other, empty_area]).startswith(b"\x89PNG")
        texts = figure_texts(pledge_figure([]))
        assert "표시할 공약 자료가 없습니다" in texts
        assert "검토중" in figure_texts(pledge_figure([other]))
    assert complaints == []
