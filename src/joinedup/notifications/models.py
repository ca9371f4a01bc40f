"""The email outbox, the scheduler's record of its runs, and daily digests.

Every email the service sends is a row here first (`services.queue_email`); the worker delivers it,
retrying with back-off, and the row keeps its status (queued, sending, sent, failed and why). Messages
that carry a secret (a password link) have their body wiped once they are sent or have failed, so the
secret lives no longer than it must (docs/adr/0021).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class EmailStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class OutboundEmail(models.Model):
    kind = models.CharField(max_length=40, help_text="What the message is, e.g. set_password, digest.")
    to = models.EmailField(max_length=254, blank=True)
    subject = models.CharField(max_length=250)
    body = models.TextField(blank=True)
    sensitive = models.BooleanField(
        default=False, help_text="Carries a secret (a password link): the body is wiped once delivered."
    )
    forget_recipient = models.BooleanField(
        default=False,
        help_text="Sent to a member of the public whose address is not kept (a voter, an applicant): the "
        "address is wiped with the body once delivered or given up.",
    )
    status = models.CharField(max_length=10, choices=EmailStatus.choices, default=EmailStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_status_due")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.to} ({self.status})"

    def get_kind_display(self) -> str:
        return self.kind.replace("_", " ")


class RunOutcome(models.TextChoices):
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"


class JobRun(models.Model):
    """One run of a scheduled job: who ran it, when, how it ended."""

    job = models.CharField(max_length=60, db_index=True)
    started_at = models.DateTimeField(default=timezone.now, db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=10, choices=RunOutcome.choices, default=RunOutcome.RUNNING)
    summary = models.CharField(max_length=500, blank=True)
    error = models.TextField(blank=True)
    instance = models.CharField(max_length=120, blank=True, help_text="The scheduler that ran it.")

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.job} at {self.started_at:%Y-%m-%d %H:%M} ({self.outcome})"


class SchedulerHeartbeat(models.Model):
    """Each scheduler instance's last sign of life, for health checks (`selectors.scheduler_last_seen`)."""

    instance = models.CharField(max_length=120, unique=True)
    started_at = models.DateTimeField(default=timezone.now)
    last_seen = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"{self.instance} last seen {self.last_seen:%Y-%m-%d %H:%M:%S}"


class DigestSent(models.Model):
    """One person's digest for one day: the unique pair is what keeps a digest from going twice."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    email = models.ForeignKey(OutboundEmail, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(default=timezone.now)
    claim = models.UUIDField(
        null=True, blank=True, editable=False, help_text="The digest run that recorded it (docs/adr/0020)."
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["recipient", "day"], name="one_digest_per_person_day")]

    def __str__(self) -> str:
        return f"Digest for {self.recipient_id} on {self.day}"


class NotificationPreference(models.Model):
    """One person's choices: urgent notifications by email as they happen, the daily digest; and the secret
    of their calendar feed (revoked by replacing it)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    immediate_email = models.BooleanField("Email me urgent notifications as they happen", default=True)
    daily_digest = models.BooleanField("Email me a daily digest of my work", default=True)
    calendar_token = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Notification preferences of {self.user_id}"


class Notification(models.Model):
    """Something a person was told in the service: a title and a link, never a victim's personal data."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=40)
    title = models.CharField(max_length=250)
    url = models.CharField(max_length=500, blank=True)
    urgent = models.BooleanField(default=False)
    key = models.CharField(max_length=120, help_text="What it is about, so one event notifies a person once.")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    email = models.ForeignKey(
        OutboundEmail, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["recipient", "key"], name="notify_once_per_key")]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return self.title
