"""Admin commands for the roster: /invite and /staff [remove ID]."""

from __future__ import annotations

from datetime import datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.commands import CommandHelp
from bot.context import BotContext
from bot.domain.access import DataKind
from bot.services import staff as roster
from handlers.buttons import button, user_id
from handlers.gate import admin_only, withheld

COMMANDS = (
    CommandHelp("invite", "직원 초대 링크 만들기 (1회용, 24시간 유효)", "/invite", admin_only=True),
    CommandHelp("staff", "직원 명단 보기, 직원 제외하기", "/staff · /staff remove 123456789", admin_only=True),
)
WEEKDAYS = "월화수목금토일"


def _short(at: datetime) -> str:  # TODO(lang): use the language layer's formatter once it lands
    return f"{at.month}.{at.day}.({WEEKDAYS[at.weekday()]}) {at:%H:%M}"


REMOVE = "staff:rm:"
CANCEL = "staff:cancel"
CONFIGURED_ADMIN = "설정 파일(access.admins)에 있는 관리자는 여기서 제외할 수 없습니다."
STAFF_USAGE = "사용법: /staff (명단 보기) 또는 /staff remove 텔레그램ID (예: /staff remove 123456789)"


@admin_only
async def invite(update: Update, context: BotContext) -> None:
    assert update.effective_message is not None
    if await withheld(update, context, DataKind.INVITE):  # a link is posted only in the admin's private chat
        return
    now = context.runtime.now()
    code = await roster.new_invite(context.runtime, context.me.telegram_id)
    link = f"https://t.me/{context.bot.username}?start={code.code}"
    expires = _short(code.expires_at.astimezone(now.tzinfo))
    await update.effective_message.reply_text(
        f"초대 링크입니다. 한 사람만, {expires}까지 쓸 수 있습니다.\n{link}\n\n"
        f"링크를 열 수 없으면 봇에게 다음을 보내게 하세요: /start {code.code}"
    )


async def _list(update: Update, context: BotContext) -> None:
    assert update.effective_message is not None
    staff = await roster.roster(context.runtime)
    lines = [f"• {p.name}{' (관리자)' if p.admin else ''} — ID {p.telegram_id}" for p in staff]
    await update.effective_message.reply_text(f"직원 명단 ({len(staff)}명)\n" + "\n".join(lines))


def _target_id(raw_id: str) -> int | None:
    return int(raw_id) if raw_id.isascii() and raw_id.isdigit() and roster.valid_user_id(int(raw_id)) else None


async def _ask_remove(update: Update, context: BotContext, raw_id: str) -> None:
    assert update.effective_message is not None
    reply = update.effective_message.reply_text
    target = _target_id(raw_id)
    if target is None:
        await reply(f"텔레그램 ID는 숫자로 입력해 주세요.\n{STAFF_USAGE}")
        return
    if target in context.runtime.admins:
        await reply(CONFIGURED_ADMIN)
        return
    name = await roster.active_name(context.runtime, target)
    if name is None:
        await reply(f"ID {target}인 활동 중인 직원이 없습니다. /staff 로 명단을 확인하세요.")
        return
    buttons = InlineKeyboardMarkup([[
        InlineKeyboardButton("제외", callback_data=f"{REMOVE}{target}"),
        InlineKeyboardButton("취소", callback_data=CANCEL),
    ]])
    await reply(f"{name}님(ID {target})을 직원 명단에서 제외할까요?", reply_markup=buttons)


@button
@admin_only
async def confirm_remove(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None
    target = None if query.data == CANCEL else user_id(query.data.removeprefix(REMOVE))
    if await withheld(update, context, DataKind.ROSTER):
        return
    await query.answer()
    if target is None:
        await query.edit_message_text("취소했습니다. 명단은 그대로입니다.")
        return
    if target in context.runtime.admins:
        await query.edit_message_text(CONFIGURED_ADMIN)
        return
    removed = await roster.remove(context.runtime, target, context.me.telegram_id)
    if removed is None:
        await query.edit_message_text(f"ID {target}인 활동 중인 직원이 없습니다(이미 제외되었을 수 있습니다).")
        return
    stopped = f" 예정된 알림 {removed.cancelled}건도 취소했습니다." if removed.cancelled else ""
    await query.edit_message_text(f"{removed.name}님(ID {target})을 명단에서 제외했습니다. 이제 봇을 쓸 수 없습니다."
                                  + stopped)


@admin_only
async def staff(update: Update, context: BotContext) -> None:
    if await withheld(update, context, DataKind.ROSTER):
        return
    args = context.args or []
    if not args:
        await _list(update, context)
    elif len(args) == 2 and args[0] in ("remove", "제외", "삭제"):
        await _ask_remove(update, context, args[1])
    else:
        assert update.effective_message is not None
        await update.effective_message.reply_text(STAFF_USAGE)


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [
        CommandHandler("invite", invite),
        CommandHandler("staff", staff),
        CallbackQueryHandler(confirm_remove, pattern=rf"^({REMOVE}\d+|{CANCEL})$"),
    ]
