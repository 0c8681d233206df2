"""Free text: a reply the bot is waiting for, else the intent the language layer reads in it."""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Mapping
from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, MessageHandler, filters

from bot.lang.intents import Intent, parse_intent
from bot.lang.phrases import asks_to_remind, looks_like_question
from handlers.runtime import BotContext

IntentCallback = Callable[[Update, BotContext, Intent], Coroutine[Any, Any, None]]
ReplyCallback = Callable[[Update, BotContext, str], Coroutine[Any, Any, None]]
AWAITING = "awaiting"


def expect_reply(context: BotContext, kind: str) -> None:
    """The user's next text message answers a question of kind `kind` (see REPLIES of the features)."""
    assert context.user_data is not None
    context.user_data[AWAITING] = kind


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
        if waiting in self.replies:
            await self.replies[waiting](update, context, message.text)
            return
        intent = parse_intent(message.text, context.runtime.now())
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

    def handler(self) -> BaseHandler[Update, BotContext, None]:
        return MessageHandler(filters.TEXT & ~filters.COMMAND, self.route)
