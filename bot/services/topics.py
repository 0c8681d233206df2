"""The subject last answered in a chat, so that a follow-up naming none ("집행률은?", "몇 건이야") is about it.

A note of kind "topic" per answer (storage/drafts.py: stored done, never taken for an open echo or form); the
newest unexpired one counts. Old notes go with the drafts purge.
The payload is {"feature": "budget" | "fact" | "staffing" | "pledges", "subject": str}.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.runtime import Runtime
from storage import drafts, facts
from storage.models import Fact

KIND = "topic"
TTL = timedelta(hours=2)  # a follow-up comes within the conversation, not the next day


@dataclass(frozen=True)
class Topic:
    feature: str
    subject: str


async def remember(session: AsyncSession, owner_id: int, chat_id: int, topic: Topic, now: datetime) -> None:
    await drafts.keep_note(session, owner_id=owner_id, chat_id=chat_id, kind=KIND,
                           payload={"feature": topic.feature, "subject": topic.subject}, now=now, ttl=TTL)


async def note(runtime: Runtime, owner_id: int, chat_id: int, topic: Topic) -> None:
    """Remember the subject just answered here, in its own transaction (for a follow-up such as "집행률은?")."""
    async with runtime.sessionmaker.begin() as session:
        await remember(session, owner_id, chat_id, topic, runtime.now())


async def recall(session: AsyncSession, owner_id: int, chat_id: int, now: datetime) -> Topic | None:
    draft = await drafts.latest_note(session, owner_id, chat_id, KIND, now)
    if draft is None:
        return None
    return Topic(str(draft.payload.get("feature", "")), str(draft.payload.get("subject", "")))


@dataclass(frozen=True)
class Recalled:
    topic: Topic
    fact: Fact | None  # the fact itself when the subject is one (a key of the facts table)


async def last_subject(runtime: Runtime, owner_id: int, chat_id: int) -> Recalled | None:
    """The subject last answered in this chat (with its fact, for a fact), or None."""
    async with runtime.sessionmaker() as session:
        topic = await recall(session, owner_id, chat_id, runtime.now())
        if topic is None:
            return None
        fact = await facts.by_key(session, topic.subject) if topic.feature == "fact" else None
        return Recalled(topic, fact)
