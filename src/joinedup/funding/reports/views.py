"""Staff pages for the spend reports: the list, each report as a page and as a CSV. The Panel reads them
too (`funding.reports.view`, docs/adr/0018). Thin: reports/selectors.py builds them."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render

from joinedup.core.exports import csv_response
from joinedup.core.permissions import has_permission
from joinedup.core.views.base import staff_user, staff_view

from . import selectors


def _report_titles(request: HttpRequest) -> list[tuple[str, str]]:
    if has_permission(request.user, "funding.view"):
        return REPORT_TITLES
    return [(slug, title) for slug, title in REPORT_TITLES if slug not in selectors.OPERATIONAL]


@staff_view("funding.reports.view")
def reports(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "funding/reports.html",
        {"reports": _report_titles(request), "can_view_funds": has_permission(request.user, "funding.view")},
    )


REPORT_TITLES = [
    ("spend-by-priority", "Spend by Police and Crime Plan priority"),
    ("spend-by-csp", "Spend by Community Safety Partnership"),
    ("spend-per-head", "Spend per head of population, by CSP and year"),
    ("spend-by-sector", "Spend by recipient sector"),
    ("spend-by-fund", "Budget and spend by fund and financial year"),
    ("allocations-per-head", "Formula allocations per head, by CSP"),
    ("monitoring-due", "Monitoring returns due and overdue"),
]


def _report(request: HttpRequest, slug: str) -> Any:
    build = selectors.REPORTS.get(slug)
    if build is None or slug not in dict(_report_titles(request)):
        raise Http404("No such report")
    if slug == "monitoring-due":
        return build(user=staff_user(request), overdue_only=request.GET.get("overdue") == "1")
    return build(user=staff_user(request))


@staff_view("funding.reports.view")
def report_detail(request: HttpRequest, report: str) -> HttpResponse:
    return render(request, "funding/report.html", {"report": _report(request, report)})


@staff_view("funding.reports.view")
def report_export(request: HttpRequest, report: str) -> StreamingHttpResponse:
    built = _report(request, report)
    kinds = [c.kind for c in built.columns]
    rows = [
        [selectors.csv_value(value, kind) for value, kind in zip(row, kinds, strict=True)]
        for row in built.rows
    ]
    if built.totals:
        rows.append(
            [selectors.csv_value(value, kind) for value, kind in zip(built.totals, kinds, strict=True)]
        )
    return csv_response(
        request,
        name=f"funding-{report}",
        header=[c.label for c in built.columns],
        rows=rows,
        object_type="funding.report",
        filters={"report": report, "overdue": request.GET.get("overdue")},
    )
