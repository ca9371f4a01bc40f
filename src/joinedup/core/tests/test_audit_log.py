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


def test_a_renamed_models_old_and_new_labels_find_the_same_records(users: dict[str, User]) -> None:
    """insight's StrategicAssessment became SavedAssessment (docs/adr/0042); events logged before keep the
    old label, and a search by either label finds both."""
    auditor, analyst = users[Role.AUDITOR], users[Role.ANALYST]
    before = record_event(
        EventType.EXPORT, actor=analyst, object_type="insight.strategicassessment", object_id=3
    )
    after = record_event(EventType.EXPORT, actor=analyst, object_type="insight.savedassessment", object_id=3)
    for label in ("insight.strategicassessment", "insight.savedassessment", "Insight.SavedAssessment "):
        assert set(search_events(user=auditor, object_type=label)) == {before, after}, label


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


def test_the_log_shows_no_event_of_another_force_areas_people(
    users: dict[str, User], events: dict, client_for: Callable[[str], Client]
) -> None:
    """Every role is scoped to its force area (ADR 0028), the audit log too: a person of another force's
    events are not in the reader's page, download or API; the events of accounts since deleted and those
    with no person stay, as they belong to no force."""
    from joinedup.core.services.tokens import create_token
    from joinedup.core.tests.factories import UserFactory, area_tree

    farshire = area_tree(force=8, name="Farshire")
    far_admin = UserFactory(role=Role.OPCC_ADMIN, email="far.admin@example.org", areas=[farshire["pfa"]])
    far_event = record_event(
        EventType.PERSONAL_RECORD_VIEWED, actor=far_admin, object_type="casework.case", object_repr="Farcase"
    )
    public = record_event(EventType.SIGN_IN_FAILED, actor=None, object_repr="Nobody signed in")
    officer = users[Role.OPCC_OFFICER]
    officer.delete()  # its events stay in the log and in every force's view of it

    for reader in (users[Role.AUDITOR], users[Role.OPCC_ADMIN]):
        shown = set(search_events(user=reader))
        assert far_event not in shown
        assert {public, events["sign_in"], events["export"], events["old"]} <= shown
    # Force B's administrator reads their own force's events, not force A's analyst's.
    theirs = set(search_events(user=far_admin))
    assert far_event in theirs and events["export"] not in theirs and public in theirs

    client = client_for(Role.AUDITOR)
    page = client.get("/staff/audit/").content.decode()
    assert "far.admin@example.org" not in page and "analyst@example.org" in page
    download = b"".join(client.get("/staff/audit/export.csv").streaming_content).decode()
    assert "far.admin@example.org" not in download and "analyst@example.org" in download
    _token, raw = create_token(user=users[Role.AUDITOR], name="test", actor=None)
    api = Client().get("/api/v1/audit/events", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert api.status_code == 200
    assert "far.admin@example.org" not in api.content.decode()
    assert "analyst@example.org" in api.content.decode()
