"""The organisation directory: list, filters, export, record page with history, add, edit, conflicts."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from joinedup.core.models import AuditEvent, EventType, Organisation, Sector
from joinedup.core.roles import Role
from joinedup.core.services.errors import ConflictError, NotAllowed
from joinedup.core.services.organisations import create_organisation, update_organisation
from joinedup.core.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def _csv_rows(response) -> list[dict[str, str]]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(body)))


def test_list_filters_by_sector_and_area_and_counts(client_for, areas):
    police = OrganisationFactory(
        name="Testshire Police", sector=Sector.POLICE_FORCE, responsible_authority="police"
    )
    police.areas.set([areas["pfa"]])
    charity = OrganisationFactory(name="Northtown Youth Trust", sector=Sector.VCS_CHARITY)
    charity.areas.set([areas["north_lad"]])
    OrganisationFactory(name="Elsewhere Council", sector=Sector.LA_DISTRICT)
    client = client_for(Role.OPCC_OFFICER)

    page = client.get(reverse("staff:organisation-list"), {"sector": "vcs_charity"})
    assert page.status_code == 200
    names = [o.name for o in page.context["page_obj"].object_list]
    assert "Northtown Youth Trust" in names and "Testshire Police" not in names

    # An organisation serving the force area serves the LSOAs inside it too.
    page = client.get(reverse("staff:organisation-list"), {"area": "E01900001"})
    names = {o.name for o in page.context["page_obj"].object_list}
    assert names == {"Testshire Police", "Northtown Youth Trust"}
    assert b"<strong>2</strong> organisations" in page.content


def test_list_sorts_and_search(client_for):
    OrganisationFactory(name="Alpha Trust")
    OrganisationFactory(name="Zulu Trust")
    client = client_for(Role.ANALYST)
    page = client.get(reverse("staff:organisation-list"), {"sort": "-name", "q": "trust"})
    names = [o.name for o in page.context["page_obj"].object_list]
    assert names == ["Zulu Trust", "Alpha Trust"]
    assert b'aria-sort="descending"' in page.content


def test_csv_export_has_the_filtered_rows_and_is_logged(client_for, users):
    OrganisationFactory(name="=HYPERLINK(evil)", sector=Sector.BUSINESS)
    OrganisationFactory(name="Northtown Youth Trust", sector=Sector.VCS_CHARITY, charity_number="1234567")
    response = client_for(Role.AUDITOR).get(reverse("staff:organisation-export"), {"sector": "business"})
    assert response["Content-Type"].startswith("text/csv")
    rows = _csv_rows(response)
    assert [row["name"] for row in rows] == ["'=HYPERLINK(evil)"]  # neutralised for spreadsheets
    event = AuditEvent.objects.get(event_type=EventType.EXPORT)
    assert event.actor_email == users[Role.AUDITOR].email
    assert event.detail["filters"] == {"sector": "business"}


def test_create_reports_every_error_at_once_and_saves_nothing(users):
    before = Organisation.objects.count()
    with pytest.raises(ValidationError) as caught:
        create_organisation(
            actor=users[Role.OPCC_OFFICER],
            data={
                "name": "",
                "sector": "not-a-sector",
                "website": "not a url",
                "charity_number": "12",
                "areas": ["E99999999"],
            },
        )
    assert set(caught.value.message_dict) == {"name", "sector", "website", "charity_number", "areas"}
    assert Organisation.objects.count() == before


def test_add_page_shows_errors_in_a_summary(client_for):
    client = client_for(Role.OPCC_OFFICER)
    response = client.post(
        reverse("staff:organisation-create"), {"name": "", "sector": "", "website": "nope"}
    )
    assert response.status_code == 200
    assert b"govuk-error-summary" in response.content
    assert b"Enter a valid URL" in response.content


def test_add_then_edit_records_history_with_who_and_before_after(client_for, users, areas):
    client = client_for(Role.OPCC_OFFICER)
    response = client.post(
        reverse("staff:organisation-create"),
        {"name": "Northtown Women's Aid", "sector": "vcs_charity", "areas": "E07000901"},
    )
    organisation = Organisation.objects.get(name="Northtown Women's Aid")
    assert response.status_code == 302
    assert list(organisation.areas.values_list("code", flat=True)) == ["E07000901"]

    response = client.post(
        reverse("staff:organisation-edit", args=[organisation.pk]),
        {
            "name": "Northtown Women's Aid",
            "sector": "vcs_social_enterprise",
            "areas": "E07000901",
            "version": organisation.version,
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("staff:organisation-detail", args=[organisation.pk]))
    history = page.context["history"]
    assert history[0].who.startswith(users[Role.OPCC_OFFICER].full_name)
    change = history[0].changes[0]
    assert (change.label, change.before, change.after) == (
        "Sector",
        "Voluntary and community sector: charity",
        "Voluntary and community sector: social enterprise",
    )
    assert b"Voluntary and community sector: social enterprise" in page.content


def test_stale_edit_is_refused_and_the_other_save_survives(client_for, users):
    organisation = OrganisationFactory(name="Shared Record", sector=Sector.BUSINESS)
    loaded_version = organisation.version
    update_organisation(
        actor=users[Role.OPCC_ADMIN],
        organisation=Organisation.objects.get(pk=organisation.pk),
        expected_version=loaded_version,
        data={"description": "First save"},
    )
    with pytest.raises(ConflictError):
        update_organisation(
            actor=users[Role.OPCC_OFFICER],
            organisation=Organisation.objects.get(pk=organisation.pk),
            expected_version=loaded_version,
            data={"description": "Second save"},
        )
    assert Organisation.objects.get(pk=organisation.pk).description == "First save"

    response = client_for(Role.OPCC_OFFICER).post(
        reverse("staff:organisation-edit", args=[organisation.pk]),
        {"name": "Shared Record", "sector": "business", "description": "Third", "version": loaded_version},
    )
    assert response.status_code == 409
    assert b"Someone else changed this record" in response.content
    assert Organisation.objects.get(pk=organisation.pk).description == "First save"


def test_csp_manager_edits_only_organisations_working_wholly_in_their_area(client_for, users, areas):
    local = OrganisationFactory(name="Northtown Food Bank")
    local.areas.set([areas["north_lad"]])
    county = OrganisationFactory(name="Testshire Fire")
    county.areas.set([areas["pfa"]])
    client = client_for(Role.CSP_MANAGER)
    assert client.get(reverse("staff:organisation-edit", args=[local.pk])).status_code == 200
    assert client.get(reverse("staff:organisation-edit", args=[county.pk])).status_code == 404
    assert AuditEvent.objects.filter(event_type=EventType.PERMISSION_DENIED).count() == 1
    with pytest.raises(NotAllowed):
        update_organisation(actor=users[Role.CSP_MANAGER], organisation=county, expected_version=1, data={})
    # and may not move one of theirs outside their area
    with pytest.raises(ValidationError) as caught:
        update_organisation(
            actor=users[Role.CSP_MANAGER],
            organisation=local,
            expected_version=local.version,
            data={"areas": ["E07000902"]},
        )
    assert "areas" in caught.value.message_dict


def test_panel_member_reads_but_cannot_add(client_for):
    client = client_for(Role.PANEL_MEMBER)
    assert client.get(reverse("staff:organisation-list")).status_code == 200
    assert client.get(reverse("staff:organisation-create")).status_code == 404


def _edit_many_times(organisation, actor, areas, times: int) -> None:
    for n in range(times):
        current = Organisation.objects.get(pk=organisation.pk)
        update_organisation(
            actor=actor,
            organisation=current,
            expected_version=current.version,
            data={"description": f"Edit {n}", "areas": [areas["north_lad" if n % 2 else "south_lad"].code]},
        )


def test_record_page_queries_do_not_grow_with_its_history(client_for, users, areas):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    short = OrganisationFactory(name="Short History")
    long = OrganisationFactory(name="Long History")
    _edit_many_times(short, users[Role.OPCC_ADMIN], areas, 2)
    _edit_many_times(long, users[Role.OPCC_ADMIN], areas, 30)
    client = client_for(Role.OPCC_OFFICER)
    counts = []
    for organisation in (short, long):
        with CaptureQueriesContext(connection) as queries:
            page = client.get(reverse("staff:organisation-detail", args=[organisation.pk]))
        assert page.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    history = page.context["history"]
    assert len(history) == 31  # created + 30 edits, each shown once however many rows it wrote
    labels = {change.label for change in history[0].changes}
    assert labels == {"Description", "Areas"}
    areas_change = next(c for c in history[0].changes if c.label == "Areas")
    assert {areas_change.before, areas_change.after} == {"Northtown (E07000901)", "Southtown (E07000902)"}


def test_a_long_change_reason_is_shortened_to_what_history_keeps():
    from joinedup.core.services.versioning import CHANGE_REASON_LENGTH, stamp

    organisation = OrganisationFactory.build()
    stamp(organisation, actor=None, reason="Changed — " + "a party, " * 40)
    assert len(organisation._change_reason) == CHANGE_REASON_LENGTH
    assert organisation._change_reason.endswith("…")
