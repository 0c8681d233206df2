"""The work report as an .hwpx document (한글), the format Korean public offices work in: an OWPML package (KS X 6101)
written with the standard library — a ZIP whose first entry, stored, is the mimetype `application/hwp+zip`; the
container and manifest (META-INF/container.xml → Contents/content.hpf, whose manifest and spine list header.xml
and section0.xml); the styles (Contents/header.xml: fonts, borders and fills, character and paragraph shapes);
the body (Contents/section0.xml: A4 page, page numbers, headings, paragraphs and real tables, hp:tbl, whose heading
rows repeat on every page); version.xml, settings.xml and the preview text Preview/PrvText.txt.

The parts are laid out as 한글 writes them (the same namespaces on every root, margins given twice in hp:switch
for older readers, no layout cache: 한글 lays the text out on opening). The content and wording are the PDF's
(bot/report/outline.py); figures and dates come from bot/report/korean.py. Why not python-hwpx: see README
"주요업무 보고" (the tests use it to read the file back and to validate the package).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape, quoteattr

from bot.report import korean as kr
from bot.report.outline import Block, Subheading, TableBlock, Text, outline

if TYPE_CHECKING:
    from bot.services.work_report import WorkReport

MIMETYPE = "application/hwp+zip"
DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes" ?>'
NAMESPACES = {
    "ha": "http://www.hancom.co.kr/hwpml/2011/app",
    "hp": "http://www.hancom.co.kr/hwpml/2011/paragraph",
    "hp10": "http://www.hancom.co.kr/hwpml/2016/paragraph",
    "hs": "http://www.hancom.co.kr/hwpml/2011/section",
    "hc": "http://www.hancom.co.kr/hwpml/2011/core",
    "hh": "http://www.hancom.co.kr/hwpml/2011/head",
    "hhs": "http://www.hancom.co.kr/hwpml/2011/history",
    "hm": "http://www.hancom.co.kr/hwpml/2011/master-page",
    "hpf": "http://www.hancom.co.kr/schema/2011/hpf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "opf": "http://www.idpf.org/2007/opf/",
    "ooxmlchart": "http://www.hancom.co.kr/hwpml/2016/ooxmlchart",
    "hwpunitchar": "http://www.hancom.co.kr/hwpml/2016/HwpUnitChar",
    "epub": "http://www.idpf.org/2007/ops",
    "config": "urn:oasis:names:tc:opendocument:xmlns:config:1.0",
}
_XMLNS = "".join(f' xmlns:{prefix}="{uri}"' for prefix, uri in NAMESPACES.items())
LANGUAGES = ("HANGUL", "LATIN", "HANJA", "JAPANESE", "OTHER", "SYMBOL", "USER")
FONTS = ("함초롬바탕", "함초롬돋움")  # shipped with every 한글: body, headings
BODY_FONT, HEADING_FONT = 0, 1

# HWPUNIT: 1/7200 inch; 1 pt = 100, 1 mm ≈ 283.5
PAGE_WIDTH, PAGE_HEIGHT = 59528, 84186  # A4
MARGIN_SIDE, MARGIN_TOP, MARGIN_BOTTOM, MARGIN_HEADER = 5669, 4252, 4252, 2835  # 20, 15, 15, 10 mm
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN_SIDE
CELL_MARGIN = (510, 510, 141, 141)  # left, right, top, bottom
ROW_HEIGHT = 1600  # a nominal row: 한글 grows it to fit its text
NAVY, GREY = "#1F3D70", "#6E6E6E"
HEAD_FILL, TOTAL_FILL = "#DDE4EE", "#F2F4F7"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class _Char:
    points: float
    bold: bool = False
    colour: str = "#000000"
    face: int = BODY_FONT


@dataclass(frozen=True)
class _Para:
    align: str = "JUSTIFY"
    left: int = 0  # indent, HWPUNIT
    before: int = 0
    after: int = 0
    spacing: int = 160  # line spacing, percent
    keep_with_next: bool = False


# The shapes the body refers to, by name; their ids are their places here (header.xml lists them in this order).
CHARS: dict[str, _Char] = {
    "body": _Char(10),
    "strong": _Char(10, bold=True),
    "note": _Char(9, colour=GREY),
    "cell": _Char(9),
    "cell-bold": _Char(9, bold=True),
    "title": _Char(24, bold=True, face=HEADING_FONT),
    "cover": _Char(13, face=HEADING_FONT),
    "cover-bold": _Char(13, bold=True, face=HEADING_FONT),
    "part": _Char(15, bold=True, colour=NAVY, face=HEADING_FONT),
    "section": _Char(12, bold=True, face=HEADING_FONT),
    "subheading": _Char(10.5, bold=True),
    "unit": _Char(8.5, colour=GREY),
}
PARAS: dict[str, _Para] = {
    "body": _Para(),
    "indent-1": _Para(left=1500),
    "indent-2": _Para(left=3000),
    "centre": _Para("CENTER"),
    "right": _Para("RIGHT"),
    "part": _Para(before=1800, after=600, keep_with_next=True),
    "section": _Para(before=1000, after=400, keep_with_next=True),
    "subheading": _Para(before=600, after=200, keep_with_next=True),
    "unit": _Para("RIGHT", keep_with_next=True),
    "table": _Para("LEFT", after=600, spacing=100),
    "cell": _Para("LEFT", spacing=130),
    "cell-centre": _Para("CENTER", spacing=130),
    "cell-right": _Para("RIGHT", spacing=130),
}
# borderFill ids (1-based, as 한글 numbers them): 1 none (the page), 2 none (characters), 3-5 table cells
BORDERS: dict[str, tuple[str, str | None]] = {"page": ("NONE", None), "char": ("NONE", None),
                                              "cell": ("SOLID", None), "head": ("SOLID", HEAD_FILL),
                                              "total": ("SOLID", TOTAL_FILL)}


CHAR_IDS = {name: number for number, name in enumerate(CHARS)}
PARA_IDS = {name: number for number, name in enumerate(PARAS)}
BORDER_IDS = {name: number for number, name in enumerate(BORDERS, start=1)}


@dataclass(frozen=True)
class _Look:
    """A table cell's border and fill, paragraph and character shapes, and whether it is a heading cell."""

    fill: str = "cell"
    paragraph: str = "cell"
    character: str = "cell"
    header: bool = False


HEADING = _Look("head", "cell-centre", "cell-bold", header=True)


def _clean(text: str) -> str:
    return escape(_NOT_XML.sub("", text.replace("\t", " ")))


def _per_language(**values: object) -> str:
    return " ".join(f'{lang.lower()}="{values.get(lang, values["all"])}"' for lang in LANGUAGES)


# -- header.xml --------------------------------------------------------------------------------------------------

def _fontfaces() -> str:
    fonts = "".join(
        f'<hh:font id="{i}" face={quoteattr(face)} type="TTF" isEmbedded="0"><hh:typeInfo familyType="FCAT_GOTHIC" '
        'weight="6" proportion="4" contrast="0" strokeVariation="1" armStyle="1" letterform="1" midline="1" '
        'xHeight="1"/></hh:font>' for i, face in enumerate(FONTS))
    faces = "".join(f'<hh:fontface lang="{lang}" fontCnt="{len(FONTS)}">{fonts}</hh:fontface>' for lang in LANGUAGES)
    return f'<hh:fontfaces itemCnt="{len(LANGUAGES)}">{faces}</hh:fontfaces>'


def _border_fill(number: int, line: str, fill: str | None) -> str:
    sides = "".join(f'<hh:{side}Border type="{line}" width="0.12 mm" color="#000000"/>'
                    for side in ("left", "right", "top", "bottom"))
    brush = (f'<hc:fillBrush><hc:winBrush faceColor="{fill}" hatchColor="#999999" alpha="0"/></hc:fillBrush>'
             if fill else "")
    return (f'<hh:borderFill id="{number}" threeD="0" shadow="0" centerLine="NONE" breakCellSeparateLine="0">'
            '<hh:slash type="NONE" Crooked="0" isCounter="0"/><hh:backSlash type="NONE" Crooked="0" isCounter="0"/>'
            f'{sides}<hh:diagonal type="SOLID" width="0.1 mm" color="#000000"/>{brush}</hh:borderFill>')


def _char_shape(number: int, shape: _Char) -> str:
    return (f'<hh:charPr id="{number}" height="{round(shape.points * 100)}" textColor="{shape.colour}" '
            f'shadeColor="none" useFontSpace="0" useKerning="0" symMark="NONE" borderFillIDRef="{BORDER_IDS["char"]}">'
            f'<hh:fontRef {_per_language(all=shape.face)}/><hh:ratio {_per_language(all=100)}/>'
            f'<hh:spacing {_per_language(all=0)}/><hh:relSz {_per_language(all=100)}/>'
            f'<hh:offset {_per_language(all=0)}/>{"<hh:bold/>" if shape.bold else ""}'
            '<hh:underline type="NONE" shape="SOLID" color="#000000"/><hh:strikeout shape="NONE" color="#000000"/>'
            '<hh:outline type="NONE"/><hh:shadow type="NONE" color="#C0C0C0" offsetX="10" offsetY="10"/></hh:charPr>')


def _margins(shape: _Para, scale: int) -> str:
    """The paragraph's margins and line spacing; 한글 writes them twice, older readers taking doubled values."""
    values = (("intent", 0), ("left", shape.left), ("right", 0), ("prev", shape.before), ("next", shape.after))
    margin = "".join(f'<hc:{name} value="{value * scale}" unit="HWPUNIT"/>' for name, value in values)
    return f'<hh:margin>{margin}</hh:margin><hh:lineSpacing type="PERCENT" value="{shape.spacing}" unit="HWPUNIT"/>'


def _para_shape(number: int, shape: _Para) -> str:
    return (f'<hh:paraPr id="{number}" tabPrIDRef="0" condense="0" fontLineHeight="0" snapToGrid="1" '
            f'suppressLineNumbers="0" checked="0" textDir="LTR"><hh:align horizontal="{shape.align}" '
            'vertical="BASELINE"/><hh:heading type="NONE" idRef="0" level="0"/><hh:breakSetting '
            'breakLatinWord="KEEP_WORD" breakNonLatinWord="KEEP_WORD" widowOrphan="0" '
            f'keepWithNext="{int(shape.keep_with_next)}" keepLines="0" pageBreakBefore="0" lineWrap="BREAK"/>'
            '<hh:autoSpacing eAsianEng="0" eAsianNum="0"/><hp:switch><hp:case '
            f'hp:required-namespace="{NAMESPACES["hwpunitchar"]}">{_margins(shape, 1)}</hp:case>'
            f'<hp:default>{_margins(shape, 2)}</hp:default></hp:switch>'
            f'<hh:border borderFillIDRef="{BORDER_IDS["char"]}" offsetLeft="0" offsetRight="0" offsetTop="0" '
            'offsetBottom="0" connect="0" ignoreMargin="0"/></hh:paraPr>')


def header_xml() -> str:
    borders = "".join(_border_fill(i, line, fill) for i, (line, fill) in enumerate(BORDERS.values(), start=1))
    chars = "".join(_char_shape(i, shape) for i, shape in enumerate(CHARS.values()))
    paras = "".join(_para_shape(i, shape) for i, shape in enumerate(PARAS.values()))
    return (f'{DECLARATION}<hh:head{_XMLNS} version="1.5" secCnt="1">'
            '<hh:beginNum page="1" footnote="1" endnote="1" pic="1" tbl="1" equation="1"/><hh:refList>'
            f'{_fontfaces()}<hh:borderFills itemCnt="{len(BORDERS)}">{borders}</hh:borderFills>'
            f'<hh:charProperties itemCnt="{len(CHARS)}">{chars}</hh:charProperties>'
            '<hh:tabProperties itemCnt="1"><hh:tabPr id="0" autoTabLeft="0" autoTabRight="0"/></hh:tabProperties>'
            f'<hh:paraProperties itemCnt="{len(PARAS)}">{paras}</hh:paraProperties>'
            f'<hh:styles itemCnt="1"><hh:style id="0" type="PARA" name="바탕글" engName="Normal" '
            f'paraPrIDRef="{PARA_IDS["body"]}" charPrIDRef="{CHAR_IDS["body"]}" nextStyleIDRef="0" langID="1042" '
            'lockForm="0"/></hh:styles></hh:refList>'
            '<hh:compatibleDocument targetProgram="HWP201X"><hh:layoutCompatibility/></hh:compatibleDocument>'
            '<hh:docOption><hh:linkinfo path="" pageInherit="0" footnoteInherit="0"/></hh:docOption>'
            '<hh:trackchageConfig flags="56"/></hh:head>')


# -- section0.xml ------------------------------------------------------------------------------------------------

_SECTION_PROPERTIES = (
    '<hp:secPr id="" textDirection="HORIZONTAL" spaceColumns="1134" tabStop="8000" tabStopVal="4000" '
    'tabStopUnit="HWPUNIT" outlineShapeIDRef="0" memoShapeIDRef="0" textVerticalWidthHead="0" masterPageCnt="0">'
    '<hp:grid lineGrid="0" charGrid="0" wonggojiFormat="0"/>'
    '<hp:startNum pageStartsOn="BOTH" page="0" pic="0" tbl="0" equation="0"/>'
    '<hp:visibility hideFirstHeader="0" hideFirstFooter="0" hideFirstMasterPage="0" border="SHOW_ALL" '
    'fill="SHOW_ALL" hideFirstPageNum="0" hideFirstEmptyLine="0" showLineNumber="0"/>'
    '<hp:lineNumberShape restartType="0" countBy="0" distance="0" startNumber="0"/>'
    f'<hp:pagePr landscape="WIDELY" width="{PAGE_WIDTH}" height="{PAGE_HEIGHT}" gutterType="LEFT_ONLY">'
    f'<hp:margin header="{MARGIN_HEADER}" footer="{MARGIN_HEADER}" gutter="0" left="{MARGIN_SIDE}" '
    f'right="{MARGIN_SIDE}" top="{MARGIN_TOP}" bottom="{MARGIN_BOTTOM}"/></hp:pagePr>'
    '<hp:footNotePr><hp:autoNumFormat type="DIGIT" userChar="" prefixChar="" suffixChar=")" supscript="0"/>'
    '<hp:noteLine length="-1" type="SOLID" width="0.12 mm" color="#000000"/>'
    '<hp:noteSpacing betweenNotes="283" belowLine="567" aboveLine="850"/>'
    '<hp:numbering type="CONTINUOUS" newNum="1"/><hp:placement place="EACH_COLUMN" beneathText="0"/>'
    '</hp:footNotePr>'
    '<hp:endNotePr><hp:autoNumFormat type="DIGIT" userChar="" prefixChar="" suffixChar=")" supscript="0"/>'
    '<hp:noteLine length="14692344" type="SOLID" width="0.12 mm" color="#000000"/>'
    '<hp:noteSpacing betweenNotes="0" belowLine="567" aboveLine="850"/>'
    '<hp:numbering type="CONTINUOUS" newNum="1"/><hp:placement place="END_OF_DOCUMENT" beneathText="0"/>'
    '</hp:endNotePr>'
    + "".join(f'<hp:pageBorderFill type="{side}" borderFillIDRef="{BORDER_IDS["page"]}" textBorder="PAPER" '
              'headerInside="0" footerInside="0" fillArea="PAPER"><hp:offset left="1417" right="1417" top="1417" '
              'bottom="1417"/></hp:pageBorderFill>' for side in ("BOTH", "EVEN", "ODD"))
    + '</hp:secPr><hp:ctrl><hp:colPr id="" type="NEWSPAPER" layout="LEFT" colCount="1" sameSz="1" sameGap="0"/>'
    '</hp:ctrl><hp:ctrl><hp:pageNum pos="BOTTOM_CENTER" formatType="DIGIT" sideChar="-"/></hp:ctrl>'
)


class _Body:
    """section0.xml's paragraphs, numbered as they are written, and the document's plain text for the preview."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.text: list[str] = []
        self._paragraphs = 0
        self._tables = 0

    def _open(self, paragraph: str) -> str:
        number = self._paragraphs
        self._paragraphs += 1
        return (f'<hp:p id="{number}" paraPrIDRef="{PARA_IDS[paragraph]}" styleIDRef="0" pageBreak="0" '
                'columnBreak="0" merged="0">')

    def _paragraph(self, text: str, paragraph: str, character: str, prefix: str = "") -> str:
        run = f'<hp:run charPrIDRef="{CHAR_IDS[character]}"><hp:t>{_clean(text)}</hp:t></hp:run>' if text else (
            f'<hp:run charPrIDRef="{CHAR_IDS[character]}"/>')
        return f"{self._open(paragraph)}{prefix}{run}</hp:p>"

    def first(self, text: str, paragraph: str, character: str) -> None:
        """The first paragraph: it carries the section's page setup, then its text."""
        setup = f'<hp:run charPrIDRef="{CHAR_IDS[character]}">{_SECTION_PROPERTIES}</hp:run>'
        self.parts.append(self._paragraph(text, paragraph, character, setup))
        self.text.append(text)

    def paragraph(self, text: str, paragraph: str = "body", character: str = "body") -> None:
        for line in text.split("\n"):
            self.parts.append(self._paragraph(line, paragraph, character))
            self.text.append(line)

    def table(self, table: kr.Table) -> None:
        self.parts.append(f'{self._open("table")}<hp:run charPrIDRef="{CHAR_IDS["cell"]}">{self._grid(table)}'
                          '</hp:run></hp:p>')
        self.text += ["\t".join(table.header), *("\t".join(row) for row in table.rows)]

    def _cell(self, text: str, column: int, row: int, width: int, look: _Look, span: tuple[int, int] = (1, 1)
              ) -> str:
        lines = "".join(self._paragraph(line, look.paragraph, look.character) for line in text.split("\n"))
        left, right, top, bottom = CELL_MARGIN
        return (f'<hp:tc name="" header="{int(look.header)}" hasMargin="0" protect="0" editable="0" dirty="0" '
                f'borderFillIDRef="{BORDER_IDS[look.fill]}"><hp:subList id="" textDirection="HORIZONTAL" '
                'lineWrap="BREAK" vertAlign="CENTER" linkListIDRef="0" linkListNextIDRef="0" textWidth="0" '
                f'textHeight="0" hasTextRef="0" hasNumRef="0">{lines}</hp:subList>'
                f'<hp:cellAddr colAddr="{column}" rowAddr="{row}"/>'
                f'<hp:cellSpan colSpan="{span[0]}" rowSpan="{span[1]}"/><hp:cellSz width="{width}" '
                f'height="{ROW_HEIGHT * span[1]}"/><hp:cellMargin left="{left}" right="{right}" top="{top}" '
                f'bottom="{bottom}"/></hp:tc>')

    def _heading_rows(self, table: kr.Table, widths: Sequence[int]) -> list[str]:
        if not table.groups:
            return ["".join(self._cell(label, c, 0, widths[c], HEADING) for c, label in enumerate(table.header))]
        top, below, column = [], [], 0
        for label, span in table.groups:  # a one-column group covers both heading rows (구분, 총계)
            top.append(self._cell(label, column, 0, sum(widths[column:column + span]), HEADING,
                                  (1, 2) if span == 1 else (span, 1)))
            if span > 1:
                below += [self._cell(table.header[c], c, 1, widths[c], HEADING) for c in range(column, column + span)]
            column += span
        return ["".join(top), "".join(below)]

    def _grid(self, table: kr.Table) -> str:
        widths = column_widths(table)
        rows = self._heading_rows(table, widths)
        headings = len(rows)
        for number, values in enumerate(table.rows):
            total = number in table.totals
            rows.append("".join(
                self._cell(value, c, headings + number, widths[c],
                           _Look("total" if total else "cell", "cell-right" if c in table.numeric else "cell",
                                 "cell-bold" if total else "cell"))
                for c, value in enumerate(values)))
        self._tables += 1
        left, right, top, bottom = CELL_MARGIN
        return (f'<hp:tbl id="{self._tables}" zOrder="{self._tables - 1}" numberingType="TABLE" '
                'textWrap="TOP_AND_BOTTOM" textFlow="BOTH_SIDES" lock="0" dropcapstyle="None" pageBreak="CELL" '
                f'repeatHeader="1" rowCnt="{len(rows)}" colCnt="{len(table.header)}" cellSpacing="0" '
                f'borderFillIDRef="{BORDER_IDS["cell"]}" noAdjust="0"><hp:sz width="{sum(widths)}" '
                f'widthRelTo="ABSOLUTE" height="{ROW_HEIGHT * len(rows)}" heightRelTo="ABSOLUTE" protect="0"/>'
                '<hp:pos treatAsChar="0" affectLSpacing="0" flowWithText="1" allowOverlap="0" holdAnchorAndSO="0" '
                'vertRelTo="PARA" horzRelTo="COLUMN" vertAlign="TOP" horzAlign="LEFT" vertOffset="0" horzOffset="0"/>'
                '<hp:outMargin left="0" right="0" top="0" bottom="0"/><hp:inMargin '
                f'left="{left}" right="{right}" top="{top}" bottom="{bottom}"/>'
                + "".join(f"<hp:tr>{row}</hp:tr>" for row in rows) + "</hp:tbl>")

    def xml(self) -> str:
        return f'{DECLARATION}<hs:sec{_XMLNS}>{"".join(self.parts)}</hs:sec>'


def column_widths(table: kr.Table) -> list[int]:
    """Each column's share of the text width, after its widest line (a Hangul syllable counts two), kept between
    a short word's width and a long sentence's."""
    weights = [max(kr.display_width(line) for cell in (label, *(row[c] for row in table.rows))
                   for line in cell.split("\n")) for c, label in enumerate(table.header)]
    weights = [min(max(weight, 6), 48) for weight in weights]
    widths = [TEXT_WIDTH * weight // sum(weights) for weight in weights]
    widths[0] += TEXT_WIDTH - sum(widths)
    return widths


def _block(body: _Body, block: Block) -> None:
    if isinstance(block, TableBlock):
        if block.title:
            body.paragraph(f"● {block.title}", "subheading", "subheading")
        if block.table.note:
            body.paragraph(f"({block.table.note})", "unit", "unit")
        body.table(block.table)
    elif isinstance(block, Subheading):
        body.paragraph(f"● {block.text}", "subheading", "subheading")
    elif isinstance(block, Text):
        body.paragraph(block.text, f"indent-{block.indent}" if block.indent else "body",
                       "note" if block.tone == "note" else block.tone)


def section_xml(report: WorkReport) -> tuple[str, str]:
    """section0.xml and the document's plain text."""
    body = _Body()
    body.first(kr.TITLE, "centre", "title")
    body.paragraph(kr.month_title(report.as_of), "centre", "cover")
    body.paragraph(kr.OFFICE, "centre", "cover-bold")
    body.paragraph(kr.report_heading(report), "centre", "note")
    for part in outline(report):
        body.paragraph(part.title, "part", "part")
        for section in part.sections:
            body.paragraph(f"{section.number}. {section.heading}", "section", "section")
            for block in section.blocks:
                _block(body, block)
    return body.xml(), "\r\n".join(body.text)


# -- the package -------------------------------------------------------------------------------------------------

def _content_hpf(report: WorkReport) -> str:
    made = report.generated_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    title = f"{kr.OFFICE} {kr.TITLE} ({kr.full_date(report.as_of)} 기준)"
    return (f'{DECLARATION}<opf:package{_XMLNS} version="" unique-identifier="" id=""><opf:metadata>'
            f'<opf:title>{escape(title)}</opf:title><opf:language>ko</opf:language>'
            '<opf:meta name="creator" content="text">비서실봇</opf:meta>'
            f'<opf:meta name="CreatedDate" content="text">{made}</opf:meta>'
            f'<opf:meta name="ModifiedDate" content="text">{made}</opf:meta></opf:metadata><opf:manifest>'
            '<opf:item id="header" href="Contents/header.xml" media-type="application/xml"/>'
            '<opf:item id="section0" href="Contents/section0.xml" media-type="application/xml"/>'
            '<opf:item id="settings" href="settings.xml" media-type="application/xml"/></opf:manifest>'
            '<opf:spine><opf:itemref idref="header" linear="yes"/><opf:itemref idref="section0" linear="yes"/>'
            '</opf:spine></opf:package>')


CONTAINER_XML = (
    f'{DECLARATION}<ocf:container xmlns:ocf="urn:oasis:names:tc:opendocument:xmlns:container" '
    f'xmlns:hpf="{NAMESPACES["hpf"]}"><ocf:rootfiles>'
    '<ocf:rootfile full-path="Contents/content.hpf" media-type="application/hwpml-package+xml"/>'
    '<ocf:rootfile full-path="Preview/PrvText.txt" media-type="text/plain"/>'
    '<ocf:rootfile full-path="META-INF/container.rdf" media-type="application/rdf+xml"/>'
    '</ocf:rootfiles></ocf:container>')
MANIFEST_XML = f'{DECLARATION}<odf:manifest xmlns:odf="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>'
_PKG = "http://www.hancom.co.kr/hwpml/2016/meta/pkg#"
CONTAINER_RDF = (
    f'{DECLARATION}<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    + "".join(f'<rdf:Description rdf:about=""><ns0:hasPart xmlns:ns0="{_PKG}" rdf:resource="Contents/{part}.xml"/>'
              f'</rdf:Description><rdf:Description rdf:about="Contents/{part}.xml"><rdf:type '
              f'rdf:resource="{_PKG}{kind}"/></rdf:Description>'
              for part, kind in (("header", "HeaderFile"), ("section0", "SectionFile")))
    + f'<rdf:Description rdf:about=""><rdf:type rdf:resource="{_PKG}Document"/></rdf:Description></rdf:RDF>')
VERSION_XML = (
    f'{DECLARATION}<hv:HCFVersion xmlns:hv="http://www.hancom.co.kr/hwpml/2011/version" '
    'tagetApplication="WORDPROCESSOR" major="5" minor="1" micro="1" buildNumber="0" os="1" xmlVersion="1.5" '
    'application="secretariat-bot" appVersion="0.1.0"/>')
SETTINGS_XML = (f'{DECLARATION}<ha:HWPApplicationSetting xmlns:ha="{NAMESPACES["ha"]}" '
                f'xmlns:config="{NAMESPACES["config"]}"><ha:CaretPosition listIDRef="0" paraIDRef="0" pos="0"/>'
                '</ha:HWPApplicationSetting>')
PREVIEW_LIMIT = 1024  # characters of the preview text, as 한글 keeps it short


def parts(report: WorkReport) -> Iterator[tuple[str, bytes]]:
    """The package's entries in the order they are written, mimetype first."""
    section, text = section_xml(report)
    yield "mimetype", MIMETYPE.encode()
    yield "version.xml", VERSION_XML.encode()
    yield "Contents/header.xml", header_xml().encode()
    yield "Contents/section0.xml", section.encode()
    yield "Preview/PrvText.txt", text[:PREVIEW_LIMIT].encode()
    yield "settings.xml", SETTINGS_XML.encode()
    yield "META-INF/container.rdf", CONTAINER_RDF.encode()
    yield "Contents/content.hpf", _content_hpf(report).encode()
    yield "META-INF/container.xml", CONTAINER_XML.encode()
    yield "META-INF/manifest.xml", MANIFEST_XML.encode()


def render(report: WorkReport) -> bytes:
    stamp = report.generated_at.timetuple()[:6]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for name, data in parts(report):
            entry = zipfile.ZipInfo(name, date_time=stamp)
            entry.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            package.writestr(entry, data)
    return buffer.getvalue()
