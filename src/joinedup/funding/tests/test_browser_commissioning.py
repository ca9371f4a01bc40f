"""Commissioning in a browser: an OPCC officer records a contract with KPIs (every error at once first),
reports a quarter's performance, and compares the supplier across the areas that use it; then reads a
spend report. axe-core checks every page visited."""

from __future__ import annotations

from typing import Any

import pytest

from joinedup.core.models import Organisation
from joinedup.core.roles import Role
from joinedup.core.tests.factories import TEST_PASSWORD, UserFactory, area_tree

pytestmark = [pytest.mark.browser]


def _submit(page: Any, name: str) -> None:
    page.get_by_role("button", name=name).click()
    page.wait_for_load_state()
    page.check_accessibility()


def test_officer_records_a_contract_reports_performance_and_compares_the_supplier(page: Any) -> None:
    areas = area_tree()
    officer = UserFactory(role=Role.OPCC_OFFICER, email="officer@example.org", full_name="Olive Officer")
    Organisation.objects.create(name="Victim Support North", sector="vcs_charity")
    Organisation.objects.create(name="OPCC Testshire", sector="opcc")

    page.sign_in(officer.email, TEST_PASSWORD)
    page.visit("/staff/funding/contracts/")
    page.get_by_role("link", name="Record a contract").click()
    page.wait_for_load_state()
    page.get_by_label("Contract value, in pounds").fill("a lot")
    _submit(page, "Save contract")
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "Enter a contract reference" in summary and "pounds and pence" in summary
    assert "Choose the provider" in summary

    page.get_by_label("Contract reference").fill("VS-001")
    page.get_by_role("textbox", name="Service", exact=True).fill("Victim referral service")
    page.get_by_label("Provider", exact=True).select_option(label="Victim Support North")
    page.get_by_label("Commissioned by").select_option(label="OPCC Testshire")
    page.get_by_label("CSP area served").fill(areas["north"].code)
    page.get_by_label("Contract value, in pounds").fill("250000")
    page.fill_date("Starts on", "2026-04-01")
    page.fill_date("Ends on", "2029-03-31")
    page.get_by_label("KPIs and targets").fill("Contacted within 48 hours | 90 | % | higher")
    _submit(page, "Save contract")
    assert page.locator("h1").inner_text() == "Victim referral service"

    page.fill_date("Period starts on", "2026-04-01")
    page.fill_date("Period ends on", "2026-06-30")
    page.get_by_label("Contacted within 48 hours: actual").fill("93")
    _submit(page, "Record performance")
    assert "Met" in page.locator("table").first.inner_text()

    page.get_by_role("link", name="Victim Support North").click()
    page.wait_for_load_state()
    page.check_accessibility()
    table = page.locator("table").first.inner_text()
    assert "VS-001" in table and "OPCC Testshire" in table and "103.3%" in table

    page.visit("/staff/funding/reports/")
    page.get_by_role("link", name="Spend by Community Safety Partnership", exact=True).click()
    page.wait_for_load_state()
    page.check_accessibility()
    assert "£250,000.00" in page.locator("#report").inner_text()
