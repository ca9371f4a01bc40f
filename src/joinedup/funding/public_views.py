"""Public pages: the awarded grants, and the same as 360Giving open data (JSON and CSV)."""

from __future__ import annotations

import csv
from collections.abc import Iterator

from django.core.paginator import Paginator
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render

from joinedup.core.exports import spreadsheet_safe

from . import opendata
from .selectors import public_awards


def grant_list(request: HttpRequest) -> HttpResponse:
    awards = public_awards()
    page = Paginator(awards, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "funding/public/grant_list.html",
        {
            "page_obj": page,
            "count": page.paginator.count,
            "total": awards.aggregate(total=Sum("amount"))["total"],
        },
    )


def grants_json(request: HttpRequest) -> StreamingHttpResponse:
    """The 360Giving data package, streamed: the whole export never sits in memory at once."""
    response = StreamingHttpResponse(
        opendata.package_chunks(public_awards()), content_type="application/json"
    )
    response["Content-Disposition"] = 'inline; filename="grants.json"'
    return response


class _Echo:
    def write(self, value: str) -> str:
        return value


def grants_csv(request: HttpRequest) -> StreamingHttpResponse:
    """The flat form of the package. Public open data, so downloads are not written to the event log."""
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield "\ufeff" + writer.writerow(opendata.CSV_HEADER)
        for row in opendata.csv_rows(public_awards()):
            yield writer.writerow([spreadsheet_safe(value) for value in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="grants.csv"'
    return response
