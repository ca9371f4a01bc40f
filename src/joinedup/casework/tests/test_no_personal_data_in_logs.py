"""No name, date of birth, phone or email in an access-log line or any other log line, over a whole journey.

The server's access log (gunicorn, `joinedup serve`) writes each request's method, path with its query
string, status, referrer and user agent. The test writes the same line for every request of a journey
(from the WSGI environ Django receives) and captures every log record, then looks for the person's details
in any of them. Personal searches are POSTs, so their fields travel in the body, which is never logged.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from django.core.signals import request_started
from django.test import Client
from django.urls import reverse

from joinedup.casework.models import Case, Person
from joinedup.core.roles import Role
from joinedup.core.tests.factories import UserFactory

from .conftest import api_client, incident_data, signed_in

pytestmark = pytest.mark.django_db

PERSON = {
    "name": "Winifred Quarrington",
    "date_of_birth": "1938-11-23",
    "phone": "07700 900318",
    "email": "winifred.q@example.org",
}
# What must never be in a log line, in every form it could take in a URL.
NEEDLES = (
    "Winifred",
    "Quarrington",
    "1938-11-23",
    "07700900318",
    "07700+900318",
    "07700%20900318",
    "900318",
    "winifred.q",
)


@pytest.fixture
def access_log() -> Any:
    """Every request's access-log line, as gunicorn's default format writes it."""
    lines: list[str] = []

    def log(sender: Any, environ: dict[str, Any] | None = None, **kwargs: Any) -> None:
        environ = environ or {}
        query = environ.get("QUERY_STRING", "")
        target = environ.get("PATH_INFO", "") + (f"?{query}" if query else "")
        lines.append(
            f'{environ.get("REMOTE_ADDR", "-")} - - "{environ.get("REQUEST_METHOD")} {target} HTTP/1.1" '
            f'"{environ.get("HTTP_REFERER", "-")}" "{environ.get("HTTP_USER_AGENT", "-")}"'
        )

    request_started.connect(log)
    yield lines
    request_started.disconnect(log)


def test_a_whole_journey_leaves_no_personal_details_in_any_log_line(world, access_log, caplog):
    caplog.set_level(logging.DEBUG)
    police = world["users"]["police"]
    admin = UserFactory(role=Role.OPCC_ADMIN, email="admin@example.org")
    client = signed_in(police)

    # A practitioner records the incident on the staff site (checked, then saved) and opens the case.
    form = {
        "reporting_organisation": police.organisation_id,
        "received_at": incident_data(world)["received_at"][:16],
        "category": "asb/nuisance/noise",
        "address": "1 High Street",
        "postcode": "NE1 4ST",
        "area": "E01900001",
        "description": "Shouting every night.",
        "informant_name": PERSON["name"],
        "informant_date_of_birth": PERSON["date_of_birth"],
        "informant_phone": PERSON["phone"],
        "informant_email": PERSON["email"],
    }
    client.post(reverse("casework:incident-create"), form)
    saved = client.post(reverse("casework:incident-create"), {**form, "action": "save"}, follow=True)
    assert saved.status_code == 200 and PERSON["name"].encode() in saved.content
    case = Case.objects.get()
    client.get(reverse("casework:case-list"), {"status": "all"})
    client.get(reverse("casework:case-detail", args=[case.pk]))

    # A partner system reports again through the API and reads the case.
    body = incident_data(world, informant={**PERSON}, case=case.pk)
    headers = api_client(police)
    posted = Client().post("/api/v1/incidents", json.dumps(body), content_type="application/json", **headers)
    assert posted.status_code == 201
    assert Client().get(f"/api/v1/cases/{case.pk}", **headers).json()["incidents"][0]["informant"]
    # A bad report: the 422 is logged as a warning, by path only.
    bad = Client().post(
        "/api/v1/incidents",
        json.dumps({**body, "postcode": "NOT A POSTCODE"}),
        content_type="application/json",
        **headers,
    )
    assert bad.status_code == 422

    # The OPCC answers a subject access request: search, choose the record, read and download it.
    opcc = signed_in(admin)
    assert opcc.get(reverse("casework:subject-access")).status_code == 200
    for search in (
        {"name": PERSON["name"], "date_of_birth": PERSON["date_of_birth"]},
        {"phone": PERSON["phone"]},
        {"email": PERSON["email"]},
    ):
        found = opcc.post(reverse("casework:subject-access"), search)
        assert PERSON["name"].encode() in found.content
    person = Person.objects.get(full_name=PERSON["name"])
    report = opcc.get(reverse("casework:subject-access-report"), {"person": person.pk})
    assert PERSON["email"].encode() in report.content
    opcc.get(reverse("casework:subject-access-report"), {"person": person.pk, "format": "json"})
    Client().get(f"/api/v1/casework/subject-access?person={person.pk}", **api_client(admin))

    assert len(access_log) >= 12
    logged = access_log + [record.getMessage() for record in caplog.records]
    leaks = [(line, needle) for line in logged for needle in NEEDLES if needle.lower() in line.lower()]
    assert leaks == []
