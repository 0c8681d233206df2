"""The work report as an outline of blocks — parts, numbered sections, subheadings, paragraphs and tables — in the
order and with the wording of the PDF, for the renderers that lay out text and tables without drawing charts: the
XLSX (a sheet per section) and the HWPX (headings, paragraphs and tables). The figures and dates come from
bot/report/korean.py, so every format says the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from bot.report import korean as kr
from bot.services.work_report import WorkReport

Tone = Literal["body", "strong", "note"]


@dataclass(frozen=True)
class Text:
    """A paragraph; `indent` in levels (0, 1, 2)."""

    text: str
    tone: Tone = "body"
    indent: int = 0


@dataclass(frozen=True)
class Subheading:
    text: str


@dataclass(frozen=True)
class TableBlock:
    """A table under its title (a subheading kept with it), its unit above it."""

    table: kr.Table
    title: str = ""


Block = Text | Subheading | TableBlock


@dataclass(frozen=True)
class Section:
    """Ⅰ-3 예산 집행현황: `number` within its part, `heading` as the report heads it (with its basis), `sheet` the
    spreadsheet's tab (≤ 31 characters, none of []:*?/\\)."""

    number: int
    heading: str
    sheet: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Part:
    title: str  # Ⅰ. 일반 현황
    sections: tuple[Section, ...]


GENERAL = "Ⅰ. 일반 현황"
WORK = "Ⅱ. 주요 업무"


def _with_basis(title: str, day: date | None, *more: str) -> str:
    """인력 현황 ('18.7.10. 기준); the title alone when the section has no date."""
    return f"{title} ({', '.join([kr.basis(day), *more])})" if day else title


def _functions(report: WorkReport) -> tuple[Block, ...]:
    if not report.functions.items:
        return (Text("등록된 주요 기능 자료가 없습니다."),)
    return (TableBlock(kr.functions_table(report.functions)),)


def _staffing(report: WorkReport) -> tuple[Block, ...]:
    if not report.staffing.grades:
        return (Text("등록된 인력 현황이 없습니다."),)
    return (TableBlock(kr.staffing_table(report.staffing)),)


def _budget(report: WorkReport) -> tuple[Block, ...]:
    budget = report.budget
    if budget is None:
        return (Text("등록된 업무추진비 예산이 없습니다."),)
    return (Text(kr.budget_source(budget), "note", 1),
            TableBlock(kr.budget_lines_table(budget), "과목별 집행현황(시장 업무추진비)"),
            TableBlock(kr.budget_fields_table(budget), "분야별 집행내역"))


def _pledges(report: WorkReport) -> tuple[Block, ...]:
    pledges = report.pledges
    blocks: list[Block] = []
    if pledges.reported:
        blocks.append(TableBlock(kr.pledge_counts_table(pledges), "공약 구성 (보고 수치)"))
    else:
        blocks.append(Text("보고된 공약 수치가 없습니다.", indent=1))
    detail = pledges.detail
    status = kr.pledge_status_table(pledges)
    if detail is None or status is None:
        blocks.append(Text("세부사업 자료는 아직 없습니다. 공약 파일을 가져오면 상태별 현황·평균 진행률·지연 사업을 "
                           "싣습니다.", "note"))
        return tuple(blocks)
    whole = pledges.scope("전체")
    of = f" / 보고 {whole.sub_projects}개" if whole else ""
    blocks.append(TableBlock(status, f"세부사업 추진 현황 (가져온 세부사업 {detail.sub_projects}개{of}, 평균 진행률 "
                                     f"{detail.average_progress:.1f}%)"))
    late = kr.late_table(pledges)
    title = f"{detail.late_status} 세부사업 ({detail.late_total}개)"
    if late is None:
        blocks += [Subheading(title), Text(f"{detail.late_status} 상태인 세부사업이 없습니다.", indent=1)]
    else:
        blocks.append(TableBlock(late, title))
    return tuple(blocks)


def _fieldwork(report: WorkReport) -> tuple[Block, ...]:
    work = report.fieldwork
    visited = sum(1 for name, _ in work.visits.by_district if name)
    blocks: list[Block] = [Text(f"현장방문 {work.visits.total}건({visited}개 자치구) · 간담회·면담 "
                                f"{work.meetings.total}건")]
    if work.visits.total or work.meetings.total:
        blocks += [TableBlock(kr.activity_table(work), "자치구별"), TableBlock(kr.kinds_table(work), "유형별")]
    if not work.districts:
        unvisited = "등록된 자치구가 없습니다."
    else:
        unvisited = " · ".join(work.unvisited) if work.unvisited else "없음 (모든 자치구를 방문했습니다)"
    blocks += [Subheading(f"미방문 자치구 ({len(work.unvisited)}개)"), Text(unvisited, indent=1)]
    title = f"미완료 후속조치 ({len(work.follow_ups)}건)"
    if work.follow_ups:
        blocks.append(TableBlock(kr.follow_up_table(work, report.as_of), title))
    else:
        blocks += [Subheading(title), Text("미완료 후속조치가 없습니다.", indent=1)]
    return tuple(blocks)


def _agenda(report: WorkReport) -> tuple[Block, ...]:
    agenda = report.agenda
    blocks: list[Block] = []
    if agenda.dated:
        blocks.append(TableBlock(kr.agenda_table(agenda.dated, report.as_of), "날짜가 정해진 일정"))
    if agenda.month_only:
        blocks.append(TableBlock(kr.agenda_table(agenda.month_only, report.as_of), "날짜 미정 (월만 정해짐, 예정)"))
    return tuple(blocks) or (Text("등록된 일정이 없습니다.", indent=1),)


def _facts(report: WorkReport) -> tuple[Block, ...]:
    if not report.facts:
        return (Text("등록된 자료가 없습니다.", indent=1),)
    return (TableBlock(kr.facts_table(report.facts, report.as_of)),)


def outline(report: WorkReport) -> tuple[Part, ...]:
    """Ⅰ 일반 현황 (주요 기능, 인력 현황, 예산 집행현황) and Ⅱ 주요 업무 (공약, 현장방문·간담회, 주요 일정,
    보고 자료)."""
    staffing, budget, pledges, agenda = report.staffing, report.budget, report.pledges, report.agenda
    period = kr.period_text(report.period, report.as_of)
    general = (
        Section(1, "주요 기능", "Ⅰ-1 주요기능", _functions(report)),
        Section(2, _with_basis("인력 현황", staffing.as_of), "Ⅰ-2 조직·인력",
                _staffing(report)),
        Section(3, _with_basis("예산 집행현황", budget.as_of if budget else None, kr.THOUSAND_WON),
                "Ⅰ-3 예산 집행현황", _budget(report)),
    )
    work = (
        Section(1, _with_basis("민선7기 공약 관리", pledges.as_of), "Ⅱ-1 공약",
                _pledges(report)),
        Section(2, f"현장방문·간담회 ({period})", "Ⅱ-2 현장방문·간담회", _fieldwork(report)),
        Section(3, f"주요 일정 ({kr.day(agenda.first, report.as_of)}~{kr.day(agenda.last, report.as_of)})",
                "Ⅱ-3 주요 일정", _agenda(report)),
        Section(4, "보고 자료 (현재 유효한 자료, 출처·기준일)", "Ⅱ-4 사실", _facts(report)),
    )
    return Part(GENERAL, general), Part(WORK, work)
