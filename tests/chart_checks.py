"""Checks shared by the chart tests: matplotlib's font complaints, and Hangul the resolved font cannot draw."""

from __future__ import annotations

import logging
import re
import warnings
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.ft2font import FT2Font
from matplotlib.text import Text

HANGUL = re.compile(r"[가-힣]")


@contextmanager
def font_complaints(caplog: pytest.LogCaptureFixture) -> Iterator[list[str]]:
    """Collects matplotlib's 'Glyph … missing from font(s)' warnings and 'findfont: … not found' log lines."""
    found: list[str] = []
    with warnings.catch_warnings(record=True) as caught, caplog.at_level(logging.WARNING, "matplotlib"):
        warnings.simplefilter("always")
        yield found
    found += [str(w.message) for w in caught if "missing from" in str(w.message) or "findfont" in str(w.message)]
    found += [r.getMessage() for r in caplog.records if "findfont" in r.getMessage() or "missing" in r.getMessage()]


def missing_glyphs(figure: Figure) -> list[str]:
    """Korean characters of visible texts that the font resolved for that text cannot draw."""
    missing = []
    for text in figure.findobj(Text):
        assert isinstance(text, Text)
        if not text.get_visible():
            continue
        font = FT2Font(font_manager.findfont(text.get_fontproperties()))
        missing += [f"{char} in {text.get_text()!r}" for char in set(HANGUL.findall(text.get_text()))
                    if font.get_char_index(ord(char)) == 0]
    return missing


def figure_texts(figure: Figure) -> str:
    return " ".join(t.get_text() for t in figure.findobj(Text) if isinstance(t, Text))
