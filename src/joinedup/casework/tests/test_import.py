"""Incident intake from CSV: every problem of every row at once, all or nothing, the same rules as the form."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from joinedup.casework.imports.services import TEMPLATE_HEADER, import_incidents, template_csv
from joinedup.casework.models import Case, Incident, Person
from joinedup.casework.services import record_incident
from joinedup.core.models import AuditEvent, Postcode

from .conftest import api_client, incident_data, signed_in

pytestmark = pytest.mark.django_db


def row(**overrides):
    values = {
        "received_at": (timezone.now() - timedelta(hours=3)).strftime("%Y-%m-%d %H:%M"),
        "category": "asb/nuisance/noise",
        "postcode": "NE1 4ST",
        "latitude": "54.970000",
        "longitude": "-1.610000",
        "area": "E01900001",
        "description": "Loud music until 3am.",
        "informant_name": "Pat Resident",
        "informant_date_of_birth": "1950-02-03",
        "informant_phone": "07700 900123",
        "vulnerability_indicators": "age",
        "perpetrators": "Sam Noisy (2001-05-06)",
    }
    values.update(overrides)
    return values


def as_csv(*rows):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=TEMPLATE_HEADER)
    writer.writeheader()
    for r in rows:
        writer.writerow(r)
    return io.BytesIO(out.getvalue().encode())


def test_every_problem_of_every_row_is_listed_and_nothing_is_saved(world):
    result = import_incidents(
        actor=world["users"]["police"],
        file=as_csv(
            row(),
            row(postcode="NOPE", category="asb/alien", latitude="48.1", longitude="2.3"),
            row(
                received_at=(timezone.now() + timedelta(days=3)).strftime("%Y-%m-%d %H:%M"),
                perpetrators="(x)",
            ),
        ),
    )
    assert not result.ok
    problems = {(e.line, e.column) for e in result.errors}
    assert {(3, "postcode"), (3, "category"), (3, "latitude"), (3, "longitude")} <= problems
    assert {(4, "received_at"), (4, "perpetrators")} <= problems
    assert not any(line == 2 for line, _ in problems)
    assert not Incident.objects.exists() and not Case.objects.exists()


def test_a_valid_file_records_every_row_with_repeat_flags_and_links(world):
    rows = [row(), row(), row(latitude="54.970100")]
    result = import_incidents(actor=world["users"]["police"], file=as_csv(*rows))
    assert result.ok, result.errors
    assert Incident.objects.count() == 3
    # Third report by the same informant at the same place within 6 months: repeat victim and location.
    third = result.created[2].incident
    assert third.repeat_victim and third.repeat_location
    # Later rows are offered the case an earlier row opened.
    assert (
        result.created[1].suggestions and result.created[0].case.reference in result.created[1].suggestions[0]
    )
    event = AuditEvent.objects.filter(event_type="data_imported", object_type="casework.incident").get()
    assert event.detail["created"] == 3


def test_a_row_can_join_an_open_case_by_reference(world, case):
    result = import_incidents(actor=world["users"]["police"], file=as_csv(row(case=case.reference)))
    assert result.ok and result.created[0].case == case and not result.created[0].case_opened


def test_the_staff_page_template_and_report(world):
    client = signed_in(world["users"]["police"])
    template = client.get("/staff/casework/incidents/import/template.csv")
    assert template.status_code == 200 and template.content.decode() == template_csv()
    bad = client.post(
        "/staff/casework/incidents/import/",
        {"file": SimpleUploadedFile("i.csv", as_csv(row(category="nope")).read())},
    )
    page = bad.content.decode()
    assert "Nothing was imported" in page and "Unknown category" in page
    good = client.post(
        "/staff/casework/incidents/import/", {"file": SimpleUploadedFile("i.csv", as_csv(row()).read())}
    )
    assert "Imported 1 incident" in good.content.decode()


def test_the_api_imports_or_answers_422_with_every_problem(world):
    headers = api_client(world["users"]["council"])
    bad = Client().post(
        "/api/v1/incidents/import",
        as_csv(row(), row(postcode="NOPE")).read(),
        content_type="text/csv",
        **headers,
    )
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"] == ["file", 3, "postcode"]
    good = Client().post("/api/v1/incidents/import", as_csv(row()).read(), content_type="text/csv", **headers)
    assert good.status_code == 201, good.content
    incident = Incident.objects.get(pk=good.json()["incidents"][0]["incident_id"])
    assert incident.reporting_organisation == world["council"]


def test_a_files_postcodes_are_looked_up_in_one_query_however_many_rows(world):
    Postcode.objects.create(
        postcode="NE1 4ST", lsoa=world["areas"]["E01900001"], latitude="54.974000", longitude="-1.613000"
    )
    police = world["users"]["police"]
    located = {"latitude": "", "longitude": "", "area": ""}  # the postcode alone places each row

    def queries(rows):
        with CaptureQueriesContext(connection) as captured:
            result = import_incidents(actor=police, file=as_csv(*rows))
        return result, [q["sql"] for q in captured.captured_queries]

    # Rows refused for a postcode the directory lacks: the file is checked in the same queries however
    # many rows it has (no lookup, and no "is the directory loaded?", per row).
    unknown = row(postcode="NE4 4AA", **located)
    _few, few_queries = queries([unknown] * 2)
    many, many_queries = queries([unknown] * 8)
    assert {(e.line, e.column) for e in many.errors} == {(line, "area") for line in range(2, 10)}
    assert "NE4 4AA is not in the postcode directory" in many.errors[0].message
    assert len(many_queries) == len(few_queries)

    # Rows located by their postcode: recorded, with one postcode query for the whole file.
    for count in (2, 6):
        before = Incident.objects.count()
        result, sql = queries([row(postcode="ne14st", **located)] * count)
        assert result.ok, result.errors
        assert len([q for q in sql if Postcode._meta.db_table in q]) == 1
        added = Incident.objects.order_by("-pk")[:count]
        assert Incident.objects.count() == before + count
        assert {(i.area_id, str(i.latitude)) for i in added} == {
            (world["areas"]["E01900001"].pk, "54.974000")
        }


def test_people_named_again_in_a_file_are_one_record_each_and_never_another_agencys(world):
    # Housing (no agreement with the police) already holds a record of the same informant and neighbour.
    held_by_housing = record_incident(actor=world["users"]["housing"], data=incident_data(world, "housing"))
    housing_people = {
        held_by_housing.incident.informant_id,
        *held_by_housing.incident.perpetrators.values_list("pk", flat=True),
    }
    result = import_incidents(actor=world["users"]["police"], file=as_csv(row(), row(), row()))
    assert result.ok, result.errors
    informants = {r.incident.informant_id for r in result.created}
    perpetrators = {p for r in result.created for p in r.incident.perpetrators.values_list("pk", flat=True)}
    # One new record each for the police, named on every row; housing's records are not reused.
    assert len(informants) == 1 and len(perpetrators) == 1
    assert not (informants | perpetrators) & housing_people
    assert Person.objects.count() == 4
    # Counted only over what the police may see: the third report is a repeat, and housing's case is never
    # suggested.
    assert result.created[2].incident.repeat_victim
    assert not any(held_by_housing.case.reference in s for r in result.created for s in r.suggestions)


def test_a_files_sharing_rule_areas_and_people_are_looked_up_once_however_many_rows(world):
    # The sharing rule's agreements, the areas, the LSOA at a place and the matching of a person named
    # again are read once for the file, not once a row (they made an import of 2,000 rows take minutes).
    police = world["users"]["police"]

    def lookups(count):
        with CaptureQueriesContext(connection) as captured:
            result = import_incidents(actor=police, file=as_csv(*[row()] * count))
        assert result.ok, result.errors
        sql = [q["sql"] for q in captured.captured_queries]
        return {
            table: sum(1 for s in sql if s.startswith(f'SELECT "{table}".'))
            for table in ("casework_informationsharingagreement", "core_area", "core_lsoaboundary")
        } | {"people matched": sum(1 for s in sql if s.startswith('SELECT "casework_person"."id", '))}

    few = lookups(2)
    assert few["casework_informationsharingagreement"] >= 1 and few["people matched"] >= 1
    assert lookups(8) == few
