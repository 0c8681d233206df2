"""The office's work report (주요업무 보고) as data: every section's figures, read from the same services and storage
queries that answer in chat, as one frozen, picklable tree (bot/report renders it in a worker process).

Structure, after the July 2018 report: Ⅰ 일반현황 — 주요기능, 조직·인력, 예산 집행현황; Ⅱ 주요업무 — 공약,
현장방문·간담회 of the period, 주요 일정 ahead, and the facts that still stand. The period defaults to the as-of
date's month, from its 1st to the as-of date. No Telegram here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import SEOUL
from bot.domain.agenda import Window, ordered
from bot.domain.budget import MonthPoint, Summary
from bot.domain.pledges import AXES, Reported, Tally
from bot.services import budget as budgeting
from bot.services.agenda import collect
from bot.services.fact_catalogue import read_catalogue
from bot.services.fieldwork import follow_up_text
from bot.services.pledges import dashboard
from storage import fieldwork, pledges, staffing

if TYPE_CHECKING:
    from bot.config import Config
    from bot.runtime import Runtime

LATE_LIMIT = 30  # late sub-projects listed (the count says how many there are in all)
FOLLOW_UP_LIMIT = 30
AGENDA_LIMIT = 60
FUNCTIONS_KEY = "functions"  # the fact holding 주요 기능 (storage/seed_data/facts_2018_07.toml)
_NUMBERED = re.compile(r"^\s*\d+\.\s*(.+)$")


@dataclass(frozen=True)
class ReportSettings:
    """What the report reads from the configuration: the pledge statuses in order, which one is late, when a fact
    is too old to stand, and the zone of the agenda."""

    statuses: tuple[str, ...] = ("정상추진", "지연", "완료", "보류", "미착수")
    late_status: str = "지연"
    stale_after_days: int = 365
    tz: Any = SEOUL

    @classmethod
    def from_runtime(cls, runtime: Runtime) -> ReportSettings:
        return cls(runtime.pledge_statuses, runtime.pledge_late_status, runtime.fact_stale_days, runtime.tz)

    @classmethod
    def from_config(cls, config: Config) -> ReportSettings:
        return cls(tuple(config.pledges.statuses), config.pledges.late_status, config.facts.stale_after_days,
                   config.schedule.tz)


# -- Ⅰ 일반현황 ------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Function:
    """One of the office's main functions: its heading and what it covers."""

    title: str
    detail: str


@dataclass(frozen=True)
class Functions:
    items: tuple[Function, ...]
    source: str
    as_of: date | None


@dataclass(frozen=True)
class Grade:
    category: str  # 일반직 | 별정직
    grade: str  # 5급, 4급상당 …
    authorized: int  # 정원
    filled: int  # 현원


@dataclass(frozen=True)
class Staffing:
    as_of: date | None
    source: str
    grades: tuple[Grade, ...]

    @property
    def authorized(self) -> int:
        return sum(g.authorized for g in self.grades)

    @property
    def filled(self) -> int:
        return sum(g.filled for g in self.grades)

    def categories(self) -> tuple[tuple[str, tuple[Grade, ...]], ...]:
        """The grades by category, in the table's order."""
        names = list(dict.fromkeys(g.category for g in self.grades))
        return tuple((name, tuple(g for g in self.grades if g.category == name)) for name in names)


@dataclass(frozen=True)
class Budget:
    """The budget as the chat shows it (bot.services.budget.summary): lines and fields in won, the as-of date
    the figures count to, and the monthly trend against a linear plan for the chart."""

    summary: Summary
    trend: tuple[MonthPoint, ...]

    @property
    def as_of(self) -> date:
        return self.summary.as_of


# -- Ⅱ 주요업무 ------------------------------------------------------------------------------------------------

PledgeCount = Reported  # a reported total: scope (전체 | 정책대상 | 정책영역), areas, core pledges, sub-projects


@dataclass(frozen=True)
class AreaLine:
    axis: str
    name: str
    sub_projects: int
    by_status: tuple[tuple[str, int], ...]
    average_progress: float


@dataclass(frozen=True)
class LateProject:
    code: str
    title: str
    department: str
    progress: int
    note: str | None  # its latest note (a 비고 imported or a 메모 typed)


@dataclass(frozen=True)
class PledgeDetail:
    """Present once sub-projects are imported: counts by status (in the configured order), average progress, the
    areas, and the late sub-projects (the first LATE_LIMIT of `late_total`)."""

    sub_projects: int
    by_status: tuple[tuple[str, int], ...]
    average_progress: float
    areas: tuple[AreaLine, ...]
    late_status: str
    late: tuple[LateProject, ...]
    late_total: int


@dataclass(frozen=True)
class Pledges:
    as_of: date | None  # of the reported totals
    source: str
    reported: tuple[PledgeCount, ...]  # 전체 first, then each axis
    detail: PledgeDetail | None

    def scope(self, name: str) -> PledgeCount | None:
        return next((r for r in self.reported if r.scope == name), None)


@dataclass(frozen=True)
class Activity:
    """Visits or meetings of the period: counts by district and by category (meeting type)."""

    total: int
    by_district: tuple[tuple[str, int], ...]
    by_category: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class FollowUpLine:
    what: str  # as the chat writes it (what, owner, due)
    due: date | None
    overdue: bool


@dataclass(frozen=True)
class Fieldwork:
    first: date
    last: date
    visits: Activity
    meetings: Activity
    districts: tuple[str, ...]  # every district, in order
    unvisited: tuple[str, ...]  # no visit in the period
    follow_ups: tuple[FollowUpLine, ...]  # open, the earliest due first


@dataclass(frozen=True)
class AgendaLine:
    start: datetime
    end: datetime | None
    precision: str  # minute | day | month
    tentative: bool  # 예정
    title: str
    kind: str  # event | visit | meeting | followup
    place: str | None


@dataclass(frozen=True)
class Agenda:
    first: date
    last: date
    dated: tuple[AgendaLine, ...]
    month_only: tuple[AgendaLine, ...]  # dates still to be fixed


@dataclass(frozen=True)
class FactLine:
    topic: str
    answer: str
    source: str
    as_of: date


@dataclass(frozen=True)
class WorkReport:
    as_of: date
    period: tuple[date, date]
    generated_at: datetime
    functions: Functions
    staffing: Staffing
    budget: Budget | None  # None: no budget book stored
    pledges: Pledges
    fieldwork: Fieldwork
    agenda: Agenda
    facts: tuple[FactLine, ...] = field(default=())


# -- building it ------------------------------------------------------------------------------------------------

def default_period(as_of: date) -> tuple[date, date]:
    """The as-of date's month, from its 1st to the as-of date."""
    return as_of.replace(day=1), as_of


def _functions(facts: Sequence[Any]) -> Functions:
    fact = next((f for f in facts if f.key == FUNCTIONS_KEY), None)
    if fact is None:
        return Functions((), "", None)
    items = []
    for line in fact.answer.splitlines():
        if (numbered := _NUMBERED.match(line)) is not None:
            title, _, detail = numbered.group(1).partition(" — ")
            items.append(Function(title.strip(), detail.strip()))
    return Functions(tuple(items), fact.source, fact.as_of)


def _standing(facts: Sequence[Any], as_of: date, stale_days: int) -> tuple[FactLine, ...]:
    """Facts known by the as-of date and not older than facts.stale_after_days; the ones the report shows as tables
    of their own (주요 기능, and facts answered from the staffing or budget tables) are left out."""
    return tuple(FactLine(f.topic, f.answer, f.source, f.as_of) for f in facts
                 if f.key != FUNCTIONS_KEY and f.render is None and f.as_of <= as_of
                 and (as_of - f.as_of).days <= stale_days)


async def _staffing(session: AsyncSession) -> Staffing:
    rows = await staffing.latest(session)
    if not rows:
        return Staffing(None, "", ())
    return Staffing(rows[0].as_of, rows[0].source,
                    tuple(Grade(r.category, r.grade, r.authorized, r.filled) for r in rows))


async def _budget(session: AsyncSession, as_of: date) -> Budget | None:
    book = await budgeting.open_book(session, as_of)
    if book is None:
        return None
    day = budgeting.clamp_as_of(book, as_of)
    summary = await budgeting.summary(session, book, day)
    return Budget(summary, tuple(await budgeting.trend(session, book, day)))


def _statuses(tally: Tally, order: Sequence[str]) -> tuple[tuple[str, int], ...]:
    known = [(s, tally.by_status[s]) for s in order if tally.by_status.get(s)]
    others = [(s, n) for s, n in tally.by_status.items() if s not in order and n]
    return tuple(known + others)


async def _pledges(session: AsyncSession, settings: ReportSettings) -> Pledges:
    board = await dashboard(session)
    reports = await pledges.reports(session)
    reported = tuple(board.reported)
    as_of, source = (reports[0].as_of, reports[0].source) if reports else (None, "")
    if not board.imported:
        return Pledges(as_of, source, reported, None)
    late_rows, late_total = await pledges.subs_where(session, 0, LATE_LIMIT, status=settings.late_status)
    late = tuple([LateProject(s.code, s.title, s.department, s.progress, await pledges.last_remark(session, s.id))
                  for s in late_rows])
    areas = tuple(AreaLine(axis, name, tally.sub_projects, _statuses(tally, settings.statuses),
                           tally.average_progress)
                  for axis, name, tally in sorted(board.by_area.values(), key=lambda a: AXES.index(a[0])
                                                  if a[0] in AXES else len(AXES)))
    detail = PledgeDetail(board.total.sub_projects, _statuses(board.total, settings.statuses),
                          board.total.average_progress, areas, settings.late_status, late, late_total)
    return Pledges(as_of, source, reported, detail)


def _activity(tally: fieldwork.Tally, districts: Sequence[str]) -> Activity:
    order = {name: i for i, name in enumerate(districts)}
    by_district = sorted(tally.by_district.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0]))
    by_category = sorted(tally.by_category.items(), key=lambda kv: (-kv[1], kv[0]))
    return Activity(tally.total, tuple(by_district), tuple(by_category))


async def _fieldwork(session: AsyncSession, first: date, last: date, as_of: date) -> Fieldwork:
    districts = tuple(await fieldwork.districts(session))
    visits = await fieldwork.tally(session, "visit", first, last)
    meetings = await fieldwork.tally(session, "meeting", first, last)
    open_items = await fieldwork.open_follow_ups(session, limit=FOLLOW_UP_LIMIT)
    follow_ups = tuple(FollowUpLine(follow_up_text(f), f.due, f.due is not None and f.due < as_of)
                       for f in open_items)
    unvisited = tuple(d for d in districts if not visits.by_district.get(d))
    return Fieldwork(first, last, _activity(visits, districts), _activity(meetings, districts), districts,
                     unvisited, follow_ups)


async def _agenda(session: AsyncSession, as_of: date, tz: Any) -> Agenda:
    """The team's agenda from the as-of date to the year's end (the items every member sees; no one's own)."""
    last = date(as_of.year, 12, 31)
    window = Window(datetime.combine(as_of, time(0), tzinfo=tz),
                    datetime.combine(last + timedelta(days=1), time(0), tzinfo=tz), "주요 일정")
    dated, month_only = ordered(await collect(session, window, None))

    def line(item: Any) -> AgendaLine:
        return AgendaLine(item.start, item.end, item.precision, item.tentative, item.title, item.kind, item.place)

    return Agenda(as_of, last, tuple(line(i) for i in dated[:AGENDA_LIMIT]),
                  tuple(line(i) for i in month_only[:AGENDA_LIMIT]))


async def build_work_report(session: AsyncSession, as_of: date, period: tuple[date, date] | None = None, *,
                            settings: ReportSettings | None = None, now: datetime | None = None) -> WorkReport:
    """The report as of `as_of` (budget figures count to that day, clamped to the year's ledger), with the field
    work of `period` (default: the as-of date's month up to the as-of date)."""
    settings = settings or ReportSettings()
    first, last = period or default_period(as_of)
    catalogue = await read_catalogue(session)
    return WorkReport(
        as_of=as_of,
        period=(first, last),
        generated_at=now or datetime.now(settings.tz),
        functions=_functions(catalogue.facts),
        staffing=await _staffing(session),
        budget=await _budget(session, as_of),
        pledges=await _pledges(session, settings),
        fieldwork=await _fieldwork(session, first, last, as_of),
        agenda=await _agenda(session, as_of, settings.tz),
        facts=_standing(catalogue.facts, as_of, settings.stale_after_days),
    )


async def work_report_for(runtime: Runtime, as_of: date | None = None, period: tuple[date, date] | None = None
                          ) -> WorkReport:
    """The report for the chat and the monthly push: as of today (the runtime's clock) unless told."""
    now = runtime.now()
    async with runtime.sessionmaker() as session:
        return await build_work_report(session, as_of or now.date(), period,
                                       settings=ReportSettings.from_runtime(runtime), now=now)
