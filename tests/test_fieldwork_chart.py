"""The field work chart: a real PNG with Hangul glyphs, every district in order, the unvisited ones marked."""

from __future__ import annotations

import io
import tomllib

import pytest
from chart_checks import figure_texts, font_complaints, missing_glyphs
from matplotlib.colors import to_rgb
from matplotlib.patches import Rectangle
from matplotlib.text import Text
from PIL import Image

from bot.present.fieldwork_chart import NONE_LABEL, UNVISITED_NAME, activity_chart, activity_figure
from storage.seed import SEED_FILE

DISTRICTS: list[str] = tomllib.loads(SEED_FILE.read_text(encoding="utf-8"))["fieldwork"]["districts"]
BY_DISTRICT = {"종로구": 5, "중구": 12, "강서구": 3, "강북구": 7, "송파구": 1, "": 2}
BY_CATEGORY = {"전통시장": 4, "민생-복지시설": 14, "계절성 안전": 9, "기타": 3}
TITLE = "2018년 현장방문 통계"


def test_chart_is_a_png_of_sensible_size(caplog: pytest.LogCaptureFixture) -> None:
    with font_complaints(caplog) as complaints:
        data = activity_chart(TITLE, BY_DISTRICT, DISTRICTS, BY_CATEGORY)
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    image = Image.open(io.BytesIO(data))
    image.load()
    assert image.format == "PNG"
    width, height = image.size
    assert 800 <= width <= 2000 and 400 <= height <= 2000
    assert complaints == []


def test_korean_texts_have_glyphs(caplog: pytest.LogCaptureFixture) -> None:
    with font_complaints(caplog) as complaints:
        figure = activity_figure(TITLE, BY_DISTRICT, DISTRICTS, BY_CATEGORY)
    texts = figure_texts(figure)
    for label in (TITLE, "종로구", "강동구", "민생-복지시설", "자치구별 · 5개 구 28건 · 미방문 20개 구",
                  "자치구 미지정·기타 2건 별도", "분류별 · 30건", "건수"):
        assert label in texts, label
    assert missing_glyphs(figure) == []
    assert complaints == []


def test_every_district_in_order_and_the_unvisited_marked() -> None:
    figure = activity_figure(TITLE, BY_DISTRICT, DISTRICTS, BY_CATEGORY)
    districts = figure.axes[0]
    labels = districts.get_yticklabels()
    assert [label.get_text() for label in labels][::-1] == DISTRICTS  # first district on top
    greyed = {label.get_text() for label in labels if to_rgb(label.get_color()) == to_rgb(UNVISITED_NAME)}
    assert greyed == set(DISTRICTS) - set(BY_DISTRICT)
    marks = [t for t in districts.texts if isinstance(t, Text) and t.get_text() == NONE_LABEL]
    assert len(marks) == len(DISTRICTS) - 5
    bars = districts.containers[0]
    assert [bar.get_width() for bar in bars if isinstance(bar, Rectangle)][::-1] == [BY_DISTRICT.get(name, 0)
                                                                                      for name in DISTRICTS]


def test_categories_largest_first() -> None:
    figure = activity_figure(TITLE, BY_DISTRICT, DISTRICTS, BY_CATEGORY)
    labels = [label.get_text() for label in figure.axes[1].get_yticklabels()][::-1]
    assert labels == ["민생-복지시설", "계절성 안전", "전통시장", "기타"]


def test_nothing_recorded(caplog: pytest.LogCaptureFixture) -> None:
    with font_complaints(caplog) as complaints:
        assert activity_chart(TITLE, {}, DISTRICTS, {}).startswith(b"\x89PNG")
        figure = activity_figure("간담회 통계", {}, DISTRICTS, {}, none_label="기록 없음")
    texts = figure_texts(figure)
    assert "표시할 자료가 없습니다" in texts
    assert "기록 없음 25개 구" in texts
    assert missing_glyphs(figure) == []
    assert complaints == []
