"""Urgent notifications by email at once (a link and a reference, no personal data) and in the list."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.test import Client, override_settings
from django.utils import timezone

from joinedup.casework.models import Case
from joinedup.casework.notify import high_risk_case
from joinedup.casework.services import add_action
from joinedup.notifications.mailsink import MailCatcher
from joinedup.notifications.models import Notification
from joinedup.notifications.notify import save_preferences


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _assign_to_council(world: dict[str, Any], case: Case, capture: Callable[..., Any]) -> None:
    due = timezone.localdate() + datetime.timedelta(days=2)
    with capture(execute=True):
        add_action(
            actor=world["users"]["police"],
            case=case,
            data={
                "owner_organisation": world["council"].pk,
                "action_type": "eva",
                "due_date": due.isoformat(),
            },
        )


def test_an_action_assigned_to_an_organisation_reaches_its_people_by_email_and_in_their_list(
    world: dict[str, Any], case: Case, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    council, housing = world["users"]["council"], world["users"]["housing"]
    with (
        MailCatcher() as server,
        override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=server.port,
        ),
    ):
        _assign_to_council(world, case, django_capture_on_commit_callbacks)
        assert server.handler.received.wait(5)
    [message] = server.messages
    assert message["To"] == council.email
    body = message.get_content()
    assert case.reference in body and f"/staff/casework/cases/{case.pk}/" in body
    for personal in ("Pat Resident", "07700 900123", "Sam Noisy", "1 High Street", "Loud music"):
        assert personal not in body and personal not in message["Subject"]

    page = signed_in(council).get("/staff/notifications/").content.decode()
    assert "1 unread" in page and case.reference in page
    signed_in(council).post("/staff/notifications/read/")
    assert "0 unread" in signed_in(council).get("/staff/notifications/").content.decode()
    assert not Notification.objects.filter(recipient=housing).exists()  # may not see the case


def test_someone_who_turned_off_immediate_email_is_still_told_in_the_service(
    world: dict[str, Any], case: Case, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    council = world["users"]["council"]
    save_preferences(user=council, immediate_email=False, daily_digest=True)
    _assign_to_council(world, case, django_capture_on_commit_callbacks)
    notification = Notification.objects.get(recipient=council)
    assert notification.email is None and notification.urgent


def test_a_high_risk_case_is_told_to_its_agencies_once(world: dict[str, Any], case: Case) -> None:
    assert high_risk_case(case) == 1  # the police lead it; the council shares but has no part in it yet
    assert high_risk_case(case) == 0  # told once
    assert Notification.objects.get().recipient == world["users"]["police"]


def test_preferences_are_saved_from_the_page(world: dict[str, Any]) -> None:
    client = signed_in(world["users"]["police"])
    response = client.post("/staff/notifications/preferences/", {"daily_digest": "on"})
    assert response.status_code == 302
    from joinedup.notifications.preferences import preference_for

    choice = preference_for(world["users"]["police"])
    assert choice.daily_digest and not choice.immediate_email
