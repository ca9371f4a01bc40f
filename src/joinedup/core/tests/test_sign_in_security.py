"""Issue 13, "Sign-in": lockout per account and address, spraying, backup codes, /admin/, and what an
administrator can do for someone who cannot sign in.

Each `test_regression_*` reproduces a finding of the issue; on the code before it, it fails."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from joinedup.core.models import AuditEvent, EventType, User
from joinedup.core.roles import Role

pytestmark = pytest.mark.django_db

SIGN_IN = "/staff/sign-in/"
ADMIN_ADDRESS = "192.0.2.10"  # the administrator's office
LOCKOUT = "Too many failed sign-in attempts from here"


def attempt(address: str, email: str, password: str) -> Any:
    return Client(REMOTE_ADDR=address).post(SIGN_IN, {"email": email, "password": password})


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.fixture
def admin(make_user: Callable[..., User]) -> User:
    return make_user(role=Role.OPCC_ADMIN, email="opcc.admin@example.org")


# --- lockout per (account, address) and per address ---------------------------------------------------


def test_regression_strangers_cannot_lock_the_administrator_out(admin: User, password: str) -> None:
    """Issue 13: "five requests from anywhere lock the OPCC administrator out for 15 minutes"."""
    for stranger in range(5):
        attempt(f"203.0.113.{stranger + 1}", admin.email, "guess")
    for _ in range(5):
        attempt("198.51.100.7", admin.email, "another guess")
    # The administrator at their own desk signs in ...
    own_desk = attempt(ADMIN_ADDRESS, admin.email, password)
    assert own_desk.status_code == 302 and own_desk["Location"] == reverse("staff:dashboard")
    # ... while the stranger at 198.51.100.7 is locked out of the account, even with the right password.
    locked = attempt("198.51.100.7", admin.email, password)
    assert locked.status_code == 429 and LOCKOUT in locked.content.decode()


def test_regression_password_spraying_from_one_address_is_stopped(
    make_user: Callable[..., User], password: str, settings: Any
) -> None:
    """Issue 13: "password spraying across accounts goes unchecked". One address trying one password on
    account after account is stopped at the address limit, for every account, right password or not."""
    limit = getattr(settings, "JOINEDUP_ADDRESS_FAILURE_LIMIT", 20)
    victims = [make_user(email=f"staff{i}@example.org") for i in range(limit + 1)]
    sprayer = "203.0.113.99"
    statuses = [attempt(sprayer, victim.email, "Summer2026!").status_code for victim in victims[:limit]]
    assert statuses[: limit - 1] == [200] * (limit - 1) and statuses[-1] == 429
    # Now even a right password for a fresh account fails from that address ...
    assert attempt(sprayer, victims[limit].email, password).status_code == 429
    # ... while the same account signs in from anywhere else, and no account is locked for its owner.
    assert attempt(ADMIN_ADDRESS, victims[0].email, password).status_code == 302
    event = AuditEvent.objects.filter(event_type=EventType.LOCKED_OUT).latest("id")
    assert event.ip_address == sprayer and event.detail["locked"] == "this address, for every account"


def test_a_sprayer_cannot_reset_the_address_count_by_signing_in_to_its_own_account(
    make_user: Callable[..., User], password: str, settings: Any
) -> None:
    settings.JOINEDUP_ADDRESS_FAILURE_LIMIT = 6
    own = make_user(email="insider@example.org")
    sprayer = "203.0.113.50"
    for i in range(5):
        attempt(sprayer, f"target{i}@example.org", "guess")
    assert attempt(sprayer, own.email, password).status_code == 302  # success clears its own pair only
    assert attempt(sprayer, "target9@example.org", "guess").status_code == 429


def test_a_successful_sign_in_clears_its_own_failures(admin: User, password: str) -> None:
    for _ in range(4):
        attempt(ADMIN_ADDRESS, admin.email, "typo")
    assert attempt(ADMIN_ADDRESS, admin.email, password).status_code == 302
    for _ in range(4):
        assert attempt(ADMIN_ADDRESS, admin.email, "typo again").status_code == 200


def test_lockout_email_is_matched_whatever_its_case(admin: User, password: str) -> None:
    for _ in range(5):
        attempt("203.0.113.8", "OPCC.Admin@Example.org", "guess")
    assert attempt("203.0.113.8", admin.email, password).status_code == 429


def test_the_address_behind_trusted_proxies_is_the_one_they_saw(settings: Any, rf: Any) -> None:
    from joinedup.core.throttling import client_address, throttle_address

    forged = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "1.2.3.4, 203.0.113.5"}
    settings.JOINEDUP_TRUSTED_PROXIES = 0
    assert client_address(rf.get("/", **forged)) == "10.0.0.2"  # no proxy: the header is the client's
    settings.JOINEDUP_TRUSTED_PROXIES = 1
    assert client_address(rf.get("/", **forged)) == "203.0.113.5"  # "1.2.3.4" was typed by the client
    assert client_address(rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="junk")) == "10.0.0.2"
    assert client_address(rf.get("/", REMOTE_ADDR="10.0.0.2")) == "10.0.0.2"
    settings.JOINEDUP_TRUSTED_PROXIES = 0
    # One IPv6 household or server holds a /64: it counts as one address.
    a = throttle_address(rf.get("/", REMOTE_ADDR="2001:db8:1:2::1"))
    b = throttle_address(rf.get("/", REMOTE_ADDR="2001:db8:1:2:ffff::9"))
    assert a == b == "2001:db8:1:2::"
    assert throttle_address(rf.get("/", REMOTE_ADDR="::ffff:192.0.2.1")) == "192.0.2.1"


def test_forged_forwarded_for_headers_do_not_escape_the_lockout(admin: User, password: str) -> None:
    for i in range(5):
        Client(REMOTE_ADDR="203.0.113.8", HTTP_X_FORWARDED_FOR=f"10.1.1.{i}").post(
            SIGN_IN, {"email": admin.email, "password": "guess"}
        )
    response = Client(REMOTE_ADDR="203.0.113.8", HTTP_X_FORWARDED_FOR="10.9.9.9").post(
        SIGN_IN, {"email": admin.email, "password": password}
    )
    assert response.status_code == 429


# --- an administrator helps someone who cannot sign in ---------------------------------------------------


def test_administrator_clears_failed_sign_ins_resets_two_factor_and_sends_a_password_link(
    client_for: Callable[[str], Client],
    users: dict[str, User],
    password: str,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from joinedup.core.services.sign_in import create_backup_codes

    person = users[Role.PRACTITIONER]
    for _ in range(5):
        attempt("203.0.113.8", person.email, "guess")
    TOTPDevice.objects.create(user=person, name="phone", confirmed=True)
    create_backup_codes(user=person)
    page = client_for(Role.OPCC_ADMIN).get(f"/staff/people/{person.pk}/").content.decode()
    assert "5 in the last 15 minutes" in page and "10 backup codes unused" in page

    admin = client_for(Role.OPCC_ADMIN)
    url = f"/staff/people/{person.pk}/sign-in/"
    assert admin.get(url).status_code == 405
    admin.post(url, {"action": "unlock"})
    assert attempt("203.0.113.8", person.email, password).status_code == 302
    admin.post(url, {"action": "reset-two-factor"})
    assert not TOTPDevice.objects.filter(user=person).exists()
    assert not StaticDevice.objects.filter(user=person).exists()
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(url, {"action": "send-password-link"})
    assert mail.outbox[-1].to == [person.email] and "choose a new password" in mail.outbox[-1].body
    logged = set(AuditEvent.objects.filter(object_id=str(person.pk)).values_list("event_type", flat=True))
    assert {
        EventType.SIGN_IN_UNLOCKED,
        EventType.TWO_FACTOR_RESET,
        EventType.PASSWORD_RESET_REQUESTED,
    } <= logged
    # Nobody else may.
    for role in (Role.AUDITOR, Role.OPCC_OFFICER, Role.PRACTITIONER):
        assert client_for(role).post(url, {"action": "unlock"}).status_code == 404


# --- backup codes ------------------------------------------------------------------------------------------


def test_backup_codes_are_shown_once_work_once_and_can_be_replaced(
    make_user: Callable[..., User], password: str
) -> None:
    person = make_user(role=Role.OPCC_OFFICER, email="officer@example.org")
    client = Client()
    client.post(SIGN_IN, {"email": person.email, "password": password})
    setup = client.get("/staff/account/two-factor/")
    assert setup.status_code == 200
    device = TOTPDevice.objects.get(user=person, confirmed=False)
    shown = client.post("/staff/account/two-factor/", {"code": code_for(device)})
    html = shown.content.decode()
    assert "Save your backup codes" in html and "no-cache" in shown["Cache-Control"]
    codes = [t.token for t in StaticToken.objects.filter(device__user=person)]
    assert len(codes) == 10 and all(f"{c[:4]}-{c[4:]}" in html for c in codes)
    assert codes[0] not in client.get("/staff/account/").content.decode()

    # Sign in again with a backup code (typed in capitals with its hyphen) instead of the app.
    client.post("/staff/sign-out/")
    response = client.post(SIGN_IN, {"email": person.email, "password": password})
    assert response["Location"].startswith(reverse("staff:two-factor"))
    assert "use a backup code" in client.get(response["Location"]).content.decode()
    typed = f"{codes[0][:4]}-{codes[0][4:]}".upper()
    assert client.post("/staff/sign-in/backup-code/", {"code": typed})["Location"] == reverse(
        "staff:dashboard"
    )
    assert client.get("/staff/").status_code == 200
    assert AuditEvent.objects.filter(event_type=EventType.BACKUP_CODE_USED, actor_id=person.pk).exists()

    # The same code does not work twice.
    client.post("/staff/sign-out/")
    client.post(SIGN_IN, {"email": person.email, "password": password})
    again = client.post("/staff/sign-in/backup-code/", {"code": codes[0]})
    assert "wrong or has already been used" in again.content.decode()
    assert client.get("/staff/").status_code == 302

    # New codes replace the old ones (from a verified session).
    static = StaticDevice.objects.get(user=person)
    static.throttling_failure_count, static.throttling_failure_timestamp = 0, None
    static.save()
    assert client.post("/staff/sign-in/backup-code/", {"code": codes[1]}).status_code == 302
    assert client.get("/staff/account/backup-codes/").status_code == 405
    renewed = client.post("/staff/account/backup-codes/")
    assert "The old ones no longer work" in renewed.content.decode()
    new_codes = set(StaticToken.objects.filter(device__user=person).values_list("token", flat=True))
    assert len(new_codes) == 10 and not new_codes & set(codes)


def test_backup_code_page_needs_a_password_first_and_codes_need_two_factor(
    client_for: Callable[[str], Client],
) -> None:
    assert Client().get("/staff/sign-in/backup-code/")["Location"].startswith(SIGN_IN)
    response = client_for(Role.ANALYST).post("/staff/account/backup-codes/")
    assert response.status_code == 302 and not StaticToken.objects.exists()


def test_wrong_backup_codes_are_throttled(make_user: Callable[..., User], password: str) -> None:
    from joinedup.core.services.sign_in import create_backup_codes

    person = make_user(email="officer@example.org")
    TOTPDevice.objects.create(user=person, name="phone", confirmed=True)
    codes = [c.replace("-", "") for c in create_backup_codes(user=person)]
    client = Client()
    client.post(SIGN_IN, {"email": person.email, "password": password})
    client.post("/staff/sign-in/backup-code/", {"code": "aaaaaaaa"})
    # django-otp now makes the device wait before it accepts even a right code.
    refused = client.post("/staff/sign-in/backup-code/", {"code": codes[0]})
    assert "wrong or has already been used" in refused.content.decode()
    assert StaticToken.objects.filter(token=codes[0]).exists()


# --- the Django admin --------------------------------------------------------------------------------------


@pytest.fixture
def superuser(make_user: Callable[..., User]) -> User:
    return make_user(role=Role.OPCC_ADMIN, email="root@example.org", is_superuser=True, is_staff=True)


def test_regression_admin_is_behind_the_same_second_factor(superuser: User, password: str) -> None:
    """Issue 13: "/admin/ has no second factor". A superuser with an authenticator app gets no admin page
    until the code is entered, and the admin's own sign-in form cannot skip it."""
    device = TOTPDevice.objects.create(user=superuser, name="phone", confirmed=True)
    client = Client()
    client.post(SIGN_IN, {"email": superuser.email, "password": password})
    first = client.get("/admin/")
    assert first.status_code == 302 and first["Location"].startswith("/admin/login/")
    onwards = client.get(first["Location"])
    assert (
        onwards["Location"].startswith(reverse("staff:two-factor"))
        and "next=%2Fadmin%2F" in onwards["Location"]
    )
    done = client.post(onwards["Location"], {"code": code_for(device), "next": "/admin/"})
    assert done["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_admin_sign_in_form_is_the_staff_one(superuser: User, password: str) -> None:
    client = Client()
    page = client.get("/admin/login/?next=/admin/")
    assert page.status_code == 302 and page["Location"] == f"{SIGN_IN}?next=%2Fadmin%2F"
    TOTPDevice.objects.create(user=superuser, name="phone", confirmed=True)
    # Posting a password to the admin's own form does not open the admin without the code.
    client.post("/admin/login/", {"username": superuser.email, "password": password})
    assert client.get("/admin/").status_code == 302


def test_production_admin_wants_a_second_factor_even_without_an_app(
    superuser: User, password: str, settings: Any
) -> None:
    settings.JOINEDUP_ADMIN_REQUIRES_TWO_FACTOR = True
    client = Client()
    client.post(SIGN_IN, {"email": superuser.email, "password": password})
    response = client.get("/admin/login/?next=/admin/")
    assert response["Location"].startswith(reverse("staff:two-factor-setup"))
    assert client.get("/admin/").status_code == 302
