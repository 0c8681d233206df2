"""The work report as an A4 PDF, laid out after the July 2018 report: Ⅰ 일반현황, Ⅱ 주요업무, tables with the figures
in 천원, the charts the chat draws where the report would have a table's picture, page numbers and the as-of date
in every footer.

fpdf2 writes it (chosen over WeasyPrint, see README "주요업무 보고"): NanumGothic (shipped by koreanize-matplotlib, the
charts' font) is embedded as a subset, DejaVu Sans (shipped by matplotlib) stands in for the few symbols it lacks.
A character neither font has is written as '?', never as an empty box, and a glyph still missing after output is an
error (:class:`MissingGlyphs`), not a warning.
"""

from __future__ import annotations

import dataclasses
import io
import logging
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.report import korean as kr

if TYPE_CHECKING:
    from fpdf import FPDF

    from bot.services.work_report import WorkReport

FONT = "nanum"
SYMBOLS = "dejavu"
INK = (25, 25, 25)
NAVY = (31, 61, 112)
HEAD_FILL = (226, 233, 242)
TOTAL_FILL = (244, 245, 247)
GREY = (110, 110, 110)
LINE = 5.2  # table line height, mm
BODY = 9.5  # body text, pt
PAGE_ROOM = 40.0  # mm a heading needs below it, else it starts the next page
KEEP_TOGETHER = 10  # tables of up to this many rows start on the next page rather than split
UNSUPPORTED = "?"
_DROPPED = dict.fromkeys(map(ord, "\ufe0e\ufe0f\u200b\u200d"))  # variation selectors, zero-width joiners


class MissingGlyphs(Exception):
    """Text was written in a font that has no glyph for it (the PDF would show empty boxes)."""


@cache
def _font_files() -> dict[str, Path]:
    import importlib.util

    import matplotlib

    spec = importlib.util.find_spec("koreanize_matplotlib")  # its fonts, without importing it (it patches pyplot)
    assert spec is not None and spec.origin is not None, "koreanize-matplotlib is a dependency"
    nanum = Path(spec.origin).parent / "fonts"
    dejavu = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    return {"": nanum / "NanumGothic.ttf", "B": nanum / "NanumGothicBold.ttf",
            "symbols": dejavu / "DejaVuSans.ttf", "symbols-B": dejavu / "DejaVuSans-Bold.ttf"}


def _document(report: WorkReport) -> FPDF:
    from fpdf import FPDF

    class Document(FPDF):
        def footer(self) -> None:
            self.set_y(-13)
            self.set_font(FONT, "", 8)
            self.set_text_color(*GREY)
            self.cell(60, 5, f"{kr.OFFICE} {kr.TITLE}")
            self.set_font(FONT, "", 9)
            self.set_text_color(*INK)
            self.set_x(self.l_margin)
            self.cell(self.epw, 5, f"- {self.page_no()} / {{nb}} -", align="C")
            self.set_font(FONT, "", 8)
            self.set_text_color(*GREY)
            self.set_x(self.l_margin)
            self.cell(self.epw, 5, f"{kr.full_date(report.as_of)} 기준", align="R")

    pdf = Document(format="A4")
    pdf.set_title(f"{kr.OFFICE} {kr.TITLE} ({kr.full_date(report.as_of)} 기준)")
    pdf.set_author(kr.OFFICE)
    pdf.set_creator("비서실봇")
    pdf.set_creation_date(report.generated_at)
    pdf.set_margins(17, 16, 17)
    pdf.set_auto_page_break(True, 18)
    files = _font_files()
    pdf.add_font(FONT, "", str(files[""]))
    pdf.add_font(FONT, "B", str(files["B"]))
    nanum = _cmap(pdf, FONT) & _cmap(pdf, FONT + "B")
    if any(ord(c) not in nanum for c in _characters(report)):  # parsing DejaVu costs ~0.1 s: only when needed
        pdf.add_font(SYMBOLS, "", str(files["symbols"]))
        pdf.add_font(SYMBOLS, "B", str(files["symbols-B"]))
        pdf.set_fallback_fonts([SYMBOLS])
    pdf.set_text_color(*INK)
    pdf.set_draw_color(80, 80, 80)
    pdf.set_line_width(0.2)
    return pdf


def _cmap(pdf: FPDF, key: str) -> set[int]:
    """The code points a font added to the document has glyphs for (none when it was not added)."""
    font = pdf.fonts.get(key)
    return set(getattr(font, "cmap", None) or ())


def _characters(value: object) -> set[str]:
    """Every character of the report's text (its fixed labels are all in NanumGothic)."""
    if isinstance(value, str):
        return set(value.translate(_DROPPED))
    if dataclasses.is_dataclass(value):
        return set().union(*(_characters(getattr(value, f.name)) for f in dataclasses.fields(value)))
    if isinstance(value, tuple | list):
        return set().union(*(_characters(item) for item in value))
    return set()


class _Writer:
    """The report's typography on top of fpdf2: headings, paragraphs, tables, charts."""

    def __init__(self, pdf: FPDF) -> None:
        self.pdf = pdf
        self._covered = _cmap(pdf, FONT) & _cmap(pdf, FONT + "B") | _cmap(pdf, SYMBOLS)

    def clean(self, text: str) -> str:
        """The text with every character one of the fonts can draw ('?' for the others)."""
        text = text.translate(_DROPPED)
        return "".join(c if ord(c) in self._covered or c in "\n\t" else UNSUPPORTED for c in text)

    def room(self, height: float) -> None:
        if self.pdf.will_page_break(height):
            self.pdf.add_page()

    def cover(self, report: WorkReport) -> None:
        pdf = self.pdf
        pdf.ln(6)
        pdf.set_font(FONT, "B", 26)
        pdf.set_char_spacing(4)
        pdf.cell(0, 14, kr.TITLE, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.set_char_spacing(0)
        pdf.ln(2)
        pdf.set_font(FONT, "", 13)
        pdf.cell(0, 7, kr.month_title(report.as_of), align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FONT, "B", 13)
        pdf.cell(0, 8, kr.OFFICE, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
        pdf.set_font(FONT, "", 8.5)
        pdf.set_fill_color(*TOTAL_FILL)
        pdf.cell(0, 7, self.clean(kr.report_heading(report)), align="C", fill=True, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)

    def part(self, title: str) -> None:
        """Ⅰ. 일반 현황"""
        pdf = self.pdf
        self.room(PAGE_ROOM + 10)
        pdf.ln(4)
        pdf.set_font(FONT, "B", 15)
        pdf.set_text_color(*NAVY)
        pdf.cell(0, 9, title, new_x="LMARGIN", new_y="NEXT")
        pdf.set_draw_color(*NAVY)
        pdf.set_line_width(0.6)
        pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + pdf.epw, pdf.get_y())
        pdf.set_line_width(0.2)
        pdf.set_draw_color(80, 80, 80)
        pdf.set_text_color(*INK)
        pdf.ln(3)

    def section(self, number: int, title: str) -> None:
        """A numbered heading in a filled square, as the report numbers its sections."""
        pdf = self.pdf
        self.room(PAGE_ROOM)
        pdf.ln(2)
        pdf.set_font(FONT, "B", 10)
        pdf.set_fill_color(*NAVY)
        pdf.set_text_color(255, 255, 255)
        pdf.cell(6, 6, str(number), align="C", fill=True)
        pdf.set_fill_color(255, 255, 255)
        pdf.set_text_color(*INK)
        pdf.set_font(FONT, "B", 12)
        pdf.cell(2, 6, "")
        pdf.cell(0, 6, self.clean(title), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)

    def subheading(self, text: str) -> None:
        self.room(14)
        self.pdf.set_font(FONT, "B", 10)
        self.pdf.cell(0, 6, self.clean(f"● {text}"), new_x="LMARGIN", new_y="NEXT")

    def paragraph(self, text: str, *, bold: bool = False, indent: float = 0, size: float = BODY,
                  colour: tuple[int, int, int] = INK) -> None:
        pdf = self.pdf
        pdf.set_font(FONT, "B" if bold else "", size)
        pdf.set_text_color(*colour)
        pdf.set_x(pdf.l_margin + indent)
        pdf.multi_cell(pdf.epw - indent, size * 0.55, self.clean(text), new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(*INK)

    def unit(self, text: str) -> None:
        if text:
            self.pdf.set_font(FONT, "", 8)
            self.pdf.cell(0, 4.5, f"({text})", align="R", new_x="LMARGIN", new_y="NEXT")

    def table(self, table: kr.Table, widths: Sequence[float] | None = None, *, size: float = 8.8,
              title: str | None = None) -> None:
        """The table under its `title` (a subheading kept with it); columns `widths` in proportion."""
        from fpdf.fonts import FontFace

        pdf = self.pdf
        headings = 2 if table.groups else 1
        shown = min(len(table.rows), KEEP_TOGETHER)  # a short table is not split over two pages, a long one may
        self.room((shown + headings) * (LINE + 2.2) + (11 if title else 5))
        if title:
            self.subheading(title)
        self.unit(table.note)
        pdf.set_font(FONT, "", size)
        pdf.set_fill_color(255, 255, 255)
        head = FontFace(emphasis="B", fill_color=HEAD_FILL)
        total = FontFace(emphasis="B", fill_color=TOTAL_FILL)
        with pdf.table(col_widths=widths, width=pdf.epw, align="LEFT",
                       headings_style=head, line_height=LINE, padding=(1.1, 1.6), num_heading_rows=headings,
                       v_align="MIDDLE") as grid:
            if table.groups:
                row = grid.row()
                for label, span in table.groups:
                    row.cell(self.clean(label), align="C", colspan=span, rowspan=2 if span == 1 else 1)
            row = grid.row()
            spanned = {sum(s for _, s in table.groups[:i]) for i, (_, s) in enumerate(table.groups) if s == 1}
            for column, label in enumerate(table.header):
                if column not in spanned:
                    row.cell(self.clean(label), align="C")
            for number, values in enumerate(table.rows):
                style = total if number in table.totals else None
                row = grid.row(style=style)
                for column, value in enumerate(values):
                    row.cell(self.clean(value), align="R" if column in table.numeric else "L")
        pdf.ln(3)

    def chart(self, png: bytes, width: float) -> None:
        """A chart image `width` mm wide, centred, on this page if it fits, else on the next."""
        from fpdf.image_parsing import get_img_info

        pdf = self.pdf
        info = get_img_info("chart", io.BytesIO(png))
        height = width * float(info["h"]) / float(info["w"])  # type: ignore[arg-type]
        self.room(height + 2)
        pdf.image(io.BytesIO(png), x=pdf.l_margin + (pdf.epw - width) / 2, w=width, h=height)
        pdf.ln(3)


# -- the sections ------------------------------------------------------------------------------------------------

def _general(w: _Writer, report: WorkReport) -> None:
    w.part("Ⅰ. 일반 현황")
    w.section(1, "주요 기능")
    if not report.functions.items:
        w.paragraph("등록된 주요 기능 자료가 없습니다.")
    for function in report.functions.items:
        w.paragraph(f"- {function.title}", bold=True, indent=2)
        if function.detail:
            w.paragraph(f"· {function.detail}", indent=6)
    w.pdf.ln(2)
    staffing = report.staffing
    w.section(2, "인력 현황" + (f" ({kr.basis(staffing.as_of)})" if staffing.as_of else ""))
    if staffing.grades:
        columns = len(staffing.grades) + len(staffing.categories())
        w.table(kr.staffing_table(staffing), [13, 12, *([(w.pdf.epw - 25) / columns] * columns)])
    else:
        w.paragraph("등록된 인력 현황이 없습니다.")
    budget = report.budget
    if budget is None:
        w.section(3, "예산 집행현황")
        w.paragraph("등록된 업무추진비 예산이 없습니다.")
        return
    w.section(3, f"예산 집행현황 ({kr.basis(budget.as_of)}, {kr.THOUSAND_WON})")
    w.paragraph(kr.budget_source(budget), size=8, colour=GREY, indent=2)
    w.pdf.ln(1)
    w.table(kr.budget_lines_table(budget), [58, 32, 32, 32, 24], title="과목별 집행현황(시장 업무추진비)")
    w.table(kr.budget_fields_table(budget), [98, 40, 40], title="분야별 집행내역")


def _budget_chart(w: _Writer, report: WorkReport) -> None:
    from bot.present.budget_chart import budget_chart

    if report.budget is not None:
        summary = report.budget.summary
        w.chart(budget_chart(summary, report.budget.trend, summary.total.budget or 0), 150)


def _pledges(w: _Writer, report: WorkReport) -> None:
    pledges = report.pledges
    w.section(1, "민선7기 공약 관리" + (f" ({kr.basis(pledges.as_of)})" if pledges.as_of else ""))
    if not pledges.reported:
        w.paragraph("보고된 공약 수치가 없습니다.", indent=2)
    else:
        w.table(kr.pledge_counts_table(pledges), [88, 30, 30, 30], title="공약 구성 (보고 수치)")
    detail = pledges.detail
    if detail is None:
        w.paragraph("세부사업 자료는 아직 없습니다. 공약 파일을 가져오면 상태별 현황·평균 진행률·지연 사업을 싣습니다.",
                    size=8.5, colour=GREY)
        return
    whole = pledges.scope("전체")
    of = f" / 보고 {whole.sub_projects}개" if whole else ""
    status = kr.pledge_status_table(pledges)
    assert status is not None
    columns = len(status.header) - 3
    w.table(status, [52, 18, *([(w.pdf.epw - 92) / columns] * columns), 22],
            title=f"세부사업 추진 현황 (가져온 세부사업 {detail.sub_projects}개{of}, 평균 진행률 "
                  f"{detail.average_progress:.1f}%)")
    from bot.present.pledge_chart import AreaProgress, pledge_chart

    w.chart(pledge_chart([AreaProgress(a.name, a.axis, dict(a.by_status), a.average_progress)
                          for a in detail.areas]), 140)
    late = kr.late_table(pledges)
    title = f"{detail.late_status} 세부사업 ({detail.late_total}개)"
    if late is None:
        w.subheading(title)
        w.paragraph(f"{detail.late_status} 상태인 세부사업이 없습니다.", indent=2)
    else:
        w.table(late, [22, 56, 34, 16, 50], title=title)


def _fieldwork(w: _Writer, report: WorkReport) -> None:
    from bot.present.fieldwork_chart import activity_chart

    work = report.fieldwork
    period = kr.period_text(report.period, report.as_of)
    w.section(2, f"현장방문·간담회 ({period})")
    visited = sum(1 for name, _ in work.visits.by_district if name)
    w.paragraph(f"현장방문 {work.visits.total}건({visited}개 자치구) · 간담회·면담 {work.meetings.total}건")
    w.pdf.ln(1)
    if work.visits.total or work.meetings.total:
        w.table(kr.activity_table(work), [78, 50, 50], title="자치구별")
        w.table(kr.kinds_table(work), [40, 108, 30], title="유형별")
    if work.visits.total:
        w.chart(activity_chart(f"현장방문 ({period})", dict(work.visits.by_district), work.districts,
                               dict(work.visits.by_category)), 150)
    w.subheading(f"미방문 자치구 ({len(work.unvisited)}개)")
    if not work.districts:
        unvisited = "등록된 자치구가 없습니다."
    else:
        unvisited = " · ".join(work.unvisited) if work.unvisited else "없음 (모든 자치구를 방문했습니다)"
    w.paragraph(unvisited, indent=2)
    w.pdf.ln(2)
    title = f"미완료 후속조치 ({len(work.follow_ups)}건)"
    if work.follow_ups:
        w.table(kr.follow_up_table(work, report.as_of), [118, 36, 24], title=title)
    else:
        w.subheading(title)
        w.paragraph("미완료 후속조치가 없습니다.", indent=2)


def _agenda(w: _Writer, report: WorkReport) -> None:
    agenda = report.agenda
    w.section(3, f"주요 일정 ({kr.day(agenda.first, report.as_of)}~{kr.day(agenda.last, report.as_of)})")
    if not agenda.dated and not agenda.month_only:
        w.paragraph("등록된 일정이 없습니다.", indent=2)
    if agenda.dated:
        w.table(kr.agenda_table(agenda.dated, report.as_of), [46, 132], title="날짜가 정해진 일정")
    if agenda.month_only:
        w.table(kr.agenda_table(agenda.month_only, report.as_of), [46, 132], title="날짜 미정 (월만 정해짐, 예정)")


def _facts(w: _Writer, report: WorkReport) -> None:
    w.section(4, "보고 자료 (현재 유효한 자료, 출처·기준일)")
    if not report.facts:
        w.paragraph("등록된 자료가 없습니다.", indent=2)
        return
    rows = tuple((f.topic, f.answer, f.source, kr.day(f.as_of, report.as_of)) for f in report.facts)
    w.table(kr.Table(("항목", "내용", "출처", "기준일"), rows), [32, 96, 30, 20], size=8)


SECTIONS: tuple[Callable[[_Writer, WorkReport], None], ...] = (_general, _budget_chart)
WORK: tuple[Callable[[_Writer, WorkReport], None], ...] = (_pledges, _fieldwork, _agenda, _facts)


def render(report: WorkReport) -> bytes:
    pdf = _document(report)
    pdf.add_page()
    writer = _Writer(pdf)
    writer.cover(report)
    for section in SECTIONS:
        section(writer, report)
    writer.part("Ⅱ. 주요 업무")
    for section in WORK:
        section(writer, report)
    with _quiet_fonttools():
        data = bytes(pdf.output())
    _check_glyphs(pdf)
    return data


def _check_glyphs(pdf: Any) -> None:
    missing = {font.name: font.missing_glyphs for font in pdf.fonts.values()
               if getattr(font, "missing_glyphs", None)}
    if missing:
        listed = "; ".join(f"{name}: {', '.join(f'U+{c:04X}' for c in chars[:10])}" for name, chars in missing.items())
        raise MissingGlyphs(listed)


class _quiet_fonttools:
    """fontTools' subsetter logs, at WARNING, each hinting table of NanumGothic it drops (TSI3, TSI5): noise."""

    def __enter__(self) -> None:
        self._logger = logging.getLogger("fontTools.subset")
        self._level = self._logger.level
        self._logger.setLevel(logging.ERROR)

    def __exit__(self, *exc: object) -> None:
        self._logger.setLevel(self._level)
