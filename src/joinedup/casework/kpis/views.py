"""The casework KPI dashboard (depersonalised: analysts see it) and its CSV download."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render

from joinedup.core.exports import csv_response
from joinedup.core.views.base import staff_view

from . import selectors

SERIES = (("repeat_victim", "Repeat victim reports"), ("repeat_location", "Repeat location reports"))


def _filters(request: HttpRequest) -> tuple[str | None, int]:
    csp = (request.GET.get("csp") or "").strip().upper() or None
    try:
        months = min(max(int(request.GET.get("months") or 12), 1), 36)
    except ValueError:
        months = 12
    return csp, months


@staff_view("casework.statistics")
def kpi_dashboard(request: HttpRequest) -> HttpResponse:
    csp, months = _filters(request)
    figures = selectors.kpis(user=request.user, csp_code=csp, months=months)
    return render(
        request,
        "casework/kpis.html",
        {
            "figures": figures,
            "by_csp": selectors.kpis_by_csp(user=request.user, months=months),
            "csps": selectors.csp_areas(),
            "csp": csp or "",
            "months": months,
            "chart": selectors.bar_chart(figures["monthly"], SERIES),
            "legend": [label for _key, label in SERIES],
        },
    )


@staff_view("casework.statistics")
def kpi_csv(request: HttpRequest) -> StreamingHttpResponse:
    csp, months = _filters(request)
    if request.GET.get("table") == "monthly":
        figures = selectors.kpis(user=request.user, csp_code=csp, months=months)
        return csv_response(
            request,
            name="casework-kpis-monthly",
            header=[
                "Month",
                "Reports",
                "Repeat victim reports",
                "Repeat location reports",
                "Vulnerable victim reports",
            ],
            rows=(
                [
                    f"{m['month']:%Y-%m}",
                    m["incidents"],
                    m["repeat_victim"],
                    m["repeat_location"],
                    m["vulnerable"],
                ]
                for m in figures["monthly"]
            ),
            object_type="casework.kpis",
            filters={"months": months, "csp": csp, "table": "monthly"},
        )
    rows = selectors.kpis_by_csp(user=request.user, months=months)
    header = [
        "CSP code",
        "CSP",
        "Incidents",
        "Incidents at least 48 hours old",
        "Actioned within 48 hours",
        "% actioned within 48 hours",
        "Cases with an informant to update",
        "Cases with informant feedback",
        "% cases with feedback",
        "Repeat victim reports",
        "Repeat location reports",
        "Open high-risk cases",
        "Overdue risk assessments",
    ]
    return csv_response(
        request,
        name="casework-kpis",
        header=header,
        rows=(
            [
                r["code"],
                r["name"],
                r["incidents"],
                r["eligible"],
                r["actioned"],
                "" if r["actioned_percent"] is None else r["actioned_percent"],
                r["feedback_cases"],
                r["with_feedback"],
                "" if r["feedback_percent"] is None else r["feedback_percent"],
                r["repeat_victim"],
                r["repeat_location"],
                r["open_high_risk"],
                r["overdue_assessments"],
            ]
            for r in rows
        ),
        object_type="casework.kpis",
        filters={"months": months},
    )
