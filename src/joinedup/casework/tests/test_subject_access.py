"""Subject access: everything about one person, for the OPCC administrator only, audited."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from joinedup.casework.models import Person
from joinedup.casework.services import record_informant_update
from joinedup.core.models import AuditEvent
from joinedup.core.roles import Role
from joinedup.core.tests.factories import UserFactory

from .conftest import api_client, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(world):
    return UserFactory(role=Role.OPCC_ADMIN, email="dpo@example.org")


def test_the_report_gathers_incidents_cases_updates_and_views_without_naming_others(world, case, admin):
    police = world["users"]["police"]
    record_informant_update(
        actor=police, case=case, data={"method": "letter", "summary": "Warning letter sent."}
    )
    signed_in(world["users"]["council"]).get(f"/staff/casework/cases/{case.pk}/")
    signed_in(police).get("/staff/casework/tasking/sheet/")
    pat = Person.objects.get(full_name="Pat Resident")

    client = signed_in(admin)
    found = client.post("/staff/casework/subject-access/", {"name": "pat resident"}).content.decode()
    assert f'value="{pat.pk}"' in found
    page = client.get("/staff/casework/subject-access/report/", {"person": pat.pk}).content.decode()
    assert "Loud music until 3am." in page and "Warning letter sent." in page
    assert "council@example.org" in page  # who viewed the case
    assert "Sam Noisy" not in page  # the alleged perpetrator is not disclosed to the informant

    download = client.get("/staff/casework/subject-access/report/", {"person": pat.pk, "format": "json"})
    data = json.loads(download.content)
    assert data["people"][0]["phone"] == "07700900123"
    assert [i["role"] for i in data["incidents"]] == ["informant or victim"]
    assert data["cases"][0]["reference"] == case.reference
    assert {(v["by"], v["how"]) for v in data["views"]} >= {
        ("council@example.org", "case page or API"),
        ("pc@example.org", "daily action sheet"),
    }
    assert AuditEvent.objects.filter(event_type="export", object_type="casework.subject_access").count() == 2

    sam = Person.objects.get(full_name="Sam Noisy")
    as_perpetrator = client.get(
        "/staff/casework/subject-access/report/", {"person": sam.pk, "format": "json"}
    )
    body = json.loads(as_perpetrator.content)
    assert [i["role"] for i in body["incidents"]] == ["alleged perpetrator"]
    assert "Pat Resident" not in as_perpetrator.content.decode() and body["informant_updates"] == []


def test_only_the_opcc_administrator_may_export(world, case, admin):
    pat = Person.objects.get(full_name="Pat Resident")
    police = world["users"]["police"]
    assert (
        signed_in(police).get("/staff/casework/subject-access/report/", {"person": pat.pk}).status_code == 404
    )
    api = Client().get(f"/api/v1/casework/subject-access?person={pat.pk}", **api_client(police))
    assert api.status_code == 404
    ok = Client().get(f"/api/v1/casework/subject-access?person={pat.pk}", **api_client(admin))
    assert ok.status_code == 200 and ok.json()["people"][0]["full_name"] == "Pat Resident"
