"""`{{ row.crime_type|crime_type_name }}`: a data.police.uk crime type in the reader's language."""

from __future__ import annotations

from django import template

from joinedup.core.crime_types import crime_type_name as _crime_type_name

register = template.Library()


@register.filter
def crime_type_name(name: object) -> str:
    return _crime_type_name(str(name or ""))
