"""The pages and API as people use them: the quarterly report (page, CSV, PDF) with each indicator's
status, reason and table; the Panel reading the Police and Crime Plan's report but not a CSP's; an analyst
defining an indicator (a contradicting target listed with the other problems); a partner's return through
the API refused with every problem, then accepted."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from joinedup.core.roles import Role
from joinedup.core.services.tokens import create_token
from joinedup.core.tests.factories import OrganisationFactory, UserFactory
from joinedup.csp.tests.factories import make_plan
from joinedup.partnerships.models import Plan
from joinedup.performance import services
from joinedup.performance.models import Indicator

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2024, 8, 15)


@pytest.fixture
def world(areas: dict[str, Any]) -> dict[str, Any]:
    pfa, north = areas["pfa"], areas["north"]
    plan = Plan.objects.create(
        title="Testshire plan",
        pcc_name="PCC",
        force_area=pfa,
        period_start=datetime.date(2024, 4, 1),
        period_end=datetime.date(2028, 3, 31),
    )
    priority = plan.priorities.create(title="Supporting victims")
    csp_plan = make_plan(csp=north)
    csp_priority = csp_plan.priorities.create(title="ASB")
    council = OrganisationFactory(name="Northtown Council")
    analyst = UserFactory(role=Role.ANALYST, areas=[pfa])
    clerk = UserFactory(role=Role.PRACTITIONER, areas=[pfa], organisation=council)
    common = {
        "definition": "Share of victims offered support within 5 working days.",
        "unit": "percent",
        "area": north,
        "direction": "up",
        "baseline_from": "2023-04-01",
        "baseline_to": "2024-03-31",
        "baseline_value": "80",
        "target_kind": "threshold",
        "target_value": "85",
        "frequency": "quarterly",
        "owner": council,
        "source": "manual",
    }
    pcc_indicator = services.define_indicator(
        actor=analyst, priority=priority, data={**common, "name": "Victims offered support"}, compute=False
    )
    csp_indicator = services.define_indicator(
        actor=analyst,
        priority=csp_priority,
        data={**common, "name": "ASB victims offered support"},
        compute=False,
    )
    services.submit_return(
        actor=clerk, indicator=pcc_indicator, period_start="2024-04-01", value="83", today=TODAY
    )
    services.save_commentary(
        actor=clerk,
        indicator=pcc_indicator,
        period_start=datetime.date(2024, 4, 1),
        text="Two staff vacancies.",
    )
    return {
        **areas,
        "plan": plan,
        "csp_plan": csp_plan,
        "pcc_indicator": pcc_indicator,
        "csp_indicator": csp_indicator,
        "analyst": analyst,
        "clerk": clerk,
        "panel": UserFactory(role=Role.PANEL_MEMBER, areas=[pfa]),
        "priority": priority,
    }


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_quarterly_report_shows_status_reason_commentary_and_downloads(world: dict[str, Any]):
    client = _client(world["analyst"])
    url = f"/staff/performance/plans/pcc/{world['plan'].pk}/report/?quarter=2024-04"
    page = client.get(url).content.decode()
    assert "Victims offered support" in page and "At risk" in page
    assert "83% misses the target of 85% by 2% (within 10% of it)." in page
    assert "Two staff vacancies." in page
    csv_text = client.get(url.replace("report/", "report.csv")).content.decode()
    assert "2024-04-01,2024-06-30,83.00,85.00,At risk" in csv_text
    pdf = client.get(url.replace("report/", "report.pdf"))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_the_panel_reads_the_pcc_plans_report_only(world: dict[str, Any]):
    client = _client(world["panel"])
    report = client.get(f"/staff/performance/plans/pcc/{world['plan'].pk}/report/")
    assert (
        report.status_code == 200 and "Record a recommendation to the Commissioner" in report.content.decode()
    )
    assert client.get(f"/staff/performance/plans/csp/{world['csp_plan'].pk}/report/").status_code == 404
    assert client.get(f"/staff/performance/indicators/{world['csp_indicator'].pk}/").status_code == 404
    index = client.get("/staff/performance/").content.decode()
    assert "Testshire plan" in index and world["csp_plan"].title not in index


def test_an_analyst_defines_an_indicator_and_sees_every_problem_first(world: dict[str, Any]):
    client = _client(world["analyst"])
    url = f"/staff/performance/plans/pcc/{world['plan'].pk}/indicators/new/"
    form = {
        "priority": world["priority"].pk,
        "name": "Burglary, North Testshire",
        "definition": "Residential and other burglary.",
        "source": "police",
        "police_measure": "crime_type",
        "crime_type": "",
        "unit": "count",
        "area": "E22000901",
        "direction": "down",
        "baseline_from": "2023-04-01",
        "baseline_to": "2024-03-31",
        "target_kind": "change",
        "target_value": "5",
        "frequency": "quarterly",
        "owner": world["clerk"].organisation_id,
        "return_due_days": "20",
    }
    page = client.post(url, form).content.decode()
    assert "A rise of 5% contradicts the direction: down is good." in page
    assert "Enter the crime type, as data.police.uk names it." in page
    assert not Indicator.objects.filter(name=form["name"]).exists()
    # A name data.police.uk never uses would count nothing, so read as zero crimes every quarter: refused.
    page = client.post(url, {**form, "target_value": "-5", "crime_type": "Burglarly"}).content.decode()
    assert "&#x27;Burglarly&#x27; is not a crime type data.police.uk publishes" in page
    assert not Indicator.objects.filter(name=form["name"]).exists()
    response = client.post(url, {**form, "target_value": "-5", "crime_type": "Burglary"})
    indicator = Indicator.objects.get(name=form["name"])
    assert response.status_code == 302 and response["Location"].endswith(f"/indicators/{indicator.pk}/")
    assert indicator.target_value == Decimal("-5") and indicator.plan_priority == world["priority"]


def test_a_manual_return_through_the_api(world: dict[str, Any]):
    _token, raw = create_token(user=world["clerk"], name="t", actor=None, scope="read_write")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    client = Client()
    url = f"/api/v1/performance/indicators/{world['pcc_indicator'].pk}/returns"
    refused = client.post(
        url, {"period_start": "2099-04-01", "value": "101"}, content_type="application/json", **headers
    )
    assert refused.status_code == 422
    messages = [item["msg"] for item in refused.json()["detail"]]
    assert any("not due yet" in m for m in messages) and "A percentage cannot be more than 100." in messages
    accepted = client.post(
        url, {"period_start": "2024-04-01", "value": "86"}, content_type="application/json", **headers
    )
    assert accepted.status_code == 201 and accepted.json()["value"] == "86"
    detail = client.get(f"/api/v1/performance/indicators/{world['pcc_indicator'].pk}", **headers).json()
    first = next(v for v in detail["values"] if v["period_start"] == "2024-04-01")
    assert first["status"] == "on_track"


def test_the_report_csv_guards_cells_that_would_run_as_formulas(world: dict[str, Any]):
    indicator = world["pcc_indicator"]
    Indicator.objects.filter(pk=indicator.pk).update(name='=HYPERLINK("http://example.com","x")')
    services.save_commentary(
        actor=world["clerk"],
        indicator=indicator,
        period_start=datetime.date(2024, 4, 1),
        text="@SUM(1+1) and -5 fewer staff",
    )
    url = f"/staff/performance/plans/pcc/{world['plan'].pk}/report.csv?quarter=2024-04"
    response = _client(world["analyst"]).get(url)
    text = response.content.decode()
    assert "'=HYPERLINK" in text and "'@SUM(1+1) and -5 fewer staff" in text
    assert "\n=" not in text and ",=" not in text and ",@" not in text
    assert "2024-04-01,2024-06-30,83.00,85.00,At risk" in text
