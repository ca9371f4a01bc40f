"""API for risk assessments, Joint Problem Solving plans, ASB case reviews and KPIs: a router of its own,
mounted by api/api.py straight after casework's, so neither module imports the other.
No `from __future__ import annotations` (see core/api.py)."""

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.responses import Status

from joinedup.core.api_schemas import limits_from, responses
from joinedup.core.views.base import api_refusal, api_require

from . import kpis, plans, reviews, risk, selectors
from .models import CaseAction, CaseReviewRequest, PlanReview, ProblemSolvingPlan, RiskAssessment

router = Router(tags=["casework"])


class OptionOut(Schema):
    id: int
    text: str
    score: int


class QuestionOut(Schema):
    id: int
    text: str
    help_text: str
    options: list[OptionOut]


class RiskMatrixOut(Schema):
    medium_threshold: int
    high_threshold: int
    high_review_days: int
    medium_review_days: int
    standard_review_days: int | None
    questions: list[QuestionOut]


@router.get(
    "/risk-matrix", response=responses({200: RiskMatrixOut}, 404), summary="The Risk Assessment Matrix"
)
def risk_matrix(request: HttpRequest) -> Any:
    """The questions with their answers' scores, the thresholds and the review cadence by risk level."""
    api_require(request, "casework.cases.view")
    return {
        **risk.matrix_values(risk.matrix_settings()),
        "questions": risk.questionnaire(),
    }


class AnswerOut(Schema):
    question: int
    question_text: str
    option: int
    option_text: str
    score: int


class RiskAssessmentOut(Schema):
    id: int
    case_id: int
    assessed_at: datetime
    organisation: str = Field(alias="organisation.name")
    score: int
    risk_level: str
    next_review_due: date | None
    notes: str
    answers: list[AnswerOut]


@limits_from(RiskAssessment)
class RiskAssessmentIn(Schema):
    answers: dict[str, int] = Field(description="Question id → answer option id, for every active question.")
    notes: str = ""


@router.get(
    "/cases/{id}/risk-assessments",
    response=responses({200: list[RiskAssessmentOut]}, 404),
    summary="A case's risk assessments (audited)",
)
def list_risk_assessments(request: HttpRequest, id: int) -> Any:
    case = selectors.get_case(user=request.user, pk=id, request=request)
    return list(case.risk_assessments.select_related("organisation"))


@router.post(
    "/cases/{id}/risk-assessments",
    response=responses({201: RiskAssessmentOut}, 404),
    summary="Complete a Risk Assessment Matrix",
)
def create_risk_assessment(request: HttpRequest, id: int, payload: RiskAssessmentIn) -> Any:
    """Scores the answers, sets the case's risk level and next review, and raises a plan when high.
    A missing or unknown answer is a 422 listing every problem."""
    case = selectors.get_case(
        user=request.user, pk=id, request=request, action="casework.cases.work", audit=False
    )
    return Status(201, risk.record_risk_assessment(actor=request.user, case=case, data=payload.model_dump()))


class PlanActionOut(Schema):
    id: int
    action_type: str
    owner_organisation: str = Field(alias="owner_organisation.name")
    officer: str | None
    due_date: date
    status: str
    version: int

    @staticmethod
    def resolve_officer(obj: CaseAction) -> str | None:
        return obj.officer.full_name if obj.officer else None


class PlanReviewOut(Schema):
    held_on: date
    attendees: str
    notes: str
    next_review: date


class PlanOut(Schema):
    case_id: int
    objective: str
    status: str
    rag: str = Field(description="red until every action is complete and the informant updated, then green")
    raised_at: datetime
    next_review_due: date
    review_overdue: bool
    actions: list[PlanActionOut]
    reviews: list[PlanReviewOut]

    @staticmethod
    def resolve_rag(obj: ProblemSolvingPlan) -> str:
        return "green" if obj.case.plan_status() == "green" else "red"

    @staticmethod
    def resolve_actions(obj: ProblemSolvingPlan) -> list[Any]:
        return list(obj.case.actions.all())


@router.get(
    "/cases/{id}/plan", response=responses({200: PlanOut}, 404), summary="A case's Joint Problem Solving plan"
)
def get_plan(request: HttpRequest, id: int) -> Any:
    return plans.get_plan(user=request.user, case_pk=id, request=request)


@limits_from(ProblemSolvingPlan)
class PlanIn(Schema):
    objective: str


@router.post(
    "/cases/{id}/plan", response=responses({201: PlanOut}, 404), summary="Raise a Joint Problem Solving plan"
)
def create_plan(request: HttpRequest, id: int, payload: PlanIn) -> Any:
    """Only for a high-risk case (422 otherwise); a high risk assessment raises one by itself."""
    case = selectors.get_case(
        user=request.user, pk=id, request=request, action="casework.cases.work", audit=False
    )
    return Status(201, plans.create_plan(actor=request.user, case=case, data=payload.model_dump()))


@limits_from(CaseAction)
class PlanActionIn(Schema):
    owner_organisation: int
    officer: int | None = Field(None, description="A user who works for the owning organisation.")
    action_type: str
    description: str = ""
    due_date: date


@router.post(
    "/cases/{id}/plan/actions",
    response=responses({201: PlanActionOut}, 404),
    summary="Add an agency's action to a plan",
)
def create_plan_action(request: HttpRequest, id: int, payload: PlanActionIn) -> Any:
    plan = plans.get_plan(user=request.user, case_pk=id, request=request, audit=False)
    return Status(201, plans.add_plan_action(actor=request.user, plan=plan, data=payload.model_dump()))


@limits_from(PlanReview)
class PlanReviewIn(Schema):
    held_on: str = Field("", description="YYYY-MM-DD; empty for today")
    attendees: str
    notes: str
    next_review: str = Field("", description="YYYY-MM-DD; empty for a month on")
    close_plan: bool = False


@router.post(
    "/cases/{id}/plan/reviews", response=responses({201: PlanReviewOut}, 404), summary="Record a plan review"
)
def create_plan_review(request: HttpRequest, id: int, payload: PlanReviewIn) -> Any:
    plan = plans.get_plan(user=request.user, case_pk=id, request=request, audit=False)
    return Status(201, plans.record_plan_review(actor=request.user, plan=plan, data=payload.model_dump()))


# --- ASB case reviews --------------------------------------------------------------------------------


class ReviewSummaryOut(Schema):
    id: int
    reference: str
    received_on: date
    receiving_organisation: str = Field(alias="receiving_organisation.name")
    area: str = Field(alias="area.code")
    status: str
    version: int


class ThresholdIncidentOut(Schema):
    incident: str
    agency: str
    happened_on: date
    happened_known: bool
    reported_on: date
    counts: bool
    reason: str


class ThresholdOut(Schema):
    met: bool
    counted: int
    required: int
    summary: str
    incidents: list[ThresholdIncidentOut]


class TimelineStepOut(Schema):
    name: str
    due: date
    done_on: date | None
    state: str


class ReviewOut(ReviewSummaryOut):
    applicant_name: str = Field(alias="applicant.full_name")
    summary: str
    threshold_met: bool | None
    threshold_reason: str
    acknowledged_on: date | None
    decided_on: date | None
    meeting_on: date | None
    outcome_sent_on: date | None
    appeal_received_on: date | None
    appeal_outcome: str
    threshold_check: ThresholdOut
    timeline: list[TimelineStepOut]
    recommendations: list[str]

    @staticmethod
    def resolve_threshold_check(obj: CaseReviewRequest) -> dict[str, Any]:
        check = reviews.check_threshold(obj)
        return {
            "met": check.met,
            "counted": check.counted,
            "required": check.required,
            "summary": check.summary,
            "incidents": [
                {
                    "incident": row.incident.reference,
                    "agency": row.incident.reporting_organisation.name,
                    "happened_on": row.happened_on,
                    "happened_known": row.happened_known,
                    "reported_on": row.incident.received_at.date(),
                    "counts": row.counts,
                    "reason": row.reason,
                }
                for row in check.incidents
            ],
        }

    @staticmethod
    def resolve_timeline(obj: CaseReviewRequest) -> list[dict[str, Any]]:
        return [
            {"name": s.name, "due": s.due, "done_on": s.done_on, "state": s.state}
            for s in reviews.timeline(obj)
        ]

    @staticmethod
    def resolve_recommendations(obj: CaseReviewRequest) -> list[str]:
        return [f"{r.text} ({r.organisation.name})" for r in obj.recommendations.all()]


@router.get(
    "/case-reviews", response=responses({200: list[ReviewSummaryOut]}, 404), summary="List ASB case reviews"
)
@paginate(LimitOffsetPagination)
def list_case_reviews(request: HttpRequest, status: str | None = None) -> Any:
    """The requests you may read; no applicant names in the list."""
    api_require(request, "casework.reviews.view")
    return reviews.list_reviews(user=request.user, status=status)


@router.get(
    "/case-reviews/{id}", response=responses({200: ReviewOut}, 404), summary="One ASB case review (audited)"
)
def get_case_review(request: HttpRequest, id: int) -> Any:
    return reviews.get_review(user=request.user, pk=id, request=request)


@limits_from(CaseReviewRequest)
class ReviewIn(Schema):
    received_on: str = Field(description="YYYY-MM-DD")
    area: str = Field(description="ONS code of the LSOA or district")
    applicant_name: str
    applicant_date_of_birth: str = ""
    applicant_phone: str = ""
    applicant_email: str = ""
    applicant_address: str = ""
    on_behalf_of_victim: bool = False
    summary: str
    cases: list[int] = Field(default_factory=list)


@router.post(
    "/case-reviews", response=responses({201: ReviewOut}, 403), summary="Record an ASB case review request"
)
def create_case_review(request: HttpRequest, payload: ReviewIn) -> Any:
    """Received by the token holder's organisation; the answer includes the threshold check."""
    api_require(request, "casework.reviews.manage")
    return Status(201, reviews.record_request(actor=request.user, data=payload.model_dump()))


# --- KPIs --------------------------------------------------------------------------------------------


class MonthOut(Schema):
    month: date
    incidents: int
    repeat_victim: int
    repeat_location: int
    vulnerable: int


class KpiOut(Schema):
    since: date
    incidents: int
    actioned_within_48h_percent: float | None
    actioned_within_48h: int
    reports_at_least_48h_old: int
    feedback_percent: float | None
    cases_with_feedback: int
    cases_with_an_informant_to_update: int
    open_high_risk: int
    overdue_risk_assessments: int
    open_plans: int
    monthly: list[MonthOut]


@router.get(
    "/casework/kpis", response=responses({200: KpiOut}, 404), summary="Casework KPIs (depersonalised)"
)
def get_kpis(request: HttpRequest, csp: str | None = None, months: int = 12) -> Any:
    """Counts only, over every agency's records, for one CSP (ONS code) or all."""
    api_require(request, "casework.statistics")
    figures = kpis.kpis(user=request.user, csp_code=csp, months=min(max(months, 1), 36))
    return {
        "since": figures["since"],
        "incidents": figures["incidents"],
        "actioned_within_48h_percent": figures["actioned"]["percent"],
        "actioned_within_48h": figures["actioned"]["actioned"],
        "reports_at_least_48h_old": figures["actioned"]["eligible"],
        "feedback_percent": figures["feedback"]["percent"],
        "cases_with_feedback": figures["feedback"]["with_feedback"],
        "cases_with_an_informant_to_update": figures["feedback"]["cases"],
        "open_high_risk": figures["open_high_risk"],
        "overdue_risk_assessments": figures["overdue_assessments"],
        "open_plans": figures["open_plans"],
        "monthly": figures["monthly"],
    }


SMALL = "A count, or the words that replace it under disclosure control: 'fewer than 3' or 'not shown'."


class PublicYearOut(Schema):
    """One year's published counts. Counts of 1 or 2 are replaced by "fewer than 3", and a count that would
    let a hidden one be worked out by "not shown" (ADR 0013)."""

    year: int
    label: str
    applications: int | str = Field(description=SMALL)
    threshold_met: int | str = Field(description=SMALL)
    threshold_not_met: int | str = Field(description=SMALL)
    undecided: int | str = Field(description=SMALL)
    reviews_held: int | str = Field(description=SMALL)
    with_recommendations: int | str = Field(description=SMALL)
    recommendations: int | str = Field(description=SMALL)
    appeals: int | str = Field(description=SMALL)


@router.get(
    "/case-reviews-statistics",
    response=responses({200: list[PublicYearOut]}),
    auth=None,
    summary="ASB case review statistics by year (public)",
)
def case_review_statistics(request: HttpRequest) -> Any:
    """The published annual counts: no personal data, small counts suppressed (ADR 0013)."""
    return reviews.published_statistics()


@limits_from(CaseReviewRequest)
class ReviewStepIn(Schema):
    """The fields of the step: acknowledge (acknowledged_on); decide (threshold_met, threshold_reason,
    decided_on); meeting (meeting_on, meeting_attendees, meeting_notes); outcome (outcome_sent_on); appeal
    (appeal_received_on, appeal_grounds, appeal_outcome, appeal_decided_on). Dates are YYYY-MM-DD."""

    version: int = Field(description="The version you read; a stale one is refused with 409.")
    acknowledged_on: str | None = None
    threshold_met: bool | None = None
    threshold_reason: str | None = None
    decided_on: str | None = None
    meeting_on: str | None = None
    meeting_attendees: str | None = None
    meeting_notes: str | None = None
    outcome_sent_on: str | None = None
    appeal_received_on: str | None = None
    appeal_grounds: str | None = None
    appeal_outcome: str | None = None
    appeal_decided_on: str | None = None


@router.post(
    "/case-reviews/{id}/steps/{step}",
    response=responses({200: ReviewOut}, 404, 409),
    summary="Take a step of an ASB case review",
)
def take_case_review_step(request: HttpRequest, id: int, step: str, payload: ReviewStepIn) -> Any:
    """`step` is acknowledge, decide, meeting, outcome or appeal (the OPCC may record an appeal's decision).
    Every problem with the fields comes back at once (422)."""
    review = reviews.get_review(user=request.user, pk=id, request=request, audit=False)
    if step not in reviews.STEPS:
        raise api_refusal(request, "casework.reviews.manage", obj=review)
    data = payload.model_dump(exclude={"version"}, exclude_none=True)
    if "threshold_met" not in data and step == "decide":
        data["threshold_met"] = ""
    return reviews.record_step(
        actor=request.user, review=review, step=step, expected_version=payload.version, data=data
    )
