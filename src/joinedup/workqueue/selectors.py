"""Reads for "Your work": the person's due and overdue items, counts per kind, and area figures scoped to
their force area."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from .registry import DueItem, counts_by_kind, due_by_kind, sort_items

HOME_LIMIT = 10  # items of each kind on the staff home page (it shows the ten most urgent)
PAGE_LIMIT = 50  # items of each kind on the Your work page


@dataclass
class YourWork:
    items: list[DueItem]  # the first `limit` of each kind, most urgent first
    counts: list[dict[str, Any]]
    urgent: list[DueItem]
    overdue: int
    today: datetime.date
    total: int  # how many are due in all
    limit: int | None

    @property
    def more(self) -> bool:
        """Whether some kind has more items than are listed."""
        return len(self.items) < self.total


def your_work(
    *, user: Any, now: datetime.datetime | None = None, limit: int | None = PAGE_LIMIT, kind: str = ""
) -> YourWork:
    """Counts per kind from the database and the first `limit` items of each kind (of `kind` alone when
    given): a fixed number of queries whatever the data size."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    answers = due_by_kind(user, today=today, now=now, limit=limit)
    shown = [a for a in answers if a.kind == kind] if kind else answers
    items = sort_items([item for answer in shown for item in answer.items])
    return YourWork(
        items=items,
        counts=counts_by_kind(answers),
        urgent=[item for item in items if item.urgent],
        overdue=sum(a.overdue for a in answers),
        today=today,
        total=sum(a.count for a in shown),
        limit=limit,
    )


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
    """Search what the person may see; a search that could reach cases is audited (query and what it found)."""
    from joinedup.core.audit import record_event
    from joinedup.core.models import EventType

    from .search import search, touches_personal_data

    groups = search(user=user, query=query)
    if touches_personal_data(user, query):
        found = [text for group in groups if group.kind == "cases" for text, _url in group.results]
        record_event(
            EventType.PERSONAL_RECORD_VIEWED,
            actor=user,
            request=request,
            object_type="casework.case",
            object_repr=f"Search: {query.strip()[:100]}",
            detail={"search": query.strip()[:100], "found": found},
        )
    return groups
