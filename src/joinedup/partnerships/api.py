"""Partnership register endpoints: list with the register's filters, read, propose, edit, lifecycle steps,
the business-case assessment and review completion.

No `from __future__ import annotations` here (see core/api.py). Thin like the views: parse, call a
selector or service, shape the answer; errors become HTTP answers in joinedup.api.errors.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.responses import Status
from pydantic import ConfigDict

from joinedup.core.api_schemas import limits_from, list_operation, required_in_document, responses
from joinedup.core.models import SECTOR_GROUPS
from joinedup.core.views.base import api_require, staff_user

from . import selectors, services
from .lifecycle import TRANSITIONS, available_transitions
from .models import (
    AssessmentAnswer,
    BusinessCaseAssessment,
    LegalBasis,
    Level,
    Membership,
    Partnership,
    PartnershipReview,
    Question,
    Rating,
    Recommendation,
    ReviewAction,
    ReviewDecision,
    Risk,
    Visibility,
)
from .models import Status as PartnershipStatus

router = Router(tags=["partnerships"])


# --- answers ----------------------------------------------------------------------------------------


class OrganisationRef(Schema):
    id: int
    name: str


class PartnershipSummaryOut(Schema):
    id: int
    name: str
    purpose: str
    status: str
    status_label: str = Field(alias="get_status_display")
    legal_basis: str
    level: str
    visibility: str
    areas: list[str] = Field(description="ONS codes of the areas the partnership covers.")
    lead_organisation: OrganisationRef | None
    next_review_date: date | None
    review_overdue: bool = Field(alias="is_review_overdue")
    has_exit_strategy: bool
    illustrative: bool
    version: int = Field(description="Send it back with an update; a stale version is refused with 409.")
    updated_at: datetime

    @staticmethod
    def resolve_areas(obj: Partnership) -> list[str]:
        return sorted(area.code for area in obj.areas.all())


class MembershipOut(Schema):
    id: int
    organisation: OrganisationRef
    role: str
    money_per_year: Decimal | None = Field(description="Pounds and pence.")
    staff_fte: Decimal | None
    premises: str
    other_contribution: str
    cost_share_percent: Decimal | None
    responsibilities: str
    accountable_contact: str

    @staticmethod
    def resolve_organisation(obj: Membership) -> dict[str, Any]:
        return {"id": obj.organisation_id, "name": obj.organisation.name}


class RiskOut(Schema):
    id: int
    description: str
    likelihood: int
    impact: int
    score: int
    owner: str
    mitigation: str

    @staticmethod
    def resolve_score(obj: Risk) -> int:
        return obj.score


class PartnershipOut(PartnershipSummaryOut):
    scope_in: str
    scope_out: str
    governance_body: str
    governance_chair: str
    meeting_frequency: str
    decision_rights: str
    accountable_to: str
    exit_triggers: str
    exit_steps: str
    exit_cost: Decimal | None = Field(description="Pounds and pence.")
    review_cadence_months: int
    source: str
    available_transitions: list[str] = Field(
        description="Lifecycle steps that are legal from the current status (your role may not make all)."
    )
    memberships: list[MembershipOut]
    risks: list[RiskOut]
    created_at: datetime

    @staticmethod
    def resolve_available_transitions(obj: Partnership) -> list[str]:
        return [t.name for t in available_transitions(obj.status)]


# --- list -------------------------------------------------------------------------------------------


class PartnershipFilters(Schema):
    q: str | None = Field(None, description="Part of the name or purpose.")
    status: PartnershipStatus | None = None
    legal_basis: LegalBasis | None = None
    level: Level | None = None
    sector_group: str | None = Field(
        None,
        description="Partner sector: partnerships with a member in this group.",
        json_schema_extra={"enum": list(SECTOR_GROUPS)},
    )
    area: str | None = Field(None, description="ONS code: partnerships covering that area (or one it is in).")
    priority: int | None = Field(None, description="Id of a Police and Crime Plan priority.")
    overdue_review: bool = Field(False, description="Only running partnerships whose review is overdue.")
    no_exit_strategy: bool = Field(False, description="Only partnerships with no exit triggers or steps.")
    sort: (
        Literal[
            "name",
            "-name",
            "status",
            "-status",
            "level",
            "-level",
            "review",
            "-review",
            "updated",
            "-updated",
        ]
        | None
    ) = Field(None, description="Field to sort by; `-` for descending.")


@list_operation(router, "", PartnershipSummaryOut, summary="List partnerships", errors=())
def list_partnerships(request: HttpRequest, filters: Query[PartnershipFilters]) -> Any:
    """The partnership register, with the same filters as the register page."""
    if filters.sector_group and filters.sector_group not in SECTOR_GROUPS:
        raise ValidationError({"sector_group": [f"Choose one of: {', '.join(SECTOR_GROUPS)}."]})
    return selectors.list_partnerships(
        user=staff_user(request), **filters.model_dump(exclude={"area"}), area_code=filters.area
    )


@router.get("/{id}", response=responses({200: PartnershipOut}, 404), summary="One partnership")
def get_partnership(request: HttpRequest, id: int) -> Any:
    """A partnership with its members and contributions and its risks."""
    return selectors.get_partnership_for_page(user=staff_user(request), pk=id)


# --- propose and edit ---------------------------------------------------------------------------------


@limits_from(Partnership)
class PartnershipIn(Schema):
    """A partnership's details. Every field is checked together, so a 422 lists every problem at once."""

    # Lenient when parsing (strings with defaults, choices only documented) so the service checks
    # everything by the same rules as the staff pages and reports every error together.
    model_config = ConfigDict(
        json_schema_extra=required_in_document("name", "purpose", "legal_basis", "level")
    )

    name: str = ""
    purpose: str = ""
    scope_in: str = ""
    scope_out: str = ""
    legal_basis: str = Field("", json_schema_extra={"enum": list(LegalBasis.values)})
    level: str = Field("", json_schema_extra={"enum": list(Level.values)})
    areas: list[str] = Field(default_factory=list, description="ONS codes of the areas covered.")
    lead_organisation: int | None = Field(None, description="Id of the lead organisation.")
    governance_body: str = ""
    governance_chair: str = ""
    meeting_frequency: str = ""
    decision_rights: str = ""
    accountable_to: str = ""
    exit_triggers: str = ""
    exit_steps: str = ""
    exit_cost: str | int | None = Field(None, description='Pounds and pence as a string, e.g. "1250.00".')
    review_cadence_months: int | str = Field(12, description="1 to 60.")
    next_review_date: str = Field("", description="YYYY-MM-DD, or empty.")
    visibility: str = Field(Visibility.INTERNAL.value, json_schema_extra={"enum": list(Visibility.values)})
    illustrative: bool = Field(False, description="Details that are illustrative, not real facts.")
    source: str = Field("", description="Where the facts come from.")


class PartnershipUpdateIn(PartnershipIn):
    """The whole record (a full replacement: a field left out is set empty), with the version you read."""

    model_config = ConfigDict(
        json_schema_extra=required_in_document("name", "purpose", "legal_basis", "level", "version")
    )

    version: int


@router.post(
    "",
    response=responses({201: PartnershipOut}, 403),
    summary="Propose a partnership",
)
def create_partnership(request: HttpRequest, payload: PartnershipIn) -> Any:
    """Propose a partnership; it starts as `proposed`. Roles that may not propose partnerships get 403."""
    api_require(request, "partnerships.propose", status=403)
    partnership = services.create_partnership(actor=staff_user(request), data=payload.model_dump())
    return Status(201, selectors.get_partnership_for_page(user=staff_user(request), pk=partnership.pk))


def _get_allowed(request: HttpRequest, id: int, action: str) -> Partnership:
    """A partnership the token holder may see and may `action`; otherwise 404, as if it did not exist."""
    partnership = Partnership.objects.restrict(request.user, "partnerships.view").get(pk=id)
    api_require(request, action, partnership)
    return partnership


@router.put(
    "/{id}",
    response=responses({200: PartnershipOut}, 404, 409),
    summary="Replace a partnership's details",
)
def update_partnership(request: HttpRequest, id: int, payload: PartnershipUpdateIn) -> Any:
    """A full update: send every field and the `version` you read. Someone saved since → 409, nothing
    changed. A partnership your role may not change → 404. Declined and terminated ones are closed (422)."""
    partnership = _get_allowed(request, id, "partnerships.change")
    services.update_partnership(
        actor=staff_user(request),
        partnership=partnership,
        expected_version=payload.version,
        data=payload.model_dump(exclude={"version"}),
    )
    return selectors.get_partnership_for_page(user=staff_user(request), pk=id)


# --- lifecycle ----------------------------------------------------------------------------------------


class TransitionIn(Schema):
    transition: str = Field("", json_schema_extra={"enum": list(TRANSITIONS)})
    reason: str = Field("", description="Why: kept in the partnership's history.")
    version: int = Field(description="The partnership's version you read; if stale → 409.")


@router.post(
    "/{id}/transitions",
    response=responses({200: PartnershipOut}, 404, 409),
    summary="Move a partnership along its lifecycle",
)
def transition_partnership(request: HttpRequest, id: int, payload: TransitionIn) -> Any:
    """proposed → under assessment → approved | declined → active → under review → … An illegal move is
    refused with 422 saying why; a step your role may not make → 404. Reviews are concluded (continue,
    revise, terminate) through `POST /partnerships/{id}/reviews`."""
    partnership = _get_allowed(request, id, "partnerships.transition")
    services.transition_partnership(
        actor=staff_user(request),
        partnership=partnership,
        transition=payload.transition,
        reason=payload.reason,
        expected_version=payload.version,
    )
    return selectors.get_partnership_for_page(user=staff_user(request), pk=id)


# --- business-case assessment ---------------------------------------------------------------------------


@limits_from(AssessmentAnswer)
class AnswerIn(Schema):
    rating: str = Field("", json_schema_extra={"enum": ["", *Rating.values]})
    evidence: str = ""


@limits_from(BusinessCaseAssessment)
class AssessmentIn(Schema):
    """Partial answers are kept; the assessment is complete when every question has a rating and evidence
    and a recommendation is recorded."""

    includes_pcc_questions: bool = True
    answers: dict[str, AnswerIn] = Field(
        default_factory=dict, description=f"By question: {', '.join(Question.values)}."
    )
    recommendation: str = Field("", json_schema_extra={"enum": ["", *Recommendation.values]})
    recommendation_reason: str = ""
    version: int = Field(
        description="The assessment's version you read (`GET /partnerships/{id}/assessment`), 0 if none has "
        "been saved yet; if stale → 409 and nothing is changed."
    )


class AnswerOut(Schema):
    question: str
    question_label: str
    rating: str
    evidence: str


class AssessmentOut(Schema):
    partnership_id: int
    includes_pcc_questions: bool
    answers: list[AnswerOut]
    recommendation: str
    recommendation_reason: str
    suggested_recommendation: str = Field(description="The rule-based suggestion from the ratings.")
    suggestion_reasons: list[str]
    complete: bool
    problems: list[str] = Field(description="What is missing before the assessment is complete.")
    completed_at: datetime | None
    version: int


def _assessment_out(assessment: BusinessCaseAssessment) -> dict[str, Any]:
    saved = assessment.pk is not None
    answers = list(assessment.answers.all()) if saved else []
    suggestion = services.suggest({a.question: a.rating for a in answers})
    problems = services.assessment_problems(assessment if saved else None)
    return {
        "partnership_id": assessment.partnership_id,
        "includes_pcc_questions": assessment.includes_pcc_questions,
        "answers": [
            {
                "question": a.question,
                "question_label": a.get_question_display(),
                "rating": a.rating,
                "evidence": a.evidence,
            }
            for a in answers
        ],
        "recommendation": assessment.recommendation,
        "recommendation_reason": assessment.recommendation_reason,
        "suggested_recommendation": suggestion.recommendation,
        "suggestion_reasons": suggestion.reasons,
        "complete": not problems,
        "problems": problems,
        "completed_at": assessment.completed_at,
        "version": assessment.version,
    }


@router.get(
    "/{id}/assessment",
    response=responses({200: AssessmentOut}, 404),
    summary="The business-case assessment",
)
def get_assessment(request: HttpRequest, id: int) -> Any:
    """The assessment as saved so far (version 0 and no answers if none has been saved), with the
    rule-based suggestion and what is still missing."""
    partnership = _get_allowed(request, id, "partnerships.assess")
    assessment = selectors.get_assessment(partnership) or BusinessCaseAssessment(
        partnership=partnership, version=0
    )
    return _assessment_out(assessment)


@router.put(
    "/{id}/assessment",
    response=responses({200: AssessmentOut}, 404, 409),
    summary="Save the business-case assessment",
)
def save_assessment(request: HttpRequest, id: int, payload: AssessmentIn) -> Any:
    """Ratings (red, amber, green) with evidence per question and the decision-maker's recommendation,
    answered with the rule-based suggestion and what is still missing."""
    partnership = _get_allowed(request, id, "partnerships.assess")
    assessment = services.save_assessment(
        actor=staff_user(request),
        partnership=partnership,
        expected_version=payload.version,
        includes_pcc_questions=payload.includes_pcc_questions,
        answers={q: a.model_dump() for q, a in payload.answers.items()},
        recommendation=payload.recommendation,
        recommendation_reason=payload.recommendation_reason,
    )
    return _assessment_out(assessment)


# --- reviews ------------------------------------------------------------------------------------------


@limits_from(ReviewAction)
class ReviewActionIn(Schema):
    action: str = ""
    owner: str = ""
    due_on: str = Field("", description="YYYY-MM-DD, on or after the review.")


@limits_from(PartnershipReview)
class ReviewIn(Schema):
    model_config = ConfigDict(
        json_schema_extra=required_in_document("reviewed_on", "added_value", "decision", "decision_reason")
    )

    reviewed_on: str = Field("", description="YYYY-MM-DD.")
    added_value: str = Field("", description="Evidence of added value.")
    financial_costs: str | int | None = Field(None, description='Pounds and pence a year, e.g. "1200.00".')
    opportunity_costs: str = ""
    benefits_realised: str = ""
    decision: str = Field("", json_schema_extra={"enum": list(ReviewDecision.values)})
    decision_reason: str = ""
    actions: list[ReviewActionIn] = Field(default_factory=list, description="Follow-up actions.")


class ReviewActionOut(Schema):
    action: str
    owner: str
    due_on: date
    done: bool


class ReviewOut(Schema):
    id: int
    partnership_id: int
    partnership_status: str = Field(alias="partnership.status")
    reviewed_on: date
    added_value: str
    financial_costs: Decimal | None
    opportunity_costs: str
    benefits_realised: str
    decision: str
    decision_reason: str
    actions: list[ReviewActionOut]


@router.post(
    "/{id}/reviews",
    response=responses({201: ReviewOut}, 404, 409),
    summary="Complete a review",
)
def complete_review(request: HttpRequest, id: int, payload: ReviewIn) -> Any:
    """Record the review of a partnership under review and carry out its decision (continue, revise or
    terminate), all or nothing. Only roles that may conclude reviews; 404 for others."""
    partnership = _get_allowed(request, id, "partnerships.review")
    review = services.complete_review(
        actor=staff_user(request),
        partnership=partnership,
        data=payload.model_dump(exclude={"actions"}),
        actions=[action.model_dump() for action in payload.actions],
    )
    return Status(201, review)
