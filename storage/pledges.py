"""The mayor's pledges (민선7기 공약): reported totals, areas, core pledges, sub-projects, their history.

pledge_stats (per area and status: counts, progress and budget sums) is kept in step with sub_projects in the
same transaction, so the dashboard costs the same for 242 sub-projects or 20,000.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage import audit, counters, paging
from storage.models import (
    CorePledge,
    Evaluation,
    Milestone,
    PledgeArea,
    PledgeNote,
    PledgeReport,
    PledgeStat,
    SubProject,
)


class SubProjectRecord(Protocol):
    """One imported row: a sub-project with its core pledge and area (bot.sheets.pledges.PledgeRow)."""

    @property
    def axis(self) -> str: ...
    @property
    def area_code(self) -> str: ...
    @property
    def area_name(self) -> str: ...
    @property
    def pledge_code(self) -> str: ...
    @property
    def pledge_title(self) -> str: ...
    @property
    def code(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def department(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def progress(self) -> int: ...
    @property
    def budget_year(self) -> int | None: ...
    @property
    def planned(self) -> int: ...
    @property
    def secured(self) -> int: ...
    @property
    def spent(self) -> int: ...
    @property
    def milestones(self) -> Sequence[tuple[str, date]]: ...


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int
    milestones: list[tuple[int, str, date]]  # (sub-project id, title, due) whose events are to be planned


@dataclass(frozen=True)
class AreaStat:
    area_id: int
    axis: str
    name: str
    status: str
    sub_projects: int
    progress_sum: int
    planned: int
    secured: int
    spent: int


# -- reported totals ----------------------------------------------------------------------------------

async def reports(session: AsyncSession) -> Sequence[PledgeReport]:
    """The latest reported totals, 전체 first."""
    latest = await session.scalar(select(func.max(PledgeReport.as_of)))
    if latest is None:
        return []
    return (await session.scalars(select(PledgeReport).where(PledgeReport.as_of == latest)
                                  .order_by(PledgeReport.position))).all()


async def upsert_report(session: AsyncSession, as_of: date, scope: str, areas: int, core: int, subs: int,
                        examples: list[str], source: str, position: int) -> None:
    report = await session.scalar(select(PledgeReport).where(PledgeReport.as_of == as_of,
                                                             PledgeReport.scope == scope))
    if report is None:
        report = PledgeReport(as_of=as_of, scope=scope)
        session.add(report)
    report.areas, report.core_pledges, report.sub_projects = areas, core, subs
    report.examples, report.source, report.position = examples, source, position
    await session.flush()


# -- the stats kept in step ---------------------------------------------------------------------------

async def _count(session: AsyncSession, sub: SubProject, area_id: int, sign: int) -> None:
    await counters.add_to(session, PledgeStat, {"area_id": area_id, "status": sub.status}, {
        "sub_projects": sign, "progress_sum": sign * sub.progress, "budget_planned": sign * sub.budget_planned,
        "budget_secured": sign * sub.budget_secured, "budget_spent": sign * sub.budget_spent})


async def _area_of(session: AsyncSession, sub: SubProject) -> int:
    area_id = await session.scalar(select(CorePledge.area_id).where(CorePledge.id == sub.pledge_id))
    assert area_id is not None
    return int(area_id)


async def stats(session: AsyncSession) -> list[AreaStat]:
    rows = await session.execute(
        select(PledgeStat, PledgeArea.axis, PledgeArea.name).join(PledgeArea, PledgeArea.id == PledgeStat.area_id)
        .where(PledgeStat.sub_projects != 0).order_by(PledgeArea.axis, PledgeArea.code, PledgeStat.status))
    return [AreaStat(stat.area_id, axis, name, stat.status, stat.sub_projects, stat.progress_sum,
                     stat.budget_planned, stat.budget_secured, stat.budget_spent) for stat, axis, name in rows.all()]


async def structure_counts(session: AsyncSession) -> dict[str, tuple[int, int]]:
    """Per axis: (areas, core pledges) imported."""
    rows = await session.execute(
        select(PledgeArea.axis, func.count(func.distinct(PledgeArea.id)), func.count(CorePledge.id))
        .join(CorePledge, CorePledge.area_id == PledgeArea.id, isouter=True).group_by(PledgeArea.axis))
    return {axis: (int(areas), int(pledges)) for axis, areas, pledges in rows.all()}


# -- import -------------------------------------------------------------------------------------------

def _changed(sub: SubProject, row: SubProjectRecord) -> bool:
    return (sub.title, sub.department, sub.status, sub.progress, sub.budget_year, sub.budget_planned,
            sub.budget_secured, sub.budget_spent) != (row.title, row.department, row.status, row.progress,
                                                      row.budget_year, row.planned, row.secured, row.spent)


async def _area(session: AsyncSession, row: SubProjectRecord) -> PledgeArea:
    area = await session.scalar(select(PledgeArea).where(PledgeArea.code == row.area_code))
    if area is None:
        area = PledgeArea(code=row.area_code)
        session.add(area)
    area.axis, area.name = row.axis, row.area_name
    await session.flush()
    return area


async def _pledge(session: AsyncSession, row: SubProjectRecord, area: PledgeArea) -> CorePledge:
    pledge = await session.scalar(select(CorePledge).where(CorePledge.code == row.pledge_code))
    if pledge is None:
        pledge = CorePledge(code=row.pledge_code, area_id=area.id, title=row.pledge_title)
        session.add(pledge)
        await session.flush()
        return pledge
    if pledge.area_id != area.id:  # a pledge moved to another area: its sub-projects' counts move with it
        for sub in (await session.scalars(select(SubProject).where(SubProject.pledge_id == pledge.id))).all():
            await _count(session, sub, pledge.area_id, -1)
            await _count(session, sub, area.id, +1)
        pledge.area_id = area.id
    pledge.title = row.pledge_title
    await session.flush()
    return pledge


async def apply_import(session: AsyncSession, rows: Sequence[SubProjectRecord], now: datetime,
                       actor_id: int | None) -> ImportResult:
    """Create or update by code (a re-import updates, never duplicates); history notes for what changed."""
    created = updated = unchanged = 0
    milestones: list[tuple[int, str, date]] = []
    for row in rows:
        area = await _area(session, row)
        pledge = await _pledge(session, row, area)
        sub = await session.scalar(select(SubProject).where(SubProject.code == row.code))
        if sub is None:
            sub = SubProject(code=row.code, pledge_id=pledge.id, updated_at=now)
            _fill(sub, row)
            session.add(sub)
            await session.flush()
            await _count(session, sub, area.id, +1)
            session.add(PledgeNote(sub_project_id=sub.id, at=now, by=actor_id, kind="import", after=sub.status,
                                   text=f"가져오기: {sub.status}, 진행률 {sub.progress}%"))
            created += 1
        elif _changed(sub, row) or sub.pledge_id != pledge.id:
            await _count(session, sub, await _area_of(session, sub), -1)
            before = (sub.status, sub.progress)
            sub.pledge_id = pledge.id
            _fill(sub, row)
            sub.updated_at = now
            await _count(session, sub, area.id, +1)
            session.add(PledgeNote(sub_project_id=sub.id, at=now, by=actor_id, kind="import",
                                   before=f"{before[0]} {before[1]}%", after=f"{sub.status} {sub.progress}%",
                                   text="가져오기로 갱신"))
            updated += 1
        else:
            unchanged += 1
        milestones += await _replace_milestones(session, sub, row)
        await _import_note(session, sub, getattr(row, "note", None), now, actor_id)
    await session.flush()
    await audit.record(session, at=now, actor_id=actor_id, action="pledges.import", entity="pledges",
                       entity_id="import", after={"created": created, "updated": updated, "unchanged": unchanged})
    return ImportResult(created, updated, unchanged, milestones)


async def last_remark(session: AsyncSession, sub_id: int) -> str | None:
    """The latest free-text note of a sub-project (a 비고 imported or a 메모 typed)."""
    return await session.scalar(select(PledgeNote.text).where(PledgeNote.sub_project_id == sub_id,
                                                              PledgeNote.kind == "note")
                                .order_by(PledgeNote.at.desc(), PledgeNote.id.desc()).limit(1))


async def _import_note(session: AsyncSession, sub: SubProject, note: str | None, now: datetime,
                       actor_id: int | None) -> None:
    """The file's 비고 joins the history, once (a re-import with the same remark adds nothing)."""
    if note and await last_remark(session, sub.id) != note:
        session.add(PledgeNote(sub_project_id=sub.id, at=now, by=actor_id, kind="note", text=note))


def _fill(sub: SubProject, row: SubProjectRecord) -> None:
    sub.title, sub.department, sub.status, sub.progress = row.title, row.department, row.status, row.progress
    sub.budget_year, sub.budget_planned = row.budget_year, row.planned
    sub.budget_secured, sub.budget_spent = row.secured, row.spent


async def _replace_milestones(session: AsyncSession, sub: SubProject, row: SubProjectRecord
                              ) -> list[tuple[int, str, date]]:
    """Milestones new to this sub-project (by title and date) are returned for planning."""
    known = {(m.title, m.due) for m in (await session.scalars(
        select(Milestone).where(Milestone.sub_project_id == sub.id))).all()}
    fresh = [(title, due) for title, due in row.milestones if (title, due) not in known]
    for title, due in fresh:
        session.add(Milestone(sub_project_id=sub.id, title=title, due=due))
    await session.flush()
    return [(sub.id, title, due) for title, due in fresh]


async def link_milestone_event(session: AsyncSession, sub_id: int, title: str, due: date, event_id: int) -> None:
    milestone = await session.scalar(select(Milestone).where(
        Milestone.sub_project_id == sub_id, Milestone.title == title, Milestone.due == due))
    if milestone is not None:
        milestone.event_id = event_id


# -- browsing -----------------------------------------------------------------------------------------

async def areas(session: AsyncSession, axis: str) -> Sequence[PledgeArea]:
    return (await session.scalars(select(PledgeArea).where(PledgeArea.axis == axis)
                                  .order_by(PledgeArea.code))).all()


async def area(session: AsyncSession, area_id: int) -> PledgeArea | None:
    return await session.get(PledgeArea, area_id)


async def pledge(session: AsyncSession, pledge_id: int) -> CorePledge | None:
    return await session.get(CorePledge, pledge_id)


async def pledges_of(session: AsyncSession, area_id: int, offset: int, limit: int
                     ) -> tuple[Sequence[CorePledge], int]:
    query = select(CorePledge).where(CorePledge.area_id == area_id)
    return await paging.page(session, query, (CorePledge.code,), offset, limit)


async def subs_where(session: AsyncSession, offset: int, limit: int, *, pledge_id: int | None = None,
                     status: str | None = None, ids: Sequence[int] | None = None) -> tuple[Sequence[SubProject], int]:
    query = select(SubProject)
    if pledge_id is not None:
        query = query.where(SubProject.pledge_id == pledge_id)
    if status is not None:
        query = query.where(SubProject.status == status)
    if ids is not None:
        query = query.where(SubProject.id.in_(ids))
    return await paging.page(session, query, (SubProject.code,), offset, limit)


async def sub_project(session: AsyncSession, sub_id: int) -> SubProject | None:
    return await session.get(SubProject, sub_id)


async def by_code(session: AsyncSession, code: str) -> SubProject | CorePledge | PledgeArea | None:
    wanted = code.upper()
    sub = await session.scalar(select(SubProject).where(func.upper(SubProject.code) == wanted))
    if sub is not None:
        return sub
    core = await session.scalar(select(CorePledge).where(func.upper(CorePledge.code) == wanted))
    if core is not None:
        return core
    return await session.scalar(select(PledgeArea).where(func.upper(PledgeArea.code) == wanted))


async def search_titles(session: AsyncSession, words: Sequence[str], limit: int
                        ) -> tuple[Sequence[PledgeArea], Sequence[CorePledge], Sequence[SubProject]]:
    """Areas, core pledges and sub-projects whose name or title holds every word (at most `limit` each)."""
    found_areas = (await session.scalars(
        select(PledgeArea).where(*[PledgeArea.name.contains(w) for w in words]).limit(limit))).all()
    found_pledges = (await session.scalars(
        select(CorePledge).where(*[CorePledge.title.contains(w) for w in words]).limit(limit))).all()
    found_subs = (await session.scalars(
        select(SubProject).where(*[SubProject.title.contains(w) for w in words]).limit(limit))).all()
    return found_areas, found_pledges, found_subs


async def everything(session: AsyncSession) -> list[tuple[SubProject, CorePledge, PledgeArea]]:
    rows = await session.execute(
        select(SubProject, CorePledge, PledgeArea).join(CorePledge, CorePledge.id == SubProject.pledge_id)
        .join(PledgeArea, PledgeArea.id == CorePledge.area_id).order_by(PledgeArea.code, CorePledge.code,
                                                                          SubProject.code))
    return [(sub, core, area) for sub, core, area in rows.all()]


async def all_titles(session: AsyncSession) -> list[tuple[str, str, int]]:
    """(kind, title, id) of every area and core pledge, for fuzzy matching."""
    out: list[tuple[str, str, int]] = [("area", a.name, a.id) for a in (await session.scalars(select(PledgeArea)))]
    out += [("pledge", p.title, p.id) for p in (await session.scalars(select(CorePledge)))]
    return out


# -- updates from chat --------------------------------------------------------------------------------

async def set_progress(session: AsyncSession, sub: SubProject, progress: int, note: str | None, now: datetime,
                       by: int) -> None:
    area_id = await _area_of(session, sub)
    await _count(session, sub, area_id, -1)
    before = sub.progress
    sub.progress, sub.updated_at = progress, now
    await _count(session, sub, area_id, +1)
    session.add(PledgeNote(sub_project_id=sub.id, at=now, by=by, kind="progress", before=f"{before}%",
                           after=f"{progress}%", text=note))
    await audit.record(session, at=now, actor_id=by, action="pledge.progress", entity="sub_project",
                       entity_id=sub.id, before={"progress": before}, after={"progress": progress})


async def set_status(session: AsyncSession, sub: SubProject, status: str, note: str | None, now: datetime,
                     by: int) -> None:
    area_id = await _area_of(session, sub)
    await _count(session, sub, area_id, -1)
    before = sub.status
    sub.status, sub.updated_at = status, now
    await _count(session, sub, area_id, +1)
    session.add(PledgeNote(sub_project_id=sub.id, at=now, by=by, kind="status", before=before, after=status,
                           text=note))
    await audit.record(session, at=now, actor_id=by, action="pledge.status", entity="sub_project",
                       entity_id=sub.id, before={"status": before}, after={"status": status, "note": note})


async def add_note(session: AsyncSession, sub: SubProject, text: str, now: datetime, by: int) -> None:
    session.add(PledgeNote(sub_project_id=sub.id, at=now, by=by, kind="note", text=text))
    await session.flush()


async def history(session: AsyncSession, sub_id: int, limit: int = 5) -> Sequence[PledgeNote]:
    return (await session.scalars(select(PledgeNote).where(PledgeNote.sub_project_id == sub_id)
                                  .order_by(PledgeNote.at.desc(), PledgeNote.id.desc()).limit(limit))).all()


async def milestones(session: AsyncSession, sub_id: int) -> Sequence[Milestone]:
    return (await session.scalars(select(Milestone).where(Milestone.sub_project_id == sub_id)
                                  .order_by(Milestone.due))).all()


# -- evaluations --------------------------------------------------------------------------------------

async def evaluate(session: AsyncSession, sub: SubProject, period: str, grade: str, comment: str | None,
                   now: datetime, by: int) -> None:
    await session.execute(delete(Evaluation).where(Evaluation.sub_project_id == sub.id,
                                                   Evaluation.period == period))
    session.add(Evaluation(sub_project_id=sub.id, period=period, grade=grade, comment=comment, by=by, at=now))
    session.add(PledgeNote(sub_project_id=sub.id, at=now, by=by, kind="evaluation", after=grade,
                           text=f"{period} 자체평가" + (f": {comment}" if comment else "")))
    await session.flush()


async def unevaluated(session: AsyncSession, period: str, offset: int, limit: int
                      ) -> tuple[Sequence[SubProject], int]:
    done = select(Evaluation.sub_project_id).where(Evaluation.period == period)
    query = select(SubProject).where(SubProject.id.not_in(done))
    return await paging.page(session, query, (SubProject.code,), offset, limit)
