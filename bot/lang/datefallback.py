"""English (and other languages) through dateparser, imported only when needed.

Two dateparser traps are handled here:
- issue 1213: a zone-aware ``RELATIVE_BASE`` breaks time-only input, so the base is ``now`` as naive local
  wall time and the zone is attached to the result afterwards;
- confident misreads: `demain 15h` comes back as 01:00, `morgen 15 Uhr` loses its time, a lone `a` or `1`
  becomes a date. A result is accepted only when every number the user wrote shows up in it (as a
  year, month, day, hour or minute, or as the size of the step from ``now``); a bare number is never a date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, tzinfo
from typing import Any, Literal

Precision = Literal["minute", "day", "month"]

LANGUAGES = ["en", "fr", "de", "es", "it", "pt", "ru", "ja", "zh"]
# Scripts korean-datetime does not read; without one of these there is nothing for dateparser to add.
FOREIGN_RE = re.compile(r"[A-Za-zÀ-ɏЀ-ӿ\u3040-\u30ff\u4e00-\u9fff]")
_TIME_HINT_RE = re.compile(
    r"\d\s*(?:am|pm|a\.m|p\.m|h\b|uhr|:|点|時|heure)|noon|midnight|hour|minute|\bmin|\bhrs?\b|\bnow\b"
    r"|o'clock|morning|afternoon|evening|tonight|night|mittag|midi|minuit|mediod",
    re.IGNORECASE,
)
_NUMBER_RE = re.compile(r"\d+")
_BARE_NUMBER_RE = re.compile(r"^\W*\d{1,4}\W*$")


@dataclass(frozen=True, slots=True)
class Found:
    text: str
    span: tuple[int, int]
    start: datetime
    end: datetime | None
    precision: Precision


def fallback(text: str, now: datetime, *, past: bool) -> Found | None:
    """Read ``text`` with dateparser; None unless the reading is complete and consistent."""
    if not FOREIGN_RE.search(text):
        return None
    try:
        return _fallback(text, now, past)
    except Exception:  # dateparser raises on odd input (overflow, bad locale data); that is a miss
        return None


def _fallback(text: str, now: datetime, past: bool) -> Found | None:
    base = now.replace(tzinfo=None)
    settings = _settings(base, past, _zone_name(now.tzinfo))
    whole = text.strip()
    found = _read(whole, text.find(whole), base, settings)
    if found is None:
        from dateparser.search import search_dates

        hits = search_dates(text, languages=LANGUAGES, settings=settings) or []
        for snippet, _value in hits[:1]:
            found = _read(snippet, text.find(snippet), base, settings)
    if found is None:
        return None
    zone = now.tzinfo
    end = found.end.replace(tzinfo=zone) if found.end else None
    return replace(found, start=found.start.replace(tzinfo=zone), end=end)


def _read(snippet: str, offset: int, base: datetime, settings: dict[str, Any]) -> Found | None:
    from dateparser.date import DateDataParser

    if _weight(snippet) < 3 or _BARE_NUMBER_RE.match(snippet):
        return None  # "a", "1", "ok": too little to be a date, whatever dateparser says
    data = DateDataParser(languages=LANGUAGES, settings=settings).get_date_data(snippet)
    if data.date_obj is None:
        return None
    value = data.date_obj.replace(tzinfo=None)
    shaped = _shape(snippet, value, str(data.period), base)
    if shaped is None or not _numbers_explained(snippet, value, base):
        return None
    start, end, precision = shaped
    return Found(snippet, (offset, offset + len(snippet)), start, end, precision)


def _weight(snippet: str) -> int:
    """Letters and digits, a CJK character counting double (明日 is as much a word as "sat")."""
    return sum(2 if ord(char) >= 0x2E80 else 1 for char in snippet if char.isalnum())


def _shape(
    snippet: str, value: datetime, period: str, base: datetime
) -> tuple[datetime, datetime | None, Precision] | None:
    midnight = value.replace(hour=0, minute=0, second=0, microsecond=0)
    if period == "month":
        return midnight.replace(day=1), None, "month"
    if period == "week":
        monday = midnight - timedelta(days=midnight.weekday())
        return monday, monday + timedelta(days=6), "day"
    if period != "day":
        return None  # a bare year is too vague to act on
    timed = _TIME_HINT_RE.search(snippet) or value.time() not in (base.time(), midnight.time())
    if timed:
        return value.replace(second=0, microsecond=0), None, "minute"
    return midnight, None, "day"


def _numbers_explained(snippet: str, value: datetime, base: datetime) -> bool:
    step = value - base
    explained = {
        value.year, value.year % 100, value.month, value.day, value.hour, value.hour % 12 or 12,
        value.minute, abs(step.days), abs(step.days) // 7, abs(int(step.total_seconds()) // 3600),
        abs(int(step.total_seconds()) // 60), abs((value.year - base.year) * 12 + value.month - base.month),
        abs(value.year - base.year),
    }
    return all(int(number) in explained for number in _NUMBER_RE.findall(snippet))


def _zone_name(tz: tzinfo | None) -> str | None:
    key = getattr(tz, "key", None)
    return key if isinstance(key, str) else None


def _settings(base: datetime, past: bool, zone: str | None) -> dict[str, Any]:
    settings: dict[str, Any] = {
        "RELATIVE_BASE": base,
        "PREFER_DATES_FROM": "past" if past else "future",
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    if zone:  # input that names a zone ("3pm UTC") is converted to ours; the rest is read as local time
        settings |= {"TIMEZONE": zone, "TO_TIMEZONE": zone}
    return settings
