"""The list of cases with a Risk Assessment Matrix assessment or review due, declared once (core/lists, ADR
0024), read through casework's restricted selector (the sharing rule, ADR 0012). It names no one: a case
by its reference."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString

from joinedup.core.lists import Column, ListDeclaration, area_column, register

from ..lists import csp_of_area
from ..models import Case, RiskLevel
from .selectors import assessment_due_state, cases_due_assessment, overdue_assessments

OVERDUE, DUE = "overdue", "due"


class RiskDueFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(
        choices=[(OVERDUE, "Overdue"), (DUE, "Due, not late yet")],
        empty_label="Due or overdue",
        method="by_state",
        label="State",
    )
    risk = django_filters.ChoiceFilter(
        field_name="risk_level", choices=RiskLevel.choices, empty_label="Any risk", label="Risk level"
    )
    csp = csp_of_area()

    class Meta:
        model = Case
        fields = ["state", "risk", "csp"]

    def by_state(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        if value == OVERDUE:
            return overdue_assessments(queryset)
        return queryset.filter(risk_assessment_due_at__gte=timezone.now())


def _rows(request: HttpRequest) -> QuerySet[Case]:
    return cases_due_assessment(user=request.user)


def _state(case: Case) -> str:
    return "Overdue" if assessment_due_state(case) == OVERDUE else "Due"


def _due_html(case: Case) -> SafeString:
    due = dateformat.format(timezone.localtime(case.risk_assessment_due_at), "j M Y H:i")
    if assessment_due_state(case) == OVERDUE:
        return format_html('{} <strong class="govuk-tag govuk-tag--red">Overdue</strong>', due)
    return format_html("{}", due)


def _context(request: HttpRequest) -> dict[str, Any]:
    return {"overdue": overdue_assessments(_rows(request)).count()}


RISK_DUE = register(
    ListDeclaration(
        name="casework-risk-due",
        title="Risk assessments due",
        rows=_rows,
        permission="casework.cases.view",
        object_type="casework.case",
        noun=("case due", "cases due"),
        count_in_bold=True,
        filterset=RiskDueFilter,
        default_sort="due",
        export_name="risk-assessments-due",
        template="casework/risk_due.html",
        caption="Cases with a risk assessment due",
        empty="No risk assessments are due.",
        context=_context,
        columns=(
            Column(
                "reference",
                "Case",
                "reference",
                sort="id",
                kind="code",
                link=lambda case: reverse("casework:case-detail", args=[case.pk]),
            ),
            area_column("area", "Area"),
            Column(
                "lead", "Lead agency", "lead_organisation.name", sort="lead_organisation__name", table=False
            ),
            Column("risk", "Risk level", "get_risk_level_display", sort="risk_level"),
            Column(
                "due",
                "Due",
                "risk_assessment_due_at",
                sort="risk_assessment_due_at",
                kind="date",
                date_format="j M Y H:i",
                html=_due_html,
            ),
            Column("state", "State", _state, table=False),
        ),
    )
)
