"""Free text: an open form's answer or an open echo's correction (handlers/conversation.py: drafts in the
database), else what the understanding step reads in it."""

from __future__ import annotations

import re
from collections.abc import Callable, Coroutine, Mapping
from datetime import timedelta
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, MessageHandler, filters

from bot.context import BotContext
from bot.lang.facts import FactIndex
from bot.lang.intents import UNKNOWN, Intent
from bot.lang.phrases import looks_like_question
from bot.lang.understand import FACT_KIND, Reading, Understanding, understand
from bot.services.conversation import Open, offer_choices, take_choice
from bot.tracing import note_intent
from handlers import conversation
from handlers.buttons import StaleButton, button, ident

IntentCallback = Callable[[Update, BotContext, Intent], Coroutine[Any, Any, None]]
FactIndexSource = Callable[[BotContext], Coroutine[Any, Any, FactIndex]]
FactAnswer = Callable[[Update, BotContext, str, str], Coroutine[Any, Any, None]]
AnswerFirst = Callable[[Update, BotContext, str, Intent], Coroutine[Any, Any, bool]]
NoAnswer = Callable[[Update, BotContext, str], Coroutine[Any, Any, None]]
CLARIFY = "clarify"  # drafts of this kind hold the readings a "이거 말씀이세요?" offered
CLARIFY_TTL = timedelta(hours=24)
CLARIFY_DATA = re.compile(r"^clarify:(\d{1,10}):(\d)$")
# Kinds read from text whose feature callback is looked up under another name.
ALIASES = {"agenda_query": "agenda"}
# Kinds understood but not (yet) answerable in words: what to do instead.
NOT_YET = {
    "undo_last": "방금 입력한 항목의 취소는 아직 말로 할 수 없습니다. 확인 전이면 메시지의 [취소] 버튼을 눌러 주세요.",
    "reminder_move": "알림 시각 변경은 아직 말로 할 수 없습니다. /reminders 에서 알림을 골라 바꿔 주세요.",
    "spending_fix": "지출 금액 정정은 아직 말로 할 수 없습니다. /budget 에서 해당 지출을 확인해 주세요.",
    "reminder_list": "내 알림 목록은 /reminders 로 볼 수 있습니다.",
    "spending_list": "지출 내역은 /budget 으로 볼 수 있습니다.",
    "export": "내보내기는 아직 말로 요청할 수 없습니다. /help 의 내보내기 명령어를 써 주세요.",
    "calendar_file": "일정 파일(.ics)은 /calendar 로 받을 수 있습니다.",
    "as_of_query": "수치의 기준일은 각 답변 아래에 적혀 있습니다. 예: '업무추진비 잔액'",
    "thanks": "네, 언제든 말씀해 주세요.",
    "greeting": "안녕하세요! 무엇을 도와드릴까요? 예: '오늘 일정', '업무추진비 잔액'",
    "followup_query": "후속조치는 /followups 로 볼 수 있습니다.",
}
# What each kind is called on a "이거 말씀이세요?" button.
LABELS = {
    "budget_query": "업무추진비 조회", "pledge_query": "공약 조회", "fact_query": "보고서 자료",
    "agenda_query": "일정 보기", "visit_query": "현장방문 조회", "meeting_query": "간담회·회의 조회",
    "followup_query": "후속조치 보기", "reminder_list": "내 알림 보기", "spending_list": "지출 내역 보기",
    "as_of_query": "기준일 확인", "event_create": "일정 등록", "reminder_create": "알림 설정",
    "spending_log": "지출 기록", "visit_log": "현장방문 기록", "meeting_log": "간담회·회의 기록",
    "undo_last": "방금 것 취소", "reminder_move": "알림 옮기기", "spending_fix": "지출 금액 정정",
    "pledge_update": "공약 진행 입력", "export": "엑셀로 받기", "calendar_file": "일정 파일 받기",
    "report": "업무보고 파일 받기",
    "help": "도움말", "thanks": "감사 인사", "greeting": "인사",
}


class Router:
    """Every text → :func:`bot.lang.understand.understand` → the best reading's feature callback; close
    readings are asked back with buttons; a second request in the same message is answered after the first."""

    def __init__(self, intents: Mapping[str, IntentCallback],
                 not_understood: Callable[[Update, BotContext], Coroutine[Any, Any, None]],
                 no_answer: NoAnswer | None = None, fact_index: FactIndexSource | None = None,
                 fact_answer: FactAnswer | None = None, answer_first: AnswerFirst | None = None) -> None:
        self.intents = dict(intents)
        self.answer_first = answer_first  # a follow-up about the subject last answered ("집행률은?")
        self.not_understood = not_understood
        self.no_answer = no_answer  # a question nothing answers: the closest topics, never a guess
        self.fact_index = fact_index  # the report's facts, one candidate among the readings
        self.fact_answer = fact_answer

    async def route(self, update: Update, context: BotContext) -> None:
        message = update.effective_message
        assert message is not None and message.text is not None
        understood = await self._understand(context, message.text)
        intent = understood.intent()
        if self.answer_first and await self.answer_first(update, context, message.text, intent):
            return
        if understood.close and len(self._offered(understood)) >= 2:
            await self._ask(update, context, understood)
        else:
            await self.dispatch(update, context, understood, understood.best)
        for part in understood.more:
            await self.dispatch(update, context, await self._understand(context, part), apart=True)

    async def _understand(self, context: BotContext, text: str) -> Understanding:
        facts = await self.fact_index(context) if self.fact_index else None
        return understand(text, context.runtime.now(), facts)

    async def dispatch(self, update: Update, context: BotContext, understood: Understanding,
                       reading: Reading | None = None, *, apart: bool = False) -> None:
        """Answer one reading with its feature (the feature reads the normalised text of that request)."""
        chosen = reading or understood.best
        note_intent(chosen.kind)  # for the metrics and the update's log line
        said = _saying(update, context, understood.text)  # the feature reads the normalised request
        if chosen.kind == FACT_KIND and self.fact_answer is not None:
            await self.fact_answer(said, context, str(chosen.slots.get("fact_key", "")), understood.text)
            return
        callback = self.intents.get(chosen.kind) or self.intents.get(ALIASES.get(chosen.kind, ""))
        if callback is not None:
            await callback(said, context, understood.intent(chosen))
        elif chosen.kind in NOT_YET:
            await _reply(update, context, NOT_YET[chosen.kind])
        elif self.no_answer and (chosen.kind != UNKNOWN or looks_like_question(understood.text)):
            await self.no_answer(said, context, understood.text)
        else:
            await self.not_understood(update, context)

    def _offered(self, understood: Understanding) -> tuple[Reading, ...]:
        """The close readings worth a button: one per feature that would answer them (event_create and
        reminder_create go to one handler, which tells a nudge from an event itself: nothing to ask)."""
        offered: list[Reading] = []
        answering: set[object] = set()
        for reading in understood.choices(3):
            callback = self.intents.get(reading.kind) or self.intents.get(ALIASES.get(reading.kind, ""))
            if reading.kind in LABELS and (callback is None or callback not in answering):
                offered.append(reading)
                answering.add(callback)
        return tuple(offered)

    async def _ask(self, update: Update, context: BotContext, understood: Understanding) -> None:
        """"이거 말씀이세요?" with one button a reading; the choice is kept as a draft the button names."""
        assert update.effective_chat is not None
        offered = self._offered(understood)
        draft_id = await offer_choices(context.runtime, context.me.telegram_id, update.effective_chat.id, CLARIFY,
                                       {"text": understood.typed, "kinds": [r.kind for r in offered]}, CLARIFY_TTL)
        rows = [[InlineKeyboardButton(LABELS[r.kind], callback_data=f"clarify:{draft_id}:{at}")]
                for at, r in enumerate(offered)]
        await context.bot.send_message(update.effective_chat.id, "이거 말씀이세요?",
                                       reply_markup=InlineKeyboardMarkup(rows))

    async def on_choice(self, update: Update, context: BotContext) -> None:
        """A "이거 말씀이세요?" button: answer the reading it names, once; a forged or old one is stale."""
        query = update.callback_query
        assert query is not None and query.data is not None
        match = CLARIFY_DATA.match(query.data)
        if match is None:
            raise StaleButton(query.data)
        draft_id, at = ident(match.group(1)), int(match.group(2))
        payload = await take_choice(context.runtime, context.me.telegram_id, draft_id, CLARIFY)
        if payload is None:
            raise StaleButton(query.data)
        kinds = payload.get("kinds", [])
        if at >= len(kinds):
            raise StaleButton(query.data)
        await query.answer()
        understood = await self._understand(context, str(payload.get("text", "")))
        reading = next((r for r in understood.readings if r.kind == kinds[at]), None)
        await self.dispatch(update, context, understood, reading or understood.best)
        for part in understood.more:
            await self.dispatch(update, context, await self._understand(context, part), apart=True)

    async def handle(self, update: Update, context: BotContext) -> None:
        """An open form's answer or an open echo's correction (drafts in the database) first; a text that
        interrupted a form is answered, then the form is offered back."""
        message = update.effective_message
        assert message is not None and message.text is not None
        taken = await conversation.take_text(update, context, message.text)
        if taken is True:
            note_intent("draft")  # a form's answer or an echo's correction
            return
        await self.route(update, context)
        if isinstance(taken, Open):
            await conversation.offer_back(update, context, taken)

    def handler(self) -> BaseHandler[Update, BotContext, None]:
        return MessageHandler(filters.TEXT & ~filters.COMMAND, self.handle)

    def button_handler(self) -> BaseHandler[Update, BotContext, None]:
        return CallbackQueryHandler(button(self.on_choice), pattern=r"^clarify:")


def _saying(update: Update, context: BotContext, text: str, typed_apart: bool = True) -> Update:
    """The update as if the user had typed ``text`` alone (one request of several, or the one a button
    chose), so that a feature reading its message's text reads that request."""
    message = update.effective_message
    user = update.effective_user
    assert message is not None
    if update.callback_query is None and (message.text == text or not typed_apart):
        return update  # one request: the feature reads it as typed (titles and places keep their spelling)
    said = Message(message_id=message.message_id, date=message.date, chat=message.chat, from_user=user, text=text)
    said.set_bot(context.bot)
    return Update(update.update_id, message=said)


async def _reply(update: Update, context: BotContext, text: str) -> None:
    assert update.effective_chat is not None
    await context.bot.send_message(update.effective_chat.id, text)

