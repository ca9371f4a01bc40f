"""Joint Problem Solving plans: raised when a case's risk is high, actions from several agencies (the
case's actions), red until every action is complete and the informant updated, reviewed monthly."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from joinedup.core.models import Organisation, User
from joinedup.core.permissions import has_permission
from joinedup.core.services.errors import NotAllowed
from joinedup.core.services.validation import Errors, add_error
from joinedup.core.services.versioning import stamp

from . import services
from .models import Case, CaseAction, PlanReview, PlanStatus, ProblemSolvingPlan, RiskLevel

REVIEW_EVERY_DAYS = 30  # "monitored on a monthly basis"


def _next_month(day: date) -> date:
    return day + timedelta(days=REVIEW_EVERY_DAYS)


def _check(actor: Any, case: Case) -> None:
    if not has_permission(actor, "casework.cases.work", case):
        raise NotAllowed("You may not work on this case.")


def raise_plan_for_high_risk(*, actor: Any, case: Case, objective: str = "") -> ProblemSolvingPlan:
    """The case's plan, raised now if it has none (a high score raises one at once)."""
    existing = ProblemSolvingPlan.objects.filter(case=case).first()
    if existing is not None:
        if existing.status == PlanStatus.CLOSED:
            existing.status = PlanStatus.OPEN
            stamp(existing, actor=actor, reason="Reopened: risk is high again")
            existing.save()
        return existing
    plan = ProblemSolvingPlan(
        case=case,
        objective=objective
        or "Reduce the risk to the victim: every agency's actions recorded here, reviewed monthly.",
        raised_by=actor,
        raised_at=timezone.now(),
        next_review_due=_next_month(timezone.localdate()),
    )
    stamp(plan, actor=actor, reason="Raised: high risk")
    plan.save()
    return plan


def create_plan(*, actor: Any, case: Case, data: dict[str, Any]) -> ProblemSolvingPlan:
    """Raise a plan by hand; only for a high-risk case (a high assessment raises one by itself)."""
    _check(actor, case)
    errors: Errors = {}
    if case.risk_level != RiskLevel.HIGH:
        add_error(
            errors,
            "__all__",
            "A Joint Problem Solving plan is for high-risk cases: complete a risk assessment that scores high.",
        )
    if ProblemSolvingPlan.objects.filter(case=case).exists():
        add_error(errors, "__all__", "This case already has a plan.")
    objective = str(data.get("objective") or "").strip()
    if not objective:
        add_error(errors, "objective", "Say what the partners are trying to achieve.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        return raise_plan_for_high_risk(actor=actor, case=case, objective=objective)


def add_plan_action(*, actor: Any, plan: ProblemSolvingPlan, data: dict[str, Any]) -> CaseAction:
    """An action on the plan for one agency, with its officer (who must work for that agency)."""
    _check(actor, plan.case)
    errors: Errors = {}
    org = data.get("owner_organisation")
    owner = org if isinstance(org, Organisation) else Organisation.objects.filter(pk=org or 0).first()
    officer = data.get("officer")
    if officer not in (None, "") and not isinstance(officer, User):
        officer = User.objects.filter(pk=officer).first()
        if officer is None:
            add_error(errors, "officer", "Choose an officer from the list.")
    if isinstance(officer, User) and owner is not None and officer.organisation_id != owner.pk:
        add_error(errors, "officer", f"{officer.full_name} does not work for {owner.name}.")
    due = data.get("due_date")
    if isinstance(due, date) and due < timezone.localdate():
        add_error(errors, "due_date", "The due date cannot be in the past.")
    # Ask the shared action service too, so its problems and these come back together; an action it saves
    # is rolled back when this check found a problem.
    with transaction.atomic():
        action = None
        try:
            action = services.add_action(
                actor=actor,
                case=plan.case,
                data={**data, "owner_organisation": owner, "officer": officer or None},
            )
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                for message in messages:
                    add_error(errors, name, message)
        if errors or action is None:
            raise ValidationError(errors)
    return action


def record_plan_review(*, actor: Any, plan: ProblemSolvingPlan, data: dict[str, Any]) -> PlanReview:
    """A review meeting: when, who, what was agreed, and when the next one is (default a month on)."""
    _check(actor, plan.case)
    errors: Errors = {}
    held_on = services._parse_date(data.get("held_on")) or (
        None if data.get("held_on") else timezone.localdate()
    )
    if held_on is None:
        add_error(errors, "held_on", "Enter the date of the review as YYYY-MM-DD.")
    elif held_on > timezone.localdate():
        add_error(errors, "held_on", "The review cannot be in the future.")
    attendees = str(data.get("attendees") or "").strip()
    if not attendees:
        add_error(errors, "attendees", "List who attended.")
    notes = str(data.get("notes") or "").strip()
    if not notes:
        add_error(errors, "notes", "Record what the review found and agreed.")
    next_review = services._parse_date(data.get("next_review")) if data.get("next_review") else None
    if data.get("next_review") and next_review is None:
        add_error(errors, "next_review", "Enter the next review date as YYYY-MM-DD.")
    if held_on and next_review and next_review <= held_on:
        add_error(errors, "next_review", "The next review must be after this one.")
    close = bool(data.get("close_plan"))
    if close and plan.case.plan_status() != "green":
        add_error(
            errors,
            "close_plan",
            "The plan can only be closed when it is green: every action complete and the informant updated.",
        )
    if errors or held_on is None:
        raise ValidationError(errors)
    next_review = next_review or _next_month(held_on)
    with transaction.atomic():
        review = PlanReview(
            plan=plan,
            held_on=held_on,
            attendees=attendees,
            notes=notes,
            next_review=next_review,
            recorded_by=actor,
        )
        stamp(review, actor=actor, reason="Plan reviewed")
        review.save()
        locked = ProblemSolvingPlan.objects.select_for_update().get(pk=plan.pk)
        locked.next_review_due = next_review
        if close:
            locked.status = PlanStatus.CLOSED
        locked.version += 1
        stamp(locked, actor=actor, reason="Plan reviewed" + (" and closed" if close else ""))
        locked.save()
        plan.next_review_due, plan.status, plan.version = (
            locked.next_review_due,
            locked.status,
            locked.version,
        )
    return review


def get_plan(*, user: Any, case_pk: int, request: Any = None, audit: bool = True) -> ProblemSolvingPlan:
    """The plan of a case the user may see, or Http404 (the case's view is audited by `get_case`)."""
    from . import selectors

    case = selectors.get_case(user=user, pk=case_pk, request=request, audit=audit)
    plan = ProblemSolvingPlan.objects.filter(case=case).prefetch_related("reviews__recorded_by").first()
    if plan is None:
        raise Http404("This case has no plan.")
    plan.case = case
    return plan
