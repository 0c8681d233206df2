"""Free text: a reply the bot is waiting for, else the intent the language layer reads in it."""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Mapping
from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, MessageHandler, filters

from bot.context import BotContext
from bot.lang.intent_table import MIN_SCORE
from bot.lang.intents import Intent, parse_intent
from bot.lang.phrases import asks_something, asks_to_remind, looks_like_question
from bot.lang.textutil import topic

IntentCallback = Callable[[Update, BotContext, Intent], Coroutine[Any, Any, None]]
ReplyCallback = Callable[[Update, BotContext, str], Coroutine[Any, Any, None]]
AWAITING = "awaiting"
# An intent at least this sure, of another feature than the awaited reply's, is a new request, not an answer.
CLEAR_SCORE = MIN_SCORE + 2  # 지연 공약, 이번주 일정, 업무추진비 잔액: 5 or more; 9월 16일 (a date): 3
# What the user is told when an awaited reply is dropped for a new request, by the awaited kind's prefix.
DROPPED = {"pledge_note": "메모", "pledge_progress": "진행률", "pledge_status": "상태", "pledge_eval": "자체평가",
           "spend": "지출 입력", "budget_as_of": "기준일", "event": "일정 변경", "reminder": "알림 시각 변경",
           "field": "기록 입력", "fact": "사실 입력"}


def expect_reply(context: BotContext, kind: str) -> None:
    """The user's next text message answers a question of kind `kind` (see REPLIES of the features)."""
    assert context.user_data is not None
    context.user_data[AWAITING] = kind
    context.asked = True


async def drop_on_command(update: Update, context: BotContext) -> None:
    """A command other than the one that asked (it runs first, in group 0) ends the awaited reply."""
    if not context.asked and context.user_data is not None:
        context.user_data.pop(AWAITING, None)


def command_ends_replies() -> BaseHandler[Update, BotContext, None]:
    """Registered after the feature handlers (group 1): a command is clearly not an answer."""
    return MessageHandler(filters.COMMAND, drop_on_command)


def clear_expectation(context: BotContext) -> None:
    if context.user_data is not None:
        context.user_data.pop(AWAITING, None)


AnswerFirst = Callable[[Update, BotContext, str, Intent], Coroutine[Any, Any, bool]]
NoAnswer = Callable[[Update, BotContext, str], Coroutine[Any, Any, None]]


class Router:
    def __init__(self, intents: Mapping[str, IntentCallback], replies: Mapping[str, ReplyCallback],
                 not_understood: Callable[[Update, BotContext], Coroutine[Any, Any, None]],
                 answer_first: AnswerFirst | None = None, no_answer: NoAnswer | None = None) -> None:
        self.intents = dict(intents)
        self.replies = dict(replies)
        self.not_understood = not_understood
        self.answer_first = answer_first  # the report's facts, before a query that fits them less well
        self.no_answer = no_answer  # a question nothing answers: the closest topics, never a guess

    async def route(self, update: Update, context: BotContext) -> None:
        message = update.effective_message
        assert message is not None and message.text is not None
        waiting = context.user_data.pop(AWAITING, None) if context.user_data is not None else None
        intent = parse_intent(message.text, context.runtime.now())
        if waiting in self.replies:
            if not self._interrupts(waiting, message.text, intent):
                await self.replies[waiting](update, context, message.text)
                return
            await message.reply_text(f"(입력 중이던 {topic(_dropped(waiting))} 취소했습니다)")
        if self.answer_first and await self.answer_first(update, context, message.text, intent):
            return
        callback = self.intents.get(intent.name)
        if callback is None and asks_to_remind(message.text):  # a past time, say: its handler says what is wrong
            callback = self.intents.get("reminder_create")
        if callback is not None:
            await callback(update, context, intent)
        elif self.no_answer and looks_like_question(message.text):
            await self.no_answer(update, context, message.text)
        else:
            await self.not_understood(update, context)

    def _interrupts(self, waiting: str, text: str, intent: Intent) -> bool:
        """The text is clearly not an answer to `waiting`: a question, or a sure request of another kind.
        An intent named like the awaited kind (pledge_update for pledge_note: '진행률 45%'; budget_query for
        budget_as_of: '6월말 기준 잔액'; spending_log for spend_amount: '12만원') is an answer."""
        if intent.name.startswith(waiting.split("_")[0]):
            return False
        return asks_something(text) or (intent.name in self.intents and intent.score >= CLEAR_SCORE)

    def handler(self) -> BaseHandler[Update, BotContext, None]:
        return MessageHandler(filters.TEXT & ~filters.COMMAND, self.route)


def _dropped(kind: str) -> str:
    return next((label for prefix, label in DROPPED.items() if kind.startswith(prefix)), "입력")
