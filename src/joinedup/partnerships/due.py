"""What falls due in the partnership register, for "Your work" (joinedup.core.due): reviews, for
the OPCC administrators who complete them and the lead organisation's people."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from joinedup.core.due import DueItem, Rows, Window, register_rows
from joinedup.core.permissions import has_permission

from .models import Partnership
from .selectors import REVIEWABLE


@register_rows(
    "partnerships.review", "Partnership reviews", due_field="next_review_date", same_for_group=True
)
def reviews(user: Any, when: Window) -> Rows | None:
    partnerships = Partnership.objects.restrict(user, "partnerships.view").filter(
        status__in=REVIEWABLE, next_review_date__lte=when.until
    )
    reviewer = has_permission(user, "partnerships.review")
    if not reviewer:
        if getattr(user, "organisation_id", None) is None:
            return None
        partnerships = partnerships.filter(lead_organisation_id=user.organisation_id)
    return partnerships, lambda partnership: DueItem(
        title=f"Review of {partnership.name}",
        why="You complete partnership reviews" if reviewer else "Your organisation leads this partnership",
        due=partnership.next_review_date,
        url=reverse("partnerships:detail", args=[partnership.pk]),
        uid=f"partnership-{partnership.pk}-review-{partnership.next_review_date:%Y%m%d}",
    )
