"""The PCC's power to require a report from a CSP, with a due date and the CSP's response."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from joinedup.core.roles import Role
from joinedup.csp.models import ReportRequirement
from joinedup.csp.reports import services as report_services
from joinedup.csp.tests.factories import make_requirement

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def test_the_opcc_requires_a_report_and_the_csp_manager_responds(areas, client_for):
    officer = client_for(Role.OPCC_OFFICER)
    response = officer.post(
        "/staff/csp/E22000901/reports/new/",
        {
            "subject": "Reducing reoffending strategy",
            "reason": "No strategy has been produced for two years.",
            "required_on": (TODAY - datetime.timedelta(days=30)).isoformat(),
            "due_date": (TODAY - datetime.timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 302
    item = ReportRequirement.objects.get()
    panel_view = client_for(Role.PANEL_MEMBER).get("/staff/csp/reports/").content.decode()
    assert "Reducing reoffending strategy" in panel_view and "Overdue" in panel_view

    manager = client_for(Role.CSP_MANAGER)
    response = manager.post(
        f"/staff/csp/reports/{item.pk}/respond/",
        {"version": 1, "response": "The strategy was adopted in March.", "responded_on": TODAY.isoformat()},
    )
    assert response.status_code == 302
    text = manager.get(response["Location"]).content.decode()
    assert "The strategy was adopted in March." in text and "Overdue" not in text


def test_a_csp_manager_cannot_respond_for_another_csp_or_require_reports(areas, client_for):
    item = make_requirement(csp=areas["south"])
    manager = client_for(Role.CSP_MANAGER)
    assert manager.get(f"/staff/csp/reports/{item.pk}/respond/").status_code == 404
    assert manager.get("/staff/csp/E22000901/reports/new/").status_code == 404


def test_a_requirement_is_refused_with_every_error_at_once(areas, users):
    with pytest.raises(ValidationError) as caught:
        report_services.require_report(
            actor=users[Role.OPCC_OFFICER],
            csp=areas["north"],
            data={
                "subject": "",
                "reason": "",
                "required_on": TODAY,
                "due_date": TODAY - datetime.timedelta(days=1),
            },
        )
    assert set(caught.value.message_dict) == {"subject", "reason", "due_date"}
