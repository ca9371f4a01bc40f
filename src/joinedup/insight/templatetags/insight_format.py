"""Filters that show an assessment's figures as a person reads them: never a Python `None`."""

from __future__ import annotations

from typing import Any

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma

register = template.Library()


@register.filter
def shown(value: Any, missing: str = "not available") -> Any:
    """A figure with thousands separators (0 and 0.0 included); `missing` where there is none."""
    if value is None or value == "":
        return missing
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return intcomma(value)
    return value


@register.filter
def signed(value: Any, missing: str = "not comparable") -> str:
    """A change with its sign: +1,765 or -3,569."""
    if value is None:
        return missing
    return ("+" if value > 0 else "") + str(intcomma(value))


@register.filter
def pvalue(value: Any, missing: str = "not tested") -> str:
    """A p-value to four places, or '< 0.0001' (never 0.0000)."""
    if value is None:
        return missing
    return "< 0.0001" if value < 0.0001 else f"{value:.4f}"
