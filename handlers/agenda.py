"""The agenda (/today, /week, '9월 일정', '다가오는 일정'), the daily briefing opt-in, and /calendar (.ics)."""

from __future__ import annotations

from io import BytesIO

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from bot.commands import CommandHelp
from bot.context import BotContext
from bot.domain import agenda
from bot.domain.access import DataKind
from bot.domain.agenda import Window
from bot.lang.dates import DateFailure, DateResult
from bot.lang.intents import Intent
from bot.lang.phrases import asks_this_week
from bot.services import agenda as agenda_service
from handlers.gate import withheld
from handlers.query_dates import refuse_date

COMMANDS = (
    CommandHelp("today", "오늘 일정", "/today · 오늘 일정"),
    CommandHelp("week", "이번 주 일정", "/week · 이번주 일정 · 9월 일정 · 다가오는 일정"),
    CommandHelp("calendar", "다가오는 일정을 달력 파일(.ics)로 받기", "/calendar"),
    CommandHelp("briefing", "평일 아침 일정 브리핑 받기/끄기", "/briefing on · /briefing off"),
)
MENU_ROW = ("오늘 일정", "이번주 일정", "다가오는 일정")
async def _reply(update: Update, context: BotContext, window: Window) -> None:
    assert update.effective_message is not None
    if await withheld(update, context, DataKind.PERSONAL):  # the agenda holds one's private items
        return
    text = await agenda_service.agenda_for(context.runtime, window, context.me.telegram_id)
    await update.effective_message.reply_text(text)


async def today(update: Update, context: BotContext) -> None:
    await _reply(update, context, agenda.today(context.runtime.now()))


async def week(update: Update, context: BotContext) -> None:
    await _reply(update, context, agenda.this_week(context.runtime.now()))


def _title(when: DateResult | None, text: str) -> str:
    if when is None:
        return ""
    return f"{when.text} 일정" if when.text else text


async def on_intent(update: Update, context: BotContext, intent: Intent) -> None:
    assert update.effective_message is not None
    now = context.runtime.now()
    if isinstance(intent.date, DateFailure):
        await refuse_date(update, intent.date)
        return
    when = intent.date
    text = update.effective_message.text or ""
    this_week = asks_this_week(text)
    window = agenda.this_week(now) if this_week else agenda.window_for(when, now, _title(when, text))
    await _reply(update, context, window)


async def briefing(update: Update, context: BotContext) -> None:
    assert update.effective_message is not None
    if await withheld(update, context, DataKind.PERSONAL):
        return
    choice = (context.args or [""])[0].lower()
    if choice not in ("on", "off", "켜기", "끄기"):
        await update.effective_message.reply_text("사용법: /briefing on (평일 아침 브리핑 받기) · /briefing off (끄기)")
        return
    on = choice in ("on", "켜기")
    await agenda_service.set_briefing(context.runtime, context.me.telegram_id, on)
    when = context.runtime.briefing_time
    await update.effective_message.reply_text(
        f"평일(공휴일 제외) {when:%H:%M}에 그날 일정을 보내 드립니다." if on else "아침 브리핑을 껐습니다.")


async def calendar(update: Update, context: BotContext) -> None:
    assert update.effective_message is not None
    if await withheld(update, context, DataKind.FILES):
        return
    file = await agenda_service.calendar_file(context.runtime, context.me.telegram_id)
    await update.effective_message.reply_document(
        BytesIO(file.data), filename="secretariat-calendar.ics",
        caption=f"다가오는 일정 {file.events + file.others}건, 반복 알림 {file.rules}건 "
                "(날짜 미정 일정은 '미정'으로 표시)")


async def on_calendar_intent(update: Update, context: BotContext, intent: Intent) -> None:
    await calendar(update, context)


INTENTS = {"agenda_query": on_intent, "calendar_file": on_calendar_intent}


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [
        CommandHandler("today", today),
        CommandHandler("week", week),
        CommandHandler("calendar", calendar),
        CommandHandler("briefing", briefing),
    ]
