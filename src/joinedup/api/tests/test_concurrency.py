"""Many people doing the same thing at the same moment, on PostgreSQL (where requests really overlap):
the database constraint decides, and every loser gets the same clear error a later caller would."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from joinedup.core.models import Organisation
from joinedup.core.roles import Role
from joinedup.core.services.tokens import create_token
from joinedup.core.testing import at_once
from joinedup.core.tests.factories import UserFactory, area_tree
from joinedup.partnerships.imports import TEMPLATE_HEADER, import_register
from joinedup.partnerships.models import Partnership

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL: SQLite runs one writer"),
]


def test_32_clients_creating_one_organisation_get_one_201_and_31_clear_422s() -> None:
    area_tree()
    admin = UserFactory(role=Role.OPCC_ADMIN, email="admin@example.org")
    _token, raw = create_token(user=admin, name="race", actor=None)
    names = ["Tyne Valley Housing"] + ["TYNE VALLEY HOUSING", "tyne valley housing"] * 16

    def create(index: int) -> tuple[int, Any]:
        response = Client(headers={"Authorization": f"Bearer {raw}"}).post(
            "/api/v1/organisations",
            json.dumps({"name": names[index], "sector": "vcs_charity"}),
            content_type="application/json",
        )
        return response.status_code, response.json()

    results = at_once(32, create)

    assert Counter(status for status, _body in results) == {201: 1, 422: 31}, results
    for status, body in results:
        if status == 422:
            assert body["detail"] == [
                {
                    "loc": ["body", "payload", "name"],
                    "msg": "An organisation with this name is already in the directory.",
                    "type": body["detail"][0]["type"],
                }
            ]
    assert Organisation.objects.filter(name__iexact="tyne valley housing").count() == 1


def _register_file(rows: int) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=TEMPLATE_HEADER)
    writer.writeheader()
    for number in range(1, rows + 1):
        writer.writerow(
            {
                "name": f"Shared service {number}",
                "purpose": "Share back-office functions.",
                "legal_basis": "agreement",
                "level": "strategic",
            }
        )
    return out.getvalue().encode("utf-8")


def test_8_people_importing_the_same_20_row_register_at_once_create_20_partnerships() -> None:
    area_tree()
    importers = [UserFactory(role=Role.OPCC_ADMIN, email=f"admin{i}@example.org") for i in range(8)]
    content = _register_file(20)

    results = at_once(8, lambda index: import_register(actor=importers[index], file=io.BytesIO(content)))

    assert not [r for r in results if isinstance(r, Exception)], results
    assert Partnership.objects.count() == 20
    assert sum(1 for result in results if result.ok) == 1
    for result in results:
        if not result.ok:
            assert result.created == []
            assert result.summary().startswith("Nothing was imported")
            assert {error.column for error in result.errors} == {"name"}
