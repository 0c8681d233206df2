"""업무추진비: balances (/budget, '기관운영 얼마 남았어?'), logging spending ('지출 12만원 …', /spend), undo and
corrections, the chart, and spreadsheet import/export."""

from __future__ import annotations

from datetime import date, timedelta
from io import BytesIO
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.commands import CommandHelp
from bot.context import BotContext
from bot.domain.access import DataKind
from bot.lang.amounts import THOUSAND_WON, Amount, parse_amount
from bot.lang.asked import BUDGET_VIEWS, asked_view
from bot.lang.corrections import AMOUNT, PURPOSE, SUBJECT, WHEN
from bot.lang.dates import DateFailure, DateResult, optional_date, parse_when
from bot.lang.intents import Intent
from bot.lang.limits import field_problem
from bot.lang.phrases import budget_view
from bot.lang.spending import EXAMPLE, FIELD, LINE, read_spending
from bot.present import brief
from bot.present import budget as view
from bot.services import budget as budgeting
from bot.services.budget import NO_BOOK, Book
from bot.services.conversation import Open
from bot.workers import run_cpu
from handlers import buttons
from handlers import conversation as talk
from handlers.buttons import button, one_of
from handlers.gate import figures_withheld, withheld
from handlers.query_dates import refuse_date

COMMANDS = (
    CommandHelp("budget", "업무추진비 잔액·집행률 (chart, export, undo도 가능)",
                "/budget · 업무추진비 잔액 · 기관운영 얼마 남았어? · /budget chart"),
    CommandHelp("spend", "업무추진비 지출 기록 (단계별)",
                "/spend · 지출 12만원 시책추진 간담회 7/20 복지정책 간담회 다과"),
)
MENU_ROW = ("업무추진비 잔액", "분야별 집행")
SPEND, AS_OF = "spend", "budget_as_of"
CONFIRM = "confirm"  # the button the draft's echo offers: "ok", or "over" (an admin's approval of it)
NOT_CONFIRMABLE = "이 버튼으로는 확인할 수 없습니다. 초안의 가장 최근 메시지에서 답해 주세요(그만두려면 /cancel)."
ADMIN_USAGE = ("관리자 명령: /budget fix 번호 금액 · /budget void 번호 · /budget set 과목 금액(천원) · "
               "/budget entries · 장부 파일(.xlsx/.csv)을 보내면 가져오기")


def _markup(rows: list[list[tuple[str, str]]]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(t, callback_data=d) for t, d in row] for row in rows if row])


def _views(book: Book, as_of: date, shown: str = "") -> InlineKeyboardMarkup:
    """The other views of the budget (the one on screen, `shown`, is left out: six buttons at most)."""
    stamp = as_of.strftime("%Y%m%d")
    lines = [(line.short_name, f"l{line.id}") for line in book.lines]
    rows = [[*lines, *([("전체", "s")] if shown != "s" else [])],
            [("분야별", "f"), ("월별 추이", "t"), ("차트", "c")], []]
    return _markup([[(label, f"bud:v:{what}:{stamp}") for label, what in row if what != shown]
                    for row in rows] + [[("기준일 변경", "bud:asof")]])


async def _book(context: BotContext) -> Book | None:
    return await budgeting.current_book(context.runtime)


def _as_of(book: Book, text: str, when: DateResult | None, context: BotContext) -> date | str:
    """The as-of date a question names (today when it names none), or why there are no figures for it."""
    if when is None:
        return budgeting.clamp_as_of(book, context.runtime.now().date())
    day = _as_of_day(when)
    if (problem := budgeting.as_of_problem(book, day)) is None:
        return day
    # Read as the latest past one, "9월 20일" asked in July is last year's: this year's is meant.
    ahead = parse_when(text, context.runtime.now())
    if isinstance(ahead, DateResult) and budgeting.as_of_problem(book, _as_of_day(ahead)) is None:
        return _as_of_day(ahead)
    return problem


def _as_of_day(when: DateResult) -> date:
    moment = when.end or when.start
    if when.precision == "month":  # "6월 기준" = the month's last day
        moment = (moment.replace(day=1) + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return moment.date()


async def _show(update: Update, context: BotContext, what: str, as_of: date | None = None) -> None:
    """what: 's' summary, 'f' fields, 't' trend, 'c' chart, 'l<id>' one line."""
    assert update.effective_chat is not None
    if await figures_withheld(update, context):
        return
    book = await _book(context)
    if book is None:
        await context.bot.send_message(update.effective_chat.id, NO_BOOK)
        return
    now = context.runtime.now()
    day = budgeting.clamp_as_of(book, as_of or now.date())
    line_id = int(what[1:]) if what.startswith("l") else None
    summary, trend = await budgeting.figures(context.runtime, book, day, line_id, with_trend=what in ("t", "c"))
    if what == "c":
        from bot.present.budget_chart import budget_chart

        png = await run_cpu(budget_chart, summary, trend, summary.total.budget or 0)
        await context.bot.send_photo(update.effective_chat.id, BytesIO(png), filename="budget.png",
                                     caption=f"업무추진비 집행 현황 ({day.month}.{day.day}. 기준)")
        return
    if what == "f":
        text = view.fields_text(summary, now)
    elif what == "t":
        text = view.trend_text("업무추진비 전체", trend)
    elif line_id is not None and (line := book.line(line_id)) is not None:
        text = view.line_text(summary, line_id, line.purpose, now)
    else:
        text = view.summary_text(summary, now)
    await context.bot.send_message(update.effective_chat.id, text, reply_markup=_views(book, day, what))


async def budget_command(update: Update, context: BotContext) -> None:
    args = context.args or []
    action = args[0].lower() if args else ""
    if action in ("chart", "차트"):
        await _show(update, context, "c")
    elif action in ("export", "내보내기"):
        await _export(update, context)
    elif action in ("undo", "취소"):
        await _undo(update, context)
    elif action in ("fix", "void", "set", "entries"):
        await _admin(update, context, action, args[1:])
    elif args:  # "/budget 6월말", "/budget 과목별"
        await _answer(update, context, " ".join(args))
    else:
        await _show(update, context, "s")


async def on_query(update: Update, context: BotContext, intent: Intent) -> None:
    assert update.effective_message is not None and update.effective_message.text is not None
    subject = intent.slots.get("subject") if intent.slots else None
    await _answer(update, context, update.effective_message.text,
                  subject=subject if isinstance(subject, str) else None)


async def _answer(update: Update, context: BotContext, text: str, figure: str | None = None,
                  subject: str | None = None) -> None:
    """A question about the budget, as of the date it names ("6월말 기준": this fiscal year's June). `figure`
    is the one figure asked (the reading's `view` slot); without it, it is read from the words. `subject` is
    the reading's line or field (staff's own names: 시책비, 간담회비, 경조사), used when the book's names
    find none in the words. A field has only its spending and its number of payments: named without a
    figure ("직원격려비 얼마"), its spending is the figure asked."""
    when = optional_date(text, context.runtime.now(), past=True)
    if isinstance(when, DateFailure):  # "2월 30일 기준 잔액" is not today's balance
        await refuse_date(update, when)
        return
    book = await _book(context)
    if book is None:
        assert update.effective_chat is not None
        await context.bot.send_message(update.effective_chat.id, NO_BOOK)
        return
    as_of = _as_of(book, text, when, context)
    if isinstance(as_of, str):
        assert update.effective_chat is not None
        await context.bot.send_message(update.effective_chat.id, as_of)
        return
    line, field = book.named(text, subject)
    view_of = budget_view(text)
    asked = asked_view(text) if figure is None else figure
    if asked is None and line is None and field is not None and field is book.field_named(subject or ""):
        asked = "집행" if view_of in ("s", "f") else None  # the reading too names this field
    if asked in BUDGET_VIEWS and (view_of == "s" or (view_of == "f" and (line or field) is not None)):
        # one figure asked: that figure, the card one tap away
        part = f"l{line.id}" if line is not None else f"f{field.id}" if field is not None else "s"
        await answer_figure(update, context, part, asked, as_of)
        return
    what = f"l{line.id}" if line is not None and view_of == "s" else view_of
    await _remember(update, context, what if what.startswith("l") else "s")
    await _show(update, context, what, as_of)


async def _remember(update: Update, context: BotContext, subject: str) -> None:
    """This chat's last subject is now this part of the budget (a follow-up "집행률은?" is about it)."""
    assert update.effective_chat is not None
    await budgeting.remember_subject(context.runtime, context.me.telegram_id, update.effective_chat.id, subject)


async def answer_figure(update: Update, context: BotContext, subject: str, figure: str,
                        as_of: date | None = None) -> bool:
    """One figure (잔액|집행|집행률|건수|예산) of a line ("l<id>"), a field ("f<id>") or the whole ("s"), in a
    line or two with "자세히" for the card. False when `figure` is not a budget figure or the subject is gone."""
    assert update.effective_chat is not None
    if figure not in BUDGET_VIEWS:
        return False
    if await figures_withheld(update, context):
        return True
    book = await _book(context)
    if book is None:
        await context.bot.send_message(update.effective_chat.id, NO_BOOK)
        return True
    day = budgeting.clamp_as_of(book, as_of or context.runtime.now().date())
    summary, _ = await budgeting.figures(context.runtime, book, day)
    rows = {f"l{r.key}": r for r in summary.lines} | {f"f{r.key}": r for r in summary.fields}
    row = rows.get(subject)
    line = book.line(row.key) if subject.startswith("l") and row is not None else None
    name = line.short_name if line is not None else row.name if row is not None else "업무추진비"
    text = brief.budget_brief(name, row or summary.total, figure, day, summary.total.payments)
    detail = subject if row is not None and subject.startswith("l") else "f" if row is not None else "s"
    await _remember(update, context, subject if row is not None else "s")
    await context.bot.send_message(update.effective_chat.id, text,
                                   reply_markup=_markup([[(brief.DETAIL, f"bud:v:{detail}:{day:%Y%m%d}")]]))
    return True


@button
async def on_view_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None
    _, _, what, stamp = query.data.split(":")
    as_of = buttons.day(stamp)
    book = buttons.found(await _book(context))
    if budgeting.as_of_problem(book, as_of) is not None:  # the bot only makes buttons inside the ledger
        raise buttons.StaleButton(f"as-of {as_of} outside the ledger")
    if what.startswith("l"):
        buttons.found(book.line(buttons.ident(what[1:])))
    await query.answer()
    await _show(update, context, what, as_of)


async def ask_as_of(update: Update, context: BotContext) -> None:
    assert update.callback_query is not None and update.effective_chat is not None
    await update.callback_query.answer()
    await talk.start(update, context, AS_OF, {}, "day")


async def ask_as_of_day(update: Update, context: BotContext, draft: Open) -> None:
    await _say(update, context, "기준일을 입력하세요. 예: 6월말, 7월 20일, 2018-08-31")


async def on_as_of(update: Update, context: BotContext, draft: Open, text: str) -> None:
    when = parse_when(text, context.runtime.now(), past=True)
    if not isinstance(when, DateResult):
        await _say(update, context, f"{when.reason}\n예: 6월말, 7월 20일")
        return
    book = await _book(context)
    if book is None:
        await _say(update, context, NO_BOOK)
        return
    as_of = _as_of(book, text, when, context)
    if isinstance(as_of, str):
        await _say(update, context, as_of)
        return
    if await talk.finish(update, context, draft):
        await _show(update, context, "s", as_of)


# -- logging spending ------------------------------------------------------------------------------

async def on_log(update: Update, context: BotContext, intent: Intent) -> None:
    assert update.effective_message is not None and update.effective_message.text is not None
    book = await _book(context)
    if book is None:
        await update.effective_message.reply_text(NO_BOOK)
        return
    now = context.runtime.now()
    read = read_spending(update.effective_message.text, now, book.names())
    if read.amount is not None and not isinstance(read.amount, Amount):
        await update.effective_message.reply_text(f"{read.amount.reason}\n아무것도 기록하지 않았습니다. {EXAMPLE}")
        return
    if read.when is not None and not isinstance(read.when, DateResult):
        await update.effective_message.reply_text(f"{read.when.reason}\n아무것도 기록하지 않았습니다. {EXAMPLE}")
        return
    if too_long := field_problem("spend_purpose", read.purpose):
        await update.effective_message.reply_text(f"{too_long}\n아무것도 기록하지 않았습니다. {EXAMPLE}")
        return
    line = book.resolve(read.line, LINE)
    field = book.resolve(read.field, FIELD) or (book.field_named(read.field_hint) if read.field_hint else None)
    draft: dict[str, Any] = {
        "amount": read.amount.won if isinstance(read.amount, Amount) else None,
        "line": line.id if line else None, "field": field.id if field else None,
        "day": (read.when.start.date() if isinstance(read.when, DateResult) else now.date()).isoformat(),
        "payments": read.payments, "purpose": read.purpose, "unknown": " ".join(read.unknown_words),
    }
    await _begin(update, context, book, draft)


async def spend_command(update: Update, context: BotContext) -> None:
    book = await _book(context)
    assert update.effective_message is not None
    if book is None:
        await update.effective_message.reply_text(NO_BOOK)
        return
    draft = {"amount": None, "line": None, "field": None, "day": context.runtime.now().date().isoformat(),
             "payments": 1, "purpose": None, "unknown": ""}
    await _begin(update, context, book, draft)


async def _say(update: Update, context: BotContext, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
    assert update.effective_chat is not None
    await context.bot.send_message(update.effective_chat.id, text, reply_markup=markup)


async def _checked(update: Update, context: BotContext, book: Book, payload: dict[str, Any],
                   ) -> dict[str, Any] | None:
    """A complete draft with the confirmation its echo needs ("ok", or "over": an admin's approval of that
    very draft); None, said why, when it cannot be recorded at all (a day outside the ledger, a staff
    member's entry over the balance or the ceiling)."""
    if budgeting.missing_step(payload) is not None:
        return {**payload, CONFIRM: None}
    day = date.fromisoformat(payload["day"])
    if (refusal := view.day_refusal(day, book.year, book.opening_date)) is not None:
        await _say(update, context, f"{refusal}\n아무것도 기록하지 않았습니다.")
        return None
    _, warnings = await budgeting.entry_limits(context.runtime, book, payload)
    if warnings and not context.me.is_admin:
        await _say(update, context, "\n".join(warnings) + "\n아무것도 기록하지 않았습니다. 관리자에게 요청하세요.")
        return None
    return {**payload, CONFIRM: "over" if warnings else "ok"}


async def _begin(update: Update, context: BotContext, book: Book, payload: dict[str, Any]) -> None:
    checked = await _checked(update, context, book, payload)
    if checked is not None:
        await talk.start(update, context, SPEND, checked, budgeting.missing_step(checked))


async def _advance(update: Update, context: BotContext, book: Book, draft: Open, payload: dict[str, Any]) -> None:
    """Ask for the first missing piece; when nothing is missing, check and echo for confirmation."""
    checked = await _checked(update, context, book, payload)
    if checked is None:
        await talk.of(update, context).cancel(draft.id)
        return
    await talk.advance(update, context, draft, checked, budgeting.missing_step(checked))


async def show_spending(update: Update, context: BotContext, draft: Open) -> None:
    book = await _book(context)
    if book is None:
        await _say(update, context, NO_BOOK)
        return
    payload = draft.data()
    if draft.step == "amount" or draft.editing == AMOUNT:
        await _say(update, context, "금액을 입력하세요. 예: 12만원, 120,000원, 120천원 (그만두려면 /cancel)")
    elif draft.step == "line":
        unknown = payload.get("unknown")
        ask = (f"'{unknown}' 과목을 찾지 못했습니다. 어느 과목인가요? 이거 말씀이세요?" if unknown
               else "어느 과목인가요?")
        await _say(update, context, f"{_understood(book, payload, context)}{ask}", talk.markup(
            [[(line.name, talk.data(draft, "line", line.id))] for line in book.lines] + [talk.cancel_row(draft)]))
    elif draft.step == "field":
        await _say(update, context, f"{_understood(book, payload, context)}어느 분야인가요?", talk.markup(
            [[(f"{f.name} ({f.description})", talk.data(draft, "field", f.id))] for f in book.fields]
            + [talk.cancel_row(draft)]))
    elif draft.step == "purpose" or draft.editing == PURPOSE:
        await _say(update, context, "내용(지출 목적)을 입력하세요. 예: 복지정책 간담회 다과")
    elif draft.editing == WHEN:
        await _say(update, context, "지출한 날짜를 입력하세요. 예: 7월 18일, 어제 (그만두려면 /cancel)")
    else:
        await _echo(update, context, book, draft)


def _understood(book: Book, payload: dict[str, Any], context: BotContext) -> str:
    """What was read so far, before a question about the rest: "지출 7만 2천원 · 7.20.(금) · … — "."""
    line, field = book.line(payload["line"] or 0), book.field(payload["field"] or 0)
    return view.entry_so_far(date.fromisoformat(payload["day"]), payload["amount"], line.name if line else None,
                             field.name if field else None, payload["purpose"], context.runtime.now())


async def _echo(update: Update, context: BotContext, book: Book, draft: Open) -> None:
    payload = draft.data()
    line, field = book.line(payload["line"]), book.field(payload["field"])
    assert line is not None and field is not None
    left, warnings = await budgeting.entry_limits(context.runtime, book, payload)
    text = view.entry_echo(date.fromisoformat(payload["day"]), line.name, field.name, payload["amount"],
                           payload["payments"], payload["purpose"], left - payload["amount"], context.runtime.now())
    flow = FLOWS[SPEND]
    if payload.get(CONFIRM) == "over":
        text += "".join(f"\n⚠️ {warning}" for warning in warnings)
        await _say(update, context, text, talk.echo_buttons(draft, flow, ("초과 지출 승인", "over")))
        return
    await _say(update, context, text, talk.echo_buttons(draft, flow))


async def on_answer(update: Update, context: BotContext, draft: Open, text: str) -> None:
    """The amount or the purpose typed for the form, or a field of the echo being changed."""
    await correct(update, context, draft, draft.editing or draft.step or "", text)


async def correct(update: Update, context: BotContext, draft: Open, name: str, text: str) -> None:
    book = await _book(context)
    if book is None:
        await _say(update, context, NO_BOOK)
        return
    payload = draft.data()
    if name == AMOUNT:
        amount = parse_amount(text)
        if not isinstance(amount, Amount):
            await _say(update, context, f"{amount.reason} (그만두려면 /cancel)")
            return
        payload["amount"] = amount.won
    elif name == PURPOSE:
        if too_long := field_problem("spend_purpose", text.strip()):
            await _say(update, context, f"{too_long} 줄여서 다시 입력해 주세요 (그만두려면 /cancel).")
            return
        payload["purpose"] = text.strip()
    elif name == WHEN:
        when = parse_when(text, context.runtime.now(), past=True)
        if not isinstance(when, DateResult):
            await _say(update, context, f"{when.reason}\n예: 7월 18일, 어제 (그만두려면 /cancel)")
            return
        payload["day"] = when.start.date().isoformat()
    elif name == SUBJECT:
        payload.update(line=None, field=None, unknown="")
    await _advance(update, context, book, draft, payload)


async def edit(update: Update, context: BotContext, draft: Open, name: str) -> None:
    """An echo's change button: 과목·분야 are asked again with their buttons, the others typed."""
    if name == SUBJECT:
        await correct(update, context, draft, SUBJECT, "")
        return
    await talk.advance(update, context, draft, draft.data(), f"edit:{name}")


async def choose(update: Update, context: BotContext, draft: Open, action: str, arg: str) -> None:
    """A line or a field of this book, pressed on the draft that asked for it."""
    query = update.callback_query
    assert query is not None
    book = buttons.found(await _book(context))
    if draft.step != one_of(action, ("line", "field")):
        raise buttons.StaleButton(f"spending draft {draft.id} is not asking for its {action}")
    chosen = buttons.ident(arg)
    buttons.found(book.line(chosen) if action == "line" else book.field(chosen))
    await query.answer()
    await query.edit_message_reply_markup(None)
    await _advance(update, context, book, draft, {**draft.data(), action: chosen})


def may_confirm(context: BotContext, draft: Open, action: str) -> str | None:
    """확인 confirms a draft within the limits; an over-limit draft needs an admin's 초과 지출 승인 of it."""
    if draft.payload.get(CONFIRM) != action:
        return NOT_CONFIRMABLE
    if action == "over" and not context.me.is_admin:
        return "초과 지출은 관리자만 승인할 수 있습니다. 아무것도 기록하지 않았습니다."
    return None


# -- undo, corrections, allocations (admins) ---------------------------------------------------------

async def _undo(update: Update, context: BotContext) -> None:
    entry = await budgeting.undo_last(context.runtime, context.me.telegram_id)
    if entry is None:
        await _say(update, context, "24시간 안에 직접 기록한 지출이 없습니다. 되돌릴 것이 없습니다.")
        return
    day = f"{entry.spent_on.month}.{entry.spent_on.day}."
    amount = view.k(entry.amount_won)
    await _say(update, context, f"되돌렸습니다: {day} {amount}천원 '{entry.purpose}' (기록 번호 {entry.id})")


async def _admin(update: Update, context: BotContext, action: str, args: list[str]) -> None:
    if not context.me.is_admin:
        await _say(update, context, "관리자만 사용할 수 있는 명령입니다.")
        return
    book = await _book(context)
    if book is None:
        await _say(update, context, NO_BOOK)
        return
    if action == "entries":
        entries = await budgeting.recent_entries(context.runtime, book.year, limit=15)
        lines = [f"#{e.id} {e.spent_on.month}.{e.spent_on.day}. {view.k(e.amount_won)}천원 "
                 f"{(book.line(e.line_id) or book.lines[0]).short_name} '{e.purpose}'" for e in entries]
        await _say(update, context, "최근 지출 기록:\n" + ("\n".join(lines) or "(없음)") + "\n" + ADMIN_USAGE)
        return
    if action == "set" and len(args) >= 2:
        line = book.line_named(args[0])
        amount = parse_amount(" ".join(args[1:]), unit=THOUSAND_WON)
        if line is None or not isinstance(amount, Amount):
            reason = amount.reason if not isinstance(amount, Amount) else f"과목 '{args[0]}'을 찾을 수 없습니다."
            await _say(update, context, f"{reason}\n예: /budget set 기관운영 300,000 (천원)")
            return
        await budgeting.set_allocation(context.runtime, line, amount.won, context.me.telegram_id)
        await _say(update, context, f"{line.name} 예산을 {view.k(amount.won)}천원으로 바꿨습니다.")
        return
    if action in ("fix", "void") and args and args[0].lstrip("#").isdigit():
        await _change_entry(update, context, action, int(args[0].lstrip("#")), args[1:])
        return
    await _say(update, context, ADMIN_USAGE)


async def _change_entry(update: Update, context: BotContext, action: str, entry_id: int, rest: list[str]) -> None:
    amount = parse_amount(" ".join(rest)) if action == "fix" else None
    if action == "fix" and not isinstance(amount, Amount):
        reason = amount.reason if amount is not None else ""
        await _say(update, context, f"{reason}\n예: /budget fix 12 15만원")
        return
    won = amount.won if isinstance(amount, Amount) else None
    if not await budgeting.change_entry(context.runtime, entry_id, won, context.me.telegram_id):
        await _say(update, context, f"기록 번호 {entry_id}가 없거나 이미 취소되었습니다. /budget entries 로 확인")
    elif won is not None:
        await _say(update, context, f"기록 {entry_id}의 금액을 {view.k(won)}천원으로 고쳤습니다.")
    else:
        await _say(update, context, f"기록 {entry_id}를 취소했습니다.")


# -- spreadsheets -----------------------------------------------------------------------------------

async def _export(update: Update, context: BotContext) -> None:
    if await withheld(update, context, DataKind.FILES):
        return
    book = await _book(context)
    if book is None:
        await _say(update, context, NO_BOOK)
        return
    data, count = await budgeting.ledger_export(context.runtime, book)
    assert update.effective_chat is not None
    await context.bot.send_document(update.effective_chat.id, BytesIO(data), filename=f"업무추진비_{book.year}.xlsx",
                                    caption=f"{book.year}년 업무추진비 장부 {count}건과 요약")


INTENTS = {"budget_query": on_query, "spending_log": on_log}
FLOWS = {
    SPEND: talk.Flow("지출 기록", show_spending, lambda context, session, draft: budgeting.store_confirmed(
                         session, draft.data(), context.me.telegram_id, context.runtime),
                     on_answer, frozenset({"amount", "purpose"}), choose,
                     (WHEN, AMOUNT, SUBJECT, PURPOSE), correct, edit, ("spending_log",), may_confirm),
    AS_OF: talk.Flow("기준일 입력", ask_as_of_day, None, on_as_of, frozenset({"day"}), answers=("budget_query",)),
}


def handlers() -> list[BaseHandler[Update, BotContext, Any]]:
    return [
        CommandHandler("budget", budget_command),
        CommandHandler("spend", spend_command),
        CallbackQueryHandler(on_view_button, pattern=r"^bud:v:(s|f|t|c|l\d+):\d{8}$"),
        CallbackQueryHandler(ask_as_of, pattern=r"^bud:asof$"),
    ]
