"""Working days in England and Wales: weekdays that are not bank holidays, for statutory timelines.

The bank holidays come from the `holidays` package (England's, which Wales shares), substitute days
included. The regular ones follow rules for any year; a one-off (a coronation, a state funeral) is known
only once a release of the package has it, so `covers()` trusts the dates up to `HORIZON_YEARS` ahead.
"""

from __future__ import annotations

from datetime import date, timedelta

import holidays
from django.utils import timezone

BANK_HOLIDAYS_ENGLAND_AND_WALES = holidays.country_holidays("GB", subdiv="ENG")
# One-off bank holidays are announced about a year ahead; further than this, a timeline carries a warning.
HORIZON_YEARS = 2


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in BANK_HOLIDAYS_ENGLAND_AND_WALES


def add_working_days(start: date, days: int) -> date:
    """The date `days` working days after `start` (the day of receipt itself does not count)."""
    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (0 when `end` is not after `start`)."""
    count, current = 0, start
    while current < end:
        current += timedelta(days=1)
        if is_working_day(current):
            count += 1
    return count


def covers(start: date, end: date, *, today: date | None = None) -> bool:
    """Whether the bank holidays between `start` and `end` can be trusted: none of it is further ahead than
    the years for which one-off bank holidays would already have been announced."""
    today = today or timezone.localdate()
    return end.year <= today.year + HORIZON_YEARS
