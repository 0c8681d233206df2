"""Follow-ups in words: take back my last entry, put off a reminder, correct my last spending's amount; my
reminders and spending listed, files and the calendar asked for in words, the as-of dates, thanks and greetings.
Undo and corrections are echoes of the one conversation mechanism (handlers/conversation.py): stored on 확인."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot.context import BotContext
from bot.domain.access import DataKind
from bot.lang import followups as words
from bot.lang.amounts import Amount
from bot.lang.intents import Intent
from bot.present import followups as view
from bot.present.budget import k
from bot.services import followups as service
from bot.services.conversation import Open
from handlers import agenda, budget, pledges, reminders, visits
from handlers.buttons import StaleButton, button, ident, one_of
from handlers.conversation import Flow, data, echo_buttons, markup, of, say, start
from handlers.gate import withheld

UNDO, FIX, PICK = "undo_last", "spending_fix", "reminder_pick"
EXPORTS = {"visits": "현장방문", "meetings": "간담회·면담", "budget": "업무추진비 장부", "pledges": "공약"}
NO_BOOK = budget.NO_BOOK


def _text(update: Update) -> str:
    assert update.effective_message is not None and update.effective_message.text is not None
    return update.effective_message.text


# -- undo the last entry ------------------------------------------------------------------------------------

async def on_undo(update: Update, context: BotContext, intent: Intent) -> None:
    if await withheld(update, context, DataKind.PERSONAL):
        return
    kind = words.named_kind(_text(update))
    item = await service.latest_entry(context.runtime, context.me.telegram_id, kind)
    if item is None:
        await say(update, context, view.nothing_to_undo(kind))
        return
    await start(update, context, UNDO, {"kind": item.kind, "id": item.id, "question": view.undo_question(
        service.view_of(item), context.runtime.now())})


async def _show_undo(update: Update, context: BotContext, draft: Open) -> None:
    await say(update, context, draft.payload["question"], echo_buttons(draft, FLOWS[UNDO]))


# -- correct the last spending's amount ---------------------------------------------------------------------

async def on_fix(update: Update, context: BotContext, intent: Intent) -> None:
    if await withheld(update, context, DataKind.PERSONAL):
        return
    amount = words.corrected_amount(_text(update))
    if amount is None:
        await say(update, context, f"얼마로 고칠까요? {view.FIX_EXAMPLE}")
        return
    if not isinstance(amount, Amount):
        await say(update, context, f"{amount.reason}\n아무것도 바꾸지 않았습니다.")
        return
    me = context.me
    entry, fix = await service.proposed_fix(context.runtime, me.telegram_id, me.is_admin, amount.won)
    if entry is None:
        await say(update, context, "24시간 안에 직접 기록한 지출이 없습니다. 고칠 것이 없습니다.")
    elif fix is None:
        await say(update, context, NO_BOOK)
    elif fix.new_won == entry.amount_won:
        await say(update, context, f"기록 {entry.id}의 금액은 이미 {k(entry.amount_won)}천원입니다. 바꾸지 않았습니다.")
    elif fix.warnings and not me.is_admin:
        await say(update, context, "\n".join(fix.warnings) + "\n아무것도 바꾸지 않았습니다. 관리자에게 요청하세요.")
    else:
        await start(update, context, FIX, {
            "entry": entry.id, "amount": fix.new_won, "over": bool(fix.warnings),
            "echo": view.fix_echo(entry.spent_on, entry.purpose, entry.id, entry.amount_won, fix.new_won, fix.line,
                                  fix.left_after, fix.warnings)})


async def _show_fix(update: Update, context: BotContext, draft: Open) -> None:
    confirm = ("초과 지출 승인", "over") if draft.payload["over"] else ("확인", "ok")
    await say(update, context, draft.payload["echo"], echo_buttons(draft, FLOWS[FIX], confirm))


def _check_fix(context: BotContext, draft: Open, action: str) -> str | None:
    if draft.payload["over"] and (action != "over" or not context.me.is_admin):
        return "잔액이나 한 건 한도를 넘는 금액은 관리자의 '초과 지출 승인'으로만 고칠 수 있습니다."
    return None


# -- put off a reminder ------------------------------------------------------------------------------------

async def on_move(update: Update, context: BotContext, intent: Intent) -> None:
    if await withheld(update, context, DataKind.PERSONAL):
        return
    text, now = _text(update), context.runtime.now()
    meant = await service.move_meant(context.runtime, context.me.telegram_id, text)
    if meant.reply is not None:
        context.runtime.wake()
        await say(update, context, meant.reply)
    elif not meant.ids:
        await say(update, context, view.no_reminder_meant(meant.targets, meant.mine, now) + f"\n{view.MOVE_EXAMPLE}")
    else:
        await start(update, context, PICK, {"ids": meant.ids, "text": text,
                                            "choice": view.reminder_choice(meant.choices, now)})


async def _show_pick(update: Update, context: BotContext, draft: Open) -> None:
    buttons = [[(f"{number}번", data(draft, "pick", reminder_id))]
               for number, reminder_id in enumerate(draft.payload["ids"], 1)]
    await say(update, context, draft.payload["choice"], markup([*buttons, [("취소", data(draft, "no"))]]))


async def _choose_pick(update: Update, context: BotContext, draft: Open, action: str, arg: str) -> None:
    query = update.callback_query
    assert query is not None
    if action != "pick":
        raise StaleButton(f"unknown reminder choice {action!r}")
    chosen = int(one_of(str(ident(arg)), [str(i) for i in draft.payload["ids"]]))
    me, now = context.me.telegram_id, context.runtime.now()
    done = await of(update, context).confirm(
        draft.id, lambda session, row: service.move_in_words(session, chosen, me, row.payload["text"], now))
    if done.result is None:
        await query.answer("이미 처리한 선택입니다.", show_alert=True)
        return
    context.runtime.wake()
    await query.answer()
    await query.edit_message_text(done.result)


# -- lists, files, as-of, small talk -------------------------------------------------------------------------

async def on_reminder_list(update: Update, context: BotContext, intent: Intent) -> None:
    await reminders.list_reminders(update, context)


async def on_spending_list(update: Update, context: BotContext, intent: Intent) -> None:
    if await withheld(update, context, DataKind.RECORDS):
        return
    rows = await service.my_spending(context.runtime, context.me.telegram_id)
    if rows is None:
        await say(update, context, NO_BOOK)
        return
    await say(update, context, view.spending_list(rows, context.me.is_admin))


async def _send_export(update: Update, context: BotContext, what: str) -> None:
    if what == "visits":
        await visits._export(update, context, "visit", [])
    elif what == "meetings":
        await visits._export(update, context, "meeting", [])
    elif what == "budget":
        await budget._export(update, context)
    else:
        await pledges.send_export(update, context)


async def on_export(update: Update, context: BotContext, intent: Intent) -> None:
    if await withheld(update, context, DataKind.FILES):
        return
    what = words.export_what(_text(update))
    if what in EXPORTS:
        await _send_export(update, context, what)
        return
    head = ("보고서 자료는 /facts 로 보시고, 주요업무 보고서 전체는 /report xlsx 로 받을 수 있습니다. "
            if what == "facts" else "")
    await say(update, context, f"{head}어떤 파일을 드릴까요?",
              markup([[(label, f"fx:{key}")] for key, label in EXPORTS.items()]))


@button
async def on_export_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None
    what = one_of(query.data.removeprefix("fx:"), EXPORTS)
    await query.answer()
    await _send_export(update, context, what)


async def on_calendar(update: Update, context: BotContext, intent: Intent) -> None:
    await agenda.calendar(update, context)


async def on_as_of(update: Update, context: BotContext, intent: Intent) -> None:
    if await withheld(update, context, DataKind.FIGURES):
        return
    dates = await service.as_of_dates(context.runtime)
    await say(update, context, view.as_of_text(dates, context.runtime.now()))


async def on_thanks(update: Update, context: BotContext, intent: Intent) -> None:
    await say(update, context, view.THANKS)


async def on_greeting(update: Update, context: BotContext, intent: Intent) -> None:
    await say(update, context, view.GREETING)


FLOWS = {
    UNDO: Flow(label="되돌리기", show=_show_undo, store=lambda context, session, draft: service.store_undo(
        session, draft.payload, context.me.telegram_id, context.runtime.now())),
    FIX: Flow(label="지출 금액 수정", show=_show_fix, check=_check_fix, store=lambda context, session, draft: (
        service.store_fix(session, draft.payload, context.me.telegram_id, context.me.is_admin, context.runtime))),
    PICK: Flow(label="알림 옮기기", show=_show_pick, choose=_choose_pick),
}
INTENTS = {
    "undo_last": on_undo, "spending_fix": on_fix, "reminder_move": on_move, "reminder_list": on_reminder_list,
    "spending_list": on_spending_list, "export": on_export, "calendar_file": on_calendar, "as_of_query": on_as_of,
    "thanks": on_thanks, "greeting": on_greeting,
}


def handlers() -> list[BaseHandler[Update, BotContext, Any]]:
    return [CallbackQueryHandler(on_export_button, pattern=r"^fx:\w+$")]
