"""Every write to CSP duties, domestic homicide reviews and Panel recommendations.

Each service checks permission, collects every validation error into one ValidationError dict, and saves
in one transaction with history (edits of versioned records refuse a stale version with ConflictError).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction

from joinedup.core.models import Area, AreaLevel, Organisation
from joinedup.core.permissions import has_permission
from joinedup.core.services.errors import NotAllowed
from joinedup.core.services.validation import Errors, add_error, apply_fields, collect_model_errors
from joinedup.core.services.versioning import save_versioned, stamp

from .duties import STATUTORY_DUTIES, Duty
from .models import (
    ActionStatus,
    ActionUpdate,
    CommissionDecision,
    CspAction,
    CspPlan,
    CspPriority,
    DhrRecommendation,
    DomesticHomicideReview,
    DutyRecord,
    DutyStatus,
    ImplementationStatus,
    PanelRecommendation,
    RecommendationStatus,
    ReportRequirement,
)

BLANK_MESSAGES = {
    "recommendation": "Enter what the Panel recommends.",
    "agency": "Choose the agency the recommendation is to.",
    "csp": "Choose a community safety partnership.",
}

DUTY_FIELDS = ("due_date", "status", "evidence_link", "evidence_text", "evidence_date", "approved_by")
DHR_FIELDS = (
    "case_reference",
    "notified_on",
    "decision",
    "decision_on",
    "independent_chair",
    "chair_appointed_on",
    "first_panel_on",
    "report_completed_on",
    "submitted_to_qa_on",
    "qa_outcome_on",
    "published_on",
    "published_title",
    "report_url",
)
DHR_RECOMMENDATION_FIELDS = ("agency", "text", "due_date", "status", "completed_on", "progress")
PANEL_FIELDS = ("title", "recommendation", "made_on", "response_due", "csp")
RESPONSE_FIELDS = ("pcc_response", "response_on", "status", "implementation")


def _validate(
    obj: models.Model,
    data: dict[str, Any],
    fields: tuple[str, ...],
    check: Callable[[Any, Errors], None],
    *,
    exclude: tuple[str, ...] = (),
) -> None:
    """Apply `data` to `obj` and raise every problem at once: the model's rules, then the record's own."""
    errors: Errors = {}
    apply_fields(obj, data, fields, errors)
    collect_model_errors(obj, errors, exclude=exclude, validate_unique=True, blank_messages=BLANK_MESSAGES)
    check(obj, errors)
    if errors:
        raise ValidationError(errors)


def _save_new(obj: models.Model, actor: Any) -> None:
    stamp(obj, actor=actor)
    obj.save()


def _require(user: Any, action: str, obj: Any = None) -> None:
    if not has_permission(user, action, obj):
        raise NotAllowed(action)


# --- duties -------------------------------------------------------------------------------------------


@transaction.atomic
def start_duty_year(*, actor: Any, csp: Area, year: int) -> list[DutyRecord]:
    """Create the year's record of every statutory duty the CSP does not have yet, with default due dates."""
    _require(actor, "csp.change", csp)
    errors: Errors = {}
    if csp.level != AreaLevel.CSP:
        add_error(errors, "csp", "Choose a community safety partnership.")
    if not 2000 <= year <= 2100:
        add_error(errors, "year", "Enter a financial year between 2000 and 2100.")
    if errors:
        raise ValidationError(errors)
    existing = set(DutyRecord.objects.filter(csp=csp, year=year).values_list("duty", flat=True))
    created = []
    for duty in STATUTORY_DUTIES:
        if duty.duty.value in existing:
            continue
        record = DutyRecord(csp=csp, year=year, duty=duty.duty.value, due_date=duty.due_date(year))
        stamp(record, actor=actor, reason="Duty year started")
        record.save()
        created.append(record)
    return created


@transaction.atomic
def update_duty_record(
    *, actor: Any, record: DutyRecord, expected_version: int, data: dict[str, Any]
) -> DutyRecord:
    """Change a duty's due date, status and evidence, and who signed it off. Every error at once."""
    _require(actor, "csp.change", record)
    errors: Errors = {}
    signed_off = data.get("signed_off_by")
    apply_fields(record, {k: v for k, v in data.items() if k != "signed_off_by"}, DUTY_FIELDS, errors)
    collect_model_errors(record, errors, validate_unique=True, blank_messages=BLANK_MESSAGES)
    organisations: list[Organisation] = []
    if signed_off is not None:
        organisations = [o for o in signed_off if isinstance(o, Organisation)]
        ids = [o for o in signed_off if not isinstance(o, Organisation)]
        if ids:
            found = list(Organisation.objects.filter(pk__in=ids))
            if len(found) != len(set(ids)):
                add_error(errors, "signed_off_by", "Choose organisations from the directory.")
            organisations += found
        if any(not o.responsible_authority for o in organisations):
            add_error(errors, "signed_off_by", "Only responsible authorities sign off a statutory duty.")
    if record.status == DutyStatus.COMPLETE:
        if not (record.evidence_link or record.evidence_text):
            add_error(
                errors,
                "evidence_text",
                "Give the evidence, as a link or a description, before marking it complete.",
            )
        if record.evidence_date is None:
            add_error(errors, "evidence_date", "Enter the date of the evidence.")
        if not record.approved_by:
            add_error(errors, "approved_by", "Enter who approved the evidence.")
    if record.status == DutyStatus.NOT_REQUIRED and not record.evidence_text:
        add_error(errors, "evidence_text", "Explain why the duty is not required this year.")
    if record.evidence_date and record.evidence_date > datetime.date.today():
        add_error(errors, "evidence_date", "The date of the evidence cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    save_versioned(record, expected_version=expected_version, actor=actor)
    if signed_off is not None:
        record.signed_off_by.set(organisations)
    return record


# --- domestic homicide reviews ------------------------------------------------------------------------

DHR_DATE_ORDER = (
    "notified_on",
    "decision_on",
    "chair_appointed_on",
    "first_panel_on",
    "report_completed_on",
    "submitted_to_qa_on",
    "qa_outcome_on",
    "published_on",
)


def _check_dhr(review: DomesticHomicideReview, errors: Errors) -> None:
    today = datetime.date.today()
    fields = {
        name: str(getattr(review._meta.get_field(name), "verbose_name", name)) for name in DHR_DATE_ORDER
    }
    previous: tuple[str, datetime.date] | None = None
    for name in DHR_DATE_ORDER:
        value = getattr(review, name)
        if value is None:
            continue
        if value > today:
            add_error(errors, name, f"The {fields[name]} cannot be in the future.")
        if previous is not None and value < previous[1]:
            add_error(
                errors,
                name,
                f"The {fields[name]} cannot be before the {fields[previous[0]]}.",
            )
        previous = (name, value)
    if review.decision and review.decision_on is None:
        add_error(errors, "decision_on", "Enter the date of the decision.")
    if review.decision_on and not review.decision:
        add_error(errors, "decision", "Choose the decision.")
    later = [n for n in DHR_DATE_ORDER[2:] if getattr(review, n)]
    if review.decision != CommissionDecision.COMMISSION and later:
        add_error(errors, "decision", "Later stages can only be recorded for a review that was commissioned.")
    if review.chair_appointed_on and not review.independent_chair:
        add_error(errors, "independent_chair", "Enter the independent chair.")
    if review.published_on and not review.published_title:
        add_error(errors, "published_title", "Enter the title the report is published under.")
    if review.published_on and not review.submitted_to_qa_on:
        add_error(errors, "published_on", "A review is published only after submission to quality assurance.")


@transaction.atomic
def create_dhr(*, actor: Any, csp: Area, data: dict[str, Any]) -> DomesticHomicideReview:
    _require(actor, "csp.dhr.change", csp)
    review = DomesticHomicideReview(csp=csp)
    _validate(review, data, DHR_FIELDS, _check_dhr)
    _save_new(review, actor)
    return review


@transaction.atomic
def update_dhr(
    *, actor: Any, review: DomesticHomicideReview, expected_version: int, data: dict[str, Any]
) -> DomesticHomicideReview:
    _require(actor, "csp.dhr.change", review)
    _validate(review, data, DHR_FIELDS, _check_dhr)
    save_versioned(review, expected_version=expected_version, actor=actor)
    return review


def _check_dhr_recommendation(item: DhrRecommendation, errors: Errors) -> None:
    if item.status == RecommendationStatus.COMPLETE and item.completed_on is None:
        add_error(errors, "completed_on", "Enter the date the recommendation was completed.")
    if item.completed_on and item.status != RecommendationStatus.COMPLETE:
        add_error(errors, "status", "A recommendation with a completion date must be complete.")


@transaction.atomic
def add_dhr_recommendation(
    *, actor: Any, review: DomesticHomicideReview, data: dict[str, Any]
) -> DhrRecommendation:
    _require(actor, "csp.dhr.change", review)
    item = DhrRecommendation(review=review)
    _validate(item, data, DHR_RECOMMENDATION_FIELDS, _check_dhr_recommendation, exclude=("review",))
    _save_new(item, actor)
    return item


@transaction.atomic
def update_dhr_recommendation(
    *, actor: Any, item: DhrRecommendation, expected_version: int, data: dict[str, Any]
) -> DhrRecommendation:
    _require(actor, "csp.dhr.change", item.review)
    _validate(item, data, DHR_RECOMMENDATION_FIELDS, _check_dhr_recommendation, exclude=("review",))
    save_versioned(item, expected_version=expected_version, actor=actor)
    return item


# --- Panel recommendations ----------------------------------------------------------------------------


def _check_panel(item: PanelRecommendation, errors: Errors) -> None:
    if (
        item.csp_id
        and item.csp is not None
        and (item.csp.level != AreaLevel.CSP or item.csp.pfa_id != item.force_area_id)
    ):
        add_error(errors, "csp", "Choose a CSP in the force area.")
    if item.response_due and item.made_on and item.response_due < item.made_on:
        add_error(errors, "response_due", "The response cannot be due before the recommendation was made.")
    if item.response_on and item.made_on and item.response_on < item.made_on:
        add_error(errors, "response_on", "The response cannot be before the recommendation was made.")
    responded = item.status != ImplementationStatus.AWAITING_RESPONSE
    if responded and not item.pcc_response:
        add_error(errors, "pcc_response", "Enter the PCC's response.")
    if responded and item.response_on is None:
        add_error(errors, "response_on", "Enter the date of the response.")
    if item.status == ImplementationStatus.IMPLEMENTED and not item.implementation:
        add_error(errors, "implementation", "Say what was done.")


@transaction.atomic
def create_panel_recommendation(*, actor: Any, force_area: Area, data: dict[str, Any]) -> PanelRecommendation:
    _require(actor, "csp.panel.recommend", force_area)
    item = PanelRecommendation(force_area=force_area)
    _validate(item, data, PANEL_FIELDS, _check_panel)
    _save_new(item, actor)
    return item


@transaction.atomic
def update_panel_recommendation(
    *, actor: Any, item: PanelRecommendation, expected_version: int, data: dict[str, Any]
) -> PanelRecommendation:
    """The Panel edits its recommendation; the OPCC records the PCC's response and implementation."""
    fields: tuple[str, ...]
    if has_permission(actor, "csp.panel.recommend", item):
        fields = PANEL_FIELDS
    elif has_permission(actor, "csp.panel.respond", item):
        fields = RESPONSE_FIELDS
    else:
        raise NotAllowed("csp.panel.recommend")
    _validate(item, data, fields, _check_panel)
    save_versioned(item, expected_version=expected_version, actor=actor)
    return item


# --- partnership plans ----------------------------------------------------------------------------------

PLAN_FIELDS = ("title", "period_start", "period_end", "police_and_crime_plan", "summary", "is_public")
PRIORITY_FIELDS = ("title", "description", "order", "assessment")
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


@transaction.atomic
def create_plan(*, actor: Any, csp: Area, data: dict[str, Any]) -> CspPlan:
    _require(actor, "csp.change", csp)
    plan = CspPlan(csp=csp)
    _validate(plan, data, PLAN_FIELDS, _check_plan)
    _save_new(plan, actor)
    return plan


@transaction.atomic
def update_plan(*, actor: Any, plan: CspPlan, expected_version: int, data: dict[str, Any]) -> CspPlan:
    _require(actor, "csp.change", plan)
    _validate(plan, data, PLAN_FIELDS, _check_plan)
    save_versioned(plan, expected_version=expected_version, actor=actor)
    return plan


def _priority_links(priority: CspPriority, pcc_priorities: Any, errors: Errors) -> list[Any]:
    from joinedup.partnerships.models import PlanPriority

    plan = priority.plan
    assessment = priority.assessment if priority.assessment_id else None
    if assessment is not None and (
        assessment.csp_id != plan.csp_id or assessment.duty != Duty.STRATEGIC_ASSESSMENT
    ):
        add_error(errors, "assessment", "Choose one of this CSP's strategic assessments.")
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
def save_priority(
    *,
    actor: Any,
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
    found = _priority_links(item, links, errors)
    if errors:
        raise ValidationError(errors)
    if priority is None:
        _save_new(item, actor)
    else:
        save_versioned(item, expected_version=expected_version or 0, actor=actor)
    if links is not None:
        item.pcc_priorities.set(found)
    return item


@transaction.atomic
def save_action(
    *,
    actor: Any,
    priority: CspPriority,
    data: dict[str, Any],
    action: CspAction | None = None,
    expected_version: int | None = None,
) -> CspAction:
    _require(actor, "csp.change", priority.plan)
    errors: Errors = {}
    item = action or CspAction(priority=priority)
    apply_fields(item, data, ACTION_FIELDS, errors)
    collect_model_errors(
        item, errors, exclude=("priority",), validate_unique=True, blank_messages=BLANK_MESSAGES
    )
    if errors:
        raise ValidationError(errors)
    if action is None:
        _save_new(item, actor)
    else:
        save_versioned(item, expected_version=expected_version or 0, actor=actor)
    return item


@transaction.atomic
def add_action_update(*, actor: Any, action: CspAction, data: dict[str, Any]) -> ActionUpdate:
    """Record progress on an action; its rating becomes the action's current rating."""
    _require(actor, "csp.change", action.priority.plan)
    errors: Errors = {}
    update = ActionUpdate(action=action)
    apply_fields(update, data, UPDATE_FIELDS, errors)
    collect_model_errors(
        update, errors, exclude=("action",), validate_unique=True, blank_messages=BLANK_MESSAGES
    )
    if update.recorded_on and update.recorded_on > datetime.date.today():
        add_error(errors, "recorded_on", "The date cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    _save_new(update, actor)
    action.rag = update.rag
    if action.status == ActionStatus.NOT_STARTED:
        action.status = ActionStatus.IN_PROGRESS
    save_versioned(action, expected_version=action.version, actor=actor, reason="Progress update")
    return update


# --- the PCC's requirement for a report -------------------------------------------------------------------

REQUIREMENT_FIELDS = ("subject", "reason", "required_on", "due_date")
REPORT_RESPONSE_FIELDS = ("response", "response_link", "responded_on")


def _check_requirement(item: ReportRequirement, errors: Errors) -> None:
    if item.required_on and item.due_date and item.due_date < item.required_on:
        add_error(errors, "due_date", "The report cannot be due before it was required.")
    if item.responded_on and item.required_on and item.responded_on < item.required_on:
        add_error(errors, "responded_on", "The response cannot be before the report was required.")
    if item.responded_on and not (item.response or item.response_link):
        add_error(errors, "response", "Give the report or response, as text or a link.")
    if (item.response or item.response_link) and item.responded_on is None:
        add_error(errors, "responded_on", "Enter the date of the response.")


@transaction.atomic
def require_report(*, actor: Any, csp: Area, data: dict[str, Any]) -> ReportRequirement:
    _require(actor, "csp.reports.require", csp)
    item = ReportRequirement(csp=csp)
    _validate(item, data, REQUIREMENT_FIELDS, _check_requirement)
    _save_new(item, actor)
    return item


@transaction.atomic
def respond_to_requirement(
    *, actor: Any, item: ReportRequirement, expected_version: int, data: dict[str, Any]
) -> ReportRequirement:
    """The CSP (its manager, or the OPCC on its behalf) records its report or response."""
    _require(actor, "csp.change", item)
    _validate(item, data, REPORT_RESPONSE_FIELDS, _check_requirement)
    save_versioned(item, expected_version=expected_version, actor=actor)
    return item
