"""Filters the apps' list declarations share beyond django-filter's own."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms


class _TickedOrNothing(forms.BooleanField):
    """A ticked box is True; an unticked one is no value at all, so it is no filter (not a filter for
    False) and the list does not count as filtered."""

    def to_python(self, value: Any) -> Any:  # None when unticked
        return super().to_python(value) or None


class CheckboxFilter(django_filters.Filter):
    """A single checkbox ("Running today", "Review overdue"): `?name=on` filters, leaving it out does not.
    Give it a `method` that applies the filter when the value is True."""

    field_class = _TickedOrNothing
