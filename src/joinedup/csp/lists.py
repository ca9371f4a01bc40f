"""The CSP app's lists, each declared once (core/lists, ADR 0024): domestic homicide reviews (staff and
public), reports required by the PCC and quarterly briefing notes (the Panel's recommendations are
joinedup.scrutiny.lists)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.http import HttpRequest
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, gettext_lazy, ngettext

from joinedup.core.lists import CheckboxFilter, Column, ListDeclaration, area_column, csp_filter, register
from joinedup.core.models import Area
from joinedup.core.permissions import has_permission
from joinedup.core.views.base import staff_user

from . import selectors
from .duties import DUTIES_BY_KEY, Duty, year_label
from .models import (
    BriefingNote,
    BriefingStatus,
    CommissionDecision,
    DomesticHomicideReview,
    DutyRecord,
    DutyStatus,
    ReportRequirement,
)


def _date(value: Any) -> str:
    return dateformat.format(value, "j F Y") if value else ""


CSP = area_column("csp", "CSP")


# --- duties due and overdue -------------------------------------------------------------------------------


class DueFilter(django_filters.FilterSet):
    csp = csp_filter(selectors.csps_for)
    duty = django_filters.ChoiceFilter(choices=Duty.choices, empty_label="Any duty", label="Duty")
    overdue = CheckboxFilter(method="only_overdue", label="Overdue only")

    class Meta:
        model = DutyRecord
        fields = ["csp", "duty", "overdue"]

    def only_overdue(self, queryset: Any, name: str, value: bool) -> Any:
        return queryset.filter(due_date__lt=timezone.localdate()) if value else queryset


_CELL = "_due_list_cell"


def _cell(record: DutyRecord) -> selectors.Cell:
    """The duty's rating and reason, worked out once for each row (kept on the row): the table's cell and
    the downloads' rating and reason columns all read it."""
    memo = vars(record)
    if _CELL not in memo:
        memo[_CELL] = selectors.duty_cell(
            DUTIES_BY_KEY[record.duty], record, today=timezone.localdate(), year_label=record.year_label
        )
    cell: selectors.Cell = memo[_CELL]
    return cell


def _rating_html(record: DutyRecord) -> SafeString:
    cell = _cell(record)
    tag = {selectors.RED: "govuk-tag--red", selectors.AMBER: "govuk-tag--yellow"}.get(
        cell.rag, "govuk-tag--green"
    )
    return format_html('<strong class="govuk-tag {}">{}</strong> {}', tag, cell.label, cell.reason)


DUE = register(
    ListDeclaration(
        name="csp-duties-due",
        title="Duties due and overdue",
        rows=lambda request: selectors.duties_due(user=staff_user(request), today=timezone.localdate()),
        permission="csp.view",
        object_type="csp.dutyrecord",
        noun=("duty", "duties"),
        filterset=DueFilter,
        default_sort="due",
        export_name="duties-due",
        template="csp/due.html",
        empty="No duties are due or overdue.",
        context=lambda request: {"days": selectors.DUE_SOON_DAYS},
        columns=(
            CSP,
            Column("csp_code", "CSP code", "csp.code", kind="code", table=False),
            Column(
                "duty",
                "Duty",
                "get_duty_display",
                sort=("duty", "year"),
                html=lambda r: format_html(
                    '<a class="govuk-link" href="{}">{}</a>', reverse("csp:duty-detail", args=[r.pk]), r
                ),
            ),
            Column("year", "Financial year", "year_label", table=False),
            Column("due", "Due", "due_date", sort=("due_date", "csp__name"), kind="date"),
            Column("status", "Status", "get_status_display", sort="status", table=False),
            Column("rating", "Rating and reason", lambda r: _cell(r).label, html=_rating_html),
            Column("reason", "Reason", lambda r: _cell(r).reason, table=False),
        ),
    )
)


# --- domestic homicide reviews -------------------------------------------------------------------------


class DhrFilter(django_filters.FilterSet):
    case_reference = django_filters.CharFilter(lookup_expr="icontains", label="Case reference")
    csp = csp_filter(selectors.csps_for)
    decision = django_filters.ChoiceFilter(choices=CommissionDecision.choices, empty_label="Any decision")

    class Meta:
        model = DomesticHomicideReview
        fields = ["case_reference", "csp", "decision"]


def _overdue(review: DomesticHomicideReview) -> list[Any]:
    return selectors.overdue_stages(review, today=timezone.localdate())


def _overdue_html(review: DomesticHomicideReview) -> SafeString:
    stages = _overdue(review)
    if not stages:
        return format_html("{}", "None")
    return format_html_join(
        mark_safe("<br>"),
        '<strong class="govuk-tag govuk-tag--red">Overdue</strong> {}: {}',
        ((s.label, s.status) for s in stages),
    )


DHRS = register(
    ListDeclaration(
        name="csp-dhrs",
        title="Domestic homicide reviews",
        rows=lambda request: selectors.list_dhrs(user=staff_user(request)),
        permission="csp.dhr.view",
        object_type="csp.domestichomicidereview",
        noun=("review", "reviews"),
        filterset=DhrFilter,
        export_name="domestic-homicide-reviews",
        template="csp/dhr_list.html",
        empty="No reviews recorded.",
        columns=(
            Column(
                "reference",
                "Case reference",
                "case_reference",
                sort="case_reference",
                kind="code",
                link=lambda r: reverse("csp:dhr-detail", args=[r.pk]),
            ),
            CSP,
            Column("notified", "Notified", "notified_on", sort="notified_on", kind="date"),
            Column("decision", "Decision", "get_decision_display", sort="decision", empty="Not decided yet"),
            Column(
                "overdue",
                "Overdue stages",
                lambda r: "; ".join(f"{s.label}: {s.status}" for s in _overdue(r)),
                html=_overdue_html,
            ),
        ),
    )
)


def _public_title(review: DomesticHomicideReview) -> SafeString:
    if review.report_url:
        return format_html(
            '<a class="govuk-link" href="{}" rel="noopener noreferrer">{}</a>',
            review.report_url,
            review.published_title,
        )
    return format_html("{}", review.published_title)


class PublicDhrFilter(django_filters.FilterSet):
    csp = csp_filter(
        selectors.csps_for,
        label=gettext_lazy("Community safety partnership"),
        empty_label=gettext_lazy("Any community safety partnership"),
    )

    class Meta:
        model = DomesticHomicideReview
        fields = ["csp"]


PUBLIC_DHRS = register(
    ListDeclaration(
        name="public-dhrs",
        title=gettext_lazy("Published domestic homicide reviews"),
        rows=lambda request: selectors.published_dhrs(),
        permission=None,
        layout="layouts/public.html",
        object_type="csp.domestichomicidereview",
        noun=("review", gettext_lazy("reviews")),
        counted=lambda n: ngettext("review", "reviews", n),
        filterset=PublicDhrFilter,
        export_name="published-domestic-homicide-reviews",
        caption=gettext_lazy("Published reviews"),
        empty=gettext_lazy("No reviews have been published."),
        columns=(
            Column(
                "title", gettext_lazy("Title"), "published_title", sort="published_title", html=_public_title
            ),
            area_column("csp", gettext_lazy("Community safety partnership")),
            Column("published", gettext_lazy("Published"), "published_on", sort="published_on", kind="date"),
            Column("report", gettext_lazy("Report link"), "report_url", table=False),
        ),
    )
)


# --- community safety partnerships on the public site --------------------------------------------------------


class PublicCspFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(lookup_expr="icontains", label=gettext_lazy("Name"))

    class Meta:
        model = Area
        fields = ["name"]


def _public_meeting(record: DutyRecord) -> str:
    if record.status == DutyStatus.COMPLETE and record.evidence_date:
        when = gettext("held on %(date)s") % {"date": dateformat.format(record.evidence_date, "j F Y")}
    else:
        when = gettext("to be held by %(date)s") % {"date": dateformat.format(record.due_date, "j F Y")}
    return f"{record.year_label}: {when}"


def _public_meetings(csp: Area) -> str:
    return "; ".join(_public_meeting(r) for r in csp.public_meetings)  # type: ignore[attr-defined]


def _public_meetings_html(csp: Area) -> SafeString:
    meetings = csp.public_meetings  # type: ignore[attr-defined]
    if not meetings:
        return format_html("{}", gettext("No public meetings recorded yet."))
    items = format_html_join("", "<li>{}</li>", ((_public_meeting(r),) for r in meetings))
    return format_html('<ul class="govuk-list">{}</ul>', items)


PUBLIC_CSPS = register(
    ListDeclaration(
        name="public-csps",
        title=gettext_lazy("Community safety partnerships: priorities and public meetings"),
        rows=lambda request: selectors.public_csps(),
        permission=None,
        layout="layouts/public.html",
        object_type="core.area",
        noun=("partnership", gettext_lazy("partnerships")),
        counted=lambda n: ngettext("partnership", "partnerships", n),
        filterset=PublicCspFilter,
        default_sort="csp",
        export_name="community-safety-partnerships",
        template="csp/public_index.html",
        caption=gettext_lazy("Community safety partnerships"),
        empty=gettext_lazy("Nothing has been published yet."),
        columns=(
            Column(
                "csp",
                gettext_lazy("Community safety partnership"),
                "name",
                sort="name",
                link=lambda csp: reverse("public-csp:csp-detail", args=[csp.code]),
            ),
            Column("code", gettext_lazy("ONS code"), "code", kind="code", table=False),
            Column("meetings", gettext_lazy("Public meetings"), _public_meetings, html=_public_meetings_html),
        ),
    )
)


# --- reports required by the PCC ----------------------------------------------------------------------------


class RequirementFilter(django_filters.FilterSet):
    subject = django_filters.CharFilter(lookup_expr="icontains", label="Subject")
    csp = csp_filter(selectors.csps_for)

    class Meta:
        model = ReportRequirement
        fields = ["subject", "csp"]


def _requirement_state(r: ReportRequirement) -> str:
    if r.responded_on:
        return f"Responded {_date(r.responded_on)}"
    return "Overdue" if r.due_date < timezone.localdate() else "Awaited"


def _requirement_html(r: ReportRequirement) -> SafeString:
    state = _requirement_state(r)
    if state == "Overdue":
        return mark_safe('<strong class="govuk-tag govuk-tag--red">Overdue</strong>')
    return format_html("{}", state)


REQUIREMENTS = register(
    ListDeclaration(
        name="csp-report-requirements",
        title="Reports required by the PCC",
        rows=lambda request: ReportRequirement.objects.restrict(request.user, "csp.view").select_related(
            "csp"
        ),
        permission="csp.view",
        object_type="csp.reportrequirement",
        noun=("report required", "reports required"),
        filterset=RequirementFilter,
        export_name="reports-required",
        template="csp/requirement_list.html",
        caption="Reports required",
        empty="No reports have been required.",
        columns=(
            Column(
                "subject",
                "Subject",
                "subject",
                sort="subject",
                link=lambda r: reverse("csp:requirement-detail", args=[r.pk]),
            ),
            CSP,
            Column("due", "Due", "due_date", sort="due_date", kind="date"),
            Column("response", "Response", _requirement_state, html=_requirement_html),
            Column("responded", "Responded on", "responded_on", kind="date", table=False),
        ),
    )
)


# --- quarterly briefing notes to the Panel -------------------------------------------------------------------


class BriefingFilter(django_filters.FilterSet):
    csp = csp_filter(selectors.csps_for)
    status = django_filters.ChoiceFilter(choices=BriefingStatus.choices, empty_label="Any status")

    class Meta:
        model = BriefingNote
        fields = ["csp", "status"]


def _briefing_link(n: BriefingNote) -> SafeString:
    return format_html(
        '<a class="govuk-link" href="{}">{}<span class="govuk-visually-hidden">, {}</span></a>',
        reverse("csp:briefing-detail", args=[n.pk]),
        str(n),
        n.csp.name,
    )


def _briefing_context(request: HttpRequest) -> dict[str, Any]:
    year, quarter = selectors.current_quarter(timezone.localdate())
    user = staff_user(request)
    own = [c for c in selectors.csps_for(user) if has_permission(user, "csp.change", c)]
    return {"own_csps": own, "year": year, "quarter": quarter}


BRIEFINGS = register(
    ListDeclaration(
        name="csp-briefing-notes",
        title="Quarterly CSP briefing notes",
        heading="Quarterly CSP briefing notes to the Panel",
        rows=lambda request: selectors.list_briefing_notes(user=staff_user(request)),
        permission="csp.briefing.view",
        object_type="csp.briefingnote",
        noun=("note", "notes"),
        filterset=BriefingFilter,
        export_name="briefing-notes",
        template="csp/briefing_list.html",
        caption="Briefing notes",
        empty="No briefing notes yet.",
        context=_briefing_context,
        columns=(
            CSP,
            Column("quarter", "Quarter", lambda n: str(n), sort=("year", "quarter"), html=_briefing_link),
            Column("year", "Financial year", lambda n: year_label(n.year), table=False),
            Column("status", "Status", "get_status_display", sort="status"),
            Column("submitted", "Submitted", "submitted_on", sort="submitted_on", kind="date", empty="—"),
        ),
    )
)
