"""``secretariat-bot parse-date [--now ISO] [--past] [--stdin] TEXT…``: one JSON line per expression.

Prints ``{"ok": true, "start": …, "end": …, "precision": …, "tentative": …, "rest": …}`` or
``{"ok": false, "error": "<Korean reason>"}``. Exit code 0 even when some fail; 2 for bad usage.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from datetime import datetime
from typing import NoReturn

from .datecheck import FIRST_YEAR, LAST_YEAR
from .dates import SEOUL, parse_when


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _UsageError(message)


def _arguments() -> _Parser:
    parser = _Parser(prog="secretariat-bot parse-date", description="Read Korean dates and times.")
    parser.add_argument("--now", help="reference time, ISO 8601 (default: now in Asia/Seoul)")
    parser.add_argument("--past", action="store_true", help="read undated forms as past (logs)")
    parser.add_argument("--stdin", action="store_true", help="read one expression per line from stdin")
    parser.add_argument("text", nargs="*", help="expressions to parse")
    return parser


NOW_YEARS = (FIRST_YEAR, LAST_YEAR)  # a reference time falls in the years dates may be read in
NOW_EXAMPLE = "2018-07-20T10:00:00+09:00"


def parse_now(value: str) -> datetime:
    """An ISO 8601 --now value, in Asia/Seoul when it names no zone; ValueError (one Korean line) otherwise."""
    try:
        now = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"--now: ISO 8601 시각이 아닙니다: {value!r} (예: {NOW_EXAMPLE})") from None
    first, last = NOW_YEARS
    if not first <= now.year <= last:  # checked before converting: year 1 or 9999 overflow in another zone
        raise ValueError(f"--now: {first}~{last}년 사이의 시각을 주세요: {value!r} (예: {NOW_EXAMPLE})")
    return now.astimezone(SEOUL) if now.tzinfo else now.replace(tzinfo=SEOUL)


def _reference(value: str | None) -> datetime:
    if value is None:
        return datetime.now(SEOUL)
    try:
        return parse_now(value)
    except ValueError as error:
        raise _UsageError(str(error)) from None


def main(argv: list[str]) -> int:
    try:
        options = _arguments().parse_args(argv)
        now = _reference(options.now)
    except _UsageError as error:
        print(f"parse-date: {error}", file=sys.stderr)
        return 2
    except SystemExit as done:  # --help
        return int(done.code or 0)
    lines: Iterable[str] = (line.rstrip("\r\n") for line in sys.stdin) if options.stdin else options.text
    for text in lines:
        result = parse_when(text, now, past=options.past)
        print(json.dumps(result.as_dict(), ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
