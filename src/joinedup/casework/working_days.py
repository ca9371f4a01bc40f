"""Working days in England and Wales: weekdays that are not bank holidays, for statutory timelines.

The bank holidays are kept here by hand (the `holidays` package is not a dependency): the published
England and Wales dates for 2024 to 2027, substitute days included. Add the next year's dates when they
are announced; `covers()` says whether a date range is inside the maintained years.
"""

from __future__ import annotations

from datetime import date, timedelta

BANK_HOLIDAYS_ENGLAND_AND_WALES: frozenset[date] = frozenset(
    date.fromisoformat(day)
    for day in (
        # 2024
        "2024-01-01", "2024-03-29", "2024-04-01", "2024-05-06", "2024-05-27", "2024-08-26",
        "2024-12-25", "2024-12-26",
        # 2025
        "2025-01-01", "2025-04-18", "2025-04-21", "2025-05-05", "2025-05-26", "2025-08-25",
        "2025-12-25", "2025-12-26",
        # 2026 (Boxing Day is a Saturday: substitute Monday 28 December)
        "2026-01-01", "2026-04-03", "2026-04-06", "2026-05-04", "2026-05-25", "2026-08-31",
        "2026-12-25", "2026-12-28",
        # 2027 (Christmas Day and Boxing Day fall at the weekend: substitutes 27 and 28 December)
        "2027-01-01", "2027-03-26", "2027-03-29", "2027-05-03", "2027-05-31", "2027-08-30",
        "2027-12-27", "2027-12-28",
    )
)  # fmt: skip
FIRST_YEAR, LAST_YEAR = 2024, 2027


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


def covers(start: date, end: date) -> bool:
    """Whether the bank holidays between `start` and `end` are all known to this module."""
    return start.year >= FIRST_YEAR and end.year <= LAST_YEAR
