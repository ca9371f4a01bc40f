"""Creating and editing information-sharing agreements: every problem at once, versions, history."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from joinedup.casework.agreements.services import save_agreement
from joinedup.casework.models import InformationSharingAgreement
from joinedup.core.roles import Role
from joinedup.core.services.errors import ConflictError, NotAllowed
from joinedup.core.tests.factories import UserFactory

from .conftest import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(world):
    return UserFactory(role=Role.OPCC_OFFICER, email="officer@example.org")


def data(world, **overrides):
    values = {
        "title": "South Testshire ASB sharing",
        "purpose": "Working ASB cases together.",
        "lawful_basis": "cda_s115",
        "covers_asb_casework": True,
        "data_categories": ["identity", "incidents"],
        "areas": ["E22000902"],
        "start_date": "2026-01-01",
        "review_date": "2027-01-01",
        "parties": [
            {
                "organisation": world["police"].pk,
                "liaison_officer_name": "DS Lee",
                "liaison_officer_email": "",
            },
            {
                "organisation": world["housing"].pk,
                "liaison_officer_name": "R Shah",
                "liaison_officer_email": "",
            },
        ],
    }
    values.update(overrides)
    return values


def test_every_problem_is_listed_at_once(world, officer):
    bad = data(
        world,
        title="",
        lawful_basis="gut feeling",
        areas=["E99999999"],
        data_categories=[],
        start_date="2026-02-30",
        parties=[{"organisation": world["police"].pk, "liaison_officer_name": ""}],
    )
    with pytest.raises(ValidationError) as caught:
        save_agreement(actor=officer, data=bad)
    errors = caught.value.message_dict
    assert set(errors) >= {"title", "lawful_basis", "areas", "data_categories", "start_date", "parties"}
    assert any("liaison officer" in m for m in errors["parties"])
    assert any("at least two parties" in m for m in errors["parties"])
    assert not InformationSharingAgreement.objects.filter(title="").exists()


def test_create_edit_and_a_stale_save_is_refused(world, officer):
    agreement = save_agreement(actor=officer, data=data(world))
    assert sorted(r.organisation.name for r in agreement.party_rows.all()) == [
        "Fictional Homes",
        "Testshire Police",
    ]
    save_agreement(
        actor=officer,
        agreement=agreement,
        expected_version=1,
        data=data(
            world,
            parties=[
                *data(world)["parties"][:1],
                {"organisation": world["council"].pk, "liaison_officer_name": "C DLO"},
            ],
        ),
    )
    agreement.refresh_from_db()
    assert agreement.version == 2
    assert sorted(r.organisation.name for r in agreement.party_rows.all()) == [
        "Northtown Council",
        "Testshire Police",
    ]
    with pytest.raises(ConflictError):
        save_agreement(
            actor=officer, agreement=agreement, expected_version=1, data=data(world, title="Stale")
        )
    assert InformationSharingAgreement.objects.get(pk=agreement.pk).title == "South Testshire ASB sharing"


def test_practitioners_may_not_edit_agreements(world):
    with pytest.raises(NotAllowed):
        save_agreement(actor=world["users"]["police"], data=data(world))
    assert signed_in(world["users"]["police"]).get("/staff/casework/agreements/new/").status_code == 404


def test_the_pages_create_edit_flag_an_overdue_review_and_show_history(world, officer):
    client = signed_in(officer)
    post = {
        "title": "Pages agreement",
        "purpose": "ASB",
        "lawful_basis": "cda_s115",
        "areas": "E22000901, E07000902",
        "data_categories": ["identity"],
        "covers_asb_casework": "on",
        "start_date": "2025-01-01",
        "review_date": (date.today() - timedelta(days=1)).isoformat(),
        "parties-TOTAL_FORMS": "6",
        "parties-INITIAL_FORMS": "0",
        "parties-MIN_NUM_FORMS": "6",
        "parties-MAX_NUM_FORMS": "6",
        "parties-0-organisation": world["police"].pk,
        "parties-0-liaison_officer_name": "DS Lee",
        "parties-1-organisation": world["council"].pk,
        "parties-1-liaison_officer_name": "",
    }
    refused = client.post("/staff/casework/agreements/new/", post)
    assert refused.status_code == 200
    assert "Party 2: name the designated liaison officer." in refused.content.decode()

    post["parties-1-liaison_officer_name"] = "C DLO"
    response = client.post("/staff/casework/agreements/new/", post, follow=True)
    assert response.status_code == 200
    agreement = InformationSharingAgreement.objects.get(title="Pages agreement")
    assert "Review overdue" in response.content.decode()
    assert "Review overdue" in client.get("/staff/casework/agreements/").content.decode()

    edit = client.get(f"/staff/casework/agreements/{agreement.pk}/edit/").content.decode()
    assert "DS Lee" in edit and 'value="1"' in edit
    stale = {**post, "version": "0", "title": "Renamed"}
    refused_edit = client.post(f"/staff/casework/agreements/{agreement.pk}/edit/", stale)
    assert refused_edit.status_code == 409
    # A refused edit is shown under the agreement's saved title, not the one that was refused.
    assert '<h1 class="govuk-heading-l">Edit Pages agreement</h1>' in refused_edit.content.decode()
    untitled = client.post(
        f"/staff/casework/agreements/{agreement.pk}/edit/", {**post, "version": "1", "title": ""}
    )
    assert '<h1 class="govuk-heading-l">Edit Pages agreement</h1>' in untitled.content.decode()
    assert InformationSharingAgreement.objects.get(pk=agreement.pk).title == "Pages agreement"
    client.post(
        f"/staff/casework/agreements/{agreement.pk}/edit/", {**post, "version": "1", "title": "Renamed"}
    )
    history = client.get(f"/staff/casework/agreements/{agreement.pk}/history/").content.decode()
    assert "Renamed" in history and "DLO C DLO" in history


def test_the_api_creates_refuses_with_every_problem_and_409_on_a_stale_version(world, officer):
    import json

    from django.test import Client

    from .conftest import api_client

    headers = api_client(officer)
    body = data(world)
    bad = Client().post(
        "/api/v1/sharing-agreements",
        json.dumps({**body, "title": "", "areas": ["E99999999"]}),
        content_type="application/json",
        **headers,
    )
    assert bad.status_code == 422
    assert {item["loc"][-1] for item in bad.json()["detail"]} >= {"title", "areas"}
    created = Client().post(
        "/api/v1/sharing-agreements", json.dumps(body), content_type="application/json", **headers
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    url = f"/api/v1/sharing-agreements/{pk}"
    changed = Client().put(
        url,
        json.dumps({**body, "title": "Renamed", "version": 1}),
        content_type="application/json",
        **headers,
    )
    assert changed.status_code == 200 and changed.json()["version"] == 2
    stale = Client().put(
        url, json.dumps({**body, "title": "Stale", "version": 1}), content_type="application/json", **headers
    )
    assert stale.status_code == 409
    refused = Client().put(
        url,
        json.dumps({**body, "version": 2}),
        content_type="application/json",
        **api_client(world["users"]["police"]),
    )
    assert refused.status_code == 404
    assert InformationSharingAgreement.objects.get(pk=pk).title == "Renamed"
