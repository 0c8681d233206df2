"""Event, personal and recurring reminder drafts: what the echo holds (as a JSON payload of a draft row), how a
typed change of its time or title applies, and storing it on 확인. No telegram."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.leads import DraftEvent
from bot.domain.recurrence import next_occurrence
from bot.domain.schedule import alerts
from bot.lang.dates import DateFailure, DateResult, parse_when
from bot.lang.limits import field_problem
from bot.lang.phrases import is_time_only
from bot.lang.requests import EventRequest, PersonalRequest, RecurringRequest, read_leads
from bot.present import events as texts
from bot.runtime import Runtime
from bot.services.agenda import same_day_for
from bot.services.conversation import Caller, Keep, Open, Store
from bot.services.fieldwork import leadership_briefing
from bot.services.scheduling import reschedule_event, save_event, save_personal, save_rule
from storage import events as event_store
from storage import reminders
from storage.models import Event

EVENT, PERSONAL, RECURRING, EVENT_DATE = "event", "personal", "recurring", "event_date"
Draft = DraftEvent | PersonalRequest | RecurringRequest


def draft_from(request: EventRequest) -> DraftEvent:
    when = request.when
    return DraftEvent(request.title, when.start, when.end, when.precision, when.tentative, request.audience,
                      request.category, lead_minutes=request.lead_minutes)


def office_hours(when: DateResult) -> DateResult | None:
    """A bare 7~11시 means the morning in an office; 1~6시 and 12시 are asked (None)."""
    if not when.needs_meridiem:
        return when
    hour = when.start.hour % 12
    if 7 <= hour <= 11:
        return replace(when, start=when.start.replace(hour=hour), ambiguities=())
    return None


# -- payloads --------------------------------------------------------------------------------------

def kind_of(draft: Draft) -> str:
    return EVENT if isinstance(draft, DraftEvent) else PERSONAL if isinstance(draft, PersonalRequest) else RECURRING


def to_payload(draft: Draft) -> dict[str, Any]:
    if isinstance(draft, DraftEvent):
        return {"title": draft.title, "start": draft.start_at.isoformat(),
                "end": draft.end_at.isoformat() if draft.end_at else None, "precision": draft.precision,
                "tentative": draft.tentative, "audience": draft.audience, "category": draft.category,
                "place": draft.place, "lead": list(draft.lead_minutes) if draft.lead_minutes is not None else None}
    if isinstance(draft, PersonalRequest):
        return {"text": draft.text, "start": draft.when.start.isoformat()}
    rec = draft.recurrence
    return {"text": draft.text, "rrule": rec.rrule, "description": rec.description, "rest": rec.rest,
            "holiday_shift": rec.holiday_shift, "assumed_time": rec.assumed_time, "audience": draft.audience}


def event_of(payload: dict[str, Any]) -> DraftEvent:
    lead = payload.get("lead")
    return DraftEvent(payload["title"], datetime.fromisoformat(payload["start"]),
                      datetime.fromisoformat(payload["end"]) if payload.get("end") else None, payload["precision"],
                      bool(payload["tentative"]), payload.get("audience", "me"), payload.get("category", "일정"),
                      payload.get("place"), tuple(lead) if lead is not None else None)


def personal_of(payload: dict[str, Any]) -> tuple[str, datetime]:
    return payload["text"], datetime.fromisoformat(payload["start"])


def echo_text(kind: str, payload: dict[str, Any], runtime: Runtime) -> str:
    now = runtime.now()
    if kind == EVENT:
        draft = event_of(payload)
        return texts.event_echo(draft, alerts(draft, runtime.reminder_settings, now), now,
                                silent=draft.lead_minutes == ())
    if kind == PERSONAL:
        text, due = personal_of(payload)
        return texts.personal_echo(text, due, now)
    first = next_occurrence(payload["rrule"], now, now, runtime.tz, payload["holiday_shift"])
    return texts.recurring_echo(payload["description"], payload["text"], first, payload["holiday_shift"], now)


async def same_day_note(kind: str, payload: dict[str, Any], runtime: Runtime, owner: int) -> str:
    """Before storing: the day's items with the same title (events, planned records, own reminders)."""
    if kind == EVENT and payload.get("precision") != "month":
        title, start = str(payload["title"]), datetime.fromisoformat(payload["start"])
    elif kind == PERSONAL:
        title, start = personal_of(payload)
    else:
        return ""
    items = await same_day_for(runtime, owner, title, start)
    note = texts.same_day_note(items, runtime.now())
    return f"\n{note}" if note else ""


# -- changes before 확인 ------------------------------------------------------------------------------

def new_when(text: str, start: datetime, now: datetime) -> DateResult | DateFailure:
    """A new date or time for a draft; a time alone keeps the draft's day."""
    if is_time_only(text):
        day = start.astimezone(now.tzinfo)
        return parse_when(f"{day.year}년 {day.month}월 {day.day}일 {text}", now)
    return parse_when(text, now)


def with_when(kind: str, payload: dict[str, Any], text: str, now: datetime) -> dict[str, Any] | str:
    """The payload moved to the typed date/time, or why it cannot be."""
    when = new_when(text, datetime.fromisoformat(payload["start"]), now)
    if isinstance(when, DateFailure):
        return when.reason
    if kind == PERSONAL:
        if when.precision != "minute" or when.start <= now:
            return "앞으로의 날짜와 시각을 함께 적어 주세요."
        return {**payload, "start": when.start.isoformat()}
    resolved = office_hours(when) or when
    return {**payload, "start": resolved.start.isoformat(), "end": resolved.end.isoformat() if resolved.end else None,
            "precision": resolved.precision, "tentative": resolved.tentative}


def with_title(kind: str, payload: dict[str, Any], text: str) -> dict[str, Any] | str:
    title = text.strip()
    if not title:
        return "제목을 입력해 주세요. 예: 서울식물원 개관식"
    if problem := field_problem("event_title", title):
        return problem
    return {**payload, "title": title} if kind == EVENT else {**payload, "text": title}


LEAD_EXAMPLE = "예: 알림 30분 전 · 알림 D-3 · 알림 D-1 하고 1시간 전 · 정각에 알려줘 · 알림 없이"


def with_lead(payload: dict[str, Any], text: str) -> dict[str, Any] | str:
    """The event payload reminded at the typed lead times instead (its echo and store plan from them), or why
    it cannot be."""
    leads = read_leads(text)
    if leads is None:
        return f"알림 시점을 알아보지 못했습니다. {LEAD_EXAMPLE}"
    if payload["precision"] == "month":
        return "날짜가 정해지지 않은 일정은 그 달 첫 근무일에 알립니다. 날짜를 먼저 정해 주세요. 예: 9월 15일 15시로"
    if payload["precision"] != "minute" and any(m % (24 * 60) for m in leads):
        return "시각이 없는 일정입니다. D-1처럼 날짜로 적거나 시각을 먼저 정해 주세요. 예: 알림 D-1, 오후 3시로"
    return {**payload, "lead": list(leads)}


def with_meridiem(payload: dict[str, Any], afternoon: bool) -> dict[str, Any]:
    start = datetime.fromisoformat(payload["start"])
    return {**payload, "start": start.replace(hour=start.hour % 12 + (12 if afternoon else 0)).isoformat()}


# -- storing ---------------------------------------------------------------------------------------

async def store(session: AsyncSession, kind: str, payload: dict[str, Any], owner: int, runtime: Runtime) -> str:
    """Store a confirmed draft in the caller's transaction (the one that finished the draft); the reply."""
    now = runtime.now()
    if kind == EVENT:
        event, planned = await save_event(session, event_of(payload), owner, runtime.reminder_settings, now)
        reply = texts.event_saved(event, planned, now, silent=payload.get("lead") == [])
        if event.category in runtime.field_rules.press_categories:  # the report's rule: council first
            leaders = await leadership_briefing(session, event.title, event.start_at, event.id, owner, now,
                                                runtime.field_rules)
            named = f": {', '.join(leaders)}" if leaders else "."
            reply += f"\n🏛 발표 전 시의회 사전 설명 알림도 등록했습니다{named}"
        return reply
    if kind == PERSONAL:
        text, due = personal_of(payload)
        await save_personal(session, owner, text, due, now)
        return texts.personal_saved(text, due, now)
    _, first = await save_rule(session, text=payload["text"], rrule=payload["rrule"],
                               holiday_shift=payload["holiday_shift"], owner_id=owner,
                               audience=payload["audience"], now=now)
    reply = f"반복 알림을 등록했습니다: {payload['description']} '{payload['text']}'"
    if first:
        reply += f"\n첫 알림: {texts.when_text(first, None, 'minute', False, now)}"
    return reply


async def fix_date(session: AsyncSession, event_id: int, when: DateResult, owner: int, is_admin: bool,
                   runtime: Runtime) -> str:
    """Give an event (a month-only one, typically) its date, in the caller's transaction; the reply."""
    now = runtime.now()
    event = await event_store.get_changeable(session, event_id, owner, is_admin)
    if event is None:
        return "이 일정은 취소되었거나 없습니다."
    new = DraftEvent(event.title, when.start, when.end, when.precision, when.tentative)
    planned = await reschedule_event(session, event, new, runtime.reminder_settings, now, owner)
    return "날짜를 바꿨습니다. " + texts.event_saved(event, planned, now)


def keeper(kind: str) -> Store[Caller]:
    """The store callback of a draft kind: runs in the transaction that finishes the draft."""
    async def keep(caller: Caller, session: AsyncSession, draft: Open) -> str:
        return await store(session, kind, draft.data(), caller.me.telegram_id, caller.runtime)

    return keep


def date_fixer(when: DateResult, owner: int, is_admin: bool, runtime: Runtime) -> Keep[str]:
    """What the date form's last answer keeps: the event named by the draft gets `when`."""
    async def keep(session: AsyncSession, row: Open) -> str:
        return await fix_date(session, int(row.payload["event_id"]), when, owner, is_admin, runtime)

    return keep


# -- event cards -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Card:
    event: Event
    pending: list[datetime]  # its reminders still to come, earliest first
    changeable: bool  # by the viewer: the card offers to (re)set its date


async def card(runtime: Runtime, event_id: int, viewer: int, is_admin: bool) -> Card | None:
    """An event the viewer may see, with its pending reminders; None if it is not there (or not theirs)."""
    async with runtime.sessionmaker() as session:
        event = await event_store.get_visible(session, event_id, viewer)
        if event is None:
            return None
        pending = sorted(r.due_at for r in await reminders.pending_of_event(session, event_id))
    return Card(event, pending, event_store.changeable_by(event, viewer, is_admin))


async def changeable(runtime: Runtime, event_id: int, viewer: int, is_admin: bool) -> Event | None:
    """The event if the viewer may change its date."""
    async with runtime.sessionmaker() as session:
        return await event_store.get_changeable(session, event_id, viewer, is_admin)
