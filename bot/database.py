"""Database preparation used by the CLI: migrate, and seed the report's data."""

from __future__ import annotations

from bot.services.fieldwork import import_members
from bot.workers import inline
from storage.db import make_engine, make_sessionmaker
from storage.migrate import upgrade
from storage.seed import SEED_FILE, seed


async def migrate(url: str) -> None:
    engine = make_engine(url)
    try:
        await upgrade(engine)
    finally:
        await engine.dispose()


COUNCIL_SAMPLE = SEED_FILE.with_name("council_sample.csv")


async def migrate_and_seed(url: str, *, demo: bool = False) -> dict[str, int]:
    """Migrate and load the report's data; the demo database also gets the council directory sample (every
    name marked (예시)), which the report does not hold, so the council-briefing rule can be tried."""
    engine = make_engine(url)
    try:
        await upgrade(engine)
        with inline():  # the council sample is read in place: no worker process for one small file at start-up
            async with make_sessionmaker(engine).begin() as session:
                counts = await seed(session)
                if demo:
                    created, updated, _ = await import_members(session, COUNCIL_SAMPLE.read_bytes(),
                                                               COUNCIL_SAMPLE.name)
                    counts["council_sample"] = created + updated
                return counts
    finally:
        await engine.dispose()
