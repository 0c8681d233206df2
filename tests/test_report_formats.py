"""The work report as a spreadsheet (.xlsx) and as a 한글 document (.hwpx): read back, the figures are the report's,
in the cells they belong to — numbers as numbers in the spreadsheet — and the HWPX package is built as OWPML asks
(checked by hand here and by python-hwpx's reader and validators)."""

from __future__ import annotations

import dataclasses
import io
import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from conftest import ADMIN_ID, make_config, make_harness
from helpers import run_cli
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from test_work_report import AS_OF, _report, _spend

from bot.database import migrate, migrate_and_seed
from bot.report import render
from bot.report.korean import display_width
from bot.services.work_report import FollowUpLine, WorkReport, work_report_for

SHEETS = ["Ⅰ-1 주요기능", "Ⅰ-2 조직·인력", "Ⅰ-3 예산 집행현황", "Ⅱ-1 공약", "Ⅱ-2 현장방문·간담회", "Ⅱ-3 주요 일정",
          "Ⅱ-4 사실"]
HP = "{http://www.hancom.co.kr/hwpml/2011/paragraph}"
HH = "{http://www.hancom.co.kr/hwpml/2011/head}"
HS = "{http://www.hancom.co.kr/hwpml/2011/section}"
OPF = "{http://www.idpf.org/2007/opf/}"
OCF = "{urn:oasis:names:tc:opendocument:xmlns:container}"
SAMPLE = Path("storage/seed_data/pledges_sample.csv")


@pytest.fixture
async def demo_report(sqlite_url: str) -> WorkReport:
    await migrate_and_seed(sqlite_url, demo=True)
    return await _report(sqlite_url)


@pytest.fixture
def sample() -> bytes:
    return SAMPLE.read_bytes()


async def _fuller_report(sqlite_url: str, sample: bytes) -> WorkReport:
    """The demo data with the pledge sample imported and a visit logged: every section has its tables."""
    async with make_harness(make_config(sqlite_url)) as harness:
        await harness.upload(ADMIN_ID, SAMPLE.name, sample)
        calls = await harness.send(ADMIN_ID, "7월 16일 마포구 망원시장 다녀왔음")
        await harness.tap(ADMIN_ID, calls, "확인")
        return await work_report_for(harness.runtime)


# -- reading the spreadsheet back --------------------------------------------------------------------------------

def workbook(report: WorkReport) -> Any:
    return load_workbook(io.BytesIO(render(report, "xlsx")))


def sheet_table(sheet: Worksheet, title: str | None, first: str) -> tuple[list[Any], dict[str, list[Any]]]:
    """The table under the subheading `title` (or the sheet's first with `first` heading its first column): its
    header row and its rows by their first cell (a second heading row, under merged cells, has none), up to the
    blank row that ends it."""
    rows = [list(row) for row in sheet.iter_rows()]
    at = 0
    if title is not None:
        at = next(i for i, row in enumerate(rows) if row[0].value == f"● {title}")
    start = next(i for i in range(at, len(rows)) if rows[i][0].value == first)
    header = [cell.value for cell in rows[start] if cell.value is not None]
    body: dict[str, list[Any]] = {}
    for row in rows[start + 1:]:
        if all(cell.value is None for cell in row):
            break
        if row[0].value is not None:
            filled = max(i for i, cell in enumerate(row) if cell.value is not None)
            body[row[0].value] = row[1:filled + 1]
    return header, body


def values(cells: list[Any]) -> list[Any]:
    return [cell.value for cell in cells]


def test_sheet_names_are_the_sections_and_valid() -> None:
    for name in SHEETS:
        assert len(name) <= 31 and not set(name) & set("[]:*?/\\")


async def test_the_workbook_has_a_sheet_per_section_with_the_figures_as_numbers(demo_report: WorkReport) -> None:
    book = workbook(demo_report)
    assert book.sheetnames == SHEETS
    for sheet in book.worksheets:
        assert sheet["A1"].value == "시장비서실 주요업무 보고 (2018. 7. 20. 기준)" and sheet["A1"].font.b
        assert "기준일 2018. 7. 20.(금)" in sheet["A3"].value
        assert sheet.freeze_panes is not None
        assert sheet.page_setup.paperSize == 9 and sheet.page_setup.fitToWidth == 1  # A4, one page wide
        assert sheet.page_setup.fitToHeight == 0 and sheet.sheet_properties.pageSetUpPr.fitToPage
        assert "2018. 7. 20. 기준" in sheet.oddFooter.right.text and "&P" in sheet.oddFooter.center.text

    budget = book["Ⅰ-3 예산 집행현황"]
    header, lines = sheet_table(budget, "과목별 집행현황(시장 업무추진비)", "구분")
    assert header == ["구분", "예산액(천원)", "집행액(천원)", "잔액(천원)", "집행률"]
    assert values(lines["계"][:3]) == [357_200, 118_575, 238_625]
    assert values(lines["기관운영업무추진비"][:3]) == [277_200, 84_196, 193_004]
    assert values(lines["시책추진업무추진비"][:3]) == [80_000, 34_379, 45_621]
    for cell in lines["계"][:3]:
        assert type(cell.value) is int and cell.number_format == "#,##0" and cell.data_type == "n"
    rate = lines["계"][3]
    assert rate.number_format == "0.0%" and rate.value == pytest.approx(118_575 / 357_200, abs=1e-3)
    assert lines["계"][0].font.b and not lines["기관운영업무추진비"][0].font.b  # the total row is bold
    header, fields = sheet_table(budget, "분야별 집행내역", "집행 분야")
    assert header == ["집행 분야", "집행액(천원)", "집행건수(건)"]
    assert values(fields["직원격려"]) == [17_291, 30] and values(fields["회의·간담회"]) == [101_284, 213]
    assert values(fields["계"]) == [118_575, 243]
    top = next(row for row in budget.iter_rows() if row[0].value == "구분")[0]
    assert top.font.b and top.fill.fgColor.rgb.endswith("DDE4EE")  # a styled header row, frozen below it
    assert budget.freeze_panes == f"A{top.row + 1}"

    staffing = book["Ⅰ-2 조직·인력"]
    _, people = sheet_table(staffing, None, "구분")
    assert values(people["정원"][:1]) == [19] and values(people["현원"][:1]) == [19]
    assert {"A6:A7", "B6:B7", "C6:G6", "H6:L6"} <= {str(r) for r in staffing.merged_cells.ranges}  # 일반직, 별정직
    assert [staffing.cell(6, c).value for c in (1, 2, 3, 8)] == ["구분", "총계", "일반직", "별정직"]

    pledges = book["Ⅱ-1 공약"]
    header, counts = sheet_table(pledges, "공약 구성 (보고 수치)", "구분")
    assert header == ["구분", "분야", "핵심공약", "세부사업"]
    assert values(counts["계"]) == [12, 66, 242]
    assert values(counts["정책대상별 (자영업자 등)"]) == [6, 18, 57]
    assert values(counts["정책영역별 (미래특별시 등)"]) == [6, 48, 185]
    assert any("세부사업 자료는 아직 없습니다" in str(row[0].value) for row in pledges.iter_rows())

    agenda = book["Ⅱ-3 주요 일정"]
    _, later = sheet_table(agenda, "날짜 미정 (월만 정해짐, 예정)", "시기")
    assert "9월 중(예정)" in later
    facts = book["Ⅱ-4 사실"]
    _, standing = sheet_table(facts, None, "항목")
    assert all(row[1].value and row[2].value for row in standing.values())  # each with its source and date
    assert "● 미방문 자치구 (25개)" in {row[0].value for row in book["Ⅱ-2 현장방문·간담회"].iter_rows()}


def _table_cells(sheet: Worksheet) -> Iterator[Any]:
    """The cells of the sheet's tables (they have borders; the paragraphs above them do not)."""
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value is not None and cell.border.left.style == "thin":
                yield cell


async def test_columns_are_as_wide_as_their_korean_text(demo_report: WorkReport) -> None:
    for sheet in workbook(demo_report).worksheets:
        for cell in _table_cells(sheet):
            if not isinstance(cell.value, str):
                continue  # a figure: short
            text = cell.value
            widest = max(display_width(line) for line in text.split("\n"))
            width = sheet.column_dimensions[cell.column_letter].width
            if cell.row in {c.min_row for c in sheet.merged_cells.ranges}:
                continue  # a group heading spans several columns
            assert width >= min(widest, 50), (sheet.title, cell.coordinate, text, width)
            if widest > 55 or "\n" in text:
                assert cell.alignment.wrap_text, (sheet.title, cell.coordinate)  # too wide: it wraps
    functions = workbook(demo_report)["Ⅰ-1 주요기능"]
    assert functions.column_dimensions["A"].width >= display_width("시의회 및 국내·외 기관 소통·협력의 가교 역할")


async def test_a_confirmed_spending_entry_is_in_the_regenerated_xlsx_and_hwpx(sqlite_url: str) -> None:
    async with make_harness(make_config(sqlite_url)) as harness:
        before = await work_report_for(harness.runtime)
        await _spend(harness)
        after = await work_report_for(harness.runtime)
    budget = workbook(before)["Ⅰ-3 예산 집행현황"]
    _, lines = sheet_table(budget, "과목별 집행현황(시장 업무추진비)", "구분")
    assert values(lines["기관운영업무추진비"][:3]) == [277_200, 84_196, 193_004]
    budget = workbook(after)["Ⅰ-3 예산 집행현황"]
    _, lines = sheet_table(budget, "과목별 집행현황(시장 업무추진비)", "구분")
    assert values(lines["기관운영업무추진비"][:3]) == [277_200, 85_196, 192_004]
    assert values(lines["계"][:3]) == [357_200, 119_575, 237_625]
    _, fields = sheet_table(budget, "분야별 집행내역", "집행 분야")
    assert values(fields["직원격려"]) == [18_291, 31]
    assert any("이후 기록 1건" in str(row[0].value) for row in budget.iter_rows())
    tables = hwpx_tables(render(after, "hwpx"))
    assert table_row(tables, "예산액", "기관운영업무추진비") == ["기관운영업무추진비", "277,200", "85,196", "192,004",
                                                          "30.7%"]
    assert table_row(tables, "집행건수", "직원격려") == ["직원격려", "18,291", "31건"]


async def test_imported_pledges_and_a_visit_fill_their_sheets_and_tables(sqlite_url: str, sample: bytes) -> None:
    report = await _fuller_report(sqlite_url, sample)
    book = workbook(report)
    header, status = sheet_table(book["Ⅱ-1 공약"], "세부사업 추진 현황 (가져온 세부사업 10개 / 보고 242개, 평균 진행률 "
                                                "42.0%)", "분야")
    assert header == ["분야", "세부사업", "정상추진", "지연", "완료", "보류", "미착수", "평균진행률"]
    assert values(status["계"][:6]) == [10, 6, 1, 1, 1, 1]
    assert status["계"][6].value == pytest.approx(0.42) and status["계"][6].number_format == "0.0%"
    _, late = sheet_table(book["Ⅱ-1 공약"], "지연 세부사업 (1개)", "코드")
    assert late["T01-2-02"][2].value == pytest.approx(0.15) and late["T01-2-02"][3].value == "부지 협의 지연"
    _, districts = sheet_table(book["Ⅱ-2 현장방문·간담회"], "자치구별", "자치구")
    assert values(districts["마포구"]) == [1, 0] and values(districts["계"]) == [1, 0]
    tables = hwpx_tables(render(report, "hwpx"))
    assert table_row(tables, "평균진행률", "계") == ["계", "10", "6", "1", "1", "1", "1", "42.0%"]
    assert table_row(tables, "최근 메모", "T01-2-02")[3:] == ["15%", "부지 협의 지연"]
    assert table_row(tables, "현장방문", "마포구") == ["마포구", "1", "0"]
    python_hwpx_accepts(render(report, "hwpx"))


async def test_text_that_reads_as_a_formula_stays_text(demo_report: WorkReport) -> None:
    odd = FollowUpLine("=HYPERLINK(\"x\") 자료 <제출> & 확인\x07", date(2018, 7, 27), False)
    report = dataclasses.replace(demo_report, fieldwork=dataclasses.replace(demo_report.fieldwork, follow_ups=(odd,)))
    sheet = workbook(report)["Ⅱ-2 현장방문·간담회"]
    cell = next(c for row in sheet.iter_rows() for c in row if str(c.value).startswith("=HYPERLINK"))
    assert cell.data_type == "s"
    data = render(report, "hwpx")
    check_package(data)  # the sign, the brackets and the ampersand are escaped, the control character dropped
    python_hwpx_accepts(data)
    assert table_row(hwpx_tables(data), "후속조치", '=HYPERLINK("x") 자료 <제출> & 확인')[1] == "7.27.(금)"


async def test_an_empty_database_makes_files_that_say_so(sqlite_url: str) -> None:
    await migrate(sqlite_url)
    report = await _report(sqlite_url)
    book = workbook(report)
    assert book.sheetnames == SHEETS
    said = {str(row[0].value) for sheet in book.worksheets for row in sheet.iter_rows()}
    for message in ("등록된 인력 현황이 없습니다.", "등록된 업무추진비 예산이 없습니다.", "등록된 일정이 없습니다.",
                    "등록된 자료가 없습니다.", "등록된 주요 기능 자료가 없습니다."):
        assert message in said
    data = render(report, "hwpx")
    check_package(data)
    python_hwpx_accepts(data)
    assert "등록된 업무추진비 예산이 없습니다." in hwpx_paragraphs(data)


# -- the HWPX package ---------------------------------------------------------------------------------------------

def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return {name: package.read(name) for name in package.namelist()}


def _cells_by_position(table: ElementTree.Element) -> list[list[str]]:
    """A table's rows as text, each cell at its column (a merged cell's text at its first column)."""
    rows: dict[int, dict[int, str]] = {}
    for cell in table.iter(f"{HP}tc"):
        address = cell.find(f"{HP}cellAddr")
        assert address is not None
        text = "\n".join("".join(t.text or "" for t in p.iter(f"{HP}t")) for p in cell.iter(f"{HP}p"))
        rows.setdefault(int(address.get("rowAddr", "0")), {})[int(address.get("colAddr", "0"))] = text
    return [[row[c] for c in sorted(row)] for _, row in sorted(rows.items())]


def hwpx_tables(data: bytes) -> list[list[list[str]]]:
    root = ElementTree.fromstring(_parts(data)["Contents/section0.xml"])
    return [_cells_by_position(table) for table in root.iter(f"{HP}tbl")]


def table_row(tables: list[list[list[str]]], heading: str, label: str) -> list[str]:
    """The row starting with `label` of the table whose heading rows hold `heading`."""
    for rows in tables:
        if any(heading in row for row in rows[:2]):
            found = [row for row in rows if row and row[0] == label]
            if found:
                return found[0]
    raise AssertionError(f"no table headed {heading!r} with a row {label!r}")


def hwpx_paragraphs(data: bytes) -> list[str]:
    """The body's paragraphs outside the tables."""
    root = ElementTree.fromstring(_parts(data)["Contents/section0.xml"])
    return ["".join(t.text or "" for t in p.iter(f"{HP}t")) for p in root.findall(f"{HP}p")]


def check_package(data: bytes) -> dict[str, ElementTree.Element]:
    """The OWPML package's structure, by hand: what 한글 needs to open it."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert package.testzip() is None
        first = package.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
        assert package.read("mimetype") == b"application/hwp+zip"
        names = set(package.namelist())
    parts = _parts(data)
    xml = {name: ElementTree.fromstring(body) for name, body in parts.items()
           if name.endswith((".xml", ".hpf", ".rdf"))}
    assert {"version.xml", "settings.xml", "META-INF/container.xml", "META-INF/manifest.xml", "Contents/content.hpf",
            "Contents/header.xml", "Contents/section0.xml", "Preview/PrvText.txt"} <= names
    for name, body in parts.items():
        if name in xml:
            assert body.startswith(b'<?xml version="1.0" encoding="UTF-8" standalone="yes" ?>'), name
    rootfiles = {r.get("full-path"): r.get("media-type") for r in xml["META-INF/container.xml"].iter(f"{OCF}rootfile")}
    assert rootfiles["Contents/content.hpf"] == "application/hwpml-package+xml" and set(rootfiles) <= names
    hpf = xml["Contents/content.hpf"]
    items = {item.get("id"): item.get("href") for item in hpf.iter(f"{OPF}item")}
    assert items["header"] == "Contents/header.xml" and items["section0"] == "Contents/section0.xml"
    assert set(items.values()) <= names
    assert [ref.get("idref") for ref in hpf.iter(f"{OPF}itemref")] == ["header", "section0"]

    header, section = xml["Contents/header.xml"], xml["Contents/section0.xml"]
    assert header.tag == f"{HH}head" and header.get("secCnt") == "1"
    assert section.tag == f"{HS}sec"
    assert b'xmlns:hp="http://www.hancom.co.kr/hwpml/2011/paragraph"' in parts["Contents/section0.xml"]
    ids = {kind: {e.get("id") for e in header.iter(f"{HH}{kind}")} for kind in ("charPr", "paraPr", "borderFill",
                                                                                  "style")}
    for listing, kind in (("charProperties", "charPr"), ("paraProperties", "paraPr"), ("borderFills", "borderFill"),
                          ("styles", "style")):
        element = header.find(f".//{HH}{listing}")
        assert element is not None and int(element.get("itemCnt", "-1")) == len(ids[kind])
    paragraphs = list(section.iter(f"{HP}p"))
    assert paragraphs and paragraphs[0].find(f"{HP}run/{HP}secPr") is not None  # the page set-up comes first
    for paragraph in paragraphs:
        assert paragraph.get("paraPrIDRef") in ids["paraPr"] and paragraph.get("styleIDRef") in ids["style"]
    for run in section.iter(f"{HP}run"):
        assert run.get("charPrIDRef") in ids["charPr"]
    for element in (*section.iter(f"{HP}tbl"), *section.iter(f"{HP}tc")):
        assert element.get("borderFillIDRef") in ids["borderFill"]
    for table in section.iter(f"{HP}tbl"):
        rows = table.findall(f"{HP}tr")
        assert int(table.get("rowCnt", "0")) == len(rows)
        covered = sum(int(span.get("colSpan", "1")) * int(span.get("rowSpan", "1"))
                      for span in table.iter(f"{HP}cellSpan"))
        assert covered == len(rows) * int(table.get("colCnt", "0"))  # every grid place in exactly one cell
    return xml


async def test_the_hwpx_package_is_built_as_owpml_asks(demo_report: WorkReport) -> None:
    data = render(demo_report, "hwpx")
    check_package(data)
    tables = hwpx_tables(data)
    assert table_row(tables, "예산액", "계") == ["계", "357,200", "118,575", "238,625", "33.2%"]
    assert table_row(tables, "예산액", "시책추진업무추진비") == ["시책추진업무추진비", "80,000", "34,379", "45,621",
                                                         "43.0%"]
    assert table_row(tables, "집행건수", "직원격려") == ["직원격려", "17,291", "30건"]
    assert table_row(tables, "집행건수", "회의·간담회") == ["회의·간담회", "101,284", "213건"]
    staffing = next(rows for rows in tables if rows[0][:2] == ["구분", "총계"])
    assert staffing[0] == ["구분", "총계", "일반직", "별정직"] and staffing[2][:2] == ["정원", "19"]
    assert staffing[3][:2] == ["현원", "19"] and len(staffing[1]) == 10  # 소계 and the grades under 일반직, 별정직
    assert table_row(tables, "핵심공약", "계") == ["계", "12", "66", "242"]
    assert table_row(tables, "핵심공약", "정책대상별 (자영업자 등)")[1:] == ["6", "18", "57"]
    assert table_row(tables, "핵심공약", "정책영역별 (미래특별시 등)")[1:] == ["6", "48", "185"]
    paragraphs = hwpx_paragraphs(data)
    for heading in ("주요업무 보고", "시장비서실", "Ⅰ. 일반 현황", "3. 예산 집행현황 ('18.7.20. 기준, 단위: 천원)",
                    "Ⅱ. 주요 업무", "● 과목별 집행현황(시장 업무추진비)", "● 미방문 자치구 (25개)"):
        assert heading in paragraphs
    assert any(p.startswith("기준일 2018. 7. 20.(금)") for p in paragraphs)
    preview = _parts(data)["Preview/PrvText.txt"].decode()
    assert preview.startswith("주요업무 보고") and len(preview) <= 1024
    assert render(demo_report, "hwpx") == data  # the same report makes the same file


def python_hwpx_accepts(data: bytes) -> Any:
    """python-hwpx (a test dependency) finds nothing wrong: its package and editor-open checks (what it has measured
    한글 to refuse) and the OWPML schemas; the document as its reader opens it."""
    from hwpx import HwpxDocument
    from hwpx.tools.package_validator import validate_editor_open_safety, validate_package
    from hwpx.tools.validator import validate_document

    package = validate_package(data)
    assert [issue for issue in package.issues if issue.level == "error"] == []
    assert validate_document(data).issues == ()  # header.xml and section0.xml against the OWPML schemas
    safety = validate_editor_open_safety(data)
    assert safety.blocking_package_errors == () and safety.reopen_ok
    return HwpxDocument.open(io.BytesIO(data))


async def test_python_hwpx_reads_the_document_back_and_finds_nothing_wrong(demo_report: WorkReport) -> None:
    data = render(demo_report, "hwpx")
    document = python_hwpx_accepts(data)
    text = document.text.plain()
    assert "주요업무 보고" in text and "357,200" in text and "기관운영업무추진비" in text
    tables = document.tables.map()["tables"]
    assert len(tables) == len(hwpx_tables(data))
    budget = next(t for t in tables if t["first_row_preview"][:2] == ["구분", "예산액"])
    cells = {(c["row"], c["col"]): c["text"] for c in budget["cells"]}
    assert [cells[(1, c)] for c in range(4)] == ["계", "357,200", "118,575", "238,625"]


# -- the command -------------------------------------------------------------------------------------------------

async def test_the_command_writes_the_xlsx_and_the_hwpx(tmp_path: Path, sqlite_url: str) -> None:
    await migrate_and_seed(sqlite_url, demo=True)
    for fmt in ("xlsx", "hwpx"):
        result = run_cli(tmp_path, "report", "--as-of", AS_OF.isoformat(), "--format", fmt, "--db", sqlite_url)
        assert result.returncode == 0, result.stderr
        out = tmp_path / f"주요업무보고_2018-07-20.{fmt}"
        assert out.name in result.stdout and fmt.upper() in result.stdout
        data = out.read_bytes()
        if fmt == "xlsx":
            budget = load_workbook(io.BytesIO(data))["Ⅰ-3 예산 집행현황"]
            _, lines = sheet_table(budget, "과목별 집행현황(시장 업무추진비)", "구분")
            assert values(lines["계"][:3]) == [357_200, 118_575, 238_625]
        else:
            check_package(data)
            assert table_row(hwpx_tables(data), "예산액", "계")[1:4] == ["357,200", "118,575", "238,625"]
