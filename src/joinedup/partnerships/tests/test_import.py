"""Importing an existing register from CSV: all rows or none, every problem with its line and column."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from joinedup.core.models import AuditEvent, EventType
from joinedup.core.roles import Role
from joinedup.core.services.errors import NotAllowed
from joinedup.partnerships.imports import TEMPLATE_HEADER, import_register, template_csv
from joinedup.partnerships.models import Partnership, Status
from joinedup.partnerships.tests.factories import make_organisation, make_partnership

pytestmark = pytest.mark.django_db


def _csv(*rows: dict[str, str], header: tuple[str, ...] = TEMPLATE_HEADER) -> io.BytesIO:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header)
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    return io.BytesIO(out.getvalue().encode("utf-8"))


def _row(**values: str) -> dict[str, str]:
    return {
        "name": "Strategic alliance",
        "purpose": "Share back-office and operational functions.",
        "legal_basis": "agreement",
        "level": "strategic",
        **values,
    }


@pytest.fixture
def orgs(db):
    return {
        "wm": make_organisation(name="West Mercia Police", sector="police"),
        "wk": make_organisation(name="Warwickshire Police", sector="police"),
    }


def test_a_good_file_imports_every_row_with_members_and_areas(users, areas, orgs):
    file = _csv(
        _row(
            status="active",
            areas=f"{areas['pfa'].code}; {areas['north'].code}",
            lead_organisation="west mercia police",
            members="West Mercia Police (lead, 69%); Warwickshire Police (member, 31%)",
            exit_cost="1500.25",
            next_review_date="2027-01-31",
            visibility="public",
        ),
        _row(name="Local panel", level="local", legal_basis="informal"),
        dict.fromkeys(TEMPLATE_HEADER, ""),  # a blank spreadsheet line is skipped
    )
    result = import_register(actor=users[Role.OPCC_ADMIN], file=file)
    assert result.ok, result.errors
    assert result.summary() == "Imported 2 partnerships."
    alliance = Partnership.objects.get(name="Strategic alliance")
    assert alliance.status == Status.ACTIVE
    assert alliance.lead_organisation == orgs["wm"]
    assert alliance.exit_cost == Decimal("1500.25")
    assert {a.code for a in alliance.areas.all()} == {areas["pfa"].code, areas["north"].code}
    shares = {m.organisation.name: (m.role, m.cost_share_percent) for m in alliance.memberships.all()}
    assert shares == {
        "West Mercia Police": ("lead", Decimal("69.00")),
        "Warwickshire Police": ("member", Decimal("31.00")),
    }
    assert Partnership.objects.get(name="Local panel").status == Status.PROPOSED
    assert alliance.history.first().history_change_reason.startswith("Imported")
    assert AuditEvent.objects.filter(event_type=EventType.DATA_IMPORTED).exists()


def test_a_bad_file_imports_nothing_and_reports_every_problem_by_line_and_column(users, areas, orgs):
    make_partnership(name="Already here")
    file = _csv(
        _row(name="Fine row"),
        _row(
            name="",
            legal_basis="handshake",
            level="",
            status="pending",
            areas="E99999999",
            exit_cost="-10",
            next_review_date="31/12/2026",
            lead_organisation="Nobody Police",
            members="West Mercia Police (lead, 60%); Warwickshire Police (boss, 30%)",
        ),
        _row(name="Already here"),
        _row(name="Fine row", review_cadence_months="99"),
    )
    result = import_register(actor=users[Role.OPCC_ADMIN], file=file)
    assert not result.ok
    assert not result.created
    assert not Partnership.objects.exclude(name="Already here").exists()
    problems = {(e.line, e.column) for e in result.errors}
    assert {
        (3, "name"),
        (3, "legal_basis"),
        (3, "level"),
        (3, "status"),
        (3, "areas"),
        (3, "exit_cost"),
        (3, "next_review_date"),
        (3, "lead_organisation"),
        (3, "members"),
        (4, "name"),
        (5, "name"),
        (5, "review_cadence_months"),
    } <= problems
    assert (2, "name") not in problems
    messages = [e.message for e in result.errors if e.line == 3 and e.column == "members"]
    assert any("boss" in m for m in messages)
    assert any("add up to 90%" in m for m in messages)
    assert any("also on line 2" in e.message for e in result.errors if e.line == 5)
    assert result.summary() == f"Nothing was imported: {len(result.errors)} problems in 4 rows."


def test_header_problems_are_reported_before_any_row(users, areas):
    file = _csv({"name": "x", "colour": "red"}, header=("name", "colour"))
    result = import_register(actor=users[Role.OPCC_ADMIN], file=file)
    assert {(e.line, e.column) for e in result.errors} == {
        (1, "purpose"),
        (1, "legal_basis"),
        (1, "level"),
        (1, "colour"),
    }


def test_files_that_are_not_utf8_csv_or_empty_are_refused(users, areas):
    admin = users[Role.OPCC_ADMIN]
    assert "UTF-8" in import_register(actor=admin, file=io.BytesIO(b"name\n\x81")).errors[0].message
    assert "empty" in import_register(actor=admin, file=io.BytesIO(b"")).errors[0].message
    only_header = _csv()
    assert "no rows" in import_register(actor=admin, file=only_header).errors[0].message
    too_many = io.BytesIO(b"name,purpose,legal_basis,level\na,b,agreement,local,extra\n")
    assert "More values than columns" in import_register(actor=admin, file=too_many).errors[0].message
    assert not Partnership.objects.exists()


def test_only_administrators_may_import(users, areas):
    with pytest.raises(NotAllowed):
        import_register(actor=users[Role.OPCC_OFFICER], file=_csv(_row()))
    assert not Partnership.objects.exists()


def test_the_template_imports_once_its_organisations_exist(users, areas):
    make_organisation(name="Example Police", sector="police")
    make_organisation(name="Example Fire and Rescue Service", sector="fire_rescue")
    template = template_csv()
    assert template.splitlines()[0] == ",".join(TEMPLATE_HEADER)
    # The example area code is illustrative; point it at a test area.
    text = template.replace("E23000001", areas["pfa"].code)
    result = import_register(actor=users[Role.OPCC_ADMIN], file=io.BytesIO(text.encode()))
    assert result.ok, result.errors


def test_import_page_shows_the_result_table_and_imports_a_good_file(client_for, areas, orgs):
    client = client_for(Role.OPCC_ADMIN)
    url = reverse("partnerships:import")
    page = client.get(url)
    assert page.status_code == 200
    assert reverse("partnerships:import-template") in page.content.decode()

    template = client.get(reverse("partnerships:import-template"))
    assert template["Content-Type"].startswith("text/csv")
    assert "attachment" in template["Content-Disposition"]

    bad = client.post(url, {"file": SimpleUploadedFile("r.csv", _csv(_row(level="galactic")).read())})
    body = bad.content.decode()
    assert bad.status_code == 200
    assert "Nothing was imported" in body
    assert "galactic" in body and '<td class="govuk-table__cell">level</td>' in body

    good = client.post(url, {"file": SimpleUploadedFile("r.csv", _csv(_row()).read())}, follow=True)
    assert "Imported 1 partnership." in good.content.decode()
    assert Partnership.objects.filter(name="Strategic alliance").exists()

    missing = client.post(url, {})
    assert "Choose a CSV or Excel file to import." in missing.content.decode()


def test_an_excel_workbook_and_a_windows_1252_csv_import_like_a_utf8_csv(users, areas, orgs, tmp_path):
    """Real files of both kinds Excel writes: an .xlsx workbook (a date cell, a number cell) and a plain
    "CSV" save, which is Windows-1252."""
    import datetime

    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(list(TEMPLATE_HEADER))
    row = _row(name="Café alliance \u2013 north", lead_organisation="West Mercia Police", visibility="public")
    values = [row.get(h, "") for h in TEMPLATE_HEADER]
    values[TEMPLATE_HEADER.index("next_review_date")] = datetime.date(2027, 1, 31)
    values[TEMPLATE_HEADER.index("exit_cost")] = 1500.25
    book.active.append(values)
    workbook = tmp_path / "register.xlsx"
    book.save(workbook)
    with workbook.open("rb") as file:
        result = import_register(actor=users[Role.OPCC_ADMIN], file=file)
    assert result.ok, result.errors
    imported = Partnership.objects.get(name="Café alliance \u2013 north")
    assert imported.next_review_date == datetime.date(2027, 1, 31)
    assert imported.exit_cost == Decimal("1500.25")

    plain = tmp_path / "register.csv"
    text = _csv(_row(name="Ynys Môn “safer” panel £")).getvalue().decode()
    plain.write_bytes(text.encode("cp1252"))  # csv writes Excel's \r\n line ends
    with plain.open("rb") as file:
        result = import_register(actor=users[Role.OPCC_ADMIN], file=file)
    assert result.ok, result.errors
    assert Partnership.objects.filter(name="Ynys Môn “safer” panel £").exists()
