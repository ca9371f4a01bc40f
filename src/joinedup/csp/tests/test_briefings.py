"""Quarterly briefing notes: drafted from the CSP's own data, edited and submitted by its manager."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError

from joinedup.core.models import Rag
from joinedup.core.roles import Role
from joinedup.core.services.errors import NotAllowed
from joinedup.csp import selectors
from joinedup.csp.assessments import selectors as assessment_selectors
from joinedup.csp.assessments import services as assessment_services
from joinedup.csp.briefings import selectors as briefing_selectors
from joinedup.csp.briefings import services as briefing_services
from joinedup.csp.duties import Duty
from joinedup.csp.models import ActionUpdate, BriefingStatus, DutyStatus
from joinedup.csp.tests.factories import make_assessment, make_duty, make_plan
from joinedup.funding import services as funding_services
from joinedup.funding.tests.helpers import make_application, make_fund, make_round

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 12, 1)


def test_quarters_of_the_financial_year():
    assert briefing_selectors.quarter_dates(2025, 1) == (
        datetime.date(2025, 4, 1),
        datetime.date(2025, 6, 30),
    )
    assert briefing_selectors.quarter_dates(2025, 3) == (
        datetime.date(2025, 10, 1),
        datetime.date(2025, 12, 31),
    )
    assert briefing_selectors.quarter_dates(2025, 4) == (
        datetime.date(2026, 1, 1),
        datetime.date(2026, 3, 31),
    )
    assert selectors.current_quarter(datetime.date(2026, 2, 14)) == (2025, 4)
    assert selectors.current_quarter(datetime.date(2025, 4, 1)) == (2025, 1)


def _seed_csp_data(areas, authorities):
    north = areas["north"]
    plan = make_plan(csp=north, title="Safer North")
    priority = plan.priorities.create(title="Domestic abuse")
    action = priority.actions.create(
        description="Train GP surgeries",
        owner=authorities["health"],
        due_date=datetime.date(2026, 3, 1),
        rag="amber",
    )
    priority.actions.create(
        description="Awareness week", owner=authorities["police"], due_date=datetime.date(2026, 1, 1)
    )
    ActionUpdate.objects.create(
        action=action, recorded_on=datetime.date(2025, 11, 3), text="Six surgeries trained.", rag=Rag.AMBER
    )
    ActionUpdate.objects.create(
        action=action, recorded_on=datetime.date(2025, 9, 3), text="Last quarter's update.", rag=Rag.RED
    )
    make_duty(
        csp=north,
        duty=Duty.STRATEGY_GROUP,
        year=2025,
        status=DutyStatus.COMPLETE,
        evidence_text="Minutes",
        evidence_date=datetime.date(2025, 6, 1),
        approved_by="Chair",
    )
    make_assessment(
        csp=north,
        year=2025,
        title="North strategic assessment 2025",
        published_on=datetime.date(2025, 1, 20),
        crime_trend_headline="Recorded crime fell 4% on the year before; violence rose 6%.",
    )
    from joinedup.funding.models import DistributionModel, FormulaAllocation, Fund, FundSource

    fund = Fund.objects.create(
        name="Community safety fund",
        source=FundSource.choices[0][0],
        distribution_model=DistributionModel.choices[0][0],
        force_area=areas["pfa"],
    )
    FormulaAllocation.objects.create(
        fund=fund,
        year=2025,
        area=north,
        population=100_000,
        share=Decimal("0.5"),
        amount=Decimal("125000.00"),
        per_head=Decimal("1.25"),
    )


def test_the_draft_is_made_from_the_csps_own_data(areas, users, authorities):
    _seed_csp_data(areas, authorities)
    note = briefing_services.generate_briefing_note(
        actor=users[Role.CSP_MANAGER], csp=areas["north"], year=2025, quarter=3, today=TODAY
    )
    assert note.status == BriefingStatus.DRAFT
    assert "Safer North: 2 actions — 0 red, 1 amber, 0 green, 1 not yet rated." in note.plan_progress
    assert "Six surgeries trained." in note.plan_progress
    assert "Last quarter's update." not in note.plan_progress
    assert note.duty_compliance.startswith("2025/26: 1 green, 0 amber, 7 red of 8 statutory duties.")
    assert "- Annual strategic assessment (Red): No record of this duty for 2025/26." in note.duty_compliance
    assert note.crime_trend == (
        "From the strategic assessment “North strategic assessment 2025” (published 20 January 2025): "
        "Recorded crime fell 4% on the year before; violence rose 6%."
    )
    assert (
        note.funded_projects
        == "- Community safety fund: £125,000.00 allocated for 2025/26 to North Testshire."
    )


def test_grant_awards_recorded_against_the_csp_are_listed_while_their_term_runs(areas, users):
    grant_round = make_round(users, make_fund(users, areas))
    application = make_application(users, grant_round, "2000.00", "Street sport")
    funding_services.decide_application(
        actor=users[Role.OPCC_ADMIN], application=application, data={"outcome": "approve", "amount": "2000"}
    )
    award = application.award
    award.csp = areas["north"]
    award.awarded_on = datetime.date(2025, 5, 1)
    award.ends_on = datetime.date(2026, 4, 30)
    award.save()

    this_year = briefing_selectors.funded_projects_text(areas["north"], year=2025)
    assert this_year == "- Street sport (Street sport Trust): £2,000.00 awarded 1 May 2025."
    # Still running in April 2026, so listed the next year too; not the year after it ended.
    assert "Street sport" in briefing_selectors.funded_projects_text(areas["north"], year=2026)
    assert "Street sport" not in briefing_selectors.funded_projects_text(areas["north"], year=2027)
    # Another CSP's note does not list it.
    assert "Street sport" not in briefing_selectors.funded_projects_text(areas["south"], year=2025)


def test_with_no_assessment_the_crime_trend_says_none(areas, users, authorities):
    note = briefing_services.generate_briefing_note(
        actor=users[Role.CSP_MANAGER], csp=areas["north"], year=2025, quarter=3, today=TODAY
    )
    assert note.crime_trend.startswith("There is no assessment")
    assert note.plan_progress == "No partnership plan covers this quarter."
    assert note.funded_projects == "No funding recorded for this CSP's area this year."


def test_the_manager_edits_and_submits_and_a_stale_save_is_refused_with_409(
    areas, users, authorities, client_for
):
    client = client_for(Role.CSP_MANAGER)
    response = client.post(f"/staff/csp/{areas['north'].code}/briefings/new/", {"year": 2025, "quarter": 3})
    assert response.status_code == 302
    edit = response["Location"]
    form = {
        "version": 1,
        "plan_progress": "On track.",
        "duty_compliance": "All duties in hand.",
        "crime_trend": "Down 4%.",
        "funded_projects": "",
        "manager_commentary": "A good quarter.",
        "save": "Save the draft",
    }
    assert client.post(edit, form).status_code == 302
    stale = client.post(edit, {**form, "manager_commentary": "Overwrite"})  # still version 1
    assert stale.status_code == 409
    assert "A good quarter." in client.get(edit.replace("edit/", "")).content.decode()
    submitted = client.post(edit, {**form, "version": 2, "submit_note": "Submit to the Panel"})
    assert submitted.status_code == 302
    page = client.get(submitted["Location"]).content.decode()
    assert "Submitted to the Panel" in page
    panel = client_for(Role.PANEL_MEMBER).get(submitted["Location"]).content.decode()
    assert "A good quarter." in panel and "Edit and submit the draft" not in panel
    # Submitted notes are fixed: neither redrafting nor editing changes them.
    with pytest.raises(ValidationError):
        briefing_services.generate_briefing_note(
            actor=users[Role.CSP_MANAGER], csp=areas["north"], year=2025, quarter=3
        )


def test_submitting_needs_the_main_sections_all_at_once(areas, users):
    note = briefing_services.generate_briefing_note(
        actor=users[Role.CSP_MANAGER], csp=areas["north"], year=2025, quarter=1
    )
    with pytest.raises(ValidationError) as caught:
        briefing_services.update_briefing_note(
            actor=users[Role.CSP_MANAGER],
            note=note,
            expected_version=note.version,
            data={"plan_progress": "", "duty_compliance": "", "crime_trend": ""},
            submit=True,
        )
    assert set(caught.value.message_dict) == {"plan_progress", "duty_compliance", "crime_trend"}


def test_a_manager_cannot_draft_for_another_csp_nor_a_panel_member_at_all(areas, users, client_for):
    with pytest.raises(NotAllowed):
        briefing_services.generate_briefing_note(
            actor=users[Role.CSP_MANAGER], csp=areas["south"], year=2025, quarter=1
        )
    with pytest.raises(NotAllowed):
        briefing_services.generate_briefing_note(
            actor=users[Role.PANEL_MEMBER], csp=areas["north"], year=2025, quarter=1
        )
    response = client_for(Role.CSP_MANAGER).post(
        f"/staff/csp/{areas['south'].code}/briefings/new/", {"year": 2025, "quarter": 1}
    )
    assert response.status_code == 404


def test_the_api_refuses_a_stale_version_with_409(areas, users):
    from django.test import Client

    from joinedup.core.services.tokens import create_token

    note = briefing_services.generate_briefing_note(
        actor=users[Role.CSP_MANAGER], csp=areas["north"], year=2025, quarter=2
    )
    _token, raw = create_token(user=users[Role.CSP_MANAGER], name="test", actor=None)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    body = {"plan_progress": "x", "duty_compliance": "y", "crime_trend": "z", "version": note.version}
    ok = client.put(f"/api/v1/csp/briefings/{note.pk}", body, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["version"] == note.version + 1
    stale = client.put(f"/api/v1/csp/briefings/{note.pk}", body, content_type="application/json")
    assert stale.status_code == 409


def test_the_crime_trend_prefers_the_latest_published_insight_assessment(areas, users, monkeypatch):
    class Saved:
        title = "North Testshire assessment, edition 2"
        results = {
            "from": "2025-01",
            "to": "2025-12",
            "totals": {"crimes_excl_asb": 12345, "change_pct": -4.2, "asb": 2100, "asb_change_pct": 6},
        }

    def published_assessments_for_area(user, area):
        assert area == areas["north"]
        return type("Q", (), {"first": staticmethod(lambda: Saved())})()

    monkeypatch.setattr(
        assessment_selectors.insight_selectors,
        "published_assessments_for_area",
        published_assessments_for_area,
    )
    make_assessment(csp=areas["north"], crime_trend_headline="Older uploaded headline.")
    note = briefing_services.generate_briefing_note(
        actor=users[Role.CSP_MANAGER], csp=areas["north"], year=2025, quarter=3, today=TODAY
    )
    assert note.crime_trend == (
        "From the latest saved assessment in the insight store: North Testshire assessment, edition 2: "
        "12,345 crimes (excluding ASB) from 2025-01 to 2025-12, down 4.2% on the period before; "
        "2,100 ASB incidents, up 6% on the period before. Coverage not recorded for this edition."
    )


def test_citing_a_saved_insight_assessment_that_is_not_a_published_one_of_the_csp_is_refused(areas, users):
    with pytest.raises(ValidationError) as caught:
        assessment_services.save_assessment(
            actor=users[Role.CSP_MANAGER],
            csp=areas["north"],
            data={
                "title": "T",
                "year": 2025,
                "published_on": datetime.date(2025, 6, 1),
                "approved_by": "A",
                "link": "https://example.org/a.pdf",
                "insight_assessment_id": 999_999,
            },
        )
    assert set(caught.value.message_dict) == {"insight_assessment_id"}


def test_a_published_saved_insight_assessment_is_cited_and_gives_the_headline(areas, users, client_for):
    from django.utils import timezone

    from joinedup.insight.models import SavedAssessment

    saved = SavedAssessment.objects.create(
        area=areas["north"],
        from_month="2025-01",
        to_month="2025-12",
        title="North Testshire 2025",
        status="published",
        published_at=timezone.now(),
        results={"from": "2025-01", "to": "2025-12", "totals": {"crimes_excl_asb": 900, "change_pct": 3.5}},
    )
    note = briefing_services.generate_briefing_note(
        actor=users[Role.CSP_MANAGER], csp=areas["north"], year=2025, quarter=3, today=TODAY
    )
    assert note.crime_trend == (
        "From the latest saved assessment in the insight store: North Testshire 2025: "
        "900 crimes (excluding ASB) from 2025-01 to 2025-12, up 3.5% on the period before. "
        "Coverage not recorded for this edition."
    )
    cited = assessment_services.save_assessment(
        actor=users[Role.CSP_MANAGER],
        csp=areas["north"],
        data={
            "title": "North Testshire 2025",
            "year": 2025,
            "published_on": datetime.date(2026, 1, 10),
            "approved_by": "Strategy group",
            "link": "https://example.org/north-2025.pdf",
            "insight_assessment_id": saved.pk,
        },
    )
    assert cited.insight_assessment == saved

    # The CSP's page names the saved assessment and links to it for whoever may read it.
    page = client_for(Role.CSP_MANAGER).get(f"/staff/csp/assessments/{cited.pk}/").content.decode()
    assert f'<a class="govuk-link" href="/staff/insight/saved/{saved.pk}/">North Testshire 2025</a>' in page
    # A cited saved assessment cannot be deleted from under the CSP's record.
    with pytest.raises(ProtectedError):
        saved.delete()
