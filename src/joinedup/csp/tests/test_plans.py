"""Partnership plans: priorities citing the assessment and the PCC priorities, actions, progress, "have regard"."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from joinedup.core.roles import Role
from joinedup.csp.duties import Duty
from joinedup.csp.models import DutyStatus
from joinedup.csp.plans import selectors as plan_selectors
from joinedup.csp.plans import services as plan_services
from joinedup.csp.tests.factories import make_assessment, make_duty, make_plan
from joinedup.partnerships.models import Plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def pcc_plan(areas):
    plan = Plan.objects.create(
        title="Police and Crime Plan",
        pcc_name="A Commissioner",
        force_area=areas["pfa"],
        period_start=datetime.date(2024, 5, 1),
        period_end=datetime.date(2028, 5, 1),
    )
    for order, title in enumerate(["Violence against women and girls", "Neighbourhood crime", "Road safety"]):
        plan.priorities.create(title=title, order=order)
    return plan


def test_the_have_regard_matrix_shows_gaps_both_ways(areas, users, pcc_plan):
    manager = users[Role.CSP_MANAGER]
    vawg, neighbourhood, _roads = pcc_plan.priorities.all()
    plan = plan_services.create_plan(
        actor=manager,
        csp=areas["north"],
        data={
            "title": "North community safety agreement",
            "period_start": datetime.date(2025, 4, 1),
            "period_end": datetime.date(2028, 3, 31),
            "police_and_crime_plan": pcc_plan.pk,
        },
    )
    plan_services.save_priority(
        actor=manager, plan=plan, data={"title": "Domestic abuse", "pcc_priorities": [vawg.pk]}
    )
    plan_services.save_priority(
        actor=manager, plan=plan, data={"title": "Burglary", "pcc_priorities": [neighbourhood.pk, vawg.pk]}
    )
    plan_services.save_priority(actor=manager, plan=plan, data={"title": "Fly-tipping", "pcc_priorities": []})
    matrix = plan_selectors.regard_matrix(plan)
    assert [(p.title, marks) for p, marks in matrix.rows] == [
        ("Domestic abuse", [True, False, False]),
        ("Burglary", [True, True, False]),
        ("Fly-tipping", [False, False, False]),
    ]
    assert [p.title for p in matrix.csp_gaps] == ["Fly-tipping"]
    assert [p.title for p in matrix.pcc_gaps] == ["Road safety"]


def test_a_priority_cites_its_strategic_assessment_and_only_the_chosen_pcc_plan(areas, users, pcc_plan):
    manager = users[Role.CSP_MANAGER]
    plan = make_plan(csp=areas["north"], police_and_crime_plan=pcc_plan)
    assessment = make_assessment(csp=areas["north"], year=2024)
    other_csp_assessment = make_assessment(csp=areas["south"], year=2024)
    other_plan = Plan.objects.create(
        title="Old plan",
        pcc_name="A Commissioner",
        force_area=areas["pfa"],
        period_start=datetime.date(2020, 5, 1),
        period_end=datetime.date(2024, 4, 30),
    )
    stray = other_plan.priorities.create(title="Old priority")
    priority = plan_services.save_priority(
        actor=manager, plan=plan, data={"title": "Violence", "strategic_assessment": assessment.pk}
    )
    assert priority.strategic_assessment == assessment
    with pytest.raises(ValidationError) as caught:
        plan_services.save_priority(
            actor=manager,
            plan=plan,
            data={"title": "", "strategic_assessment": other_csp_assessment.pk, "pcc_priorities": [stray.pk]},
        )
    assert set(caught.value.message_dict) == {"title", "strategic_assessment", "pcc_priorities"}


def test_a_plan_is_refused_with_every_error_at_once(areas, users):
    from joinedup.core.tests.factories import AreaFactory

    elsewhere = AreaFactory(code="E23000098", name="Elsewhere", level="pfa")
    other_force = Plan.objects.create(
        title="Elsewhere",
        pcc_name="Another Commissioner",
        force_area=elsewhere,
        period_start=datetime.date(2020, 5, 1),
        period_end=datetime.date(2024, 4, 30),
    )
    with pytest.raises(ValidationError) as caught:
        plan_services.create_plan(
            actor=users[Role.CSP_MANAGER],
            csp=areas["north"],
            data={
                "title": "",
                "period_start": datetime.date(2025, 4, 1),
                "period_end": datetime.date(2024, 4, 1),
                "police_and_crime_plan": other_force.pk,
            },
        )
    assert set(caught.value.message_dict) == {"title", "period_end", "police_and_crime_plan"}


def test_progress_updates_rate_the_action_and_show_on_the_plan(areas, users, client_for, authorities):
    plan = make_plan(csp=areas["north"])
    client = client_for(Role.CSP_MANAGER)
    assert (
        client.post(f"/staff/csp/plans/{plan.pk}/priorities/new/", {"title": "Domestic abuse"}).status_code
        == 302
    )
    priority = plan.priorities.get()
    response = client.post(
        f"/staff/csp/priorities/{priority.pk}/actions/new/",
        {
            "description": "Train frontline staff in routine enquiry",
            "owner": authorities["health"].pk,
            "lead_officer": "Safeguarding lead",
            "due_date": "2026-03-31",
            "status": "not_started",
        },
    )
    assert response.status_code == 302
    action = priority.actions.get()
    response = client.post(
        f"/staff/csp/actions/{action.pk}/updates/new/",
        {"recorded_on": datetime.date.today().isoformat(), "text": "Two sessions held.", "rag": "amber"},
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.rag, action.status, action.version) == ("amber", "in_progress", 2)
    text = client.get(f"/staff/csp/plans/{plan.pk}/").content.decode()
    assert "Two sessions held." in text and "In progress, Amber" in text
    assert "0 red, 1 amber, 0 green, 0 not rated yet" in text


def test_a_csp_manager_cannot_change_another_csps_plan(areas, client_for):
    plan = make_plan(csp=areas["south"])
    priority = plan.priorities.create(title="Shoplifting")
    client = client_for(Role.CSP_MANAGER)
    assert client.get(f"/staff/csp/plans/{plan.pk}/").status_code == 200
    assert client.get(f"/staff/csp/plans/{plan.pk}/edit/").status_code == 404
    assert client.post(f"/staff/csp/plans/{plan.pk}/priorities/new/", {"title": "X"}).status_code == 404
    assert client.get(f"/staff/csp/priorities/{priority.pk}/actions/new/").status_code == 404
    assert client.get("/staff/csp/E22000902/plans/new/").status_code == 404
    assert plan.priorities.count() == 1


def test_the_public_page_shows_priorities_and_meeting_dates(areas, client):
    plan = make_plan(csp=areas["north"], title="Safer North 2025-28")
    plan.priorities.create(title="Domestic abuse", order=1)
    make_plan(csp=areas["north"], title="Draft plan", is_public=False)
    make_duty(
        csp=areas["north"],
        duty=Duty.FACE_THE_PUBLIC,
        year=2024,
        status=DutyStatus.COMPLETE,
        evidence_text="Public meeting",
        evidence_date=datetime.date(2024, 10, 14),
        approved_by="Chair",
    )
    make_duty(csp=areas["north"], duty=Duty.FACE_THE_PUBLIC, year=2025)
    text = client.get("/csp/E22000901/").content.decode()
    assert "Safer North 2025-28" in text and "Domestic abuse" in text
    assert "Draft plan" not in text
    assert "held on 14 October 2024" in text and "to be held by 31 March 2026" in text
    index = client.get("/csp/").content.decode()
    assert "North Testshire" in index and "South Testshire" not in index
    download = b"".join(client.get("/csp/", {"format": "csv"}).streaming_content).decode("utf-8-sig")
    assert download.splitlines()[1:] == [
        "North Testshire,E22000901,2025/26: to be held by 31 March 2026; 2024/25: held on 14 October 2024"
    ]
    assert client.get("/csp/E22000902/").status_code == 404


def test_a_priority_number_already_used_is_a_form_error_not_a_crash(areas, client_for):
    plan = make_plan(csp=areas["north"])
    plan.priorities.create(title="Domestic abuse", order=1)
    manager = client_for(Role.CSP_MANAGER)
    response = manager.post(
        f"/staff/csp/plans/{plan.pk}/priorities/new/",
        {"title": "Youth violence", "order": "1", "version": ""},
    )
    # The form again, with the problem in its error summary (the CSP pages answer form errors with 200).
    assert response.status_code == 200
    assert "Number 1 is already used by “Domestic abuse”: choose another." in response.content.decode()
    assert plan.priorities.count() == 1
    response = manager.post(
        f"/staff/csp/plans/{plan.pk}/priorities/new/",
        {"title": "Youth violence", "order": "2", "version": ""},
    )
    assert response.status_code == 302 and plan.priorities.count() == 2


def test_a_priority_is_deleted_with_its_actions_after_a_confirmation_and_the_history_keeps_it(
    areas, users, client_for
):
    from joinedup.core.tests.factories import OrganisationFactory
    from joinedup.csp.models import CspAction, CspPriority

    plan = make_plan(csp=areas["north"])
    priority = plan.priorities.create(title="Shop theft", order=1)
    priority.actions.create(
        description="Retail patrols.", owner=OrganisationFactory(), due_date=plan.period_end
    )
    manager = client_for(Role.CSP_MANAGER)
    assert (
        f'href="/staff/csp/priorities/{priority.pk}/delete/"'
        in manager.get(f"/staff/csp/plans/{plan.pk}/").content.decode()
    )
    confirm = manager.get(f"/staff/csp/priorities/{priority.pk}/delete/").content.decode()
    assert "Retail patrols." in confirm and CspPriority.objects.filter(pk=priority.pk).exists()
    # Someone who may only read the plan cannot delete.
    panel = client_for(Role.PANEL_MEMBER)
    assert panel.post(f"/staff/csp/priorities/{priority.pk}/delete/", {"reason": "x"}).status_code == 404
    refused = manager.post(f"/staff/csp/priorities/{priority.pk}/delete/", {"reason": " "})
    assert refused.status_code == 422 and CspPriority.objects.filter(pk=priority.pk).exists()
    done = manager.post(
        f"/staff/csp/priorities/{priority.pk}/delete/", {"reason": "Merged into acquisitive crime"}
    )
    assert done.status_code == 302
    assert not CspPriority.objects.filter(pk=priority.pk).exists() and not CspAction.objects.exists()
    page = manager.get(f"/staff/csp/plans/{plan.pk}/").content.decode()
    deleted = page.split('id="deleted-priorities"')[1].split("</ul>")[0]
    assert "Shop theft" in deleted and "Merged into acquisitive crime" in deleted
    assert users[Role.CSP_MANAGER].full_name in deleted
    # Someone who may only read the plan cannot delete.
    assert (
        client_for(Role.PANEL_MEMBER).get(f"/staff/csp/priorities/{priority.pk}/delete/").status_code == 404
    )
