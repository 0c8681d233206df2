"""Logging set-up: secrets are redacted from every record, httpx stays quiet about URLs (with the token).

`redact` is the one place that masks secrets, for log records, uncaught tracebacks, CLI error lines and the
admins' error alerts alike: the known secrets (bot token, webhook secret, database password) and, in any
URL, the password part of its user:password@ credentials."""

from __future__ import annotations

import json
import logging
import re
import sys
import traceback
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from types import TracebackType

from bot.tracing import CURRENT, UpdateTrace

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
MASK = "[REDACTED]"
# scheme://user:password@host — the password is whatever lies between the user's colon and the last @.
_URL_CREDENTIALS = re.compile(r"(\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\s:/?#@]*:)[^\s/?#]*(@)")


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """`text` with every secret and every URL password replaced by [REDACTED]."""
    for secret in sorted((s for s in secrets if s), key=len, reverse=True):
        text = text.replace(secret, MASK)
    return _URL_CREDENTIALS.sub(rf"\1{MASK}\2", text)


class RedactingFormatter(logging.Formatter):
    """Formats as usual, then masks every secret, tracebacks included."""

    def __init__(self, secrets: Iterable[str], fmt: str = FORMAT) -> None:
        super().__init__(fmt)
        self.secrets = tuple(s for s in secrets if s)

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record), self.secrets)


class JsonFormatter(RedactingFormatter):
    """One JSON object a line: time (UTC), level, logger, message, an exception's traceback, and during an update
    its id, kind, handler, latency (on the update's own line) and the sender as a keyed hash. Every string is
    redacted before it is encoded, and the sender's raw id is replaced by that hash wherever it shows."""

    def format(self, record: logging.LogRecord) -> str:
        trace = CURRENT.get()
        message = self._free_text(record.getMessage(), trace)
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname, "logger": record.name, "message": message,
        }
        if record.exc_info:
            entry["exception"] = self._free_text(self.formatException(record.exc_info), trace)
        if trace is not None:
            entry.update(update_id=trace.update_id, update_kind=trace.kind, handler=trace.handler,
                         user=trace.user)
        latency = getattr(record, "latency_ms", None)
        if latency is not None:
            entry["latency_ms"] = latency
        return json.dumps(entry, ensure_ascii=False, default=str)

    def _free_text(self, text: str, trace: UpdateTrace | None) -> str:
        """A message or a traceback (the other fields are ours): secrets masked, the raw user id hashed."""
        text = redact(text, self.secrets)
        raw_user = trace.user_id_pattern() if trace is not None else None
        return raw_user.sub(f"user:{trace.user}", text) if trace is not None and raw_user is not None else text


class _HandledByCaller(logging.Filter):
    """Drops a library's ERROR-with-traceback for an exception it re-raises to our code, which handles it.

    AIORateLimiter(max_retries=0) logs every 429 as "Rate limit hit after maximum of 0 retries" with a
    traceback and then raises RetryAfter to the caller; the caller (the reminder engine, the error handler)
    waits or gives up and logs the one line that matters, at WARNING."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Rate limit hit after maximum")


class _CancelledAtShutdown(logging.Filter):
    """Drops APScheduler's "Job … raised an exception" when the exception is a cancellation.

    The scheduler cancels the jobs still pending when the job queue shuts down (a clean stop). PTB shields
    the job's callback from that cancellation, so the work itself finishes; only the scheduler's wrapper
    sees CancelledError and would log it as an ERROR traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        return not isinstance(error, BaseException) or type(error).__name__ != "CancelledError"


_LIBRARY_FILTERS: dict[str, logging.Filter] = {
    "telegram.ext.AIORateLimiter": _HandledByCaller(),
    "apscheduler.executors.default": _CancelledAtShutdown(),
}


def install_library_filters() -> None:
    """Quiet the library records that report, as errors, what our code handles (idempotent)."""
    for name, flt in _LIBRARY_FILTERS.items():
        logger = logging.getLogger(name)
        if flt not in logger.filters:
            logger.addFilter(flt)


ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], None]


def _redacting_excepthook(secrets: tuple[str, ...]) -> ExceptHook:
    def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        sys.stderr.write(redact("".join(traceback.format_exception(kind, value, tb)), secrets))

    return hook


def setup_logging(secrets: Iterable[str] = (), level: int = logging.INFO, json_lines: bool = False) -> None:
    secrets = tuple(s for s in secrets if s)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter(secrets) if json_lines else RedactingFormatter(secrets))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    # httpx logs every request URL at INFO, and Bot API URLs contain the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    install_library_filters()
    # A traceback that escapes every handler still never prints a secret.
    sys.excepthook = _redacting_excepthook(secrets)
