"""The Police and Crime Panel's recommendations from the quarterly performance report (issue 18): a Panel
member makes one about an indicator of the Police and Crime Plan, recorded by the csp app with the indicator
and quarter it came from; it is listed under the indicator and names it. Bad input lists every problem and
saves nothing; nobody else, and no Panel member of another force area, reaches the form."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from joinedup.core.roles import Role
from joinedup.core.tests.factories import OrganisationFactory, UserFactory, area_tree
from joinedup.csp.tests.factories import make_plan
from joinedup.partnerships.models import Plan
from joinedup.performance import services
from joinedup.scrutiny import services as scrutiny_services
from joinedup.scrutiny.models import PanelRecommendation

pytestmark = pytest.mark.django_db


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
    csp_priority = make_plan(csp=north).priorities.create(title="ASB")
    analyst = UserFactory(role=Role.ANALYST, areas=[pfa])
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
        "owner": OrganisationFactory(name="Northtown Council"),
        "source": "manual",
    }
    indicator = services.define_indicator(
        actor=analyst,
        priority=plan.priorities.create(title="Supporting victims"),
        data={**common, "name": "Victims offered support"},
        compute=False,
    )
    csp_indicator = services.define_indicator(
        actor=analyst, priority=csp_priority, data={**common, "name": "ASB victims"}, compute=False
    )
    return {
        "plan": plan,
        "indicator": indicator,
        "csp_indicator": csp_indicator,
        "analyst": analyst,
        "panel": UserFactory(role=Role.PANEL_MEMBER, areas=[pfa]),
        "report": f"/staff/performance/plans/pcc/{plan.pk}/report/?quarter=2024-04",
        "form": f"/staff/performance/indicators/{indicator.pk}/recommend/?quarter=2024-04",
    }


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _due(days: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def test_a_panel_member_makes_a_recommendation_from_an_indicator(world: dict[str, Any]):
    client = _client(world["panel"])
    report = client.get(world["report"]).content.decode()
    assert "Make a recommendation about this indicator" in report
    assert client.get(world["form"]).status_code == 200

    response = client.post(
        world["form"],
        {
            "quarter": "2024-04",
            "title": "Fund victim support staff",
            "recommendation": "Fill the two vacancies before the winter.",
            "response_due": _due(30),
        },
    )
    item = PanelRecommendation.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/staff/csp/panel/{item.pk}/"
    assert item.indicator == world["indicator"] and item.report_quarter == datetime.date(2024, 4, 1)
    assert item.made_on == timezone.localdate() and item.force_area == world["plan"].force_area
    assert item.created_by == world["panel"]

    page = client.get(response["Location"]).content.decode()
    assert "Victims offered support" in page
    assert f"/staff/performance/plans/pcc/{world['plan'].pk}/report/?quarter=2024-04" in page

    report = client.get(world["report"]).content.decode()
    assert "Fund victim support staff" in report and f"/staff/csp/panel/{item.pk}/" in report
    # An analyst reads the report but not the Panel's records: neither the link nor the recommendation.
    analyst_report = _client(world["analyst"]).get(world["report"]).content.decode()
    assert "Victims offered support" in analyst_report
    assert "Make a recommendation about this indicator" not in analyst_report
    assert "Fund victim support staff" not in analyst_report


def test_bad_input_lists_every_problem_and_saves_nothing(world: dict[str, Any]):
    response = _client(world["panel"]).post(
        world["form"], {"quarter": "2024-04", "title": "", "recommendation": "", "response_due": _due(-10)}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter what the Panel recommends." in page
    assert "The response cannot be due before the recommendation was made." in page
    assert "Enter the title." in page
    assert PanelRecommendation.objects.count() == 0


@pytest.mark.parametrize("role", [Role.ANALYST, Role.PRACTITIONER, Role.OPCC_OFFICER])
def test_people_without_the_permission_get_not_found(world: dict[str, Any], role: str):
    client = _client(UserFactory(role=role, areas=[world["plan"].force_area]))
    assert client.get(world["form"]).status_code == 404
    data = {"title": "T", "recommendation": "R"}
    assert client.post(world["form"], data).status_code == 404
    report = client.get(world["report"]).content.decode()
    assert "Make a recommendation about this indicator" not in report
    assert PanelRecommendation.objects.count() == 0


def test_a_panel_member_of_another_force_area_cannot(world: dict[str, Any]):
    farshire = area_tree(force=8, name="Farshire")
    client = _client(UserFactory(role=Role.PANEL_MEMBER, areas=[farshire["pfa"]]))
    assert client.get(world["form"]).status_code == 404
    assert client.post(world["form"], {"title": "T", "recommendation": "R"}).status_code == 404
    assert client.get(world["report"]).status_code == 404
    assert PanelRecommendation.objects.count() == 0


def test_no_recommendation_from_a_csp_plans_indicator(world: dict[str, Any]):
    client = _client(world["panel"])
    url = f"/staff/performance/indicators/{world['csp_indicator'].pk}/recommend/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"title": "T", "recommendation": "R"}).status_code == 404
    assert PanelRecommendation.objects.count() == 0


def test_the_csp_service_refuses_an_indicator_not_of_the_force_areas_police_and_crime_plan(
    world: dict[str, Any],
):
    data = {"title": "T", "recommendation": "R", "made_on": timezone.localdate()}
    pfa = world["plan"].force_area
    with pytest.raises(ValidationError) as refused:
        scrutiny_services.create_panel_recommendation(
            actor=world["panel"], force_area=pfa, data=data, indicator=world["csp_indicator"]
        )
    assert refused.value.message_dict["__all__"] == [
        "Choose an indicator of the force area's Police and Crime Plan.",
        "Say which quarter's performance report the recommendation is about.",
    ]
    assert PanelRecommendation.objects.count() == 0
