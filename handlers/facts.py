"""Report facts: any question about the report's figures answered in one message with its source and as-of date
(/facts, free text), several matches as buttons, no match → the closest topics; admins add or update facts
(/fact add, /fact set KEY: a form on the conversation mechanism; a spreadsheet) and the history is kept
(/fact history)."""

from __future__ import annotations

from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.commands import CommandHelp
from bot.context import BotContext
from bot.lang.asked import asked_view, pick_figure, staffing_number
from bot.lang.facts import FactIndex, FactMatch, closest_topics, rank
from bot.present import brief
from bot.present import facts as view
from bot.present.fit import named_data
from bot.services import facts as facting
from bot.services import topics
from bot.services.conversation import Open
from handlers import budget as budget_answers
from handlers import conversation as talk
from handlers import staffing as staffing_answers
from handlers.buttons import button, found
from handlers.gate import figures_withheld

COMMANDS = (
    CommandHelp("facts", "보고서 수치·자료 찾기", "/facts · /facts 자매도시 · 시민참여예산 규모 · 자매도시 몇 곳이야?"),
    CommandHelp("fact", "자료 추가·수정·이력 (추가·수정은 관리자)",
                "/fact history 자매도시 · /fact set sister-cities · /fact add"),
)


def _markup(rows: list[list[tuple[str, str]]]) -> InlineKeyboardMarkup | None:
    rows = [row for row in rows if row]
    return InlineKeyboardMarkup([[InlineKeyboardButton(t, callback_data=d) for t, d in r] for r in rows]) \
        if rows else None


async def _say(update: Update, context: BotContext, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
    assert update.effective_chat is not None
    await context.bot.send_message(update.effective_chat.id, text, reply_markup=markup)


async def _catalogue(context: BotContext) -> facting.Catalogue:
    return await facting.catalogue(context.runtime)


async def answer_figure(update: Update, context: BotContext, fact: facting.FactRow, text: str, figure: str | None
                        ) -> bool:
    """The one figure of `fact` that the question asks for, first, in a line or two, with "자세히" for the
    whole card (and the subject remembered for a follow-up). False when no one figure is asked."""
    if fact.render == "staffing" and staffing_number(text, figure) is not None:
        return await staffing_answers.answer_number(update, context, text, figure)
    if fact.render == "budget":
        return await budget_answers.answer_figure(update, context, "s", figure) if figure else False
    picked = pick_figure(text, figure, fact.figures)
    if picked is None:
        return False
    await remember(update, context, fact.key)
    text = brief.fact_brief(fact.topic, picked, fact.answer, fact.as_of)
    warning = view.stale_warning(fact.as_of, context.runtime.now(), context.runtime.fact_stale_days)
    await _say(update, context, f"{text}\n{warning}" if warning else text,
               _markup([[(brief.DETAIL, named_data("fact:", fact.key))]]))
    return True


async def remember(update: Update, context: BotContext, key: str) -> None:
    assert update.effective_chat is not None
    await topics.note(context.runtime, context.me.telegram_id, update.effective_chat.id, topics.Topic("fact", key))


async def show(update: Update, context: BotContext, fact: facting.FactRow, others: list[FactMatch], text: str = "",
               figure: str | None = None) -> None:
    """The fact asked about: one figure when the question asks one (`figure`: the reading's view slot, else
    read from `text`), else the whole card."""
    figure = figure if figure is not None or not text else asked_view(text)
    if text and await answer_figure(update, context, fact, text, figure):
        return
    if text:
        await remember(update, context, fact.key)
    runtime = context.runtime
    if fact.render == "budget" and await figures_withheld(update, context):
        return  # budget figures stay out of group chats unless access.allow_groups
    body = await facting.body(runtime, fact)
    as_of = fact.as_of
    if fact.render == "budget":  # the balances are as of today's ledger, not the report's 6.30.
        as_of = runtime.now().date() if runtime.now().date().year == fact.as_of.year else fact.as_of
    text = view.fact_text(fact.topic, body, as_of, fact.source, runtime.now(), runtime.fact_stale_days)
    buttons = [[(f"관련: {m.topic}", named_data("fact:", m.key))] for m in others]
    await _say(update, context, text, _markup(buttons))


async def fact_index(context: BotContext) -> FactIndex:
    """The facts' index for the understanding step (built once per change of the facts)."""
    return (await _catalogue(context)).index


async def answer(update: Update, context: BotContext, key: str, text: str) -> None:
    """The fact a question was read as (``fact_query``), with the related ones as buttons."""
    known = await _catalogue(context)
    fact = known.by_key(key)
    if fact is None:  # removed since the message was read
        await no_answer(update, context, text)
        return
    matches = rank(text, known.entries)
    best = max((m.score for m in matches if m.key == key), default=0.0)
    await show(update, context, fact, [m for m in matches if m.key != key and m.score >= 0.6 * best][:3], text)


async def no_answer(update: Update, context: BotContext, text: str) -> None:
    known = await _catalogue(context)
    keys = closest_topics(text, known.entries)
    by_key = {f.key: f for f in known.facts}
    buttons = [[(by_key[k].topic, named_data("fact:", k))] for k in keys if k in by_key]
    await _say(update, context, view.no_match(text), _markup(buttons))


@button
async def on_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None
    fact = found(await facting.named(context.runtime, query.data.removeprefix("fact:")))
    await query.answer()
    await show(update, context, fact, [])


async def facts_command(update: Update, context: BotContext) -> None:
    words = " ".join(context.args or [])
    known = await _catalogue(context)
    facts = known.facts
    if not words:
        await _say(update, context, view.topics_text([f.topic for f in facts]),
                   _markup([[(f.topic, named_data("fact:", f.key))] for f in facts]))
        return
    matches = rank(words, known.entries)
    if not matches:
        await no_answer(update, context, words)
        return
    fact = next(f for f in facts if f.key == matches[0].key)
    await show(update, context, fact, [m for m in matches[1:] if m.score >= 0.6 * matches[0].score], words)


# -- admins: add, update, history -------------------------------------------------------------------------

async def fact_command(update: Update, context: BotContext) -> None:
    args = context.args or []
    action = args[0] if args else ""
    if action in ("history", "이력"):
        await _history(update, context, " ".join(args[1:]))
        return
    if action not in ("add", "추가", "set", "수정"):
        await _say(update, context, "사용법: /fact history 주제 · /fact add · /fact set 키 (추가·수정은 관리자)")
        return
    if not context.me.is_admin:
        await _say(update, context, "자료 추가·수정은 관리자만 할 수 있습니다.")
        return
    if action in ("add", "추가"):
        payload = facting.new_fact()
    else:
        fact = await _find(context, " ".join(args[1:]))
        if fact is None:
            await _say(update, context,
                       "어느 자료인지 찾지 못했습니다. 예: /fact set sister-cities (키: /fact history)")
            return
        payload = facting.changed_fact(fact)
    await talk.start(update, context, facting.FORM, payload, facting.first_step(payload))


async def _find(context: BotContext, words: str) -> facting.FactRow | None:
    known = await _catalogue(context)
    exact = known.by_key(words.strip())
    if exact is not None or not words.strip():
        return exact
    matches = rank(words, known.entries)
    return known.by_key(matches[0].key) if matches else None


async def _history(update: Update, context: BotContext, words: str) -> None:
    fact = await _find(context, words)
    if fact is None:
        await _say(update, context, "어느 자료의 이력인지 찾지 못했습니다. 예: /fact history 자매도시")
        return
    entries = await facting.history(context.runtime, fact)
    await _say(update, context, f"(키: {fact.key})\n" + view.history_text(fact.topic, fact, entries,
                                                                          context.runtime.now()))


PROMPTS = {
    "topic": "새 자료의 주제를 입력하세요. 예: 서울시 자매우호도시 현황",
    "questions": "이 자료를 찾을 질문어를 쉼표로 입력하세요. 예: 자매도시, 자매우호도시, 우호도시",
    "answer": "답변 내용(수치 포함)을 입력하세요.",
    "source": f"출처(문서와 항목)를 입력하세요. 예: 2019.1 주요업무 보고 Ⅱ-5 "
              f"('{facting.KEEP_SOURCE}'는 지금 출처 유지)",
    "as_of": "기준일을 입력하세요. 예: 2019-01-31, 2019년 1월 31일",
}


async def ask_step(update: Update, context: BotContext, draft: Open) -> None:
    """The form's current question (a new fact's answer, or a fact's new answer with the one it replaces)."""
    payload = draft.data()
    prompt = PROMPTS.get(draft.step or "", PROMPTS["answer"])
    if draft.step == "answer" and payload.get("mode") == facting.SET:
        fact = await facting.by_key(context.runtime, str(payload.get("key", "")))
        now = f"\n지금: {fact.answer}" if fact is not None else ""
        prompt = f"'{payload.get('topic', '')}'의 새 내용을 입력하세요 (지금 값은 이력에 남습니다).{now}"
    await _say(update, context, f"{prompt} (그만두려면 /cancel)", talk.markup([talk.cancel_row(draft)]))


async def on_answer(update: Update, context: BotContext, draft: Open, text: str) -> None:
    """A typed answer to the form's question: refused with the reason (the question stays), the next question,
    or — the as-of date being the last — the fact stored with the draft finished in one transaction."""
    taken = facting.take(draft.data(), draft.step or "", text, context.runtime.now())
    if isinstance(taken, str):
        await _say(update, context, taken)
        return
    payload, step = taken
    if step is not None:
        await talk.advance(update, context, draft, payload, step)
        return
    saved: list[facting.FactRow] = []
    keep = facting.keeper(payload, context.runtime.now(), context.me.telegram_id, saved)
    if await talk.complete(update, context, draft, keep):
        await show(update, context, saved[0], [])


FLOWS = {
    facting.FORM: talk.Flow("자료 입력", ask_step, answer=on_answer,
                            text_steps=frozenset({"topic", "questions", "answer", "source", "as_of"}),
                            only_questions_interrupt=True),
}


def handlers() -> list[BaseHandler[Update, BotContext, Any]]:
    return [
        CommandHandler("facts", facts_command),
        CommandHandler("fact", fact_command),
        CallbackQueryHandler(on_button, pattern=r"^fact:.+$"),
    ]
