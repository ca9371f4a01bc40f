"""Grant applicants' sign-in (issue 13): lockout, password reset, and registration that reveals nothing.

Each `test_regression_*` reproduces a finding of the issue; on the code before it, it fails."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from joinedup.core.models import AuditEvent, EventType
from joinedup.funding.models import Applicant

pytestmark = pytest.mark.django_db
PASSWORD = "a long and unusual passphrase"
SIGN_IN = reverse("public-funding:applicant-sign-in")
REGISTER = reverse("public-funding:applicant-register")
RESET = "/apply/password-reset/"


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    cache.clear()


def make_applicant(email: str = "sam@example.org", *, verified: bool = True) -> Applicant:
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    return Applicant.objects.create(
        email=email,
        contact_name="Sam Applicant",
        organisation_name="Northtown Youth Trust",
        password=make_password(PASSWORD),
        email_verified_at=timezone.now() if verified else None,
    )


def sign_in(client: Client, email: str, password: str) -> Any:
    return client.post(SIGN_IN, {"email": email, "password": password})


def signed_in(client: Client) -> bool:
    return "funding_applicant_id" in client.session


def register(client: Client, email: str, password: str = PASSWORD, **extra: str) -> Any:
    data = {"contact_name": "Alex", "email": email, "organisation_name": "Alex's Trust", "password": password}
    return client.post(REGISTER, {**data, **extra})


def link_in(message: Any, path: str) -> str:
    found = re.search(rf"https?://testserver({re.escape(path)}\S*)", message.body)
    assert found, message.body
    return found.group(1)


# --- lockout ----------------------------------------------------------------------------------------------


def test_regression_twelve_wrong_passwords_then_the_right_one_does_not_sign_in() -> None:
    """Issue 13: "Grant-applicant sign-in has no lockout at all (12 wrong passwords, then the right one,
    signed in)"."""
    make_applicant()
    attacker = Client(REMOTE_ADDR="203.0.113.66")
    statuses = [sign_in(attacker, "sam@example.org", f"guess {i}").status_code for i in range(12)]
    assert statuses[:4] == [200] * 4 and set(statuses[4:]) == {429}
    right = sign_in(attacker, "sam@example.org", PASSWORD)
    assert right.status_code == 429 and not signed_in(attacker)
    assert "Too many failed sign-in attempts from here" in right.content.decode()
    assert right["Retry-After"] == "900"
    # The applicant, elsewhere, is not locked out by the attacker.
    own = Client(REMOTE_ADDR="198.51.100.20")
    assert sign_in(own, "sam@example.org", PASSWORD).status_code == 302 and signed_in(own)
    assert AuditEvent.objects.filter(
        event_type=EventType.LOCKED_OUT, actor_email="applicant:sam@example.org"
    ).exists()


def test_spraying_applicant_accounts_from_one_address_is_stopped(settings: Any) -> None:
    settings.JOINEDUP_ADDRESS_FAILURE_LIMIT = 6
    make_applicant("last@example.org")
    sprayer = Client(REMOTE_ADDR="203.0.113.77")
    for i in range(6):
        sign_in(sprayer, f"someone{i}@example.org", "Winter2026!")
    assert sign_in(sprayer, "last@example.org", PASSWORD).status_code == 429


def test_unknown_and_wrong_give_the_same_answer() -> None:
    make_applicant()
    unknown = sign_in(Client(), "nobody@example.org", PASSWORD)
    wrong = sign_in(Client(), "sam@example.org", "not it at all")
    assert unknown.status_code == wrong.status_code == 200
    message = "The email address or password is not right."
    assert message in unknown.content.decode() and message in wrong.content.decode()


# --- password reset ---------------------------------------------------------------------------------------


def test_regression_an_applicant_resets_a_forgotten_password_by_email() -> None:
    """Issue 13: grant applicants have "no password reset"."""
    applicant = make_applicant()
    client = Client()
    page = client.get(SIGN_IN).content.decode()
    assert "Forgotten your password?" in page
    asked = client.post(RESET, {"email": "Sam@Example.org"})
    assert "If <strong>Sam@Example.org</strong> has an account" in asked.content.decode()
    assert mail.outbox[-1].to == ["sam@example.org"] and "within one hour" in mail.outbox[-1].body
    link = link_in(mail.outbox[-1], "/apply/password-reset/")

    assert "Choose a new password" in client.get(link).content.decode()
    weak = client.post(link, {"password": "password"})
    assert weak.status_code == 200 and "too common" in weak.content.decode()
    done = client.post(link, {"password": "a brand new passphrase"})
    assert done.status_code == 302 and done["Location"] == SIGN_IN
    assert sign_in(client, "sam@example.org", "a brand new passphrase").status_code == 302
    applicant.refresh_from_db()
    assert AuditEvent.objects.filter(
        event_type=EventType.PASSWORD_RESET, object_id=str(applicant.pk)
    ).exists()

    # The link works once.
    again = Client().post(link, {"password": "yet another passphrase"})
    assert "This link does not work" in again.content.decode() and "used already" in again.content.decode()
    assert sign_in(Client(), "sam@example.org", "a brand new passphrase").status_code == 302


def test_reset_links_expire_after_an_hour_and_cannot_be_forged() -> None:
    import time
    from unittest import mock

    from django.core import signing

    make_applicant()
    an_hour_ago = int(time.time()) - 3601
    with mock.patch.object(
        signing.TimestampSigner, "timestamp", lambda self: signing.b62_encode(an_hour_ago)
    ):
        Client().post(RESET, {"email": "sam@example.org"})
    expired = Client().get(link_in(mail.outbox[-1], "/apply/password-reset/"))
    assert "This link does not work" in expired.content.decode() and "expired" in expired.content.decode()

    Client().post(RESET, {"email": "sam@example.org"})
    link = link_in(mail.outbox[-1], "/apply/password-reset/")
    assert Client().get(link).status_code == 200
    forged = Client().post(link[:-4] + "xyz/", {"password": "a brand new passphrase"})
    assert "This link does not work" in forged.content.decode() and "not valid" in forged.content.decode()
    assert sign_in(Client(), "sam@example.org", PASSWORD).status_code == 302


def test_reset_answers_the_same_for_an_address_with_no_account() -> None:
    make_applicant()
    known = Client().post(RESET, {"email": "sam@example.org"})
    sent = len(mail.outbox)
    unknown = Client().post(RESET, {"email": "nobody@example.org"})
    assert len(mail.outbox) == sent  # nothing sent to an address with no account
    strip = lambda html, email: html.replace(email, "EMAIL")  # noqa: E731
    assert known.status_code == unknown.status_code == 200
    assert (
        strip(known.content.decode(), "sam@example.org").split("<main")[1].split("</main>")[0]
        == strip(unknown.content.decode(), "nobody@example.org").split("<main")[1].split("</main>")[0]
    )


def test_reset_emails_are_rate_limited_so_nobody_floods_an_inbox() -> None:
    make_applicant()
    for _ in range(6):
        response = Client(REMOTE_ADDR="203.0.113.5").post(RESET, {"email": "sam@example.org"})
        assert response.status_code == 200
    assert len(mail.outbox) == 3


def test_a_reset_clears_the_lockout_and_verifies_the_address() -> None:
    applicant = make_applicant(verified=False)
    here = Client(REMOTE_ADDR="198.51.100.20")
    for i in range(5):
        sign_in(here, "sam@example.org", f"guess {i}")
    assert sign_in(here, "sam@example.org", PASSWORD).status_code == 429
    here.post(RESET, {"email": "sam@example.org"})
    here.post(link_in(mail.outbox[-1], "/apply/password-reset/"), {"password": "a brand new passphrase"})
    assert sign_in(here, "sam@example.org", "a brand new passphrase").status_code == 302
    applicant.refresh_from_db()
    assert applicant.is_verified


# --- registration -----------------------------------------------------------------------------------------


def test_regression_registration_does_not_reveal_an_existing_account() -> None:
    """Issue 13: "registration reveals whether an email has an account". The page is the same either way;
    the existing account's owner is emailed instead, and nothing about the account changes."""
    existing = make_applicant("taken@example.org")
    before = (existing.password, existing.contact_name, existing.organisation_name)

    new = register(Client(), "fresh@example.org")
    taken = register(Client(), "Taken@Example.org")
    assert new.status_code == taken.status_code == 200

    def main(response: Any, email: str) -> str:
        html = response.content.decode().replace(email, "EMAIL")
        return html.split("<main")[1].split("</main>")[0]

    assert main(new, "fresh@example.org") == main(taken, "Taken@Example.org")

    to_fresh, to_taken = mail.outbox[-2], mail.outbox[-1]
    assert to_fresh.to == ["fresh@example.org"] and "Verify your email address" in to_fresh.subject
    assert to_taken.to == ["taken@example.org"] and "already have an account" in to_taken.subject
    assert "/apply/sign-in/" in to_taken.body and "/apply/password-reset/" in to_taken.body
    existing.refresh_from_db()
    assert (existing.password, existing.contact_name, existing.organisation_name) == before
    assert Applicant.objects.filter(email__iexact="taken@example.org").count() == 1


def test_registering_again_before_verifying_sends_a_fresh_verification_link() -> None:
    make_applicant("slow@example.org", verified=False)
    register(Client(), "slow@example.org")
    message = mail.outbox[-1]
    link = link_in(message, "/apply/verify/")
    Client().get(link)
    assert Applicant.objects.get(email="slow@example.org").is_verified


def test_registration_still_lists_every_problem_at_once() -> None:
    make_applicant("taken@example.org")
    response = Client().post(REGISTER, {"email": "taken@example.org", "password": "short"})
    errors = response.context["form"].errors
    assert set(errors) == {"contact_name", "organisation_name", "password"}  # never "email already used"
    assert not mail.outbox


def test_a_verification_link_forged_or_too_old_is_refused_with_its_reason(monkeypatch):
    from django.core import signing
    from django.core.exceptions import ValidationError

    from joinedup.funding.applicants import services as applicant_services

    with pytest.raises(ValidationError) as forged:
        applicant_services.verify_applicant(token="not-a-token")
    assert forged.value.message_dict == {"token": ["This link is not valid. Check you copied all of it."]}
    token = signing.dumps({"id": 1, "email": "a@example.org"}, salt=applicant_services.VERIFY_SALT)
    monkeypatch.setattr(applicant_services, "VERIFY_MAX_AGE", -1)
    with pytest.raises(ValidationError) as old:
        applicant_services.verify_applicant(token=token)
    assert old.value.message_dict == {"token": ["This link has expired. Register again to get a new one."]}
