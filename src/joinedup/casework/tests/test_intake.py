"""Incident intake: every problem at once, own organisation only, linking, repeat flags, staff form and API."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from joinedup.casework.models import Case, Incident, Person
from joinedup.casework.services import record_incident, suggest_links

from .conftest import api_client, incident_data, signed_in

pytestmark = pytest.mark.django_db

BAD = {
    "postcode": "NOT A POSTCODE",
    "latitude": "48.1",
    "longitude": "2.35",
    "received_at": (timezone.now() + timedelta(days=2)).isoformat(),
    "category": "asb/nuisance/alien-landing",
}


def test_intake_lists_every_problem_at_once(world):
    with pytest.raises(ValidationError) as caught:
        record_incident(actor=world["users"]["police"], data=incident_data(world, **BAD))
    errors = caught.value.message_dict
    assert set(errors) >= {"postcode", "latitude", "longitude", "received_at", "category"}
    assert "outside England and Wales" in errors["latitude"][0]
    assert "future" in errors["received_at"][0]
    assert not Incident.objects.exists() and not Case.objects.exists()


def test_api_intake_422_lists_every_problem(world):
    response = Client().post(
        "/api/v1/incidents",
        json.dumps(incident_data(world, **BAD)),
        content_type="application/json",
        **api_client(world["users"]["police"]),
    )
    assert response.status_code == 422
    fields = {item["loc"][-1] for item in response.json()["detail"]}
    assert fields >= {"postcode", "latitude", "longitude", "received_at", "category"}


def test_api_refuses_an_incident_for_another_organisation(world):
    data = incident_data(world, reporting_organisation=world["council"].pk)
    response = Client().post(
        "/api/v1/incidents",
        json.dumps(data),
        content_type="application/json",
        **api_client(world["users"]["police"]),
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "payload", "reporting_organisation"]
    assert not Incident.objects.exists()


def test_api_answers_with_the_incident_and_the_case_it_opened_or_joined(world):
    headers = api_client(world["users"]["police"])
    first = Client().post(
        "/api/v1/incidents", json.dumps(incident_data(world)), content_type="application/json", **headers
    )
    assert first.status_code == 201, first.content
    body = first.json()
    assert (
        body["case_opened"] is True
        and Incident.objects.get(pk=body["incident_id"]).case_id == body["case"]["id"]
    )

    # The council reports the same noise nearby: the answer suggests the police's case.
    council = api_client(world["users"]["council"])
    data = incident_data(
        world, "council", latitude="54.970500", informant={"name": "Other Person"}, perpetrators=[]
    )
    second = Client().post("/api/v1/incidents", json.dumps(data), content_type="application/json", **council)
    assert second.status_code == 201
    suggestion = second.json()["suggestions"][0]
    assert suggestion["case"]["id"] == body["case"]["id"] and "Reported within" in suggestion["reasons"][0]

    # It joins that case when asked to.
    data["case"] = body["case"]["id"]
    third = Client().post("/api/v1/incidents", json.dumps(data), content_type="application/json", **council)
    assert third.json()["case_opened"] is False and third.json()["case"]["id"] == body["case"]["id"]


def test_same_person_and_same_perpetrator_are_suggested(world, case):
    police = world["users"]["police"]
    far = {"latitude": "52.000000", "longitude": "-1.000000", "address": "Elsewhere"}
    by_phone = record_incident(
        actor=police,
        data=incident_data(
            world, **far, informant={"name": "P. Resident", "phone": "07700900123"}, perpetrators=[]
        ),
    )
    assert [s.case for s in by_phone.suggestions] == [case]
    assert by_phone.suggestions[0].reasons == ["Same informant or victim"]
    by_perpetrator = record_incident(
        actor=police,
        data=incident_data(
            world, **far, informant=None, perpetrators=[{"name": "SAM NOISY", "date_of_birth": "2001-05-06"}]
        ),
    )
    reasons = {s.case.pk: s.reasons for s in by_perpetrator.suggestions}
    assert reasons[case.pk] == ["Same alleged perpetrator"]
    # Outsiders are never told about a case they may not see.
    assert (
        suggest_links(
            user=world["users"]["housing"],
            received_at=timezone.now(),
            latitude=case.incidents.first().latitude,
            longitude=case.incidents.first().longitude,
        )
        == []
    )


def test_third_report_in_six_months_flags_a_repeat_victim_and_location_and_a_risk_assessment(world):
    police = world["users"]["police"]
    first = record_incident(
        actor=police, data=incident_data(world, received_at=(timezone.now() - timedelta(days=60)).isoformat())
    )
    case_id = first.case.pk
    second = record_incident(actor=police, data=incident_data(world, case=case_id))
    assert not second.incident.repeat_victim
    third = record_incident(actor=police, data=incident_data(world, case=case_id))
    assert third.incident.repeat_victim and third.incident.repeat_location
    case = Case.objects.get(pk=case_id)
    assert case.repeat_victim and case.repeat_location and case.risk_assessment_due_at is not None
    assert Person.objects.filter(full_name="Pat Resident").count() == 1  # matched, not duplicated


def test_staff_form_checks_for_matches_then_saves(world, case):
    client = signed_in(world["users"]["council"])
    url = reverse("casework:incident-create")
    assert client.get(url).status_code == 200
    form = {
        "received_at": (timezone.now() - timedelta(hours=1)).strftime("%Y-%m-%d %H:%M"),
        "category": "asb/nuisance/noise",
        "postcode": "ne14st",
        "latitude": "54.9701",
        "longitude": "-1.6101",
        "area": "E01900001",
        "description": "Music again",
        "informant_name": "Jo Neighbour",
    }
    checked = client.post(url, {**form, "action": "check"})
    assert checked.status_code == 200 and case.reference.encode() in checked.content
    saved = client.post(url, {**form, "action": "save", "case": str(case.pk)})
    assert saved.status_code == 302 and saved["Location"] == reverse("casework:case-detail", args=[case.pk])
    assert case.incidents.count() == 2
    assert case.incidents.order_by("-id").first().postcode == "NE1 4ST"


def test_staff_form_shows_every_problem(world):
    client = signed_in(world["users"]["police"])
    response = client.post(
        reverse("casework:incident-create"),
        {
            "action": "save",
            "postcode": "XX",
            "latitude": "60",
            "longitude": "0",
            "category": "",
            "area": "E99",
        },
    )
    assert response.status_code == 200
    for message in (
        b"not a UK postcode",
        b"outside England and Wales",
        b"Choose a category",
        b"Unknown area",
        b"Describe what happened",
        b"when the report was received",
    ):
        assert message in response.content
