"""Public pages: the awarded grants, and the same as 360Giving open data (JSON and CSV)."""

from __future__ import annotations

from collections.abc import Iterator

from django.http import HttpRequest, StreamingHttpResponse

from joinedup.core.exports import spreadsheet_safe, stream_csv
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


def grants_csv(request: HttpRequest) -> StreamingHttpResponse:
    """The flat form of the package. Public open data, so downloads are not written to the event log."""

    def rows() -> Iterator[list[str]]:  # a generator: the grants are read while the response streams
        for row in opendata.csv_rows(public_awards()):
            yield [spreadsheet_safe(value) for value in row]

    return stream_csv(opendata.CSV_HEADER, rows(), "grants.csv")
