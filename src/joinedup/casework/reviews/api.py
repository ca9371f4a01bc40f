"""API for ASB case reviews (the community trigger) and their published statistics. No
`from __future__ import annotations` (see core/api.py)."""

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status

from joinedup.core.api_schemas import limits_from, list_operation, responses
from joinedup.core.views.base import api_refusal, api_require

from ..models import CaseReviewRequest
from ..selectors import list_reviews
from . import selectors, services

router = Router(tags=["casework"])


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
        check = selectors.check_threshold(obj)
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
            for s in selectors.timeline(obj)
        ]

    @staticmethod
    def resolve_recommendations(obj: CaseReviewRequest) -> list[str]:
        return [f"{r.text} ({r.organisation.name})" for r in obj.recommendations.all()]


@list_operation(
    router,
    "/case-reviews",
    ReviewSummaryOut,
    summary="List ASB case reviews",
    permission="casework.reviews.view",
)
def list_case_reviews(request: HttpRequest, status: str | None = None) -> Any:
    """The requests you may read; no applicant names in the list."""
    return list_reviews(user=request.user, status=status)


@router.get(
    "/case-reviews/{id}", response=responses({200: ReviewOut}, 404), summary="One ASB case review (audited)"
)
def get_case_review(request: HttpRequest, id: int) -> Any:
    return selectors.get_review(user=request.user, pk=id, request=request)


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
    return Status(201, services.record_request(actor=request.user, data=payload.model_dump()))


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
    return selectors.published_statistics()


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
    review = selectors.get_review(user=request.user, pk=id, request=request, audit=False)
    if step not in services.STEPS:
        raise api_refusal(request, "casework.reviews.manage", obj=review)
    data = payload.model_dump(exclude={"version"}, exclude_none=True)
    if "threshold_met" not in data and step == "decide":
        data["threshold_met"] = ""
    return services.record_step(
        actor=request.user, review=review, step=step, expected_version=payload.version, data=data
    )
