"""What falls due in CSP work, for "Your work" (joinedup.core.due): statutory duties, domestic
homicide review stages, and the Commissioner's responses to Panel recommendations. Read through this
app's restricted selectors; the person is responsible when they may change the record."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse

from joinedup.core.due import DueItem, register
from joinedup.core.permissions import has_permission

from .models import DomesticHomicideReview, DutyRecord, DutyStatus, PanelRecommendation
from .selectors import dhr_stages, list_dhrs, list_panel_recommendations


@register("csp.duty", "CSP duties")
def duties(
    user: Any, *, today: datetime.date, now: datetime.datetime, horizon: datetime.timedelta
) -> list[DueItem]:
    if not has_permission(user, "csp.change"):
        return []
    records = (
        DutyRecord.objects.restrict(user, "csp.change")
        .filter(status__in=[DutyStatus.NOT_STARTED, DutyStatus.IN_PROGRESS], due_date__lte=today + horizon)
        .select_related("csp")
        .order_by("due_date", "csp__name")
    )
    return [
        DueItem(
            kind="csp.duty",
            kind_label="CSP duties",
            title=f"{record.get_duty_display()} ({record.csp.name})",
            why=f"A statutory duty of {record.csp.name}, {record.get_status_display().lower()}",
            due=record.due_date,
            url=reverse("csp:duty-detail", args=[record.pk]),
            overdue=record.due_date < today,
            uid=f"csp-duty-{record.pk}",
        )
        for record in records
    ]


@register("csp.dhr_stage", "Domestic homicide review stages")
def dhr_stages_due(
    user: Any, *, today: datetime.date, now: datetime.datetime, horizon: datetime.timedelta
) -> list[DueItem]:
    if not has_permission(user, "csp.dhr.change"):
        return []
    allowed = DomesticHomicideReview.objects.restrict(user, "csp.dhr.change").values("pk")
    items = []
    for review in list_dhrs(user=user).filter(pk__in=allowed, published_on__isnull=True):
        stage = next((s for s in dhr_stages(review, today=today) if s.done_on is None), None)
        if stage is None or stage.expected_by is None or stage.expected_by > today + horizon:
            continue
        items.append(
            DueItem(
                kind="csp.dhr_stage",
                kind_label="Domestic homicide review stages",
                title=f"{stage.label}: review {review.case_reference}",
                why=f"The next stage of a review {review.csp.name} commissioned",
                due=stage.expected_by,
                url=reverse("csp:dhr-detail", args=[review.pk]),
                overdue=stage.overdue,
                uid=f"dhr-{review.pk}-{stage.name}",
            )
        )
    return items


@register("csp.panel_response", "Responses to Panel recommendations")
def panel_responses(
    user: Any, *, today: datetime.date, now: datetime.datetime, horizon: datetime.timedelta
) -> list[DueItem]:
    if not has_permission(user, "csp.panel.respond"):
        return []
    recommendations: Any = list_panel_recommendations(user=user).filter(
        response_due__isnull=False, response_on__isnull=True, response_due__lte=today + horizon
    )
    items = []
    for recommendation in recommendations.order_by("response_due"):
        assert isinstance(recommendation, PanelRecommendation) and recommendation.response_due is not None
        if not has_permission(user, "csp.panel.respond", recommendation):
            continue
        items.append(
            DueItem(
                kind="csp.panel_response",
                kind_label="Responses to Panel recommendations",
                title=f"Commissioner's response: {recommendation.title}",
                why="The Police and Crime Panel asked for the Commissioner's response",
                due=recommendation.response_due,
                url=reverse("csp:panel-detail", args=[recommendation.pk]),
                overdue=recommendation.response_due < today,
                uid=f"panel-recommendation-{recommendation.pk}",
            )
        )
    return items


@register("csp.plan_action", "CSP plan actions")
def plan_actions(
    user: Any, *, today: datetime.date, now: datetime.datetime, horizon: datetime.timedelta
) -> list[DueItem]:
    from .models import ActionStatus, CspAction, CspPlan

    if not has_permission(user, "csp.view") or getattr(user, "organisation_id", None) is None:
        return []
    actions = (
        CspAction.objects.filter(
            priority__plan__in=CspPlan.objects.restrict(user, "csp.view"),
            owner_id=user.organisation_id,
            due_date__lte=today + horizon,
        )
        .exclude(status__in=[ActionStatus.COMPLETE, ActionStatus.CANCELLED])
        .select_related("priority__plan__csp")
        .order_by("due_date", "pk")
    )
    return [
        DueItem(
            kind="csp.plan_action",
            kind_label="CSP plan actions",
            title=f"{action.description[:80]} ({action.priority.plan.csp.name})",
            why="Your organisation owns this action in the CSP's plan",
            due=action.due_date,
            url=reverse("csp:plan-detail", args=[action.priority.plan_id]),
            overdue=action.due_date < today,
            uid=f"csp-action-{action.pk}",
        )
        for action in actions
    ]
