"""What every format of the work report writes the same way: figures in 천원 with separators, dates as the office
writes them (7.20.(금), '18.6.30. 기준), and each section's tables as rows of text. The PDF, XLSX and HWPX
renderers lay these out; none formats a figure on its own, so the three files say the same thing. A figure's text
is a :class:`Figure`, which also carries the number, so the spreadsheet stores 357200 where the PDF prints 357,200.

Figures reuse the chat's formatting (bot/present/budget.k, bot/lang/datefmt), so the report reads as the chat does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any
from unicodedata import east_asian_width

from bot.lang.datefmt import WEEKDAYS, format_day, format_span
from bot.present.budget import k, percent
from bot.services.work_report import AgendaLine, Budget, FactLine, Fieldwork, Functions, Pledges, Staffing, WorkReport

TITLE = "주요업무 보고"
OFFICE = "시장비서실"
THOUSAND_WON = "단위: 천원"
PEOPLE = "단위: 명"
NONE = "없음"
NO_DISTRICT = "자치구 미지정"
COUNT_FORMAT = "#,##0"


class Figure(str):
    """A figure as every format prints it (357,200 · 30건 · 33.2%) that also carries its number for the spreadsheet:
    `value` in the unit (357200 for 357,200 천원; a fraction for a rate), `unit` for the column's heading (천원, 건;
    empty for plain counts and rates) and the cell's Excel `number_format`. To the PDF and the HWPX it is the text."""

    value: float
    unit: str
    number_format: str

    def __new__(cls, text: str, value: float, unit: str = "", number_format: str = COUNT_FORMAT) -> Figure:
        figure = super().__new__(cls, text)
        figure.value, figure.unit, figure.number_format = value, unit, number_format
        return figure

    def __reduce__(self) -> tuple[Any, ...]:
        return Figure, (str(self), self.value, self.unit, self.number_format)


def thousand(won: int) -> str:
    """Won as the report's 천원 figure: 118,575."""
    return Figure(k(won), round(won / 1000), "천원")


def payments(count: int | None) -> str:
    return "—" if count is None else Figure(f"{count:,}건", count, "건")


def count(value: int) -> str:
    """A plain count (people, pledges, visits): 19."""
    return Figure(f"{value:,}", value)


def rate(value: float | None) -> str:
    """An execution rate as the chat writes it (33.2%); the spreadsheet keeps the fraction."""
    return "—" if value is None else Figure(percent(value), value, number_format="0.0%")


def progress(points: float, digits: int = 1) -> str:
    """Progress in percent: 42.0% (an average), 40% (one sub-project's, digits=0)."""
    return Figure(f"{points:.{digits}f}%", points / 100, number_format=f"0.{'0' * digits}%" if digits else "0%")


def display_width(text: str) -> int:
    """Columns the text takes in a fixed-width view: a Hangul syllable or a full-width sign counts two."""
    return sum(2 if east_asian_width(c) in "WF" else 1 for c in text)


def spent_with_count(won: int, count: int | None) -> str:
    """17,291 (30건)"""
    return thousand(won) if count is None else f"{thousand(won)} ({count:,}건)"


def _moment(day: date) -> datetime:
    return datetime.combine(day, time(0))


def day(value: date, reference: date) -> str:
    """7.20.(금); with the year when it is not the reference's: 2019.3.4.(월)."""
    return format_day(value, _moment(reference))


def basis(value: date | None) -> str:
    """'18.6.30. 기준, as the report heads its tables."""
    if value is None:
        return "기준일 없음"
    return f"'{value:%y}.{value.month}.{value.day}. 기준"


def full_date(value: date) -> str:
    """2018. 7. 20."""
    return f"{value.year}. {value.month}. {value.day}."


def month_title(value: date) -> str:
    """2018. 7. (the cover's date)"""
    return f"{value.year}. {value.month}."


def period_text(period: tuple[date, date], reference: date) -> str:
    first, last = period
    return f"{day(first, reference)}~{day(last, reference)}"


def when(item: AgendaLine, reference: date) -> str:
    """An agenda item's date as the chat's agenda writes it: 9.15.(토) 15:00, 9월 중(예정), … 예정."""
    return format_span(item.start, item.end, item.precision, item.tentative,  # type: ignore[arg-type]
                       now=_moment(reference).replace(tzinfo=item.start.tzinfo))


# -- the sections' tables ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Table:
    """Rows of text under a header; `totals` marks rows to set in bold (계, 총계); `numeric` the columns that
    hold figures (right-aligned); `groups`, when set, a heading row above the header: (label, columns spanned),
    a span of 1 meaning the header's cell below is the same heading (구분, 총계)."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    totals: frozenset[int] = frozenset()
    numeric: frozenset[int] = frozenset()
    note: str = ""
    groups: tuple[tuple[str, int], ...] = ()


def staffing_table(staffing: Staffing) -> Table:
    """구분 | 총계 | per category: 소계 and each grade (the category a heading above them) — 정원 and 현원 in two
    rows, as the report sets it."""
    header: list[str] = ["구분", "총계"]
    groups: list[tuple[str, int]] = [("구분", 1), ("총계", 1)]
    authorized: list[str] = ["정원", count(staffing.authorized)]
    filled: list[str] = ["현원", count(staffing.filled)]
    for category, grades in staffing.categories():
        header += ["소계", *(g.grade for g in grades)]
        groups.append((category, len(grades) + 1))
        authorized += [count(sum(g.authorized for g in grades)), *(count(g.authorized) for g in grades)]
        filled += [count(sum(g.filled for g in grades)), *(count(g.filled) for g in grades)]
    return Table(tuple(header), (tuple(authorized), tuple(filled)), numeric=frozenset(range(1, len(header))),
                 note=PEOPLE, groups=tuple(groups))


def budget_lines_table(budget: Budget) -> Table:
    """과목별: 구분 | 예산액 | 집행액 | 잔액 | 집행률 — 계 first."""
    total = budget.summary.total
    rows = [("계", thousand(total.budget or 0), thousand(total.spent), thousand(total.left or 0),
             rate(total.rate))]
    rows += [(row.name, thousand(row.budget or 0), thousand(row.spent), thousand(row.left or 0), rate(row.rate))
             for row in budget.summary.lines]
    return Table(("구분", "예산액", "집행액", "잔액", "집행률"), tuple(rows), totals=frozenset({0}),
                 numeric=frozenset({1, 2, 3, 4}), note=THOUSAND_WON)


def budget_fields_table(budget: Budget) -> Table:
    """분야별: 구분 | 집행액 | 집행건수 — 계 first."""
    total = budget.summary.total
    rows = [("계", thousand(total.spent), payments(total.payments))]
    rows += [(row.name, thousand(row.spent), payments(row.payments)) for row in budget.summary.fields]
    return Table(("집행 분야", "집행액", "집행건수"), tuple(rows), totals=frozenset({0}), numeric=frozenset({1, 2}),
                 note=THOUSAND_WON)


def budget_source(budget: Budget) -> str:
    """자료: 2018.7 주요업무 보고 (6.30. 기준) + 이후 기록 1건 — where the figures come from, as the chat says it."""
    summary = budget.summary
    opening = f"{summary.opening_date.month}.{summary.opening_date.day}."
    return f"자료: {summary.source} ({opening} 기준) + 이후 기록 {summary.logged_payments:,}건"


def pledge_counts_table(pledges: Pledges) -> Table:
    """구분 | 분야 | 핵심공약 | 세부사업 — 전체, then each axis with its example."""
    rows = []
    for reported in pledges.reported:
        label = "계" if reported.scope == "전체" else f"{reported.scope}별"
        if reported.examples:
            label += f" ({reported.examples[0]} 등)"
        rows.append((label, count(reported.areas), count(reported.core_pledges), count(reported.sub_projects)))
    totals = frozenset(i for i, c in enumerate(pledges.reported) if c.scope == "전체")
    return Table(("구분", "분야", "핵심공약", "세부사업"), tuple(rows), totals=totals,
                 numeric=frozenset({1, 2, 3}), note="단위: 개")


def pledge_status_table(pledges: Pledges) -> Table | None:
    """Once the sub-projects are imported: each area's count by status and average progress."""
    detail = pledges.detail
    if detail is None:
        return None
    statuses = [s for s, _ in detail.by_status]
    rows = [("계", count(detail.sub_projects), *(count(n) for _, n in detail.by_status),
             progress(detail.average_progress))]
    for area in detail.areas:
        counts = dict(area.by_status)
        rows.append((f"{area.axis} · {area.name}", count(area.sub_projects),
                     *(count(counts.get(s, 0)) for s in statuses), progress(area.average_progress)))
    return Table(("분야", "세부사업", *statuses, "평균진행률"), tuple(rows), totals=frozenset({0}),
                 numeric=frozenset(range(1, len(statuses) + 3)))


def late_table(pledges: Pledges) -> Table | None:
    detail = pledges.detail
    if detail is None or not detail.late:
        return None
    rows = tuple((p.code, p.title, p.department, progress(p.progress, 0), p.note or "") for p in detail.late)
    more = detail.late_total - len(detail.late)
    return Table(("코드", "세부사업", "부서", "진행률", "최근 메모"), rows, numeric=frozenset({3}),
                 note=f"외 {more}건" if more > 0 else "")


def activity_table(fieldwork: Fieldwork) -> Table:
    """자치구 | 현장방문 | 간담회·면담 — the districts with any record, then 계."""
    visits = dict(fieldwork.visits.by_district)
    meetings = dict(fieldwork.meetings.by_district)
    named = [d for d in fieldwork.districts if d in visits or d in meetings]
    named += sorted((set(visits) | set(meetings)) - set(named), key=lambda d: (not d, d))  # unnamed last
    rows = [(d or NO_DISTRICT, count(visits.get(d, 0)), count(meetings.get(d, 0))) for d in named]
    rows.append(("계", count(fieldwork.visits.total), count(fieldwork.meetings.total)))
    return Table(("자치구", "현장방문", "간담회·면담"), tuple(rows), totals=frozenset({len(rows) - 1}),
                 numeric=frozenset({1, 2}))


def kinds_table(fieldwork: Fieldwork) -> Table:
    """구분 | 유형 | 건수 — visits by category, meetings by type."""
    rows = [("현장방문", name, count(n)) for name, n in fieldwork.visits.by_category]
    rows += [("간담회·면담", name, count(n)) for name, n in fieldwork.meetings.by_category]
    return Table(("구분", "유형", "건수"), tuple(rows), numeric=frozenset({2}))


def follow_up_table(fieldwork: Fieldwork, reference: date) -> Table:
    rows = tuple((f.what, day(f.due, reference) if f.due else "기한 없음", "기한 지남" if f.overdue else "진행 중")
                 for f in fieldwork.follow_ups)
    return Table(("후속조치", "기한", "상태"), rows)


def agenda_table(items: Sequence[AgendaLine], reference: date) -> Table:
    """일시 | 일정 — or 시기 | 일정 for the month-only items (9월 중(예정))."""
    rows = tuple((when(i, reference), i.title + (f" ({i.place})" if i.place else "")) for i in items)
    dated = any(i.precision != "month" for i in items)
    return Table(("일시" if dated else "시기", "일정"), rows)


def functions_table(functions: Functions) -> Table:
    """주요 기능 | 내용 — the office's main functions."""
    return Table(("주요 기능", "내용"), tuple((f.title, f.detail) for f in functions.items))


def facts_table(facts: Sequence[FactLine], reference: date) -> Table:
    """항목 | 내용 | 출처 | 기준일 — the facts that still stand."""
    return Table(("항목", "내용", "출처", "기준일"), tuple((f.topic, f.answer, f.source, day(f.as_of, reference))
                                                   for f in facts))


def report_heading(report: WorkReport) -> str:
    """기준일 2018. 7. 20.(금) · 현장방문·간담회 7.1.(일)~7.20.(금) · 작성 7.20.(금) 10:00"""
    made = report.generated_at
    return (f"기준일 {full_date(report.as_of)}({WEEKDAYS[report.as_of.weekday()]}) · 현장방문·간담회 "
            f"{period_text(report.period, report.as_of)} · 작성 {day(made.date(), report.as_of)} {made:%H:%M}")
