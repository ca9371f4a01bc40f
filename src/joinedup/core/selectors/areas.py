"""Reading the reference geography (areas and their populations), restricted to the user."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from joinedup.core.models import Area, AreaLevel

# ?sort= values the area list accepts, and the ordering each means (ties broken by code).
SORTS: dict[str, tuple[str, ...]] = {
    "name": ("name", "code"),
    "-name": ("-name", "-code"),
    "code": ("code",),
    "-code": ("-code",),
    "population": ("population", "code"),
    "-population": ("-population", "code"),
}
DEFAULT_SORT = "name"


def list_areas(
    *,
    user: Any,
    level: str | None = None,
    parent_code: str | None = None,
    q: str | None = None,
    sort: str | None = None,
) -> QuerySet[Area]:
    """Areas the user may see. `level` is an AreaLevel value; `parent_code` gives the areas directly
    under that area; `q` matches the start of a code or any part of the English or Welsh name.
    An unknown level gives no rows."""
    areas = filter_areas(
        Area.objects.restrict(user, "areas.view").select_related("parent"),
        level=level,
        parent_code=parent_code,
        q=q,
    )
    order = SORTS.get(sort or DEFAULT_SORT)
    if order is not None:
        areas = areas.order_by(*order)
    return areas


def filter_areas(
    areas: QuerySet[Area], *, level: str | None = None, parent_code: str | None = None, q: str | None = None
) -> QuerySet[Area]:
    """The areas among `areas` that match every filter given (see `list_areas`)."""
    if level:
        if level not in AreaLevel.values:
            return areas.none()
        areas = areas.filter(level=level)
    if parent_code:
        areas = areas.filter(parent__code=parent_code.strip().upper())
    if q and q.strip():
        term = q.strip()
        areas = areas.filter(
            Q(code__istartswith=term) | Q(name__icontains=term) | Q(name_welsh__icontains=term)
        )
    return areas


def get_area(*, user: Any, code: str) -> Area:
    """One area by ONS code, with its parent, district, CSP and force area; Area.DoesNotExist otherwise."""
    return (
        Area.objects.restrict(user, "areas.view")
        .select_related("parent", "lad", "csp", "pfa", "ward")
        .get(code=code.strip().upper())
    )
