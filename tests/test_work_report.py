"""The work report (주요업무 보고): its figures come from the services that answer in chat, and the PDF shows them
exactly, in an embedded Hangul font with no glyph missing."""

from __future__ import annotations

import dataclasses
import io
import os
import pickle
import re
import shutil
import subprocess
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from conftest import ADMIN_ID, REPORT_NOW, Harness, make_config, make_harness
from helpers import run_cli

from bot import workers
from bot.database import migrate_and_seed
from bot.report import render, render_in_worker
from bot.services.work_report import FollowUpLine, WorkReport, build_work_report, default_period, work_report_for
from storage.db import make_engine, make_sessionmaker

AS_OF = date(2018, 7, 20)
NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


async def _report(url: str, as_of: date = AS_OF) -> WorkReport:
    engine = make_engine(url)
    try:
        async with make_sessionmaker(engine)() as session:
            return await build_work_report(session, as_of, now=REPORT_NOW)
    finally:
        await engine.dispose()


@pytest.fixture
async def demo_url(sqlite_url: str) -> str:
    await migrate_and_seed(sqlite_url, demo=True)
    return sqlite_url


# -- reading a PDF back ------------------------------------------------------------------------------------------

def pdf_text(data: bytes) -> str:
    """The PDF's text in the order it was written (a table row by row): pdftotext -raw when poppler-utils is
    installed, else pypdf."""
    if shutil.which("pdftotext"):
        return subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True,
                              check=True).stdout.decode()
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def figures_after(text: str, *anchors: str, count: int) -> list[str]:
    """The `count` numbers that follow the anchors, each found after the one before (a heading, then a row's
    label): the check is exact on the figures and blind to how the cells are spaced or broken."""
    at = 0
    for anchor in anchors:
        found = text.find(anchor, at)
        assert found >= 0, f"{anchor!r} not in the report after {anchors[:anchors.index(anchor)]}"
        at = found + len(anchor)
    return NUMBER.findall(text[at:])[:count]


def _embedded_fonts(data: bytes) -> Iterator[tuple[str, bytes | None]]:
    from pypdf import PdfReader

    seen = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            name = str(font["/BaseFont"])
            if name in seen:
                continue
            seen.add(name)
            descendants = font.get("/DescendantFonts")
            descriptor = (descendants[0].get_object() if descendants else font).get("/FontDescriptor")
            stream = None
            if descriptor is not None:
                descriptor = descriptor.get_object()
                stream = next((descriptor[k] for k in ("/FontFile2", "/FontFile3", "/FontFile") if k in descriptor),
                              None)
            yield name, stream.get_object().get_data() if stream is not None else None


def assert_fonts_embedded_with_every_glyph(data: bytes) -> None:
    """pdffonts says every font is embedded (or, without poppler, each has its font file); and every character
    of the text is in an embedded font's cmap with a drawn glyph — no empty box anywhere."""
    if shutil.which("pdffonts"):
        rows = subprocess.run(["pdffonts", "-"], input=data, capture_output=True, check=True).stdout.decode()
        fonts = rows.splitlines()[2:]
        assert fonts and all(re.search(r"\byes\s+yes\s+yes\b", row) for row in fonts), rows
    from fontTools.ttLib import TTFont

    glyphs: dict[str, bool] = {}
    for name, file in _embedded_fonts(data):
        assert file is not None, f"{name} is not embedded"
        font = TTFont(io.BytesIO(file))
        glyf = font["glyf"]
        for code, glyph in font.getBestCmap().items():
            drawn = glyph != ".notdef" and (glyf[glyph].numberOfContours != 0 or chr(code).isspace())
            glyphs[chr(code)] = glyphs.get(chr(code), False) or drawn
    text = pdf_text(data)
    missing = sorted({c for c in text if not c.isspace() and not glyphs.get(c)})
    assert not missing, f"characters without a glyph: {missing}"
    assert sum(1 for c in text if "가" <= c <= "힣") > 300


# -- the model ---------------------------------------------------------------------------------------------------

async def test_the_model_holds_the_reports_figures(db_url: str) -> None:
    """On SQLite and on PostgreSQL (with TEST_DATABASE_URL)."""
    await migrate_and_seed(db_url, demo=True)
    report = await _report(db_url)
    assert report.as_of == AS_OF and report.period == (date(2018, 7, 1), AS_OF)
    assert [f.title for f in report.functions.items] == [
        "시정 성과 극대화를 위한 정책 지원", "시민 중심 시장 일정기획 및 시정 메시지 지원",
        "시의회 및 국내·외 기관 소통·협력의 가교 역할"]
    staffing = report.staffing
    assert (staffing.authorized, staffing.filled, staffing.as_of) == (19, 19, date(2018, 7, 10))
    assert [(name, sum(g.authorized for g in grades)) for name, grades in staffing.categories()] == [
        ("일반직", 6), ("별정직", 13)]
    assert report.budget is not None
    summary = report.budget.summary
    total = summary.total
    assert (total.budget, total.spent, total.left, total.payments) == (357_200_000, 118_575_000, 238_625_000, 243)
    assert [(r.name, r.budget, r.spent, r.left) for r in summary.lines] == [
        ("기관운영업무추진비", 277_200_000, 84_196_000, 193_004_000),
        ("시책추진업무추진비", 80_000_000, 34_379_000, 45_621_000)]
    assert [(r.spent, r.payments) for r in summary.fields] == [(17_291_000, 30), (101_284_000, 213), (0, 0)]
    assert report.budget.as_of == AS_OF
    counts = [(c.scope, c.areas, c.core_pledges, c.sub_projects) for c in report.pledges.reported]
    assert counts == [("전체", 12, 66, 242), ("정책대상", 6, 18, 57), ("정책영역", 6, 48, 185)]
    assert report.pledges.detail is None  # the report gives totals only; the detail comes with an import
    assert len(report.fieldwork.districts) == 25 and report.fieldwork.visits.total == 0
    assert report.fieldwork.unvisited == report.fieldwork.districts
    titles = [i.title for i in report.agenda.dated + report.agenda.month_only]
    assert any("시민투표" in t for t in titles) and any("델리" in t for t in titles)
    assert all(i.precision == "month" for i in report.agenda.month_only)
    assert all(i.start.date() >= AS_OF for i in report.agenda.dated)
    assert report.facts and all(f.source and f.as_of <= AS_OF for f in report.facts)
    assert pickle.loads(pickle.dumps(report)) == report  # rendered in a worker process


def test_the_default_period_is_the_as_of_dates_month() -> None:
    assert default_period(date(2018, 7, 20)) == (date(2018, 7, 1), date(2018, 7, 20))
    assert default_period(date(2018, 8, 1)) == (date(2018, 8, 1), date(2018, 8, 1))


@pytest.fixture
def pledge_sample() -> bytes:
    return Path("storage/seed_data/pledges_sample.csv").read_bytes()


async def test_imported_pledges_and_logged_visits_fill_their_sections(sqlite_url: str, pledge_sample: bytes
                                                                      ) -> None:
    async with make_harness(make_config(sqlite_url)) as harness:
        await harness.upload(ADMIN_ID, "pledges_sample.csv", pledge_sample)
        calls = await harness.send(ADMIN_ID, "7월 16일 마포구 망원시장 다녀왔음")
        await harness.tap(ADMIN_ID, calls, "확인")
        calls = await harness.send(ADMIN_ID, "어제 상임위원장 간담회 했음 안건 추경, 후속 자료 제출 7/27")
        await harness.tap(ADMIN_ID, calls, "확인")
        report = await work_report_for(harness.runtime)
    detail = report.pledges.detail
    assert detail is not None and detail.sub_projects == 10 and round(detail.average_progress, 1) == 42.0
    assert dict(detail.by_status) == {"정상추진": 6, "지연": 1, "완료": 1, "보류": 1, "미착수": 1}
    assert [(p.code, p.note) for p in detail.late] == [("T01-2-02", "부지 협의 지연")] and detail.late_total == 1
    work = report.fieldwork
    assert (work.visits.total, dict(work.visits.by_district)) == (1, {"마포구": 1})
    assert work.meetings.total == 1 and "마포구" not in work.unvisited and len(work.unvisited) == 24
    assert [(f.what, f.due) for f in work.follow_ups] == [("자료 제출", date(2018, 7, 27))]
    text = pdf_text(render(report, "pdf"))
    assert figures_after(text, "세부사업 추진 현황", "계", count=7) == ["10", "6", "1", "1", "1", "1", "42.0"]
    assert "T01-2-02" in text and "부지 협의 지연" in text and "자료 제출" in text
    assert figures_after(text, "자치구별", "마포구", count=2) == ["1", "0"]


# -- the PDF -----------------------------------------------------------------------------------------------------

async def test_the_pdf_shows_the_reports_figures_exactly(demo_url: str) -> None:
    data = render(await _report(demo_url), "pdf")
    assert data.startswith(b"%PDF-")
    text = pdf_text(data)
    assert figures_after(text, "과목별 집행현황", "계", count=3) == ["357,200", "118,575", "238,625"]
    assert figures_after(text, "과목별 집행현황", "기관운영업무추진비", count=3) == ["277,200", "84,196", "193,004"]
    assert figures_after(text, "과목별 집행현황", "시책추진업무추진비", count=3) == ["80,000", "34,379", "45,621"]
    assert figures_after(text, "분야별 집행내역", "직원격려", count=2) == ["17,291", "30"]
    assert figures_after(text, "분야별 집행내역", "회의·간담회", count=2) == ["101,284", "213"]
    assert "30건" in text and "213건" in text and "243건" in text and "단위: 천원" in text
    assert figures_after(text, "인력 현황", "정원", count=1) == ["19"]
    assert figures_after(text, "인력 현황", "현원", count=1) == ["19"]
    assert figures_after(text, "공약 구성", "계", count=3) == ["12", "66", "242"]
    assert figures_after(text, "공약 구성", "정책대상별", count=3) == ["6", "18", "57"]
    assert figures_after(text, "공약 구성", "정책영역별", count=3) == ["6", "48", "185"]
    assert "2018. 7. 20. 기준" in text and "'18.7.20. 기준" in text  # the as-of date, in the footer and the budget
    assert re.search(r"- ?1 ?/ ?\d+ ?-", text)  # page numbers
    assert "9월 중(예정)" in text and "미방문 자치구 (25개)" in text
    assert "출처" in text and "2018.7 주요업무 보고" in text
    assert_fonts_embedded_with_every_glyph(data)


async def test_a_confirmed_spending_entry_is_in_the_regenerated_report(sqlite_url: str) -> None:
    async with make_harness(make_config(sqlite_url)) as harness:
        before = pdf_text(render(await work_report_for(harness.runtime), "pdf"))
        await _spend(harness)
        report = await work_report_for(harness.runtime)
    assert report.as_of == AS_OF and report.budget is not None
    lines = {r.name: r for r in report.budget.summary.lines}
    assert (lines["기관운영업무추진비"].spent, lines["기관운영업무추진비"].left) == (85_196_000, 192_004_000)
    assert (report.budget.summary.fields[0].spent, report.budget.summary.fields[0].payments) == (18_291_000, 31)
    assert figures_after(before, "과목별 집행현황", "기관운영업무추진비", count=3) == ["277,200", "84,196", "193,004"]
    text = pdf_text(render(report, "pdf"))
    assert figures_after(text, "과목별 집행현황", "기관운영업무추진비", count=3) == ["277,200", "85,196", "192,004"]
    assert figures_after(text, "과목별 집행현황", "계", count=3) == ["357,200", "119,575", "237,625"]
    assert figures_after(text, "분야별 집행내역", "직원격려", count=2) == ["18,291", "31"]
    assert "이후 기록 1건" in text


async def _spend(harness: Harness) -> None:
    calls = await harness.send(ADMIN_ID, "지출 100만원 기관운영 직원격려 7/20 격려 다과")
    await harness.tap(ADMIN_ID, calls, "확인")


async def test_an_empty_database_makes_a_report_that_says_so(sqlite_url: str) -> None:
    from bot.database import migrate

    await migrate(sqlite_url)
    report = await _report(sqlite_url)
    assert report.budget is None and not report.staffing.grades and not report.pledges.reported
    text = pdf_text(render(report, "pdf"))
    for said in ("등록된 인력 현황이 없습니다", "등록된 업무추진비 예산이 없습니다", "보고된 공약 수치가 없습니다",
                 "등록된 자치구가 없습니다", "등록된 일정이 없습니다", "등록된 자료가 없습니다"):
        assert said in text
    assert "기준일 없음" not in text


async def test_characters_no_font_has_are_never_empty_boxes(demo_url: str) -> None:
    report = await _report(demo_url)
    odd = FollowUpLine("☐ 자료 제출 ｢🙂｣ 확인", date(2018, 7, 27), False)
    data = render(dataclasses.replace(report, fieldwork=dataclasses.replace(report.fieldwork, follow_ups=(odd,))),
                  "pdf")
    text = pdf_text(data)
    assert "☐ 자료 제출 ??? 확인" in text  # DejaVu draws what NanumGothic lacks; what neither has is a '?'
    assert_fonts_embedded_with_every_glyph(data)


async def test_the_worker_renders_the_same_report(demo_url: str) -> None:
    report = await _report(demo_url)
    workers.set_mode("process")
    try:
        data = await render_in_worker(report, "pdf")
        assert workers.stats.last_pid != os.getpid()
    finally:
        workers.shutdown()
        workers.reset_mode()
    assert figures_after(pdf_text(data), "과목별 집행현황", "계", count=3) == ["357,200", "118,575", "238,625"]


# -- the command -------------------------------------------------------------------------------------------------

def test_the_command_writes_the_pdf(tmp_path: Path, demo_url: str) -> None:
    result = run_cli(tmp_path, "report", "--as-of", "2018-07-20", "--db", demo_url)
    assert result.returncode == 0, result.stderr
    out = tmp_path / "주요업무보고_2018-07-20.pdf"
    assert str(out.name) in result.stdout and "2018.7.20. 기준" in result.stdout
    text = pdf_text(out.read_bytes())
    assert figures_after(text, "과목별 집행현황", "계", count=3) == ["357,200", "118,575", "238,625"]
    chosen = tmp_path / "r.pdf"
    result = run_cli(tmp_path, "report", "--format", "pdf", "--out", str(chosen), "--db", demo_url)
    assert result.returncode == 0, result.stderr
    assert figures_after(pdf_text(chosen.read_bytes()), "공약 구성", "계", count=3) == ["12", "66", "242"]


def test_the_command_with_nothing_configured_reports_the_demo_database(tmp_path: Path) -> None:
    """On a fresh checkout (no config file, no DATABASE_URL) the command reads the demo database as `chat` does,
    as of the demo clock's day, so the README's example gives the report's own figures."""
    result = run_cli(tmp_path, "report", "--format", "pdf", "--out", "r.pdf")
    assert result.returncode == 0, result.stderr
    assert "데모 DB" in result.stdout and "2018.7.20. 기준" in result.stdout
    text = pdf_text((tmp_path / "r.pdf").read_bytes())
    assert figures_after(text, "과목별 집행현황", "계", count=3) == ["357,200", "118,575", "238,625"]
    assert (tmp_path / "data" / "demo.db").exists() and not (tmp_path / "data" / "secretariat.db").exists()
    configured = run_cli(tmp_path, "report", "--out", "c.pdf", env={"DATABASE_URL": "sqlite:///data/mine.db"})
    assert configured.returncode == 0, configured.stderr
    assert "데모 DB" not in configured.stdout and (tmp_path / "data" / "mine.db").exists()


def test_a_bad_as_of_date_is_refused_in_korean(tmp_path: Path, sqlite_url: str) -> None:
    for bad in ("2018-13-01", "어제", "1999-01-01"):
        result = run_cli(tmp_path, "report", "--as-of", bad, "--db", sqlite_url)
        assert result.returncode == 2, result.stderr
        assert "--as-of" in result.stderr and "YYYY-MM-DD" in result.stderr and "Traceback" not in result.stderr
    assert not list(tmp_path.glob("주요업무보고_*"))



def _pgm(data: bytes) -> tuple[int, int, bytes]:
    """A binary PGM (P5, 8-bit) as pdftoppm -gray writes it: width, height, pixels."""
    fields: list[bytes] = []
    at = 0
    while len(fields) < 4:
        while data[at:at + 1].isspace():
            at += 1
        end = at
        while not data[end:end + 1].isspace():
            end += 1
        fields.append(data[at:end])
        at = end
    width, height = int(fields[1]), int(fields[2])
    return width, height, data[at + 1:at + 1 + width * height]


def _page_images(pdf: bytes, folder: Path, dpi: int) -> list[bytes]:
    (folder / "r.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-gray", "-r", str(dpi), str(folder / "r.pdf"), str(folder / "page")], check=True)
    return [page.read_bytes() for page in sorted(folder.glob("page-*.pgm"))]


async def test_every_page_keeps_its_ink_inside_the_margins(tmp_path: Path, sqlite_url: str, pledge_sample: bytes
                                                           ) -> None:
    """Each page rendered to an image (pdftoppm): nothing is drawn within 6 mm of the paper's edge, so no table,
    chart or line runs off the page; and every page holds something besides its footer."""
    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm (Debian's poppler-utils) is not installed: .ci/run installs it where it can")
    async with make_harness(make_config(sqlite_url)) as harness:  # a fuller report: pledges, visits, follow-ups
        await harness.upload(ADMIN_ID, "pledges_sample.csv", pledge_sample)
        calls = await harness.send(ADMIN_ID, "7월 16일 마포구 망원시장 다녀왔음")
        await harness.tap(ADMIN_ID, calls, "확인")
        report = await work_report_for(harness.runtime)
    dpi = 40
    pages = _page_images(render(report, "pdf"), tmp_path, dpi)
    assert len(pages) >= 4
    edge = round(6 / 25.4 * dpi)
    for number, page in enumerate(pages, start=1):
        width, height, pixels = _pgm(page)
        assert (width, height) == (round(210 / 25.4 * dpi), round(297 / 25.4 * dpi))  # A4

        def inked(x: int, y: int, pixels: bytes = pixels, width: int = width) -> bool:
            return pixels[y * width + x] < 200

        border = [(x, y) for y in range(height) for x in range(width)
                  if x < edge or x >= width - edge or y < edge or y >= height - edge]
        assert not any(inked(x, y) for x, y in border), f"page {number}: ink at the paper's edge"
        footer = round(20 / 25.4 * dpi)
        body = sum(inked(x, y) for y in range(edge, height - footer) for x in range(edge, width - edge))
        assert body > 200, f"page {number} is (nearly) empty"
