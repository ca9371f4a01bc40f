"""Signing in by email, lockout, two-factor sign-in, sign-out and the own-account page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from joinedup.core.models import AuditEvent, EventType, User
from joinedup.core.models.tokens import ApiToken
from joinedup.core.roles import Role

SIGN_IN = "/staff/sign-in/"
GENERIC_ERROR = "Enter a correct email address and password"
LOCKOUT = "Too many failed sign-in attempts from here. Wait 15 minutes"


def sign_in(client: Client, email: str, password: str, **extra: Any) -> Any:
    return client.post(SIGN_IN, {"email": email, "password": password, **extra})


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.fixture
def officer(make_user: Callable[..., User]) -> User:
    return make_user(role=Role.OPCC_OFFICER, email="officer@example.org")


def test_sign_in_page_asks_for_email_and_password(client: Client) -> None:
    page = client.get(SIGN_IN).content.decode()
    assert "Email address" in page and "Password" in page


def test_sign_in_by_email_reaches_the_dashboard_and_is_logged(
    client: Client, officer: User, password: str
) -> None:
    response = sign_in(client, "Officer@Example.org", password)
    assert response.status_code == 302 and response["Location"] == reverse("staff:dashboard")
    assert client.get("/staff/").status_code == 200
    event = AuditEvent.objects.get(event_type=EventType.SIGN_IN)
    assert event.actor_email == "officer@example.org" and event.actor_id == officer.pk
    assert event.ip_address == "127.0.0.1"


def test_wrong_password_gives_the_generic_error_and_is_logged(client: Client, officer: User) -> None:
    response = sign_in(client, "officer@example.org", "not the password")
    assert response.status_code == 200
    assert GENERIC_ERROR in response.content.decode()
    event = AuditEvent.objects.get(event_type=EventType.SIGN_IN_FAILED)
    assert event.actor_email == "officer@example.org"
    assert event.object_id == str(officer.pk)
    assert "not the password" not in str(event.detail)


def test_unknown_email_gives_the_same_error(client: Client, officer: User) -> None:
    response = sign_in(client, "nobody@example.org", "whatever it is")
    assert GENERIC_ERROR in response.content.decode()
    assert AuditEvent.objects.get(event_type=EventType.SIGN_IN_FAILED).actor_email == "nobody@example.org"


def test_inactive_account_cannot_sign_in(
    client: Client, make_user: Callable[..., User], password: str
) -> None:
    make_user(email="gone@example.org", is_active=False)
    assert GENERIC_ERROR in sign_in(client, "gone@example.org", password).content.decode()


def test_account_locks_after_five_failures_even_with_the_right_password(
    client: Client, officer: User, password: str
) -> None:
    for attempt in range(4):
        assert sign_in(client, "officer@example.org", f"wrong {attempt}").status_code == 200
    fifth = sign_in(client, "officer@example.org", "wrong again")
    assert fifth.status_code == 429
    assert LOCKOUT in fifth.content.decode()
    sixth = sign_in(client, "officer@example.org", password)
    assert sixth.status_code == 429 and sixth["Retry-After"] == "900"
    assert LOCKOUT in sixth.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(
        event_type=EventType.LOCKED_OUT, actor_email="officer@example.org"
    ).exists()
    # The lockout is per account: another account still signs in from the same address.
    other = User.objects.exclude(pk=officer.pk).first()
    assert other is None or sign_in(Client(), other.email, password).status_code == 302


def test_passwords_are_stored_with_argon2(officer: User) -> None:
    assert officer.password.startswith("argon2")


def test_next_is_followed_only_on_this_site(client: Client, officer: User, password: str) -> None:
    response = sign_in(client, "officer@example.org", password, next="/staff/account/")
    assert response["Location"] == "/staff/account/"
    client.logout()
    response = sign_in(client, "officer@example.org", password, next="https://evil.example.com/")
    assert response["Location"] == reverse("staff:dashboard")


def test_signed_out_visitor_is_sent_to_sign_in(client: Client) -> None:
    response = client.get("/staff/account/")
    assert response.status_code == 302 and response["Location"].startswith(SIGN_IN)


def test_sign_out_is_post_only_and_logged(client: Client, officer: User, password: str) -> None:
    sign_in(client, "officer@example.org", password)
    assert client.get("/staff/sign-out/").status_code == 405
    response = client.post("/staff/sign-out/")
    assert response.status_code == 302 and response["Location"] == reverse("portal:home")
    assert client.get("/staff/").status_code == 302
    assert AuditEvent.objects.filter(
        event_type=EventType.SIGN_OUT, actor_email="officer@example.org"
    ).exists()


def test_a_person_with_an_authenticator_must_enter_a_valid_code(
    client: Client, officer: User, password: str
) -> None:
    device = TOTPDevice.objects.create(user=officer, name="phone", confirmed=True)
    response = sign_in(client, "officer@example.org", password)
    assert response["Location"].startswith(reverse("staff:two-factor"))
    # Not through yet: every staff page sends them back to the code page.
    assert client.get("/staff/")["Location"] == reverse("staff:two-factor")
    wrong = client.post(
        "/staff/sign-in/two-factor/", {"code": "000000" if code_for(device) != "000000" else "111111"}
    )
    assert "wrong or has expired" in wrong.content.decode()
    assert AuditEvent.objects.filter(event_type=EventType.TWO_FACTOR_FAILED).exists()
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()
    right = client.post("/staff/sign-in/two-factor/", {"code": code_for(device)})
    assert right.status_code == 302 and right["Location"] == reverse("staff:dashboard")
    assert client.get("/staff/").status_code == 200


def test_two_factor_keeps_next(client: Client, officer: User, password: str) -> None:
    device = TOTPDevice.objects.create(user=officer, name="phone", confirmed=True)
    response = sign_in(client, "officer@example.org", password, next="/staff/account/")
    assert response["Location"] == "/staff/sign-in/two-factor/?next=%2Fstaff%2Faccount%2F"
    right = client.post(response["Location"], {"code": code_for(device), "next": "/staff/account/"})
    assert right["Location"] == "/staff/account/"


def test_role_that_requires_two_factor_is_sent_to_set_it_up(
    client: Client, make_user: Callable[..., User], password: str, settings: Any
) -> None:
    settings.JOINEDUP_TWO_FACTOR_REQUIRED_ROLES = ["opcc_admin"]
    admin = make_user(role=Role.OPCC_ADMIN, email="admin@example.org")
    response = sign_in(client, "admin@example.org", password)
    assert response["Location"] == reverse("staff:two-factor-setup")
    assert client.get("/staff/people/")["Location"] == reverse("staff:two-factor")
    assert client.get("/staff/sign-in/two-factor/")["Location"] == reverse("staff:two-factor-setup")

    page = client.get("/staff/account/two-factor/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'src="data:image/svg+xml;base64,' in html and "<svg" not in html
    device = TOTPDevice.objects.get(user=admin, confirmed=False)
    assert client.get("/staff/account/two-factor/") and TOTPDevice.objects.filter(user=admin).count() == 1

    wrong = client.post("/staff/account/two-factor/", {"code": "12345"})
    assert "6-digit code" in wrong.content.decode()
    done = client.post("/staff/account/two-factor/", {"code": code_for(device)})
    assert done.status_code == 200 and "Save your backup codes" in done.content.decode()
    assert TOTPDevice.objects.get(user=admin).confirmed
    assert AuditEvent.objects.filter(event_type=EventType.TWO_FACTOR_ENABLED, actor_id=admin.pk).exists()
    assert client.get("/staff/people/").status_code == 200


def test_setup_page_shows_the_key_for_people_who_cannot_scan(client_for: Callable[[str], Client]) -> None:
    client = client_for(Role.ANALYST)
    html = client.get("/staff/account/two-factor/").content.decode()
    device = TOTPDevice.objects.get(confirmed=False)
    import base64

    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    assert secret[:4] in html and "setup key" in html


def test_account_page_shows_role_description_and_two_factor(client_for: Callable[[str], Client]) -> None:
    html = client_for(Role.CSP_MANAGER).get("/staff/account/").content.decode()
    assert "CSP manager" in html
    assert "Manages a Community Safety Partnership" in html
    assert "Two-factor sign-in" in html and "Off" in html


def test_api_token_is_shown_once_and_can_be_revoked(client_for: Callable[[str], Client], users: dict) -> None:
    client = client_for(Role.ANALYST)
    response = client.post("/staff/account/tokens/new/", {"name": "reporting", "scope": "read", "days": "30"})
    token = ApiToken.objects.get(user=users[Role.ANALYST])
    html = response.content.decode()
    assert "ju_" in html and token.hint in html
    account = client.get("/staff/account/").content.decode()
    assert "reporting" in account and html.split('id="api-token"')[1][:80] not in account
    assert client.get(f"/staff/account/tokens/{token.pk}/revoke/").status_code == 405
    assert client.post(f"/staff/account/tokens/{token.pk}/revoke/").status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEvent.objects.filter(event_type=EventType.TOKEN_REVOKED).exists()


def test_someone_elses_token_cannot_be_revoked(client_for: Callable[[str], Client], users: dict) -> None:
    client_for(Role.ANALYST).post(
        "/staff/account/tokens/new/", {"name": "mine", "scope": "read_write", "days": "90"}
    )
    token = ApiToken.objects.get()
    assert client_for(Role.AUDITOR).post(f"/staff/account/tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
