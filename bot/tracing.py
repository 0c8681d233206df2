"""What is known about the update being processed, for the metrics and the logs.

TracedApplication.process_update (every update, polling or webhook, goes through it) sets an UpdateTrace in a
context variable for the duration of the update, times it and counts it. Handlers fill in what they learn: the
first group-0 handler's name (set by the wrapper `name_handlers` puts around each callback) and, for a text,
the intent the router understood. Records logged meanwhile carry the update id, the handler and a hashed user
id (bot/logs.py). The whole cost is a few microseconds an update.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import logging
import re
from collections.abc import Callable, Coroutine
from contextvars import ContextVar
from time import perf_counter
from typing import Any

from telegram import MessageEntity, Update
from telegram.ext import Application, BaseHandler

from bot.metrics import Metrics

log = logging.getLogger("bot.updates")

CURRENT: ContextVar[UpdateTrace | None] = ContextVar("update_trace", default=None)


def update_kind(update: object) -> str:
    """text, command, callback, document or other."""
    if not isinstance(update, Update):
        return "other"
    if update.callback_query is not None:
        return "callback"
    message = update.message
    if message is None:
        return "other"
    if message.text is not None:
        entities = message.entities
        if entities and entities[0].offset == 0 and entities[0].type == MessageEntity.BOT_COMMAND:
            return "command"
        return "text"
    return "document" if message.document is not None else "other"


def _user_id(update: object) -> int | None:
    user = update.effective_user if isinstance(update, Update) else None
    return user.id if user is not None else None


class UpdateTrace:
    """One update in flight: its id, kind, who sent it (only as a keyed hash), the handler and the intent."""

    __slots__ = ("_hashed", "_key", "_user_id", "handler", "intent", "kind", "update_id")

    def __init__(self, update: object, key: bytes) -> None:
        self.update_id = update.update_id if isinstance(update, Update) else None
        self.kind = update_kind(update)
        self.handler: str | None = None
        self.intent: str | None = None
        self._user_id = _user_id(update)
        self._key = key
        self._hashed: str | None = None

    @property
    def user(self) -> str | None:
        """HMAC-SHA256 of the user id under the bot's token, cut to 12 hex digits: the same user gives the same
        value in every replica's logs, and the raw id cannot be recovered without the token."""
        if self._user_id is None:
            return None
        if self._hashed is None:
            self._hashed = hmac.new(self._key, str(self._user_id).encode(), hashlib.sha256).hexdigest()[:12]
        return self._hashed

    def user_id_pattern(self) -> re.Pattern[str] | None:
        """The raw user id as a whole number in a text (to replace it with the hash in a log line)."""
        return re.compile(rf"(?<!\d){self._user_id}(?!\d)") if self._user_id is not None else None


def note_intent(intent: str) -> None:
    """The router's understanding of a text (the first one, when a message asks several things)."""
    trace = CURRENT.get()
    if trace is not None and trace.intent is None:
        trace.intent = intent


class TracedApplication(Application[Any, Any, Any, Any, Any, Any]):
    """Application whose process_update is timed and counted into `metrics`, with an UpdateTrace set."""

    __slots__ = ("hash_key", "log_updates", "metrics")

    def __init__(self, *, metrics: Metrics, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.metrics = metrics
        self.hash_key = b""
        self.log_updates = False

    async def process_update(self, update: object) -> None:
        trace = UpdateTrace(update, self.hash_key)
        token = CURRENT.set(trace)
        started = perf_counter()
        try:
            await super().process_update(update)
        finally:
            elapsed = perf_counter() - started
            self.metrics.observe_update(trace.kind, trace.intent or "", elapsed)
            if self.log_updates:
                latency = round(elapsed * 1000, 2)
                log.info("update %s (%s) handled by %s in %s ms", trace.update_id, trace.kind, trace.handler, latency,
                         extra={"latency_ms": latency})
            CURRENT.reset(token)


Callback = Callable[[Any, Any], Coroutine[Any, Any, Any]]


def _named(callback: Callback, name: str) -> Callback:
    @functools.wraps(callback)
    async def run(update: Any, context: Any) -> Any:
        trace = CURRENT.get()
        if trace is not None and trace.handler is None:
            trace.handler = name
        return await callback(update, context)

    return run


def handler_name(callback: Callback) -> str:
    inner = getattr(callback, "func", callback)  # functools.partial
    module = str(getattr(inner, "__module__", "") or "").rsplit(".", 1)[-1]
    qualname = str(getattr(inner, "__qualname__", type(inner).__name__))
    return f"{module}.{qualname}" if module else qualname


def name_handlers(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Let the first group-0 (and later) handler that takes an update name itself in the trace."""
    for group, handlers in app.handlers.items():
        if group < 0:
            continue
        for handler in handlers:
            _rename(handler)


def _rename(handler: BaseHandler[Any, Any, Any]) -> None:
    handler.callback = _named(handler.callback, handler_name(handler.callback))
