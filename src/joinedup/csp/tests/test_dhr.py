"""Domestic homicide reviews: stages against expected durations, recommendations, publication."""

from __future__ import annotations

import datetime

import pytest

from joinedup.core.roles import Role
from joinedup.csp import selectors
from joinedup.csp.models import CommissionDecision
from joinedup.csp.tests.factories import make_dhr

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def test_a_decision_not_made_within_the_expected_time_is_flagged_overdue(areas):
    today = datetime.date(2025, 6, 1)
    review = make_dhr(csp=areas["north"], notified_on=datetime.date(2025, 4, 1))
    overdue = selectors.overdue_stages(review, today=today)
    assert [s.name for s in overdue] == ["decision_on"]
    assert overdue[0].status == "Overdue: expected by 1 May 2025"
    later = selectors.dhr_stages(review, today=today)[1]
    assert later.status == "Waiting for an earlier stage" and not later.overdue


def test_expected_durations_are_configurable(areas, settings):
    settings.JOINEDUP_DHR_STAGE_DAYS = {"decision_on": 90}
    review = make_dhr(csp=areas["north"], notified_on=datetime.date(2025, 4, 1))
    assert selectors.overdue_stages(review, today=datetime.date(2025, 6, 1)) == []


def test_a_commissioned_review_is_overdue_at_the_stage_it_is_stuck_at(areas):
    review = make_dhr(
        csp=areas["north"],
        notified_on=datetime.date(2025, 1, 6),
        decision=CommissionDecision.COMMISSION,
        decision_on=datetime.date(2025, 1, 20),
        independent_chair="An independent chair",
        chair_appointed_on=datetime.date(2025, 2, 3),
        first_panel_on=datetime.date(2025, 2, 24),
    )
    overdue = selectors.overdue_stages(review, today=datetime.date(2025, 9, 1))
    assert [s.name for s in overdue] == ["report_completed_on"]  # 180 days after the decision


def test_a_review_not_commissioned_has_no_later_stages(areas):
    review = make_dhr(
        csp=areas["north"],
        notified_on=datetime.date(2025, 1, 6),
        decision=CommissionDecision.NOT_COMMISSION,
        decision_on=datetime.date(2025, 1, 20),
    )
    assert [s.name for s in selectors.dhr_stages(review, today=datetime.date(2026, 1, 1))] == ["decision_on"]


def test_the_register_page_flags_the_overdue_stage(areas, client_for):
    make_dhr(csp=areas["north"], case_reference="DHR-2025-01", notified_on=datetime.date.today() - 45 * DAY)
    text = client_for(Role.PANEL_MEMBER).get("/staff/csp/dhrs/").content.decode()
    assert "DHR-2025-01" in text
    assert "Overdue</strong> Date of the decision: Overdue: expected by" in text


def test_a_csp_manager_records_a_review_and_a_recommendation_to_an_agency(areas, client_for, authorities):
    client = client_for(Role.CSP_MANAGER)
    response = client.post(
        "/staff/csp/E22000901/dhrs/new/",
        {"case_reference": "DHR-2025-07", "notified_on": (datetime.date.today() - 5 * DAY).isoformat()},
    )
    assert response.status_code == 302, response.content.decode()
    detail = response["Location"]
    pk = int(detail.rstrip("/").split("/")[-1])
    response = client.post(
        f"/staff/csp/dhrs/{pk}/recommendations/new/",
        {"agency": authorities["health"].pk, "text": "Routine enquiry in GP surgeries.", "status": "open"},
    )
    assert response.status_code == 302
    text = client.get(detail).content.decode()
    assert "Test Health" in text and "Routine enquiry in GP surgeries." in text and "Not started" in text


def test_public_list_shows_only_published_titles_and_dates(areas, client):
    make_dhr(
        csp=areas["north"],
        case_reference="DHR-2023-02",
        notified_on=datetime.date(2023, 3, 1),
        decision=CommissionDecision.COMMISSION,
        decision_on=datetime.date(2023, 3, 20),
        submitted_to_qa_on=datetime.date(2024, 1, 10),
        published_on=datetime.date(2024, 6, 3),
        published_title="Domestic Homicide Review: Adult A",
    )
    make_dhr(csp=areas["south"], case_reference="DHR-2025-09")
    text = client.get("/csp/domestic-homicide-reviews/").content.decode()
    assert "Domestic Homicide Review: Adult A" in text and "3 June 2024" in text
    assert "DHR-2023-02" not in text and "DHR-2025-09" not in text
