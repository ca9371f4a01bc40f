"""Who may change what: CSP managers only their own CSP, Panel members only Panel records."""

from __future__ import annotations

import datetime
import json

import pytest

from joinedup.core.roles import Role
from joinedup.core.services.tokens import create_token
from joinedup.csp.duties import Duty
from joinedup.csp.models import DutyRecord
from joinedup.csp.tests.factories import make_dhr, make_duty
from joinedup.scrutiny.models import PanelRecommendation

pytestmark = pytest.mark.django_db


def test_a_csp_manager_is_refused_another_csps_records(areas, client_for, users):
    south_duty = make_duty(csp=areas["south"], duty=Duty.ENGAGEMENT)
    south_review = make_dhr(csp=areas["south"])
    client = client_for(Role.CSP_MANAGER)
    assert client.get(f"/staff/csp/duties/{south_duty.pk}/").status_code == 200  # reads the force area
    assert client.get(f"/staff/csp/duties/{south_duty.pk}/edit/").status_code == 404
    assert (
        client.post(f"/staff/csp/duties/{south_duty.pk}/edit/", {"status": "in_progress"}).status_code == 404
    )
    assert client.post("/staff/csp/E22000902/start-year/", {"year": "2025"}).status_code == 404
    assert client.get("/staff/csp/E22000902/dhrs/new/").status_code == 404
    assert client.get(f"/staff/csp/dhrs/{south_review.pk}/edit/").status_code == 404
    assert not DutyRecord.objects.filter(csp=areas["south"], year=2025).exists()

    _token, raw = create_token(user=users[Role.CSP_MANAGER], name="t", actor=None)
    response = _api_put(f"/api/v1/csp/duties/{south_duty.pk}", {"due_date": "2026-01-01", "version": 1}, raw)
    assert response.status_code == 404
    south_duty.refresh_from_db()
    assert south_duty.version == 1


def _api_put(url, body, raw):
    from django.test import Client

    return Client().put(
        url, data=json.dumps(body), content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}"
    )


def test_the_csp_page_offers_changes_only_to_its_own_manager(areas, client_for):
    client = client_for(Role.CSP_MANAGER)
    assert "Add the 8 missing duties" in client.get("/staff/csp/E22000901/").content.decode()
    assert "Add the 8 missing duties" not in client.get("/staff/csp/E22000902/").content.decode()


def test_a_panel_member_writes_a_recommendation_but_not_a_duty_record(areas, client_for):
    duty = make_duty(csp=areas["north"])
    client = client_for(Role.PANEL_MEMBER)
    assert client.get(f"/staff/csp/duties/{duty.pk}/").status_code == 200
    assert client.get(f"/staff/csp/duties/{duty.pk}/edit/").status_code == 404
    assert client.post(f"/staff/csp/duties/{duty.pk}/edit/", {"status": "complete"}).status_code == 404

    response = client.post(
        "/staff/csp/panel/new/",
        {
            "title": "CSP briefing notes",
            "recommendation": "Ask every CSP for a quarterly briefing note.",
            "made_on": (datetime.date.today() - datetime.timedelta(days=1)).isoformat(),
            "csp": areas["north"].pk,
        },
    )
    assert response.status_code == 302
    item = PanelRecommendation.objects.get()
    assert item.force_area == areas["pfa"] and item.csp == areas["north"]
    assert item.history.first().history_user.role == Role.PANEL_MEMBER
