"""The grant journey in Chromium, as new users would walk it; axe checks every page."""

from __future__ import annotations

import datetime
import json
import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from joinedup.core.roles import Role
from joinedup.core.tests.factories import TEST_PASSWORD, UserFactory, area_tree

from .helpers import PACKAGE_SCHEMA, validator

pytestmark = [pytest.mark.browser]


def _sign_out(page: Any) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()


def _submit(page: Any, name: str) -> None:
    page.get_by_role("button", name=name).click()
    page.wait_for_load_state()
    page.check_accessibility()


def test_fund_round_application_panel_decision_and_public_grant(page: Any) -> None:
    areas = area_tree()
    officer = UserFactory(role=Role.OPCC_OFFICER, email="officer@example.org", full_name="Olive Officer")
    admin = UserFactory(role=Role.OPCC_ADMIN, email="admin@example.org", full_name="Ada Admin")
    UserFactory(role=Role.OPCC_OFFICER, email="alice@example.org", full_name="Alice Panel")
    UserFactory(role=Role.PRACTITIONER, email="bob@example.org", full_name="Bob Panel")

    # An OPCC officer sets up a fund and a round, and records an application.
    page.sign_in(officer.email, TEST_PASSWORD)
    page.visit("/staff/funding/funds/new/")
    page.get_by_label("Name", exact=True).fill("Safer Streets Small Grants")
    page.get_by_label("Source of the money").select_option("community_safety")
    page.get_by_label("How it is distributed").select_option("open_rounds")
    page.get_by_label("Police force area (needed for a formula allocation across CSPs)").fill(
        areas["pfa"].code
    )
    page.get_by_label("Budget per financial year").fill("2026: 20000")
    page.get_by_label("Maximum award, in pounds").fill("5000")
    _submit(page, "Save fund")
    page.get_by_role("link", name="Set up a grant round").click()
    page.wait_for_load_state()
    page.get_by_label("Name", exact=True).fill("Spring 2026")
    today = datetime.date.today()
    page.fill_date("Opens on", today.isoformat())
    page.fill_date("Closes on", (today + datetime.timedelta(days=30)).isoformat())
    page.get_by_label("Round budget, in pounds").fill("10000")
    page.get_by_label("Published criteria and weights").fill("Need: 3\nValue for money: 1")
    _submit(page, "Save round")
    assert page.locator("h1").inner_text() == "Spring 2026"
    _submit(page, "Mark as open")
    round_url = page.url
    _sign_out(page)

    # An applicant with no staff account registers, verifies their email address and applies.
    page.visit("/apply/")
    page.get_by_role("link", name="Create an account").click()
    page.wait_for_load_state()
    page.get_by_label("Your name").fill("Sam Applicant")
    page.get_by_label("Email address").fill("sam@example.org")
    page.get_by_label("Organisation name").fill("Northtown Youth Trust")
    page.get_by_label("Charity number (if it has one)").fill("1234567")
    page.get_by_label("Password").fill("a long and unusual passphrase")
    _submit(page, "Create account")
    link = re.search(r"https?://\S+/apply/verify/\S+/", mail.outbox[-1].body)
    assert link is not None
    page.visit("/" + link.group(0).split("/", 3)[3])  # the emailed link, on the test server
    page.get_by_label("Email address").fill("sam@example.org")
    page.get_by_label("Password").fill("a long and unusual passphrase")
    _submit(page, "Sign in")
    page.get_by_role("link", name="Apply to Spring 2026").click()
    page.wait_for_load_state()
    page.get_by_label("Project title").fill("Friday night football")
    _submit(page, "Save as draft")
    page.get_by_label("Supporting document").set_input_files(
        files=[{"name": "budget.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 budget"}]
    )
    _submit(page, "Upload document")
    page.get_by_label("What will the project do").fill("Football for young people on Friday evenings.")
    page.get_by_label("Amount requested, in pounds").fill("4000")
    _submit(page, "Submit application")
    assert "Submitted" in page.locator("main").inner_text()
    page.visit("/apply/")
    _submit(page, "Sign out")

    # The officer checks eligibility and assigns two panel members.
    page.sign_in(officer.email, TEST_PASSWORD)
    page.visit(round_url.replace(page.base_url, ""))
    page.get_by_role("link", name="APP-").first.click()
    page.wait_for_load_state()
    page.check_accessibility()
    page.get_by_label("Eligible", exact=True).check()
    _submit(page, "Record eligibility")
    for name in ("Alice Panel, OPCC officer", "Bob Panel, Partner practitioner"):
        page.get_by_label("Panel member").select_option(label=name)
        _submit(page, "Assign")
    application_url = page.url
    _sign_out(page)

    # Bob declares a conflict; Alice scores.
    page.sign_in("bob@example.org", TEST_PASSWORD)
    page.visit("/staff/funding/panel/")
    page.get_by_role("link", name="Declare a conflict on Friday night football").click()
    page.wait_for_load_state()
    page.get_by_label("What is the conflict of interest?").fill("I am a trustee of Northtown Youth Trust.")
    _submit(page, "Declare a conflict of interest")
    assert "You have no applications to score" in page.locator("main").inner_text()
    _sign_out(page)

    page.sign_in("alice@example.org", TEST_PASSWORD)
    page.visit("/staff/funding/panel/")
    page.get_by_role("link", name="Friday night football", exact=True).click()
    page.wait_for_load_state()
    page.check_accessibility()
    page.locator("fieldset", has_text="Need (weight 3)").get_by_label("4", exact=True).check()
    page.locator("fieldset", has_text="Value for money (weight 1)").get_by_label("5", exact=True).check()
    _submit(page, "Save scores")
    assert "Scored" in page.locator("table").inner_text()
    _sign_out(page)

    # The OPCC administrator decides from the recommendation summary.
    page.sign_in(admin.email, TEST_PASSWORD)
    page.visit(application_url.replace(page.base_url, ""))
    page.get_by_role("link", name="Spring 2026").first.click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Moderation and recommendation summary").click()
    page.wait_for_load_state()
    page.check_accessibility()
    summary = page.locator("#recommendation-summary").inner_text()
    assert "1 conflict of interest declared" in summary and "£4,000.00 in total" in summary
    page.get_by_role("link", name="Decide on Friday night football").click()
    page.wait_for_load_state()
    page.check_accessibility()
    page.get_by_label("Approve", exact=True).check()
    page.get_by_label("Amount approved, in pounds").fill("4000.00")
    page.get_by_label("Conditions of the award").fill("Report attendance each quarter.")
    _submit(page, "Record decision")
    assert "Approved" in page.locator("table").inner_text()
    _sign_out(page)

    # The award is public.
    page.visit("/grants/")
    grants = page.locator("table").inner_text()
    assert "Northtown Youth Trust" in grants and "£4,000.00" in grants
    # ... and in the 360Giving export, which validates.
    package = json.loads(b"".join(Client().get("/open-data/grants.json").streaming_content))
    assert [grant["recipientOrganization"][0]["name"] for grant in package["grants"]] == [
        "Northtown Youth Trust"
    ]
    if PACKAGE_SCHEMA.exists():  # the schema check itself is in test_opendata.py, which skips without it
        assert not list(validator().iter_errors(package))
