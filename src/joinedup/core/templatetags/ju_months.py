"""`{% months_label from to %}` ("YYYY-MM" months) and `{% span_label start end %}` (dates): a period in the
reader's language, a single month named as that month (core/months.py)."""

from __future__ import annotations

import datetime

from django import template

from joinedup.core import months

register = template.Library()


@register.simple_tag
def months_label(first: str, last: str) -> str:
    return months.months_label(str(first), str(last))


@register.simple_tag
def span_label(start: datetime.date, end: datetime.date) -> str:
    return months.span_label(start, end)
