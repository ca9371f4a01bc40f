"""Every write about email: queue a message, deliver it (the worker), retry with back-off, sweep.

Callers never talk to SMTP: they call `queue_email` inside their own transaction, so a message exists
exactly when what caused it was saved, and a mail server that is down makes nothing else fail. Bodies are
never logged; a sensitive body (a password link) is wiped from the outbox once delivered or given up.
"""

from __future__ import annotations

import datetime
import logging
import re

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import EmailStatus, OutboundEmail

log = logging.getLogger("joinedup.email")

# A message left "sending" this long was being sent by a worker that died: it goes back in the queue.
STALLED_AFTER = datetime.timedelta(minutes=15)


def retry_delays() -> list[int]:
    return [int(seconds) for seconds in getattr(settings, "JOINEDUP_EMAIL_RETRY_DELAYS", [60, 300, 1800])]


def max_attempts() -> int:
    return len(retry_delays()) + 1


def queue_email(
    *, to: str, subject: str, body: str, kind: str, sensitive: bool = False, forget_recipient: bool = False
) -> OutboundEmail:
    """Put a message in the outbox and hand it to the worker (in the caller's transaction). A `sensitive`
    body is wiped once the message is sent or given up; with `forget_recipient` the address is too."""
    message = _message(to=to, subject=subject, body=body, kind=kind, forget_recipient=forget_recipient)
    message.sensitive = message.sensitive or sensitive
    message.save()
    _enqueue(message.pk)
    log.info("email %s queued (%s)", message.pk, message.kind)
    return message


def _message(*, to: str, subject: str, body: str, kind: str, forget_recipient: bool = False) -> OutboundEmail:
    """An unsaved outbox message, its kind and subject cut to their columns; one whose address is not kept
    is sensitive too (both are wiped once it is sent)."""
    return OutboundEmail(
        kind=kind[:40],
        to=to,
        subject=subject[:250],
        body=body,
        sensitive=forget_recipient,
        forget_recipient=forget_recipient,
    )


def queue_emails(messages: list[dict[str, str]]) -> list[OutboundEmail]:
    """`queue_email` for many messages at once (a batch of digests): one insert for all, then each handed
    to the worker, in the caller's transaction. Returns the messages in the order given."""
    created = OutboundEmail.objects.bulk_create(
        [_message(to=m["to"], subject=m["subject"], body=m["body"], kind=m["kind"]) for m in messages]
    )
    for message in created:
        _enqueue(message.pk)
    if created:
        log.info("%s emails queued (%s)", len(created), ", ".join(sorted({m.kind for m in created})))
    return created


def _enqueue(message_id: int, run_after: datetime.datetime | None = None) -> None:
    from .tasks import deliver_email

    task = deliver_email
    if run_after is not None:
        if not task.get_backend().supports_defer:
            return  # a backend that cannot wait (tests' immediate one): `send_due_email` picks it up
        task = task.using(run_after=run_after)
    task.enqueue(message_id=message_id)


def deliver(message_id: int, *, now: datetime.datetime | None = None) -> str:
    """Send one queued message if it is due; on failure schedule the next try or, after the last, give up.

    Claimed with a conditional update, so two workers handed the same message send it once."""
    now = now or timezone.now()
    claimed = OutboundEmail.objects.filter(
        pk=message_id, status=EmailStatus.QUEUED, next_attempt_at__lte=now
    ).update(status=EmailStatus.SENDING, attempts=F("attempts") + 1, next_attempt_at=now)
    if not claimed:
        return "not due"
    message = OutboundEmail.objects.get(pk=message_id)
    try:
        connection = get_connection(fail_silently=False)
        EmailMessage(
            message.subject, message.body, settings.DEFAULT_FROM_EMAIL, [message.to], connection=connection
        ).send()
    except Exception as exc:
        return _failed(message, exc, now)
    with transaction.atomic():
        OutboundEmail.objects.filter(pk=message.pk).update(
            status=EmailStatus.SENT,
            sent_at=timezone.now(),
            last_error="",
            **_wiped(message),
        )
    log.info("email %s sent (%s) on attempt %s", message.pk, message.kind, message.attempts)
    return "sent"


def _wiped(message: OutboundEmail) -> dict[str, str]:
    """What is cleared once a message is done with: the secret body, and the address when not kept."""
    wiped = {"body": ""} if message.sensitive else {}
    if message.forget_recipient:
        wiped["to"] = ""
    return wiped


def _reason(message: OutboundEmail, exc: Exception) -> str:
    """Why a send failed, as kept in `last_error` and logged. A mail server often names the recipient in
    its refusal; for a message whose address is not kept, the address is blanked out of the reason too."""
    reason = f"{type(exc).__name__}: {exc}"
    if message.forget_recipient and message.to:
        reason = re.sub(re.escape(message.to), "[recipient]", reason, flags=re.IGNORECASE)
    return reason[:500]


def _failed(message: OutboundEmail, exc: Exception, now: datetime.datetime) -> str:
    reason = _reason(message, exc)
    if message.attempts >= max_attempts():
        OutboundEmail.objects.filter(pk=message.pk).update(
            status=EmailStatus.FAILED, last_error=reason, **_wiped(message)
        )
        log.warning(
            "email %s (%s) failed after %s attempts: %s", message.pk, message.kind, message.attempts, reason
        )
        return "failed"
    retry_at = now + datetime.timedelta(seconds=retry_delays()[message.attempts - 1])
    OutboundEmail.objects.filter(pk=message.pk).update(
        status=EmailStatus.QUEUED, last_error=reason, next_attempt_at=retry_at
    )
    log.warning(
        "email %s (%s) attempt %s failed, retrying at %s: %s",
        message.pk,
        message.kind,
        message.attempts,
        retry_at.isoformat(timespec="seconds"),
        reason,
    )
    _enqueue(message.pk, run_after=retry_at)
    return "retrying"


def send_due_email(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """The scheduler's sweep: put stalled messages back in the queue and hand every due one to the worker.

    Deliveries are claimed, so a message handed over twice is still sent once."""
    now = now or timezone.now()
    stalled_ids = list(
        OutboundEmail.objects.filter(
            status=EmailStatus.SENDING, next_attempt_at__lt=now - STALLED_AFTER
        ).values_list("pk", flat=True)[:500]
    )
    stalled = OutboundEmail.objects.filter(pk__in=stalled_ids, status=EmailStatus.SENDING).update(
        status=EmailStatus.QUEUED, next_attempt_at=now
    )
    # Due a minute ago and still queued: its task was lost (or the backend could not wait for it).
    overdue = OutboundEmail.objects.filter(
        status=EmailStatus.QUEUED, next_attempt_at__lte=now - datetime.timedelta(minutes=1)
    ).values_list("pk", flat=True)[:500]
    due = sorted({*stalled_ids, *overdue})
    for pk in due:
        _enqueue(pk)
    return {"stalled": stalled, "handed_to_worker": len(due)}
