"""The partnership API: lists and filters, propose, edit (409 on a stale version), lifecycle, assessment, reviews."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from joinedup.core.models import User
from joinedup.core.roles import Role
from joinedup.core.services.tokens import create_token
from joinedup.partnerships.models import (
    BusinessCaseAssessment,
    Membership,
    Partnership,
    Question,
    Rating,
    Status,
    Visibility,
)
from joinedup.partnerships.tests.factories import make_organisation, make_partnership

pytestmark = pytest.mark.django_db
ROOT = "/api/v1/partnerships"


@pytest.fixture
def api_as(users: dict[str, User]) -> Callable[[str], Client]:
    def make(role: str) -> Client:
        _token, raw = create_token(user=users[role], name="tests", actor=None)
        return Client(headers={"Authorization": f"Bearer {raw}"})

    return make


def _send(client: Client, method: str, url: str, body: dict[str, Any]) -> Any:
    return client.generic(method, url, data=json.dumps(body), content_type="application/json")


def _valid(**overrides: Any) -> dict[str, Any]:
    return {
        "name": "Joint vehicle workshop",
        "purpose": "Maintain police and fire vehicles on one site.",
        "legal_basis": "contractual",
        "level": "operational",
        "exit_triggers": "Either partner gives notice.",
        "exit_steps": "Twelve months' notice.",
        "exit_cost": "15000.50",
        **overrides,
    }


def test_list_is_paginated_and_filtered(api_as, areas):
    make_partnership(name="Active one", status=Status.ACTIVE)
    make_partnership(name="Proposed one")
    make_partnership(name="No exit", exit_triggers="", exit_steps="")
    client = api_as(Role.ANALYST)

    everything = client.get(ROOT).json()
    assert everything["count"] == 3
    assert [item["name"] for item in everything["items"]] == ["Active one", "No exit", "Proposed one"]

    active = client.get(f"{ROOT}?status=active").json()
    assert [item["name"] for item in active["items"]] == ["Active one"]
    no_exit = client.get(f"{ROOT}?no_exit_strategy=true").json()
    assert [item["name"] for item in no_exit["items"]] == ["No exit"]
    assert client.get(f"{ROOT}?limit=1&offset=1").json()["items"][0]["name"] == "No exit"


def test_list_refuses_unknown_filter_values(api_as, areas):
    response = api_as(Role.ANALYST).get(f"{ROOT}?sector_group=nonsense")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "sector_group"]


def test_officer_proposes_and_reads_a_partnership(api_as, areas):
    lead = make_organisation(name="Humberside Police")
    client = api_as(Role.OPCC_OFFICER)
    response = _send(
        client, "POST", ROOT, _valid(lead_organisation=lead.pk, areas=[areas["north"].code.lower()])
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "proposed"
    assert body["lead_organisation"] == {"id": lead.pk, "name": "Humberside Police"}
    assert body["areas"] == [areas["north"].code]
    assert body["exit_cost"] == "15000.50"
    assert body["available_transitions"] == ["submit"]
    detail = client.get(f"{ROOT}/{body['id']}").json()
    assert detail["name"] == "Joint vehicle workshop" and detail["version"] == 1


def test_create_lists_every_error_at_once_and_saves_nothing(api_as, areas):
    response = _send(
        api_as(Role.OPCC_OFFICER),
        "POST",
        ROOT,
        {
            "name": "",
            "purpose": "",
            "legal_basis": "handshake",
            "level": "galactic",
            "exit_cost": "-5",
            "review_cadence_months": 99,
            "next_review_date": "31/02/2026",
            "areas": ["E99999999"],
            "lead_organisation": 999999,
        },
    )
    assert response.status_code == 422
    fields = {tuple(item["loc"])[-1] for item in response.json()["detail"]}
    assert fields >= {
        "name",
        "purpose",
        "legal_basis",
        "level",
        "exit_cost",
        "review_cadence_months",
        "next_review_date",
        "areas",
        "lead_organisation",
    }
    assert all(item["loc"][:2] == ["body", "payload"] for item in response.json()["detail"])
    assert not Partnership.objects.exists()


def test_roles_that_may_not_propose_get_403(api_as, areas):
    response = _send(api_as(Role.ANALYST), "POST", ROOT, _valid())
    assert response.status_code == 403
    assert not Partnership.objects.exists()


def test_update_with_a_stale_version_is_409_and_changes_nothing(api_as, areas):
    partnership = make_partnership(name="Original")
    client = api_as(Role.OPCC_OFFICER)
    first = _send(client, "PUT", f"{ROOT}/{partnership.pk}", _valid(name="First edit", version=1))
    assert first.status_code == 200 and first.json()["version"] == 2
    second = _send(client, "PUT", f"{ROOT}/{partnership.pk}", _valid(name="Second edit", version=1))
    assert second.status_code == 409
    assert second.json()["current_version"] == 2
    partnership.refresh_from_db()
    assert partnership.name == "First edit"


def test_update_404_for_roles_that_may_not_change_and_for_missing(api_as, areas):
    partnership = make_partnership(name="Original")
    response = _send(api_as(Role.ANALYST), "PUT", f"{ROOT}/{partnership.pk}", _valid(version=1))
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
    assert api_as(Role.ANALYST).get(f"{ROOT}/999999").status_code == 404
    partnership.refresh_from_db()
    assert partnership.name == "Original"


def test_transition_legal_illegal_and_not_allowed(api_as, areas):
    partnership = make_partnership()
    officer, admin = api_as(Role.OPCC_OFFICER), api_as(Role.OPCC_ADMIN)
    url = f"{ROOT}/{partnership.pk}/transitions"

    illegal = _send(admin, "POST", url, {"transition": "approve", "reason": "", "version": 1})
    assert illegal.status_code == 422
    messages = {item["loc"][-1]: item["msg"] for item in illegal.json()["detail"]}
    assert "cannot be approved before it has been submitted" in messages["transition"]
    assert "Give a reason" in messages["reason"]

    ok = _send(officer, "POST", url, {"transition": "submit", "reason": "Ready", "version": 1})
    assert ok.status_code == 200 and ok.json()["status"] == "under_assessment"

    # Approving is the administrator's step: for an officer it does not exist.
    assert (
        _send(officer, "POST", url, {"transition": "approve", "reason": "Go", "version": 2}).status_code
        == 404
    )
    stale = _send(admin, "POST", url, {"transition": "decline", "reason": "No", "version": 1})
    assert stale.status_code == 409
    # Approval without a completed assessment is refused with the reason.
    refused = _send(admin, "POST", url, {"transition": "approve", "reason": "Go", "version": 2})
    assert refused.status_code == 422
    assert "assessment" in refused.json()["detail"][0]["msg"]
    partnership.refresh_from_db()
    assert partnership.status == Status.UNDER_ASSESSMENT


def test_assessment_saves_and_suggests_then_approval_works(api_as, areas):
    from joinedup.partnerships.models import Membership
    from joinedup.partnerships.tests.factories import make_organisation

    partnership = make_partnership(status=Status.UNDER_ASSESSMENT)
    Membership.objects.create(partnership=partnership, organisation=make_organisation())
    admin = api_as(Role.OPCC_ADMIN)
    url = f"{ROOT}/{partnership.pk}/assessment"

    red = _send(
        admin,
        "PUT",
        url,
        {"answers": {"legal_powers": {"rating": "red", "evidence": "No power to partner."}}, "version": 0},
    )
    assert red.status_code == 200
    assert red.json()["suggested_recommendation"] == "do_not_proceed"
    assert red.json()["complete"] is False

    answers = {q: {"rating": Rating.GREEN, "evidence": f"Evidence for {q}."} for q in Question.values}
    done = _send(
        admin,
        "PUT",
        url,
        {"answers": answers, "recommendation": "partner", "version": red.json()["version"]},
    )
    assert done.status_code == 200, done.json()
    assert done.json()["complete"] is True and done.json()["problems"] == []

    stale = _send(admin, "PUT", url, {"answers": answers, "recommendation": "partner", "version": 1})
    assert stale.status_code == 409

    approved = _send(
        admin,
        "POST",
        f"{ROOT}/{partnership.pk}/transitions",
        {"transition": "approve", "reason": "Good", "version": partnership.version},
    )
    assert approved.status_code == 200 and approved.json()["status"] == "approved"


def test_assessment_lists_every_error(api_as, areas):
    partnership = make_partnership()
    response = _send(
        api_as(Role.OPCC_OFFICER),
        "PUT",
        f"{ROOT}/{partnership.pk}/assessment",
        {
            "answers": {"legal_powers": {"rating": "pink"}, "benefits": {"rating": "red"}},
            "recommendation": "contract",
            "version": 0,
        },
    )
    assert response.status_code == 422
    fields = {item["loc"][-1] for item in response.json()["detail"]}
    assert fields == {
        "legal_powers_rating",
        "legal_powers_evidence",
        "benefits_evidence",
        "recommendation_reason",
    }
    assert not BusinessCaseAssessment.objects.exists()


def test_review_completion(api_as, areas):
    partnership = make_partnership(status=Status.UNDER_REVIEW, visibility=Visibility.PUBLIC)
    url = f"{ROOT}/{partnership.pk}/reviews"
    bad = _send(
        api_as(Role.OPCC_ADMIN),
        "POST",
        url,
        {
            "reviewed_on": "2026-02-01",
            "added_value": "",
            "financial_costs": "-1",
            "decision": "maybe",
            "decision_reason": "",
            "actions": [{"action": "Rewrite the agreement", "owner": "", "due_on": "2026-01-01"}],
        },
    )
    assert bad.status_code == 422
    fields = {item["loc"][-1] for item in bad.json()["detail"]}
    assert {"added_value", "financial_costs", "decision", "decision_reason", "action_1_owner"} <= fields

    officer = _send(api_as(Role.OPCC_OFFICER), "POST", url, {"decision": "revise"})
    assert officer.status_code == 404

    good = _send(
        api_as(Role.OPCC_ADMIN),
        "POST",
        url,
        {
            "reviewed_on": "2026-02-01",
            "added_value": "Shared depot in use.",
            "financial_costs": "1200.00",
            "decision": "revise",
            "decision_reason": "Scope has grown.",
            "actions": [{"action": "Rewrite the agreement", "owner": "OPCC", "due_on": "2026-03-01"}],
        },
    )
    assert good.status_code == 201, good.json()
    assert good.json()["partnership_status"] == "revised"
    assert good.json()["actions"][0]["owner"] == "OPCC"
    partnership.refresh_from_db()
    assert partnership.status == Status.REVISED


def test_list_and_detail_queries_do_not_grow_with_the_register(api_as, areas, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = api_as(Role.ANALYST)
    lead = make_organisation(name="Lead body")

    def add(n: int) -> Partnership:
        last = None
        for i in range(n):
            last = make_partnership(name=f"P{Partnership.objects.count()}-{i}", lead_organisation=lead)
            last.areas.set([areas["north"]])
            Membership.objects.create(partnership=last, organisation=make_organisation(name=f"Org {last.pk}"))
        assert last is not None
        return last

    add(2)
    client.get(ROOT)  # the token's first use is recorded once
    with CaptureQueriesContext(connection) as few:
        assert client.get(ROOT).json()["count"] == 2
    last = add(8)
    with CaptureQueriesContext(connection) as many:
        assert client.get(ROOT).json()["count"] == 10
    assert len(many) == len(few)
    with django_assert_max_num_queries(len(few) + 8):
        assert client.get(f"{ROOT}/{last.pk}").json()["memberships"][0]["organisation"]["name"]
