"""Actions, conflicts and the Joint Problem Solving plan's red/green status."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from joinedup.casework.models import ActionStatus, Case, CaseAction
from joinedup.casework.services import add_action, record_incident, record_informant_update, update_action
from joinedup.core.services.errors import ConflictError
from joinedup.notifications.models import Notification, OutboundEmail

from .conftest import api_client, incident_data, signed_in

pytestmark = pytest.mark.django_db


def _action(world, case, org="council"):
    return add_action(
        actor=world["users"]["police"],
        case=case,
        data={
            "owner_organisation": world[org],
            "action_type": "eva",
            "due_date": date.today() + timedelta(days=1),
        },
    )


def test_plan_turns_green_only_when_every_action_is_complete_and_the_informant_updated(world, case):
    police = world["users"]["police"]
    assert case.plan_status() == "none"
    first, second = _action(world, case), _action(world, case, "police")
    assert case.plan_status() == "red"
    update_action(actor=police, action=first, expected_version=1, data={"status": "complete"})
    assert case.plan_status() == "red"
    record_informant_update(actor=police, case=case, data={"method": "phone", "summary": "Audit done"})
    assert case.plan_status() == "red"  # one action still open
    update_action(actor=police, action=second, expected_version=1, data={"status": "complete"})
    assert case.plan_status() == "red"  # the informant has not been told since
    record_informant_update(actor=police, case=case, data={"method": "letter", "summary": "All done"})
    assert case.plan_status() == "green"
    page = signed_in(world["users"]["council"]).get(reverse("casework:case-detail", args=[case.pk]))
    assert b"Green: actions complete and informant updated" in page.content


def test_an_action_added_without_notifying_tells_nobody_and_is_otherwise_the_same(
    world, case, django_capture_on_commit_callbacks
):
    police, council = world["users"]["police"], world["users"]["council"]
    due = date.today() + timedelta(days=3)
    data = {"owner_organisation": world["council"].pk, "action_type": "eva", "due_date": due.isoformat()}
    with django_capture_on_commit_callbacks(execute=True):
        quiet = add_action(actor=police, case=case, data=data, notify=False)
    # Nobody is told: no notice in anyone's list, no email queued or sent.
    assert not Notification.objects.exists() and not OutboundEmail.objects.exists() and not mail.outbox
    page = signed_in(council).get("/staff/notifications/").content.decode()
    assert case.reference not in page
    # Everything else as ever: recorded with its history, on the case for the owning agency to work.
    [assigned] = quiet.history.all()
    assert (assigned.history_change_reason, assigned.history_user) == ("Assigned", police)
    detail = signed_in(council).get(reverse("casework:case-detail", args=[case.pk])).content.decode()
    assert "Environmental visual audit" in detail
    # ... and checked as ever: an agency that may not see the case cannot own it.
    with pytest.raises(ValidationError):
        add_action(
            actor=police, case=case, data={**data, "owner_organisation": world["housing"].pk}, notify=False
        )

    # Told, as by default: the council's practitioner gets the notice and the email.
    with django_capture_on_commit_callbacks(execute=True):
        add_action(actor=police, case=case, data=data)
    [notice] = Notification.objects.all()
    assert notice.recipient == council and case.reference in notice.title
    [email] = mail.outbox
    assert email.to == [council.email] and case.reference in email.body
    assert case.reference in signed_in(council).get("/staff/notifications/").content.decode()


def test_an_anonymous_informants_case_is_green_once_actions_are_complete(world):
    police = world["users"]["police"]
    case = record_incident(actor=police, data=incident_data(world, informant_anonymous=True)).case
    action = _action(world, case)
    update_action(actor=police, action=action, expected_version=1, data={"status": "complete"})
    assert case.plan_status() == "green"


def test_a_stale_action_update_is_refused_on_the_api_and_the_page(world, case):
    action = _action(world, case)
    headers = api_client(world["users"]["council"])
    url = f"/api/v1/case-actions/{action.pk}"
    ok = Client().put(
        url, json.dumps({"status": "in_progress", "version": 1}), content_type="application/json", **headers
    )
    assert ok.status_code == 200 and ok.json()["version"] == 2
    stale = Client().put(
        url, json.dumps({"status": "complete", "version": 1}), content_type="application/json", **headers
    )
    assert stale.status_code == 409 and stale.json()["current_version"] == 2
    assert CaseAction.objects.get(pk=action.pk).status == ActionStatus.IN_PROGRESS

    page = signed_in(world["users"]["police"]).post(
        reverse("casework:action-edit", args=[action.pk]),
        {"status": "complete", "due_date": action.due_date.isoformat(), "version": 1},
    )
    assert page.status_code == 409 and b"Someone else changed this record" in page.content
    with pytest.raises(ConflictError):
        update_action(
            actor=world["users"]["police"], action=action, expected_version=1, data={"status": "complete"}
        )


def test_actions_and_updates_through_the_pages(world, case):
    client = signed_in(world["users"]["police"])
    response = client.post(
        reverse("casework:action-create", args=[case.pk]),
        {"owner_organisation": world["council"].pk, "action_type": "cctv", "due_date": "2030-01-01"},
    )
    assert response.status_code == 302
    action = case.actions.get()
    response = client.post(
        reverse("casework:action-edit", args=[action.pk]),
        {"status": "complete", "due_date": "2030-01-01", "version": action.version},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("casework:informant-update-create", args=[case.pk]), {"method": "", "summary": ""}
    )
    assert b"Choose how the informant was updated" in response.content
    response = client.post(
        reverse("casework:informant-update-create", args=[case.pk]),
        {"method": "phone", "summary": "CCTV checked"},
    )
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).plan_status() == "green"
    # An organisation outside the agreement cannot work the case either.
    outsider = signed_in(world["users"]["housing"])
    assert outsider.get(reverse("casework:action-create", args=[case.pk])).status_code == 404
    assert outsider.get(reverse("casework:action-edit", args=[action.pk])).status_code == 404


def test_tasking_board_covers_the_last_24_hours_and_the_weekend_on_monday(world):
    from datetime import datetime

    from django.utils import timezone

    from joinedup.casework.selectors import tasking_board, tasking_since

    monday = timezone.make_aware(datetime(2026, 11, 16, 9, 15))
    tuesday = monday + timedelta(days=1)
    assert tasking_since(monday) == monday - timedelta(days=3)
    assert tasking_since(tuesday) == tuesday - timedelta(days=1)
    police = world["users"]["police"]
    saturday = record_incident(
        actor=police, data=incident_data(world, received_at="2026-11-14T22:00:00")
    ).incident
    monday_report = record_incident(
        actor=police, data=incident_data(world, received_at="2026-11-16T10:00:00")
    )
    assert list(tasking_board(user=police, now=monday)) == [saturday]
    assert list(tasking_board(user=police, now=tuesday)) == [monday_report.incident]
    assert list(tasking_board(user=world["users"]["housing"], now=monday)) == []


def test_tasking_page_lists_todays_reports_without_personal_data(world, case):
    response = signed_in(world["users"]["council"]).get(reverse("casework:tasking"))
    assert response.status_code == 200
    assert case.reference.encode() in response.content and b"None assigned" in response.content
    assert b"Pat Resident" not in response.content
