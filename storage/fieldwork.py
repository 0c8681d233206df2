"""Field visits, council and district meetings, their follow-ups; the districts, the gazetteer and the council
directory. activity_counts is kept in step with the records (statistics read per-day totals)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage import audit, counters, paging, reminders
from storage.models import ActivityCount, ActivityMonth, CouncilMember, District, FollowUp, Meeting, Place, Visit


@dataclass(frozen=True)
class FollowUpDraft:
    what: str
    owner: str | None
    due: date | None


@dataclass(frozen=True)
class VisitDraft:
    when_at: datetime
    precision: str
    planned: bool
    category: str
    place: str | None = None
    district: str | None = None
    purpose: str | None = None
    participants: tuple[str, ...] = ()
    notes: str | None = None
    follow_ups: tuple[FollowUpDraft, ...] = ()


@dataclass(frozen=True)
class MeetingDraft:
    when_at: datetime
    precision: str
    planned: bool
    meeting_type: str
    counterpart: str | None = None
    attendees: tuple[str, ...] = ()
    agenda: str | None = None
    outcome: str | None = None
    notes: str | None = None
    follow_ups: tuple[FollowUpDraft, ...] = ()


@dataclass(frozen=True)
class Tally:
    """Statistics for a period: counts by district and by category (or meeting type)."""

    by_district: dict[str, int] = field(default_factory=dict)
    by_category: dict[str, int] = field(default_factory=dict)
    total: int = 0


# -- directory and gazetteer --------------------------------------------------------------------------

async def districts(session: AsyncSession) -> list[str]:
    return list((await session.scalars(select(District.name).order_by(District.position))).all())


async def gazetteer(session: AsyncSession) -> dict[str, list[str]]:
    return {p.name: list(p.districts) for p in (await session.scalars(select(Place).order_by(Place.name))).all()}


async def upsert_district(session: AsyncSession, name: str, position: int) -> None:
    district = await session.scalar(select(District).where(District.name == name))
    if district is None:
        session.add(District(name=name, position=position))
    else:
        district.position = position
    await session.flush()


PLACE_NAME_MAX: int = Place.__table__.c.name.type.length  # type: ignore[attr-defined]


async def upsert_place(session: AsyncSession, name: str, in_districts: Sequence[str], by: int | None,
                       now: datetime | None = None) -> Place:
    """Add a place or set its districts. A name longer than the column is refused, never cut: a cut name
    would file the place under a different one."""
    if not name or len(name) > PLACE_NAME_MAX:
        raise ValueError(f"place name must be 1..{PLACE_NAME_MAX} characters, got {len(name)}")
    place = await session.scalar(select(Place).where(Place.name == name))
    before = list(place.districts) if place else None
    if place is None:
        place = Place(name=name, districts=list(in_districts), added_by=by)
        session.add(place)
    else:
        place.districts = list(in_districts)
    await session.flush()
    if now is not None:
        await audit.record(session, at=now, actor_id=by, action="place.set", entity="place", entity_id=place.id,
                           before={"districts": before} if before else None, after={"districts": list(in_districts)})
    return place


async def council_members(session: AsyncSession, district: str | None = None, *, leadership: bool = False
                          ) -> Sequence[CouncilMember]:
    query = select(CouncilMember).order_by(CouncilMember.district, CouncilMember.name)
    if district is not None:
        query = query.where(CouncilMember.district == district)
    if leadership:
        query = query.where(CouncilMember.leadership.is_(True))
    return (await session.scalars(query)).all()


async def upsert_member(session: AsyncSession, name: str, district: str | None, committee: str | None,
                        party: str | None, leadership: bool) -> bool:
    """True when the member was new."""
    member = await session.scalar(select(CouncilMember).where(CouncilMember.name == name,
                                                              CouncilMember.district == district))
    created = member is None
    if member is None:
        member = CouncilMember(name=name, district=district)
        session.add(member)
    member.committee, member.party, member.leadership = committee, party, leadership
    await session.flush()
    return created


# -- records ------------------------------------------------------------------------------------------

def _snapshot(record: Visit | Meeting) -> dict[str, Any]:
    keys = ("when_at", "planned", "place", "district", "category", "meeting_type", "counterpart", "notes", "deleted")
    out = {}
    for key in keys:
        value = getattr(record, key, None)
        out[key] = value.isoformat() if isinstance(value, datetime) else value
    return out


async def _count(session: AsyncSession, record: Visit | Meeting, tz: Any, sign: int) -> None:
    kind = "visit" if isinstance(record, Visit) else "meeting"
    district = getattr(record, "district", None) or ""
    category = record.category if isinstance(record, Visit) else record.meeting_type
    day = record.when_at.astimezone(tz).date()
    key = {"kind": kind, "district": district, "category": category}
    await counters.add_to(session, ActivityCount, {**key, "day": day}, {"count": sign})
    await counters.add_to(session, ActivityMonth, {**key, "month": day.replace(day=1)}, {"count": sign})


async def _add_follow_ups(session: AsyncSession, drafts: Sequence[FollowUpDraft], **owner: int) -> list[FollowUp]:
    rows = [FollowUp(what=d.what, owner=d.owner, due=d.due, done=False, **owner) for d in drafts]
    session.add_all(rows)
    await session.flush()
    return rows


async def add_visit(session: AsyncSession, draft: VisitDraft, now: datetime, by: int | None
                    ) -> tuple[Visit, list[FollowUp]]:
    visit = Visit(when_at=draft.when_at, precision=draft.precision, planned=draft.planned, place=draft.place,
                  district=draft.district, category=draft.category, purpose=draft.purpose,
                  participants=list(draft.participants), council_briefing=None, council_invited=[],
                  notes=draft.notes, photos=[], logged_by=by, logged_at=now, deleted=False)
    session.add(visit)
    await session.flush()
    await _count(session, visit, now.tzinfo, +1)
    follow_ups = await _add_follow_ups(session, draft.follow_ups, visit_id=visit.id)
    await audit.record(session, at=now, actor_id=by, action="visit.add", entity="visit", entity_id=visit.id,
                       after=_snapshot(visit))
    return visit, follow_ups


async def add_meeting(session: AsyncSession, draft: MeetingDraft, now: datetime, by: int | None
                      ) -> tuple[Meeting, list[FollowUp]]:
    meeting = Meeting(when_at=draft.when_at, precision=draft.precision, planned=draft.planned,
                      meeting_type=draft.meeting_type, counterpart=draft.counterpart, attendees=list(draft.attendees),
                      agenda=draft.agenda, outcome=draft.outcome, notes=draft.notes, photos=[], logged_by=by,
                      logged_at=now, deleted=False)
    session.add(meeting)
    await session.flush()
    await _count(session, meeting, now.tzinfo, +1)
    follow_ups = await _add_follow_ups(session, draft.follow_ups, meeting_id=meeting.id)
    await audit.record(session, at=now, actor_id=by, action="meeting.add", entity="meeting", entity_id=meeting.id,
                       after=_snapshot(meeting))
    return meeting, follow_ups


async def get_visit(session: AsyncSession, visit_id: int) -> Visit | None:
    visit = await session.get(Visit, visit_id)
    return None if visit is None or visit.deleted else visit


async def get_meeting(session: AsyncSession, meeting_id: int) -> Meeting | None:
    meeting = await session.get(Meeting, meeting_id)
    return None if meeting is None or meeting.deleted else meeting


async def delete(session: AsyncSession, record: Visit | Meeting, now: datetime, by: int) -> None:
    before = _snapshot(record)
    record.deleted = True
    await _count(session, record, now.tzinfo, -1)
    kind = "visit" if isinstance(record, Visit) else "meeting"
    # Its own reminders (the planned record's alerts, a visit's council briefing) go with it.
    await reminders.cancel_pending(session, subjects=(f"{kind}:{record.id}", f"briefing:{record.id}")
                                   if kind == "visit" else (f"{kind}:{record.id}",))
    await audit.record(session, at=now, actor_id=by, action=f"{kind}.delete", entity=kind, entity_id=record.id,
                       before=before, after=_snapshot(record))


async def edit(session: AsyncSession, record: Visit | Meeting, changes: dict[str, Any], now: datetime, by: int
               ) -> None:
    """Change some fields (counts move if the day, district or category changes); audited."""
    before = _snapshot(record)
    await _count(session, record, now.tzinfo, -1)
    for key, value in changes.items():
        setattr(record, key, value)
    await _count(session, record, now.tzinfo, +1)
    kind = "visit" if isinstance(record, Visit) else "meeting"
    await audit.record(session, at=now, actor_id=by, action=f"{kind}.edit", entity=kind, entity_id=record.id,
                       before=before, after=_snapshot(record))


async def attach_photo(session: AsyncSession, record: Visit | Meeting, file_id: str) -> None:
    record.photos = [*record.photos, file_id]
    await session.flush()


async def set_briefing(session: AsyncSession, visit: Visit, state: str, invited: Sequence[str]) -> None:
    visit.council_briefing = state
    if invited:
        visit.council_invited = list(invited)
    await session.flush()


_VISIT_ORDER = (Visit.when_at.desc(), Visit.id.desc())
_MEETING_ORDER = (Meeting.when_at.desc(), Meeting.id.desc())


def _visits(start: datetime, end: datetime, district: str | None) -> Select[Visit]:
    query = select(Visit).where(Visit.deleted.is_(False), Visit.when_at >= start, Visit.when_at < end)
    return query.where(Visit.district == district) if district is not None else query


def _meetings(start: datetime, end: datetime, types: Sequence[str] | None) -> Select[Meeting]:
    query = select(Meeting).where(Meeting.deleted.is_(False), Meeting.when_at >= start, Meeting.when_at < end)
    return query.where(Meeting.meeting_type.in_(types)) if types is not None else query


async def visits_between(session: AsyncSession, start: datetime, end: datetime, *, district: str | None = None,
                         offset: int = 0, limit: int = 10) -> tuple[Sequence[Visit], int]:
    """A page of the visits in [start, end), latest first, and how many there are."""
    return await paging.page(session, _visits(start, end, district), _VISIT_ORDER, offset, limit)


async def visits_in(session: AsyncSession, start: datetime, end: datetime, *, limit: int) -> Sequence[Visit]:
    """The latest `limit` visits in [start, end) (no count: one query)."""
    return (await session.scalars(_visits(start, end, None).order_by(*_VISIT_ORDER).limit(limit))).all()


async def meetings_between(session: AsyncSession, start: datetime, end: datetime, *,
                           types: Sequence[str] | None = None, offset: int = 0, limit: int = 10
                           ) -> tuple[Sequence[Meeting], int]:
    return await paging.page(session, _meetings(start, end, types), _MEETING_ORDER, offset, limit)


async def meetings_in(session: AsyncSession, start: datetime, end: datetime, *, limit: int) -> Sequence[Meeting]:
    """The latest `limit` meetings in [start, end) (no count: one query)."""
    return (await session.scalars(_meetings(start, end, None).order_by(*_MEETING_ORDER).limit(limit))).all()


def _whole_months(first: date, last: date) -> tuple[date, date] | None:
    """The first days of the first and last whole months within first..last (None: no whole month)."""
    start = first if first.day == 1 else (first.replace(day=1) + timedelta(days=32)).replace(day=1)
    following = last + timedelta(days=1)
    end = following.replace(day=1) - timedelta(days=1) if following.day != 1 else last
    if start > end:
        return None
    return start, end.replace(day=1)


async def _sums(session: AsyncSession, table: Any, column: Any, kind: str, low: date, high: date) -> list[Any]:
    return list((await session.execute(
        select(table.district, table.category, func.sum(table.count))
        .where(table.kind == kind, column >= low, column <= high)
        .group_by(table.district, table.category))).all())


async def tally(session: AsyncSession, kind: str, first: date, last: date) -> Tally:
    """Counts per district and per category (meeting type) for days first..last: whole months from
    activity_months, the days before and after them from activity_counts."""
    months = _whole_months(first, last)
    if months is None:
        rows = await _sums(session, ActivityCount, ActivityCount.day, kind, first, last)
    else:
        rows = await _sums(session, ActivityMonth, ActivityMonth.month, kind, *months)
        if first < months[0]:
            rows += await _sums(session, ActivityCount, ActivityCount.day, kind, first, months[0] - timedelta(days=1))
        after = (months[1] + timedelta(days=32)).replace(day=1)
        if after <= last:
            rows += await _sums(session, ActivityCount, ActivityCount.day, kind, after, last)
    by_district: dict[str, int] = {}
    by_category: dict[str, int] = {}
    for district, category, count in rows:
        if count:
            by_district[district] = by_district.get(district, 0) + int(count)
            by_category[category] = by_category.get(category, 0) + int(count)
    return Tally(by_district, by_category, sum(by_category.values()))


# -- follow-ups ---------------------------------------------------------------------------------------

async def follow_up(session: AsyncSession, follow_up_id: int) -> FollowUp | None:
    return await session.get(FollowUp, follow_up_id)


async def open_follow_ups(session: AsyncSession, *, until: date | None = None, limit: int = 30
                          ) -> Sequence[FollowUp]:
    query = select(FollowUp).where(FollowUp.done.is_(False))
    if until is not None:
        query = query.where(FollowUp.due.isnot(None), FollowUp.due <= until)
    return (await session.scalars(query.order_by(FollowUp.due.is_(None), FollowUp.due, FollowUp.id)
                                  .limit(limit))).all()


async def follow_ups_of(session: AsyncSession, *, visit_id: int | None = None, meeting_id: int | None = None
                        ) -> Sequence[FollowUp]:
    query = select(FollowUp)
    query = query.where(FollowUp.visit_id == visit_id) if visit_id else query.where(FollowUp.meeting_id == meeting_id)
    return (await session.scalars(query.order_by(FollowUp.id))).all()


async def complete_follow_up(session: AsyncSession, item: FollowUp, now: datetime, by: int) -> None:
    item.done, item.done_at, item.done_by = True, now, by
    await audit.record(session, at=now, actor_id=by, action="followup.done", entity="follow_up", entity_id=item.id,
                       after={"done": True})
