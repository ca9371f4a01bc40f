"""The funding app's lists, each declared once (core/lists, ADR 0024): funds, awards, contracts, joint
commissioning boards, frameworks, suppliers, the applications a panel member scores and the public list of
grants awarded."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.http import HttpRequest
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy, ngettext

from joinedup.core.lists import CheckboxFilter, Column, ListDeclaration, register
from joinedup.core.models import Organisation
from joinedup.core.views.base import staff_user

from . import opendata, selectors
from .commissioning import selectors as commissioning_selectors
from .models import (
    Application,
    Award,
    CommissioningBoard,
    Contract,
    DistributionModel,
    Framework,
    Fund,
    FundSource,
    MonitoringReturn,
    Score,
)


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
        rows=lambda request: selectors.list_funds(user=staff_user(request)),
        permission="funding.view",
        object_type="funding.fund",
        noun=("fund", "funds"),
        filterset=FundFilter,
        export_name="funds",
        template="funding/fund_list.html",
        empty="No funds have been set up yet.",
        may={"can_manage": "funding.manage"},
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
        rows=lambda request: commissioning_selectors.list_boards(user=staff_user(request)),
        permission="funding.view",
        object_type="funding.commissioningboard",
        noun=("board", "boards"),
        filterset=NameFilter,
        export_name="commissioning-boards",
        template="funding/board_list.html",
        empty="No boards have been set up yet.",
        may={"can_manage": "funding.manage"},
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
        rows=lambda request: commissioning_selectors.list_frameworks(user=staff_user(request)),
        permission="funding.view",
        object_type="funding.framework",
        noun=("framework", "frameworks"),
        filterset=FrameworkFilter,
        export_name="frameworks",
        template="funding/framework_list.html",
        default_sort="name",
        empty="No frameworks have been recorded yet.",
        may={"can_manage": "funding.manage"},
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


# --- awards -----------------------------------------------------------------------------------------


def _funds_for(request: HttpRequest | None) -> QuerySet[Fund]:
    """The funds the signed-in person reads, by name (the choices of a fund filter)."""
    return Fund.objects.restrict(getattr(request, "user", None), "funding.view").order_by("name")


class AwardFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Recipient or project")
    fund = django_filters.ModelChoiceFilter(queryset=_funds_for, empty_label="Any fund")

    class Meta:
        model = Award
        fields = ["q", "fund"]

    def search(self, queryset: Any, name: str, value: str) -> Any:
        return queryset.filter(Q(recipient_name__icontains=value) | Q(title__icontains=value))


def _monitoring_text(award: Award) -> str:
    def one(r: MonitoringReturn) -> str:
        if r.is_overdue:
            return f"Overdue, due {r.due_on.isoformat()}"
        if r.submitted_on:
            return f"Received {r.submitted_on.isoformat()}"
        return f"Due {r.due_on.isoformat()}"

    return "; ".join(one(r) for r in award.monitoring_returns.all())


def _monitoring_html(award: Award) -> SafeString:
    def one(r: MonitoringReturn) -> SafeString:
        if r.is_overdue:
            return mark_safe('<strong class="govuk-tag govuk-tag--red">Overdue</strong>')
        if r.submitted_on:
            return mark_safe('<strong class="govuk-tag govuk-tag--green">Received</strong>')
        return format_html("Due {}", dateformat.format(r.due_on, "j M Y"))

    returns = list(award.monitoring_returns.all())
    if not returns:
        return format_html("{}", "None due")
    return format_html_join(mark_safe("<br>"), "{}", ((one(r),) for r in returns))


def _award_context(request: HttpRequest) -> dict[str, Any]:
    return {"overdue": selectors.overdue_returns(user=staff_user(request)).count()}


AWARDS = register(
    ListDeclaration(
        name="funding-awards",
        title="Awards",
        rows=lambda request: (
            selectors.list_awards(user=staff_user(request))
            .select_related("csp", "ward")
            .prefetch_related("monitoring_returns")
        ),
        permission="funding.view",
        object_type="funding.award",
        noun=("award", "awards"),
        filterset=AwardFilter,
        export_name="awards",
        template="funding/award_list.html",
        empty="No awards yet.",
        context=_award_context,
        columns=(
            Column(
                "recipient",
                "Recipient",
                "recipient_name",
                sort="recipient_name",
                link=lambda a: reverse("funding:award-detail", args=[a.pk]),
            ),
            Column("charity_number", "Charity number", "charity_number", kind="code", table=False),
            Column("company_number", "Company number", "company_number", kind="code", table=False),
            Column("title", "Project", "title", sort="title"),
            Column("fund", "Fund", "fund.name", sort="fund__name"),
            Column("csp", "CSP", "csp.name", table=False),
            Column("csp_code", "CSP code", "csp.code", kind="code", table=False),
            Column("ward", "Ward", "ward.name", table=False),
            Column("ward_code", "Ward code", "ward.code", kind="code", table=False),
            Column("awarded", "Awarded", "awarded_on", sort="awarded_on", kind="date"),
            Column("amount", "Amount", "amount", sort="amount", kind="money"),
            Column("clawed_back", "Clawed back", "clawed_back", kind="money", table=False),
            Column("monitoring", "Monitoring", _monitoring_text, html=_monitoring_html),
        ),
    )
)


# --- contracts --------------------------------------------------------------------------------------


class ContractFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Reference, service or provider")
    provider = django_filters.ModelChoiceFilter(
        queryset=Organisation.objects.order_by("name"), empty_label="Any provider"
    )
    fund = django_filters.ModelChoiceFilter(queryset=_funds_for, empty_label="Any fund")
    live = CheckboxFilter(method="running", label="Running today")

    class Meta:
        model = Contract
        fields = ["q", "provider", "fund", "live"]

    def search(self, queryset: Any, name: str, value: str) -> Any:
        value = value.strip()
        return queryset.filter(
            Q(reference__icontains=value)
            | Q(title__icontains=value)
            | Q(provider__name__icontains=value)
            | Q(description__icontains=value)
        )

    def running(self, queryset: Any, name: str, value: bool | None) -> Any:
        if not value:
            return queryset
        today = timezone.localdate()
        return queryset.filter(starts_on__lte=today, ends_on__gte=today)


class ContractList(ListDeclaration):
    """The contract count is shown in bold, as the page always had it."""

    def count_text(self, count: int) -> str:
        return format_html(
            "<strong>{}</strong> {}", f"{count:,}", self.noun[0] if count == 1 else self.noun[1]
        )


def _service_html(contract: Contract) -> SafeString:
    if contract.fund is None:
        return format_html("{}", contract.title)
    return format_html('{}<br><span class="govuk-body-s">{}</span>', contract.title, contract.fund.name)


def _term(contract: Contract) -> str:
    return (
        f"{dateformat.format(contract.starts_on, 'j M Y')} to {dateformat.format(contract.ends_on, 'j M Y')}"
    )


CONTRACTS = register(
    ContractList(
        name="funding-contracts",
        title="Contracts",
        rows=lambda request: commissioning_selectors.list_contracts(user=staff_user(request)),
        permission="funding.view",
        object_type="funding.contract",
        noun=("contract", "contracts"),
        filterset=ContractFilter,
        export_name="contracts",
        template="funding/contract_list.html",
        empty="No contracts have been recorded yet.",
        may={"can_manage": "funding.manage"},
        columns=(
            Column(
                "reference",
                "Reference",
                "reference",
                sort="reference",
                kind="code",
                link=lambda c: reverse("funding:contract-detail", args=[c.pk]),
            ),
            Column("service", "Service", "title", sort="title", html=_service_html),
            Column("provider", "Provider", "provider.name", sort="provider__name"),
            Column("commissioner", "Commissioned by", "commissioner.name", table=False),
            Column("fund", "Fund", "fund.name", table=False),
            Column("board", "Board", "board.name", table=False),
            Column("csp", "CSP", "csp.name", table=False),
            Column("csp_code", "CSP code", "csp.code", kind="code", table=False),
            Column("ward", "Ward", "ward.name", table=False),
            Column("ward_code", "Ward code", "ward.code", kind="code", table=False),
            Column("value", "Value", "value", sort="value", kind="money"),
            Column("term", "Term", _term, sort=("starts_on", "ends_on"), export=False),
            Column("starts", "Starts", "starts_on", kind="date", table=False),
            Column("ends", "Ends", "ends_on", kind="date", table=False),
        ),
    )
)

# The columns of the contracts CSV at its own address (contracts/export.csv), kept as they were for anyone
# who reads that file by its column names; the rows are the list's (same filters, same restriction).
CONTRACT_CSV_COLUMNS = (
    Column("reference", "reference", "reference", kind="code"),
    Column("service", "service", "title"),
    Column("provider", "provider", "provider.name"),
    Column("commissioner", "commissioned by", "commissioner.name"),
    Column("fund", "fund", "fund.name"),
    Column("board", "board", "board.name"),
    Column("csp_code", "CSP code", "csp.code", kind="code"),
    Column("ward_code", "ward code", "ward.code", kind="code"),
    Column("value", "value", "value", kind="money"),
    Column("starts", "starts on", "starts_on", kind="date"),
    Column("ends", "ends on", "ends_on", kind="date"),
)


# --- suppliers --------------------------------------------------------------------------------------


class SupplierFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(lookup_expr="icontains", label="Supplier name")

    class Meta:
        model = Organisation
        fields = ["name"]


SUPPLIERS = register(
    ListDeclaration(
        name="funding-suppliers",
        title="Suppliers",
        heading="Supplier performance",
        rows=lambda request: commissioning_selectors.list_suppliers(user=staff_user(request)),
        permission="funding.view",
        object_type="core.organisation",
        noun=("supplier", "suppliers"),
        filterset=SupplierFilter,
        export_name="suppliers",
        template="funding/supplier_list.html",
        empty="No contracts or framework lots have a supplier yet.",
        columns=(
            Column(
                "name",
                "Supplier",
                "name",
                sort="name",
                link=lambda o: reverse("funding:supplier-performance", args=[o.pk]),
            ),
            Column("charity_number", "Charity number", "charity_number", kind="code", table=False),
            Column("company_number", "Company number", "company_number", kind="code", table=False),
            Column("contracts", "Contracts", "contract_count", sort="contract_count", kind="number"),
            Column("call_offs", "Call-offs", "call_off_count", sort="call_off_count", kind="number"),
            Column("value", "Value", "total_value", sort="total_value", kind="money"),
        ),
    )
)


# --- applications to score (panel members) --------------------------------------------------------


SCORED_CHOICES = (("todo", "To do"), ("scored", "Scored"))


class ScoringFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Project or organisation")
    scored = django_filters.ChoiceFilter(
        choices=SCORED_CHOICES, method="by_scored", label="Your scores", empty_label="Scored or not"
    )

    class Meta:
        model = Application
        fields = ["q", "scored"]

    def search(self, queryset: Any, name: str, value: str) -> Any:
        return queryset.filter(Q(project_title__icontains=value) | Q(organisation_name__icontains=value))

    def by_scored(self, queryset: Any, name: str, value: str) -> Any:
        return queryset.filter(scored=value == "scored")


def _to_score(request: HttpRequest) -> QuerySet[Application]:
    """The applications the person is assigned to score (never a conflicted one), each marked `scored`
    when they have given it any score."""
    user = staff_user(request)
    mine = Score.objects.filter(member=user, application=OuterRef("pk"))
    return selectors.assigned_applications(user=user).annotate(scored=Exists(mine))


def _application_html(application: Application) -> SafeString:
    return format_html(
        '<a class="govuk-link" href="{}">{}</a><br><span class="govuk-body-s">{}</span>',
        reverse("funding:panel-score", args=[application.pk]),
        application.project_title,
        application.organisation_name,
    )


def _scored_html(application: Any) -> SafeString:
    if application.scored:
        return mark_safe('<strong class="govuk-tag govuk-tag--green">Scored</strong>')
    return mark_safe('<strong class="govuk-tag govuk-tag--grey">To do</strong>')


def _conflict_html(application: Application) -> SafeString:
    return format_html(
        '<a class="govuk-link" href="{}">Declare a conflict<span class="govuk-visually-hidden"> on {}</span></a>',
        reverse("funding:panel-conflict", args=[application.pk]),
        application.project_title,
    )


SCORING = register(
    ListDeclaration(
        name="funding-scoring",
        title="Applications to score",
        rows=_to_score,
        permission="funding.score",
        object_type="funding.application",
        noun=("application", "applications"),
        filterset=ScoringFilter,
        export_name="applications-to-score",
        template="funding/panel_list.html",
        empty="You have no applications to score.",
        columns=(
            Column("reference", "Reference", "reference", kind="code", table=False),
            Column(
                "application", "Application", "project_title", sort="project_title", html=_application_html
            ),
            Column("organisation", "Organisation", "organisation_name", table=False),
            Column("round", "Round", "round.name", sort="round__name"),
            Column("closes", "Round closes", "round.closes_on", kind="date", table=False),
            Column("requested", "Requested", "amount_requested", sort="amount_requested", kind="money"),
            Column(
                "scored",
                "Your scores",
                lambda a: "Scored" if a.scored else "To do",
                sort="scored",
                html=_scored_html,
            ),
            Column("conflict", "Conflict", "pk", html=_conflict_html, export=False),
        ),
    )
)


# --- grants awarded (public) ------------------------------------------------------------------------


class PublicGrantFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=gettext_lazy("Recipient or project"))
    fund = django_filters.ModelChoiceFilter(
        queryset=Fund.objects.filter(awards__isnull=False).distinct().order_by("name"),
        label=gettext_lazy("Fund"),
        empty_label=gettext_lazy("Any fund"),
    )

    class Meta:
        model = Award
        fields = ["q", "fund"]

    def search(self, queryset: Any, name: str, value: str) -> Any:
        return queryset.filter(Q(recipient_name__icontains=value) | Q(title__icontains=value))


def _grant_totals(request: HttpRequest) -> dict[str, Any]:
    return selectors.public_awards().aggregate(awarded=Count("pk"), total=Sum("amount"))


PUBLIC_GRANTS = register(
    ListDeclaration(
        name="funding-public-grants",
        title=gettext_lazy("Grants awarded"),
        rows=lambda request: selectors.public_awards(),
        permission=None,
        layout="layouts/public.html",
        object_type="funding.award",
        noun=("grant", gettext_lazy("grants")),
        counted=lambda n: ngettext("grant", "grants", n),
        filterset=PublicGrantFilter,
        export_name="grants-awarded",
        template="funding/public/grant_list.html",
        empty=gettext_lazy("No grants have been awarded yet."),
        context=_grant_totals,
        columns=(
            Column("identifier", gettext_lazy("Identifier"), "identifier", kind="code", table=False),
            Column("recipient", gettext_lazy("Recipient"), "recipient_name", sort="recipient_name"),
            Column(
                "recipient_identifier",
                gettext_lazy("Recipient identifier"),
                opendata.recipient_identifier,
                kind="code",
                table=False,
            ),
            Column(
                "charity_number", gettext_lazy("Charity number"), "charity_number", kind="code", table=False
            ),
            Column(
                "company_number", gettext_lazy("Company number"), "company_number", kind="code", table=False
            ),
            Column("title", gettext_lazy("Project"), "title", sort="title"),
            Column("fund", gettext_lazy("Fund"), "fund.name", sort="fund__name"),
            Column("awarded", gettext_lazy("Awarded"), "awarded_on", sort="awarded_on", kind="date"),
            Column("amount", gettext_lazy("Amount"), "amount", sort="amount", kind="money"),
        ),
    )
)
