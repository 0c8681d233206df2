"""The mayor's pledges (민선7기 공약): reported totals, areas, core pledges, sub-projects, their history.

pledge_stats (per area and status: counts, progress and budget sums) is kept in step with sub_projects in the
same transaction, so the dashboard costs the same for 242 sub-projects or 20,000.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol, cast

from sqlalchemy import Table, bindparam, delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage import audit, bulk, counters, paging, readcache
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

@dataclass(frozen=True)
class ReportRow:
    """A reported figure set as it is kept in memory (storage/readcache.py): plain values, no session."""

    as_of: date
    scope: str
    areas: int
    core_pledges: int
    sub_projects: int
    examples: tuple[str, ...]
    source: str
    position: int


async def _latest_reports(session: AsyncSession) -> tuple[ReportRow, ...]:
    latest = select(func.max(PledgeReport.as_of)).scalar_subquery()
    rows = await session.scalars(select(PledgeReport).where(PledgeReport.as_of == latest)
                                 .order_by(PledgeReport.position))
    return tuple(ReportRow(r.as_of, r.scope, r.areas, r.core_pledges, r.sub_projects, tuple(r.examples), r.source,
                           r.position) for r in rows.all())


async def reports(session: AsyncSession) -> tuple[ReportRow, ...]:
    """The latest reported totals, 전체 first (from the read cache while the pledge tables are unchanged)."""
    return await readcache.cached(session, "pledges", "reports", _latest_reports)


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


async def _by_code(session: AsyncSession, model: Any, codes: Sequence[str]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for part in bulk.chunks(codes):
        found.update((item.code, item) for item in (await session.scalars(
            select(model).where(model.code.in_(part)))).all())
    return found


async def _areas(session: AsyncSession, rows: Sequence[SubProjectRecord]) -> dict[str, PledgeArea]:
    first = {row.area_code: row for row in reversed(rows)}  # the file's rows agree on an area (read_pledges)
    areas = await _by_code(session, PledgeArea, list(first))
    for code, row in first.items():
        area = areas.get(code)
        if area is None:
            area = areas[code] = PledgeArea(code=code)
            session.add(area)
        area.axis, area.name = row.axis, row.area_name
    await session.flush()
    return areas


async def _pledges(session: AsyncSession, rows: Sequence[SubProjectRecord], areas: Mapping[str, PledgeArea]
                   ) -> dict[str, CorePledge]:
    """The core pledges, created or updated (one that moved to another area takes its sub-projects' counts with
    it: the stats are recounted after the import)."""
    first = {row.pledge_code: row for row in reversed(rows)}
    pledges = await _by_code(session, CorePledge, list(first))
    for code, row in first.items():
        pledge = pledges.get(code)
        if pledge is None:
            pledge = pledges[code] = CorePledge(code=code, area_id=areas[row.area_code].id, title=row.pledge_title)
            session.add(pledge)
        pledge.area_id, pledge.title = areas[row.area_code].id, row.pledge_title
    await session.flush()
    return pledges


def _values(row: SubProjectRecord) -> dict[str, Any]:
    return {"title": row.title, "department": row.department, "status": row.status, "progress": row.progress,
            "budget_year": row.budget_year, "budget_planned": row.planned, "budget_secured": row.secured,
            "budget_spent": row.spent}


async def recount(session: AsyncSession) -> None:
    """pledge_stats rebuilt from sub_projects in one statement (after a bulk import)."""
    await session.execute(delete(PledgeStat))
    await session.execute(insert(PledgeStat).from_select(
        ["area_id", "status", "sub_projects", "progress_sum", "budget_planned", "budget_secured", "budget_spent"],
        select(CorePledge.area_id, SubProject.status, func.count(), func.sum(SubProject.progress),
               func.sum(SubProject.budget_planned), func.sum(SubProject.budget_secured),
               func.sum(SubProject.budget_spent))
        .join(CorePledge, CorePledge.id == SubProject.pledge_id).group_by(CorePledge.area_id, SubProject.status)))


async def apply_import(session: AsyncSession, rows: Sequence[SubProjectRecord], now: datetime,
                       actor_id: int | None) -> ImportResult:
    """Create or update by code (a re-import updates, never duplicates); history notes for what changed.
    Batched: a few statements per 2,000 rows, the stats recounted once."""
    areas = await _areas(session, rows)
    pledges = await _pledges(session, rows, areas)
    existing: dict[str, SubProject] = await _by_code(session, SubProject, [row.code for row in rows])
    fresh: list[dict[str, Any]] = []
    notes: list[dict[str, Any]] = []
    unchanged = 0
    for row in rows:
        pledge_id = pledges[row.pledge_code].id
        sub = existing.get(row.code)
        if sub is None:
            fresh.append({"code": row.code, "pledge_id": pledge_id, "updated_at": now, **_values(row)})
        elif _changed(sub, row) or sub.pledge_id != pledge_id:
            before = f"{sub.status} {sub.progress}%"
            sub.pledge_id, sub.updated_at = pledge_id, now
            _fill(sub, row)
            notes.append({"sub_project_id": sub.id, "at": now, "by": actor_id, "kind": "import", "before": before,
                          "after": f"{sub.status} {sub.progress}%", "text": "가져오기로 갱신"})
        else:
            unchanged += 1
    await session.flush()  # the updates, as executemany
    ids = {code: sub.id for code, sub in existing.items()}
    for part in bulk.chunks(fresh):  # inserted, then read back by their unique codes
        await bulk.insert_rows(session, SubProject, part)
        ids.update((code, ident) for code, ident in (await session.execute(select(SubProject.code, SubProject.id)
                   .where(SubProject.code.in_([value["code"] for value in part])))).all())
    notes += [{"sub_project_id": ids[value["code"]], "at": now, "by": actor_id, "kind": "import", "before": None,
               "after": value["status"], "text": f"가져오기: {value['status']}, 진행률 {value['progress']}%"}
              for value in fresh]
    await bulk.insert_rows(session, PledgeNote, notes)
    milestones = await _add_milestones(session, rows, ids)
    await _add_remarks(session, rows, ids, now, actor_id)
    await recount(session)
    updated = len(rows) - len(fresh) - unchanged
    await audit.record(session, at=now, actor_id=actor_id, action="pledges.import", entity="pledges",
                       entity_id="import", after={"created": len(fresh), "updated": updated, "unchanged": unchanged})
    return ImportResult(len(fresh), updated, unchanged, milestones)


async def _add_milestones(session: AsyncSession, rows: Sequence[SubProjectRecord], ids: Mapping[str, int]
                          ) -> list[tuple[int, str, date]]:
    """Milestones new to their sub-project (by title and date), added and returned for planning."""
    wanted = [row for row in rows if row.milestones]
    known: set[tuple[int, str, date]] = set()
    for part in bulk.chunks([ids[row.code] for row in wanted]):
        known.update((sub_id, title, due) for sub_id, title, due in (await session.execute(
            select(Milestone.sub_project_id, Milestone.title, Milestone.due)
            .where(Milestone.sub_project_id.in_(part)))).all())
    fresh = [(ids[row.code], title, due) for row in wanted for title, due in row.milestones
             if (ids[row.code], title, due) not in known]
    await bulk.insert_rows(session, Milestone, [{"sub_project_id": sub_id, "title": title, "due": due}
                                           for sub_id, title, due in fresh])
    return fresh


async def _add_remarks(session: AsyncSession, rows: Sequence[SubProjectRecord], ids: Mapping[str, int],
                       now: datetime, actor_id: int | None) -> None:
    """The file's 비고 joins the history, once (a re-import with the same remark adds nothing)."""
    remarked = [(ids[row.code], note) for row in rows if (note := getattr(row, "note", None))]
    latest: dict[int, str | None] = {}
    for part in bulk.chunks([sub_id for sub_id, _ in remarked]):
        for sub_id, text in (await session.execute(
                select(PledgeNote.sub_project_id, PledgeNote.text)
                .where(PledgeNote.sub_project_id.in_(part), PledgeNote.kind == "note")
                .order_by(PledgeNote.at, PledgeNote.id))).all():
            latest[sub_id] = text
    await bulk.insert_rows(session, PledgeNote, [
        {"sub_project_id": sub_id, "at": now, "by": actor_id, "kind": "note", "before": None, "after": None,
         "text": note} for sub_id, note in remarked if latest.get(sub_id) != note])


async def last_remark(session: AsyncSession, sub_id: int) -> str | None:
    """The latest free-text note of a sub-project (a 비고 imported or a 메모 typed)."""
    return await session.scalar(select(PledgeNote.text).where(PledgeNote.sub_project_id == sub_id,
                                                              PledgeNote.kind == "note")
                                .order_by(PledgeNote.at.desc(), PledgeNote.id.desc()).limit(1))


def _fill(sub: SubProject, row: SubProjectRecord) -> None:
    sub.title, sub.department, sub.status, sub.progress = row.title, row.department, row.status, row.progress
    sub.budget_year, sub.budget_planned = row.budget_year, row.planned
    sub.budget_secured, sub.budget_spent = row.secured, row.spent


async def subs_by_id(session: AsyncSession, ids: Sequence[int]) -> dict[int, SubProject]:
    found: dict[int, SubProject] = {}
    for part in bulk.chunks(ids):
        found.update((sub.id, sub) for sub in (await session.scalars(
            select(SubProject).where(SubProject.id.in_(part)))).all())
    return found


async def link_milestone_events(session: AsyncSession, links: Sequence[tuple[int, str, date, int]]) -> None:
    """(sub-project id, title, due, event id) for many milestones at once, as one executemany UPDATE."""
    if not links:
        return
    table = cast(Table, Milestone.__table__)
    await session.execute(update(table).where(
        table.c.sub_project_id == bindparam("sub"), table.c.title == bindparam("milestone_title"),
        table.c.due == bindparam("milestone_due")).values(event_id=bindparam("event")),
        [{"sub": sub, "milestone_title": title, "milestone_due": due, "event": event}
         for sub, title, due, event in links])


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
