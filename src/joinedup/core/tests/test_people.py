"""The people pages: list, filters, export, adding and changing staff accounts, and their history."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client

from joinedup.core.models import AuditEvent, EventType, User
from joinedup.core.roles import Role
from joinedup.core.services.errors import NotAllowed
from joinedup.core.services.people import create_person, update_person
from joinedup.core.tests.factories import OrganisationFactory


def csv_rows(response: Any) -> list[dict[str, str]]:
    text = response.getvalue().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_only_admins_and_auditors_see_people(client_for: Callable[[str], Client]) -> None:
    for role in Role.values:
        expected = 200 if role in (Role.OPCC_ADMIN, Role.AUDITOR) else 404
        assert client_for(role).get("/staff/people/").status_code == expected, role


def test_list_filters_by_role_and_search_and_shows_the_count(client_for: Callable[[str], Client]) -> None:
    client = client_for(Role.AUDITOR)
    page = client.get("/staff/people/", {"role": Role.ANALYST}).content.decode()
    assert "<strong>1</strong> person" in page and "analyst@example.org" in page
    assert "csp_manager@example.org" not in page
    page = client.get("/staff/people/", {"q": "CSP_MANAGER@"}).content.decode()
    assert "csp_manager@example.org" in page and "<strong>1</strong>" in page


def test_list_filters_by_organisation_and_active(
    client_for: Callable[[str], Client], make_user: Callable[..., User], users: dict
) -> None:
    council: Any = OrganisationFactory(name="Northtown Council")
    make_user(email="left@example.org", organisation=council, is_active=False)
    make_user(email="stays@example.org", organisation=council)
    client = client_for(Role.OPCC_ADMIN)
    page = client.get("/staff/people/", {"organisation": council.pk, "active": "no"}).content.decode()
    assert "left@example.org" in page and "stays@example.org" not in page
    page = client.get("/staff/people/", {"organisation": council.pk, "active": "yes"}).content.decode()
    assert "stays@example.org" in page and "left@example.org" not in page


def test_list_is_sortable(client_for: Callable[[str], Client]) -> None:
    page = client_for(Role.AUDITOR).get("/staff/people/", {"sort": "-email"}).content.decode()
    emails = re.findall(r"<td class=\"govuk-table__cell\">([a-z_]+@example\.org)</td>", page)
    assert emails == sorted(emails, reverse=True) and len(emails) == len(Role.values)


def test_list_is_paginated(client_for: Callable[[str], Client], make_user: Callable[..., User]) -> None:
    for n in range(55):
        make_user(email=f"bulk{n:02d}@example.org", full_name=f"Bulk {n:02d}")
    client = client_for(Role.AUDITOR)
    first = client.get("/staff/people/").content.decode()
    assert "<strong>62</strong> people" in first and 'rel="next"' in first
    second = client.get("/staff/people/", {"page": 2}).content.decode()
    assert second.count('href="/staff/people/') >= 12


def test_export_follows_the_filters_and_is_logged(client_for: Callable[[str], Client], users: dict) -> None:
    response = client_for(Role.AUDITOR).get("/staff/people/export.csv", {"role": Role.PANEL_MEMBER})
    assert response["Content-Type"].startswith("text/csv")
    rows = csv_rows(response)
    assert [row["email"] for row in rows] == ["panel_member@example.org"]
    assert rows[0]["role"] == "Police and Crime Panel member"
    event = AuditEvent.objects.get(event_type=EventType.EXPORT)
    assert event.actor_email == "auditor@example.org" and event.object_type == "core.user"
    assert event.detail["filters"] == {"role": Role.PANEL_MEMBER}


def test_export_needs_people_view(client_for: Callable[[str], Client]) -> None:
    assert client_for(Role.ANALYST).get("/staff/people/export.csv").status_code == 404


def test_create_person_reports_every_error_at_once(users: dict) -> None:
    with pytest.raises(ValidationError) as caught:
        create_person(actor=users[Role.OPCC_ADMIN], data={"email": "", "role": "", "full_name": ""})
    assert set(caught.value.message_dict) >= {"email", "full_name", "organisation", "role"}


def test_create_person_refuses_a_duplicate_email_and_admin_flags(users: dict) -> None:
    with pytest.raises(ValidationError) as caught:
        create_person(
            actor=users[Role.OPCC_ADMIN],
            data={
                "email": "ANALYST@example.org",
                "full_name": "Copy",
                "role": "wizard",
                "is_staff": True,
                "organisation": users[Role.ANALYST].organisation,
            },
        )
    errors = caught.value.message_dict
    assert "email" in errors and "role" in errors and "__all__" in errors


def test_only_admins_may_create_people(users: dict) -> None:
    with pytest.raises(NotAllowed):
        create_person(actor=users[Role.AUDITOR], data={})


def test_create_page_shows_all_errors_in_a_summary(client_for: Callable[[str], Client]) -> None:
    response = client_for(Role.OPCC_ADMIN).post("/staff/people/new/", {})
    html = response.content.decode()
    assert "There is a problem" in html
    for message in (
        "Enter their full name",
        "Enter their email address",
        "Choose the organisation",
        "Choose a role",
    ):
        assert message in html
    assert client_for(Role.AUDITOR).get("/staff/people/new/").status_code == 404


def test_adding_a_person_emails_a_set_password_link_that_works(
    client_for: Callable[[str], Client], users: dict, django_capture_on_commit_callbacks: Any
) -> None:
    organisation = users[Role.ANALYST].organisation
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(Role.OPCC_ADMIN).post(
            "/staff/people/new/",
            {
                "full_name": "Nia Newstarter",
                "email": "Nia@Example.org",
                "job_title": "Analyst",
                "organisation": organisation.pk,
                "role": Role.PRACTITIONER,
                "is_active": "on",
            },
        )
    person = User.objects.get(email="nia@example.org")
    assert response["Location"] == f"/staff/people/{person.pk}/"
    assert not person.has_usable_password() and not person.is_staff
    assert AuditEvent.objects.filter(event_type=EventType.ACCOUNT_CHANGED, object_id=str(person.pk)).exists()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["nia@example.org"]
    link = re.search(r"http://testserver(/staff/reset/\S+/)", str(mail.outbox[0].body))
    assert link
    visitor = Client()
    form_page = visitor.get(link.group(1), follow=True)
    assert "Choose your password" in form_page.content.decode()
    new_password = "a long and unusual passphrase 42"
    done = visitor.post(
        form_page.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password}
    )
    assert done["Location"] == "/staff/reset/done/"
    person.refresh_from_db()
    assert person.password.startswith("argon2")
    assert (
        Client().post("/staff/sign-in/", {"email": "nia@example.org", "password": new_password}).status_code
        == 302
    )


def test_csp_managers_need_areas(users: dict) -> None:
    with pytest.raises(ValidationError) as caught:
        create_person(
            actor=users[Role.OPCC_ADMIN],
            data={
                "email": "csp2@example.org",
                "full_name": "New CSP",
                "role": Role.CSP_MANAGER,
                "organisation": users[Role.ANALYST].organisation,
                "areas": [],
            },
        )
    assert "areas" in caught.value.message_dict


def test_update_person_and_history_shows_role_change_with_who(
    client_for: Callable[[str], Client], users: dict, areas: dict
) -> None:
    admin = users[Role.OPCC_ADMIN]
    person = users[Role.PRACTITIONER]
    client = client_for(Role.OPCC_ADMIN)
    response = client.post(
        f"/staff/people/{person.pk}/edit/",
        {
            "full_name": person.full_name,
            "email": person.email,
            "job_title": "Team leader",
            "organisation": person.organisation_id,
            "role": Role.CSP_MANAGER,
            "areas": [areas["north"].pk],
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.role == Role.CSP_MANAGER
    assert list(person.areas.all()) == [areas["north"]]
    html = client.get(f"/staff/people/{person.pk}/").content.decode()
    history = html.split("History", 1)[1]
    assert "Partner practitioner" in history and "CSP manager" in history
    assert re.search(r"Partner practitioner\s*<span aria-hidden=\"true\">→</span>.*?CSP manager", history)
    assert str(admin) in history or admin.full_name in history
    assert "password" not in history.lower()
    event = AuditEvent.objects.get(event_type=EventType.ACCOUNT_CHANGED, object_id=str(person.pk))
    assert event.detail["changes"]["role"] == {"before": Role.PRACTITIONER, "after": Role.CSP_MANAGER}
    assert event.actor_email == admin.email


def test_admin_cannot_lock_themselves_out(users: dict) -> None:
    admin = users[Role.OPCC_ADMIN]
    with pytest.raises(ValidationError) as caught:
        update_person(actor=admin, person=admin, data={"is_active": False, "role": Role.AUDITOR})
    assert {"is_active", "role"} <= set(caught.value.message_dict)
    admin.refresh_from_db()
    assert admin.is_active and admin.role == Role.OPCC_ADMIN


def test_update_never_grants_django_admin(users: dict) -> None:
    person = users[Role.OPCC_OFFICER]
    with pytest.raises(ValidationError):
        update_person(
            actor=users[Role.OPCC_ADMIN], person=person, data={"is_staff": True, "is_superuser": True}
        )
    person.refresh_from_db()
    assert not person.is_staff and not person.is_superuser


def test_auditor_sees_people_but_cannot_change_them(client_for: Callable[[str], Client], users: dict) -> None:
    person = users[Role.ANALYST]
    client = client_for(Role.AUDITOR)
    page = client.get(f"/staff/people/{person.pk}/").content.decode()
    assert "Analyses crime" in page and f"/staff/people/{person.pk}/edit/" not in page
    assert client.get(f"/staff/people/{person.pk}/edit/").status_code == 404
    assert client.get("/staff/people/999999/").status_code == 404
