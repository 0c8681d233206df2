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
from bot.services.fact_catalogue import read_catalogue
from storage import drafts, readcache
from storage.facts import FactRow

KIND = "topic"
TTL = timedelta(hours=2)  # a follow-up comes within the conversation, not the next day
REFRESH = timedelta(minutes=10)  # the same subject asked again is noted again after this long (its TTL renewed)


@dataclass(frozen=True)
class Topic:
    feature: str
    subject: str


def _payload(topic: Topic) -> dict[str, str]:
    return {"feature": topic.feature, "subject": topic.subject}


def seen(owner_id: int, chat_id: int, note: drafts.Seen | None) -> None:
    """The note this update's look at the chat found (storage.drafts.open_and_note): remembering the same
    subject again in this update writes nothing."""
    memo = readcache.update_memo()
    if memo is not None:
        memo[(KIND, owner_id, chat_id)] = (dict(note.payload), note.created_at, note.id) if note is not None else None


async def remember(session: AsyncSession, owner_id: int, chat_id: int, topic: Topic, now: datetime) -> None:
    """This chat's subject is now `topic`. As this update's look at the chat found its note: nothing when it
    already is (noted less than REFRESH ago), else that note rewritten (one UPDATE); one INSERT when there is
    none (or the look was not made)."""
    payload = _payload(topic)
    memo = readcache.update_memo()
    key = (KIND, owner_id, chat_id)
    known = memo.get(key) if memo is not None else None
    if known is not None and known[0] == payload and now - known[1] < REFRESH:
        return
    if known is not None and await drafts.renew_note(session, known[2], owner_id, KIND, payload, now, TTL):
        if memo is not None:
            memo[key] = (payload, now, known[2])
        return
    await drafts.add_note(session, owner_id=owner_id, chat_id=chat_id, kind=KIND, payload=payload, now=now, ttl=TTL)
    if memo is not None:
        memo.pop(key, None)  # its id is not read back: a second remember in this update writes again


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
    fact: FactRow | None  # the fact itself when the subject is one (a key of the facts table)


async def last_subject(runtime: Runtime, owner_id: int, chat_id: int) -> Recalled | None:
    """The subject last answered in this chat (with its fact, for a fact), or None."""
    async with runtime.sessionmaker() as session:
        topic = await recall(session, owner_id, chat_id, runtime.now())
        if topic is None:
            return None
        fact = (await read_catalogue(session)).by_key(topic.subject) if topic.feature == "fact" else None
        return Recalled(topic, fact)
