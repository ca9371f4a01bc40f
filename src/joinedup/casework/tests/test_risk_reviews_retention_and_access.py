"""Retention and subject access cover risk assessments, plans and ASB case reviews (added in the merge of
casework-a and casework-b)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from joinedup.casework.models import Case, PlanReview, ProblemSolvingPlan, RiskAssessment
from joinedup.casework.retention.services import REMOVED, anonymise_closed_cases, retention_days
from joinedup.casework.reviews import services as reviews
from joinedup.casework.risk import services as risk
from joinedup.casework.risk.services import record_plan_review
from joinedup.casework.subject_access.selectors import subject_access_report
from joinedup.core.roles import Role
from joinedup.core.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _high(case, user):
    answers = {}
    for question in risk.questionnaire():
        options = sorted(question.options.all(), key=lambda o: o.score)
        answers[str(question.pk)] = str(options[-1].pk)
    return risk.record_risk_assessment(
        actor=user, case=case, data={"answers": answers, "notes": "Pat is scared."}
    )


def test_retention_scrubs_plans_and_notes_and_keeps_a_case_review_applicant(world, case):
    police = world["users"]["police"]
    _high(case, police)
    plan = ProblemSolvingPlan.objects.get(case=case)
    record_plan_review(
        actor=police, plan=plan, data={"attendees": "PC Lee", "notes": "Pat moved in with family."}
    )
    reviews.record_request(
        actor=world["users"]["council"],
        data={
            "received_on": date.today().isoformat(),
            "area": "E01900001",
            "applicant_name": "Pat Resident",
            "applicant_date_of_birth": "1950-02-03",
            "applicant_phone": "07700 900123",
            "summary": "Nothing was done.",
        },
    )
    Case.objects.filter(pk=case.pk).update(
        status="closed", closed_at=timezone.now() - timedelta(days=retention_days() + 1)
    )
    result = anonymise_closed_cases()
    assert result.cases == 1
    assert RiskAssessment.objects.get(case=case).notes == ""
    assert ProblemSolvingPlan.objects.get(case=case).objective == REMOVED
    assert PlanReview.objects.get(plan=plan).notes == REMOVED
    assert not RiskAssessment.history.filter(notes="Pat is scared.").exists()


def test_subject_access_includes_risk_assessments_and_case_reviews(world, case):
    _high(case, world["users"]["police"])
    review = reviews.record_request(
        actor=world["users"]["council"],
        data={
            "received_on": date.today().isoformat(),
            "area": "E01900001",
            "applicant_name": "Pat Resident",
            "applicant_date_of_birth": "1950-02-03",
            "applicant_phone": "07700 900123",
            "summary": "Nothing was done.",
        },
    )
    admin = UserFactory(role=Role.OPCC_ADMIN, email="dpo@example.org")
    report = subject_access_report(user=admin, person_ids=[review.applicant_id], fmt="json")
    assert report["risk_assessments"][0]["risk_level"] == "High"
    assert report["risk_assessments"][0]["notes"] == "Pat is scared."
    assert report["case_reviews"][0]["reference"] == review.reference
