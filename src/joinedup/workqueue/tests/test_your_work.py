"""'Your work': each person sees what they are responsible for and may see, most urgent first."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from joinedup.casework.models import Case
from joinedup.casework.services import add_action
from joinedup.core.due import due_items
from joinedup.core.models import User
from joinedup.core.roles import Role
from joinedup.core.tests.factories import AreaFactory, UserFactory
from joinedup.csp.models import Duty
from joinedup.csp.tests.factories import make_dhr, make_duty
from joinedup.scrutiny.tests.factories import make_panel_recommendation
from joinedup.workqueue.selectors import your_work


def page(user: User, path: str = "/staff/") -> str:
    client = Client()
    client.force_login(user)
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def _due_soon(case: Case, hours: int = 6) -> None:
    Case.objects.filter(pk=case.pk).update(
        risk_assessment_due_at=timezone.now() + datetime.timedelta(hours=hours)
    )


def test_the_lead_agency_sees_a_risk_assessment_due_within_24_hours_first_on_its_home_page(
    world: dict[str, Any], case: Case
) -> None:
    _due_soon(case)
    police, council, housing = (world["users"][k] for k in ("police", "council", "housing"))

    items = your_work(user=police).items
    assert items[0].kind == "casework.risk_assessment" and items[0].urgent
    html = page(police)
    assert f"Risk assessment for case {case.reference}" in html and "Due within 24 hours" in html
    assert html.index(case.reference) < html.index("What your role can do")
    assert "Pat Resident" not in html  # the case by reference, never the informant

    # The council may read the case (it shares under the agreement) but does not lead it.
    assert not [i for i in due_items(council) if i.kind == "casework.risk_assessment"]
    # Housing may not see the case at all.
    assert due_items(housing) == [] and case.reference not in page(housing)


def test_an_action_assigned_to_an_organisation_is_its_peoples_work_and_nobody_elses(
    world: dict[str, Any], case: Case
) -> None:
    police, council = world["users"]["police"], world["users"]["council"]
    due = timezone.localdate() + datetime.timedelta(days=3)
    add_action(
        actor=police,
        case=case,
        data={"owner_organisation": world["council"].pk, "action_type": "eva", "due_date": due.isoformat()},
    )
    [item] = [i for i in due_items(council) if i.kind == "casework.action"]
    assert item.title == f"Environmental visual audit on case {case.reference}"
    assert item.why == "Assigned to your organisation" and item.due == due and not item.overdue
    assert not [i for i in due_items(police) if i.kind == "casework.action"]
    assert not due_items(world["users"]["housing"])
    html = page(council, "/staff/your-work/?kind=casework.action")
    assert "Case actions</a>: 1" in html and case.reference in html


def test_overdue_items_are_marked_and_counted(world: dict[str, Any], case: Case) -> None:
    _due_soon(case, hours=-30)
    work = your_work(user=world["users"]["police"])
    [item] = work.items
    assert item.overdue and work.overdue == 1
    assert "Overdue" in page(world["users"]["police"], "/staff/your-work/")


@pytest.fixture
def csp_people(areas: dict[str, Any]) -> dict[str, User]:
    return {
        "north_manager": UserFactory(role=Role.CSP_MANAGER, areas=[areas["north"]], email="n@example.org"),
        "south_manager": UserFactory(role=Role.CSP_MANAGER, areas=[areas["south"]], email="s@example.org"),
        "officer": UserFactory(role=Role.OPCC_OFFICER, areas=[areas["pfa"]], email="o@example.org"),
        "panel": UserFactory(role=Role.PANEL_MEMBER, areas=[areas["pfa"]], email="p@example.org"),
        "analyst": UserFactory(role=Role.ANALYST, areas=[areas["north"]], email="a@example.org"),
    }


def test_csp_duties_dhr_stages_and_panel_responses_reach_those_responsible(
    areas: dict[str, Any], csp_people: dict[str, User]
) -> None:
    today = timezone.localdate()
    duty = make_duty(
        csp=areas["north"], duty=Duty.STRATEGY_GROUP, due_date=today + datetime.timedelta(days=5)
    )
    review = make_dhr(csp=areas["north"], notified_on=today - datetime.timedelta(days=40))
    make_panel_recommendation(force_area=areas["pfa"], response_due=today + datetime.timedelta(days=2))
    other_force = AreaFactory(code="E23000098", name="Elsewhere", level="pfa")
    make_panel_recommendation(force_area=other_force, response_due=today, title="Not ours")

    north = {i.kind: i for i in due_items(csp_people["north_manager"])}
    assert north["csp.duty"].url.endswith(f"/duties/{duty.pk}/")
    assert north["csp.dhr_stage"].title.endswith(review.case_reference) and north["csp.dhr_stage"].overdue
    assert "csp.panel_response" not in north  # the Commissioner's office responds, not the CSP

    assert due_items(csp_people["south_manager"]) == []  # another CSP's duties are not theirs
    officer = [i for i in due_items(csp_people["officer"]) if i.kind == "csp.panel_response"]
    assert [i.title for i in officer] == ["Commissioner's response: Have regard to CSP priorities"]
    assert due_items(csp_people["panel"]) == [] and due_items(csp_people["analyst"]) == []

    html = page(csp_people["north_manager"], "/staff/your-work/")
    assert "CSP duties</a>: 1" in html and "Domestic homicide review stages</a>: 1 (1 overdue)" in html
    assert "Community safety partnerships: <strong>2</strong> (Testshire)" in html


def test_area_figures_on_the_home_page_count_only_the_persons_force_area(
    areas: dict[str, Any], csp_people: dict[str, User]
) -> None:
    AreaFactory(code="E22000999", name="Far Away CSP", level="csp")  # in no force area of theirs
    html = page(csp_people["officer"])
    assert "2</span> community safety partnerships in Testshire" in html


def test_a_csp_plan_action_is_the_owning_organisations_work(areas: dict[str, Any]) -> None:
    from joinedup.core.tests.factories import OrganisationFactory
    from joinedup.csp.tests.factories import make_plan

    owner, other = OrganisationFactory(name="Testshire Fire"), OrganisationFactory(name="Other Trust")
    plan = make_plan(csp=areas["north"])
    due = timezone.localdate() + datetime.timedelta(days=4)
    plan.priorities.create(title="Arson").actions.create(
        description="Home safety visits", owner=owner, due_date=due
    )
    mine = UserFactory(role=Role.OPCC_OFFICER, areas=[areas["pfa"]], organisation=owner)
    theirs = UserFactory(role=Role.OPCC_OFFICER, areas=[areas["pfa"]], organisation=other)
    [item] = [i for i in due_items(mine) if i.kind == "csp.plan_action"]
    assert item.title == "Home safety visits (North Testshire)" and item.due == due
    assert not [i for i in due_items(theirs) if i.kind == "csp.plan_action"]


def test_the_rounds_a_person_scores_are_their_work_until_they_have_scored(areas: dict[str, Any]) -> None:
    from decimal import Decimal

    from joinedup.funding.models import (
        Application,
        ApplicationStatus,
        Criterion,
        DistributionModel,
        Fund,
        FundSource,
        GrantRound,
        PanelAssignment,
        RoundStatus,
        Score,
    )

    fund = Fund.objects.create(
        name="Safer Streets",
        source=FundSource.COMMUNITY_SAFETY,
        distribution_model=DistributionModel.OPEN_ROUNDS,
        force_area=areas["pfa"],
    )
    today = timezone.localdate()
    grant_round = GrantRound.objects.create(
        fund=fund,
        name="Youth round",
        opens_on=today - datetime.timedelta(days=30),
        closes_on=today + datetime.timedelta(days=3),
        budget=Decimal("1000"),
        status=RoundStatus.OPEN,
    )
    criterion = Criterion.objects.create(round=grant_round, name="Need", weight=1)
    scorer = UserFactory(role=Role.PRACTITIONER, areas=[areas["pfa"]])
    bystander = UserFactory(role=Role.PRACTITIONER, areas=[areas["pfa"]])
    applications = [
        Application.objects.create(
            round=grant_round,
            organisation_name=f"Club {n}",
            project_title="Sport",
            project_description="Sport.",
            amount_requested=Decimal("100"),
            status=ApplicationStatus.ELIGIBLE,
        )
        for n in range(2)
    ]
    for application in applications:
        PanelAssignment.objects.create(application=application, member=scorer)

    [item] = [i for i in due_items(scorer) if i.kind == "funding.scoring"]
    assert item.title == "Score 2 applications in Youth round" and item.due == grant_round.closes_on
    assert not [i for i in due_items(bystander) if i.kind == "funding.scoring"]
    assert "Grant rounds to score</a>: 1" in page(scorer, "/staff/your-work/")

    Score.objects.create(application=applications[0], criterion=criterion, member=scorer, value=3)
    [item] = [i for i in due_items(scorer) if i.kind == "funding.scoring"]
    assert item.title == "Score 1 application in Youth round"
    Score.objects.create(application=applications[1], criterion=criterion, member=scorer, value=4)
    assert not [i for i in due_items(scorer) if i.kind == "funding.scoring"]
