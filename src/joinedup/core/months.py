"""How a span of whole months is named, one way for every page: a single month is named as that month
("April 2023", Welsh "Ebrill 2023"), never "Apr 2023 to Apr 2023"; months within a year read "Apr to Jun
2023", across years "Dec 2022 to Feb 2023". Periods kept as "YYYY-MM" (the insight assessment's `from` and
`to`) keep that form when they span several months ("2023-01 to 2023-12"), and a single one is named."""

from __future__ import annotations

import datetime

from django.utils import dateformat, translation
from django.utils.translation import gettext


def _month_count(start: datetime.date, end: datetime.date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month + 1


def span_label(start: datetime.date, end: datetime.date) -> str:
    """The months from `start`'s to `end`'s, in the active language."""
    if _month_count(start, end) <= 1:
        return dateformat.format(start, "F Y")
    first = "M" if start.year == end.year else "M Y"
    return gettext("%(start)s to %(end)s") % {
        "start": dateformat.format(start, first),
        "end": dateformat.format(end, "M Y"),
    }


def english_span_label(start: datetime.date, end: datetime.date) -> str:
    """`span_label` in English whatever the reader's language: the words stored in computed reasons."""
    with translation.override(None):
        return span_label(start, end)


def _first_day(month: str) -> datetime.date:
    year, number = month.split("-")
    return datetime.date(int(year), int(number), 1)


def months_label(first: str, last: str, *, english: bool = False) -> str:
    """A period given as "YYYY-MM" months, in the active language: one month named ("April 2023"), several
    as "2023-01 to 2023-12". Anything not shaped as a month is shown as given. `english`: in English
    whatever the reader's language (words that are stored, or staff pages)."""
    if english:
        with translation.override(None):
            return months_label(first, last)
    try:
        if first == last:
            return span_label(_first_day(first), _first_day(first))
    except (ValueError, AttributeError):
        pass
    return gettext("%(start)s to %(end)s") % {"start": first, "end": last}
