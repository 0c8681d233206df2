"""The Telegram side of the one conversation mechanism (bot/services/conversation.py).

Every echo's and form's buttons carry the draft id: ``d:<id>:ok`` (확인), ``d:<id>:over`` (an admin's 초과 지출
승인), ``d:<id>:no`` (취소), ``d:<id>:edit:<field>``, ``d:<id>:resume`` / ``d:<id>:drop`` (a form set aside),
and a feature's own choices ``d:<id>:<action>[:<arg>]``. A feature describes each of its draft kinds with a
`Flow`; the free-text router hands a form its typed answers (read from the open draft's step in the database)
and an open echo its typed corrections, and a question or a clearly different request typed while a form is
open is answered first, then the form is offered back.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.commands import CommandHelp
from bot.context import BotContext
from bot.lang.corrections import LABELS, read_correction, reads_as
from bot.lang.intent_table import MIN_SCORE
from bot.lang.phrases import asks_something
from bot.lang.textutil import has_final_consonant
from bot.lang.understand import understand
from bot.present.keys import MAX_KEYS
from bot.services.conversation import Confirmed, Conversation, Keep, Open, Outcome, Store
from handlers.buttons import StaleButton, button, ident, one_of

COMMANDS = (CommandHelp("cancel", "진행 중인 입력 취소", "/cancel"),)
ALREADY_DONE = "이미 처리한 확인입니다"
EXPIRED = "시간이 지나 취소된 초안입니다 — 다시 입력해 주세요"
DROPPED = "취소된 초안입니다 — 다시 입력해 주세요"
NOT_READY = "아직 입력 중인 초안입니다. 가장 최근 질문에 먼저 답해 주세요(그만두려면 /cancel)."
CANCELLED = "취소했습니다. 아무것도 저장하지 않았습니다."
# An intent at least this sure, of another kind than the form's answers, is a new request, not an answer.
CLEAR_SCORE = MIN_SCORE + 2  # 지연 공약, 이번주 일정, 업무추진비 잔액: 5 or more; 9월 16일 (a date): 3
REGISTRY = "flows"  # bot_data key: draft kind → Flow

Show = Callable[[Update, BotContext, Open], Awaitable[None]]
Answer = Callable[[Update, BotContext, Open, str], Awaitable[None]]
Choose = Callable[[Update, BotContext, Open, str, str], Awaitable[None]]
Correct = Callable[[Update, BotContext, Open, str, str], Awaitable[None]]
Check = Callable[[BotContext, Open, str], str | None]


@dataclass(frozen=True)
class Flow:
    """How one draft kind talks: its name in messages, how to show its current step (or its echo), how to store
    it on 확인, and which typed answers, button choices and field corrections it takes."""

    label: str  # "현장방문 기록": "입력 중이던 현장방문 기록이 있습니다"
    show: Show  # (re-)send the current step's question, or the echo when there is no step
    store: Store[BotContext] | None = None  # runs inside the transaction that finishes the draft; returns the reply
    answer: Answer | None = None  # a typed answer to one of `text_steps` (or to an edit:<field> step)
    text_steps: frozenset[str] = frozenset()
    choose: Choose | None = None  # d:<id>:<action>:<arg> presses of the feature's own buttons
    fields: tuple[str, ...] = ()  # editable fields of the echo (bot.lang.corrections names)
    correct: Correct | None = None  # (field, typed value): change it and re-echo (or say what is wrong)
    edit: Answer | None = None  # d:<id>:edit:<field> pressed: ask for it (default: the field's prompt)
    answers: tuple[str, ...] = ()  # intent names that are answers to this form, never interruptions
    check: Check | None = None  # why this 확인 (action ok/over) may not store, if it may not
    prompts: Mapping[str, str] = field(default_factory=dict)  # field → question when its edit button is pressed
    # Free-text answers (a fact's topic, answer, source: report text that reads like any request): only a
    # question interrupts the form, never what the text would mean on its own.
    only_questions_interrupt: bool = False


def flows(context: BotContext) -> Mapping[str, Flow]:
    registry: Mapping[str, Flow] = context.application.bot_data[REGISTRY]
    return registry


def collect(modules: tuple[Any, ...]) -> dict[str, Flow]:
    return {kind: flow for module in modules for kind, flow in getattr(module, "FLOWS", {}).items()}


def of(update: Update, context: BotContext) -> Conversation:
    """The presser's drafts in this chat."""
    assert update.effective_chat is not None
    return Conversation(context.runtime, context.me.telegram_id, update.effective_chat.id)


def markup(rows: list[list[tuple[str, str]]]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(text[:60], callback_data=data) for text, data in row]
                                 for row in rows if row])


def data(draft: Open | int, action: str, *args: str | int) -> str:
    draft_id = draft if isinstance(draft, int) else draft.id
    return ":".join(("d", str(draft_id), action, *(str(arg) for arg in args)))


def echo_buttons(draft: Open, flow: Flow, confirm: tuple[str, str] = ("확인", "ok")) -> InlineKeyboardMarkup:
    """확인 / 취소, then one button per field that can change, the flow's most used first, all on one phone page
    (MAX_KEYS): a field past it is still changed by typing ("참석자 …")."""
    edits = [(f"{LABELS[name]} 변경", data(draft, "edit", name)) for name in flow.fields[:MAX_KEYS - 2]]
    return markup([[(confirm[0], data(draft, confirm[1])), ("취소", data(draft, "no"))],
                   *(edits[i:i + 3] for i in range(0, len(edits), 3))])


def cancel_row(draft: Open) -> list[tuple[str, str]]:
    return [("취소", data(draft, "no"))]


async def say(update: Update, context: BotContext, text: str, reply_markup: InlineKeyboardMarkup | None = None) -> None:
    assert update.effective_chat is not None
    await context.bot.send_message(update.effective_chat.id, text, reply_markup=reply_markup)


async def start(update: Update, context: BotContext, kind: str, payload: dict[str, Any], step: str | None = None,
                *, replace_kinds: tuple[str, ...] = ()) -> Open:
    """Start an echo or a form of `kind` here and show it."""
    draft = await of(update, context).start(kind, payload, step, replace_kinds=replace_kinds)
    context.asked = True
    await flows(context)[kind].show(update, context, draft)
    return draft


async def advance(update: Update, context: BotContext, draft: Open, payload: dict[str, Any],
                  step: str | None) -> Open | None:
    """Keep `payload`, go to `step` and show it; says so if the draft ended meanwhile."""
    moved = await of(update, context).advance(draft, payload, step)
    if moved is None:
        await say(update, context, EXPIRED)
        return None
    context.asked = True
    await flows(context)[draft.kind].show(update, context, moved)
    return moved


async def complete(update: Update, context: BotContext, draft: Open, store: Keep[str]) -> bool:
    """A form's last typed answer: finish the draft and store in one transaction, then say what happened.
    False if nothing was stored (the draft ended meanwhile)."""
    done: Confirmed[str] = await of(update, context).confirm(draft.id, store, require_echo=False)
    if done.outcome is not Outcome.STORED or done.result is None:
        await say(update, context, _ENDED.get(done.outcome, EXPIRED))
        return False
    context.runtime.wake()
    await say(update, context, done.result)
    return True


async def finish(update: Update, context: BotContext, draft: Open) -> bool:
    """A form whose last answer stores nothing (a lookup's date): finish it; False (and said) if it ended."""
    outcome = await of(update, context).close(draft.id)
    if outcome is not Outcome.STORED:
        await say(update, context, _ENDED.get(outcome, EXPIRED))
    return outcome is Outcome.STORED


def subject(label: str) -> str:
    return label + ("이" if has_final_consonant(label) else "가")


# -- free text: a form's answer, an echo's correction, or an interruption ------------------------------

def interrupts(text: str, flow: Flow, context: BotContext, editing: str | None = None) -> bool:
    """The text typed while a form waits is clearly not its answer: a question, or a sure request of another
    kind. (The one place that decides it.) A date or a time alone ('어제 오후 3시', '9월 중') answers the form,
    whatever it reads as on its own (the understanding step reads it as a look at that day's agenda), and so
    does a whole value of the echo field being changed (`editing`: "2시간 전" for 알림)."""
    if editing is not None and reads_as(editing, text, context.runtime.now()):
        return False
    if flow.only_questions_interrupt:
        return asks_something(text)
    understood = understand(text, context.runtime.now())
    intent = understood.intent()
    if intent.name in flow.answers or "bare_date" in understood.features:
        return False
    return asks_something(text) or (intent.name != "unknown" and intent.score >= CLEAR_SCORE)


async def take_text(update: Update, context: BotContext, text: str) -> Open | bool | None:
    """Before the router reads a text: True if an open form took it as its answer or an open echo as a
    correction; a form (to offer back after the text is answered) if the text interrupted it; else None."""
    if context.member is None or update.effective_chat is None:
        return None
    registry = flows(context)
    talk = of(update, context)
    here = await talk.look()
    form = here.form()
    if form is not None and not form.paused and form.kind in registry:
        flow = registry[form.kind]
        answering = form.editing is not None or form.step in flow.text_steps
        if answering and flow.answer is not None:
            if interrupts(text, flow, context, form.editing):
                await talk.pause(form)
                return form
            await flow.answer(update, context, form, text)
            return True
    typed = _typed_answer(text)
    if typed is not None:
        confirmable = tuple(kind for kind, flow in registry.items() if flow.store is not None)
        echo = here.echo(confirmable) if confirmable else None
        if echo is not None:
            if typed == "ok":
                await _confirm(update, context, talk, echo, registry[echo.kind], "ok")
            else:
                await talk.cancel(echo.id)
                await say(update, context, CANCELLED)
            return True
    correctable = tuple(kind for kind, flow in registry.items() if flow.fields and flow.correct is not None)
    echo = here.echo(correctable) if correctable else None
    if echo is not None:
        correction = read_correction(text, context.runtime.now())
        flow = registry[echo.kind]
        if correction is not None and correction.field in flow.fields and flow.correct is not None:
            await flow.correct(update, context, echo, correction.field, correction.value)
            return True
    return None


_TYPED_OK = re.compile(r"^(?:확인|네|넵|예|응|ㅇㅇ|ㅇㅋ|오케이|ok|맞아요?|맞습니다|맞음|좋아요?"
                       r"|저장(?:해\s*줘)?|등록(?:해\s*줘)?)[\s.!~^ㅎ]*$", re.IGNORECASE)
_TYPED_NO = re.compile(r"^(?:취소|아니(?:요|오)?|ㄴㄴ|됐어|그만)[\s.!~]*$")


def _typed_answer(text: str) -> str | None:
    """'ok' for 확인 typed instead of pressed, 'no' for 취소; None for anything else."""
    clean = text.strip()
    return "ok" if _TYPED_OK.match(clean) else "no" if _TYPED_NO.match(clean) else None


async def offer_back(update: Update, context: BotContext, form: Open) -> None:
    label = flows(context)[form.kind].label
    await say(update, context, f"입력 중이던 {subject(label)} 있습니다",
              markup([[("이어서 하기", data(form, "resume")), ("버리기", data(form, "drop"))]]))


# -- buttons ---------------------------------------------------------------------------------------

_ENDED = {Outcome.DONE: ALREADY_DONE, Outcome.EXPIRED: EXPIRED, Outcome.DROPPED: DROPPED}


async def _ended(update: Update, outcome: Outcome) -> None:
    """A press on a draft that is no longer open: say why (a forged or another user's id is stale)."""
    query = update.callback_query
    assert query is not None
    if outcome is Outcome.MISSING:
        raise StaleButton("draft missing or not the presser's")
    await query.answer(_ENDED.get(outcome, ALREADY_DONE), show_alert=True)
    try:
        await query.edit_message_reply_markup(None)
    except BadRequest as exc:  # a second press (a double tap, or on another replica) after the buttons went
        if "not modified" not in str(exc).lower():
            raise


@button
async def on_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None
    parts = query.data.split(":")
    if len(parts) < 3 or len(parts) > 5:
        raise StaleButton("malformed draft button")
    draft_id = ident(parts[1])
    talk = of(update, context)
    draft, outcome = await talk.get(draft_id)
    if draft is None:
        await _ended(update, outcome)
        return
    flow = flows(context).get(draft.kind)
    if flow is None:
        raise StaleButton(f"no flow for {draft.kind!r}")
    action, args = parts[2], parts[3:]
    if action in ("ok", "over"):
        await _confirm(update, context, talk, draft, flow, action)
    elif action in ("no", "drop"):
        ended = await talk.cancel(draft.id)
        if ended is not Outcome.DROPPED:
            await _ended(update, ended)
            return
        await query.answer()
        await query.edit_message_text(CANCELLED if action == "no" else f"입력 중이던 {label_of(flow)} 버렸습니다.")
    elif action == "resume" and not args:
        resumed = await talk.resume(draft)
        await query.answer()
        await query.edit_message_reply_markup(None)
        if resumed is not None:
            await flow.show(update, context, resumed)
    elif action == "edit" and len(args) == 1:
        await _edit(update, context, draft, flow, one_of(args[0], flow.fields))
    elif flow.choose is not None and len(args) <= 1:
        await flow.choose(update, context, draft, action, args[0] if args else "")
    else:
        raise StaleButton(f"unknown draft action {action!r}")


def label_of(flow: Flow) -> str:
    return flow.label + ("을" if has_final_consonant(flow.label) else "를")


async def _confirm(update: Update, context: BotContext, talk: Conversation, draft: Open, flow: Flow,
                   action: str) -> None:
    """확인 pressed (or typed: then the answers come as messages, there being no button to answer)."""
    query = update.callback_query

    async def tell(text: str) -> None:
        if query is not None:
            await query.answer(text, show_alert=True)
        else:
            await say(update, context, text)

    if flow.store is None:
        raise StaleButton(f"{draft.kind} is not confirmed by a button")
    if draft.step is not None:  # a form still asking: its echo is not on screen yet
        await tell(NOT_READY)
        return
    refusal = flow.check(context, draft, action) if flow.check is not None else None
    if refusal is not None:
        await tell(refusal)
        return
    done: Confirmed[str] = await talk.confirm(draft.id, partial(flow.store, context))
    if done.outcome is Outcome.NOT_READY:
        await tell(NOT_READY)
        return
    if done.outcome is not Outcome.STORED:
        if query is None:
            await tell(_ENDED.get(done.outcome, ALREADY_DONE))
        else:
            await _ended(update, done.outcome)
        return
    context.runtime.wake()
    assert done.result is not None
    if query is None:
        await say(update, context, done.result)
        return
    await query.answer()
    await query.edit_message_text(done.result)


async def _edit(update: Update, context: BotContext, draft: Open, flow: Flow, name: str) -> None:
    query = update.callback_query
    assert query is not None
    if draft.step is not None:
        await query.answer(NOT_READY, show_alert=True)
        return
    await query.answer()
    await query.edit_message_reply_markup(None)
    if flow.edit is not None:
        await flow.edit(update, context, draft, name)
        return
    await ask_typed(update, context, draft, name)


async def ask_typed(update: Update, context: BotContext, draft: Open, name: str) -> None:
    """An echo's field to be typed anew: the draft waits on edit:<name> and the field's prompt is sent."""
    moved = await of(update, context).advance(draft, draft.data(), f"edit:{name}")
    if moved is None:
        await say(update, context, EXPIRED)
        return
    prompt = flows(context)[draft.kind].prompts.get(name, LABELS[name] + "을(를) 입력하세요.")
    await say(update, context, f"{prompt} (그만두려면 /cancel)")


async def cancel(update: Update, context: BotContext) -> None:
    """/cancel: every open draft of this chat — the form in progress and echoes not yet confirmed — is dropped."""
    await of(update, context).drop_forms()
    await say(update, context, CANCELLED)


async def after_command(update: Update, context: BotContext) -> None:
    """A command other than one that asked (it ran first, in group 0) is clearly not the open form's answer:
    the form waits, and is offered back."""
    if context.asked or context.member is None or update.effective_chat is None:
        return
    talk = of(update, context)
    form = await talk.open_form()
    if form is not None and not form.paused and form.kind in flows(context):
        await talk.pause(form)
        await offer_back(update, context, form)


def handlers() -> list[BaseHandler[Update, BotContext, Any]]:
    return [
        CommandHandler("cancel", cancel),
        CallbackQueryHandler(on_button, pattern=r"^d:"),
    ]


def after_commands() -> BaseHandler[Update, BotContext, None]:
    """Registered in group 1, after the feature handlers."""
    return MessageHandler(filters.COMMAND, after_command)
