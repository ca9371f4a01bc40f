"""Reads of the Risk Assessment Matrix's records: assessments due, one assessment (audited: it holds health
data), and a case's Joint Problem Solving plan."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from joinedup.core.audit import record_event
from joinedup.core.models import EventType
from joinedup.core.permissions import restrict

from ..models import (
    Case,
    CaseStatus,
    ProblemSolvingPlan,
    RiskAssessment,
)
from ..selectors import get_case


def assessment_due_state(case: Case, now: datetime | None = None) -> str:
    """ "overdue", "due" (assessment or review outstanding, not late yet) or "" (nothing due)."""
    if case.status != CaseStatus.OPEN or case.risk_assessment_due_at is None:
        return ""
    now = now or timezone.now()
    return "overdue" if case.risk_assessment_due_at < now else "due"


def cases_due_assessment(*, user: Any, now: datetime | None = None) -> QuerySet[Case]:
    """Open cases the user may see with a risk assessment or review due, the most overdue first."""
    now = now or timezone.now()
    cases = restrict(Case.objects.select_related("area", "lead_organisation"), user, "casework.cases.view")
    return cases.filter(status=CaseStatus.OPEN, risk_assessment_due_at__isnull=False).order_by(
        "risk_assessment_due_at", "pk"
    )


def overdue_assessments(cases: QuerySet[Case], now: datetime | None = None) -> QuerySet[Case]:
    now = now or timezone.now()
    return cases.filter(Q(status=CaseStatus.OPEN), Q(risk_assessment_due_at__lt=now))


def get_assessment(*, user: Any, pk: int, request: Any = None) -> RiskAssessment:
    """One assessment on a case the user may see (audited: it holds health data), or Http404."""
    try:
        assessment = restrict(
            RiskAssessment.objects.select_related("case", "assessed_by", "organisation"),
            user,
            "casework.risk.view",
        ).get(pk=pk)
    except RiskAssessment.DoesNotExist:
        record_event(
            EventType.PERMISSION_DENIED,
            actor=user,
            request=request,
            object_type="casework.riskassessment",
            object_id=pk,
            detail={"action": "casework.risk.view"},
        )
        raise Http404("Not found") from None
    record_event(
        EventType.PERSONAL_RECORD_VIEWED,
        actor=user,
        request=request,
        obj=assessment,
        detail={"case": assessment.case_id},
    )
    return assessment


def get_plan(*, user: Any, case_pk: int, request: Any = None, audit: bool = True) -> ProblemSolvingPlan:
    """The plan of a case the user may see, or Http404 (the case's view is audited by `get_case`)."""
    case = get_case(user=user, pk=case_pk, request=request, audit=audit)
    plan = ProblemSolvingPlan.objects.filter(case=case).prefetch_related("reviews__recorded_by").first()
    if plan is None:
        raise Http404("This case has no plan.")
    plan.case = case
    return plan
