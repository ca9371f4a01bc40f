"""Every write to CSP duties, domestic homicide reviews, plans, assessments and briefing notes (the Panel's
own records are written by joinedup.scrutiny.services).

Each service checks permission, collects every validation error into one ValidationError dict, and saves
in one transaction with history (edits of versioned records refuse a stale version with ConflictError).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from joinedup.core.models import ActionStatus, Area, AreaLevel, Organisation
from joinedup.core.services.validation import Errors, add_error, apply_fields, collect_model_errors
from joinedup.core.services.versioning import save_versioned, stamp
from joinedup.core.services.writes import Writes
from joinedup.core.services.writes import require as _require
from joinedup.core.services.writes import save_record as _save
from joinedup.core.uploads import BINARY_TYPES, content_matches, extension_of
from joinedup.insight.models import AssessmentStatus
from joinedup.insight.models import SavedAssessment as InsightAssessment

from .duties import STATUTORY_DUTIES, Duty
from .models import (
    ActionUpdate,
    BriefingNote,
    BriefingStatus,
    CommissionDecision,
    CspAction,
    CspPlan,
    CspPriority,
    DhrRecommendation,
    DomesticHomicideReview,
    DutyRecord,
    DutyStatus,
    RecommendationStatus,
    ReportRequirement,
    StrategicAssessment,
)

BLANK_MESSAGES = {
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


def _writes(
    action: str,
    fields: tuple[str, ...],
    check: Callable[[Any, Errors], None] | None = None,
    *,
    exclude: tuple[str, ...] = (),
) -> Writes:
    """How a kind of CSP record is written (core.services.writes), with the CSP pages' blank-field messages."""
    return Writes(action, fields, check, exclude, BLANK_MESSAGES)


def _csp_year_errors(csp: Area, year: int) -> Errors:
    """What is wrong with the CSP and financial year something is asked for."""
    errors: Errors = {}
    if csp.level != AreaLevel.CSP:
        add_error(errors, "csp", "Choose a community safety partnership.")
    if not 2000 <= year <= 2100:
        add_error(errors, "year", "Enter a financial year between 2000 and 2100.")
    return errors


# --- duties -------------------------------------------------------------------------------------------


@transaction.atomic
def start_duty_year(*, actor: Any, csp: Area, year: int) -> list[DutyRecord]:
    """Create the year's record of every statutory duty the CSP does not have yet, with default due dates."""
    _require(actor, "csp.change", csp)
    errors = _csp_year_errors(csp, year)
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


_DHR = _writes("csp.dhr.change", DHR_FIELDS, _check_dhr)


@transaction.atomic
def create_dhr(*, actor: Any, csp: Area, data: dict[str, Any]) -> DomesticHomicideReview:
    return _DHR.save(actor, csp, DomesticHomicideReview(csp=csp), data)


@transaction.atomic
def update_dhr(
    *, actor: Any, review: DomesticHomicideReview, expected_version: int, data: dict[str, Any]
) -> DomesticHomicideReview:
    return _DHR.save(actor, review, review, data, expected_version)


def _check_dhr_recommendation(item: DhrRecommendation, errors: Errors) -> None:
    if item.status == RecommendationStatus.COMPLETE and item.completed_on is None:
        add_error(errors, "completed_on", "Enter the date the recommendation was completed.")
    if item.completed_on and item.status != RecommendationStatus.COMPLETE:
        add_error(errors, "status", "A recommendation with a completion date must be complete.")


_DHR_RECOMMENDATION = _writes(
    "csp.dhr.change", DHR_RECOMMENDATION_FIELDS, _check_dhr_recommendation, exclude=("review",)
)


@transaction.atomic
def add_dhr_recommendation(
    *, actor: Any, review: DomesticHomicideReview, data: dict[str, Any]
) -> DhrRecommendation:
    return _DHR_RECOMMENDATION.save(actor, review, DhrRecommendation(review=review), data)


@transaction.atomic
def update_dhr_recommendation(
    *, actor: Any, item: DhrRecommendation, expected_version: int, data: dict[str, Any]
) -> DhrRecommendation:
    return _DHR_RECOMMENDATION.save(actor, item.review, item, data, expected_version)


# --- partnership plans ----------------------------------------------------------------------------------

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


_PLAN = _writes("csp.change", PLAN_FIELDS, _check_plan)


@transaction.atomic
def create_plan(*, actor: Any, csp: Area, data: dict[str, Any]) -> CspPlan:
    return _PLAN.save(actor, csp, CspPlan(csp=csp), data)


@transaction.atomic
def update_plan(*, actor: Any, plan: CspPlan, expected_version: int, data: dict[str, Any]) -> CspPlan:
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
def delete_priority(*, actor: Any, priority: CspPriority, reason: str) -> None:
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
    actor: Any,
    priority: CspPriority,
    data: dict[str, Any],
    action: CspAction | None = None,
    expected_version: int | None = None,
) -> CspAction:
    item = action or CspAction(priority=priority)
    return _writes("csp.change", ACTION_FIELDS, exclude=("priority",)).save(
        actor, priority.plan, item, data, expected_version
    )


def _check_update(update: ActionUpdate, errors: Errors) -> None:
    if update.recorded_on and update.recorded_on > datetime.date.today():
        add_error(errors, "recorded_on", "The date cannot be in the future.")


@transaction.atomic
def add_action_update(*, actor: Any, action: CspAction, data: dict[str, Any]) -> ActionUpdate:
    """Record progress on an action; its rating becomes the action's current rating."""
    update = ActionUpdate(action=action)
    _writes("csp.change", UPDATE_FIELDS, _check_update, exclude=("action",)).save(
        actor, action.priority.plan, update, data
    )
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
    item = ReportRequirement(csp=csp)
    return _writes("csp.reports.require", REQUIREMENT_FIELDS, _check_requirement).save(actor, csp, item, data)


@transaction.atomic
def respond_to_requirement(
    *, actor: Any, item: ReportRequirement, expected_version: int, data: dict[str, Any]
) -> ReportRequirement:
    """The CSP (its manager, or the OPCC on its behalf) records its report or response."""
    writes = _writes("csp.change", REPORT_RESPONSE_FIELDS, _check_requirement)
    return writes.save(actor, item, item, data, expected_version)


# --- strategic assessments ------------------------------------------------------------------------------

ASSESSMENT_FIELDS = (
    "title",
    "year",
    "published_on",
    "approved_by",
    "link",
    "crime_trend_headline",
    "key_findings",
    "insight_assessment_id",
)
# Checked by extension and by content (core/uploads.py); the stored type is ours, never the browser's.
DOCUMENT_TYPES: dict[str, str] = {
    extension: BINARY_TYPES[extension] for extension in (".pdf", ".docx", ".odt")
}
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024


def _check_document(upload: Any, errors: Errors) -> str | None:
    extension = extension_of(str(getattr(upload, "name", "") or ""))
    if extension not in DOCUMENT_TYPES:
        add_error(errors, "document", "Upload the assessment as a PDF, DOCX or ODT file.")
        return None
    if upload.size > MAX_DOCUMENT_BYTES:
        add_error(errors, "document", "The file must be smaller than 20 MB.")
        return None
    if not content_matches(upload, extension):
        add_error(errors, "document", f"The file is not a real {extension.lstrip('.').upper()} file.")
        return None
    return DOCUMENT_TYPES[extension]


def _check_assessment(item: StrategicAssessment, errors: Errors) -> None:
    if item.published_on and item.published_on > datetime.date.today():
        add_error(errors, "published_on", "The date published cannot be in the future.")
    # Only a published saved assessment of this CSP's area may be cited.
    cited = item.insight_assessment_id
    published = InsightAssessment.objects.filter(area=item.csp, status=AssessmentStatus.PUBLISHED)
    if cited is not None and not published.filter(pk=cited).exists():
        add_error(errors, "insight_assessment_id", "Choose a published saved assessment of this CSP's area.")


@transaction.atomic
def save_assessment(
    *,
    actor: Any,
    csp: Area,
    data: dict[str, Any],
    document: Any = None,
    assessment: StrategicAssessment | None = None,
    expected_version: int | None = None,
    evidence_url: Callable[[StrategicAssessment], str] | None = None,
) -> StrategicAssessment:
    """Publish a strategic assessment (an uploaded document or a link), or change one. A new assessment is
    also recorded as the evidence of that year's strategic-assessment duty, if the duty is not yet met."""
    _require(actor, "csp.change", csp)
    errors: Errors = {}
    item = assessment or StrategicAssessment(csp=csp)
    apply_fields(item, data, ASSESSMENT_FIELDS, errors)
    # The cited saved assessment is checked by `_check_assessment`, in words about the form's own field.
    collect_model_errors(
        item,
        errors,
        exclude=("csp", "document", "insight_assessment"),
        validate_unique=True,
        blank_messages=BLANK_MESSAGES,
    )
    _check_assessment(item, errors)
    content_type = _check_document(document, errors) if document else None
    if not document and not item.document and not item.link and not item.insight_assessment_id:
        add_error(errors, "document", "Upload the assessment or give a link to it.")
    if errors:
        raise ValidationError(errors)
    if document:
        item.document_name = str(document.name)[:200]
        item.document_type = content_type or ""
        item.document.save("upload", document, save=False)
    _save(item, actor, new=assessment is None, expected_version=expected_version)
    if assessment is None:
        _evidence_duty(actor, item, evidence_url)
    return item


@transaction.atomic
def adopt_insight_assessment(
    *,
    actor: Any,
    csp: Area,
    saved: InsightAssessment,
    evidence_url: Callable[[StrategicAssessment], str] | None = None,
) -> StrategicAssessment:
    """Record the analyst's published assessment of the CSP's area as the CSP's strategic assessment: its
    title, date, publisher and crime trend headline come from it, and nothing is uploaded again. It is
    also the evidence of that year's strategic-assessment duty, if the duty is not yet met."""
    from .duties import current_year
    from .selectors import headline_from_results

    _require(actor, "csp.change", csp)
    if saved.area_id != csp.pk or saved.status != AssessmentStatus.PUBLISHED:
        raise ValidationError({"__all__": ["Choose a published saved assessment of this CSP's area."]})
    if StrategicAssessment.objects.filter(csp=csp, insight_assessment=saved).exists():
        raise ValidationError(
            {"__all__": ["This assessment is already recorded as the CSP's strategic assessment."]}
        )
    published_on = (
        timezone.localtime(saved.published_at).date() if saved.published_at else timezone.localdate()
    )
    publisher = saved.published_by
    item = StrategicAssessment(
        csp=csp,
        title=saved.title[:200],
        year=current_year(published_on),
        published_on=published_on,
        approved_by=(publisher.get_full_name() or publisher.email)[:200] if publisher else "The analyst",
        crime_trend_headline=(headline_from_results(saved.results or {}) or "")[:300],
        key_findings=saved.narrative,
        insight_assessment=saved,
    )
    _save(item, actor, new=True, expected_version=None)
    _evidence_duty(actor, item, evidence_url)
    return item


def _evidence_duty(
    actor: Any, item: StrategicAssessment, evidence_url: Callable[[StrategicAssessment], str] | None
) -> None:
    record = DutyRecord.objects.filter(csp=item.csp, year=item.year, duty=Duty.STRATEGIC_ASSESSMENT).first()
    if record is None or record.status in (DutyStatus.COMPLETE, DutyStatus.NOT_REQUIRED):
        return
    record.status = DutyStatus.COMPLETE
    record.evidence_link = item.link or (evidence_url(item) if evidence_url else "")
    record.evidence_text = f"Strategic assessment “{item.title}” published."
    record.evidence_date = item.published_on
    record.approved_by = item.approved_by
    save_versioned(
        record, expected_version=record.version, actor=actor, reason="Strategic assessment published"
    )


# --- quarterly briefing notes ---------------------------------------------------------------------------

BRIEFING_FIELDS = ("plan_progress", "duty_compliance", "crime_trend", "funded_projects", "manager_commentary")


@transaction.atomic
def generate_briefing_note(
    *, actor: Any, csp: Area, year: int, quarter: int, today: datetime.date | None = None
) -> BriefingNote:
    """Draft the quarter's briefing note from the CSP's own data (plan progress, duties, crime trend,
    funding). A draft already there is refreshed from the data; a submitted note is never changed."""
    from . import selectors

    _require(actor, "csp.change", csp)
    errors = _csp_year_errors(csp, year)
    if quarter not in (1, 2, 3, 4):
        add_error(errors, "quarter", "Choose a quarter from 1 to 4.")
    if errors:
        raise ValidationError(errors)
    note = BriefingNote.objects.filter(csp=csp, year=year, quarter=quarter).first()
    if note is not None and note.status == BriefingStatus.SUBMITTED:
        raise ValidationError({"quarter": "This quarter's briefing note has already been submitted."})
    sections = selectors.briefing_sections(
        csp, year=year, quarter=quarter, today=today or datetime.date.today(), user=actor
    )
    if note is None:
        note = BriefingNote(csp=csp, year=year, quarter=quarter, **sections)
        stamp(note, actor=actor, reason="Drafted from the CSP's data")
        note.save()
    else:
        for name, text in sections.items():
            setattr(note, name, text)
        save_versioned(
            note, expected_version=note.version, actor=actor, reason="Redrafted from the CSP's data"
        )
    return note


@transaction.atomic
def update_briefing_note(
    *, actor: Any, note: BriefingNote, expected_version: int, data: dict[str, Any], submit: bool = False
) -> BriefingNote:
    """The CSP manager edits the draft, and may submit it to the Panel (draft → submitted, then fixed)."""
    _require(actor, "csp.change", note)
    if note.status == BriefingStatus.SUBMITTED:
        raise ValidationError({"__all__": ["A submitted briefing note cannot be changed."]})
    errors: Errors = {}
    apply_fields(note, data, BRIEFING_FIELDS, errors)
    if submit:
        for name in ("plan_progress", "duty_compliance", "crime_trend"):
            if not getattr(note, name).strip():
                label = str(getattr(BriefingNote._meta.get_field(name), "verbose_name", name))
                add_error(errors, name, f"Enter the {label.lower()} section before submitting.")
    if errors:
        raise ValidationError(errors)
    if submit:
        note.status = BriefingStatus.SUBMITTED
        note.submitted_on = datetime.date.today()
    save_versioned(
        note,
        expected_version=expected_version,
        actor=actor,
        reason="Submitted to the Panel" if submit else "",
    )
    return note
