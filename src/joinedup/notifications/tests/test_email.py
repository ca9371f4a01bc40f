"""Email through the outbox: a real SMTP conversation, retries with back-off, and no secret left lying."""

from __future__ import annotations

import datetime
import logging
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from django.utils import timezone

from joinedup.config.email import email_settings, production_email_settings
from joinedup.core.models import User
from joinedup.core.roles import Role
from joinedup.core.services.people import create_person
from joinedup.core.tests.factories import OrganisationFactory
from joinedup.notifications.mailsink import MailCatcher
from joinedup.notifications.models import EmailStatus, OutboundEmail
from joinedup.notifications.services import deliver, queue_email, send_due_email

SMTP = "django.core.mail.backends.smtp.EmailBackend"


def smtp_settings(port: int, **extra: Any) -> override_settings:
    return override_settings(
        EMAIL_BACKEND=SMTP, EMAIL_HOST="127.0.0.1", EMAIL_PORT=port, EMAIL_TIMEOUT=5, **extra
    )


@pytest.fixture
def smtp_server() -> Iterator[MailCatcher]:
    with MailCatcher() as server, smtp_settings(server.port):
        yield server


def test_a_queued_message_arrives_at_a_real_smtp_server(smtp_server: MailCatcher, db: Any) -> None:
    message = queue_email(to="someone@example.org", subject="Hello", body="A plain body.", kind="test")

    assert smtp_server.handler.received.wait(5)
    [arrived] = smtp_server.messages
    assert arrived["To"] == "someone@example.org" and arrived["Subject"] == "Hello"
    assert arrived.get_content().strip() == "A plain body."
    message.refresh_from_db()
    assert message.status == EmailStatus.SENT and message.attempts == 1 and message.sent_at is not None
    assert message.body == "A plain body."  # kept: nothing secret in it


def test_a_set_password_link_arrives_and_is_never_logged_or_kept(
    smtp_server: MailCatcher,
    users: dict[str, User],
    django_capture_on_commit_callbacks: Callable[..., Any],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    with django_capture_on_commit_callbacks(execute=True):
        person = create_person(
            actor=users[Role.OPCC_ADMIN],
            data={
                "email": "new.person@example.org",
                "full_name": "New Person",
                "role": Role.OPCC_OFFICER,
                "organisation": OrganisationFactory(),
                "areas": [],
            },
        )
    assert smtp_server.handler.received.wait(5)
    [arrived] = smtp_server.messages
    assert arrived["To"] == person.email
    body = arrived.get_content()
    link = next(word for word in body.split() if "/staff/" in word and "reset" in word)
    ours = [r.getMessage() for r in caplog.records if r.name.startswith("joinedup")]
    assert any("sent (set_password)" in line for line in ours)
    assert not any(link in line for line in ours)  # logged that it was sent, never what was sent
    stored = OutboundEmail.objects.get(to=person.email)
    assert stored.status == EmailStatus.SENT and stored.sensitive and stored.body == ""


def test_a_refusing_server_is_retried_with_back_off_then_the_message_is_shown_failed(db: Any) -> None:
    with (
        MailCatcher(refuse="554 5.7.1 Relay refused") as server,
        smtp_settings(server.port, JOINEDUP_EMAIL_RETRY_DELAYS=[60, 600]),
    ):
        start = timezone.now()
        message = queue_email(to="x@example.org", subject="S", body="B", kind="test", sensitive=True)
        message.refresh_from_db()
        assert message.status == EmailStatus.QUEUED and message.attempts == 1
        assert "Relay refused" in message.last_error
        assert message.next_attempt_at >= start + datetime.timedelta(seconds=60)

        assert deliver(message.pk, now=start + datetime.timedelta(seconds=30)) == "not due"  # waits
        assert deliver(message.pk, now=start + datetime.timedelta(seconds=61)) == "retrying"
        message.refresh_from_db()
        assert message.attempts == 2
        assert message.next_attempt_at >= start + datetime.timedelta(seconds=61 + 600)  # longer each time

        assert deliver(message.pk, now=start + datetime.timedelta(seconds=700)) == "failed"
        message.refresh_from_db()
        assert message.status == EmailStatus.FAILED and message.attempts == 3
        assert "554" in message.last_error and message.body == ""
        assert server.messages == []
        assert deliver(message.pk, now=start + datetime.timedelta(days=1)) == "not due"  # never again


def test_a_refusal_naming_a_forgotten_address_keeps_and_logs_it_nowhere(
    db: Any, caplog: pytest.LogCaptureFixture
) -> None:
    """A voter's or online applicant's address is not kept once the message is done with: a server that
    names it in its refusal leaves it neither in the recorded error nor in the log."""
    caplog.set_level(logging.DEBUG)
    address = "Voter.Person@example.org"
    with (
        MailCatcher(refuse=f"550 5.1.1 <{address.lower()}>: Recipient address rejected") as server,
        smtp_settings(server.port, JOINEDUP_EMAIL_RETRY_DELAYS=[60]),
    ):
        start = timezone.now()
        message = queue_email(to=address, subject="S", body="B", kind="test", forget_recipient=True)
        message.refresh_from_db()
        assert message.status == EmailStatus.QUEUED and message.to == address  # kept for the retry
        assert "Recipient address rejected" in message.last_error
        assert address.lower() not in message.last_error.lower()

        assert deliver(message.pk, now=start + datetime.timedelta(seconds=61)) == "failed"
        message.refresh_from_db()
        assert message.status == EmailStatus.FAILED and message.to == "" and message.body == ""
        assert "550" in message.last_error and address.lower() not in message.last_error.lower()
    logged = [r.getMessage().lower() for r in caplog.records if r.name.startswith("joinedup")]
    assert any("failed" in line for line in logged)
    assert not any(address.lower() in line for line in logged)


def test_a_server_that_is_down_is_recorded_and_nothing_else_fails(db: Any) -> None:
    with MailCatcher() as server:
        port = server.port
    with smtp_settings(port):  # stopped: nothing listens on the port any more
        message = queue_email(to="x@example.org", subject="S", body="B", kind="test")
    message.refresh_from_db()
    assert message.status == EmailStatus.QUEUED and message.attempts == 1
    assert "Connection" in message.last_error or "refused" in message.last_error.lower()

    with MailCatcher(port=port) as server, smtp_settings(port):  # back up: the sweep sends it
        later = message.next_attempt_at + datetime.timedelta(minutes=2)
        send_due_email(now=later)
        assert deliver(message.pk, now=later) in {"sent", "not due"}
        assert server.handler.received.wait(5)
    message.refresh_from_db()
    assert message.status == EmailStatus.SENT and message.attempts == 2


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_with_the_worker_a_retry_waits_in_the_task_queue_until_its_time(db: Any) -> None:
    from django_tasks_db.models import DBTaskResult

    message = queue_email(to="x@example.org", subject="S", body="B", kind="test")
    assert DBTaskResult.objects.count() == 1  # handed to the worker, not sent in the request
    with MailCatcher(refuse="451 4.3.0 Try later") as server, smtp_settings(server.port):
        assert deliver(message.pk) == "retrying"
    message.refresh_from_db()
    retry = DBTaskResult.objects.order_by("-enqueued_at").first()
    assert retry is not None and retry.run_after == message.next_attempt_at
    assert retry.args_kwargs["kwargs"] == {"message_id": message.pk}


def test_a_stalled_send_goes_back_in_the_queue(db: Any) -> None:
    message = OutboundEmail.objects.create(
        kind="test", to="x@example.org", subject="S", body="B", status=EmailStatus.SENDING, attempts=1
    )
    OutboundEmail.objects.filter(pk=message.pk).update(
        next_attempt_at=timezone.now() - datetime.timedelta(hours=1)
    )
    with MailCatcher() as server, smtp_settings(server.port):
        result = send_due_email()
        assert result["stalled"] == 1
        assert server.handler.received.wait(5)
    message.refresh_from_db()
    assert message.status == EmailStatus.SENT


def test_email_settings_come_from_one_url() -> None:
    values = email_settings({"JOINEDUP_EMAIL_URL": "smtp+tls://mailer%40example.org:p%2Fss@mail.example.org"})
    assert values["EMAIL_BACKEND"] == SMTP
    assert (values["EMAIL_HOST"], values["EMAIL_PORT"]) == ("mail.example.org", 587)
    assert (values["EMAIL_HOST_USER"], values["EMAIL_HOST_PASSWORD"]) == ("mailer@example.org", "p/ss")
    assert values["EMAIL_USE_TLS"] and not values["EMAIL_USE_SSL"]
    ssl = email_settings({"JOINEDUP_EMAIL_URL": "smtps://relay.example.org"})
    assert ssl["EMAIL_PORT"] == 465 and ssl["EMAIL_USE_SSL"] and not ssl["EMAIL_USE_TLS"]
    assert email_settings({})["EMAIL_BACKEND"].endswith("console.EmailBackend")
    with pytest.raises(ImproperlyConfigured, match="smtp://"):
        email_settings({"JOINEDUP_EMAIL_URL": "http://mail.example.org"})


@pytest.mark.parametrize("url", ["", "console:"])
def test_production_refuses_the_console_or_no_mail_server(url: str) -> None:
    with pytest.raises(ImproperlyConfigured, match="JOINEDUP_EMAIL_URL"):
        production_email_settings({"JOINEDUP_EMAIL_URL": url})


def test_production_does_not_start_without_a_mail_server(tmp_path: Path) -> None:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("JOINEDUP_", "DJANGO_", "DATABASE_URL", "SECRET_KEY", "ALLOWED_HOSTS"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "joinedup.config.settings",
            "JOINEDUP_DATA_DIR": str(tmp_path),
            "JOINEDUP_ENV": "production",
            "SECRET_KEY": "a-long-random-production-secret-for-this-test-only",
            "ALLOWED_HOSTS": "joinedup.example.org",
            "DATABASE_URL": "postgres://joinedup@db.example.org/joinedup",
            "JOINEDUP_EMAIL_URL": "console:",
        }
    )
    code = "import django; django.setup()"
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode != 0 and "console backend" in result.stderr
