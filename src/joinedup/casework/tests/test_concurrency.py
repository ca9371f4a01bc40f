"""Concurrent intake on PostgreSQL (where requests really overlap): 32 reports at once with the same informant
make one person, every report is kept, and joining an open case without a version is never refused."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from joinedup.casework.models import Incident, Person
from joinedup.casework.services import record_incident
from joinedup.core.services.tokens import create_token
from joinedup.core.testing import at_once

from .conftest import incident_data

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL: SQLite runs one writer"),
]


def test_32_reports_at_once_with_the_same_informant_make_one_person_and_keep_every_report(world):
    police = world["users"]["police"]
    opened = record_incident(
        actor=police, data=incident_data(world, informant={"name": "Someone Else", "phone": "07700900999"})
    ).case
    _token, raw = create_token(user=police, name="race", actor=None)
    informant = {"name": "Rita Repeat", "date_of_birth": "1960-01-02", "phone": "07700 900246"}

    def report(index: int) -> tuple[int, Any]:
        # Half join the open case (without a version), half open cases of their own.
        extra = {"case": opened.pk} if index % 2 else {}
        body = incident_data(world, informant=informant, description=f"Report {index}", **extra)
        response = Client(headers={"Authorization": f"Bearer {raw}"}).post(
            "/api/v1/incidents", json.dumps(body), content_type="application/json"
        )
        return response.status_code, response.json()

    results = at_once(32, report)

    assert Counter(r[0] if isinstance(r, tuple) else repr(r) for r in results) == {201: 32}, results
    assert Person.objects.filter(phone="07700900246").count() == 1
    reports = Incident.objects.filter(description__startswith="Report ")
    assert reports.count() == 32
    assert reports.values("informant").distinct().count() == 1
    assert reports.filter(case=opened).count() == 16
