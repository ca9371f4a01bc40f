"""API for the Risk Assessment Matrix, risk assessments and Joint Problem Solving plans: a router of its own,
mounted by api/api.py after casework's, so neither module imports the other.
No `from __future__ import annotations` (see core/api.py)."""

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status

from joinedup.core.api_schemas import limits_from, responses
from joinedup.core.views.base import api_require

from ..models import CaseAction, PlanReview, ProblemSolvingPlan, RiskAssessment
from ..selectors import get_case
from . import selectors, services

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
        **services.matrix_values(services.matrix_settings()),
        "questions": services.questionnaire(),
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
    case = get_case(user=request.user, pk=id, request=request)
    return list(case.risk_assessments.select_related("organisation"))


@router.post(
    "/cases/{id}/risk-assessments",
    response=responses({201: RiskAssessmentOut}, 404),
    summary="Complete a Risk Assessment Matrix",
)
def create_risk_assessment(request: HttpRequest, id: int, payload: RiskAssessmentIn) -> Any:
    """Scores the answers, sets the case's risk level and next review, and raises a plan when high.
    A missing or unknown answer is a 422 listing every problem."""
    case = get_case(user=request.user, pk=id, request=request, action="casework.cases.work", audit=False)
    return Status(
        201, services.record_risk_assessment(actor=request.user, case=case, data=payload.model_dump())
    )


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
    return selectors.get_plan(user=request.user, case_pk=id, request=request)


@limits_from(ProblemSolvingPlan)
class PlanIn(Schema):
    objective: str


@router.post(
    "/cases/{id}/plan", response=responses({201: PlanOut}, 404), summary="Raise a Joint Problem Solving plan"
)
def create_plan(request: HttpRequest, id: int, payload: PlanIn) -> Any:
    """Only for a high-risk case (422 otherwise); a high risk assessment raises one by itself."""
    case = get_case(user=request.user, pk=id, request=request, action="casework.cases.work", audit=False)
    return Status(201, services.create_plan(actor=request.user, case=case, data=payload.model_dump()))


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
    plan = selectors.get_plan(user=request.user, case_pk=id, request=request, audit=False)
    return Status(201, services.add_plan_action(actor=request.user, plan=plan, data=payload.model_dump()))


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
    plan = selectors.get_plan(user=request.user, case_pk=id, request=request, audit=False)
    return Status(201, services.record_plan_review(actor=request.user, plan=plan, data=payload.model_dump()))


# --- ASB case reviews --------------------------------------------------------------------------------
