"""Reads for "Your work": the person's due and overdue items, counts per kind, and area figures scoped to
their force area."""

from __future__ import annotations

from typing import Any

from joinedup.core.due import HOME_LIMIT, PAGE_LIMIT, YourWork, your_work

__all__ = ["HOME_LIMIT", "PAGE_LIMIT", "YourWork", "area_figures", "run_search", "your_work"]


def area_figures(*, user: Any) -> list[dict[str, Any]]:
    """The CSPs and organisations in the person's force area(s) (every role, auditors too: ADR 0028)."""
    from joinedup.core.models import Area, AreaLevel, Organisation
    from joinedup.core.permissions import force_area_ids

    ids = force_area_ids(user)
    csps = Area.objects.filter(level=AreaLevel.CSP, pfa__in=ids)
    forces = Area.objects.filter(level=AreaLevel.PFA, pk__in=ids)
    names = ", ".join(forces.order_by("name").values_list("name", flat=True)[:3])
    return [
        {"label": "Community safety partnerships", "count": csps.count(), "where": names},
        {
            "label": "Organisations in the directory",
            "count": Organisation.objects.restrict(user, "organisations.view").count(),
            "where": "that you can see",
        },
    ]


def run_search(*, user: Any, query: str, request: Any = None) -> list[Any]:
    """Search what the person may see. A search that could reach cases or the people named on them is
    audited as a personal-record view: the query, the cases found by reference and the people found by name
    (case, person id and role), including finding nothing. Nothing of it goes to the application log."""
    from joinedup.core.audit import record_event
    from joinedup.core.models import EventType

    from .search import search, searches_people, touches_personal_data

    groups = search(user=user, query=query)
    if touches_personal_data(user, query):
        found = [text for group in groups if group.kind == "cases" for text, _url in group.results]
        people = [row for group in groups if group.kind == "people" for row in group.found]
        record_event(
            EventType.PERSONAL_RECORD_VIEWED,
            actor=user,
            request=request,
            object_type="casework.person" if searches_people(query) else "casework.case",
            object_repr=f"Search: {query.strip()[:100]}",
            detail={"search": query.strip()[:100], "found": found, "people": people},
        )
    return groups
