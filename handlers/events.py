"""Creating events and reminders from one line (echo, then confirm), the guided /event form, event cards."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, ConversationHandler, MessageHandler, filters

from bot.commands import CommandHelp
from bot.context import BotContext
from bot.domain.access import DataKind
from bot.domain.leads import DraftEvent
from bot.domain.recurrence import next_occurrence
from bot.domain.schedule import alerts
from bot.lang.dates import DateFailure, DateResult, parse_when
from bot.lang.intents import Intent
from bot.lang.limits import field_problem
from bot.lang.phrases import is_time_only
from bot.lang.requests import EventRequest, PersonalRequest, RecurringRequest, RequestProblem, category_of, read_request
from bot.present import events as texts
from bot.services.agenda import same_day_for
from bot.services.fieldwork import leadership_briefing
from bot.services.scheduling import reschedule_event, save_event, save_personal, save_rule
from handlers.buttons import button, found, ident
from handlers.gate import withheld
from handlers.router import clear_expectation, expect_reply
from storage import events as event_store
from storage import reminders

COMMANDS = (
    CommandHelp("event", "일정 등록 (한 줄로, 또는 단계별로)", "/event 다음주 화요일 10시 구청장협의회"),
    CommandHelp("cancel", "진행 중인 입력 취소", "/cancel"),
)
DRAFT = "draft"
ECHOED = "draft_echoed"  # True while the draft's echo (with 확인) is what the user last saw of it
NOT_CONFIRMABLE = "아직 입력 중인 일정입니다. 가장 최근 질문에 먼저 답해 주세요(그만두려면 /cancel)."
ASK_TITLE, ASK_WHEN = range(2)
CONFIRM_BUTTONS = InlineKeyboardMarkup([[
    InlineKeyboardButton("확인", callback_data="ev:ok"),
    InlineKeyboardButton("시간 변경", callback_data="ev:time"),
    InlineKeyboardButton("취소", callback_data="ev:no"),
]])
NEW_TIME_PROMPT = "새 날짜나 시각을 입력하세요. 예: 9월 16일 오후 2시, 오후 4시, 9월 중"
ASK_TITLE_PROMPT = "어떤 일정인가요? 제목을 입력하세요. 예: 서울식물원 개관식\n(그만두려면 /cancel)"
EXPIRED = "확인할 내용이 없습니다(이미 처리되었거나 오래된 버튼입니다). 다시 입력해 주세요."


def _draft_from(request: EventRequest) -> DraftEvent:
    when = request.when
    return DraftEvent(request.title, when.start, when.end, when.precision, when.tentative, request.audience,
                      request.category, lead_minutes=request.lead_minutes)


def _office_hours(when: DateResult) -> DateResult | None:
    """A bare 7~11시 means the morning in an office; 1~6시 and 12시 are asked (None)."""
    if not when.needs_meridiem:
        return when
    hour = when.start.hour % 12
    if 7 <= hour <= 11:
        return replace(when, start=when.start.replace(hour=hour), ambiguities=())
    return None


async def _echo(update: Update, context: BotContext, draft: object) -> None:
    """Show what was understood, with 확인 / 시간 변경 / 취소; nothing is stored before 확인."""
    assert context.user_data is not None and update.effective_message is not None
    context.user_data[DRAFT] = draft
    context.user_data[ECHOED] = True
    now = context.runtime.now()
    settings = context.runtime.reminder_settings
    if isinstance(draft, DraftEvent):
        text = texts.event_echo(draft, alerts(draft, settings, now), now)
    elif isinstance(draft, PersonalRequest):
        text = texts.personal_echo(draft.text, draft.when.start, now)
    else:
        assert isinstance(draft, RecurringRequest)
        rec = draft.recurrence
        first = next_occurrence(rec.rrule, now, now, context.runtime.tz, rec.holiday_shift)
        text = texts.recurring_echo(rec.description, draft.text, first, rec.holiday_shift, now)
    text += await _same_day_text(context, draft)
    await update.effective_message.reply_text(text, reply_markup=CONFIRM_BUTTONS)


async def _same_day_text(context: BotContext, draft: object) -> str:
    """Before storing: the day's items with the same title (events, planned records, own reminders)."""
    if isinstance(draft, DraftEvent) and draft.precision != "month":
        title, start = draft.title, draft.start_at
    elif isinstance(draft, PersonalRequest):
        title, start = draft.text, draft.when.start
    else:
        return ""
    items = await same_day_for(context.runtime, context.me.telegram_id, title, start)
    note = texts.same_day_note(items, context.runtime.now())
    return f"\n{note}" if note else ""


async def _ask_meridiem(update: Update, context: BotContext, request: EventRequest) -> None:
    assert context.user_data is not None and update.effective_message is not None
    context.user_data[DRAFT] = _draft_from(request)
    context.user_data[ECHOED] = False  # 오전 or 오후 first: 확인 on an older echo must not store this one
    hour = request.when.start.hour % 12 or 12
    buttons = InlineKeyboardMarkup([[
        InlineKeyboardButton(f"오전 {hour}시", callback_data="ev:am"),
        InlineKeyboardButton(f"오후 {hour}시", callback_data="ev:pm"),
        InlineKeyboardButton("취소", callback_data="ev:no"),
    ]])
    await update.effective_message.reply_text(texts.meridiem_question(hour), reply_markup=buttons)


async def understand(update: Update, context: BotContext, text: str) -> None:
    """Read a reminder request and echo it (or ask what is unclear). One's own reminders and events are personal:
    made in a 1:1 chat, never in a group (README, "Access and group chats")."""
    assert update.effective_message is not None
    if await withheld(update, context, DataKind.PERSONAL):
        return
    request = read_request(text, context.runtime.now())
    if isinstance(request, RequestProblem):
        await update.effective_message.reply_text(request.reason)
    elif isinstance(request, EventRequest):
        when = _office_hours(request.when)
        if when is None:
            await _ask_meridiem(update, context, request)
        else:
            await _echo(update, context, _draft_from(replace(request, when=when)))
    else:
        await _echo(update, context, request)


async def on_intent(update: Update, context: BotContext, intent: Intent) -> None:
    assert update.effective_message is not None and update.effective_message.text is not None
    await understand(update, context, update.effective_message.text)


async def event_command(update: Update, context: BotContext) -> int:
    """/event TEXT: one line. /event alone: the guided form."""
    assert update.effective_message is not None
    if context.args:
        await understand(update, context, " ".join(context.args))
        return ConversationHandler.END
    if await withheld(update, context, DataKind.PERSONAL):
        return ConversationHandler.END
    await update.effective_message.reply_text(ASK_TITLE_PROMPT)
    return ASK_TITLE


async def form_title(update: Update, context: BotContext) -> int:
    assert update.effective_message is not None and update.effective_message.text is not None
    assert context.user_data is not None
    title = update.effective_message.text.strip()
    problem = field_problem("event_title", title) if title else "제목을 입력해 주세요. 예: 서울식물원 개관식"
    if problem:
        await update.effective_message.reply_text(problem)
        return ASK_TITLE
    context.user_data["form_title"] = title
    await update.effective_message.reply_text("언제인가요? 예: 9월 15일 오후 3시, 다음주 화요일 10시, 9월 중, 8.6~9.1")
    return ASK_WHEN


async def form_when(update: Update, context: BotContext) -> int:
    assert update.effective_message is not None and update.effective_message.text is not None
    assert context.user_data is not None
    when = parse_when(update.effective_message.text, context.runtime.now())
    if isinstance(when, DateFailure):
        await update.effective_message.reply_text(f"{when.reason}\n다시 입력해 주세요(그만두려면 /cancel).")
        return ASK_WHEN
    title = context.user_data.pop("form_title", "일정")
    request = EventRequest(title, when, "me", category_of(title), None)
    resolved = _office_hours(when)
    if resolved is None:
        await _ask_meridiem(update, context, request)
    else:
        await _echo(update, context, _draft_from(replace(request, when=resolved)))
    return ConversationHandler.END


async def cancel(update: Update, context: BotContext) -> int:
    assert update.effective_message is not None
    if context.user_data is not None:
        context.user_data.clear()  # every draft and pending question of this user (events, spending …)
    await update.effective_message.reply_text("취소했습니다. 아무것도 저장하지 않았습니다.")
    return ConversationHandler.END


async def _store(context: BotContext, draft: object) -> str:
    runtime = context.runtime
    now = runtime.now()
    owner = context.me.telegram_id
    async with runtime.sessionmaker.begin() as session:
        if isinstance(draft, DraftEvent):
            event, planned = await save_event(session, draft, owner, runtime.reminder_settings, now)
            reply = texts.event_saved(event, planned, now)
            if event.category in runtime.field_rules.press_categories:  # the report's rule: council first
                leaders = await leadership_briefing(session, event.title, event.start_at, event.id, owner, now,
                                                    runtime.field_rules)
                named = f": {', '.join(leaders)}" if leaders else "."
                reply += f"\n🏛 발표 전 시의회 사전 설명 알림도 등록했습니다{named}"
        elif isinstance(draft, PersonalRequest):
            await save_personal(session, owner, draft.text, draft.when.start, now)
            reply = texts.personal_saved(draft.text, draft.when.start, now)
        else:
            assert isinstance(draft, RecurringRequest)
            rec = draft.recurrence
            _, first = await save_rule(session, text=draft.text, rrule=rec.rrule, holiday_shift=rec.holiday_shift,
                                       owner_id=owner, audience=draft.audience, now=now)
            reply = f"반복 알림을 등록했습니다: {rec.description} '{draft.text}'"
            if first:
                reply += f"\n첫 알림: {texts.when_text(first, None, 'minute', False, now)}"
    runtime.wake()
    return reply


async def on_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None and context.user_data is not None
    action = query.data.removeprefix("ev:")
    draft = context.user_data.get(DRAFT)
    if draft is not None and action == "ok" and not context.user_data.get(ECHOED):
        # An older echo's 확인 while this draft waits for 오전/오후 or a new time: not what the echo showed.
        await query.answer(NOT_CONFIRMABLE, show_alert=True)
        return
    await query.answer()
    if draft is None:
        await query.edit_message_text(EXPIRED)
        return
    if action == "no":
        context.user_data.pop(DRAFT, None)
        clear_expectation(context)
        await query.edit_message_text("취소했습니다. 아무것도 저장하지 않았습니다.")
    elif action == "ok":
        context.user_data.pop(DRAFT, None)  # popped first: a second press cannot store twice
        await query.edit_message_text(await _store(context, draft))
    elif action == "time":
        context.user_data[ECHOED] = False
        expect_reply(context, "event_time")
        await query.edit_message_text(NEW_TIME_PROMPT)
    elif action in ("am", "pm") and isinstance(draft, DraftEvent):
        hour = draft.start_at.hour % 12 + (12 if action == "pm" else 0)
        meridiem = "오전" if action == "am" else "오후"
        await query.edit_message_text(f"{meridiem} {draft.start_at.hour % 12 or 12}시로 알겠습니다.")
        assert update.effective_message is not None
        await _echo(update, context, replace(draft, start_at=draft.start_at.replace(hour=hour)))


def _new_when(text: str, draft: DraftEvent | PersonalRequest, now: datetime) -> DateResult | DateFailure:
    """A new date or time for a draft; a time alone keeps the draft's day."""
    start = draft.start_at if isinstance(draft, DraftEvent) else draft.when.start
    if is_time_only(text):
        day = start.astimezone(now.tzinfo)
        return parse_when(f"{day.year}년 {day.month}월 {day.day}일 {text}", now)
    return parse_when(text, now)


async def on_new_time(update: Update, context: BotContext, text: str) -> None:
    assert update.effective_message is not None and context.user_data is not None
    draft = context.user_data.get(DRAFT)
    if not isinstance(draft, DraftEvent | PersonalRequest):
        await update.effective_message.reply_text(EXPIRED)
        return
    now = context.runtime.now()
    when = _new_when(text, draft, now)
    if isinstance(when, DateFailure):
        expect_reply(context, "event_time")
        await update.effective_message.reply_text(f"{when.reason}\n{NEW_TIME_PROMPT}")
        return
    if isinstance(draft, PersonalRequest):
        await _echo(update, context, replace(draft, when=when))
        return
    resolved = _office_hours(when) or when
    await _echo(update, context, replace(draft, start_at=resolved.start, end_at=resolved.end,
                                         precision=resolved.precision, tentative=resolved.tentative))


# -- event cards and fixing a date --------------------------------------------------------------------

@button
async def show_event(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None and update.effective_chat is not None
    event_id = ident(query.data.removeprefix("ev:show:"))
    me = context.me
    now = context.runtime.now()
    async with context.runtime.sessionmaker() as session:
        event = found(await event_store.get_visible(session, event_id, me.telegram_id))
        pending = [r.due_at for r in await reminders.pending_of_event(session, event_id)]
    if await withheld(update, context, DataKind.RECORDS if event.audience == "team" else DataKind.PERSONAL):
        return
    await query.answer()
    markup = InlineKeyboardMarkup([[InlineKeyboardButton(
        "날짜 정하기" if event.precision == "month" else "날짜 바꾸기", callback_data=f"ev:date:{event.id}")]]) \
        if event_store.changeable_by(event, me.telegram_id, me.is_admin) else None
    await context.bot.send_message(update.effective_chat.id, texts.event_card(
        event, sorted(pending), now, event.category, event.note), reply_markup=markup)


@button
async def ask_event_date(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None and context.user_data is not None
    event_id = ident(query.data.removeprefix("ev:date:"))
    async with context.runtime.sessionmaker() as session:
        event = found(await event_store.get_changeable(session, event_id, context.me.telegram_id,
                                                       context.me.is_admin))
    if await withheld(update, context, DataKind.RECORDS if event.audience == "team" else DataKind.PERSONAL):
        return
    await query.answer()
    context.user_data["event_to_date"] = event_id
    expect_reply(context, "event_date")
    assert update.effective_chat is not None
    await context.bot.send_message(update.effective_chat.id, "정해진 날짜(와 시각)를 입력하세요. 예: 9월 15일 오후 3시")


async def on_event_date(update: Update, context: BotContext, text: str) -> None:
    assert update.effective_message is not None and context.user_data is not None
    event_id = context.user_data.get("event_to_date")
    runtime = context.runtime
    now = runtime.now()
    when = parse_when(text, now)
    if isinstance(when, DateFailure):
        expect_reply(context, "event_date")
        await update.effective_message.reply_text(f"{when.reason}\n다시 입력해 주세요(그만두려면 /cancel).")
        return
    async with runtime.sessionmaker.begin() as session:
        event = await event_store.get_changeable(session, int(event_id or 0), context.me.telegram_id,
                                                 context.me.is_admin)
        if event is None:
            await update.effective_message.reply_text("이 일정은 취소되었거나 없습니다.")
            return
        new = DraftEvent(event.title, when.start, when.end, when.precision, when.tentative)
        planned = await reschedule_event(session, event, new, runtime.reminder_settings, now,
                                         context.me.telegram_id)
        reply = "날짜를 바꿨습니다. " + texts.event_saved(event, planned, now)
    context.user_data.pop("event_to_date", None)
    runtime.wake()
    await update.effective_message.reply_text(reply)


INTENTS = {"event_create": on_intent, "reminder_create": on_intent}
REPLIES = {"event_time": on_new_time, "event_date": on_event_date}


def handlers() -> list[BaseHandler[Update, BotContext, Any]]:
    form: ConversationHandler[BotContext] = ConversationHandler(
        entry_points=[CommandHandler("event", event_command)],
        states={
            ASK_TITLE: [MessageHandler(filters.TEXT & ~filters.COMMAND, form_title)],
            ASK_WHEN: [MessageHandler(filters.TEXT & ~filters.COMMAND, form_when)],
        },
        fallbacks=[CommandHandler("cancel", cancel)],
        name="event_form",
    )
    return [
        form,
        CommandHandler("cancel", cancel),
        CallbackQueryHandler(show_event, pattern=r"^ev:show:\d+$"),
        CallbackQueryHandler(ask_event_date, pattern=r"^ev:date:\d+$"),
        CallbackQueryHandler(on_button, pattern=r"^ev:(ok|no|time|am|pm)$"),
    ]
