"""What falls due in casework, for "Your work" (joinedup.core.due).

Read through casework's restricted selector (`visible_cases`), so nobody is told of a case they may not
see; items name the case by its reference only.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from joinedup.core.due import DueItem, register
from joinedup.core.permissions import has_permission

from .models import ActionStatus, CaseAction, CaseStatus, PlanStatus, ProblemSolvingPlan
from .selectors import visible_cases


def _responsible_cases(user: Any) -> Any:
    """Open cases the user may see that their organisation leads or they lead themselves."""
    if not has_permission(user, "casework.cases.view"):
        return None
    return (
        visible_cases(user)
        .filter(status=CaseStatus.OPEN)
        .filter(Q(lead_organisation_id=user.organisation_id) | Q(lead_officer_id=user.pk))
    )


@register("casework.risk_assessment", "Risk assessments")
def risk_assessments(
    user: Any, *, today: datetime.date, now: datetime.datetime, horizon: datetime.timedelta
) -> list[DueItem]:
    cases = _responsible_cases(user)
    if cases is None:
        return []
    items = []
    for case in cases.filter(risk_assessment_due_at__lte=now + horizon).order_by("risk_assessment_due_at"):
        due_at = case.risk_assessment_due_at
        assert due_at is not None
        items.append(
            DueItem(
                kind="casework.risk_assessment",
                kind_label="Risk assessments",
                title=f"Risk assessment for case {case.reference}",
                why="Your organisation leads this case"
                if case.lead_officer_id != user.pk
                else "You lead this case",
                due=timezone.localdate(due_at),
                url=reverse("casework:case-detail", args=[case.pk]),
                urgent=due_at <= now + datetime.timedelta(hours=24),
                overdue=due_at < now,
                uid=f"case-{case.pk}-risk-{due_at:%Y%m%d%H%M}",
            )
        )
    return items


@register("casework.action", "Case actions")
def case_actions(
    user: Any, *, today: datetime.date, now: datetime.datetime, horizon: datetime.timedelta
) -> list[DueItem]:
    if not has_permission(user, "casework.cases.view"):
        return []
    actions = (
        CaseAction.objects.filter(case__in=visible_cases(user), case__status=CaseStatus.OPEN)
        .exclude(status=ActionStatus.COMPLETE)
        .filter(Q(owner_organisation_id=user.organisation_id) | Q(officer_id=user.pk))
        .filter(due_date__lte=today + horizon)
        .select_related("case")
        .order_by("due_date", "pk")
    )
    return [
        DueItem(
            kind="casework.action",
            kind_label="Case actions",
            title=f"{action.get_action_type_display()} on case {action.case.reference}",
            why="Assigned to you" if action.officer_id == user.pk else "Assigned to your organisation",
            due=action.due_date,
            url=reverse("casework:case-detail", args=[action.case_id]),
            urgent=action.due_date <= today + datetime.timedelta(days=1),
            overdue=action.due_date < today,
            uid=f"case-action-{action.pk}",
        )
        for action in actions
    ]


@register("casework.plan_review", "Problem-solving plan reviews")
def plan_reviews(
    user: Any, *, today: datetime.date, now: datetime.datetime, horizon: datetime.timedelta
) -> list[DueItem]:
    cases = _responsible_cases(user)
    if cases is None:
        return []
    plans = (
        ProblemSolvingPlan.objects.filter(case__in=cases, status=PlanStatus.OPEN)
        .filter(next_review_due__lte=today + horizon)
        .select_related("case")
    )
    return [
        DueItem(
            kind="casework.plan_review",
            kind_label="Problem-solving plan reviews",
            title=f"Review the joint problem-solving plan for case {plan.case.reference}",
            why="Your organisation leads this case",
            due=plan.next_review_due,
            url=reverse("casework:case-detail", args=[plan.case_id]),
            overdue=plan.next_review_due < today,
            uid=f"plan-{plan.pk}-review-{plan.next_review_due:%Y%m%d}",
        )
        for plan in plans
    ]


@register("casework.agreement_review", "Sharing agreement reviews")
def agreement_reviews(
    user: Any, *, today: datetime.date, now: datetime.datetime, horizon: datetime.timedelta
) -> list[DueItem]:
    from .selectors import list_agreements

    if not has_permission(user, "casework.agreements.view") or user.organisation_id is None:
        return []
    agreements = (
        list_agreements(user=user)
        .filter(party_rows__organisation_id=user.organisation_id, review_date__lte=today + horizon)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .distinct()
    )
    return [
        DueItem(
            kind="casework.agreement_review",
            kind_label="Sharing agreement reviews",
            title=f"Review the information-sharing agreement '{agreement.title}'",
            why="Your organisation is a party to it",
            due=agreement.review_date,
            url=reverse("casework:agreement-detail", args=[agreement.pk]),
            overdue=agreement.review_date < today,
            uid=f"agreement-{agreement.pk}-review-{agreement.review_date:%Y%m%d}",
        )
        for agreement in agreements
        if agreement.review_date is not None
    ]
