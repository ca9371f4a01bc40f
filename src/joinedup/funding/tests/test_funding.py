"""Funds, formula allocation, rounds, panels, conflicts, moderation, decisions and awards."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from joinedup.core.roles import Role
from joinedup.core.services.errors import NotAllowed
from joinedup.core.services.tokens import create_token
from joinedup.core.tests.factories import AreaFactory
from joinedup.funding import services
from joinedup.funding.models import (
    ApplicationStatus,
    Award,
    Decision,
    FormulaAllocation,
    Fund,
    MonitoringReturn,
    Score,
)
from joinedup.funding.selectors import moderation

from .helpers import make_application, make_fund, make_round, score

pytestmark = pytest.mark.django_db


def _csv(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


# --- formula allocation -----------------------------------------------------------------------------


def test_split_by_population_adds_up_to_the_budget_exactly_with_the_largest_remainders_getting_pennies():
    areas = [AreaFactory.build(code=f"E2200010{i}", name=f"CSP {i}") for i in range(3)]
    lines = services.split_by_population(Decimal("100.00"), list(zip(areas, [1, 1, 1], strict=True)))
    # 33.333… each: two pennies too few after rounding down; the tie goes to the lowest codes.
    assert [line.amount for line in lines] == [Decimal("33.34"), Decimal("33.33"), Decimal("33.33")]
    assert sum(line.amount for line in lines) == Decimal("100.00")

    odd = list(zip(areas, [123_457, 98_765, 250_001], strict=True))
    lines = services.split_by_population(Decimal("333333.33"), odd)
    assert sum(line.amount for line in lines) == Decimal("333333.33")
    for line, (_area, population) in zip(lines, odd, strict=True):
        exact = Decimal("333333.33") * population / 472_223
        assert abs(line.amount - exact) < Decimal("0.01")
        assert line.per_head == (line.amount / population).quantize(Decimal("0.01"))


def test_allocation_page_shows_each_csp_population_share_amount_and_per_head(client_for, users, areas):
    fund = make_fund(users, areas)
    client = client_for(Role.OPCC_OFFICER)
    url = reverse("funding:fund-allocation", args=[fund.pk, 2026])
    response = client.post(reverse("funding:fund-allocate", args=[fund.pk, 2026]))
    assert response.status_code == 302
    page = client.get(url).content.decode()
    # North 2,500 and South 1,000 people share £10,000: 7,142.857… and 2,857.142… → the spare penny
    # goes to North (the larger fraction cut off).
    assert "North Testshire" in page and "South Testshire" in page
    assert "£7,142.86" in page and "£2,857.14" in page and "£10,000.00" in page
    assert "£2.86" in page  # per head, to the penny
    allocations = FormulaAllocation.objects.filter(fund=fund, year=2026)
    assert sum(a.amount for a in allocations) == Decimal("10000.00")

    rows = _csv(client_for(Role.AUDITOR).get(reverse("funding:fund-allocation-export", args=[fund.pk, 2026])))
    assert [(r["area"], r["amount"], r["per head"]) for r in rows] == [
        ("North Testshire", "7142.86", "2.86"),
        ("South Testshire", "2857.14", "2.86"),
    ]


def test_allocation_without_population_or_budget_says_what_is_missing(users, areas):
    fund = make_fund(users, areas)
    areas["south"].population = None
    areas["south"].save()
    with pytest.raises(ValidationError) as caught:
        services.allocate_by_population(actor=users[Role.OPCC_OFFICER], fund=fund, year=2031)
    assert set(caught.value.message_dict) == {"year", "population"}
    assert "South Testshire" in caught.value.message_dict["population"][0]


# --- bad input ----------------------------------------------------------------------------------------


def test_fund_round_and_application_list_every_error_at_once(users, areas):
    officer = users[Role.OPCC_OFFICER]
    with pytest.raises(ValidationError) as caught:
        services.create_fund(
            actor=officer,
            data={
                "name": "",
                "source": "lottery",
                "distribution_model": "formula",
                "budgets": "2026: -5\nnext year: 10",
                "max_award": "12.345",
            },
        )
    assert set(caught.value.message_dict) == {"name", "source", "force_area", "budgets", "max_award"}
    assert len(caught.value.message_dict["budgets"]) == 2
    assert Fund.objects.count() == 0

    fund = make_fund(users, areas)
    with pytest.raises(ValidationError) as caught:
        services.create_round(
            actor=officer,
            fund=fund,
            data={
                "name": "",
                "opens_on": "2026-05-01",
                "closes_on": "2026-04-01",
                "budget": "abc",
                "criteria": "",
            },
        )
    assert set(caught.value.message_dict) == {"name", "closes_on", "budget", "criteria"}

    grant_round = make_round(users, fund)
    with pytest.raises(ValidationError) as caught:
        services.create_application(
            actor=officer,
            grant_round=grant_round,
            data={"organisation_name": "", "charity_number": "12", "amount_requested": "9000"},
        )
    errors = caught.value.message_dict
    assert set(errors) == {
        "organisation_name",
        "charity_number",
        "project_title",
        "project_description",
        "amount_requested",
    }
    assert errors["amount_requested"] == ["The most this round awards is £5,000.00."]


def test_round_form_shows_every_error_in_the_summary(client_for, users, areas):
    fund = make_fund(users, areas)
    response = client_for(Role.OPCC_OFFICER).post(
        reverse("funding:round-create", args=[fund.pk]), {"name": "", "budget": "0", "criteria": "Need: 0"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page
    for message in ["Enter the round&#x27;s name.", "Enter the opening date.", "at least £0.01", "weight of"]:
        assert message in page


# --- panels and conflicts -----------------------------------------------------------------------------


@pytest.fixture
def round_with_panel(users, areas, make_user):
    fund = make_fund(users, areas)
    grant_round = make_round(users, fund)
    first = make_application(users, grant_round, "4000.00", "Street sport")
    second = make_application(users, grant_round, "3000.00", "Safe spaces")
    third = make_application(users, grant_round, "1500.00", "Night bus")
    alice = make_user(role=Role.OPCC_OFFICER, full_name="Alice Panel")
    bob = make_user(role=Role.PRACTITIONER, full_name="Bob Panel")
    for application in (first, second, third):
        services.assign_panel_member(actor=users[Role.OPCC_OFFICER], application=application, member=alice)
        services.assign_panel_member(actor=users[Role.OPCC_OFFICER], application=application, member=bob)
    return {"round": grant_round, "apps": [first, second, third], "alice": alice, "bob": bob}


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_panel_member_sees_only_assigned_applications_and_never_a_conflicted_one(
    round_with_panel, make_user, users
):
    data = round_with_panel
    first, second, _third = data["apps"]
    bob, outsider = data["bob"], make_user(role=Role.OPCC_OFFICER)
    score(bob, first, 4, 3)
    services.declare_conflict(actor=bob, application=first, reason="My sister runs the trust.")
    assert not Score.objects.filter(member=bob, application=first).exists()  # scores withdrawn

    bob_client = _client(bob)
    listing = bob_client.get(reverse("funding:panel-list")).content.decode()
    assert "Safe spaces" in listing and "Street sport" not in listing
    assert bob_client.get(reverse("funding:panel-score", args=[first.pk])).status_code == 404
    assert bob_client.get(reverse("funding:panel-score", args=[second.pk])).status_code == 200
    # Not assigned at all: nothing to see.
    assert _client(outsider).get(reverse("funding:panel-score", args=[second.pk])).status_code == 404
    assert "Safe spaces" not in _client(outsider).get(reverse("funding:panel-list")).content.decode()

    _token, raw = create_token(user=bob, name="test", actor=None)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    api = Client()
    items = api.get("/api/v1/funding/panel/applications", **headers).json()["items"]
    assert {item["project_title"] for item in items} == {"Safe spaces", "Night bus"}
    assert api.get(f"/api/v1/funding/panel/applications/{first.pk}", **headers).status_code == 404
    assert api.get(f"/api/v1/funding/applications/{second.pk}", **headers).status_code == 404  # staff list

    with pytest.raises(NotAllowed):
        score(bob, first, 5, 5)
    with pytest.raises(ValidationError):  # cannot be put back on the panel either
        services.assign_panel_member(actor=users[Role.OPCC_OFFICER], application=first, member=bob)


def test_scoring_lists_every_missing_or_out_of_range_score(round_with_panel):
    first = round_with_panel["apps"][0]
    response = _client(round_with_panel["alice"]).post(
        reverse("funding:panel-score", args=[first.pk]), {f"criterion_{first.round.criteria.first().pk}": "9"}
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert len(errors) == 2
    assert not Score.objects.exists()


def test_moderation_ranks_by_weighted_score_with_a_running_total(round_with_panel, client_for):
    data = round_with_panel
    first, second, third = data["apps"]
    alice, bob = data["alice"], data["bob"]
    # Need weighs 3, value 1.
    score(alice, first, 2, 5)  # (2*3 + 5) / 4 = 2.75
    score(bob, first, 2, 5)
    score(alice, second, 5, 1)  # Alice 4.0; Bob declares a conflict, so 4.0
    services.declare_conflict(actor=bob, application=second, reason="Trustee")
    score(alice, third, 4, 4)
    score(bob, third, 3, 4)  # need mean 3.5, value 4 → (10.5 + 4) / 4 = 3.625 → 3.63
    result = moderation(grant_round=data["round"])
    assert [(r.application.project_title, r.weighted_score) for r in result.ranked] == [
        ("Safe spaces", Decimal("4.00")),
        ("Night bus", Decimal("3.63")),
        ("Street sport", Decimal("2.75")),
    ]
    assert [r.running_total for r in result.ranked] == [
        Decimal("3000.00"),
        Decimal("4500.00"),
        Decimal("8500.00"),
    ]
    assert [r.within_budget for r in result.ranked] == [True, True, False]  # budget £6,000
    assert result.recommended_total == Decimal("4500.00") and result.conflicts == 1

    page = client_for(Role.OPCC_ADMIN).get(reverse("funding:round-moderation", args=[data["round"].pk]))
    assert "Recommendation summary" in page.content.decode()
    assert "£4,500.00 in total" in page.content.decode()


def test_moderation_is_exact_when_scorers_did_not_all_score_every_criterion(round_with_panel):
    """The quick path (every scorer scored every criterion) and the criterion-by-criterion path agree."""
    data = round_with_panel
    first, second, _third = data["apps"]
    alice, bob = data["alice"], data["bob"]
    score(alice, first, 4, 4)
    score(bob, first, 3, 4)  # as above: 3.63
    score(alice, second, 4, 4)
    score(bob, second, 3, 4)
    # Bob's "value" score on the second is withdrawn, so value is Alice's 4 alone: need 3.5, value 4.
    _need, value = second.round.criteria.order_by("position")
    Score.objects.filter(application=second, member=bob, criterion=value).delete()
    result = {r.application.project_title: r for r in moderation(grant_round=data["round"]).ranked}
    assert result["Street sport"].weighted_score == Decimal("3.63")
    assert result["Safe spaces"].weighted_score == Decimal("3.63") and result["Safe spaces"].scorers == 2
    assert result["Night bus"].weighted_score is None


def test_moderation_page_costs_the_same_queries_for_a_bigger_round(round_with_panel, users, client_for):
    data = round_with_panel
    alice, bob = data["alice"], data["bob"]
    for application in data["apps"]:
        score(alice, application, 3, 3)
    client = client_for(Role.OPCC_ADMIN)
    url = reverse("funding:round-moderation", args=[data["round"].pk])
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for i in range(6):
        application = make_application(users, data["round"], "100.00", f"More {i}")
        services.assign_panel_member(actor=users[Role.OPCC_OFFICER], application=application, member=alice)
        services.assign_panel_member(actor=users[Role.OPCC_OFFICER], application=application, member=bob)
        score(alice, application, i % 6, 2)
        score(bob, application, 5 - i % 6, 3)
    with CaptureQueriesContext(connection) as big:
        page = client.get(url).content.decode()
    assert len(big) == len(small)
    assert "9 eligible applications" in page
    # Each criterion's mean is shown for the rows on the page: "More 0" has need 0 and 5, value 2 and 3.
    assert re.search(r"More 0.*?>2\.5</td>.*?>2\.5</td>", page, re.S)


# --- decisions ----------------------------------------------------------------------------------------


def test_decision_over_the_remaining_budget_is_refused_unless_overridden_with_a_reason(
    round_with_panel, users
):
    admin = users[Role.OPCC_ADMIN]
    first, second, third = round_with_panel["apps"]
    services.decide_application(actor=admin, application=first, data={"outcome": "approve", "amount": "4000"})
    assert services.remaining_budget(first.round) == Decimal("2000.00")

    with pytest.raises(ValidationError) as caught:
        services.decide_application(
            actor=admin, application=second, data={"outcome": "approve", "amount": "3000"}
        )
    assert "more than the £2,000.00 left" in caught.value.message_dict["amount"][0]
    assert not Decision.objects.filter(application=second).exists()

    decision = services.decide_application(
        actor=admin,
        application=second,
        data={"outcome": "approve", "amount": "3000", "override_reason": "Underspend agreed by the PCC."},
    )
    assert decision.budget_override and decision.override_reason == "Underspend agreed by the PCC."
    award = Award.objects.get(application=second)
    assert award.amount == Decimal("3000.00")
    assert MonitoringReturn.objects.filter(award=award).count() == 1

    with pytest.raises(ValidationError) as caught:
        services.decide_application(actor=admin, application=third, data={"outcome": "decline"})
    assert caught.value.message_dict == {"reason": ["Say why the application is declined."]}
    services.decide_application(
        actor=admin, application=third, data={"outcome": "decline", "reason": "Out of area."}
    )
    third.refresh_from_db()
    assert third.status == ApplicationStatus.DECLINED and not Award.objects.filter(application=third).exists()


def test_only_the_opcc_admin_decides_and_officers_manage(round_with_panel, users):
    first = round_with_panel["apps"][0]
    with pytest.raises(NotAllowed):
        services.decide_application(
            actor=users[Role.OPCC_OFFICER], application=first, data={"outcome": "decline"}
        )
    with pytest.raises(NotAllowed):
        make_fund({Role.OPCC_OFFICER: users[Role.AUDITOR]}, {"pfa": first.round.fund.force_area})


def test_decision_page_approves_and_the_award_is_public(round_with_panel, client_for):
    first = round_with_panel["apps"][2]
    client = client_for(Role.OPCC_ADMIN)
    page = client.get(reverse("funding:application-decide", args=[first.pk]))
    assert "Round budget remaining" in page.content.decode()
    response = client.post(
        reverse("funding:application-decide", args=[first.pk]),
        {"outcome": "approve", "amount": "1500.00", "conditions": "Quarterly updates."},
    )
    assert response.status_code == 302
    public = Client().get(reverse("public-funding:grant-list")).content.decode()
    assert "Night bus Trust" in public and "£1,500.00" in public
    rows = _csv(Client().get(reverse("public-funding:grants-csv")))
    assert rows[0]["Recipient Org:Identifier"] == "GB-CHC-1234567"
    assert rows[0]["Amount Awarded"] == "1500.00"


# --- editing and the API ------------------------------------------------------------------------------


def test_fund_edit_saves_with_history_and_refuses_a_stale_version(client_for, users, areas):
    fund = make_fund(users, areas)
    client = client_for(Role.OPCC_OFFICER)
    url = reverse("funding:fund-edit", args=[fund.pk])
    form = client.get(url).context["form"]
    data = {key: value if value is not None else "" for key, value in form.initial.items()}
    response = client.post(url, {**data, "name": "Safer Streets Fund", "budgets": "2026: 10000\n2027: 12000"})
    assert response.status_code == 302
    fund.refresh_from_db()
    assert fund.name == "Safer Streets Fund" and fund.budgets.count() == 2
    page = client.get(reverse("funding:fund-detail", args=[fund.pk])).content.decode()
    assert "Safer Streets Fund" in page and "2027-28" in page and "Community Safety Fund" in page  # history
    stale = client.post(url, {**data, "name": "Someone else's name"})
    assert stale.status_code == 409
    fund.refresh_from_db()
    assert fund.name == "Safer Streets Fund"


def test_api_lists_every_error_at_once_and_creates_a_fund(users, areas):
    _token, raw = create_token(user=users[Role.OPCC_OFFICER], name="test", actor=None)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    client = Client()
    bad = {
        "name": "",
        "source": "lottery",
        "distribution_model": "formula",
        "budgets": [{"year": 2026, "amount": "-1"}],
    }
    response = client.post("/api/v1/funding/funds", bad, content_type="application/json", **headers)
    assert response.status_code == 422
    fields = {tuple(item["loc"]) for item in response.json()["detail"]}
    assert fields == {
        ("body", "payload", "name"),
        ("body", "payload", "source"),
        ("body", "payload", "force_area"),
        ("body", "payload", "budgets"),
    }
    good = {**bad, "name": "Victims Fund", "source": "victims_grant", "force_area": areas["pfa"].code}
    good["budgets"] = [{"year": 2026, "amount": "75000.00"}]
    response = client.post("/api/v1/funding/funds", good, content_type="application/json", **headers)
    assert response.status_code == 201
    assert response.json()["budgets"] == [{"year": 2026, "amount": "75000.00"}]
