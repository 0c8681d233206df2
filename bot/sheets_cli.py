"""Spreadsheet import and export from the command line (secretariat-bot import/export budget)."""

from __future__ import annotations

from datetime import datetime

from bot.clock import SEOUL
from handlers import budgeting
from storage.db import make_engine, make_sessionmaker
from storage.migrate import upgrade


async def import_budget(url: str, data: bytes, filename: str) -> tuple[int, list[tuple[int, str, str]]]:
    engine = make_engine(url)
    try:
        await upgrade(engine)
        now = datetime.now(SEOUL)
        async with make_sessionmaker(engine).begin() as session:
            book = await budgeting.open_book(session, now.date())
            if book is None:
                return 0, [(0, "", "예산(과목)이 등록되어 있지 않습니다. 먼저 'secretariat-bot seed'를 실행하세요.")]
            return await budgeting.import_ledger(session, book, data, filename, now, actor_id=None)
    finally:
        await engine.dispose()


async def export_budget(url: str) -> tuple[bytes, int]:
    engine = make_engine(url)
    try:
        await upgrade(engine)
        today = datetime.now(SEOUL).date()
        async with make_sessionmaker(engine)() as session:
            book = await budgeting.open_book(session, today)
            if book is None:
                raise SystemExit("예산(과목)이 등록되어 있지 않습니다. 먼저 'secretariat-bot seed'를 실행하세요.")
            return await budgeting.ledger_file(session, book, today)
    finally:
        await engine.dispose()
