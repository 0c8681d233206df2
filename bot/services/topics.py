"""The subject last answered in a chat, so that a follow-up naming none ("집행률은?", "몇 건이야") is about it.

A note of kind "topic" per answer (storage/drafts.py: stored done, never taken for an open echo or form); the
newest unexpired one counts. Old notes go with the drafts purge.
The payload is {"feature": "budget" | "fact" | "staffing" | "pledges", "subject": str}.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from storage import drafts

KIND = "topic"
TTL = timedelta(hours=2)  # a follow-up comes within the conversation, not the next day


@dataclass(frozen=True)
class Topic:
    feature: str
    subject: str


async def remember(session: AsyncSession, owner_id: int, chat_id: int, topic: Topic, now: datetime) -> None:
    await drafts.keep_note(session, owner_id=owner_id, chat_id=chat_id, kind=KIND,
                           payload={"feature": topic.feature, "subject": topic.subject}, now=now, ttl=TTL)


async def recall(session: AsyncSession, owner_id: int, chat_id: int, now: datetime) -> Topic | None:
    draft = await drafts.latest_note(session, owner_id, chat_id, KIND, now)
    if draft is None:
        return None
    return Topic(str(draft.payload.get("feature", "")), str(draft.payload.get("subject", "")))
