"""The work report (주요업무 보고): its figures come from the services that answer in chat, and the files show them."""

from __future__ import annotations

import pickle
from datetime import date
from pathlib import Path

import pytest
from conftest import ADMIN_ID, REPORT_NOW, Harness, make_config, make_harness
from helpers import run_cli

from bot.database import migrate_and_seed
from bot.services.work_report import WorkReport, build_work_report, default_period, work_report_for
from storage.db import make_engine, make_sessionmaker

AS_OF = date(2018, 7, 20)


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


async def test_the_model_holds_the_reports_figures(demo_url: str) -> None:
    report = await _report(demo_url)
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


async def test_a_confirmed_spending_entry_moves_the_report(sqlite_url: str) -> None:
    async with make_harness(make_config(sqlite_url)) as harness:
        await _spend(harness)
        report = await work_report_for(harness.runtime)
    assert report.as_of == AS_OF and report.budget is not None
    lines = {r.name: r for r in report.budget.summary.lines}
    assert (lines["기관운영업무추진비"].spent, lines["기관운영업무추진비"].left) == (85_196_000, 192_004_000)
    assert (report.budget.summary.fields[0].spent, report.budget.summary.fields[0].payments) == (18_291_000, 31)


async def _spend(harness: Harness) -> None:
    calls = await harness.send(ADMIN_ID, "지출 100만원 기관운영 직원격려 7/20 격려 다과")
    await harness.tap(ADMIN_ID, calls, "확인")


def test_a_bad_as_of_date_is_refused_in_korean(tmp_path: Path, sqlite_url: str) -> None:
    for bad in ("2018-13-01", "어제", "1999-01-01"):
        result = run_cli(tmp_path, "report", "--as-of", bad, "--db", sqlite_url)
        assert result.returncode == 2, result.stderr
        assert "--as-of" in result.stderr and "YYYY-MM-DD" in result.stderr and "Traceback" not in result.stderr
    assert not list(tmp_path.glob("주요업무보고_*"))
