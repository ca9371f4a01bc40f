"""Who casework tells at once (joinedup.notifications): the people of an agency when a case it may see
becomes high risk, and the owner of a newly assigned action. Only people who may see the case are told,
and the message names the case by its reference."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from joinedup.core.models import User
from joinedup.core.permissions import has_permission

from .models import Case, CaseAction, CaseReviewRequest


def _staff_of(
    organisation_ids: set[int], record: Any, action: str = "casework.cases.view", *, with_email: bool = True
) -> list[User]:
    """The active people of these organisations who may do `action` on `record` (with an email address
    unless told: an in-service notice needs none)."""
    people = User.objects.filter(is_active=True, organisation_id__in=organisation_ids)
    if with_email:
        people = people.exclude(email="")
    return [person for person in people if has_permission(person, action, record)]


def high_risk_case(case: Case) -> int:
    from joinedup.notifications.notify import notify_many

    org_ids = {case.lead_organisation_id, *case.actions.values_list("owner_organisation_id", flat=True)}
    return notify_many(
        _staff_of(org_ids, case),
        kind="high_risk_case",
        title=f"Case {case.reference} has been assessed as high risk",
        url=reverse("casework:case-detail", args=[case.pk]),
        key=f"case-{case.pk}-high-risk",
        urgent=True,
    )


def action_assigned(action: CaseAction) -> int:
    from joinedup.notifications.notify import notify_many

    case = action.case
    people: Any = _staff_of({action.owner_organisation_id}, case)
    if action.officer_id:
        people = [p for p in people if p.pk == action.officer_id] or people
    return notify_many(
        people,
        kind="action_assigned",
        title=(
            f"{action.get_action_type_display()} on case {case.reference} assigned to "
            f"{'you' if action.officer_id else action.owner_organisation.name}, due {action.due_date:%-d %B %Y}"
        ),
        url=reverse("casework:case-detail", args=[case.pk]),
        key=f"case-action-{action.pk}-assigned",
        urgent=True,
    )


def case_review_applied(review: CaseReviewRequest) -> int:
    """A new online application: the receiving council's people who manage case reviews, at once."""
    from joinedup.notifications.notify import notify_many

    return notify_many(
        _staff_of({review.receiving_organisation_id}, review, "casework.reviews.manage", with_email=False),
        kind="case_review_applied",
        title=f"New online ASB case review application {review.reference}",
        url=reverse("casework:review-detail", args=[review.pk]),
        key=f"case-review-{review.pk}-applied",
        urgent=True,
    )
