"""The error handler: log with traceback, apologise in Korean, alert admins at most once a minute."""

from __future__ import annotations

import logging
from datetime import timedelta

from telegram import Update
from telegram.error import Forbidden, RetryAfter, TelegramError

from bot.context import BotContext
from bot.logs import redact
from bot.runtime import Runtime
from handlers import texts

log = logging.getLogger(__name__)
ALERT_INTERVAL = timedelta(minutes=1)


def _alert_due(runtime: Runtime, kind: str) -> bool:
    now = runtime.now()
    last = runtime.last_alert.get(kind)
    if last is not None and now - last < ALERT_INTERVAL:
        return False
    runtime.last_alert[kind] = now
    return True


async def on_error(update: object, context: BotContext) -> None:
    runtime = context.runtime
    error = context.error
    if isinstance(error, RetryAfter):  # flood control: an apology or an alert now would be refused as well
        log.warning("Telegram rate limit (429) while handling an update: %s", error)
        return
    log.error("Error while handling an update", exc_info=error)
    if isinstance(update, Update) and update.effective_chat is not None:
        try:
            if update.callback_query:
                await update.callback_query.answer()
            await context.bot.send_message(update.effective_chat.id, texts.SOMETHING_WENT_WRONG)
        except TelegramError:
            log.warning("Could not tell the user about the error", exc_info=True)
    if not runtime.admins or not _alert_due(runtime, "error"):
        return
    where = ""
    if isinstance(update, Update) and update.effective_user is not None:
        where = f" (사용자 ID {update.effective_user.id})"
    summary = redact(f"{type(error).__name__}: {error}", runtime.secrets)[:500]
    alert = f"⚠️ 오류가 발생했습니다{where}.\n{summary}\n자세한 내용은 서버 로그를 확인하세요."
    for admin_id in sorted(runtime.admins):
        try:
            await context.bot.send_message(admin_id, alert)
        except Forbidden:
            log.warning("Admin %s has not started the bot; alert not delivered", admin_id)
        except TelegramError:
            log.warning("Could not alert admin %s", admin_id, exc_info=True)
