"""The risk and plan panel on the case page, so the case view itself needs no change."""

from __future__ import annotations

from typing import Any

from django import template

from joinedup.core.permissions import has_permission

from ..models import Case, ProblemSolvingPlan, RiskLevel
from ..risk.selectors import assessment_due_state

register = template.Library()


@register.inclusion_tag("casework/_risk_and_plan.html", takes_context=True)
def risk_and_plan(context: template.Context, case: Case) -> dict[str, Any]:
    user = context["request"].user
    return {
        "case": case,
        "assessments": list(case.risk_assessments.select_related("assessed_by", "organisation")),
        "due_state": assessment_due_state(case),
        "plan": ProblemSolvingPlan.objects.filter(case=case).first(),
        "is_high": case.risk_level == RiskLevel.HIGH,
        "can_work": has_permission(user, "casework.cases.work", case),
    }
