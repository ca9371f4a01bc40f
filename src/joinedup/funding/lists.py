"""The funding app's lists, each declared once (core/lists, ADR 0024): funds, joint commissioning boards
and frameworks."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from joinedup.core.lists import Column, ListDeclaration, register
from joinedup.core.permissions import has_permission

from . import commissioning_selectors, selectors
from .models import CommissioningBoard, DistributionModel, Framework, Fund, FundSource


def _can_manage(request: HttpRequest) -> dict[str, Any]:
    return {"can_manage": has_permission(request.user, "funding.manage")}


class FundFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(lookup_expr="icontains", label="Fund name")
    source = django_filters.ChoiceFilter(choices=FundSource.choices, empty_label="Any source")
    distribution_model = django_filters.ChoiceFilter(
        choices=DistributionModel.choices, label="Distributed by", empty_label="Any way"
    )

    class Meta:
        model = Fund
        fields = ["name", "source", "distribution_model"]


def _budgets_html(fund: Fund) -> SafeString:
    budgets = list(fund.budgets.all())
    if not budgets:
        return format_html("{}", "None set")
    return format_html_join(
        mark_safe("<br>"),
        "{}: £{}",
        ((b.year_label, f"{b.amount:,.2f}") for b in budgets),
    )


FUNDS = register(
    ListDeclaration(
        name="funding-funds",
        title="Funds",
        rows=lambda request: selectors.list_funds(user=request.user),
        permission="funding.view",
        object_type="funding.fund",
        noun=("fund", "funds"),
        filterset=FundFilter,
        export_name="funds",
        template="funding/fund_list.html",
        empty="No funds have been set up yet.",
        context=_can_manage,
        columns=(
            Column(
                "name",
                "Fund",
                "name",
                sort="name",
                link=lambda f: reverse("funding:fund-detail", args=[f.pk]),
            ),
            Column("source", "Source", "get_source_display", sort="source"),
            Column(
                "distribution", "Distributed by", "get_distribution_model_display", sort="distribution_model"
            ),
            Column(
                "budgets",
                "Budgets",
                lambda f: "; ".join(f"{b.year_label}: {b.amount:.2f}" for b in f.budgets.all()),
                html=_budgets_html,
            ),
            Column("force_area", "Force area", "force_area.name", table=False),
            Column("max_award", "Maximum award", "max_award", kind="money", table=False),
        ),
    )
)


class NameFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(lookup_expr="icontains", label="Name")

    class Meta:
        model = CommissioningBoard
        fields = ["name"]


BOARDS = register(
    ListDeclaration(
        name="funding-boards",
        title="Joint commissioning boards",
        rows=lambda request: commissioning_selectors.list_boards(user=request.user),
        permission="funding.view",
        object_type="funding.commissioningboard",
        noun=("board", "boards"),
        filterset=NameFilter,
        export_name="commissioning-boards",
        template="funding/board_list.html",
        empty="No boards have been set up yet.",
        context=_can_manage,
        columns=(
            Column(
                "name",
                "Board",
                "name",
                sort="name",
                link=lambda b: reverse("funding:board-detail", args=[b.pk]),
            ),
            Column("members", "Members", "member_count", sort="member_count", kind="number"),
            Column("pooled", "Pooled, all years", lambda b: b.pooled or 0, sort="pooled", kind="money"),
        ),
    )
)


class FrameworkFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Reference or name")

    class Meta:
        model = Framework
        fields = ["q"]

    def search(self, queryset: Any, name: str, value: str) -> Any:
        return queryset.filter(Q(reference__icontains=value) | Q(name__icontains=value))


FRAMEWORKS = register(
    ListDeclaration(
        name="funding-frameworks",
        title="Frameworks",
        heading="Frameworks and call-offs",
        rows=lambda request: commissioning_selectors.list_frameworks(user=request.user),
        permission="funding.view",
        object_type="funding.framework",
        noun=("framework", "frameworks"),
        filterset=FrameworkFilter,
        export_name="frameworks",
        template="funding/framework_list.html",
        default_sort="name",
        empty="No frameworks have been recorded yet.",
        context=_can_manage,
        columns=(
            Column("reference", "Reference", "reference", sort="reference", kind="code", table=False),
            Column(
                "name",
                "Framework",
                lambda f: f"{f.reference}: {f.name}",
                sort="name",
                link=lambda f: reverse("funding:framework-detail", args=[f.pk]),
                export=False,
            ),
            Column("framework_name", "Name", "name", table=False),
            Column("lead", "Lead", "lead.name", sort="lead__name"),
            Column("starts", "Starts", "starts_on", kind="date", table=False),
            Column("ends", "Ends", "ends_on", kind="date", table=False),
            Column("lots", "Lots", "lot_count", sort="lot_count", kind="number"),
            Column("call_offs", "Call-offs", "call_off_count", sort="call_off_count", kind="number"),
            Column("called_off", "Called off", lambda f: f.called_off or 0, sort="called_off", kind="money"),
        ),
    )
)
