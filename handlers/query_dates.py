"""The optional date of a query ("7월 20일 기준 잔액", "8월 현장방문", "/visits 7월"): one rule for every list
and figure, so an impossible date is answered with its reason instead of today's data."""

from __future__ import annotations

from telegram import Update

from bot.lang.dates import DateFailure


async def refuse_date(update: Update, failure: DateFailure) -> None:
    """Tell the user why the date they wrote cannot be read; the caller then shows nothing."""
    assert update.effective_chat is not None
    await update.get_bot().send_message(update.effective_chat.id, f"{failure.reason}\n날짜를 고쳐 다시 물어봐 주세요.")
