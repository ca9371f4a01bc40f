"""Public pages: the awarded grants, and the same as 360Giving open data (JSON and CSV)."""

from __future__ import annotations

import csv
from collections.abc import Iterator

from django.http import HttpRequest, StreamingHttpResponse

from joinedup.core.exports import spreadsheet_safe
from joinedup.core.lists import list_view

from . import lists, opendata
from .selectors import public_awards

grant_list = list_view(lists.PUBLIC_GRANTS)


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
