"""The one source of "now": timezone-aware, injectable, startable at any instant."""

from __future__ import annotations

import time
from collections.abc import Mapping
from datetime import datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

SEOUL = ZoneInfo("Asia/Seoul")
# Tests and rehearsals only: `run` shifts its clock by this many seconds (e.g. to see tomorrow's briefing go
# out now). Every replica given the same offset keeps the same time.
OFFSET_ENV = "SECRETARIAT_BOT_CLOCK_OFFSET_SECONDS"


class Clock:
    """Wall-clock time in one zone, optionally started at a chosen instant.

    Started at an instant, it runs forward in real time from there (the console's demo clock starts in
    the report's month). Tests may also `set` or `advance` it.
    """

    def __init__(self, tz: tzinfo = SEOUL, start: datetime | None = None) -> None:
        self.tz = tz
        self._offset = timedelta(0)
        if start is not None:
            self.set(start)

    def now(self) -> datetime:
        return (datetime.now(self.tz) + self._offset).astimezone(self.tz)

    def today(self) -> datetime:
        return self.now().replace(hour=0, minute=0, second=0, microsecond=0)

    def set(self, instant: datetime) -> None:
        if instant.tzinfo is None:
            instant = instant.replace(tzinfo=self.tz)
        self._offset = instant - datetime.now(self.tz)

    def advance(self, delta: timedelta) -> None:
        self._offset += delta

    @property
    def shifted(self) -> bool:
        return abs(self._offset) > timedelta(seconds=1)

    def monotonic(self) -> float:
        return time.monotonic()


def clock_from_env(tz: tzinfo, env: Mapping[str, str]) -> Clock:
    """The wall clock, shifted by $SECRETARIAT_BOT_CLOCK_OFFSET_SECONDS when set (tests, rehearsals)."""
    clock = Clock(tz)
    raw = env.get(OFFSET_ENV, "").strip()
    if raw:
        try:
            clock.advance(timedelta(seconds=float(raw)))
        except ValueError:
            raise ValueError(f"{OFFSET_ENV}: 초 단위 숫자여야 합니다 (예: -3600)") from None
    return clock
