"""The register walked through in Chromium as a new user would, with axe checking every page."""

from __future__ import annotations

import csv
import datetime
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone

from joinedup.core.demo import (
    NEWCASTLE_COUNCIL,
    NEWCASTLE_CSP,
    NORTHUMBRIA_OPCC,
    NORTHUMBRIA_POLICE,
    load_demo,
)
from joinedup.partnerships.models import BusinessCaseAssessment, Partnership, Question, Status

pytestmark = [pytest.mark.browser]

NAME = "Tyneside Serious Violence Partnership"
PASSWORD = settings.JOINEDUP_DEMO_PASSWORD


@pytest.fixture
def demo(transactional_db: Any, tmp_path: Any) -> None:
    # The demo without the published data set: fast, and the same accounts and organisations.
    load_demo(shared_data_dir=tmp_path, out=lambda line: None)


def _submit(page: Any, button: str) -> None:
    page.get_by_role("button", name=button, exact=True).click()
    page.wait_for_load_state()
    page.check_accessibility()


def _sign_out(page: Any) -> None:
    page.visit("/staff/")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()


def _move(page: Any, path: str, step: str, reason: str) -> None:
    """Take a lifecycle step from the partnership's page, giving the reason the history keeps."""
    page.visit(path)
    page.get_by_label(f"{step}: reason").fill(reason)
    _submit(page, step)
    errors = page.locator(".govuk-error-summary")
    assert errors.count() == 0, errors.inner_text()


def test_a_partnership_from_proposal_to_revision_and_the_public_register(page: Any, demo: None) -> None:
    # An OPCC officer proposes a partnership.
    page.sign_in("opcc.officer@example.org", PASSWORD)
    page.visit("/staff/partnerships/")
    page.visit("/staff/partnerships/propose/")
    page.get_by_label("Name", exact=True).fill(NAME)
    page.get_by_label("Purpose").fill(
        "Prevent serious violence by joining up police, council and health work."
    )
    page.get_by_label("What is in scope").fill("Knife crime and violence in the night-time economy.")
    page.get_by_label("What is explicitly out of scope").fill("Domestic abuse, which has its own board.")
    page.get_by_label("Legal basis").select_option("statutory")
    page.get_by_label("Level").select_option("local")
    page.get_by_label("Areas covered").fill(NEWCASTLE_CSP)
    page.get_by_label("Lead organisation").select_option(label=NORTHUMBRIA_OPCC)
    page.get_by_label("Governance body", exact=True).fill("Serious Violence Board")
    page.get_by_label("Exit strategy: triggers").fill(
        "The duty is repealed or the partners agree it is done."
    )
    page.get_by_label("Exit strategy: steps").fill("Three months' notice; data returned to its owners.")
    page.get_by_label("Public: shown on the public register").check()
    _submit(page, "Save")
    assert page.locator("h1").inner_text() == NAME
    partnership = Partnership.objects.get(name=NAME)
    detail = f"/staff/partnerships/{partnership.pk}/"
    assert partnership.status == Status.PROPOSED

    # ... submits it for assessment and completes the business-case assessment.
    _move(page, detail, "Submit for assessment", "The Serious Violence Duty requires it.")
    page.visit(f"/staff/partnerships/{partnership.pk}/assessment/")
    for number, question in enumerate(Question, start=1):
        group = page.get_by_role("group", name=f"{number}. {question.label}")
        group.get_by_label(question.label).select_option("amber" if number == 5 else "green")
        group.get_by_label("Evidence").fill(f"Evidence for question {number}.")
    page.get_by_label("The decision-maker's recommendation").select_option("partner")
    page.get_by_label("Reasons for the recommendation").fill("Partnering meets the statutory duty.")
    _submit(page, "Save assessment")
    assert page.locator("#assessment + p").get_by_text("Complete", exact=True).is_visible()
    assert BusinessCaseAssessment.objects.get(partnership=partnership).completed_at is not None
    # Members are added through their form (a partnership with none cannot be approved).
    for organisation, role in (
        (NORTHUMBRIA_OPCC, "lead"),
        (NEWCASTLE_COUNCIL, "member"),
        (NORTHUMBRIA_POLICE, "provider"),
    ):
        page.visit(f"/staff/partnerships/{partnership.pk}/members/add/")
        page.get_by_label("Organisation").select_option(label=organisation)
        page.get_by_label("Role").select_option(role)
        page.get_by_label("Money per year (£)").fill("25000.00")
        page.get_by_label("Responsibilities").fill(f"The {role}'s part.")
        _submit(page, "Save member")
        assert page.locator("h1").inner_text() == NAME
    _sign_out(page)

    # An OPCC administrator approves it, then makes it active.
    page.sign_in("opcc.admin@example.org", PASSWORD)
    _move(page, detail, "Approve", "The assessment is complete and recommends partnering.")
    assert "is now approved" in page.get_by_role("main").inner_text()
    _move(page, detail, "Make active", "The board met for the first time.")
    partnership.refresh_from_db()
    assert partnership.status == Status.ACTIVE

    # A risk is added through its form.
    page.visit(f"/staff/partnerships/{partnership.pk}/risks/add/")
    page.get_by_label("Description").fill("Partners stop sharing data.")
    page.get_by_role("group", name="Likelihood").get_by_label("3").check()
    page.get_by_role("group", name="Impact").get_by_label("4").check()
    page.get_by_label("Owner").fill("Head of partnerships")
    page.get_by_label("Mitigation").fill("A data-sharing agreement signed by every partner.")
    _submit(page, "Save risk")
    page.visit(detail)
    members = page.get_by_role("table", name="Members and what each contributes per year").inner_text()
    assert NEWCASTLE_COUNCIL in members and NORTHUMBRIA_POLICE in members
    assert (
        "Partners stop sharing data." in page.get_by_role("table", name="Risks, highest first").inner_text()
    )

    # The landscape shows it joining its members, in a picture and in a table.
    page.visit("/staff/partnerships/landscape/?level=local")
    landscape = page.get_by_role(
        "table", name="Every partnership shown, with its member organisations and their roles"
    )
    assert f"{NEWCASTLE_COUNCIL} (member)" in landscape.get_by_role("row", name=NAME).inner_text()

    # The clock moves on: the review falls due and the register flags it.
    Partnership.objects.filter(pk=partnership.pk).update(
        next_review_date=timezone.localdate() - datetime.timedelta(days=1)
    )
    page.visit("/staff/partnerships/?overdue_review=on")
    assert NAME in page.get_by_role("table").inner_text()
    page.visit(detail)
    assert page.get_by_text("Review overdue").is_visible()

    # The review is started and completed with "revise".
    _move(page, detail, "Start a review", "The annual review is due.")
    page.visit(f"/staff/partnerships/{partnership.pk}/review/")
    page.get_by_label("Evidence of added value").fill("Hospital admissions for assault fell by a tenth.")
    page.get_by_label("Financial costs (£ a year)").fill("75000")
    page.get_by_label("Benefits realised").fill("Shared analysis of where violence happens.")
    page.get_by_role("group", name="Decision").get_by_label("Revise").check()
    page.get_by_label("Reasons for the decision").fill("Health partners must join the board.")
    page.get_by_label("Follow-up action 1").fill("Invite the integrated care board.")
    page.get_by_label("Owner of action 1").fill("Head of partnerships")
    page.fill_date("Action 1 due by", timezone.localdate() + datetime.timedelta(days=30))
    _submit(page, "Complete the review")
    assert "is now revised" in page.get_by_role("main").inner_text()
    partnership.refresh_from_db()
    assert partnership.status == Status.REVISED
    _sign_out(page)

    # The partnership is on the public register, and in its CSV.
    page.visit("/partnerships/")
    assert NAME in page.get_by_role("table").inner_text()
    page.visit(f"/partnerships/{partnership.pk}/")
    assert NEWCASTLE_COUNCIL in page.get_by_role("table", name="Members").inner_text()
    page.visit("/partnerships/")
    with page.expect_download() as download:
        # The whole register's download (the list's own "CSV file of these results" sits beside it).
        page.get_by_role("link", name="CSV", exact=True).click()
    with open(download.value.path(), encoding="utf-8-sig") as file:
        rows = {row["name"]: row for row in csv.DictReader(file)}
    assert rows[NAME]["status"] == "Revised"
    assert f"{NEWCASTLE_COUNCIL} (Member)" in rows[NAME]["members"]
