"""What falls due in the partnership register, for "Your work" (joinedup.core.due): reviews, for
the OPCC administrators who complete them and the lead organisation's people; and the actions of each
partnership's plan, for the people of the organisation that owns them."""

from __future__ import annotations

from django.urls import reverse

from joinedup.core.due import DueItem, Rows, Window, register_rows
from joinedup.core.models import CLOSED_ACTION_STATUSES, User
from joinedup.core.permissions import has_permission

from .models import Partnership, PartnershipAction, Status
from .selectors import REVIEWABLE


@register_rows(
    "partnerships.review", "Partnership reviews", due_field="next_review_date", same_for_group=True
)
def reviews(user: User, when: Window) -> Rows | None:
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


@register_rows(
    "partnerships.action",
    "Partnership actions",
    due_field="due_date",
    permission="partnerships.view",
    same_for_group=True,
)
def actions(user: User, when: Window) -> Rows | None:
    """Open actions owned by the person's organisation in partnerships they may see, due by the window's
    end; a declined or terminated partnership's plan is closed, so its actions are no longer asked for."""
    if getattr(user, "organisation_id", None) is None:
        return None
    partnerships = Partnership.objects.restrict(user, "partnerships.view").exclude(
        status__in=[Status.DECLINED, Status.TERMINATED]
    )
    rows = (
        PartnershipAction.objects.filter(
            partnership__in=partnerships, owner_id=user.organisation_id, due_date__lte=when.until
        )
        .exclude(status__in=CLOSED_ACTION_STATUSES)
        .select_related("partnership")
    )
    return rows, lambda action: DueItem(
        title=f"{action.description[:80]} ({action.partnership.name})",
        why="Your organisation owns this action in the partnership's plan",
        due=action.due_date,
        url=reverse("partnerships:detail", args=[action.partnership_id]) + "#actions",
        uid=f"partnership-action-{action.pk}",
    )
