"""Every write to partnership plans, their priorities, actions and progress updates."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from joinedup.core.models import ActionStatus, Area, User
from joinedup.core.services.validation import Errors, add_error, apply_fields, collect_model_errors
from joinedup.core.services.versioning import save_versioned, stamp
from joinedup.core.services.writes import require as _require
from joinedup.core.services.writes import save_record as _save

from ..models import (
    ActionUpdate,
    CspAction,
    CspPlan,
    CspPriority,
)
from ..services import BLANK_MESSAGES, csp_writes

PLAN_FIELDS = (
    "title",
    "period_start",
    "period_end",
    "police_and_crime_plan",
    "summary",
    "joint_introduction",
    "is_public",
)
PRIORITY_FIELDS = ("title", "description", "order", "strategic_assessment")
ACTION_FIELDS = ("description", "owner", "lead_officer", "due_date", "status", "rag")
UPDATE_FIELDS = ("recorded_on", "text", "rag")


def _check_plan(plan: CspPlan, errors: Errors) -> None:
    if plan.period_start and plan.period_end and plan.period_end < plan.period_start:
        add_error(errors, "period_end", "The period cannot end before it starts.")
    pcc_plan = plan.police_and_crime_plan if plan.police_and_crime_plan_id else None
    if pcc_plan is not None and pcc_plan.force_area_id != plan.csp.pfa_id:
        add_error(
            errors, "police_and_crime_plan", "Choose the Police and Crime Plan of the CSP's force area."
        )


_PLAN = csp_writes("csp.change", PLAN_FIELDS, _check_plan)


@transaction.atomic
def create_plan(*, actor: User, csp: Area, data: dict[str, Any]) -> CspPlan:
    return _PLAN.save(actor, csp, CspPlan(csp=csp), data)


@transaction.atomic
def update_plan(*, actor: User, plan: CspPlan, expected_version: int, data: dict[str, Any]) -> CspPlan:
    return _PLAN.save(actor, plan, plan, data, expected_version)


def _priority_links(priority: CspPriority, pcc_priorities: Any, errors: Errors) -> list[Any]:
    from joinedup.partnerships.models import PlanPriority

    plan = priority.plan
    assessment = priority.strategic_assessment if priority.strategic_assessment_id else None
    if assessment is not None and assessment.csp_id != plan.csp_id:
        add_error(errors, "strategic_assessment", "Choose one of this CSP's strategic assessments.")
    if pcc_priorities is None:
        return []
    ids = [p.pk if isinstance(p, PlanPriority) else p for p in pcc_priorities]
    found = list(PlanPriority.objects.filter(pk__in=ids))
    if len(found) != len(set(ids)):
        add_error(errors, "pcc_priorities", "Choose priorities of the Police and Crime Plan.")
    if found and not plan.police_and_crime_plan_id:
        add_error(errors, "pcc_priorities", "Choose the plan's Police and Crime Plan first.")
    elif any(p.plan_id != plan.police_and_crime_plan_id for p in found):
        add_error(
            errors,
            "pcc_priorities",
            "Choose priorities of the Police and Crime Plan this plan has regard to.",
        )
    return found


@transaction.atomic
def delete_priority(*, actor: User, priority: CspPriority, reason: str) -> None:
    """Delete a plan priority and its actions; the history keeps who deleted them, when and why."""
    _require(actor, "csp.change", priority)
    if not (reason or "").strip():
        raise ValidationError(
            {"reason": ["Give a reason for deleting the priority: it is kept in the history."]}
        )
    why = f"Deleted: {reason.strip()}"
    for action in priority.actions.all():
        stamp(action, actor=actor, reason=why)
        action.delete()
    stamp(priority, actor=actor, reason=why)
    priority.delete()


@transaction.atomic
def save_priority(
    *,
    actor: User,
    plan: CspPlan,
    data: dict[str, Any],
    priority: CspPriority | None = None,
    expected_version: int | None = None,
) -> CspPriority:
    """Add a priority to a plan, or change one; `pcc_priorities` are the Police and Crime Plan priorities served."""
    _require(actor, "csp.change", plan)
    errors: Errors = {}
    item = priority or CspPriority(plan=plan)
    links = data.get("pcc_priorities")
    apply_fields(item, {k: v for k, v in data.items() if k != "pcc_priorities"}, PRIORITY_FIELDS, errors)
    collect_model_errors(item, errors, exclude=("plan",), validate_unique=True, blank_messages=BLANK_MESSAGES)
    if "order" not in errors and item.order:
        taken = plan.priorities.filter(order=item.order).exclude(pk=item.pk).first()
        if taken is not None:
            add_error(
                errors, "order", f"Number {item.order} is already used by “{taken.title}”: choose another."
            )
    found = _priority_links(item, links, errors)
    if errors:
        raise ValidationError(errors)
    _save(item, actor, new=priority is None, expected_version=expected_version)
    if links is not None:
        item.pcc_priorities.set(found)
    return item


@transaction.atomic
def save_action(
    *,
    actor: User,
    priority: CspPriority,
    data: dict[str, Any],
    action: CspAction | None = None,
    expected_version: int | None = None,
) -> CspAction:
    item = action or CspAction(priority=priority)
    return csp_writes("csp.change", ACTION_FIELDS, exclude=("priority",)).save(
        actor, priority.plan, item, data, expected_version
    )


def _check_update(update: ActionUpdate, errors: Errors) -> None:
    if update.recorded_on and update.recorded_on > datetime.date.today():
        add_error(errors, "recorded_on", "The date cannot be in the future.")


@transaction.atomic
def add_action_update(*, actor: User, action: CspAction, data: dict[str, Any]) -> ActionUpdate:
    """Record progress on an action; its rating becomes the action's current rating."""
    update = ActionUpdate(action=action)
    csp_writes("csp.change", UPDATE_FIELDS, _check_update, exclude=("action",)).save(
        actor, action.priority.plan, update, data
    )
    action.rag = update.rag
    if action.status == ActionStatus.NOT_STARTED:
        action.status = ActionStatus.IN_PROGRESS
    save_versioned(action, expected_version=action.version, actor=actor, reason="Progress update")
    return update
