"""The Panel's recommendations to the PCC: the OPCC records the PCC's response and what was done, the Panel
cannot; every error at once; a stale edit is refused; a response past its due date is flagged."""

from __future__ import annotations

import datetime

import pytest

from joinedup.core.roles import Role
from joinedup.scrutiny.tests.factories import make_panel_recommendation

pytestmark = pytest.mark.django_db


def test_the_opcc_records_the_pccs_response_and_what_was_done(areas, client_for):
    item = make_panel_recommendation(force_area=areas["pfa"])
    client = client_for(Role.OPCC_OFFICER)
    page = client.get(f"/staff/csp/panel/{item.pk}/edit/").content.decode()
    assert "PCC&#x27;s response" in page and "We said" not in page
    response = client.post(
        f"/staff/csp/panel/{item.pk}/edit/",
        {
            "version": 1,
            "pcc_response": "Accepted: briefing notes start in April.",
            "response_on": datetime.date.today().isoformat(),
            "status": "implemented",
            "implementation": "Four CSPs sent their first briefing notes.",
        },
    )
    assert response.status_code == 302
    text = client_for(Role.PANEL_MEMBER).get("/staff/csp/panel/").content.decode()
    assert "Implemented" in text and "Four CSPs sent their first briefing notes." in text


def test_a_panel_member_cannot_record_the_pccs_response(areas, client_for):
    item = make_panel_recommendation(force_area=areas["pfa"])
    client = client_for(Role.PANEL_MEMBER)
    client.post(
        f"/staff/csp/panel/{item.pk}/edit/",
        {
            "version": 1,
            "title": item.title,
            "recommendation": "Changed",
            "made_on": item.made_on.isoformat(),
            "pcc_response": "Made up",
            "status": "implemented",
        },
    )
    item.refresh_from_db()
    assert item.recommendation == "Changed"
    assert item.pcc_response == "" and item.status == "awaiting_response"


def test_the_panel_form_shows_every_error_together(areas, client_for):
    response = client_for(Role.PANEL_MEMBER).post(
        "/staff/csp/panel/new/", {"title": "", "recommendation": "", "made_on": ""}
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in text
    assert text.count("govuk-error-summary__list") == 1
    for message in ("Enter the title.", "Enter what the Panel recommends.", "Enter the date made."):
        assert message in text


def test_a_stale_panel_edit_shows_a_conflict(areas, client_for):
    item = make_panel_recommendation(force_area=areas["pfa"])
    client = client_for(Role.PANEL_MEMBER)
    data = {"version": 1, "title": "First", "recommendation": "x", "made_on": item.made_on.isoformat()}
    assert client.post(f"/staff/csp/panel/{item.pk}/edit/", data).status_code == 302
    response = client.post(f"/staff/csp/panel/{item.pk}/edit/", {**data, "title": "Second"})
    assert response.status_code == 409
    assert "Someone else changed this record" in response.content.decode()


def test_a_recommendation_awaiting_the_pccs_response_past_its_due_date_is_flagged(areas, client_for):
    today = datetime.date.today()
    make_panel_recommendation(
        force_area=areas["pfa"],
        title="Late one",
        made_on=today - datetime.timedelta(days=60),
        response_due=today - datetime.timedelta(days=4),
    )
    make_panel_recommendation(
        force_area=areas["pfa"],
        title="In time",
        made_on=today - datetime.timedelta(days=5),
        response_due=today + datetime.timedelta(days=20),
    )
    page = client_for(Role.PANEL_MEMBER).get("/staff/csp/panel/").content.decode()
    assert "2 recommendations." in page
    assert page.count("Response overdue") == 1
    late = today - datetime.timedelta(days=4)
    assert f"Was due {late.day} {late:%B %Y}" in page
