"""`{{ count|shown_count }}`: a count as published (ADR 0013), its "fewer than 3", "not shown" or "withheld"
in the reader's language; the data files keep the English words."""

from __future__ import annotations

from django import template

from joinedup.core.disclosure import shown_word

register = template.Library()


@register.filter
def shown_count(value: object) -> str:
    return shown_word(value)
