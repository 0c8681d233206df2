"""The Hangul font for charts: NanumGothic, shipped by koreanize-matplotlib, registered on the first chart (not at
start-up); matplotlib's default DejaVu font has no Hangul glyphs."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache


@cache
def korean_font() -> str:
    """Register the Hangul font with matplotlib (once) and return its family name."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # the package still imports distutils' LooseVersion
        import koreanize_matplotlib

    from matplotlib import font_manager

    path = koreanize_matplotlib.get_font_ttf_path()
    font_manager.fontManager.addfont(path)  # idempotent; the import already did it, but do not rely on that
    return str(font_manager.FontProperties(fname=path).get_name())


@contextmanager
def korean_text() -> Iterator[None]:
    """Every text created inside (titles, labels, tick labels made at draw time) uses the Hangul font."""
    import matplotlib

    with matplotlib.rc_context({"font.family": [korean_font()], "axes.unicode_minus": False}):
        yield
