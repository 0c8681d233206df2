"""A follow-up that names no subject ("집행률은?", "몇 건이야") is about the subject last answered in this chat
(kept in the database: bot/services/topics.py); it gets the part asked, not the same card again."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.lang.asked import asked_view, names_nothing_else
from bot.lang.intents import Intent
from bot.services import topics
from handlers import budget, facts, pledges, staffing


async def follow_up(update: Update, context: BotContext, text: str, figure: str | None = None) -> bool:
    """Answer `text` about the last subject when it names none of its own. `figure` is the reading's view
    slot (else read from the words). True when answered."""
    if not names_nothing_else(text) or update.effective_chat is None:
        return False
    figure = figure if figure is not None else asked_view(text)
    recalled = await topics.last_subject(context.runtime, context.me.telegram_id, update.effective_chat.id)
    if recalled is None or figure is None:
        return False
    topic, fact = recalled.topic, recalled.fact
    if topic.feature == "budget":
        return await budget.answer_figure(update, context, topic.subject, figure)
    if topic.feature == "staffing":
        return await staffing.answer_number(update, context, text, figure)
    if topic.feature == "pledges":
        return await pledges.answer_count(update, context, f"{topic.subject} {text}")
    return fact is not None and await facts.answer_figure(update, context, fact, text, figure)


async def answer_first(update: Update, context: BotContext, text: str, intent: Intent) -> bool:
    """Before the readings are dispatched: a follow-up about the last subject, in the part it asks."""
    view = intent.slots.get("view") if intent.slots else None
    return await follow_up(update, context, text, view if isinstance(view, str) else None)
