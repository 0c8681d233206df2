"""Report facts: importing a spreadsheet of facts (updates keep the history), and the admins' form that adds a
fact or a new version of one, step by step. No Telegram here."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.lang.dates import DateResult, parse_when
from bot.lang.facts import key_base
from bot.lang.limits import field_problem
from bot.present.budget import summary_text
from bot.present.fit import names
from bot.present.staffing import staffing_table
from bot.runtime import Runtime
from bot.services import budget as budgeting
from bot.services.conversation import Keep, Open
from bot.services.fact_catalogue import Catalogue, read_catalogue
from bot.workers import run_cpu
from storage import facts as store
from storage import staffing
from storage.facts import FactDraft, FactRow
from storage.models import FactHistory


async def import_facts(session: Any, data: bytes, filename: str, now: Any, by: int | None
                       ) -> tuple[int, list[tuple[int, str, str]]]:
    """Facts from a spreadsheet (키, 주제, 질문어, 답변, 출처, 기준일), all or nothing; updates keep history."""
    from bot.sheets.facts import read_facts

    rows, problems = await run_cpu(read_facts, data, filename)
    if problems:
        return 0, [(p.row, p.column, p.reason) for p in problems]
    changed = 0
    for row in rows:
        _, did = await store.save(session, FactDraft(row.key, row.topic, row.questions, row.answer, (), row.source,
                                                     row.as_of), now, by)
        changed += did
    return changed, []


# -- the /fact add and /fact set form (a draft of kind FORM; its step names the question it waits for) -----------

FORM = "fact"
ADD, SET = "add", "set"
KEEP_SOURCE = "그대로"  # typed for the source: keep the fact's current one


def new_fact() -> dict[str, Any]:
    """/fact add: every field asked, from the topic on."""
    return {"mode": ADD}


def changed_fact(fact: FactRow) -> dict[str, Any]:
    """/fact set KEY: the topic and question words kept; the answer, source and as-of date asked."""
    return {"mode": SET, "key": fact.key, "topic": fact.topic, "questions": list(fact.questions), "render": None,
            "source": fact.source}


def first_step(payload: dict[str, Any]) -> str:
    return "topic" if payload.get("mode") == ADD else "answer"


def _after(payload: dict[str, Any], step: str) -> str | None:
    order = ("topic", "questions", "answer", "source", "as_of") if payload.get("mode") == ADD \
        else ("answer", "source", "as_of")
    at = order.index(step)
    return order[at + 1] if at + 1 < len(order) else None


def _too_long(field: str, value: str) -> str | None:
    problem = field_problem(field, value)
    return f"{problem} 줄여서 다시 입력해 주세요 (그만두려면 /cancel)." if problem else None


def take(payload: dict[str, Any], step: str, text: str, now: datetime) -> tuple[dict[str, Any], str | None] | str:
    """A typed answer to `step`: the payload with it and the next step (None: ready to store), or why it is
    refused (the same question stays open)."""
    value = text.strip()
    kept: Any = value
    if step == "questions":
        kept = [word.strip() for word in text.split(",") if word.strip()]
        if not kept:
            return "질문어를 하나 이상 쉼표로 입력하세요. 예: 자매도시, 우호도시"
    elif step == "answer" and not value:
        return "답변 내용(수치 포함)을 입력하세요."
    elif step == "source" and value == KEEP_SOURCE and payload.get("source"):
        kept = value = str(payload["source"])
    elif step == "as_of":
        when = parse_when(text, now, past=True)
        if not isinstance(when, DateResult):
            return f"{when.reason} 예: 2019-01-31"
        if when.start.date() > now.date():
            return "기준일은 오늘이나 그 전이어야 합니다. 예: 2019-01-31"
        kept = when.start.date().isoformat()
    if step != "as_of" and (problem := _too_long(f"fact_{step}", value)):
        return problem
    return {**payload, step: kept}, _after(payload, step)


async def store_form(session: AsyncSession, payload: dict[str, Any], now: datetime, by: int | None
                     ) -> tuple[FactRow, bool]:
    """The completed form: a new fact (never replacing one of the same topic) or a new version of the fact."""
    key = payload.get("key") or key_base(payload["topic"], now.date())
    draft = FactDraft(key, payload["topic"], tuple(payload["questions"]), payload["answer"], (), payload["source"],
                      date.fromisoformat(payload["as_of"]), payload.get("render"))
    if payload.get("mode") == ADD:
        return store.row_of(await store.add_new(session, draft, now, by)), True
    fact, changed = await store.save(session, draft, now, by)
    return store.row_of(fact), changed


def saved_text(fact: FactRow, changed: bool) -> str:
    return ("저장했습니다" if changed else "바뀐 내용이 없습니다") + f" (키: {fact.key})."


def keeper(payload: dict[str, Any], now: datetime, by: int | None, saved: list[FactRow]) -> Keep[str]:
    """What the completed form keeps, in the transaction that finishes it; the fact stored is put in `saved`."""
    async def keep(session: AsyncSession, row: Open) -> str:
        fact, changed = await store_form(session, payload, now, by)
        saved.append(fact)
        return saved_text(fact, changed)

    return keep


# -- reading ---------------------------------------------------------------------------------------------

async def catalogue(runtime: Runtime) -> Catalogue:
    async with runtime.sessionmaker() as session:
        return await read_catalogue(session)


async def all_facts(runtime: Runtime) -> list[FactRow]:
    return list((await catalogue(runtime)).facts)


async def by_key(runtime: Runtime, key: str) -> FactRow | None:
    return (await catalogue(runtime)).by_key(key)


async def named(runtime: Runtime, tail: str) -> FactRow | None:
    """The fact a button names: its key, or (a key too long for a button) "~" and a digest of it."""
    if not tail.startswith("~"):
        return await by_key(runtime, tail)
    return next((f for f in await all_facts(runtime) if names(tail, f.key)), None)


async def history(runtime: Runtime, fact: FactRow) -> Sequence[FactHistory]:
    async with runtime.sessionmaker() as session:
        return await store.history(session, fact)


async def body(runtime: Runtime, fact: FactRow) -> str:
    """The answer; for facts held as structured tables, rendered from them (one source of truth)."""
    async with runtime.sessionmaker() as session:
        if fact.render == "staffing":
            rows = await staffing.latest(session)
            if rows:
                return staffing_table(rows, with_source=False)
        elif fact.render == "budget":
            book = await budgeting.open_book(session, fact.as_of)
            if book is not None:
                summary = await budgeting.summary(session, book, budgeting.clamp_as_of(book, runtime.now().date()))
                return "\n".join(summary_text(summary, runtime.now()).splitlines()[:-1])
    return fact.answer
