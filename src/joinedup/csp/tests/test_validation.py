"""Bad input is refused with every problem at once; stale edits are refused."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from joinedup.core.roles import Role
from joinedup.core.services.errors import ConflictError
from joinedup.csp import services
from joinedup.csp.dhrs import services as dhr_services
from joinedup.csp.tests.factories import make_duty

pytestmark = pytest.mark.django_db
TOMORROW = datetime.date.today() + datetime.timedelta(days=1)


def test_marking_a_duty_complete_needs_evidence_date_and_approver_all_at_once(areas, users, authorities):
    record = make_duty(csp=areas["north"])
    with pytest.raises(ValidationError) as caught:
        services.update_duty_record(
            actor=users[Role.CSP_MANAGER],
            record=record,
            expected_version=1,
            data={"status": "complete", "evidence_link": "not a link", "due_date": ""},
        )
    errors = caught.value.message_dict
    assert set(errors) == {"evidence_date", "approved_by", "evidence_link", "due_date"}
    assert errors["due_date"] == ["Enter the due date."]
    record.refresh_from_db()
    assert record.status == "not_started" and record.version == 1


def test_only_responsible_authorities_sign_off(areas, users, authorities):
    from joinedup.partnerships.tests.factories import make_organisation

    charity = make_organisation(name="A charity", sector="vcs_charity")
    record = make_duty(csp=areas["north"])
    with pytest.raises(ValidationError) as caught:
        services.update_duty_record(
            actor=users[Role.CSP_MANAGER],
            record=record,
            expected_version=1,
            data={"signed_off_by": [charity.pk]},
        )
    assert "signed_off_by" in caught.value.message_dict


def test_a_stale_duty_edit_is_refused(areas, users):
    record = make_duty(csp=areas["north"])
    services.update_duty_record(
        actor=users[Role.CSP_MANAGER], record=record, expected_version=1, data={"status": "in_progress"}
    )
    with pytest.raises(ConflictError):
        services.update_duty_record(
            actor=users[Role.OPCC_OFFICER], record=record, expected_version=1, data={"status": "not_started"}
        )


def test_a_dhr_is_refused_with_every_error_at_once(areas, users):
    with pytest.raises(ValidationError) as caught:
        dhr_services.create_dhr(
            actor=users[Role.CSP_MANAGER],
            csp=areas["north"],
            data={
                "case_reference": "Jane Smith",
                "notified_on": TOMORROW,
                "decision_on": datetime.date(2025, 1, 1),
                "published_on": datetime.date(2025, 2, 1),
            },
        )
    errors = caught.value.message_dict
    assert "Never use a name" in errors["case_reference"][0]
    assert set(errors) >= {
        "case_reference",
        "notified_on",
        "decision",
        "decision_on",
        "published_title",
        "published_on",
    }


def test_the_api_reports_every_duty_error_at_once(areas, users):
    import json

    from django.test import Client

    from joinedup.core.services.tokens import create_token

    record = make_duty(csp=areas["north"])
    _token, raw = create_token(user=users[Role.CSP_MANAGER], name="t", actor=None)
    response = Client().put(
        f"/api/v1/csp/duties/{record.pk}",
        data=json.dumps({"due_date": record.due_date.isoformat(), "status": "complete", "version": 1}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 422
    fields = {item["loc"][-1] for item in response.json()["detail"]}
    assert fields == {"evidence_text", "evidence_date", "approved_by"}
