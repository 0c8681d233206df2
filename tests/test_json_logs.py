"""[logging] format = "json": one JSON object a line, with the update's fields, never a secret or a raw user id."""

from __future__ import annotations

import json
import logging
import sys

from telegram import Update

from bot.logs import JsonFormatter, RedactingFormatter
from bot.tracing import CURRENT, UpdateTrace
from bot.updates import text_update, user_json

TOKEN = "123456:TOKEN-abcdef"
DB_PASSWORD = "pg-Passw0rd"
USER = 7_654_321_987


def _record(message: str, *args: object) -> logging.LogRecord:
    record = logging.LogRecord("bot.test", logging.ERROR, __file__, 1, message, args, None)
    try:
        raise ValueError(f"boom for user {USER} with {TOKEN}")
    except ValueError:
        record.exc_info = sys.exc_info()
    return record


def test_a_record_during_an_update_is_json_without_token_password_or_raw_user_id() -> None:
    update = Update.de_json(text_update(user_json(USER, "직원"), "잔액"), None)
    trace = UpdateTrace(update, TOKEN.encode())
    trace.handler = "router.Router.handle"
    context = CURRENT.set(trace)
    try:
        line = JsonFormatter((TOKEN, DB_PASSWORD)).format(_record(
            "user %s: failed with %s at postgresql://bot:%s@127.0.0.1/db", USER, TOKEN, DB_PASSWORD))
    finally:
        CURRENT.reset(context)
    assert "\n" not in line
    entry = json.loads(line)
    assert {"time", "level", "logger", "message", "exception"} <= set(entry)
    assert entry["level"] == "ERROR" and entry["logger"] == "bot.test"
    assert entry["update_id"] == update.update_id and entry["update_kind"] == "text"
    assert entry["handler"] == "router.Router.handle"
    assert len(entry["user"]) == 12 and entry["message"].startswith(f"user user:{entry['user']}: failed")
    assert str(USER) not in line and TOKEN not in line and DB_PASSWORD not in line
    assert "[REDACTED]" in entry["message"] and "ValueError" in entry["exception"]


def test_the_user_hash_is_stable_and_keyed_by_the_token() -> None:
    update = Update.de_json(text_update(user_json(USER, "직원"), "잔액"), None)
    assert UpdateTrace(update, TOKEN.encode()).user == UpdateTrace(update, TOKEN.encode()).user
    assert UpdateTrace(update, TOKEN.encode()).user != UpdateTrace(update, b"another:token").user


def test_a_record_outside_an_update_has_no_update_fields() -> None:
    entry = json.loads(JsonFormatter(()).format(logging.LogRecord("bot", logging.INFO, __file__, 1, "hi", (), None)))
    assert entry["message"] == "hi" and "update_id" not in entry and "user" not in entry


def test_text_format_stays_the_default_line() -> None:
    line = RedactingFormatter((TOKEN,)).format(logging.LogRecord("bot", logging.INFO, __file__, 1, TOKEN, (), None))
    assert line.endswith("INFO bot: [REDACTED]")
