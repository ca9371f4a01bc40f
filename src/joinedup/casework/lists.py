"""The casework app's lists declared once (core/lists, ADR 0024): ASB cases, ASB case reviews and
information-sharing agreements; daily tasking meetings are declared in `tasking/lists.py` (ADR 0042).

Every list reads its rows through casework's restricted selector for that page (the sharing rule, ADR
0012), so a person lists and downloads only what they may open. The lists name no one: a case and a case
review by reference, never a victim, informant, perpetrator or applicant. Opening a case or a case review
is audited on its own page (PERSONAL_RECORD_VIEWED); the lists themselves show no personal data, and each
download is one EXPORT event (core/lists)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.http import HttpRequest, QueryDict
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from joinedup.core.lists import Column, ListDeclaration, area_column, register
from joinedup.core.lists.areas import force_csps
from joinedup.core.models import Area

from . import selectors
from .models import (
    AgreementStatus,
    Case,
    CaseReviewRequest,
    CaseReviewStatus,
    CaseStatus,
    InformationSharingAgreement,
    RiskLevel,
)


def csp_of_area() -> django_filters.ModelChoiceFilter:
    """A filter by the CSP a case's (or case review's) LSOA or district lies in, offering the CSPs of the
    person's force areas."""

    def choices(request: HttpRequest | None) -> QuerySet[Area]:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return Area.objects.none()
        return force_csps(user)

    return django_filters.ModelChoiceFilter(
        field_name="area__csp", queryset=choices, to_field_name="code", label="CSP", empty_label="Any CSP"
    )


def _reference_column(label: str, url_name: str) -> Column:
    """A case's or case review's reference (text in a spreadsheet), linking to its page, sorted by age."""
    return Column(
        "reference",
        label,
        "reference",
        sort="id",
        kind="code",
        link=lambda row: reverse(url_name, args=[row.pk]),
    )


# --- ASB cases ----------------------------------------------------------------------------------------

ALL = "all"


class CaseFilter(django_filters.FilterSet):
    """The page's status choice as before (`?status=open|closed|all`, open when not given), and more."""

    status = django_filters.ChoiceFilter(
        choices=[*CaseStatus.choices, (ALL, "All")], empty_label=None, method="by_status", label="Status"
    )
    reference = django_filters.CharFilter(
        method="by_reference", label="Case reference", help_text="For example, ASB-000123"
    )
    risk = django_filters.ChoiceFilter(
        field_name="risk_level", choices=RiskLevel.choices, empty_label="Any risk", label="Risk"
    )
    csp = csp_of_area()

    class Meta:
        model = Case
        fields = ["status", "reference", "risk", "csp"]

    def __init__(self, data: QueryDict | None = None, *args: Any, **kwargs: Any) -> None:
        if data is None or not data.get("status"):
            data = data.copy() if data is not None else QueryDict(mutable=True)
            data["status"] = CaseStatus.OPEN
        super().__init__(data, *args, **kwargs)

    def by_status(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        return queryset if value == ALL else queryset.filter(status=value)

    def by_reference(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        number = value.strip().upper().removeprefix("ASB-").removeprefix("ASB")
        return queryset.filter(pk=int(number)) if number.isdigit() and len(number) < 10 else queryset.none()


def _flags(case: Case) -> str:
    flags = (
        (case.restricted, "Restricted"),
        (case.repeat_victim, "Repeat victim"),
        (case.repeat_location, "Repeat location"),
        (case.vulnerable, "Vulnerable"),
    )
    return ", ".join(label for on, label in flags if on)


CASES = register(
    ListDeclaration(
        name="casework-cases",
        title="ASB cases",
        # The sharing rule (ADR 0012) in the selector; the list names no one (a case by its reference).
        rows=lambda request: selectors.list_cases(user=request.user),
        permission="casework.cases.view",
        object_type="casework.case",
        noun=("case", "cases"),
        filterset=CaseFilter,
        export_name="asb-cases",
        template="casework/case_list.html",
        caption="Cases",
        empty="There are no cases to show.",
        may={"can_record": "casework.incidents.create"},
        columns=(
            _reference_column("Case", "casework:case-detail"),
            area_column("area", "Area"),
            Column("lead", "Lead agency", "lead_organisation.name", sort="lead_organisation__name"),
            Column("risk", "Risk", "get_risk_level_display"),
            Column("flags", "Flags", _flags),
            Column("incidents", "Incidents", "incident_count", sort="incident_count", kind="number"),
        ),
    )
)


# --- ASB case reviews (the community trigger) ---------------------------------------------------------


class ReviewFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=CaseReviewStatus.choices, empty_label="All", label="Status")
    csp = csp_of_area()
    received_after = django_filters.DateFilter(
        field_name="received_on", lookup_expr="gte", label="Received on or after"
    )

    class Meta:
        model = CaseReviewRequest
        fields = ["status", "csp", "received_after"]


REVIEWS = register(
    ListDeclaration(
        name="casework-case-reviews",
        title="ASB case reviews",
        # The sharing rule in the selector; the list never names the applicant.
        rows=lambda request: selectors.list_reviews(user=request.user),
        permission="casework.reviews.view",
        object_type="casework.casereviewrequest",
        noun=("request", "requests"),
        filterset=ReviewFilter,
        export_name="asb-case-reviews",
        template="casework/review_list.html",
        caption="Case review requests",
        empty="There are no case review requests to show.",
        may={"can_record": "casework.reviews.manage"},
        columns=(
            _reference_column("Request", "casework:review-detail"),
            Column("received", "Received", "received_on", sort="received_on", kind="date"),
            Column("by", "By", "receiving_organisation.name", sort="receiving_organisation__name"),
            area_column("area", "Area"),
            Column("status", "Status", "get_status_display", sort="status"),
        ),
    )
)


# --- information-sharing agreements -------------------------------------------------------------------


class AgreementFilter(django_filters.FilterSet):
    title = django_filters.CharFilter(lookup_expr="icontains", label="Title")
    status = django_filters.ChoiceFilter(choices=AgreementStatus.choices, empty_label="Any status")

    class Meta:
        model = InformationSharingAgreement
        fields = ["title", "status"]


def _agreement_status(agreement: InformationSharingAgreement) -> str:
    status = agreement.get_status_display()
    if agreement.status == AgreementStatus.IN_FORCE and not agreement.is_active:
        status += " (outside its dates)"
    return status


def _agreement_status_html(agreement: InformationSharingAgreement) -> SafeString:
    if agreement.review_overdue:
        return format_html(
            '{} <strong class="govuk-tag govuk-tag--red">Review overdue</strong>',
            _agreement_status(agreement),
        )
    return format_html("{}", _agreement_status(agreement))


AGREEMENTS = register(
    ListDeclaration(
        name="casework-agreements",
        title="Information-sharing agreements",
        rows=lambda request: selectors.list_agreements(user=request.user),
        permission="casework.agreements.view",
        object_type="casework.informationsharingagreement",
        noun=("agreement", "agreements"),
        filterset=AgreementFilter,
        export_name="information-sharing-agreements",
        template="casework/agreement_list.html",
        caption="Agreements",
        empty="There are no agreements yet.",
        may={"can_manage": "casework.agreements.manage"},
        columns=(
            Column(
                "title",
                "Agreement",
                "title",
                sort="title",
                link=lambda a: reverse("casework:agreement-detail", args=[a.pk]),
            ),
            Column(
                "parties", "Parties", lambda a: ", ".join(row.organisation.name for row in a.party_rows.all())
            ),
            Column("areas", "Areas", lambda a: ", ".join(area.name for area in a.areas.all())),
            Column("status", "Status", _agreement_status, sort="status", html=_agreement_status_html),
            Column("review_overdue", "Review overdue", "review_overdue", table=False),
        ),
    )
)
