"""Browser tests: each demo role signs in and works through its pages in Chromium; axe checks every page."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings

from joinedup.core.demo import DEMO_ACCOUNTS, NEWCASTLE_CSP, load_demo
from joinedup.core.models import Organisation
from joinedup.core.roles import Role

pytestmark = [pytest.mark.browser]

# Pages each role must be able to open, and one it must be refused (answered as not found).
ROLE_PAGES: dict[str, tuple[list[str], str]] = {
    Role.OPCC_ADMIN: (["/staff/people/", "/staff/audit/", "/staff/organisations/new/"], "/admin/"),
    Role.OPCC_OFFICER: (["/staff/organisations/new/", "/staff/areas/"], "/staff/people/"),
    Role.CSP_MANAGER: (["/staff/organisations/new/", "/staff/areas/"], "/staff/audit/"),
    Role.PRACTITIONER: (["/staff/areas/"], "/staff/organisations/new/"),
    Role.ANALYST: (["/staff/areas/", "/staff/areas/imports/"], "/staff/people/"),
    Role.PANEL_MEMBER: (["/staff/areas/"], "/staff/organisations/new/"),
    Role.AUDITOR: (["/staff/audit/", "/staff/people/"], "/staff/organisations/new/"),
}


@pytest.fixture
def demo(transactional_db: Any, tmp_path: Any) -> None:
    # The demo without the published data set: fast, and the same accounts and organisations.
    load_demo(shared_data_dir=tmp_path, out=lambda line: None)


def test_public_pages_are_accessible(page: Any) -> None:
    for path in ["/", "/accessibility/", "/privacy/", "/staff/sign-in/"]:
        page.visit(path)
    assert "Joined Up" in page.title()
    # No crown, no GOV.UK logotype: the header names the service only.
    assert page.locator(".govuk-header__logotype").count() == 0
    assert "arial" in page.evaluate("getComputedStyle(document.querySelector('h1')).fontFamily").lower()


def test_skip_link_is_the_first_thing_a_keyboard_reaches(page: Any) -> None:
    page.visit("/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to main content"


@pytest.mark.parametrize("email,role", [(email, role) for email, role, _org, _area in DEMO_ACCOUNTS])
def test_each_demo_role_signs_in_and_visits_its_pages(page: Any, demo: None, email: str, role: str) -> None:
    page.sign_in(email, settings.JOINEDUP_DEMO_PASSWORD)
    assert page.url.endswith("/staff/"), f"{email} did not reach the dashboard: {page.url}"
    page.visit("/staff/")
    page.visit("/staff/organisations/")
    page.visit("/staff/roles/")
    page.visit("/staff/account/")
    organisation = Organisation.objects.get(name="Newcastle City Council")
    page.visit(f"/staff/organisations/{organisation.pk}/")
    allowed, refused = ROLE_PAGES[role]
    for path in allowed:
        page.visit(path)
    if refused == "/admin/":
        response = page.page.goto(page.base_url + refused)
        assert "/admin/login/" in page.url and response is not None
    else:
        page.visit(refused, expect_status=404)
    page.visit("/staff/")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()
    assert page.url == page.base_url + "/"


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_officer_adds_an_organisation(page: Any, page_without_js: Any, demo: None, javascript: bool) -> None:
    page = page if javascript else page_without_js
    page.sign_in("opcc.officer@example.org", settings.JOINEDUP_DEMO_PASSWORD)
    page.visit("/staff/organisations/new/")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    # Every problem at once, in an error summary that axe finds accessible.
    assert page.locator(".govuk-error-summary").is_visible()
    page.check_accessibility()
    page.get_by_label("Name", exact=True).fill("Tyneside Street Pastors")
    page.get_by_label("Sector").select_option("faith")
    page.get_by_label("Areas served").fill(NEWCASTLE_CSP)
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    page.check_accessibility()
    assert page.locator("h1").inner_text() == "Tyneside Street Pastors"
    assert "Newcastle upon Tyne" in page.locator(".govuk-summary-list").inner_text()

    # Filter the list with the plain form, no JavaScript involved.
    page.visit("/staff/organisations/?sector=faith")
    assert "Tyneside Street Pastors" in page.locator("table").inner_text()
