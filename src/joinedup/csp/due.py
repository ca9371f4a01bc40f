"""What falls due in CSP work, for "Your work" (joinedup.core.due): statutory duties, domestic homicide
review stages and plan actions (the Commissioner's responses to the Panel are joinedup.scrutiny.due). Read
through this app's restricted selectors; the person is responsible when they may change the record."""

from __future__ import annotations

import datetime

from django.urls import reverse

from joinedup.core.due import Due, DueItem, Rows, Window, due_from_items, register, register_rows
from joinedup.core.models import ActionStatus, User
from joinedup.core.permissions import has_permission

from .models import (
    CspAction,
    CspPlan,
    DomesticHomicideReview,
    DutyRecord,
    DutyStatus,
)
from .selectors import dhr_stages, list_dhrs


@register_rows("csp.duty", "CSP duties", due_field="due_date", permission="csp.change", same_for_group=True)
def duties(user: User, when: Window) -> Rows | None:
    records = (
        DutyRecord.objects.restrict(user, "csp.change")
        .filter(status__in=[DutyStatus.NOT_STARTED, DutyStatus.IN_PROGRESS], due_date__lte=when.until)
        .select_related("csp")
    )
    return records, lambda record: DueItem(
        title=f"{record.get_duty_display()} ({record.csp.name})",
        why=f"A statutory duty of {record.csp.name}, {record.get_status_display().lower()}",
        due=record.due_date,
        url=reverse("csp:duty-detail", args=[record.pk]),
        uid=f"csp-duty-{record.pk}",
    )


@register("csp.dhr_stage", "Domestic homicide review stages", same_for_group=True)
def dhr_stages_due(
    user: User,
    *,
    today: datetime.date,
    now: datetime.datetime,
    horizon: datetime.timedelta,
    limit: int | None,
) -> Due:
    """A review's next stage date is worked out from its dates, so open reviews (a handful per CSP) are
    read in one query and the stages computed here."""
    kind, label = "csp.dhr_stage", "Domestic homicide review stages"
    if not has_permission(user, "csp.dhr.change"):
        return Due(kind, label)
    allowed = DomesticHomicideReview.objects.restrict(user, "csp.dhr.change").values("pk")
    items = []
    for review in list_dhrs(user=user).filter(pk__in=allowed, published_on__isnull=True):
        stage = next((s for s in dhr_stages(review, today=today) if s.done_on is None), None)
        if stage is None or stage.expected_by is None or stage.expected_by > today + horizon:
            continue
        items.append(
            DueItem(
                title=f"{stage.label}: review {review.case_reference}",
                why=f"The next stage of a review {review.csp.name} commissioned",
                due=stage.expected_by,
                url=reverse("csp:dhr-detail", args=[review.pk]),
                overdue=stage.overdue,
                uid=f"dhr-{review.pk}-{stage.name}",
            )
        )
    return due_from_items(kind, label, items, limit)


@register_rows(
    "csp.plan_action", "CSP plan actions", due_field="due_date", permission="csp.view", same_for_group=True
)
def plan_actions(user: User, when: Window) -> Rows | None:
    if getattr(user, "organisation_id", None) is None:
        return None
    actions = (
        CspAction.objects.filter(
            priority__plan__in=CspPlan.objects.restrict(user, "csp.view"),
            owner_id=user.organisation_id,
            due_date__lte=when.until,
        )
        .exclude(status__in=[ActionStatus.COMPLETE, ActionStatus.CANCELLED])
        .select_related("priority__plan__csp")
    )
    return actions, lambda action: DueItem(
        title=f"{action.description[:80]} ({action.priority.plan.csp.name})",
        why="Your organisation owns this action in the CSP's plan",
        due=action.due_date,
        url=reverse("csp:plan-detail", args=[action.priority.plan_id]),
        uid=f"csp-action-{action.pk}",
    )
