"""The one conversation mechanism: every echo waiting for 확인 and every multi-step form is a draft row.

An echo is a draft without a step; a form is a draft whose `step` names the question it waits for (typed
answers go to the feature that owns the kind). Buttons carry the draft id, so each acts on its own draft —
after a restart and on any replica. Confirming runs the feature's store callback in the same transaction as
the guarded `drafts.finish`: of two presses exactly one stores, an expired or another user's draft stores
nothing. No telegram here.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from enum import Enum
from typing import Any, Generic, Protocol, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from bot.runtime import Member, Runtime
from bot.services import topics
from storage import drafts
from storage.models import Draft

T = TypeVar("T")
C = TypeVar("C")  # the caller's context a feature's store reads (who pressed, the runtime)
PAUSED = "~paused"  # payload key: a form set aside by an interruption waits for [이어서 하기]
EDIT = "edit:"  # step prefix: an echo's field being re-asked (d:<id>:edit:<field>)


class Caller(Protocol):
    """Who confirms a draft, as a feature's store reads it (the handlers' context is one)."""

    @property
    def runtime(self) -> Runtime: ...

    @property
    def me(self) -> Member: ...


class Outcome(Enum):
    """What pressing 확인 (or 취소) on a draft did."""

    STORED = "stored"
    DONE = "done"  # already confirmed (a second press, another replica's)
    EXPIRED = "expired"
    DROPPED = "dropped"  # cancelled or replaced
    MISSING = "missing"  # no such draft, or not the presser's (a forged id)
    NOT_READY = "not_ready"  # a form still asking: there is nothing on screen to confirm yet


class _NotReady(Exception):
    """Raised inside the confirming transaction to roll back the finish of a draft that is still a form."""


_OUTCOME = {drafts.Status.DONE: Outcome.DONE, drafts.Status.DROPPED: Outcome.DROPPED,
            drafts.Status.EXPIRED: Outcome.EXPIRED, drafts.Status.MISSING: Outcome.MISSING}


@dataclass(frozen=True)
class Open:
    """A draft as a feature sees it: its id, kind, current step (None for an echo) and payload."""

    id: int
    kind: str
    step: str | None
    payload: dict[str, Any] = field(default_factory=dict)

    @property
    def paused(self) -> bool:
        return bool(self.payload.get(PAUSED))

    @property
    def editing(self) -> str | None:
        """The field an echo's edit button asked for, if that is the step."""
        return self.step.removeprefix(EDIT) if self.step and self.step.startswith(EDIT) else None

    def data(self) -> dict[str, Any]:
        """The payload without the mechanism's own keys (what the feature stored)."""
        return {key: value for key, value in self.payload.items() if key != PAUSED}


@dataclass(frozen=True)
class Confirmed(Generic[T]):
    outcome: Outcome
    result: T | None = None
    draft: Open | None = None


# A feature's store callback: runs inside the transaction that finishes the draft and returns the reply.
Store = Callable[[C, AsyncSession, Open], Awaitable[str]]
# What a form's last typed answer keeps, in the transaction that finishes it.
Keep = Callable[[AsyncSession, Open], Awaitable[T]]


async def _nothing(session: AsyncSession, row: Open) -> None:
    return None


def _open(row: Draft) -> Open:
    return Open(row.id, row.kind, row.step, dict(row.payload))


@dataclass(frozen=True)
class Drafts:
    """The open drafts of one owner in one chat, newest first, as one query read them."""

    open: tuple[Open, ...]

    def form(self) -> Open | None:
        """The newest open form (paused or not): Conversation.open_form, without a query."""
        return next((d for d in self.open if d.step is not None), None)

    def echo(self, kinds: tuple[str, ...]) -> Open | None:
        """The newest open draft of those kinds, if it is an echo: Conversation.open_echo, without a query."""
        newest = next((d for d in self.open if d.kind in kinds), None)
        return newest if newest is not None and newest.step is None else None


class Conversation:
    """Drafts of one owner in one chat, over the runtime's database, clock and draft timeout."""

    def __init__(self, runtime: Runtime, owner_id: int, chat_id: int) -> None:
        self.runtime = runtime
        self.owner_id = owner_id
        self.chat_id = chat_id

    async def start(self, kind: str, payload: dict[str, Any], step: str | None = None, *,
                    replace_kinds: tuple[str, ...] = ()) -> Open:
        """A new echo (step None) or form (step given). A form replaces the owner's open forms (not echoes) of
        its kind here (and of `replace_kinds`): there is one form of a kind at a time."""
        now = self.runtime.now()
        async with self.runtime.sessionmaker.begin() as session:
            if step is not None:
                await drafts.drop_open(session, self.owner_id, self.chat_id, now, (kind, *replace_kinds),
                                       forms_only=True)
            row = await drafts.create(session, owner_id=self.owner_id, chat_id=self.chat_id, kind=kind,
                                      payload=payload, now=now, ttl=self.runtime.draft_ttl, step=step)
            return _open(row)

    async def advance(self, draft: Open, payload: dict[str, Any], step: str | None) -> Open | None:
        """Keep the payload and go to `step` (None: the form is complete and becomes an echo). The timeout starts
        again. None if the draft is no longer open (confirmed, dropped or expired meanwhile)."""
        now = self.runtime.now()
        kept = {key: value for key, value in payload.items() if key != PAUSED}
        async with self.runtime.sessionmaker.begin() as session:
            changed = await drafts.change(session, draft.id, self.owner_id, now, payload=kept, step=step,
                                          clear_step=step is None, ttl=self.runtime.draft_ttl)
        return Open(draft.id, draft.kind, step, kept) if changed else None

    async def correct(self, draft: Open, changes: dict[str, Any]) -> Open | None:
        """Change fields of an open echo (a typed correction or an edit button's answer); it is an echo again."""
        return await self.advance(draft, {**draft.data(), **changes}, None)

    async def get(self, draft_id: int) -> tuple[Open | None, Outcome]:
        """The owner's draft with that id if it is open, else why not (another user's id is MISSING)."""
        now = self.runtime.now()
        async with self.runtime.sessionmaker() as session:
            row = await drafts.get(session, draft_id, self.owner_id)
            status = drafts.status(row, now)
        if row is None or status is not drafts.Status.OPEN:
            return None, _OUTCOME[status]
        if row.chat_id != self.chat_id:  # a button forwarded to or pressed in another chat
            return None, Outcome.MISSING
        return _open(row), Outcome.STORED

    async def confirm(self, draft_id: int, store: Keep[T], *,
                      require_echo: bool = True) -> Confirmed[T]:
        """Finish exactly that draft and run `store` in the same transaction: a second 확인, a press on another
        replica or after expiry stores nothing and says why. An exception in `store` rolls both back. A form
        (a draft with a step) is refused unless `require_echo` is False: its last typed answer completes it."""
        now = self.runtime.now()
        try:
            async with self.runtime.sessionmaker.begin() as session:
                if await drafts.finish(session, draft_id, self.owner_id, now):
                    row = await drafts.get(session, draft_id, self.owner_id)
                    assert row is not None  # just finished
                    if require_echo and row.step is not None:
                        raise _NotReady
                    draft = _open(row)
                    return Confirmed(Outcome.STORED, await store(session, draft), draft)
                status = drafts.status(await drafts.get(session, draft_id, self.owner_id), now)
        except _NotReady:
            return Confirmed(Outcome.NOT_READY)
        return Confirmed(_OUTCOME.get(status, Outcome.DONE))

    async def take(self, draft_id: int, *, require_echo: bool = True) -> Confirmed[None]:
        """Finish a draft whose confirmation stores nothing in the transaction (what it holds is used after)."""
        return await self.confirm(draft_id, _nothing, require_echo=require_echo)

    async def close(self, draft_id: int) -> Outcome:
        """Finish a form whose last answer stores nothing (a lookup's date); why not if it had ended."""
        return (await self.take(draft_id, require_echo=False)).outcome

    async def cancel(self, draft_id: int) -> Outcome:
        now = self.runtime.now()
        async with self.runtime.sessionmaker.begin() as session:
            if await drafts.drop(session, draft_id, self.owner_id, now):
                return Outcome.DROPPED
            status = drafts.status(await drafts.get(session, draft_id, self.owner_id), now)
        return _OUTCOME.get(status, Outcome.DONE)

    async def pause(self, draft: Open) -> None:
        """Set a form aside (an interruption was answered): it swallows no text until resumed."""
        async with self.runtime.sessionmaker.begin() as session:
            await drafts.change(session, draft.id, self.owner_id, self.runtime.now(),
                                payload={**draft.payload, PAUSED: True})

    async def resume(self, draft: Open) -> Open | None:
        return await self.advance(draft, draft.data(), draft.step)

    async def open_form(self) -> Open | None:
        """The newest open form here (paused or not)."""
        async with self.runtime.sessionmaker() as session:
            row = await drafts.open_for(session, self.owner_id, self.chat_id, self.runtime.now(), forms_only=True)
        return _open(row) if row is not None else None

    async def open_echo(self, kinds: tuple[str, ...]) -> Open | None:
        """The newest open draft here of those kinds, if it is an echo (the one a typed correction applies to)."""
        async with self.runtime.sessionmaker() as session:
            row = await drafts.open_for(session, self.owner_id, self.chat_id, self.runtime.now(), kinds)
        return _open(row) if row is not None and row.step is None else None

    async def look(self) -> Drafts:
        """Every open draft here, read once (what the free-text router asks of them), and the subject last
        answered here (topics.seen), from one query."""
        async with self.runtime.sessionmaker() as session:
            rows, note = await drafts.open_and_note(session, self.owner_id, self.chat_id, self.runtime.now(),
                                                    topics.KIND)
            topics.seen(self.owner_id, self.chat_id, note)
            return Drafts(tuple(Open(row.id, row.kind, row.step, dict(row.payload)) for row in rows))

    async def drop_forms(self) -> int:
        """/cancel: every open draft here, forms and echoes alike, is dropped."""
        now = self.runtime.now()
        async with self.runtime.sessionmaker.begin() as session:
            return await drafts.drop_all_open(session, self.owner_id, self.chat_id, now)


async def purge_old(runtime: Runtime) -> int:
    """Delete drafts that ended or expired more than a timeout ago (kept that long so a late press is told why)."""
    async with runtime.sessionmaker.begin() as session:
        return await drafts.purge(session, runtime.now(), runtime.draft_ttl)


async def offer_choices(runtime: Runtime, owner_id: int, chat_id: int, kind: str, payload: dict[str, Any],
                        ttl: timedelta) -> int:
    """Keep the choices a question offered (a "이거 말씀이세요?") as a draft of `kind`; its id goes on the buttons."""
    async with runtime.sessionmaker.begin() as session:
        row = await drafts.create(session, owner_id=owner_id, chat_id=chat_id, kind=kind, payload=payload,
                                  now=runtime.now(), ttl=ttl)
        return row.id


async def take_choice(runtime: Runtime, owner_id: int, draft_id: int, kind: str) -> dict[str, Any] | None:
    """The payload of the owner's open draft of `kind` with that id, finishing it: exactly one press (on any
    replica) gets it; a second, an expired, another kind's or another user's gets None."""
    async with runtime.sessionmaker.begin() as session:
        row = await drafts.get(session, draft_id, owner_id)
        if row is None or row.kind != kind or not await drafts.finish(session, draft_id, owner_id, runtime.now()):
            return None
        return dict(row.payload)
