"""Public pages: each plan's progress against its indicators (namespace `public-performance`). The same
indicators and values as the staff report, with small casework figures withheld and no commentary."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render

from joinedup.core.exports import spreadsheet_safe, stream_csv

from . import selectors
from .periods import quarter_label


def plan_index(request: HttpRequest) -> HttpResponse:
    return render(request, "performance/public_index.html", {"plans": selectors.public_plans()})


def plan_progress(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    quarter = selectors.parse_quarter(request.GET.get("quarter"))
    report = selectors.public_report(kind=kind, pk=pk, quarter=quarter)
    return render(
        request,
        "performance/public_progress.html",
        {
            "report": report,
            "kind": kind,
            "quarter_label": quarter_label(quarter.start),
            "quarters": selectors.quarter_choices(quarter),
        },
    )


def plan_progress_csv(request: HttpRequest, kind: str, pk: int) -> StreamingHttpResponse:
    quarter = selectors.parse_quarter(request.GET.get("quarter"))
    report = selectors.public_report(kind=kind, pk=pk, quarter=quarter, charts=False)
    header, *rows = selectors.report_csv_rows(report, commentary=False)
    return stream_csv(
        header,
        ([spreadsheet_safe(cell) for cell in row] for row in rows),
        f"plan-progress-{kind}-{pk}-{quarter.start:%Y-%m}.csv",
    )
