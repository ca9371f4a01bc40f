"""The sharing rule (ADR 0012) and the four ways it was broken, reproduced through the API and the pages.

`world` (conftest): police and council share North Testshire under an agreement in force; the housing
association is party to nothing.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from joinedup.casework.models import (
    AgreementStatus,
    Case,
    CaseAction,
    CaseDisclosure,
    InformationSharingAgreement,
    Person,
)
from joinedup.casework.services import add_action, record_incident
from joinedup.core.models import AuditEvent, EventType
from joinedup.core.roles import Role
from joinedup.core.tests.factories import UserFactory

from .conftest import api_client, incident_data, signed_in

pytestmark = pytest.mark.django_db

VICTIM = {
    "name": "Vera Hidden",
    "date_of_birth": "1941-07-08",
    "phone": "07700 900777",
    "email": "vera.hidden@example.org",
    "address": "2 Quiet Row",
}
HIDDEN = ("Vera Hidden", "1941-07-08", "vera.hidden@example.org", "Quiet Row")


def _post(user: Any, path: str, body: dict[str, Any]) -> Any:
    return Client().post(
        f"/api/v1{path}", json.dumps(body), content_type="application/json", **api_client(user)
    )


def _housing_case(world: dict[str, Any], **overrides: Any) -> Case:
    data = incident_data(world, "housing", informant=VICTIM, **overrides)
    return record_incident(actor=world["users"]["housing"], data=data).case


def _sees(user: Any, case: Case) -> bool:
    """Whether `user` sees the case on its page and through the API (and both agree)."""
    page = signed_in(user).get(reverse("casework:case-detail", args=[case.pk])).status_code
    api = Client().get(f"/api/v1/cases/{case.pk}", **api_client(user)).status_code
    assert {page, api} <= {200, 404} and page == api, (page, api)
    return page == 200


# --- the rule itself -----------------------------------------------------------------------------------


def test_the_reporting_organisation_sees_its_own_case_and_no_one_else_without_an_agreement(world):
    case = _housing_case(world)
    assert _sees(world["users"]["housing"], case)
    # Police and council share North Testshire with each other, not with the housing association.
    assert not _sees(world["users"]["police"], case)
    assert not _sees(world["users"]["council"], case)
    listing = signed_in(world["users"]["police"]).get(reverse("casework:case-list"), {"status": "all"})
    assert case.reference.encode() not in listing.content


def test_parties_see_each_others_cases_only_while_the_agreement_is_in_force(world, case):
    council = world["users"]["council"]
    assert _sees(council, case)
    agreement = world["agreement"]
    InformationSharingAgreement.objects.filter(pk=agreement.pk).update(status=AgreementStatus.ENDED)
    assert not _sees(council, case)
    InformationSharingAgreement.objects.filter(pk=agreement.pk).update(
        status=AgreementStatus.IN_FORCE, data_categories=["identity", "contact"]
    )
    assert not _sees(council, case), "an agreement that does not cover incident reports shares no case"


# --- reproduction 1: intake matching discloses hidden people ---------------------------------------------


def test_intake_matching_through_the_api_never_reuses_or_shows_a_hidden_person(world):
    hidden = _housing_case(world)
    victim = hidden.incidents.get().informant
    police = world["users"]["police"]
    body = incident_data(world, informant={"name": "x", "phone": VICTIM["phone"]})
    body["perpetrators"] = [{"name": "y", "phone": VICTIM["phone"]}]
    response = _post(police, "/incidents", body)
    assert response.status_code == 201, response.content
    answer = response.json()
    assert answer["repeat_victim"] is False and answer["suggestions"] == []
    detail = Client().get(f"/api/v1/cases/{answer['case']['id']}", **api_client(police))
    assert detail.status_code == 200
    text = detail.content.decode()
    for value in HIDDEN:
        assert value not in text
    incident = detail.json()["incidents"][0]
    assert incident["informant"]["full_name"] == "x" and incident["informant"]["id"] != victim.pk
    assert incident["perpetrators"][0]["id"] != victim.pk
    assert Person.objects.filter(phone="07700900777").count() == 2  # a new record, not the hidden one
    assert not CaseDisclosure.objects.exists()
    assert not _sees(police, hidden)


def test_intake_matching_through_the_page_never_shows_a_hidden_person(world):
    _housing_case(world)
    police = world["users"]["police"]
    form = {
        "reporting_organisation": police.organisation_id,
        "received_at": incident_data(world)["received_at"][:16],
        "category": "asb/nuisance/noise",
        "address": "1 High Street",
        "postcode": "NE1 4ST",
        "area": "E01900001",
        "description": "Shouting in the street.",
        "informant_name": "x",
        "informant_phone": VICTIM["phone"],
    }
    client = signed_in(police)
    checked = client.post(reverse("casework:incident-create"), form)
    assert checked.status_code == 200
    saved = client.post(reverse("casework:incident-create"), {**form, "action": "save"}, follow=True)
    assert saved.status_code == 200
    page = saved.content.decode()
    assert "x" in page and "Incident" in page
    for value in HIDDEN:
        assert value not in page


def test_intake_reuses_a_person_the_reporter_may_already_see(world, case):
    informant = case.incidents.get().informant
    again = record_incident(
        actor=world["users"]["council"],
        data=incident_data(world, "council", informant={"name": "P R", "phone": "07700900123"}),
    )
    assert again.incident.informant_id == informant.pk  # shared under the agreement: the same person


# --- reproduction 2: assigning an action opens the case ----------------------------------------------------


def test_an_action_cannot_be_given_to_an_organisation_that_may_not_see_the_case(world, case):
    housing, police = world["users"]["housing"], world["users"]["police"]
    client = signed_in(police)
    form_page = client.get(reverse("casework:action-create", args=[case.pk]))
    assert form_page.status_code == 200
    assert world["council"].name.encode() in form_page.content
    assert world["housing"].name.encode() not in form_page.content
    response = client.post(
        reverse("casework:action-create", args=[case.pk]),
        {"owner_organisation": world["housing"].pk, "action_type": "eva", "due_date": "2030-01-01"},
    )
    assert response.status_code == 200 and b"govuk-error-summary" in response.content
    with pytest.raises(ValidationError) as refused:
        add_action(
            actor=police,
            case=case,
            data={"owner_organisation": world["housing"], "action_type": "eva", "due_date": "2030-01-01"},
        )
    assert "disclosure" in str(refused.value)
    assert not CaseAction.objects.filter(owner_organisation=world["housing"]).exists()
    assert not _sees(housing, case)


def test_a_plan_action_through_the_api_cannot_open_the_case(world, case):
    from joinedup.casework.risk.services import raise_plan_for_high_risk

    police = world["users"]["police"]
    raise_plan_for_high_risk(actor=police, case=case, objective="Keep Pat safe.")
    response = _post(
        police,
        f"/cases/{case.pk}/plan/actions",
        {
            "owner_organisation": world["housing"].pk,
            "action_type": "eva",
            "due_date": (date.today() + timedelta(days=5)).isoformat(),
        },
    )
    assert response.status_code == 422
    assert not _sees(world["users"]["housing"], case)


def test_an_explicit_disclosure_opens_the_case_and_is_shown_and_audited(world, case):
    housing, police = world["users"]["housing"], world["users"]["police"]
    missing = _post(police, f"/cases/{case.pk}/disclosures", {"organisation": world["housing"].pk})
    assert missing.status_code == 422
    assert {e["loc"][-1] for e in missing.json()["detail"]} == {"reason", "lawful_basis"}
    assert not _sees(housing, case)
    page = signed_in(police).get(reverse("casework:disclosure-create", args=[case.pk]))
    assert b"govuk-warning-text" in page.content
    done = _post(
        police,
        f"/cases/{case.pk}/disclosures",
        {"organisation": world["housing"].pk, "reason": "Tenancy enforcement", "lawful_basis": "cda_s115"},
    )
    assert done.status_code == 201, done.content
    assert _sees(housing, case)
    detail = Client().get(f"/api/v1/cases/{case.pk}", **api_client(police)).json()
    assert detail["disclosures"][0]["organisation"] == world["housing"].name
    event = AuditEvent.objects.get(event_type=EventType.CASE_DISCLOSED)
    assert event.actor_email == police.email and event.detail["reason"] == "Tenancy enforcement"
    # Now that housing may see the case, it may be given an action.
    action = add_action(
        actor=police,
        case=case,
        data={"owner_organisation": world["housing"], "action_type": "eva", "due_date": "2030-01-01"},
    )
    assert action.owner_organisation == world["housing"]
    # Someone who may not read the case cannot disclose it (404, nothing recorded).
    outsider = UserFactory(role=Role.PRACTITIONER, email="other@example.org")
    refused = _post(
        outsider,
        f"/cases/{case.pk}/disclosures",
        {"organisation": outsider.organisation_id, "reason": "x", "lawful_basis": "cda_s115"},
    )
    assert refused.status_code == 404 and CaseDisclosure.objects.count() == 1


# --- reproduction 3: agreements created or edited with immediate, back-dated effect --------------------------


def _agreement_body(world: dict[str, Any], areas: list[str], **overrides: Any) -> dict[str, Any]:
    body = {
        "title": "Housing and police ASB sharing",
        "purpose": "Tackle ASB in council housing.",
        "lawful_basis": "cda_s115",
        "areas": areas,
        "data_categories": ["identity", "contact", "incidents"],
        "covers_asb_casework": True,
        "start_date": (date.today() - timedelta(days=400)).isoformat(),
        "parties": [
            {
                "organisation": world["police"].pk,
                "liaison_officer_name": "PC DLO",
                "liaison_officer_email": "pc@example.org",
            },
            {
                "organisation": world["housing"].pk,
                "liaison_officer_name": "Housing DLO",
                "liaison_officer_email": "housing@example.org",
            },
        ],
    }
    body.update(overrides)
    return body


def test_a_csp_manager_drafts_only_for_their_own_csp(world, areas):
    manager = UserFactory(role=Role.CSP_MANAGER, email="csp@example.org", areas=[areas["north"]])
    outside = _post(manager, "/sharing-agreements", _agreement_body(world, ["E22000902"]))
    assert outside.status_code == 422
    assert [e["loc"][-1] for e in outside.json()["detail"]] == ["areas"]
    force_wide = _post(manager, "/sharing-agreements", _agreement_body(world, ["E23000099"]))
    assert force_wide.status_code == 422
    inside = _post(manager, "/sharing-agreements", _agreement_body(world, ["E22000901"]))
    assert inside.status_code == 201 and inside.json()["status"] == "draft"


def test_an_agreement_shares_only_from_the_last_signature_and_stops_when_ended(world, areas):
    police_case = record_incident(actor=world["users"]["police"], data=incident_data(world)).case
    housing, police = world["users"]["housing"], world["users"]["police"]
    manager = UserFactory(role=Role.CSP_MANAGER, email="csp@example.org", areas=[areas["north"]])
    created = _post(manager, "/sharing-agreements", _agreement_body(world, ["E22000901"]))
    assert created.status_code == 201
    agreement = created.json()
    pk = agreement["id"]
    assert not _sees(housing, police_case)  # a draft shares nothing

    # A party may not sign a draft; a non-party may not sign at all.
    assert _post(housing, f"/sharing-agreements/{pk}/sign", {}).status_code == 422
    proposed = _post(manager, f"/sharing-agreements/{pk}/propose", {"version": agreement["version"]})
    assert proposed.status_code == 200 and proposed.json()["status"] == "proposed"
    assert not _sees(housing, police_case)
    assert _post(world["users"]["council"], f"/sharing-agreements/{pk}/sign", {}).status_code == 404
    # Only a draft can be changed.
    changed = Client().put(
        f"/api/v1/sharing-agreements/{pk}",
        json.dumps({**_agreement_body(world, ["E22000901"]), "version": proposed.json()["version"]}),
        content_type="application/json",
        **api_client(manager),
    )
    assert changed.status_code == 422

    first = _post(housing, f"/sharing-agreements/{pk}/sign", {})
    assert first.status_code == 200 and first.json()["status"] == "proposed"
    assert _post(housing, f"/sharing-agreements/{pk}/sign", {}).status_code == 422  # not twice
    assert not _sees(housing, police_case)
    last = _post(police, f"/sharing-agreements/{pk}/sign", {})
    assert last.status_code == 200
    in_force = last.json()
    assert in_force["status"] == "in_force" and in_force["active"] is True
    assert in_force["start_date"] == date.today().isoformat()  # never back-dated to the drafted start
    assert _sees(housing, police_case)

    review = _post(housing, f"/sharing-agreements/{pk}/review", {"review_date": "2000-01-01"})
    assert review.status_code == 422
    review = _post(
        housing,
        f"/sharing-agreements/{pk}/review",
        {"review_date": (date.today() + timedelta(days=90)).isoformat()},
    )
    assert review.status_code == 200 and review.json()["last_reviewed_on"] == date.today().isoformat()
    assert _sees(housing, police_case)

    # A CSP manager who is no party cannot end it; the OPCC administrator may end any.
    assert _post(manager, f"/sharing-agreements/{pk}/end", {"reason": "x"}).status_code == 404
    admin = UserFactory(role=Role.OPCC_ADMIN, email="admin@example.org")
    assert _post(admin, f"/sharing-agreements/{pk}/end", {}).status_code == 422
    ended = _post(admin, f"/sharing-agreements/{pk}/end", {"reason": "Replaced by a force-wide protocol"})
    assert ended.status_code == 200 and ended.json()["status"] == "ended"
    assert not _sees(housing, police_case)

    steps = list(
        AuditEvent.objects.filter(event_type=EventType.AGREEMENT_CHANGED, object_id=str(pk))
        .order_by("occurred_at", "id")
        .values_list("detail__step", flat=True)
    )
    assert steps == ["drafted", "proposed", "signed", "signed", "reviewed", "ended"]
    history = InformationSharingAgreement.history.filter(id=pk).order_by("history_date")
    assert [h.status for h in history] == ["draft", "proposed", "proposed", "in_force", "in_force", "ended"]


def test_agreement_steps_through_the_pages(world, areas):
    police_case = record_incident(actor=world["users"]["police"], data=incident_data(world)).case
    housing, police = world["users"]["housing"], world["users"]["police"]
    manager = UserFactory(role=Role.CSP_MANAGER, email="csp@example.org", areas=[areas["north"]])
    pk = _post(manager, "/sharing-agreements", _agreement_body(world, ["E22000901"])).json()["id"]
    detail = reverse("casework:agreement-detail", args=[pk])
    step = lambda name: reverse("casework:agreement-step", args=[pk, name])  # noqa: E731
    assert b"Propose to the parties" in signed_in(manager).get(detail).content
    signed_in(manager).post(step("propose"), {"version": 1})
    page = signed_in(housing).get(detail)
    assert b"Sign for my organisation" in page.content
    signed_in(housing).post(step("sign"))
    assert not _sees(housing, police_case)
    assert signed_in(world["users"]["council"]).post(step("sign")).status_code == 404
    response = signed_in(police).post(step("sign"), follow=True)
    assert b"now in force" in response.content
    assert _sees(housing, police_case)


# --- reproduction 4: repeat flags leak hidden history --------------------------------------------------------


def test_repeat_flags_and_suggestions_count_only_incidents_the_caller_may_see(world):
    for _ in range(3):
        _housing_case(world)  # three reports of the same victim, at the same place, that police cannot see
    police = world["users"]["police"]
    body = incident_data(world, informant={"name": "Anyone", "phone": VICTIM["phone"]})
    answer = _post(police, "/incidents", body).json()
    assert answer["repeat_victim"] is False and answer["repeat_location"] is False
    assert answer["suggestions"] == []
    # The same history, reported by the police themselves, does flag the repeat.
    for _ in range(2):
        _post(police, "/incidents", incident_data(world, informant={"name": "Pat", "phone": "07700 900555"}))
    third = _post(
        police, "/incidents", incident_data(world, informant={"name": "Pat", "phone": "07700 900555"})
    )
    assert third.json()["repeat_victim"] is True and third.json()["suggestions"]
