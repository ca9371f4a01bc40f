"""What falls due in the partnership register, for "Your work" (joinedup.core.due): reviews, for
the OPCC administrators who complete them and the lead organisation's people."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse

from joinedup.core.due import DueItem, register
from joinedup.core.permissions import has_permission

from .models import Partnership
from .selectors import REVIEWABLE


@register("partnerships.review", "Partnership reviews")
def reviews(
    user: Any, *, today: datetime.date, now: datetime.datetime, horizon: datetime.timedelta
) -> list[DueItem]:
    partnerships = Partnership.objects.restrict(user, "partnerships.view").filter(
        status__in=REVIEWABLE, next_review_date__lte=today + horizon
    )
    reviewer = has_permission(user, "partnerships.review")
    if not reviewer:
        if getattr(user, "organisation_id", None) is None:
            return []
        partnerships = partnerships.filter(lead_organisation_id=user.organisation_id)
    return [
        DueItem(
            kind="partnerships.review",
            kind_label="Partnership reviews",
            title=f"Review of {partnership.name}",
            why="You complete partnership reviews"
            if reviewer
            else "Your organisation leads this partnership",
            due=partnership.next_review_date,
            url=reverse("partnerships:detail", args=[partnership.pk]),
            overdue=partnership.next_review_date < today,
            uid=f"partnership-{partnership.pk}-review-{partnership.next_review_date:%Y%m%d}",
        )
        for partnership in partnerships.order_by("next_review_date", "name")
        if partnership.next_review_date is not None
    ]
