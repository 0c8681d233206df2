"""The one source of "now": timezone-aware, injectable, startable at any instant."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

SEOUL = ZoneInfo("Asia/Seoul")


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
