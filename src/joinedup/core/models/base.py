"""Abstract models shared by every app: timestamps, authorship and optimistic versioning."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models


class RestrictedQuerySet(models.QuerySet):
    """A queryset that can narrow itself to what one user may do (see core.permissions)."""

    def restrict(self, user: Any, action: str) -> Any:
        from joinedup.core.permissions import restrict

        return restrict(self, user, action)


def _author() -> models.ForeignKey:
    """Who made or last changed a row: kept as empty, not deleted with it, when the account goes."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = _author()
    updated_by = _author()

    class Meta:
        abstract = True


class VersionedModel(models.Model):
    """Rows people edit together: a stale save is refused (core.services.versioning)."""

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True
