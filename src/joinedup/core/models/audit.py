"""The append-only business event log. Plain identifiers, no foreign keys: deleting data never breaks it."""

from __future__ import annotations

from typing import Any, NoReturn

from django.db import models
from django.utils import timezone


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> NoReturn:
        raise PermissionError("The audit event log is append-only.")

    def delete(self) -> NoReturn:
        raise PermissionError("The audit event log is append-only.")


class EventType(models.TextChoices):
    SIGN_IN = "sign_in", "Signed in"
    SIGN_IN_FAILED = "sign_in_failed", "Failed sign-in"
    LOCKED_OUT = "locked_out", "Locked out after failed sign-ins"
    SIGN_OUT = "sign_out", "Signed out"
    TWO_FACTOR_ENABLED = "two_factor_enabled", "Two-factor sign-in set up"
    TWO_FACTOR_FAILED = "two_factor_failed", "Wrong two-factor code"
    TWO_FACTOR_RESET = "two_factor_reset", "Two-factor sign-in reset by an administrator"
    BACKUP_CODES_CREATED = "backup_codes_created", "Backup codes created"
    BACKUP_CODE_USED = "backup_code_used", "Signed in with a backup code"
    SIGN_IN_UNLOCKED = "sign_in_unlocked", "Failed sign-ins cleared by an administrator"
    PASSWORD_RESET_REQUESTED = "password_reset_requested", "Password reset link asked for"
    PASSWORD_RESET = "password_reset", "Password reset with an emailed link"
    PERMISSION_DENIED = "permission_denied", "Permission denied"
    EXPORT = "export", "Data exported"
    PERSONAL_RECORD_VIEWED = "personal_record_viewed", "Personal record viewed"
    TOKEN_CREATED = "token_created", "API token created"
    TOKEN_REVOKED = "token_revoked", "API token revoked"
    DATA_IMPORTED = "data_imported", "Data imported"
    ACCOUNT_CHANGED = "account_changed", "Staff account changed"
    PERSONAL_DATA_ANONYMISED = "personal_data_anonymised", "Personal data anonymised (retention)"
    AGREEMENT_CHANGED = (
        "agreement_changed",
        "Information-sharing agreement drafted, signed, reviewed or ended",
    )
    CASE_DISCLOSED = "case_disclosed", "Case disclosed to another organisation"


class AuditEvent(models.Model):
    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)
    event_type = models.CharField(max_length=40, choices=EventType.choices, db_index=True)
    actor_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    actor_email = models.CharField(max_length=254, blank=True, db_index=True)
    actor_role = models.CharField(max_length=20, blank=True)
    object_type = models.CharField(max_length=100, blank=True, db_index=True)
    object_id = models.CharField(max_length=64, blank=True, db_index=True)
    object_repr = models.CharField(max_length=200, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    request_id = models.CharField(max_length=36, blank=True)
    path = models.CharField(max_length=500, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M:%S} {self.event_type} {self.actor_email}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError("The audit event log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise PermissionError("The audit event log is append-only.")
