"""Pledge use cases shared by the chat handlers, the CLI and the benchmark: the dashboard, search, import
(with milestone events), the evaluation events, a sub-project's updates (진행률, 상태, 메모, 자체평가) and the
card they apply to. No Telegram here."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.leads import ReminderSettings
from bot.domain.pledges import Dashboard, Reported, half_of
from bot.domain.pledges import dashboard as build_dashboard
from bot.lang.limits import field_problem, limit
from bot.lang.names import NameIndex
from bot.lang.phrases import pledge_search, read_note, read_progress, read_status
from bot.services.scheduling import plan_many
from bot.sheets.common import ImportLimits
from bot.workers import run_cpu
from storage import drafts, events, pledges, readcache
from storage.events import EventDraft
from storage.models import CorePledge, PledgeArea, SubProject
from storage.pledges import ImportResult

PLEDGE_KIND = "pledge"


@dataclass(frozen=True)
class SearchResult:
    words: tuple[str, ...]
    status: str | None
    code_hit: SubProject | CorePledge | PledgeArea | None
    areas: Sequence[PledgeArea]
    pledges: Sequence[CorePledge]
    subs: Sequence[SubProject]
    suggestions: tuple[tuple[str, str, int], ...]  # (kind, title, id) for "이거 말씀이세요?"

    @property
    def empty(self) -> bool:
        return not (self.status or self.code_hit or self.areas or self.pledges or self.subs)


async def dashboard(session: AsyncSession) -> Dashboard:
    """The dashboard, built once per change of the pledge tables (storage/readcache.py)."""
    return await readcache.cached(session, "pledges", "dashboard", _dashboard)


async def _dashboard(session: AsyncSession) -> Dashboard:
    reported = [Reported(r.scope, r.areas, r.core_pledges, r.sub_projects, tuple(r.examples))
                for r in await pledges.reports(session)]
    return build_dashboard(reported, await pledges.stats(session), await pledges.structure_counts(session))


async def search(session: AsyncSession, text: str, statuses: Sequence[str], limit: int = 10) -> SearchResult:
    asked = pledge_search(text, statuses)
    code_hit = await pledges.by_code(session, asked.code) if asked.code else None
    words, status = asked.words, asked.status
    if not words:
        return SearchResult(words, status, code_hit, (), (), (), ())
    areas, core, subs = await pledges.search_titles(session, words, limit)
    suggestions: tuple[tuple[str, str, int], ...] = ()
    if not (areas or core or subs or code_hit):
        titles = await pledges.all_titles(session)
        index = NameIndex({PLEDGE_KIND: [title for _, title, _ in titles]})
        lookup = index.lookup(" ".join(words), limit=3)
        by_title = {title: (kind, title, ident) for kind, title, ident in titles}
        suggestions = tuple(by_title[c.name] for c in lookup.candidates if c.name in by_title)
    return SearchResult(words, status, code_hit, areas, core, subs, suggestions)


def _milestone_key(sub_id: int, title: str, due: date) -> str:
    digest = hashlib.sha1(f"{sub_id}|{title}|{due}".encode()).hexdigest()[:16]
    return f"milestone:{digest}"


async def import_rows(session: AsyncSession, rows: Sequence[pledges.SubProjectRecord], now: datetime,
                      actor_id: int | None, settings: ReminderSettings) -> ImportResult:
    """Apply an import; each new milestone becomes an event (in the agenda, with its reminders), in bulk."""
    result = await pledges.apply_import(session, rows, now, actor_id)
    if not result.milestones:
        return result
    subs = await pledges.subs_by_id(session, sorted({sub_id for sub_id, _, _ in result.milestones}))
    drafts = {}
    for sub_id, title, due in result.milestones:
        sub = subs[sub_id]
        key = _milestone_key(sub_id, title, due)
        drafts[key] = EventDraft(
            title=f"[공약] {sub.title} — {title}", start_at=datetime.combine(due, time(0, 0), tzinfo=now.tzinfo),
            precision="day", category="공약", note=f"{sub.code} {sub.department}", audience="team",
            source=f"공약 세부사업 {sub.code}", seed_key=key)
    stored = await events.upsert_many_seeded(session, list(drafts.values()), now)
    await pledges.link_milestone_events(session, [(sub_id, title, due, stored[_milestone_key(sub_id, title, due)].id)
                                                  for sub_id, title, due in result.milestones])
    await plan_many(session, [event for event in stored.values()
                              if event.planned_at is None and event.start_at > now], settings, now)
    return result


async def import_file(session: AsyncSession, data: bytes, filename: str, statuses: Sequence[str], now: datetime,
                      actor_id: int | None, settings: ReminderSettings, *, limits: ImportLimits | None = None
                      ) -> tuple[ImportResult | None, list[tuple[int, str, str]]]:
    """Every row checked first (in a worker process, off the event loop); any problem and nothing is imported."""
    from bot.sheets.pledges import read_pledges

    rows, problems = await run_cpu(read_pledges, data, filename, statuses=statuses, limits=limits)
    if problems:
        return None, [(p.row, p.column, p.reason) for p in problems]
    return await import_rows(session, rows, now, actor_id, settings), []


def _deadline(year: int, half: int, tz: object) -> datetime:
    day = date(year, 6, 30) if half == 1 else date(year, 12, 31)
    return datetime.combine(day, time(9, 0), tzinfo=tz)  # type: ignore[arg-type]


async def ensure_evaluation_events(session: AsyncSession, now: datetime, lead_days: Sequence[int],
                                   review_month: int) -> int:
    """The half-yearly self-evaluation deadlines (this year's and next year's first) and the yearly review,
    as events with reminders a month and a week before and on the day (planned at start-up)."""
    if not await pledges.reports(session) and not await pledges.stats(session):
        return 0  # no pledges at all: nothing to evaluate
    leads = tuple(days * 24 * 60 for days in lead_days)
    created = 0
    for year, half in ((now.year, 1), (now.year, 2), (now.year + 1, 1)):
        key = f"pledge-evaluation-{year}-H{half}"
        if await events.by_seed_key(session, key) is None:
            await events.upsert_seeded(session, EventDraft(
                title=f"공약 반기 자체평가 마감 ({year}년 {'상' if half == 1 else '하'}반기)",
                start_at=_deadline(year, half, now.tzinfo), precision="minute", category="평가", audience="team",
                lead_minutes=leads, note="/pledges review 로 평가가 없는 세부사업을 확인하세요.",
                source="2018.7 주요업무 보고 Ⅱ-2 (반기별 자체평가)", seed_key=key), now)
            created += 1
    key = f"pledge-review-{now.year}"
    if await events.by_seed_key(session, key) is None:
        await events.upsert_seeded(session, EventDraft(
            title=f"공약 이행 점검보고회 ({now.year}년, 연 1회)",
            start_at=datetime(now.year, review_month, 1, tzinfo=now.tzinfo), precision="month", tentative=True,
            category="평가", audience="team", lead_minutes=leads, source="2018.7 주요업무 보고 Ⅱ-2 (연 1회 점검보고회)",
            seed_key=key), now)
        created += 1
    return created


async def export_file(session: AsyncSession) -> tuple[bytes, int]:
    """The current pledges in the import layout (an export uploads back unchanged), last remark as 비고."""
    from bot.sheets.pledges import PledgeRow, pledges_workbook

    rows = []
    for number, (sub, core, area) in enumerate(await pledges.everything(session), start=2):
        steps = tuple((m.title, m.due) for m in await pledges.milestones(session, sub.id))
        rows.append(PledgeRow(number, area.axis, area.code, area.name, core.code, core.title, sub.code, sub.title,
                              sub.department, sub.status, sub.progress, sub.budget_year, sub.budget_planned,
                              sub.budget_secured, sub.budget_spent, steps, await pledges.last_remark(session, sub.id)))
    return await run_cpu(pledges_workbook, rows), len(rows)


# -- updates of a sub-project: typed after a card's button (a form, FORM) or in chat ('진행률 45%') ----------------

FORM = "pledge_update"  # the draft kind of a card's update form; its step is one of UPDATES
UPDATES = ("progress", "status", "note", "eval")
CARD = "pledge_card"  # a note of the card last shown: '진행률 45%' typed in chat applies to it


@dataclass(frozen=True)
class Change:
    """One checked update of a sub-project."""

    what: str  # one of UPDATES
    progress: int | None = None
    status: str | None = None
    text: str | None = None  # the status reason, the memo or the evaluation comment
    grade: str | None = None


def read_change(what: str, text: str, statuses: Sequence[str]) -> Change | str:
    """The update typed for `what`, or the Korean reason it is refused (nothing changes)."""
    if what == "progress":
        progress = read_progress(text)
        return progress if isinstance(progress, str) else Change(what, progress=progress)
    if what == "status":
        status = read_status(text, statuses)
        if isinstance(status, str):
            return status
        return field_problem("pledge_reason", status[1]) or Change(what, status=status[0], text=status[1])
    if what == "note":
        note = read_note(text)
        if not note:
            return "메모를 입력하세요. 예: 메모 9월 추경 반영 요청"
        return field_problem("pledge_note", note) or Change(what, text=note)
    grade, _, comment = text.strip().partition(" ")
    if not grade or len(grade) > limit("pledge_grade"):
        return f"자체평가 등급을 {limit('pledge_grade')}자 이내로 입력하세요. 예: A 계획대로 추진"
    return field_problem("pledge_comment", comment.strip()) or Change(what, text=comment.strip() or None, grade=grade)


async def apply_change(session: AsyncSession, sub_id: int, change: Change, now: datetime, by: int) -> bool:
    """Store the update (audited in the sub-project's history); False if the sub-project is gone."""
    sub = await pledges.sub_project(session, sub_id)
    if sub is None:
        return False
    if change.what == "progress" and change.progress is not None:
        await pledges.set_progress(session, sub, change.progress, None, now, by)
    elif change.what == "status" and change.status is not None:
        await pledges.set_status(session, sub, change.status, change.text, now, by)
    elif change.what == "note" and change.text is not None:
        await pledges.add_note(session, sub, change.text, now, by)
    elif change.what == "eval" and change.grade is not None:
        await pledges.evaluate(session, sub, half_of(now.month, now.year), change.grade, change.text, now, by)
    return True


async def remember_card(session: AsyncSession, owner_id: int, chat_id: int, sub_id: int, now: datetime,
                        ttl: timedelta) -> None:
    await drafts.keep_note(session, owner_id=owner_id, chat_id=chat_id, kind=CARD, payload={"sub_id": sub_id},
                           now=now, ttl=ttl)


async def card_shown(session: AsyncSession, owner_id: int, chat_id: int, now: datetime) -> int | None:
    """The sub-project whose card was last shown here (within the draft timeout), if any."""
    note = await drafts.latest_note(session, owner_id, chat_id, CARD, now)
    return int(note.payload["sub_id"]) if note is not None and "sub_id" in note.payload else None
