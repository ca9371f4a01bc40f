"""Browser tests (Chromium, axe on every page): turning on two-factor sign-in, saving backup codes and
signing in with one; an API token with a scope and an expiry; a grant applicant resetting a password."""

from __future__ import annotations

import base64
import re
from typing import Any

import pytest
from django.core import mail
from django_otp.oath import totp

from joinedup.core.roles import Role
from joinedup.core.tests.factories import TEST_PASSWORD, UserFactory

pytestmark = [pytest.mark.browser]


def current_code(secret_text: str) -> str:
    secret = "".join(secret_text.split())
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    return f"{totp(key):06d}"


def test_officer_turns_on_two_factor_and_signs_in_with_a_backup_code(page: Any) -> None:
    UserFactory(role=Role.OPCC_OFFICER, email="officer@example.org")
    page.sign_in("officer@example.org", TEST_PASSWORD)
    page.visit("/staff/account/")
    page.get_by_role("link", name="Set up two-factor sign-in").click()
    page.wait_for_load_state()
    page.check_accessibility()
    code = current_code(page.locator("#totp-secret").inner_text())
    page.get_by_label("Security code").fill(code)
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    page.wait_for_load_state()
    page.check_accessibility()
    codes = [c.strip() for c in page.locator("#backup-codes code").all_inner_texts()]
    assert len(codes) == 10 and all(re.fullmatch(r"[a-z2-7]{4}-[a-z2-7]{4}", c) for c in codes)
    page.get_by_role("link", name="I have saved my backup codes").click()
    page.wait_for_load_state()
    assert "10 unused" in page.locator(".govuk-summary-list").inner_text()
    page.check_accessibility()

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()
    page.sign_in("officer@example.org", TEST_PASSWORD)
    assert "/staff/sign-in/two-factor/" in page.url
    page.get_by_role("link", name="use a backup code").click()
    page.wait_for_load_state()
    page.check_accessibility()
    page.get_by_label("Backup code").fill(codes[0])
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()
    assert page.url.endswith("/staff/")
    page.visit("/staff/account/")
    assert "9 unused" in page.locator(".govuk-summary-list").inner_text()

    # A read-only API token that lasts 30 days, listed on the account page.
    page.get_by_role("link", name="Create an API token").click()
    page.wait_for_load_state()
    page.get_by_label("What is the token for?").fill("weekly report")
    page.get_by_label("Read only: look things up (GET), never change anything").check()
    page.get_by_label("How long should it last?").select_option("30")
    page.get_by_role("button", name="Create token").click()
    page.wait_for_load_state()
    page.check_accessibility()
    assert page.locator("#api-token").inner_text().startswith("ju_")
    page.get_by_role("link", name="Back to your account").click()
    page.wait_for_load_state()
    row = page.locator("tr", has_text="weekly report").inner_text()
    assert "Read only" in row and "Active" in row


def test_applicant_resets_a_forgotten_password(page: Any, transactional_db: Any) -> None:
    page.visit("/apply/register/")
    page.get_by_label("Your name").fill("Sam Applicant")
    page.get_by_label("Email address").fill("sam@example.org")
    page.get_by_label("Organisation name").fill("Northtown Youth Trust")
    page.get_by_label("Password").fill("a long and unusual passphrase")
    page.get_by_role("button", name="Create account").click()
    page.wait_for_load_state()
    page.check_accessibility()
    verify = re.search(r"https?://\S+/apply/verify/\S+/", mail.outbox[-1].body)
    assert verify is not None
    page.page.goto(verify.group(0))

    page.visit("/apply/sign-in/")
    page.get_by_role("link", name="Forgotten your password?").click()
    page.wait_for_load_state()
    page.check_accessibility()
    page.get_by_label("Email address").fill("sam@example.org")
    page.get_by_role("button", name="Send me a link").click()
    page.wait_for_load_state()
    page.check_accessibility()
    assert "has an account, we have sent it a link" in page.locator("main").inner_text()
    link = re.search(r"https?://\S+/apply/password-reset/\S+/", mail.outbox[-1].body)
    assert link is not None
    page.page.goto(link.group(0))
    page.check_accessibility()
    page.get_by_label("New password").fill("a brand new passphrase")
    page.get_by_role("button", name="Change password").click()
    page.wait_for_load_state()
    assert "/apply/sign-in/" in page.url
    page.get_by_label("Email address").fill("sam@example.org")
    page.get_by_label("Password").fill("a brand new passphrase")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    page.check_accessibility()
    assert page.url.endswith("/apply/")
