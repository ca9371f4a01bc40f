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

from joinedup.core.due import DueItem, Rows, Window, register_rows

from .models import (
    ActionStatus,
    CaseAction,
    CaseStatus,
    InformationSharingAgreement,
    PlanStatus,
    ProblemSolvingPlan,
)
from .selectors import list_agreements, visible_cases


def _responsible_cases(user: Any, when: Window) -> Any:
    """Open cases the user may see that their organisation leads or they lead themselves (of those, the
    part `when` asks for: `Window.theirs`)."""
    return (
        visible_cases(user)
        .filter(status=CaseStatus.OPEN)
        .filter(when.theirs(Q(lead_organisation_id=user.organisation_id), Q(lead_officer_id=user.pk)))
    )


def _leading_risk_assessments(
    user_ids: list[int], *, today: datetime.date, now: datetime.datetime, horizon: datetime.timedelta
) -> set[int]:
    """Of `user_ids`, those who lead an open case whose risk assessment falls due in the window (whether or
    not they may see it): only they can have more on their list than their organisation's cases."""
    from .models import Case

    led = Case.objects.filter(
        lead_officer_id__in=user_ids, status=CaseStatus.OPEN, risk_assessment_due_at__lte=now + horizon
    )
    return set(led.values_list("lead_officer_id", flat=True).distinct())


def _assigned_actions(
    user_ids: list[int], *, today: datetime.date, now: datetime.datetime, horizon: datetime.timedelta
) -> set[int]:
    """Of `user_ids`, those named as the officer on an unfinished action due in the window."""
    named = (
        CaseAction.objects.filter(officer_id__in=user_ids, case__status=CaseStatus.OPEN)
        .exclude(status=ActionStatus.COMPLETE)
        .filter(due_date__lte=today + horizon)
    )
    return set(named.values_list("officer_id", flat=True).distinct())


def _leading_plan_reviews(
    user_ids: list[int], *, today: datetime.date, now: datetime.datetime, horizon: datetime.timedelta
) -> set[int]:
    """Of `user_ids`, those who lead an open case with an open plan to review in the window."""
    plans = ProblemSolvingPlan.objects.filter(
        case__lead_officer_id__in=user_ids,
        case__status=CaseStatus.OPEN,
        status=PlanStatus.OPEN,
        next_review_due__lte=today + horizon,
    )
    return set(plans.values_list("case__lead_officer_id", flat=True).distinct())


@register_rows(
    "casework.risk_assessment",
    "Risk assessments",
    due_field="risk_assessment_due_at",
    overdue_from="now",
    permission="casework.cases.view",
    people_with_own=_leading_risk_assessments,
    own_apart=True,
)
def risk_assessments(user: Any, when: Window) -> Rows | None:
    def item(case: Any) -> DueItem:
        due_at = case.risk_assessment_due_at
        assert due_at is not None
        return DueItem(
            title=f"Risk assessment for case {case.reference}",
            why="Your organisation leads this case"
            if case.lead_officer_id != user.pk
            else "You lead this case",
            due=timezone.localdate(due_at),
            url=reverse("casework:case-detail", args=[case.pk]),
            urgent=due_at <= when.now + datetime.timedelta(hours=24),
            uid=f"case-{case.pk}-risk-{due_at:%Y%m%d%H%M}",
        )

    return _responsible_cases(user, when).filter(risk_assessment_due_at__lte=when.now + when.horizon), item


@register_rows(
    "casework.action",
    "Case actions",
    due_field="due_date",
    permission="casework.cases.view",
    people_with_own=_assigned_actions,
    own_apart=True,
)
def case_actions(user: Any, when: Window) -> Rows | None:
    actions = (
        CaseAction.objects.filter(case__in=visible_cases(user), case__status=CaseStatus.OPEN)
        .exclude(status=ActionStatus.COMPLETE)
        .filter(when.theirs(Q(owner_organisation_id=user.organisation_id), Q(officer_id=user.pk)))
        .filter(due_date__lte=when.until)
        .select_related("case")
    )
    return actions, lambda action: DueItem(
        title=f"{action.get_action_type_display()} on case {action.case.reference}",
        why="Assigned to you" if action.officer_id == user.pk else "Assigned to your organisation",
        due=action.due_date,
        url=reverse("casework:case-detail", args=[action.case_id]),
        urgent=action.due_date <= when.today + datetime.timedelta(days=1),
        uid=f"case-action-{action.pk}",
    )


@register_rows(
    "casework.plan_review",
    "Problem-solving plan reviews",
    due_field="next_review_due",
    permission="casework.cases.view",
    people_with_own=_leading_plan_reviews,
    own_apart=True,
)
def plan_reviews(user: Any, when: Window) -> Rows | None:
    plans = (
        ProblemSolvingPlan.objects.filter(case__in=_responsible_cases(user, when), status=PlanStatus.OPEN)
        .filter(next_review_due__lte=when.until)
        .select_related("case")
    )
    return plans, lambda plan: DueItem(
        title=f"Review the joint problem-solving plan for case {plan.case.reference}",
        why="Your organisation leads this case",
        due=plan.next_review_due,
        url=reverse("casework:case-detail", args=[plan.case_id]),
        uid=f"plan-{plan.pk}-review-{plan.next_review_due:%Y%m%d}",
    )


@register_rows(
    "casework.agreement_review",
    "Sharing agreement reviews",
    due_field="review_date",
    permission="casework.agreements.view",
    same_for_group=True,
)
def agreement_reviews(user: Any, when: Window) -> Rows | None:
    if user.organisation_id is None:
        return None
    mine = (
        list_agreements(user=user)
        .filter(party_rows__organisation_id=user.organisation_id, review_date__lte=when.until)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=when.today))
    )
    # One row per agreement (a party may appear once only, but the join could repeat it).
    agreements = InformationSharingAgreement.objects.filter(pk__in=mine.values("pk"))
    return agreements, lambda agreement: DueItem(
        title=f"Review the information-sharing agreement '{agreement.title}'",
        why="Your organisation is a party to it",
        due=agreement.review_date,
        url=reverse("casework:agreement-detail", args=[agreement.pk]),
        uid=f"agreement-{agreement.pk}-review-{agreement.review_date:%Y%m%d}",
    )
