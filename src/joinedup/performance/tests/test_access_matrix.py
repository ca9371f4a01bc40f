"""Who reaches which performance page, generated for every role, plan and page (ADR 0029): everyone who reads
performance reads the force area's plans, the Panel the Police and Crime Plan's only (a CSP plan's report
and indicators answer 404); the OPCC and analysts define indicators for every plan, CSP managers for their
own CSP's plan only; everyone else gets 404."""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from joinedup.core.roles import Role
from joinedup.core.tests.factories import OrganisationFactory
from joinedup.csp.tests.factories import make_plan
from joinedup.partnerships.models import Plan
from joinedup.performance import rules
from joinedup.performance.models import Indicator

pytestmark = pytest.mark.django_db

PLANS = ("pcc", "own_csp", "other_csp")  # the Police and Crime Plan; North Testshire's; South Testshire's
PAGES = ("report", "indicator", "define")
DEFINERS = (Role.OPCC_ADMIN, Role.OPCC_OFFICER, Role.ANALYST, Role.CSP_MANAGER)


def _expected(role: str, plan: str, page: str) -> int:
    if page == "define":
        allowed = role in DEFINERS and (role != Role.CSP_MANAGER or plan == "own_csp")
    else:
        allowed = role in rules.READERS and not (role == Role.PANEL_MEMBER and plan != "pcc")
    return 200 if allowed else 404


@pytest.fixture
def plans(users: dict[str, Any], areas: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """One plan of each kind, each with an indicator. The `users` fixture's CSP manager works for North
    Testshire, so its plan is the manager's own and South Testshire's another CSP's."""
    pfa = areas["pfa"]
    pcc = Plan.objects.create(
        title="Testshire plan",
        pcc_name="PCC",
        force_area=pfa,
        period_start=datetime.date(2024, 4, 1),
        period_end=datetime.date(2028, 3, 31),
    )
    made = {
        "pcc": (pcc, pcc.priorities.create(title="Fewer burglaries"), "plan_priority", pfa),
    }
    for key, csp in (("own_csp", areas["north"]), ("other_csp", areas["south"])):
        csp_plan = make_plan(csp=csp, title=f"{csp.name} agreement")
        made[key] = (csp_plan, csp_plan.priorities.create(title="ASB"), "csp_priority", csp)
    owner = OrganisationFactory(name="Northtown Council")
    result = {}
    for key, (plan, priority, field, area) in made.items():
        indicator = Indicator.objects.create(
            **{field: priority},
            force_area=pfa,
            area=area,
            name=f"Indicator of {plan.title}",
            definition="A figure.",
            unit="count",
            direction="down",
            baseline_from=datetime.date(2023, 4, 1),
            baseline_to=datetime.date(2024, 3, 31),
            target_kind="threshold",
            target_value=Decimal("10"),
            frequency="quarterly",
            owner=owner,
            source="manual",
        )
        kind = "pcc" if key == "pcc" else "csp"
        result[key] = {
            "title": plan.title,
            "report": f"/staff/performance/plans/{kind}/{plan.pk}/report/",
            "indicator": f"/staff/performance/indicators/{indicator.pk}/",
            "define": f"/staff/performance/plans/{kind}/{plan.pk}/indicators/new/",
        }
    return result


def test_every_role_reaches_exactly_the_plans_and_pages_it_may(
    users: dict[str, Any], plans: dict[str, dict[str, Any]]
):
    expected, got = {}, {}
    clients: dict[str, Client] = {}
    for role, plan, page in itertools.product(Role.values, PLANS, PAGES):
        if role not in clients:
            clients[role] = Client()
            clients[role].force_login(users[role])
        expected[role, plan, page] = _expected(role, plan, page)
        got[role, plan, page] = clients[role].get(plans[plan][page]).status_code
    assert got == expected
    # The matrix is not one example: every role meets both answers somewhere, and the CSP manager both on
    # the define page (own CSP: 200; the Police and Crime Plan and another CSP's: 404).
    assert {(r, p) for (r, p, page), s in expected.items() if page == "define" and s == 200} >= {
        (Role.CSP_MANAGER, "own_csp"),
        (Role.ANALYST, "other_csp"),
    }
    assert (
        expected[Role.CSP_MANAGER, "other_csp", "define"]
        == expected[Role.CSP_MANAGER, "pcc", "define"]
        == 404
    )
    assert expected[Role.PANEL_MEMBER, "pcc", "report"] == 200
    assert expected[Role.PANEL_MEMBER, "own_csp", "indicator"] == 404

    # The performance index lists the same plans each role may read.
    for role, client in clients.items():
        page = client.get("/staff/performance/")
        if role not in rules.READERS:
            assert page.status_code == 404
            continue
        listed = {plan for plan in PLANS if plans[plan]["title"] in page.content.decode()}
        assert listed == {plan for plan in PLANS if expected[role, plan, "report"] == 200}, role
