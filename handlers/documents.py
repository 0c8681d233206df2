"""Spreadsheets sent in chat by an admin: a pledges file or a budget ledger, told apart by its header row,
validated row by row and imported all or nothing."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, MessageHandler, filters

from bot.domain.access import DataKind
from bot.present.budget import import_report
from handlers import budgeting, facts, fieldwork, pledging
from handlers.gate import withheld
from handlers.runtime import BotContext

KINDS_HINT = ("공약 파일(/pledges template 양식), 업무추진비 장부(일자, 과목, 분야, 금액(원), 건수, 내용, 비고) 또는 "
              "시의원 명단(이름, 지역구, 소속 위원회, 정당, 의장단)을 .xlsx/.csv로 보내 주세요.")


def _is_facts(data: bytes, filename: str) -> bool:
    from bot.sheets.facts import read_facts

    _, problems = read_facts(data, filename)
    return not any(p.row == 0 for p in problems)


def _is_directory(data: bytes, filename: str) -> bool:
    """The council directory is told by its columns (이름, 지역구)."""
    from bot.sheets.council import read_members

    _, problems = read_members(data, filename, districts=())
    return not any(p.row == 0 for p in problems)


def _whole_file(problems: list[tuple[int, str, str]]) -> bool:
    return bool(problems) and all(row == 0 for row, _, _ in problems)


async def on_document(update: Update, context: BotContext) -> None:
    message = update.effective_message
    assert message is not None and message.document is not None
    if not context.me.is_admin:
        await message.reply_text("파일 가져오기는 관리자만 할 수 있습니다.")
        return
    if await withheld(update, context, DataKind.FILES):
        return
    name = message.document.file_name or "file"
    if not name.lower().endswith((".xlsx", ".csv")):
        await message.reply_text(KINDS_HINT)
        return
    data = bytes(await (await message.document.get_file()).download_as_bytearray())
    runtime = context.runtime
    now, me = runtime.now(), context.me.telegram_id
    async with runtime.sessionmaker.begin() as session:
        if _is_facts(data, name):
            changed, listed = await facts.import_facts(session, data, name, now, me)
            await message.reply_text(import_report(0, listed).replace("장부", "자료 파일") if listed else
                                     f"자료 파일을 가져왔습니다: 새로 넣거나 바꾼 자료 {changed}건.")
            return
        if _is_directory(data, name):
            created, updated, listed = await fieldwork.import_members(session, data, name)
            await message.reply_text(import_report(0, listed).replace("장부", "시의원 명단") if listed else
                                     f"시의원 명단을 가져왔습니다: 새로 {created}명, 갱신 {updated}명.")
            return
        result, problems = await pledging.import_file(session, data, name, runtime.pledge_statuses, now, me,
                                                     runtime.reminder_settings)
        if result is not None:
            reply = (f"공약 파일을 가져왔습니다: 새 세부사업 {result.created}개, 갱신 {result.updated}개, "
                     f"변경 없음 {result.unchanged}개, 새 마일스톤 {len(result.milestones)}개.")
        elif not _whole_file(problems):
            reply = import_report(0, problems)
        else:
            book = await budgeting.open_book(session, now.date())
            ledger = await budgeting.import_ledger(session, book, data, name, now, me) if book else (0, problems)
            reply = import_report(*ledger) if not _whole_file(ledger[1]) else f"{problems[0][2]}\n{KINDS_HINT}"
    runtime.wake()
    await message.reply_text(reply)


def handlers() -> list[BaseHandler[Update, BotContext, Any]]:
    return [MessageHandler(filters.Document.ALL, on_document)]
