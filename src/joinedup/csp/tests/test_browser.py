"""A CSP manager evidences a duty, the Panel makes a recommendation and the OPCC records the PCC's response,
in Chromium; axe checks every page."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from joinedup.core.roles import Role
from joinedup.core.tests.factories import TEST_PASSWORD, UserFactory, area_tree
from joinedup.csp.duties import current_year, year_label
from joinedup.csp.tests.factories import make_dhr, make_plan

pytestmark = [pytest.mark.browser]


def _submit(page: Any, name: str) -> None:
    page.get_by_role("button", name=name).click()
    page.wait_for_load_state()
    page.check_accessibility()


def _sign_out(page: Any) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()


def test_duties_grid_dhr_panel_and_public_pages(page: Any) -> None:
    areas = area_tree()
    manager = UserFactory(role=Role.CSP_MANAGER, email="manager@example.org", areas=[areas["north"]])
    panel = UserFactory(role=Role.PANEL_MEMBER, email="panel@example.org", areas=[areas["pfa"]])
    officer = UserFactory(role=Role.OPCC_OFFICER, email="officer@example.org", areas=[areas["pfa"]])
    year = current_year(datetime.date.today())
    make_dhr(csp=areas["north"], case_reference="DHR-2025-01")
    plan = make_plan(csp=areas["north"], title="Safer North")
    plan.priorities.create(title="Domestic abuse")

    page.sign_in(manager.email, TEST_PASSWORD)
    page.visit(f"/staff/csp/{areas['north'].code}/?year={year}")
    _submit(page, f"Add the 8 missing duties for {year_label(year)}")
    page.get_by_role("link", name="Strategy group directing the partnership").click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Record progress and evidence").click()
    page.wait_for_load_state()
    page.check_accessibility()
    page.get_by_label("Status").select_option("complete")
    page.get_by_label("Evidence", exact=True).fill("Terms of reference and minutes of the strategy group.")
    page.get_by_label("Date of the evidence").fill(datetime.date.today().isoformat())
    page.get_by_label("Approved by").fill("CSP chair")
    _submit(page, "Save")
    assert "approved by CSP chair" in page.content()
    page.visit(f"/staff/csp/?year={year}")
    assert "Missing responsible authority: Police, Local authority" in page.content()
    page.visit("/staff/csp/due/")
    page.visit("/staff/csp/dhrs/")
    page.get_by_role("link", name="DHR-2025-01").click()
    page.wait_for_load_state()
    page.check_accessibility()
    page.visit(f"/staff/csp/plans/{plan.pk}/")
    page.visit("/staff/csp/reports/")
    _sign_out(page)

    page.sign_in(panel.email, TEST_PASSWORD)
    page.visit("/staff/csp/panel/new/")
    page.get_by_label("Title").fill("Quarterly CSP briefing notes")
    page.get_by_label("We said").fill("Ask every CSP for a quarterly briefing note.")
    page.get_by_label("Date made").fill(datetime.date.today().isoformat())
    _submit(page, "Save")
    assert page.locator("h1").inner_text() == "Quarterly CSP briefing notes"
    detail = page.url.removeprefix(page.base_url)
    _sign_out(page)

    page.sign_in(officer.email, TEST_PASSWORD)
    page.visit(detail)
    page.get_by_role("link", name="Update").click()
    page.wait_for_load_state()
    page.get_by_label("PCC's response").fill("Accepted.")
    page.get_by_label("Date of the response").fill(datetime.date.today().isoformat())
    page.get_by_label("Status").select_option("accepted")
    _submit(page, "Save")
    assert "Accepted." in page.content()
    _sign_out(page)

    page.visit("/csp/")
    page.visit(f"/csp/{areas['north'].code}/")
    assert "Domestic abuse" in page.content()
    page.visit("/csp/domestic-homicide-reviews/")
