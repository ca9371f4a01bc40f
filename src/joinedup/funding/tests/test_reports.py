"""Funding reports: spend by Plan priority, CSP, recipient sector, fund and year; per head; monitoring."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from joinedup.core.models import Organisation
from joinedup.core.roles import Role
from joinedup.funding import services
from joinedup.funding.commissioning import services as commissioning_services
from joinedup.funding.reports import selectors as reports
from joinedup.partnerships.models import Plan, PlanPriority

from .helpers import make_application, make_fund, make_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def spend(users, areas):
    """A formula allocation of £10,000 (North 2,500 people, South 1,000), two grants (one with
    clawback), and a contract, linked to Plan priorities, CSPs and sectors."""
    plan = Plan.objects.create(
        title="Safer Testshire",
        pcc_name="A Commissioner",
        force_area=areas["pfa"],
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2029, 1, 1),
    )
    youth = PlanPriority.objects.create(plan=plan, title="Young people")
    victims = PlanPriority.objects.create(plan=plan, title="Victims")
    fund = make_fund(users, areas)
    fund.priorities.set([youth])
    officer, admin = users[Role.OPCC_OFFICER], users[Role.OPCC_ADMIN]
    services.allocate_by_population(actor=officer, fund=fund, year=2026)
    grant_round = make_round(users, fund)
    charity = Organisation.objects.create(name="Street Sport Trust", sector="vcs_charity")
    awards = []
    for amount, title in (("2000.00", "Street sport"), ("1000.00", "Safe spaces")):
        application = make_application(users, grant_round, amount, title)
        services.decide_application(
            actor=admin, application=application, data={"outcome": "approve", "amount": amount}
        )
        application.refresh_from_db()
        awards.append(application.award)
    first = awards[0]
    services.update_award_details(
        actor=officer,
        award=first,
        expected_version=first.version,
        data={"recipient": charity.pk, "csp": "E22000901"},
    )
    first.refresh_from_db()
    services.record_clawback(
        actor=officer,
        award=first,
        expected_version=first.version,
        data={"amount": "500", "reason": "Unspent"},
    )
    provider = Organisation.objects.create(name="Council services", sector="la_county")
    contract = commissioning_services.create_contract(
        actor=officer,
        data={
            "reference": "C-1",
            "title": "Outreach",
            "provider": provider.pk,
            "fund": fund.pk,
            "csp": "E22000902",
            "value": "4000",
            "starts_on": "2026-05-01",
            "ends_on": "2027-04-30",
            "priorities": [victims.pk, youth.pk],
        },
    )
    return {"fund": fund, "youth": youth, "victims": victims, "contract": contract}


def _csv(client: Client, slug: str) -> list[dict[str, str]]:
    body = b"".join(client.get(reverse("funding:report-export", args=[slug])).streaming_content)
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


def test_spend_by_priority_counts_fund_money_and_contracts_against_their_priorities(spend, client_for):
    rows = {r["Priority"]: r for r in _csv(client_for(Role.AUDITOR), "spend-by-priority")}
    assert rows["Young people"]["Allocated by formula"] == "10000.00"
    assert rows["Young people"]["Grants awarded (net of clawback)"] == "2500.00"  # 2000 - 500 + 1000
    assert rows["Young people"]["Contracts"] == "4000.00" and rows["Victims"]["Contracts"] == "4000.00"


def test_spend_by_csp_and_per_head_use_the_reference_population(spend, client_for):
    client = client_for(Role.AUDITOR)
    by_csp = {r["CSP"]: r for r in _csv(client, "spend-by-csp")}
    assert by_csp["North Testshire"]["Allocated by formula"] == "7142.86"
    assert by_csp["North Testshire"]["Grants awarded (net)"] == "1500.00"
    assert (
        by_csp["South Testshire"]["Contracts"] == "4000.00"
        and by_csp["South Testshire"]["Total"] == "6857.14"
    )
    assert by_csp["All CSPs"]["Total"] == "15500.00"
    per_head = {(r["CSP"], r["Financial year"]): r for r in _csv(client, "spend-per-head")}
    # North: (7,142.86 + 1,500.00) / 2,500 people = £3.46 a head in 2026-27.
    year = spend["fund"].awards.first().awarded_on
    fy = year.year if year.month >= 4 else year.year - 1
    north = per_head[("North Testshire", f"{fy}-{(fy + 1) % 100:02d}")]
    if fy == 2026:
        assert north["Per head"] == "3.46"
    page = client.get(reverse("funding:report-detail", args=["spend-per-head"])).content.decode()
    assert "North Testshire" in page and "£" in page


def test_spend_by_sector_groups_recipients_and_providers(spend, client_for):
    rows = {r["Sector"]: r for r in _csv(client_for(Role.AUDITOR), "spend-by-sector")}
    assert rows["Voluntary and community sector: charity"]["Grants awarded (net)"] == "1500.00"
    assert rows["Recipient not linked to the directory"]["Grants awarded (net)"] == "1000.00"
    assert rows["Local authority: county council"]["Contract value"] == "4000.00"


def test_reports_take_the_same_few_queries_however_many_grants(spend, users, client_for):
    auditor = users[Role.AUDITOR]

    def count(slug: str) -> int:
        # Once to fill what is cached for the person (their force areas), then the count that matters.
        reports.REPORTS[slug](user=auditor)
        with CaptureQueriesContext(connection) as queries:
            reports.REPORTS[slug](user=auditor)
        return len(queries)

    before = {slug: count(slug) for slug in reports.REPORTS}
    grant_round = make_round(users, spend["fund"], budget="50000")
    for i in range(5):
        application = make_application(users, grant_round, "100.00", f"Extra {i}")
        services.decide_application(
            actor=users[Role.OPCC_ADMIN],
            application=application,
            data={"outcome": "approve", "amount": "100"},
        )
    after = {slug: count(slug) for slug in reports.REPORTS}
    assert after == before
    assert Decimal(_csv(client_for(Role.AUDITOR), "spend-by-fund")[0]["Awarded in grants"]) >= Decimal("3500")


def test_monitoring_report_can_show_only_overdue_returns(spend, client_for):
    from joinedup.funding.models import MonitoringReturn

    MonitoringReturn.objects.filter(award__title="Street sport").update(due_on=datetime.date(2020, 1, 1))
    client = client_for(Role.AUDITOR)
    everything = client.get(reverse("funding:report-detail", args=["monitoring-due"])).content.decode()
    assert "2 returns not yet received, 1 overdue" in everything
    body = b"".join(
        client.get(reverse("funding:report-export", args=["monitoring-due"]) + "?overdue=1").streaming_content
    )
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert [r["Grant"] for r in rows] == ["Street sport"] and rows[0]["Overdue"] == "yes"


def test_public_grants_api_needs_no_token_and_lists_awarded_grants_only(spend):
    response = Client().get("/api/v1/grants?limit=1")
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 2 and len(data["items"]) == 1
    assert set(data["items"][0]) == {
        "identifier",
        "recipient_name",
        "title",
        "description",
        "amount",
        "awarded_on",
        "fund",
    }
    titles = {item["title"] for item in Client().get("/api/v1/grants").json()["items"]}
    assert titles == {"Street sport", "Safe spaces"}


def test_fund_priorities_are_chosen_on_the_fund_form_and_awards_find_their_recipient(
    users, areas, client_for
):
    plan = Plan.objects.create(
        title="Safer Testshire",
        pcc_name="A Commissioner",
        force_area=areas["pfa"],
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2029, 1, 1),
    )
    victims = PlanPriority.objects.create(plan=plan, title="Victims")
    fund = make_fund(users, areas)
    client = client_for(Role.OPCC_OFFICER)
    url = reverse("funding:fund-edit", args=[fund.pk])
    form = {k: v for k, v in client.get(url).context["form"].initial.items() if v is not None}
    response = client.post(url, {**form, "priorities": [victims.pk]})
    assert response.status_code == 302
    assert list(fund.priorities.all()) == [victims]
    assert "Victims" in client.get(reverse("funding:fund-detail", args=[fund.pk])).content.decode()
    # The directory entry with the applicant's charity number becomes the award's recipient.
    trust = Organisation.objects.create(
        name="Street Sport Trust", sector="vcs_charity", charity_number="1234567"
    )
    application = make_application(users, make_round(users, fund), "500.00", "Street sport")
    services.decide_application(
        actor=users[Role.OPCC_ADMIN], application=application, data={"outcome": "approve", "amount": "500"}
    )
    application.refresh_from_db()
    assert application.award.recipient == trust
