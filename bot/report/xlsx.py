"""The work report as an .xlsx workbook: a sheet per section of the report (Ⅰ-1 주요기능 … Ⅱ-4 사실), each headed by
the report's title with its as-of date, the section's heading and the report's basis line, then the section's
paragraphs and tables as the PDF has them (bot/report/outline.py).

Figures are numbers, not text: a :class:`bot.report.korean.Figure` is stored as its value with the `#,##0` (or
`0.0%`) format, and its unit goes into the column's heading (예산액(천원), 집행건수(건)), so the office can add up and
chart the sheet as it is. Text that would read as a formula stays text (bot/sheets/common.Writer). The header row
of the first table is frozen; columns are as wide as their Korean text (a syllable counts two); every sheet prints
on A4, fitted to the page's width, with the page number and the as-of date in the footer.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC
from typing import TYPE_CHECKING, Any

from bot.report import korean as kr
from bot.report.outline import Block, Part, Section, Subheading, TableBlock, Text, outline
from bot.sheets.common import HEADER_FILL, Writer

if TYPE_CHECKING:
    from bot.services.work_report import WorkReport

TOTAL_FILL = "F2F4F7"
GREY = "6E6E6E"
NAVY = "1F3D70"
MIN_WIDTH = 6.0
MAX_WIDTH = 60.0  # wider text wraps
WIDTH_PER_COLUMN = 1.15  # Excel width units per display column of text (a Hangul syllable is two)
LINE_HEIGHT = 15.0  # points per wrapped line
WRAP_SLACK = 0.9  # a wrapped line breaks between words: it holds a little less than the column's width
LANDSCAPE_FROM = 120.0  # sheets wider than this (width units) print across the page
A4 = 9  # the paper size code of SpreadsheetML


@dataclass(frozen=True)
class _Cell:
    value: Any
    style: str  # a key of _Styles
    number_format: str | None = None
    wrap: bool = False


@dataclass
class _Layout:
    """A sheet before it is written (a write-only sheet takes its widths first): rows of cells, merged ranges,
    column widths, the rows to freeze and to repeat on every printed page."""

    rows: list[list[_Cell | None]] = field(default_factory=list)
    merges: list[str] = field(default_factory=list)
    widths: dict[int, float] = field(default_factory=dict)
    heights: dict[int, float] = field(default_factory=dict)
    freeze: int | None = None  # first row below the frozen ones
    print_titles: str | None = None
    tables: int = 0

    def add(self, *cells: _Cell | None) -> int:
        self.rows.append(list(cells))
        return len(self.rows)

    def fit(self, column: int, text: str, *, wraps: bool = False) -> bool:
        """Widen the column for the text (its widest line); True when the text has several lines or is wider than
        a column may be: it wraps, and the next row is made tall enough for it."""
        wanted = [kr.display_width(line) * WIDTH_PER_COLUMN + 2 for line in text.split("\n")]
        self.widths[column] = max(self.widths.get(column, MIN_WIDTH), min(max(wanted), MAX_WIDTH))
        if not wraps or (len(wanted) == 1 and wanted[0] <= MAX_WIDTH):
            return False
        row = len(self.rows) + 1
        lines = sum(math.ceil(width / (MAX_WIDTH * WRAP_SLACK)) for width in wanted)
        self.heights[row] = max(self.heights.get(row, LINE_HEIGHT), LINE_HEIGHT * lines)
        return True


def _letter(column: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(column)


def _heading_units(table: kr.Table) -> list[str]:
    """The header with each figure column's unit: 예산액(천원), 집행건수(건)."""
    labels = []
    for column, label in enumerate(table.header):
        units = {cell.unit for row in table.rows if isinstance(cell := row[column], kr.Figure)}
        unit = units.pop() if len(units) == 1 else ""
        labels.append(f"{label}({unit})" if unit else label)
    return labels


def _spanned(table: kr.Table) -> set[int]:
    """Header columns under a one-column group (구분, 총계): the group's cell covers both heading rows."""
    starts = [sum(span for _, span in table.groups[:i]) for i in range(len(table.groups))]
    return {start for start, (_, span) in zip(starts, table.groups, strict=True) if span == 1}


def _table(layout: _Layout, block: TableBlock) -> None:
    table = block.table
    width = len(table.header)
    if block.title:
        layout.add(_Cell(f"● {block.title}", "subheading"))
    if table.note:
        layout.add(*([None] * (width - 1)), _Cell(f"({table.note})", "unit"))
    top = len(layout.rows) + 1
    spanned = _spanned(table)
    if table.groups:
        cells: list[_Cell | None] = []
        column = 1
        for label, span in table.groups:
            cells += [_Cell(label, "head"), *([_Cell(None, "head")] * (span - 1))]
            last = f"{_letter(column)}{top + 1}" if span == 1 else f"{_letter(column + span - 1)}{top}"
            layout.merges.append(f"{_letter(column)}{top}:{last}")
            column += span
        layout.add(*cells)
    headings = _heading_units(table)
    for column, label in enumerate(headings, start=1):
        layout.fit(column, label)
    layout.add(*(_Cell(None if i in spanned else label, "head") for i, label in enumerate(headings)))
    header_bottom = len(layout.rows)
    for number, values in enumerate(table.rows):
        total = number in table.totals
        row: list[_Cell | None] = []
        for column, value in enumerate(values, start=1):
            wraps = layout.fit(column, value, wraps=True)
            if isinstance(value, kr.Figure):
                row.append(_Cell(value.value, "total-figure" if total else "figure", value.number_format))
            else:
                style = "total" if total else "figure-text" if column - 1 in table.numeric else "cell"
                row.append(_Cell(str(value) or None, style, wrap=wraps))
        layout.add(*row)
    layout.add()
    if layout.freeze is None:
        layout.freeze = header_bottom + 1
    layout.tables += 1
    layout.print_titles = f"{top}:{header_bottom}" if layout.tables == 1 else None


def _block(layout: _Layout, block: Block) -> None:
    if isinstance(block, TableBlock):
        _table(layout, block)
    elif isinstance(block, Subheading):
        layout.add(_Cell(f"● {block.text}", "subheading"))
    elif isinstance(block, Text):
        layout.add(_Cell(block.text, f"text-{block.tone}-{block.indent}"))


def _layout(report: WorkReport, part: Part, section: Section) -> _Layout:
    layout = _Layout()
    layout.add(_Cell(f"{kr.OFFICE} {kr.TITLE} ({kr.full_date(report.as_of)} 기준)", "title"))
    layout.add(_Cell(f"{part.title} › {section.number}. {section.heading}", "heading"))
    layout.add(_Cell(kr.report_heading(report), "text-note-0"))
    layout.add()
    for block in section.blocks:
        _block(layout, block)
    if layout.freeze is None:
        layout.freeze = 4
    return layout


class _Styles:
    """The cell styles, made once per workbook."""

    def __init__(self) -> None:
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

        thin = Side(style="thin", color="808080")
        box = Border(left=thin, right=thin, top=thin, bottom=thin)
        head = PatternFill("solid", fgColor=HEADER_FILL)
        total = PatternFill("solid", fgColor=TOTAL_FILL)
        centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
        right = Alignment(horizontal="right", vertical="center")
        left = Alignment(horizontal="left", vertical="center")
        self.fonts = {"title": Font(bold=True, size=14), "heading": Font(bold=True, size=12, color=NAVY),
                      "subheading": Font(bold=True, size=11), "unit": Font(size=9, color=GREY)}
        self.cells: dict[str, tuple[Any, ...]] = {  # font, fill, border, alignment
            "head": (Font(bold=True), head, box, centre),
            "cell": (None, None, box, left),
            "figure": (None, None, box, right),
            "figure-text": (None, None, box, right),
            "total": (Font(bold=True), total, box, left),
            "total-figure": (Font(bold=True), total, box, right),
            "unit": (self.fonts["unit"], None, None, right),
        }
        for tone, font in (("body", None), ("strong", Font(bold=True)), ("note", Font(size=9, color=GREY))):
            for indent in range(3):
                self.cells[f"text-{tone}-{indent}"] = (font, None, None, Alignment(indent=indent * 2))
        for name in ("title", "heading", "subheading"):
            self.cells[name] = (self.fonts[name], None, None, None)

    def apply(self, cell: Any, spec: _Cell) -> Any:
        from openpyxl.styles import Alignment

        font, fill, border, alignment = self.cells[spec.style]
        if font is not None:
            cell.font = font
        if fill is not None:
            cell.fill = fill
        if border is not None:
            cell.border = border
        if spec.wrap:
            alignment = Alignment(horizontal="left", vertical="top", wrap_text=True)
        if alignment is not None:
            cell.alignment = alignment
        return cell


def _write(writer: Writer, styles: _Styles, report: WorkReport, title: str, layout: _Layout) -> None:
    from openpyxl.worksheet.properties import PageSetupProperties

    columns = max(layout.widths, default=1)
    widths = [layout.widths.get(column, MIN_WIDTH) for column in range(1, columns + 1)]
    sheet = writer.sheet(title, widths, f"A{layout.freeze}" if layout.freeze else None)
    for number, height in layout.heights.items():
        sheet.row_dimensions[number].height = height
    setup = sheet.page_setup
    setup.paperSize = A4
    setup.orientation = "landscape" if sum(widths) > LANDSCAPE_FROM else "portrait"
    setup.fitToWidth, setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    if layout.print_titles:
        sheet.print_title_rows = layout.print_titles
    sheet.oddFooter.left.text = f"{kr.OFFICE} {kr.TITLE}"
    sheet.oddFooter.center.text = "- &P / &N -"
    sheet.oddFooter.right.text = f"{kr.full_date(report.as_of)} 기준"
    for merged in layout.merges:
        sheet.merged_cells.add(merged)
    for row in layout.rows:
        sheet.append([None if spec is None else styles.apply(writer.cell(sheet, _storable(spec.value),
                                                                         spec.number_format), spec)
                      for spec in row])


def _storable(value: Any) -> Any:
    """Text without the control characters a worksheet cannot hold (typed text may carry one)."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def _sheets(report: WorkReport) -> Iterator[tuple[str, _Layout]]:
    for part in outline(report):
        for section in part.sections:
            yield section.sheet, _layout(report, part, section)


def render(report: WorkReport) -> bytes:
    writer = Writer()
    properties = writer.book.properties
    properties.title = f"{kr.OFFICE} {kr.TITLE} ({kr.full_date(report.as_of)} 기준)"
    properties.creator = "비서실봇"
    properties.created = report.generated_at.astimezone(UTC).replace(tzinfo=None)
    styles = _Styles()
    for title, layout in _sheets(report):
        _write(writer, styles, report, title, layout)
    return writer.save()
