"""Field work use cases shared by the chat handlers, the agenda, the CLI and the demo: storing visits and
meetings with their reminders (the report's two rules, follow-ups), the vocabulary the reader needs,
the council directory import. No Telegram here."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.leads import Planned, ReminderSettings, reminder_text
from bot.domain.schedule import Attendable, alerts
from bot.lang.datefmt import format_day
from bot.lang.field_words import CATEGORY_WORDS, MEETING_WORDS, words_for
from storage import fieldwork, reminders
from storage.fieldwork import MeetingDraft, VisitDraft
from storage.models import FollowUp, Meeting, Visit

LEADERSHIP_BODIES = ("의장단", "상임위원장단", "의장", "부의장")
BRIEFING, FOLLOW_UP, LEADERSHIP = "briefing", "followup", "leadership"


@dataclass(frozen=True)
class Vocabulary:
    districts: tuple[str, ...]
    gazetteer: dict[str, tuple[str, ...]]
    categories: dict[str, tuple[str, ...]]
    meeting_types: dict[str, tuple[str, ...]]
    council_bodies: tuple[str, ...]


@dataclass(frozen=True)
class Rules:
    """The report's two rules and the edit window, from config [fieldwork]."""

    briefing_days: int = 3
    press_categories: tuple[str, ...] = ("기자설명회", "발표")
    press_days: int = 1
    edit_days: int = 7

    def may_edit(self, record: Visit | Meeting, user_id: int, is_admin: bool, now: datetime) -> bool:
        """Admins edit any record; staff their own, within edit_days of logging it."""
        return is_admin or (record.logged_by == user_id and now - record.logged_at <= timedelta(days=self.edit_days))


async def vocabulary(session: AsyncSession, categories: Sequence[str], meeting_types: Sequence[str]) -> Vocabulary:
    committees = {m.committee for m in await fieldwork.council_members(session) if m.committee}
    return Vocabulary(
        tuple(await fieldwork.districts(session)),
        {name: tuple(d) for name, d in (await fieldwork.gazetteer(session)).items()},
        words_for(tuple(categories), CATEGORY_WORDS), words_for(tuple(meeting_types), MEETING_WORDS),
        tuple(sorted(committees | set(LEADERSHIP_BODIES))),
    )


def _morning(day: date, now: datetime) -> datetime:
    """09:00 on `day`, or now when that has passed (a reminder that is already due goes out at once)."""
    return max(datetime.combine(day, time(9, 0), tzinfo=now.tzinfo), now)


def _when(record: Visit | Meeting, now: datetime) -> str:
    local = record.when_at.astimezone(now.tzinfo)
    day = format_day(local.date(), now)
    return day if record.precision == "day" else f"{day} {local:%H:%M}"


async def _follow_up_reminders(session: AsyncSession, items: Sequence[FollowUp], label: str, recipient: int | None,
                               now: datetime) -> None:
    await reminders.add_all(session, [
        reminders.new(kind="followup", text=f"✅ 후속조치 기한: {follow_up_text(item)}\n— {label}",
                      due_at=_morning(item.due, now), now=now, recipient_id=recipient,
                      audience="me" if recipient else "team", subject=f"{FOLLOW_UP}:{item.id}")
        for item in items if item.due is not None])


def follow_up_text(item: FollowUp) -> str:
    return item.what + (f" ({item.owner})" if item.owner else "")


def visit_title_of(district: str | None, place: str | None, category: str | None) -> str:
    return f"현장방문 {' '.join(x for x in (district, place) if x)} ({category})"


def meeting_title_of(meeting_type: str, counterpart: str | None) -> str:
    return meeting_type + (f" — {counterpart}" if counterpart else "")


def visit_title(visit: Visit) -> str:
    return visit_title_of(visit.district, visit.place, visit.category)


def meeting_title(meeting: Meeting) -> str:
    return meeting_title_of(meeting.meeting_type, meeting.counterpart)


def record_alerts(title: str, start: datetime, precision: str, place: str | None,
                  settings: ReminderSettings, now: datetime) -> list[Planned]:
    """A planned visit or meeting is reminded like an event (D-7, D-1 at 09:00, an hour before a timed
    start): the same list the echo shows and `plan_record` stores. A record of the past has none."""
    if start <= now:
        return []
    return alerts(Attendable(title, start, precision, place), settings, now)


async def plan_record(session: AsyncSession, record: Visit | Meeting, settings: ReminderSettings, now: datetime,
                      by: int | None) -> list[Planned]:
    """(Re)plan a record's own alerts: pending ones are cancelled first, so a new date never leaves old ones."""
    kind = "visit" if isinstance(record, Visit) else "meeting"
    subject = f"{kind}:{record.id}"
    await reminders.cancel_pending(session, subjects=(subject,))
    title = visit_title(record) if isinstance(record, Visit) else meeting_title(record)
    place = record.place if isinstance(record, Visit) else None
    planned = record_alerts(title, record.when_at, record.precision, place, settings, now)
    item = Attendable(title, record.when_at, record.precision, place)
    await reminders.add_all(session, [
        reminders.new(kind="lead", text=reminder_text(p, item, now), due_at=p.due_at, now=now, recipient_id=by,
                      audience="me" if by else "team", subject=subject) for p in planned])
    return planned


def visit_label(visit: Visit, now: datetime) -> str:
    where = " ".join(x for x in (visit.district, visit.place) if x)
    return f"{_when(visit, now)} {where} 현장방문({visit.category})".strip()


def meeting_label(meeting: Meeting, now: datetime) -> str:
    who = f" — {meeting.counterpart}" if meeting.counterpart else ""
    return f"{_when(meeting, now)} {meeting.meeting_type}{who}"


async def save_visit(session: AsyncSession, draft: VisitDraft, now: datetime, by: int | None, rules: Rules,
                     settings: ReminderSettings | None = None) -> tuple[Visit, list[FollowUp], list[str]]:
    """Store a visit. A planned one is reminded like an event (`plan_record`); one in a district with members
    in the directory also gets the briefing reminder (brief and invite them `briefing_days` before); returns
    the members to brief."""
    visit, items = await fieldwork.add_visit(session, draft, now, by)
    await plan_record(session, visit, settings or ReminderSettings(), now, by)
    label = visit_label(visit, now)
    await _follow_up_reminders(session, items, label, by, now)
    members: list[str] = []
    if draft.planned and draft.district:
        members = [m.name for m in await fieldwork.council_members(session, draft.district)]
    if members:
        day = visit.when_at.astimezone(now.tzinfo).date() - timedelta(days=rules.briefing_days)
        text = (f"🏛 시의원 사전 설명·초청: {label}\n{draft.district} 시의원 {', '.join(members)}에게 방문 목적과 "
                "내용을 미리 설명하고 초청하세요.")
        await reminders.add_all(session, [reminders.new(
            kind="briefing", text=text, due_at=_morning(day, now), now=now, recipient_id=by,
            audience="me" if by else "team", subject=f"{BRIEFING}:{visit.id}")])
        await fieldwork.set_briefing(session, visit, "pending", members)
    return visit, items, members


async def save_meeting(session: AsyncSession, draft: MeetingDraft, now: datetime, by: int | None,
                       settings: ReminderSettings | None = None) -> tuple[Meeting, list[FollowUp]]:
    """Store a meeting; a planned one is reminded like an event (`plan_record`)."""
    meeting, items = await fieldwork.add_meeting(session, draft, now, by)
    await plan_record(session, meeting, settings or ReminderSettings(), now, by)
    await _follow_up_reminders(session, items, meeting_label(meeting, now), by, now)
    return meeting, items


async def leadership_briefing(session: AsyncSession, title: str, start: datetime, event_id: int, owner: int | None,
                              now: datetime, rules: Rules) -> list[str]:
    """The report's second rule: a policy announced to the press is explained to the council leadership
    first. Returns the leaders named from the directory (the reminder is set even when none are listed)."""
    leaders = [m.name for m in await fieldwork.council_members(session, leadership=True)]
    day = start.astimezone(now.tzinfo).date() - timedelta(days=rules.press_days)
    who = ", ".join(leaders) if leaders else "시의회 의장단·상임위원장단"
    text = (f"🏛 언론 발표 전 시의회 사전 설명: {title} ({format_day(start.astimezone(now.tzinfo).date(), now)})\n"
            f"{who}에게 주요 내용을 먼저 설명하세요.")
    await reminders.add_all(session, [reminders.new(kind="briefing", text=text, due_at=_morning(day, now), now=now,
                                                    recipient_id=owner, event_id=event_id,
                                                    audience="me" if owner else "team")])
    return leaders


async def import_members(session: AsyncSession, data: bytes, filename: str
                         ) -> tuple[int, int, list[tuple[int, str, str]]]:
    """The council directory from a spreadsheet, all or nothing: (new, updated, problems)."""
    from bot.sheets.council import read_members

    rows, problems = read_members(data, filename, districts=await fieldwork.districts(session))
    if problems:
        return 0, 0, [(p.row, p.column, p.reason) for p in problems]
    created = 0
    for row in rows:
        created += await fieldwork.upsert_member(session, row.name, row.district, row.committee, row.party,
                                                 row.leadership)
    return created, len(rows) - created, []


async def export_records(runtime: Any, kind: str, start: datetime, end: datetime) -> tuple[bytes, int]:
    from bot.sheets.fieldwork import records_workbook

    async with runtime.sessionmaker() as session:
        rows: list[Any] = []
        offset = 0
        while True:
            chunk, _ = await (fieldwork.visits_between if kind == "visit" else fieldwork.meetings_between)(
                session, start, end, offset=offset, limit=500)
            rows += chunk
            if len(chunk) < 500:
                break
            offset += 500
        items = [i for r in rows for i in await fieldwork.follow_ups_of(
            session, **({"visit_id": r.id} if kind == "visit" else {"meeting_id": r.id}))]
    title = "현장방문" if kind == "visit" else "간담회·면담"
    return records_workbook(kind, rows, items, runtime.tz, title), len(rows)  # type: ignore[call-overload]
