"""The partnerships app's lists declared once (core/lists, ADR 0024): Police and Crime Plans."""

from __future__ import annotations

import django_filters
from django.urls import reverse
from django.utils import dateformat

from joinedup.core.lists import Column, ListDeclaration, area_columns, register
from joinedup.core.permissions import has_permission

from . import selectors
from .models import Plan


class PlanFilter(django_filters.FilterSet):
    title = django_filters.CharFilter(lookup_expr="icontains", label="Plan title")
    pcc_name = django_filters.CharFilter(lookup_expr="icontains", label="Police and Crime Commissioner")

    class Meta:
        model = Plan
        fields = ["title", "pcc_name"]


def _period(plan: Plan) -> str:
    return f"{dateformat.format(plan.period_start, 'j M Y')} to {dateformat.format(plan.period_end, 'j M Y')}"


PLANS = register(
    ListDeclaration(
        name="partnerships-plans",
        title="Police and Crime Plans",
        rows=lambda request: selectors.list_plans(user=request.user),
        permission="partnerships.view",
        object_type="partnerships.plan",
        noun=("plan", "plans"),
        filterset=PlanFilter,
        export_name="police-and-crime-plans",
        template="partnerships/plan_list.html",
        caption="Police and Crime Plans, newest first",
        empty="No Police and Crime Plans recorded.",
        context=lambda request: {"can_create": has_permission(request.user, "partnerships.change")},
        columns=(
            Column(
                "title",
                "Plan",
                "title",
                sort="title",
                link=lambda p: reverse("partnerships:plan-detail", args=[p.pk]),
            ),
            Column("pcc", "Police and Crime Commissioner", "pcc_name", sort="pcc_name"),
            *area_columns("force_area", "Force area"),
            Column("period", "Period", _period, sort="period_start", export=False),
            Column("starts", "Starts", "period_start", kind="date", table=False),
            Column("ends", "Ends", "period_end", kind="date", table=False),
            Column("priorities", "Priorities", "priority_count", sort="priority_count", kind="number"),
        ),
    )
)
