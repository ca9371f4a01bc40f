"""Columns and filters about areas, shared by the apps' list declarations: an area's name (sortable) and
its ONS code (a `code` column, in the exports), a record's area codes, and a filter by CSP that offers only the CSPs the person
reads (every role is scoped to its force: docs/adr/0028; every CSP on a public page)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import django_filters
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.functional import Promise

from joinedup.core.lists.declaration import Column
from joinedup.core.models import Area, AreaLevel
from joinedup.core.permissions import force_area_ids


def area_column(
    key: str, label: str | Promise, path: str = "", *, sortable: bool = True, table: bool = True
) -> Column:
    """An area's name, through the relation `path` (the key when left out), sorted by it unless told."""
    path = path or key
    return Column(
        key, label, f"{path}.name", sort=f"{path.replace('.', '__')}__name" if sortable else None, table=table
    )


def area_columns(key: str, label: str, path: str = "") -> tuple[Column, Column]:
    """An area's name (sortable, on the page and in the exports) and its ONS code (`<key>_code`, "<label>
    code": a code column, so it stays text in a spreadsheet; exports only)."""
    path = path or key
    return (
        area_column(key, label, path),
        Column(f"{key}_code", f"{label} code", f"{path}.code", kind="code", table=False),
    )


def area_codes_column(
    key: str = "areas", label: str | Promise = "Area codes", *, table: bool = False
) -> Column:
    """The ONS codes of a record's areas (its `areas` relation, prefetched), space-separated: a code column,
    so each stays text in a spreadsheet; exports only unless told."""
    return Column(key, label, lambda row: " ".join(a.code for a in row.areas.all()), kind="code", table=table)


def force_csps(user: Any) -> QuerySet[Area]:
    """The CSPs of the person's force areas, by name."""
    return Area.objects.filter(level=AreaLevel.CSP, pfa__in=force_area_ids(user)).order_by("name")


def csp_filter(
    csps: Callable[[Any], QuerySet[Area]] = force_csps,
    *,
    label: str | Promise = "CSP",
    empty_label: str | Promise = "Any CSP",
) -> django_filters.ModelChoiceFilter:
    """A filter by CSP, chosen by its ONS code, offering the CSPs `csps(user)` gives the signed-in person
    (an app passes its own restricted selector; the CSPs of their force when left out) and every CSP to
    anyone else (a public page)."""

    def choices(request: HttpRequest | None) -> QuerySet[Area]:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return Area.objects.filter(level=AreaLevel.CSP).order_by("name")
        return csps(user)

    return django_filters.ModelChoiceFilter(
        queryset=choices, to_field_name="code", label=label, empty_label=empty_label
    )
