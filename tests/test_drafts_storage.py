"""Draft rows on SQLite and PostgreSQL: one winner per confirmation, expiry, owners, forms."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncEngine

from storage import drafts
from storage.db import make_sessionmaker

NOW = datetime(2018, 7, 20, 1, 0, tzinfo=UTC)
DAY = timedelta(hours=24)


async def _new(engine: AsyncEngine, **extra: object) -> int:
    async with make_sessionmaker(engine).begin() as session:
        draft = await drafts.create(session, owner_id=7, chat_id=7, kind="spending",
                                    payload={"amount": 120_000}, now=NOW, ttl=DAY, **extra)  # type: ignore[arg-type]
        return draft.id


async def test_finish_wins_once_even_when_pressed_twice_at_once(engine: AsyncEngine) -> None:
    draft_id = await _new(engine)
    maker = make_sessionmaker(engine)

    async def press() -> bool:
        async with maker.begin() as session:
            return await drafts.finish(session, draft_id, 7, NOW)

    results = await asyncio.gather(press(), press())
    assert sorted(results) == [False, True]
    async with maker() as session:
        assert drafts.status(await drafts.get(session, draft_id, 7), NOW) is drafts.Status.DONE


async def test_expired_or_forged_drafts_do_nothing(engine: AsyncEngine) -> None:
    draft_id = await _new(engine)
    later = NOW + DAY + timedelta(seconds=1)
    async with make_sessionmaker(engine).begin() as session:
        assert not await drafts.finish(session, draft_id, 8, NOW)  # someone else's id
        assert await drafts.get(session, draft_id, 8) is None
        assert not await drafts.finish(session, draft_id, 7, later)
        assert drafts.status(await drafts.get(session, draft_id, 7), later) is drafts.Status.EXPIRED
        assert drafts.status(None, NOW) is drafts.Status.MISSING


async def test_forms_are_found_changed_dropped_and_purged(engine: AsyncEngine) -> None:
    echo_id = await _new(engine)
    form_id = await _new(engine, step="when")
    maker = make_sessionmaker(engine)
    async with maker.begin() as session:
        form = await drafts.open_for(session, 7, 7, NOW, forms_only=True)
        assert form is not None and form.id == form_id
        assert (await drafts.open_for(session, 7, 7, NOW, ["spending"])).id == form_id  # type: ignore[union-attr]
        assert await drafts.open_for(session, 7, 8, NOW) is None  # another chat
        assert await drafts.change(session, form_id, 7, NOW, payload={"amount": 150_000}, step="what")
    async with maker.begin() as session:
        form = await drafts.get(session, form_id, 7)
        assert form is not None and form.payload == {"amount": 150_000} and form.step == "what"
        assert await drafts.drop_open(session, 7, 7, NOW, ["spending"]) == 2
        assert not await drafts.change(session, echo_id, 7, NOW, step="x")
    async with maker.begin() as session:
        assert await drafts.purge(session, NOW + timedelta(days=3), keep=DAY) == 2
