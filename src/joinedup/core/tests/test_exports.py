"""The one streamed CSV writer (`core.exports.stream_csv`) behind the tables' CSV downloads
(`csv_response`) and the declared lists' (`core.lists.exports.csv_download`)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.utils import timezone

from joinedup.core.exports import csv_response, stream_csv
from joinedup.core.lists import Column
from joinedup.core.lists.exports import csv_download


def _body(response) -> str:
    raw = b"".join(response.streaming_content)
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 with a byte order mark, so spreadsheet programs read it"
    return raw.decode("utf-8-sig")


def test_stream_csv_writes_cells_as_given_a_line_at_a_time():
    rows_read: list[int] = []

    def rows():
        for n in (1, 2):
            rows_read.append(n)
            yield [f"Café {n}", "=1+1"]

    response = stream_csv(["Name", "Sum"], rows(), "things.csv")
    assert rows_read == [], "nothing is read before the response streams"
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="things.csv"'
    assert _body(response) == "Name,Sum\r\nCafé 1,=1+1\r\nCafé 2,=1+1\r\n"


@pytest.mark.django_db
def test_csv_response_guards_formulas_and_dates_the_name():
    request = RequestFactory().get("/staff/things/")
    request.user = AnonymousUser()
    response = csv_response(
        request, name="things", header=["Name"], rows=[["=HYPERLINK()"], [-3]], object_type="core.thing"
    )
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="things-{timezone.localdate():%Y-%m-%d}.csv"'
    )
    assert _body(response) == "Name\r\n'=HYPERLINK()\r\n-3\r\n"


def test_list_csv_download_uses_the_same_writer():
    columns = (Column("name", "Name", "name"), Column("code", "Code", "code", kind="code"))

    class Row:
        name, code = "-rm", "01234567"

    response = csv_download(columns, [Row()], "rows")
    assert response["Content-Disposition"] == 'attachment; filename="rows.csv"'
    assert _body(response) == "Name,Code\r\n'-rm,01234567\r\n"
