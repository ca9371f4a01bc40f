"""CSV downloads for every table: streamed, spreadsheet-safe, and recorded in the event log."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.http import HttpRequest, StreamingHttpResponse
from django.utils import timezone

from joinedup.core.audit import record_event
from joinedup.core.models import EventType

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> str:
    """Stop a cell being run as a formula when the file is opened in a spreadsheet."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_PREFIXES) and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


class _Echo:
    """A file that hands back what is written to it, so csv.writer makes one line at a time."""

    def write(self, value: str) -> str:
        return value


def stream_csv(header: Sequence[str], rows: Iterable[Sequence[Any]], filename: str) -> StreamingHttpResponse:
    """A CSV download streamed a line at a time: UTF-8 with a byte order mark (so spreadsheet programs read
    UTF-8 names correctly), as an attachment called `filename`. Cells are written as given: guard them with
    `spreadsheet_safe` first."""
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield "\ufeff" + writer.writerow(header)
        for row in rows:
            yield writer.writerow(row)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_response(
    request: HttpRequest,
    *,
    name: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    object_type: str,
    filters: dict[str, Any] | None = None,
) -> StreamingHttpResponse:
    record_event(
        EventType.EXPORT,
        request=request,
        object_type=object_type,
        detail={
            "format": "csv",
            "filters": {k: v for k, v in (filters or {}).items() if v not in (None, "")},
        },
    )

    def safe_rows() -> Iterator[list[str]]:  # a generator: the rows are read while the response streams
        for row in rows:
            yield [spreadsheet_safe(value) for value in row]

    return stream_csv(header, safe_rows(), f"{name}-{timezone.localdate():%Y-%m-%d}.csv")
