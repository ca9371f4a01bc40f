"""An analyst defines an indicator; the partner who owes its return is reminded by the scheduler's daily
digest (an email read from a real SMTP server, naming the return and linking to it), finds it in Your work
and sends it from the email's link; a Panel member reads the Police and Crime Plan's quarterly report and
records a recommendation from it, in Chromium; axe checks every page."""

from __future__ import annotations

import datetime
import re
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from joinedup.core.roles import Role
from joinedup.core.tests.factories import TEST_PASSWORD, OrganisationFactory, UserFactory, area_tree
from joinedup.notifications.mailsink import MailCatcher
from joinedup.notifications.scheduler import TIMETABLE, run_job
from joinedup.notifications.tests.test_email import smtp_settings
from joinedup.partnerships.models import Plan
from joinedup.performance.periods import period_containing

pytestmark = [pytest.mark.browser]


def _submit(page: Any, name: str) -> None:
    page.get_by_role("button", name=name).click()
    page.wait_for_load_state()
    page.check_accessibility()


def test_define_an_indicator_send_its_return_and_read_the_report(page: Any) -> None:
    areas = area_tree()
    today = datetime.date.today()
    this_quarter = period_containing(today, "quarterly")
    last_quarter = period_containing(this_quarter.start - datetime.timedelta(days=1), "quarterly")
    plan = Plan.objects.create(
        title="Testshire plan",
        pcc_name="PCC",
        force_area=areas["pfa"],
        period_start=last_quarter.start,
        period_end=last_quarter.start.replace(year=last_quarter.start.year + 4),
    )
    plan.priorities.create(title="Supporting victims")
    council = OrganisationFactory(name="Northtown Council")
    analyst = UserFactory(role=Role.ANALYST, email="analyst@example.org", areas=[areas["pfa"]])
    clerk = UserFactory(
        role=Role.PRACTITIONER, email="clerk@example.org", areas=[areas["pfa"]], organisation=council
    )
    panel = UserFactory(role=Role.PANEL_MEMBER, email="panel@example.org", areas=[areas["pfa"]])
    baseline_end = last_quarter.start - datetime.timedelta(days=1)

    page.sign_in(analyst.email, TEST_PASSWORD)
    page.visit("/staff/performance/")
    page.check_accessibility()
    page.get_by_role("link", name="Add an indicator to Testshire plan").click()
    page.wait_for_load_state()
    page.check_accessibility()
    page.get_by_label("Priority it measures").select_option(label="Supporting victims")
    page.get_by_label("Name", exact=True).fill("Victims offered support")
    page.get_by_label("Definition").fill("Share of victims offered support within 5 working days.")
    page.get_by_label("Source").select_option("manual")
    page.get_by_label("Unit").select_option("percent")
    page.get_by_label("Area measured", exact=True).fill(areas["north"].code)
    page.get_by_label("Direction").select_option("up")
    page.get_by_label("Baseline period starts (YYYY-MM-DD)").fill(baseline_end.replace(day=1).isoformat())
    page.get_by_label("Baseline period ends (YYYY-MM-DD)").fill(baseline_end.isoformat())
    page.get_by_label("Baseline value (manual returns only)").fill("80")
    page.get_by_label("Kind of target").select_option("threshold")
    page.get_by_label("Target (a percentage change is negative for a fall)").fill("85")
    page.get_by_label("Frequency").select_option("quarterly")
    page.get_by_label("Owner organisation").select_option(label="Northtown Council")
    page.get_by_label("Days after each period a manual return is due").fill("0")  # so it is overdue today
    _submit(page, "Save the indicator")
    assert "Victims offered support" in page.content() and "No data" in page.content()
    page.get_by_role("button", name="Sign out").click()

    # The scheduler's daily digest reminds the council's clerk, by email through a real SMTP server (every
    # wait bounded: the server is local, EMAIL_TIMEOUT is 5 s, the wait for delivery 10 s).
    owed = f"Return for Victims offered support, {last_quarter.label}"
    digest = next(job for job in TIMETABLE if job.name == "daily_digest")
    seven = timezone.localtime().replace(hour=7, minute=1, second=0, microsecond=0)
    with MailCatcher() as smtp, smtp_settings(smtp.port):
        run = run_job(digest, instance="browser-test", now=seven)
        assert run is not None and run.outcome == "succeeded", run and run.summary
        assert smtp.handler.received.wait(10)
    [email] = [message for message in smtp.messages if message["To"] == clerk.email]
    body = email.get_content()
    assert owed in body and "(overdue)" in body
    [link] = re.findall(r"\S+/staff/performance/indicators/\d+/returns/new/\?period=[\d-]+", body)
    assert urlsplit(link).query == f"period={last_quarter.start}"

    # The clerk finds it in Your work too, and follows the email's link (its path, on this server).
    page.sign_in(clerk.email, TEST_PASSWORD)
    page.visit("/staff/your-work/")
    page.check_accessibility()
    assert page.get_by_role("link", name=owed).is_visible()
    page.visit(f"{urlsplit(link).path}?{urlsplit(link).query}")
    assert "Send a return — Victims offered support" in page.locator("main").inner_text()
    assert page.get_by_label("First day of the period").input_value() == last_quarter.start.isoformat()
    page.get_by_label("Figure").fill("140")
    _submit(page, "Send the return")
    assert "A percentage cannot be more than 100." in page.content()
    page.get_by_label("Figure").fill("86")
    _submit(page, "Send the return")
    assert "On track" in page.content()
    page.get_by_role("button", name="Sign out").click()

    page.sign_in(panel.email, TEST_PASSWORD)
    report = f"/staff/performance/plans/pcc/{plan.pk}/report/?quarter={last_quarter.start:%Y-%m}"
    page.visit(report)
    page.check_accessibility()
    assert "86% is at or above the target of 85%." in page.content()
    # The Panel member records a recommendation from the report, and the report links to it.
    # (The indicator's name is visually hidden: the accessible name may space it from the colon.)
    page.get_by_role(
        "link", name=re.compile(r"Make a recommendation about this indicator\s*:\s*Victims offered support")
    ).click()
    page.wait_for_load_state()
    page.check_accessibility()
    page.get_by_label("Title").fill("Offer support to every victim within 5 days")
    page.get_by_label("We said (the recommendation)").fill(
        "Report each quarter on the victims not offered support in time, and why."
    )
    _submit(page, "Record the recommendation")
    assert "Offer support to every victim within 5 days" in page.content()
    page.visit(report)
    assert "Offer support to every victim within 5 days" in page.content()
