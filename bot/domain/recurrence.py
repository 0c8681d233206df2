"""Occurrences of RFC 5545 recurrence rules (python-dateutil's rrule), moved off holidays and weekends."""

from __future__ import annotations

from datetime import datetime, tzinfo

from dateutil.rrule import rrulestr

from bot.domain.workdays import shift_to_working_day


def next_occurrence(rule: str, dtstart: datetime, after: datetime, tz: tzinfo, holiday_shift: str) -> datetime | None:
    """The first occurrence strictly after `after`, in tz, shifted per the holiday policy.

    The rule runs in local wall-clock time (dtstart is converted to tz and made naive), so "매주 금요일 17시"
    stays at 17:00 KST. A shifted occurrence that lands at or before `after` is skipped to the next one.
    """
    local_start = dtstart.astimezone(tz).replace(tzinfo=None)
    local_after = after.astimezone(tz).replace(tzinfo=None)
    schedule = rrulestr(rule, dtstart=local_start)
    cursor = local_after
    for _ in range(400):  # a rule whose every occurrence shifts back before `after` would loop forever
        raw = schedule.after(cursor, inc=False)
        if raw is None:
            return None
        shifted = shift_to_working_day(raw.replace(tzinfo=tz), holiday_shift)
        if shifted > after:
            return shifted
        cursor = raw
    return None
