"""The Panel's lists, declared once (core/lists, ADR 0024): its recommendations to the PCC, we said and you
did. The list keeps the name it had under csp (`csp-panel-recommendations`), so saved links still work."""

from __future__ import annotations

from typing import Any

import django_filters
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString

from joinedup.core.lists import Column, ListDeclaration, area_column, csp_filter, register
from joinedup.core.views.base import staff_user
from joinedup.csp import selectors as csp_selectors

from . import selectors
from .models import ImplementationStatus, PanelRecommendation


def _date(value: Any) -> str:
    return dateformat.format(value, "j F Y") if value else ""


# --- the Panel's recommendations to the PCC ---------------------------------------------------------------


class PanelRecommendationFilter(django_filters.FilterSet):
    title = django_filters.CharFilter(lookup_expr="icontains", label="Recommendation title")
    status = django_filters.ChoiceFilter(choices=ImplementationStatus.choices, empty_label="Any status")
    csp = csp_filter(csp_selectors.csps_for)

    class Meta:
        model = PanelRecommendation
        fields = ["title", "status", "csp"]


def _response_overdue(r: PanelRecommendation) -> bool:
    return bool(
        r.status == ImplementationStatus.AWAITING_RESPONSE
        and r.response_due
        and r.response_due < timezone.localdate()
    )


def _we_said(r: PanelRecommendation) -> SafeString:
    link = format_html(
        '<a class="govuk-link" href="{}">{}</a>', reverse("scrutiny:panel-detail", args=[r.pk]), r.title
    )
    if r.csp:
        return format_html('{}<br><span class="govuk-hint">{}</span>', link, r.csp.name)
    return link


def _panel_status(r: PanelRecommendation) -> SafeString:
    if _response_overdue(r):
        return format_html(
            '{} <strong class="govuk-tag govuk-tag--red">Response overdue</strong><br>'
            '<span class="govuk-hint">Was due {}</span>',
            r.get_status_display(),
            _date(r.response_due),
        )
    return format_html("{}", r.get_status_display())


PANEL_RECOMMENDATIONS = register(
    ListDeclaration(
        name="csp-panel-recommendations",
        title="Panel recommendations to the PCC",
        heading="Panel recommendations to the PCC: we said, you did",
        rows=lambda request: selectors.list_panel_recommendations(user=staff_user(request)),
        permission="csp.panel.view",
        object_type="scrutiny.panelrecommendation",
        noun=("recommendation", "recommendations"),
        filterset=PanelRecommendationFilter,
        export_name="panel-recommendations",
        template="scrutiny/panel_list.html",
        caption="Recommendations and responses",
        empty="No recommendations recorded.",
        may={"can_recommend": "csp.panel.recommend"},
        columns=(
            Column("title", "We said", "title", sort="title", html=_we_said),
            area_column("csp", "CSP", sortable=False, table=False),
            Column("made", "Made", "made_on", sort="made_on", kind="date"),
            Column("status", "Status", "get_status_display", sort="status", html=_panel_status),
            Column("response_due", "PCC response due", "response_due", kind="date", table=False),
            Column(
                "response_overdue",
                "Response overdue",
                lambda r: "yes" if _response_overdue(r) else "no",
                table=False,
            ),
            Column("implementation", "You did", "implementation", empty="—"),
        ),
    )
)
