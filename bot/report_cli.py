"""What `secretariat-bot report` does: the work report of the database as of a day, written to a file."""

from __future__ import annotations

from datetime import date, datetime

from bot.config import Config
from bot.report import Format, render
from bot.services.work_report import ReportSettings, WorkReport, build_work_report
from storage.db import make_engine, make_sessionmaker
from storage.migrate import upgrade

AS_OF_HINT = "--as-of: 날짜는 YYYY-MM-DD 형식으로 주세요 (예: 2018-07-20)"


def read_as_of(raw: str | None, today: date) -> date | str:
    """The --as-of date, today when not given, or the Korean line saying what to type instead."""
    if raw is None:
        return today
    try:
        value = date.fromisoformat(raw.strip())
    except ValueError:
        return f"'{raw}'은(는) 날짜로 읽을 수 없습니다. {AS_OF_HINT}"
    if not 2000 <= value.year <= 2100:
        return f"{value.year}년은 다룰 수 없습니다(2000~2100년). {AS_OF_HINT}"
    return value


async def build(url: str, as_of: date, config: Config) -> WorkReport:
    engine = make_engine(url)
    try:
        await upgrade(engine)
        async with make_sessionmaker(engine)() as session:
            return await build_work_report(session, as_of, settings=ReportSettings.from_config(config),
                                           now=datetime.now(config.schedule.tz))
    finally:
        await engine.dispose()


def write(report: WorkReport, fmt: Format) -> bytes:
    """Rendered here, on this process: the command does nothing else meanwhile."""
    return render(report, fmt)
