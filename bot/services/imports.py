"""Spreadsheets an admin sends: facts, the council directory, a pledges file or a budget ledger, told apart by
their header row, validated row by row and imported all or nothing in one transaction. No Telegram here."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.present.budget import import_report
from bot.runtime import Runtime
from bot.services import budget as budgeting
from bot.services import facts as facts_service
from bot.services import fieldwork
from bot.services import pledges as pledging
from bot.services.conversation import Conversation
from bot.services.conversation import Outcome as Ended
from bot.sheets.common import header_fits
from bot.workers import run_cpu

KINDS_HINT = ("공약 파일(/pledges template 양식), 업무추진비 장부(일자, 과목, 분야, 금액(원), 건수, 내용, 비고) 또는 "
              "시의원 명단(이름, 지역구, 소속 위원회, 정당, 의장단)을 .xlsx/.csv로 보내 주세요.")
NO_BOOK = "등록된 업무추진비 예산이 없습니다. 관리자가 'secretariat-bot seed'로 보고서 자료를 불러올 수 있습니다."


@dataclass(frozen=True)
class Outcome:
    text: str
    approvable: bool = False  # a ledger refused only for overdrawn lines or the ceiling: offer the approval


def _layouts() -> list[Any]:
    from bot.sheets import council, ledger, pledges
    from bot.sheets import facts as fact_sheets

    return [fact_sheets.LAYOUT, council.LAYOUT, pledges.LAYOUT, ledger.LAYOUT]


async def import_file(runtime: Runtime, data: bytes, name: str, me: int, approve: bool = False) -> Outcome:
    kind = await run_cpu(header_fits, data, name, _layouts(), runtime.import_limits)
    if not isinstance(kind, int):
        return Outcome(f"{kind.reason}\n{KINDS_HINT}")
    async with runtime.sessionmaker.begin() as session:
        outcome = await _apply(session, runtime, kind, data, name, me, approve)
    runtime.wake()  # a pledges file may have planned milestone reminders
    return outcome


async def _apply(session: AsyncSession, runtime: Runtime, kind: int, data: bytes, name: str, me: int,
                 approve: bool) -> Outcome:
    now = runtime.now()
    if kind == 0:
        changed, listed = await facts_service.import_facts(session, data, name, now, me)
        return Outcome(import_report(0, listed).replace("장부", "자료 파일") if listed else
                       f"자료 파일을 가져왔습니다: 새로 넣거나 바꾼 자료 {changed}건.")
    if kind == 1:
        created, updated, listed = await fieldwork.import_members(session, data, name)
        return Outcome(import_report(0, listed).replace("장부", "시의원 명단") if listed else
                       f"시의원 명단을 가져왔습니다: 새로 {created}명, 갱신 {updated}명.")
    if kind == 2:
        result, problems = await pledging.import_file(session, data, name, runtime.pledge_statuses, now, me,
                                                     runtime.reminder_settings, limits=runtime.import_limits)
        if result is None:
            return Outcome(import_report(0, problems).replace("장부", "공약 파일"))
        return Outcome(f"공약 파일을 가져왔습니다: 새 세부사업 {result.created}개, 갱신 {result.updated}개, "
                       f"변경 없음 {result.unchanged}개, 새 마일스톤 {len(result.milestones)}개.")
    book = await budgeting.open_book(session, now.date())
    if book is None:
        return Outcome(NO_BOOK)
    done = await budgeting.import_ledger(session, book, data, name, now, me, limits=runtime.import_limits,
                                         max_entry_won=runtime.budget_max_entry_won, approve=approve)
    return Outcome(import_report(done.count, done.problems), done.approvable)




# -- a ledger awaiting an admin's 초과 승인: a draft, so the approval works once, after a restart, on any replica --

LEDGER = "ledger_import"


async def hold_ledger(runtime: Runtime, owner: int, chat: int, file_id: str, name: str) -> int:
    """Keep the refused ledger (its file id and name) as a draft; its id goes on the approve/cancel buttons."""
    payload = {"file_id": file_id, "name": name, "token": secrets.token_hex(4)}
    return (await Conversation(runtime, owner, chat).start(LEDGER, payload)).id


async def take_ledger(runtime: Runtime, owner: int, chat: int, draft_id: int, approve: bool
                      ) -> tuple[dict[str, Any] | None, Ended]:
    """Finish (approve) or drop (cancel) the owner's held ledger: exactly one press wins; the payload to import
    for an approval that won, else None and why (already done, expired, dropped, not this owner's ledger)."""
    talk = Conversation(runtime, owner, chat)
    draft, outcome = await talk.get(draft_id)
    if draft is None or draft.kind != LEDGER:
        return None, outcome if draft is None else Ended.MISSING
    if not approve:
        return None, await talk.cancel(draft_id)
    done = await talk.take(draft_id)
    return (done.draft.data() if done.draft is not None else None), done.outcome
