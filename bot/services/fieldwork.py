"""Field work use cases shared by the chat handlers, the agenda, the CLI and the demo: storing visits and
meetings with their reminders (the report's two rules, follow-ups), the vocabulary the reader needs,
the council directory import. No Telegram here."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.leads import Planned, ReminderSettings, reminder_text
from bot.domain.schedule import Attendable, alerts
from bot.lang.datefmt import format_day
from bot.lang.field_words import CATEGORY_WORDS, MEETING_WORDS, words_for
from bot.lang.phrases import council_types
from bot.present import fieldwork as view
from bot.present.events import planned_lines
from bot.workers import run_cpu
from storage import drafts, fieldwork, reminders
from storage.fieldwork import FollowUpDraft, MeetingDraft, VisitDraft
from storage.models import FollowUp, Meeting, Visit

if TYPE_CHECKING:  # bot.runtime imports Rules from here
    from bot.runtime import Member, Runtime
    from bot.services.conversation import Open

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

    rows, problems = await run_cpu(read_members, data, filename, districts=await fieldwork.districts(session))
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
    return await run_cpu(records_workbook, kind, rows, items, runtime.tz, title), len(rows)  # type: ignore[arg-type]


# -- the chat's use cases (handlers/visits.py): each opens its own session, none sends anything ---------------

LAST = "field_last"  # a note per (owner, chat): the record a photo sent next attaches to
PHOTO_WINDOW = timedelta(minutes=30)


class Actor(Protocol):
    """Who acts, as a handler's context gives it (BotContext fits)."""

    @property
    def runtime(self) -> Runtime: ...

    @property
    def me(self) -> Member: ...


async def load_vocabulary(runtime: Runtime) -> Vocabulary:
    async with runtime.sessionmaker() as session:
        return await vocabulary(session, runtime.visit_categories, runtime.meeting_types)


async def member_names(runtime: Runtime, district: str) -> list[str]:
    """The council members of a district in the directory (a planned visit's echo names them)."""
    async with runtime.sessionmaker() as session:
        return [m.name for m in await fieldwork.council_members(session, district)]


def draft_title(draft: dict[str, Any]) -> str:
    return visit_title_of(draft["district"], draft["place"], draft["category"]) \
        if draft["kind"] == "visit" else meeting_title_of(draft["type"], draft["counterpart"])


def draft_alerts(draft: dict[str, Any], settings: ReminderSettings, now: datetime) -> list[Planned]:
    """A planned draft's reminders, each at its exact time, as its echo and confirmation list them."""
    return record_alerts(draft_title(draft), datetime.fromisoformat(draft["start"]), draft["precision"],
                         draft["place"], settings, now)


def draft_alert_text(draft: dict[str, Any], settings: ReminderSettings, now: datetime) -> str:
    """The lines a planned draft's echo and confirmation add for its reminders ("" for a record of the past)."""
    if datetime.fromisoformat(draft["start"]) <= now:
        return ""
    return "\n" + planned_lines(draft_alerts(draft, settings, now), now)


def _follow_ups(draft: dict[str, Any]) -> tuple[FollowUpDraft, ...]:
    return tuple(FollowUpDraft(what, owner, date.fromisoformat(due) if due else None)
                 for what, due, owner in draft["follow_ups"])


async def store_log(actor: Actor, session: AsyncSession, form: Open) -> str:
    """The visit and meeting drafts' 확인 (runs in the transaction that finishes the draft): store the record with
    its photos and reminders, and note it as the one a photo sent next attaches to; returns the reply."""
    runtime, draft = actor.runtime, form.data()
    now, me = runtime.now(), actor.me.telegram_id
    start = datetime.fromisoformat(draft["start"])
    planned = start > now and bool(draft.get("planned", True))  # not a done report at a later hour today
    record: Visit | Meeting
    if draft["kind"] == "visit":
        record, items, members = await save_visit(session, VisitDraft(
            start, draft["precision"], planned, draft["category"], draft["place"], draft["district"],
            draft["purpose"] or None, tuple(draft["participants"]), draft["notes"], _follow_ups(draft)),
            now, me, runtime.field_rules, runtime.reminder_settings)
        reply = view.saved_visit(record, items, members, runtime.field_rules.briefing_days, now)
    else:
        record, items = await save_meeting(session, MeetingDraft(
            start, draft["precision"], planned, draft["type"], draft["counterpart"], tuple(draft["participants"]),
            draft["agenda"], draft["outcome"], draft["notes"], _follow_ups(draft)), now, me,
            runtime.reminder_settings)
        reply = view.saved_meeting(record, items, now)
    for photo in draft["photos"]:
        await fieldwork.attach_photo(session, record, photo)
    row = await drafts.get(session, form.id, me)
    assert row is not None  # the draft this transaction is finishing
    await drafts.keep_note(session, owner_id=me, chat_id=row.chat_id, kind=LAST,
                           payload={"kind": draft["kind"], "id": record.id}, now=now, ttl=PHOTO_WINDOW)
    return reply + draft_alert_text(draft, runtime.reminder_settings, now) + "\n사진을 보내시면 이 기록에 붙입니다."


@dataclass(frozen=True)
class Attached:
    record_id: int | None  # None: no record logged in this chat within PHOTO_WINDOW
    photos: int = 0  # the record's photos now; 0: the record was deleted meanwhile


async def attach_to_last(runtime: Runtime, owner_id: int, chat_id: int, file_id: str) -> Attached:
    """A photo without a caption: attach it to the owner's last record in this chat (logged within
    PHOTO_WINDOW). The note is in the database, so a restart or another replica still finds it."""
    async with runtime.sessionmaker.begin() as session:
        note = await drafts.latest_note(session, owner_id, chat_id, LAST, runtime.now())
        if note is None:
            return Attached(None)
        record_id = int(note.payload["id"])
        record = await _get(session, "v" if note.payload["kind"] == "visit" else "m", record_id)
        if record is None:
            return Attached(record_id)
        await fieldwork.attach_photo(session, record, file_id)
        return Attached(record_id, len(record.photos))


async def _get(session: AsyncSession, kind: str, record_id: int) -> Visit | Meeting | None:
    """A visit (kind 'v') or a meeting ('m')."""
    return await (fieldwork.get_visit(session, record_id) if kind == "v" else fieldwork.get_meeting(session, record_id))


@dataclass(frozen=True)
class RecordPage:
    ids: list[int]
    labels: list[str]
    total: int


async def record_page(runtime: Runtime, kind: str, start: datetime, end: datetime, offset: int, limit: int,
                      district: str | None = None, council: bool = False) -> RecordPage:
    """A page of visits (kind 'v', of one district if given) or meetings ('m', the council's only if asked)."""
    now = runtime.now()
    async with runtime.sessionmaker() as session:
        if kind == "v":
            visits, total = await fieldwork.visits_between(session, start, end, district=district, offset=offset,
                                                           limit=limit)
            return RecordPage([v.id for v in visits], [visit_label(v, now) for v in visits], total)
        types = council_types("시의회", runtime.meeting_types) if council else None
        meetings, total = await fieldwork.meetings_between(session, start, end, types=types, offset=offset,
                                                           limit=limit)
        return RecordPage([m.id for m in meetings], [meeting_label(m, now) for m in meetings], total)


async def open_follow_ups(runtime: Runtime, limit: int = 20) -> list[FollowUp]:
    async with runtime.sessionmaker() as session:
        return list(await fieldwork.open_follow_ups(session, limit=limit))


async def follow_up_exists(runtime: Runtime, follow_up_id: int) -> bool:
    async with runtime.sessionmaker() as session:
        return await fieldwork.follow_up(session, follow_up_id) is not None


async def record_exists(runtime: Runtime, kind: str, record_id: int) -> bool:
    async with runtime.sessionmaker() as session:
        return await _get(session, kind, record_id) is not None


@dataclass(frozen=True)
class Card:
    record: Visit | Meeting
    follow_ups: list[FollowUp]


async def card(runtime: Runtime, kind: str, record_id: int) -> Card | None:
    """A record with its follow-ups, or None when it is missing or deleted."""
    async with runtime.sessionmaker() as session:
        record = await _get(session, kind, record_id)
        if record is None:
            return None
        ids = {"visit_id": record_id} if kind == "v" else {"meeting_id": record_id}
        return Card(record, list(await fieldwork.follow_ups_of(session, **ids)))


async def complete_follow_up(runtime: Runtime, follow_up_id: int, by: int) -> str | None:
    """Mark a follow-up done; its text, or None when it was already done or is missing."""
    async with runtime.sessionmaker.begin() as session:
        item = await fieldwork.follow_up(session, follow_up_id)
        if item is None or item.done:
            return None
        await fieldwork.complete_follow_up(session, item, runtime.now(), by)
        return item.what


async def _editable(session: AsyncSession, runtime: Runtime, me: Member, kind: str,
                    record_id: int) -> Visit | Meeting | str:
    """The record if `me` may change it, else why not."""
    record = await _get(session, kind, record_id)
    if record is None:
        return "이 기록은 없거나 삭제되었습니다."
    rules = runtime.field_rules
    if not rules.may_edit(record, me.telegram_id, me.is_admin, runtime.now()):
        return f"자신이 {rules.edit_days}일 안에 기록한 것만 고칠 수 있습니다(관리자는 모두)."
    return record


async def edit_refusal(runtime: Runtime, me: Member, kind: str, record_id: int) -> str | None:
    """Why `me` may not change or delete the record, or None."""
    async with runtime.sessionmaker() as session:
        record = await _editable(session, runtime, me, kind, record_id)
    return record if isinstance(record, str) else None


async def delete_record(runtime: Runtime, me: Member, kind: str, record_id: int) -> str | None:
    """Delete the record if `me` may; None when deleted, else why not."""
    async with runtime.sessionmaker.begin() as session:
        record = await _editable(session, runtime, me, kind, record_id)
        if isinstance(record, str):
            return record
        await fieldwork.delete(session, record, runtime.now(), me.telegram_id)
    return None


@dataclass
class RecordEdit:
    """A note or date change of a record, stored in the transaction that finishes its edit draft (called with
    that session by the conversation's `complete`); `changed` tells whether it was."""

    runtime: Runtime
    me: Member
    kind: str
    record_id: int
    changes: dict[str, Any]
    changed: bool = False

    async def __call__(self, session: AsyncSession, row: Open) -> str:
        now = self.runtime.now()
        record = await _editable(session, self.runtime, self.me, self.kind, self.record_id)
        if isinstance(record, str):
            return record
        await fieldwork.edit(session, record, self.changes, now, self.me.telegram_id)
        if "when_at" in self.changes:  # a new date: the record's own alerts are planned again
            await plan_record(session, record, self.runtime.reminder_settings, now, record.logged_by)
        self.changed = True
        return f"기록 #{self.record_id}를 고쳤습니다."


async def year_tally(runtime: Runtime, year: int, last: date) -> tuple[fieldwork.Tally, list[str]]:
    """The year's visits counted by district and category up to `last`, and the districts in order."""
    async with runtime.sessionmaker() as session:
        return await fieldwork.tally(session, "visit", date(year, 1, 1), last), await fieldwork.districts(session)


async def gazetteer(runtime: Runtime) -> dict[str, list[str]]:
    async with runtime.sessionmaker() as session:
        return await fieldwork.gazetteer(session)


async def add_place(runtime: Runtime, name: str, wanted: Sequence[str], by: int) -> tuple[list[str], list[str]]:
    """Add a place (or change its districts): (the districts as stored, those that are not Seoul's — then
    nothing changed). '강북' is read as 강북구."""
    names = [d if d.endswith("구") else f"{d}구" for d in wanted]
    async with runtime.sessionmaker.begin() as session:
        known = await fieldwork.districts(session)
        unknown = [d for d in names if d not in known]
        if not unknown:
            await fieldwork.upsert_place(session, name, names, by, runtime.now())
    return names, unknown
