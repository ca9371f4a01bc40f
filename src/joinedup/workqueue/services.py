"""Writes for "Your work": the secret address of a person's calendar feed (made, replaced, revoked).

Only a hash of the secret is stored; the address is shown once, when made. Replacing it revokes the old
one, so a leaked address stops working at once (docs/adr/0020)."""

from __future__ import annotations

import secrets
from typing import Any

from django.db import transaction

from joinedup.core.audit import record_event
from joinedup.core.models import EventType
from joinedup.core.models.tokens import hash_token
from joinedup.notifications.models import NotificationPreference


def new_calendar_token(*, user: Any) -> str:
    """Make (or replace) the person's calendar secret; returns it, to show once."""
    raw = secrets.token_urlsafe(32)
    with transaction.atomic():
        NotificationPreference.objects.update_or_create(
            user_id=user.pk, defaults={"calendar_token": hash_token(raw)}
        )
        record_event(EventType.TOKEN_CREATED, actor=user, obj=user, detail={"token": "calendar feed"})
    return raw


def revoke_calendar_token(*, user: Any) -> None:
    with transaction.atomic():
        NotificationPreference.objects.filter(user_id=user.pk).update(calendar_token=None)
        record_event(EventType.TOKEN_REVOKED, actor=user, obj=user, detail={"token": "calendar feed"})
