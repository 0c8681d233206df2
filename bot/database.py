"""Database preparation used by the CLI: migrate, and seed the report's data."""

from __future__ import annotations

from storage.db import make_engine, make_sessionmaker
from storage.migrate import upgrade
from storage.seed import seed


async def migrate(url: str) -> None:
    engine = make_engine(url)
    try:
        await upgrade(engine)
    finally:
        await engine.dispose()


async def migrate_and_seed(url: str) -> dict[str, int]:
    engine = make_engine(url)
    try:
        await upgrade(engine)
        async with make_sessionmaker(engine).begin() as session:
            return await seed(session)
    finally:
        await engine.dispose()
