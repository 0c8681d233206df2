"""Creating events and reminders from one line (echo, then confirm), the guided /event form, event cards.
Drafts live in the database (bot/services/conversation.py); this module only talks."""

from __future__ import annotations

from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.commands import CommandHelp
from bot.context import BotContext
from bot.domain.access import DataKind
from bot.lang.corrections import LEAD, TITLE, WHEN
from bot.lang.dates import DateFailure, parse_when
from bot.lang.intents import Intent
from bot.lang.requests import EventRequest, RequestProblem, category_of, read_request
from bot.present import events as texts
from bot.services import event_drafts as service
from bot.services.conversation import Open
from bot.services.event_drafts import EVENT, EVENT_DATE, PERSONAL, RECURRING
from handlers import conversation as talk
from handlers.buttons import StaleButton, button, found, ident, one_of
from handlers.gate import withheld

COMMANDS = (
    CommandHelp("event", "일정 등록 (한 줄로, 또는 단계별로)", "/event 다음주 화요일 10시 구청장협의회"),
)
NEW_TIME_PROMPT = "새 날짜나 시각을 입력하세요. 예: 9월 16일 오후 2시, 오후 4시, 9월 중"
ASK_TITLE_PROMPT = "어떤 일정인가요? 제목을 입력하세요. 예: 서울식물원 개관식\n(그만두려면 /cancel)"
ASK_WHEN_PROMPT = "언제인가요? 예: 9월 15일 오후 3시, 다음주 화요일 10시, 9월 중, 8.6~9.1"
ASK_DATE_PROMPT = "정해진 날짜(와 시각)를 입력하세요. 예: 9월 15일 오후 3시"
TRY_AGAIN = "다시 입력해 주세요(그만두려면 /cancel)."
MERIDIEM, FORM_TITLE, FORM_WHEN, DATE = "meridiem", "title", "when", "date"


async def _start_request(update: Update, context: BotContext, request: EventRequest) -> None:
    when = service.office_hours(request.when)
    draft = service.draft_from(request)
    await talk.start(update, context, EVENT, service.to_payload(draft), MERIDIEM if when is None else None)


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
        await _start_request(update, context, request)
    else:
        await talk.start(update, context, service.kind_of(request), service.to_payload(request))


async def on_intent(update: Update, context: BotContext, intent: Intent) -> None:
    assert update.effective_message is not None and update.effective_message.text is not None
    await understand(update, context, update.effective_message.text)


async def event_command(update: Update, context: BotContext) -> None:
    """/event TEXT: one line. /event alone: the guided form."""
    if context.args:
        await understand(update, context, " ".join(context.args))
        return
    if await withheld(update, context, DataKind.PERSONAL):
        return
    await talk.start(update, context, EVENT, {}, FORM_TITLE)


async def show(update: Update, context: BotContext, draft: Open) -> None:
    """The draft's current question, or its echo with 확인 / 취소 / 날짜·시간 변경 / 제목 변경."""
    if draft.step == FORM_TITLE:
        await talk.say(update, context, ASK_TITLE_PROMPT)
    elif draft.step == FORM_WHEN:
        await talk.say(update, context, ASK_WHEN_PROMPT)
    elif draft.step == DATE:
        await talk.say(update, context, ASK_DATE_PROMPT)
    elif draft.step == MERIDIEM:
        hour = service.event_of(draft.payload).start_at.hour % 12 or 12
        await talk.say(update, context, texts.meridiem_question(hour), talk.markup([[
            (f"오전 {hour}시", talk.data(draft, "am")), (f"오후 {hour}시", talk.data(draft, "pm")),
            ("취소", talk.data(draft, "no"))]]))
    elif draft.editing is not None:
        await talk.say(update, context, FLOWS[draft.kind].prompts[draft.editing])
    else:
        text = service.echo_text(draft.kind, draft.data(), context.runtime)
        text += await service.same_day_note(draft.kind, draft.data(), context.runtime, context.me.telegram_id)
        await talk.say(update, context, text, talk.echo_buttons(draft, FLOWS[draft.kind]))


async def answer(update: Update, context: BotContext, draft: Open, text: str) -> None:
    """A typed answer to the /event form, or a new time or title asked by an edit button."""
    if draft.editing is not None:
        await correct(update, context, draft, draft.editing, text)
    elif draft.step == FORM_TITLE:
        changed = service.with_title(EVENT, {}, text)
        if isinstance(changed, str):
            await talk.say(update, context, changed)
            return
        await talk.advance(update, context, draft, changed, FORM_WHEN)
    elif draft.step == FORM_WHEN:
        when = parse_when(text, context.runtime.now())
        if isinstance(when, DateFailure):
            await talk.say(update, context, f"{when.reason}\n{TRY_AGAIN}")
            return
        title = draft.payload.get("title", "일정")
        request = EventRequest(title, when, "me", category_of(title), None)
        resolved = service.office_hours(when)
        payload = service.to_payload(service.draft_from(request))
        await talk.advance(update, context, draft, payload, MERIDIEM if resolved is None else None)


async def correct(update: Update, context: BotContext, draft: Open, name: str, value: str) -> None:
    """Change the echo's time, title or reminder times and echo it again (or say what is wrong and keep waiting)."""
    data = draft.data()
    if name == WHEN:
        changed = service.with_when(draft.kind, data, value, context.runtime.now())
    elif name == LEAD:
        changed = service.with_lead(data, value)
    else:
        changed = service.with_title(draft.kind, data, value)
    if isinstance(changed, str):
        prompt = "" if name == LEAD else f"\n{NEW_TIME_PROMPT if name == WHEN else ASK_TITLE_PROMPT}"
        await talk.say(update, context, changed + prompt)
        return
    await talk.advance(update, context, draft, changed, None)


async def choose(update: Update, context: BotContext, draft: Open, action: str, arg: str) -> None:
    """오전 / 오후 for a bare 1~6시 or 12시."""
    query = update.callback_query
    assert query is not None
    if draft.step != MERIDIEM or arg:
        raise StaleButton(f"event draft {draft.id} is not asking 오전/오후")
    afternoon = one_of(action, ("am", "pm")) == "pm"
    payload = service.with_meridiem(draft.data(), afternoon)
    hour = service.event_of(draft.payload).start_at.hour % 12 or 12
    await query.answer()
    await query.edit_message_text(f"{'오후' if afternoon else '오전'} {hour}시로 알겠습니다.")
    await talk.advance(update, context, draft, payload, None)


# -- event cards and fixing a date --------------------------------------------------------------------

@button
async def show_event(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None and update.effective_chat is not None
    event_id = ident(query.data.removeprefix("ev:show:"))
    me = context.me
    now = context.runtime.now()
    shown = found(await service.card(context.runtime, event_id, me.telegram_id, me.is_admin))
    event = shown.event
    if await withheld(update, context, DataKind.RECORDS if event.audience == "team" else DataKind.PERSONAL):
        return
    await query.answer()
    markup = InlineKeyboardMarkup([[InlineKeyboardButton(
        "날짜 정하기" if event.precision == "month" else "날짜 바꾸기", callback_data=f"ev:date:{event.id}")]]) \
        if shown.changeable else None
    await context.bot.send_message(update.effective_chat.id, texts.event_card(
        event, shown.pending, now, event.category, event.note), reply_markup=markup)


@button
async def ask_event_date(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None
    event_id = ident(query.data.removeprefix("ev:date:"))
    event = found(await service.changeable(context.runtime, event_id, context.me.telegram_id, context.me.is_admin))
    if await withheld(update, context, DataKind.RECORDS if event.audience == "team" else DataKind.PERSONAL):
        return
    await query.answer()
    await talk.start(update, context, EVENT_DATE, {"event_id": event_id}, DATE)


async def on_event_date(update: Update, context: BotContext, draft: Open, text: str) -> None:
    when = parse_when(text, context.runtime.now())
    if isinstance(when, DateFailure):
        await talk.say(update, context, f"{when.reason}\n{TRY_AGAIN}")
        return
    me = context.me
    await talk.complete(update, context, draft, service.date_fixer(when, me.telegram_id, me.is_admin, context.runtime))


INTENTS = {"event_create": on_intent, "reminder_create": on_intent}
_PROMPTS = {WHEN: NEW_TIME_PROMPT, TITLE: "새 제목을 입력하세요. 예: 서울식물원 개관식",
            LEAD: "언제 알려 드릴까요? 예: 30분 전 · D-3 · D-1 하고 1시간 전 · 정각 · 없음"}
FLOWS = {
    EVENT: talk.Flow("일정", show, service.keeper(EVENT), answer, frozenset({FORM_TITLE, FORM_WHEN}), choose,
                     (WHEN, TITLE, LEAD), correct, prompts=_PROMPTS),
    PERSONAL: talk.Flow("알림", show, service.keeper(PERSONAL), answer, frozenset(), None, (WHEN, TITLE), correct,
                        prompts=_PROMPTS),
    RECURRING: talk.Flow("반복 알림", show, service.keeper(RECURRING), answer, frozenset(), None, (TITLE,), correct,
                         prompts=_PROMPTS),
    EVENT_DATE: talk.Flow("일정 날짜", show, None, on_event_date, frozenset({DATE})),
}


def handlers() -> list[BaseHandler[Update, BotContext, Any]]:
    return [
        CommandHandler("event", event_command),
        CallbackQueryHandler(show_event, pattern=r"^ev:show:\d+$"),
        CallbackQueryHandler(ask_event_date, pattern=r"^ev:date:\d+$"),
    ]
