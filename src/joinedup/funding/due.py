"""What falls due in funding, for "Your work" (joinedup.core.due): monitoring returns not yet
received, for the officers who manage grants in the force area."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse

from joinedup.core.due import DueItem, register
from joinedup.core.permissions import has_permission

from .models import MonitoringReturn
from .selectors import list_awards


@register("funding.monitoring_return", "Grant monitoring returns")
def monitoring_returns(
    user: Any, *, today: datetime.date, now: datetime.datetime, horizon: datetime.timedelta
) -> list[DueItem]:
    if not has_permission(user, "funding.manage"):
        return []
    returns = (
        MonitoringReturn.objects.filter(
            award__in=list_awards(user=user), submitted_on__isnull=True, due_on__lte=today + horizon
        )
        .select_related("award")
        .order_by("due_on", "pk")
    )
    return [
        DueItem(
            kind="funding.monitoring_return",
            kind_label="Grant monitoring returns",
            title=f"Monitoring return from {row.award.recipient_name} ({row.award.title})",
            why="A grant your office manages",
            due=row.due_on,
            url=reverse("funding:award-detail", args=[row.award_id]),
            overdue=row.due_on < today,
            uid=f"monitoring-return-{row.pk}",
        )
        for row in returns
    ]
