"""A CSP manager evidences a duty, the Panel makes a recommendation and the OPCC records the PCC's response,
in Chromium; axe checks every page."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from joinedup.core.roles import Role
from joinedup.core.tests.factories import TEST_PASSWORD, UserFactory, area_tree
from joinedup.csp.duties import current_year, year_label
from joinedup.csp.tests.factories import make_agreement, make_authorities, make_dhr, make_duty, make_plan
from joinedup.partnerships.models import Plan

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
    page.fill_date("Date of the evidence", datetime.date.today().isoformat())
    page.get_by_label("Approved by").fill("CSP chair")
    _submit(page, "Save")
    assert "approved by CSP chair" in page.content()
    page.visit(f"/staff/csp/?year={year}")
    assert "No statutory partnership for this CSP in the partnership register." in page.content()
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
    page.fill_date("Date made", datetime.date.today().isoformat())
    _submit(page, "Save")
    assert page.locator("h1").inner_text() == "Quarterly CSP briefing notes"
    detail = page.url.removeprefix(page.base_url)
    _sign_out(page)

    page.sign_in(officer.email, TEST_PASSWORD)
    page.visit(detail)
    page.get_by_role("link", name="Update").click()
    page.wait_for_load_state()
    page.get_by_label("PCC's response").fill("Accepted.")
    page.fill_date("Date of the response", datetime.date.today().isoformat())
    page.get_by_label("Status").select_option("accepted")
    _submit(page, "Save")
    assert "Accepted." in page.content()
    _sign_out(page)

    page.visit("/csp/")
    page.visit(f"/csp/{areas['north'].code}/")
    assert "Domestic abuse" in page.content()
    page.visit("/csp/domestic-homicide-reviews/")


def _text(page: Any) -> str:
    return " ".join(page.locator("main").inner_text().split())


def _cell(page: Any, csp: str, column: int) -> tuple[str, str]:
    """(data-rag, text) of a grid cell: column 0 is responsible authorities, then the duties in order."""
    row = page.locator("tr", has=page.get_by_role("rowheader", name=csp))
    cell = row.locator("td").nth(column)
    if cell.locator("details").get_attribute("open") is None:
        cell.locator("summary").click()  # the reason is one click away
    return cell.get_attribute("data-rag"), " ".join(cell.inner_text().split())


def test_a_csp_year_as_its_manager_and_the_panel_would(page: Any, tmp_path: Any) -> None:
    """Done-when for issue 6: assessment published (uploaded: no insight store), priorities cite it, duties
    evidenced, the quarterly briefing note drafted, edited and submitted, a Panel recommendation and the
    PCC's response tracked, and the compliance grid's colours and reasons for a seeded set of CSPs."""
    areas = area_tree()
    authorities = make_authorities(areas)
    manager = UserFactory(role=Role.CSP_MANAGER, email="manager@example.org", areas=[areas["north"]])
    panel = UserFactory(role=Role.PANEL_MEMBER, email="panel@example.org", areas=[areas["pfa"]])
    officer = UserFactory(role=Role.OPCC_OFFICER, email="officer@example.org", areas=[areas["pfa"]])
    today = datetime.date.today()
    year = current_year(today)
    pcc = Plan.objects.create(
        title="Police and Crime Plan",
        pcc_name="A Commissioner",
        force_area=areas["pfa"],
        period_start=today - datetime.timedelta(days=400),
        period_end=today + datetime.timedelta(days=800),
    )
    pcc.priorities.create(title="Violence against women and girls", order=0)
    plan = make_plan(
        csp=areas["north"],
        title="Safer North",
        police_and_crime_plan=pcc,
        period_start=today - datetime.timedelta(days=200),
        period_end=today + datetime.timedelta(days=900),
    )
    officers = {org: f"Officer {kind.title()}" for kind, org in authorities.items()}
    make_agreement(areas=[areas["north"]], officers=officers, title="North Testshire protocol")
    # The seeded other CSP: one duty overdue, one due within 30 days, one not yet due.
    south = areas["south"]
    make_duty(csp=south, duty="strategy_group", year=year, due_date=today - datetime.timedelta(days=10))
    make_duty(csp=south, duty="engagement", year=year, due_date=today + datetime.timedelta(days=10))
    make_duty(csp=south, duty="reoffending", year=year, due_date=today + datetime.timedelta(days=90))
    document = tmp_path / "north-assessment.pdf"
    document.write_bytes(b"%PDF-1.4\n% North Testshire strategic assessment\n")

    # The CSP manager: the year's duties, then publish the strategic assessment (no insight store here).
    page.sign_in(manager.email, TEST_PASSWORD)
    page.visit(f"/staff/csp/{areas['north'].code}/?year={year}")
    content = page.content()
    assert "Councillor A Chair" in content and manager.full_name in content
    assert "All five responsible authority types are members of the partnership." in content
    _submit(page, f"Add the 8 missing duties for {year_label(year)}")
    page.get_by_role("link", name="Publish a strategic assessment").click()
    page.wait_for_load_state()
    page.check_accessibility()
    page.get_by_label("Title").fill("North Testshire strategic assessment")
    page.get_by_label("Financial year starting").fill(str(year))
    page.fill_date("Date published", today.isoformat())
    page.get_by_label("Approved by").fill("Strategy group")
    page.get_by_label("Upload the assessment").set_input_files(str(document))
    page.get_by_label("Crime trend headline").fill(
        "Recorded crime fell 4%; violence against the person rose 6%."
    )
    _submit(page, "Save")
    assert page.locator("h1").inner_text() == "North Testshire strategic assessment"
    assert "Download north-assessment.pdf" in page.content()

    # A plan priority cites it, and serves the Police and Crime Plan.
    page.visit(f"/staff/csp/plans/{plan.pk}/")
    page.get_by_role("link", name="Add a priority").click()
    page.wait_for_load_state()
    page.get_by_label("Title").fill("Domestic abuse")
    page.get_by_label("Strategic assessment it came from").select_option(
        label=f"North Testshire strategic assessment ({year_label(year)})"
    )
    page.get_by_label("Violence against women and girls").check()
    _submit(page, "Save")
    assert f"From: North Testshire strategic assessment ({year_label(year)})." in _text(page)

    # Duties evidenced: the strategy group (the assessment already evidenced its own duty).
    page.visit(f"/staff/csp/{areas['north'].code}/?year={year}")
    page.get_by_role("link", name="Strategy group directing the partnership").click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Record progress and evidence").click()
    page.wait_for_load_state()
    page.get_by_label("Status").select_option("complete")
    page.get_by_label("Evidence", exact=True).fill("Terms of reference and minutes of the strategy group.")
    page.fill_date("Date of the evidence", today.isoformat())
    page.get_by_label("Approved by").fill("CSP chair")
    for organisation in authorities.values():
        page.get_by_label(organisation.name).check()
    _submit(page, "Save")

    # The quarterly briefing note: drafted from the CSP's data, edited, submitted.
    page.visit(f"/staff/csp/{areas['north'].code}/?year={year}")
    _submit(page, "Draft this quarter's briefing note")
    assert "violence against the person rose 6%" in page.get_by_label("Crime trend").input_value()
    assert "Safer North: 0 actions" in page.get_by_label("Partnership plan progress").input_value()
    page.get_by_label("The CSP manager's commentary").fill("Domestic abuse work is under way.")
    _submit(page, "Save the draft")
    page.get_by_role("link", name="Edit and submit the draft").click()
    page.wait_for_load_state()
    _submit(page, "Submit to the Panel")
    assert "Submitted to the Panel" in page.content()
    _sign_out(page)

    # The Panel reads the note and records a recommendation to the PCC.
    page.sign_in(panel.email, TEST_PASSWORD)
    page.visit("/staff/csp/panel/workspace/")
    page.get_by_role("link", name="North Testshire: Briefing note").click()
    page.wait_for_load_state()
    assert "Domestic abuse work is under way." in page.content()
    page.visit(f"/staff/csp/{areas['north'].code}/protocols/")
    assert "with a designated liaison officer in each responsible authority" in _text(page)
    page.visit(f"/staff/csp/plans/{plan.pk}/aligned/")
    assert "Part 2: North Testshire community safety agreement" in _text(page)
    page.visit("/staff/csp/panel/workspace/")
    page.get_by_role("link", name="Add a member").click()
    page.wait_for_load_state()
    page.check_accessibility()
    page.get_by_label("Name").fill("Cllr Link")
    page.get_by_label(str(areas["north"])).check()
    _submit(page, "Save")
    row = page.locator("tr", has_text="Cllr Link")
    assert "North Testshire" in row.inner_text()
    page.visit("/staff/csp/panel/new/")
    page.get_by_label("Title").fill("Domestic abuse funding for North Testshire")
    page.get_by_label("We said").fill("Fund an independent domestic violence adviser in North Testshire.")
    page.fill_date("Date made", today.isoformat())
    page.get_by_label("CSP concerned").select_option(label=str(areas["north"]))
    _submit(page, "Save")
    detail = page.url.removeprefix(page.base_url)
    _sign_out(page)

    # The OPCC records the PCC's response, and later what was done.
    page.sign_in(officer.email, TEST_PASSWORD)
    page.visit(detail)
    page.get_by_role("link", name="Update").click()
    page.wait_for_load_state()
    page.get_by_label("PCC's response").fill("Accepted: funded from April.")
    page.fill_date("Date of the response", today.isoformat())
    page.get_by_label("Status").select_option("implemented")
    page.get_by_label("You did").fill("An adviser started in April.")
    _submit(page, "Save")
    page.visit("/staff/csp/panel/")
    row = page.locator("tr", has_text="Domestic abuse funding for North Testshire")
    assert "Implemented" in row.inner_text() and "An adviser started in April." in row.inner_text()

    # The compliance grid, for both CSPs.
    page.visit(f"/staff/csp/?year={year}")
    assert _cell(page, "North Testshire", 0) == (
        "green",
        "Green All five responsible authority types are members of the partnership.",
    )
    assert _cell(page, "North Testshire", 1) == (
        "green",
        f"Green Evidenced on {today.day} {today:%B %Y}, approved by CSP chair.",
    )
    rag, text = _cell(page, "North Testshire", 4)  # the strategic assessment: published, not signed off
    assert rag == "amber" and "awaiting sign-off by: Police, Local authority" in text
    assert _cell(page, "South Testshire", 0) == (
        "red",
        "Red Missing responsible authority: Local authority, Probation, Health.",
    )
    overdue = today - datetime.timedelta(days=10)
    assert _cell(page, "South Testshire", 1) == (
        "red",
        f"Red Overdue: was due {overdue.day} {overdue:%B %Y} and is not started.",
    )
    soon = today + datetime.timedelta(days=10)
    assert _cell(page, "South Testshire", 2) == (
        "amber",
        f"Amber Due {soon.day} {soon:%B %Y}, in 10 days, and is not started.",
    )
    rag, text = _cell(page, "South Testshire", 3)  # information sharing: no record, no agreement
    assert rag == "red" and text == (
        f"Red No record of this duty for {year_label(year)}. "
        "No active information-sharing agreement covers this CSP."
    )
    later = today + datetime.timedelta(days=90)
    assert _cell(page, "South Testshire", 6) == (
        "green",
        f"Green Not yet due: due {later.day} {later:%B %Y} and is not started.",
    )
