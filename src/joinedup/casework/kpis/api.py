"""API for the casework KPIs (counts only, depersonalised). No `from __future__ import annotations` (see
core/api.py)."""

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from joinedup.core.api_schemas import responses
from joinedup.core.views.base import api_require

from . import selectors

router = Router(tags=["casework"])


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
    figures = selectors.kpis(user=request.user, csp_code=csp, months=min(max(months, 1), 36))
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
