"""Reporting periods: months, financial quarters (April, July, October, January) and financial years."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _

from joinedup.core.months import english_span_label, span_label

from .models import MONTHS_IN, Frequency


def _add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def month_end(day: datetime.date) -> datetime.date:
    return _add_months(day.replace(day=1), 1) - datetime.timedelta(days=1)


def months_between(start: datetime.date, end: datetime.date) -> int:
    """Whole months from the month of `start` to the month of `end`, both included."""
    return (end.year - start.year) * 12 + end.month - start.month + 1


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date

    @property
    def months(self) -> int:
        return months_between(self.start, self.end)

    @property
    def from_month(self) -> str:
        return f"{self.start:%Y-%m}"

    @property
    def to_month(self) -> str:
        return f"{self.end:%Y-%m}"

    @property
    def label(self) -> str:
        """In English ("April 2023", "Apr to Jun 2023"): it is written into stored reasons."""
        return english_span_label(self.start, self.end)


def starts_a_period(day: datetime.date, frequency: str) -> bool:
    if day.day != 1:
        return False
    if frequency == Frequency.QUARTERLY:
        return (day.month - 4) % 3 == 0
    if frequency == Frequency.ANNUAL:
        return day.month == 4
    return True


def period_containing(day: datetime.date, frequency: str) -> Period:
    first = day.replace(day=1)
    if frequency == Frequency.QUARTERLY:
        first = _add_months(first, -((day.month - 4) % 3))
    elif frequency == Frequency.ANNUAL:
        first = _add_months(first, -((day.month - 4) % 12))
    months = MONTHS_IN[Frequency(frequency)]
    return Period(first, month_end(_add_months(first, months - 1)))


def next_period(period: Period, frequency: str) -> Period:
    return period_containing(period.end + datetime.timedelta(days=1), frequency)


def periods_between(first_day: datetime.date, last_day: datetime.date, frequency: str) -> list[Period]:
    """Every whole period from the one containing `first_day` to the last that ends by `last_day`."""
    found: list[Period] = []
    period = period_containing(first_day, frequency)
    while period.end <= last_day:
        found.append(period)
        period = next_period(period, frequency)
    return found


def shown_label(period: Period) -> str:
    """A period as a page shows it, in the reader's language: "April 2023", "Apr to Jun 2023" (Welsh
    "Ebrill 2023", "Ebr i Meh 2023"). `Period.label` stays English: it is written into stored reasons."""
    return span_label(period.start, period.end)


def quarter_label(start: datetime.date) -> str:
    """ "Quarter 1 of 2026/27 (Apr to Jun 2026)", in the reader's language (staff pages are in English)."""
    year = start.year if start.month >= 4 else start.year - 1
    number = ((start.month - 4) % 12) // 3 + 1
    return _("Quarter %(number)s of %(years)s (%(months)s)") % {
        "number": number,
        "years": f"{year}/{str(year + 1)[-2:]}",
        "months": shown_label(period_containing(start, Frequency.QUARTERLY)),
    }
