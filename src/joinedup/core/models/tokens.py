"""API bearer tokens: one person's, stored only as a hash, shown once when created.

Tokens are credentials, like passwords and second factors, so they live in core (docs/adr/0025); the table
keeps the name it had in the api app.

A token expires (90 days by default, at most a year), has a scope (read: GET, HEAD and OPTIONS only; or
read and write) and records when it was last used."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

TOKEN_PREFIX = "ju_"  # noqa: S105 (a label, not a secret)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def new_raw_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class TokenScope(models.TextChoices):
    READ = "read", "Read only"
    READ_WRITE = "read_write", "Read and write"


class ApiToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text="What the token is for, e.g. 'housing case system'.")
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    hint = models.CharField(max_length=12, editable=False, help_text="The first characters, to recognise it.")
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    scope = models.CharField(
        max_length=10,
        choices=TokenScope.choices,
        help_text="Read only: the token may only read (GET). Read and write: whatever its owner may do.",
    )

    class Meta:
        db_table = "api_apitoken"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and not self.is_expired

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def status(self) -> str:
        if self.revoked_at is not None:
            return "Revoked"
        return "Expired" if self.is_expired else "Active"

    @property
    def days_left(self) -> int:
        return max(0, (self.expires_at - timezone.now()).days)

    def allows_method(self, method: str) -> bool:
        return self.scope == TokenScope.READ_WRITE or method.upper() in SAFE_METHODS
