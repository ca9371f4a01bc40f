"""Every write to domestic homicide reviews and their recommendations."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction

from joinedup.core.models import Area, User
from joinedup.core.services.validation import Errors, add_error

from ..models import (
    CommissionDecision,
    DhrRecommendation,
    DomesticHomicideReview,
    RecommendationStatus,
)
from ..services import csp_writes

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

# The stages' dates, in the order a review reaches them.
DHR_DATE_ORDER = tuple(name for name in DHR_FIELDS if name.endswith("_on"))


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


_DHR = csp_writes("csp.dhr.change", DHR_FIELDS, _check_dhr)


@transaction.atomic
def create_dhr(*, actor: User, csp: Area, data: dict[str, Any]) -> DomesticHomicideReview:
    return _DHR.save(actor, csp, DomesticHomicideReview(csp=csp), data)


@transaction.atomic
def update_dhr(
    *, actor: User, review: DomesticHomicideReview, expected_version: int, data: dict[str, Any]
) -> DomesticHomicideReview:
    return _DHR.save(actor, review, review, data, expected_version)


def _check_dhr_recommendation(item: DhrRecommendation, errors: Errors) -> None:
    if item.status == RecommendationStatus.COMPLETE and item.completed_on is None:
        add_error(errors, "completed_on", "Enter the date the recommendation was completed.")
    if item.completed_on and item.status != RecommendationStatus.COMPLETE:
        add_error(errors, "status", "A recommendation with a completion date must be complete.")


_DHR_RECOMMENDATION = csp_writes(
    "csp.dhr.change", DHR_RECOMMENDATION_FIELDS, _check_dhr_recommendation, exclude=("review",)
)


@transaction.atomic
def add_dhr_recommendation(
    *, actor: User, review: DomesticHomicideReview, data: dict[str, Any]
) -> DhrRecommendation:
    return _DHR_RECOMMENDATION.save(actor, review, DhrRecommendation(review=review), data)


@transaction.atomic
def update_dhr_recommendation(
    *, actor: User, item: DhrRecommendation, expected_version: int, data: dict[str, Any]
) -> DhrRecommendation:
    return _DHR_RECOMMENDATION.save(actor, item.review, item, data, expected_version)
