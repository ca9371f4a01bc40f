"""Manual returns owed, for "Your work" (joinedup.core.due): each ended period of a manual
indicator with no return yet, on the list of the people of the organisation that owes it."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse

from joinedup.core.due import Due, DueItem, due_from_items, register
from joinedup.core.permissions import has_permission

from .models import Indicator, Source
from .selectors import returns_owed


@register("performance.manual_return", "Performance returns", same_for_group=True)
def manual_returns(
    user: Any, *, today: datetime.date, now: datetime.datetime, horizon: datetime.timedelta, limit: int | None
) -> Due:
    """The periods owed are worked out from each manual indicator's frequency (a handful per organisation),
    so the indicators are read in one query and the periods computed here."""
    kind, label = "performance.manual_return", "Performance returns"
    if not has_permission(user, "performance.return") or getattr(user, "organisation_id", None) is None:
        return Due(kind, label)
    indicators = (
        Indicator.objects.restrict(user, "performance.return")
        .filter(source=Source.MANUAL)
        .select_related("owner", "plan_priority__plan", "csp_priority__plan")
    )
    items = [
        DueItem(
            title=f"Return for {indicator.name}, {period.label}",
            why=f"{indicator.owner.name} owes this indicator's figure each "
            f"{'year' if indicator.months == 12 else 'quarter' if indicator.months == 3 else 'month'}",
            due=due,
            url=reverse("performance:return-create", args=[indicator.pk]) + f"?period={period.start}",
            urgent=due <= today + datetime.timedelta(days=1),
            overdue=due < today,
            uid=f"performance-return-{indicator.pk}-{period.start}",
        )
        for indicator in indicators
        if has_permission(user, "performance.view", indicator)
        for period, due in returns_owed(indicator, today)
        if due <= today + horizon
    ]
    return due_from_items(kind, label, items, limit, key=lambda i: (i.due, i.title))
