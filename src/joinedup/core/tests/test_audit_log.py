"""The audit event log: searching it, the page and its export, and that it cannot be changed."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from joinedup.core.audit import record_event
from joinedup.core.models import AuditEvent, EventType, User
from joinedup.core.roles import Role
from joinedup.core.selectors.audit import search_events


@pytest.fixture
def events(users: dict[str, User]) -> dict[str, AuditEvent]:
    officer, analyst = users[Role.OPCC_OFFICER], users[Role.ANALYST]
    made = {
        "sign_in": record_event(EventType.SIGN_IN, actor=officer, obj=officer),
        "export": record_event(
            EventType.EXPORT, actor=analyst, object_type="core.organisation", detail={"format": "csv"}
        ),
        "denied": record_event(
            EventType.PERMISSION_DENIED, actor=analyst, object_type="core.user", object_id=7
        ),
    }
    old = AuditEvent.objects.create(
        event_type=EventType.SIGN_IN_FAILED,
        actor_email="old@example.org",
        occurred_at=timezone.now() - timedelta(days=40),
    )
    made["old"] = old
    return made


def test_only_auditors_and_admins_can_search(users: dict[str, User], events: dict) -> None:
    for role in Role.values:
        found = search_events(user=users[role]).count()
        assert (found > 0) == (role in (Role.AUDITOR, Role.OPCC_ADMIN)), role


def test_search_filters(users: dict[str, User], events: dict) -> None:
    auditor = users[Role.AUDITOR]
    assert list(search_events(user=auditor, event_type=EventType.EXPORT)) == [events["export"]]
    assert set(search_events(user=auditor, actor="analyst@")) == {events["export"], events["denied"]}
    assert list(search_events(user=auditor, object_type="core.user", object_id="7")) == [events["denied"]]
    today = timezone.localdate()
    recent = set(search_events(user=auditor, date_from=today - timedelta(days=1), date_to=today))
    assert events["old"] not in recent and events["sign_in"] in recent
    assert list(search_events(user=auditor, date_to=today - timedelta(days=30))) == [events["old"]]


def test_page_filters_counts_and_hides_from_others(client_for: Callable[[str], Client], events: dict) -> None:
    client = client_for(Role.AUDITOR)
    page = client.get("/staff/audit/", {"event_type": EventType.EXPORT}).content.decode()
    assert "<strong>1</strong> event" in page and "analyst@example.org" in page and "Data exported" in page
    assert "Analyst" in page  # role shown in words
    for role in (Role.OPCC_OFFICER, Role.CSP_MANAGER, Role.PRACTITIONER, Role.ANALYST, Role.PANEL_MEMBER):
        assert client_for(role).get("/staff/audit/").status_code == 404


def test_page_reports_a_bad_date_range(client_for: Callable[[str], Client], events: dict) -> None:
    parts = {"date_from_0": "10", "date_from_1": "3", "date_from_2": "2026"}
    page = client_for(Role.AUDITOR).get(
        "/staff/audit/", {**parts, "date_to_0": "1", "date_to_1": "3", "date_to_2": "2026"}
    )
    assert "must be the same as or after" in page.content.decode()
    page = client_for(Role.AUDITOR).get("/staff/audit/", {**parts, "date_to_0": "31", "date_to_1": "2"})
    assert "To must include a year" in page.content.decode()


def test_export_follows_the_filters_and_is_logged(client_for: Callable[[str], Client], events: dict) -> None:
    response = client_for(Role.AUDITOR).get("/staff/audit/export.csv", {"actor": "analyst@"})
    text = response.getvalue().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {row["event code"] for row in rows} == {EventType.EXPORT, EventType.PERMISSION_DENIED}
    logged = AuditEvent.objects.filter(event_type=EventType.EXPORT, actor_email="auditor@example.org").get()
    assert logged.object_type == "core.auditevent" and logged.detail["filters"] == {"actor": "analyst@"}


def test_event_log_survives_deleting_the_user(users: dict[str, User], events: dict) -> None:
    officer = users[Role.OPCC_OFFICER]
    officer_id = officer.pk
    officer.delete()
    event = AuditEvent.objects.get(pk=events["sign_in"].pk)
    assert event.actor_email == "opcc_officer@example.org" and event.actor_id == officer_id


def test_events_cannot_be_changed_or_deleted(events: dict) -> None:
    event = events["sign_in"]
    event.actor_email = "someone-else@example.org"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(actor_email="x")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).actor_email == "opcc_officer@example.org"


def test_sign_in_events_are_in_the_log_page(
    client: Client, client_for: Callable[[str], Client], users: Any, password: str
) -> None:
    client.post("/staff/sign-in/", {"email": "panel_member@example.org", "password": "wrong"})
    page = (
        client_for(Role.AUDITOR)
        .get("/staff/audit/", {"event_type": EventType.SIGN_IN_FAILED})
        .content.decode()
    )
    assert "panel_member@example.org" in page and "Failed sign-in" in page
