"""Issue 14, "Crashes and dead ends": the grouped staff menu, what it links to, the force's CSPs on the
dashboard, and styled error pages with a way back."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from joinedup.core.roles import Role
from joinedup.core.tests.factories import AreaFactory

pytestmark = pytest.mark.django_db


def _menu(html: str) -> list[str]:
    bar = html.split('id="navigation"')[1].split("</ul>")[0]
    return [re.sub(r"<[^>]+>", "", label).strip() for label in re.findall(r"<a [^>]*>(.*?)</a>", bar, re.S)]


def _submenu(html: str) -> list[str]:
    if 'class="ju-subnavigation"' not in html:
        return []
    bar = html.split('class="ju-subnavigation"')[1].split("</nav>")[0]
    return [label.strip() for label in re.findall(r"<a [^>]*>(.*?)</a>", bar, re.S)]


def test_the_administrators_menu_is_a_few_groups_with_the_commissioning_pages_in_funding(client_for):
    admin = client_for(Role.OPCC_ADMIN)
    menu = _menu(admin.get("/staff/").content.decode())
    assert menu == [
        "Dashboard",
        "Notifications",
        "Directory",
        "Partnerships",
        "Crime insight",
        "Funding",
        "CSPs and Panel",
        "Casework",
    ]
    funding = admin.get("/staff/funding/contracts/").content.decode()
    assert _submenu(funding) == [
        "Funds",
        "Awards",
        "Spend reports",
        "Contracts",
        "Boards",
        "Frameworks",
        "Suppliers",
        "Grant scoring",
    ]
    assert 'aria-current="page">Contracts' in funding.replace("\n", "")
    casework = admin.get("/staff/casework/").content.decode()
    assert "Tasking board" in _submenu(casework)


def test_grant_scoring_is_shown_only_to_those_who_score(client_for):
    for role in (Role.ANALYST, Role.PRACTITIONER, Role.PANEL_MEMBER):
        html = client_for(role).get("/staff/").content.decode()
        assert "Grant scoring" not in html, role
    assert "Grant scoring" in client_for(Role.OPCC_OFFICER).get("/staff/funding/").content.decode()


def test_the_dashboard_counts_the_force_areas_csps_not_the_countrys(areas, client_for):
    other = AreaFactory(level="pfa", code="E23000998", name="Elsewhere")
    AreaFactory(level="csp", code="E22000998", name="Elsewhere CSP", parent=other, pfa=other)
    html = client_for(Role.OPCC_OFFICER).get("/staff/").content.decode()
    card = html.split("community safety partnerships")[0].rsplit("font-weight-bold", 1)[1]
    assert ">2</span>" in card  # North and South Testshire, not the other force's CSP
    assert "community safety partnerships in Testshire" in html
    assert f"parent={areas['pfa'].code}" in html


def test_a_missing_page_is_styled_and_offers_a_way_back(client_for):
    response = client_for(Role.PANEL_MEMBER).get("/staff/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "<h1" in html and "Page not found" in html and 'href="/staff/"' in html
    anonymous = Client().get("/no-such-page/")
    assert anonymous.status_code == 404 and "Go to the Joined Up home page" in anonymous.content.decode()


def test_a_server_error_page_is_styled_and_offers_a_way_back():
    from django.template.loader import render_to_string

    html = render_to_string("500.html")  # as Django renders it: no request, no context processors
    assert "Sorry, there is a problem with the service" in html and 'href="/staff/"' in html


def test_the_panel_member_sees_the_panel_in_the_menu(client_for):
    menu = _menu(client_for(Role.PANEL_MEMBER).get("/staff/").content.decode())
    assert "CSPs and Panel" in menu and "Funding" not in menu and "Spend reports" in menu
