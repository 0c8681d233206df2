"""Spreadsheet import and export from the command line (secretariat-bot import/export ...)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date, datetime, time, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.app import import_limits, reminder_settings
from bot.clock import SEOUL
from bot.config import Config
from bot.present.budget import import_report
from bot.services import budget as budgeting
from bot.services import fieldwork
from bot.services import pledges as pledging
from bot.services.fieldwork import export_records
from bot.workers import inline
from storage.db import make_engine, make_sessionmaker
from storage.migrate import upgrade

NO_BOOK = "예산(과목)이 등록되어 있지 않습니다. 먼저 'secretariat-bot seed'를 실행하세요."


def size_refusal(size: int, config: Config) -> str | None:
    from bot.sheets.common import check_upload_size

    return check_upload_size(size, import_limits(config))


@asynccontextmanager
async def _transaction(url: str) -> AsyncIterator[AsyncSession]:
    engine = make_engine(url)
    try:
        await upgrade(engine)
        with inline():  # one job, nobody else on this loop: no worker process to start
            async with make_sessionmaker(engine).begin() as session:
                yield session
    finally:
        await engine.dispose()


APPROVE_HINT = "잔액이나 한 건 한도를 넘는 행을 관리자 승인으로 가져오려면 --approve-overdraw를 붙여 다시 실행하세요."


async def import_budget(url: str, data: bytes, filename: str, config: Config, *, approve: bool = False
                        ) -> tuple[str, bool]:
    now = datetime.now(SEOUL)
    async with _transaction(url) as session:
        book = await budgeting.open_book(session, now.date())
        if book is None:
            return NO_BOOK, False
        done = await budgeting.import_ledger(session, book, data, filename, now, actor_id=None,
                                             limits=import_limits(config), max_entry_won=config.budget.max_entry_won,
                                             approve=approve)
    report = import_report(done.count, done.problems)
    return (f"{report}\n{APPROVE_HINT}" if done.approvable else report), not done.problems


async def import_pledges(url: str, data: bytes, filename: str, config: Config) -> tuple[str, bool]:
    now = datetime.now(SEOUL)
    async with _transaction(url) as session:
        result, problems = await pledging.import_file(session, data, filename, config.pledges.statuses, now, None,
                                                     reminder_settings(config), limits=import_limits(config))
    if result is None:
        return import_report(0, problems).replace("장부", "공약 파일"), False
    return (f"공약 파일을 가져왔습니다: 새 세부사업 {result.created}개, 갱신 {result.updated}개, "
            f"변경 없음 {result.unchanged}개, 새 마일스톤 {len(result.milestones)}개."), True


async def import_council(url: str, data: bytes, filename: str, config: Config) -> tuple[str, bool]:
    async with _transaction(url) as session:
        created, updated, problems = await fieldwork.import_members(session, data, filename)
    if problems:
        return import_report(0, problems).replace("장부", "시의원 명단"), False
    return f"시의원 명단을 가져왔습니다: 새로 {created}명, 갱신 {updated}명.", True


async def import_facts(url: str, data: bytes, filename: str, config: Config) -> tuple[str, bool]:
    from bot.services.facts import import_facts as import_rows

    async with _transaction(url) as session:
        changed, problems = await import_rows(session, data, filename, datetime.now(SEOUL), None)
    if problems:
        return import_report(0, problems).replace("장부", "자료 파일"), False
    return f"자료 파일을 가져왔습니다: 새로 넣거나 바꾼 자료 {changed}건.", True


async def export(kind: str, url: str, config: Config, start: date | None = None, end: date | None = None
                 ) -> tuple[bytes, str]:
    with inline():
        return await _export(kind, url, config, start, end)


async def _export(kind: str, url: str, config: Config, start: date | None, end: date | None) -> tuple[bytes, str]:
    if kind == "pledges-template":
        from bot.sheets.pledges import pledges_template

        return pledges_template(config.pledges.statuses), "공약 가져오기 양식"
    today = datetime.now(SEOUL).date()
    if kind in ("visits", "meetings"):
        first = datetime.combine(start or today.replace(month=1, day=1), time(0), tzinfo=SEOUL)
        last = datetime.combine(end, time(0), tzinfo=SEOUL) + timedelta(days=1) if end else first.replace(year=9999)
        data, count = await export_records(_Runtime(url), kind.removesuffix("s"), first, last)
        return data, f"{count}건"
    async with _transaction(url) as session:
        if kind == "pledges":
            data, count = await pledging.export_file(session)
            return data, f"세부사업 {count}개"
        book = await budgeting.open_book(session, today)
        if book is None:
            raise SystemExit(NO_BOOK)
        data, count = await budgeting.ledger_file(session, book, today)
        return data, f"장부 {count}건과 요약"


class _Runtime:
    """Just enough of the bot's runtime for export_records: a session factory and the zone."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.tz = SEOUL

    @asynccontextmanager
    async def sessionmaker(self) -> AsyncIterator[AsyncSession]:
        async with _transaction(self.url) as session:
            yield session
