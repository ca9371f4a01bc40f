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


def test_a_data_column_stays_structured_in_json_and_is_guarded_text_in_a_spreadsheet():
    import json

    from joinedup.core.lists.exports import json_download

    columns = (Column("id", "Id", "pk", kind="number"), Column("members", "Members", "members", kind="data"))

    class Row:
        pk = 7
        members = [{"name": "=evil", "share": None}]
        flag = True

    data = json.loads(b"".join(json_download(columns, [Row()], "rows", count=1).streaming_content))
    assert data["results"] == [{"id": 7, "members": [{"name": "=evil", "share": None}]}]
    flag = (Column("flag", "Flag", "flag", kind="data"),)
    flagged = json.loads(b"".join(json_download(flag, [Row()], "rows", count=1).streaming_content))
    assert flagged["results"] == [{"flag": True}], "a data column keeps true and false as JSON booleans"

    text = _body(csv_download(columns, [Row()], "rows"))
    assert text == 'Id,Members\r\n7,"[{""name"": ""=evil"", ""share"": null}]"\r\n'


@pytest.mark.django_db
def test_an_older_download_address_is_the_lists_own_export_with_its_columns(client_for):
    """`download_view` serves a list's export at an address of its own: the list's rows and filters, its
    download rule and its audit event, with the columns that address always had."""
    from joinedup.core.models import AuditEvent, EventType, Organisation, Sector
    from joinedup.core.roles import Role

    Organisation.objects.create(name="Filtered out", sector=Sector.BUSINESS)
    Organisation.objects.create(
        name="Northtown Youth Trust", sector=Sector.VCS_CHARITY, charity_number="0123456"
    )
    response = client_for(Role.AUDITOR).get("/staff/organisations/export.csv", {"sector": Sector.VCS_CHARITY})
    assert response["Content-Disposition"].endswith(f'organisations-{timezone.localdate():%Y-%m-%d}.csv"')
    lines = _body(response).splitlines()
    assert lines[0].startswith("id,name,sector,sector group,")  # the old address's own columns
    rows = [line for line in lines if "Northtown Youth Trust" in line]
    assert len(rows) == 1 and ",0123456," in rows[0] and "Filtered out" not in "".join(lines)
    event = AuditEvent.objects.get(event_type=EventType.EXPORT)
    assert event.detail["list"] == "core-organisations" and event.detail["filters"] == {
        "sector": Sector.VCS_CHARITY
    }
    # The list's download rule: people.view (admins and auditors); anyone else finds nothing there.
    assert client_for(Role.ANALYST).get("/staff/people/export.csv").status_code == 404
