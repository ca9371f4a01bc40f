"""Creating, using and revoking API tokens."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from joinedup.core.audit import record_event
from joinedup.core.models import EventType
from joinedup.core.models.tokens import TOKEN_PREFIX, ApiToken, TokenScope, hash_token, new_raw_token

# Audit events name tokens as they did before tokens moved from the api app to core, so the log reads on.
AUDIT_OBJECT_TYPE = "api.apitoken"

# last_used_at is written at most this often per token, so a busy integration does not write every call.
LAST_USED_RESOLUTION = datetime.timedelta(seconds=60)


def default_days() -> int:
    return int(getattr(settings, "JOINEDUP_API_TOKEN_DAYS", 90))


def max_days() -> int:
    return int(getattr(settings, "JOINEDUP_API_TOKEN_MAX_DAYS", 365))


def create_token(
    *,
    user: Any,
    name: str,
    actor: Any,
    scope: str = TokenScope.READ_WRITE,
    days: int | None = None,
) -> tuple[ApiToken, str]:
    """Create a token for `user`; the raw value is returned once and only its hash is kept.

    `days` is how long it lasts (default 90, at most 365); `scope` is read or read-write."""
    days = default_days() if days is None else days
    errors: dict[str, list[str]] = {}
    if scope not in TokenScope.values:
        errors["scope"] = ["Choose whether the token may only read, or read and write."]
    if not 1 <= int(days) <= max_days():
        errors["days"] = [f"A token lasts between 1 and {max_days()} days."]
    if errors:
        raise ValidationError(errors)
    raw = new_raw_token()
    now = timezone.now()
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            name=name.strip()[:100] or "unnamed",
            key_hash=hash_token(raw),
            hint=raw[:10],
            created_at=now,
            expires_at=now + datetime.timedelta(days=int(days)),
            scope=scope,
        )
        record_event(
            EventType.TOKEN_CREATED,
            actor=actor or user,
            obj=token,
            object_type=AUDIT_OBJECT_TYPE,
            detail={
                "for_user": user.email,
                "name": token.name,
                "scope": token.scope,
                "expires_at": token.expires_at.isoformat(),
            },
        )
    return token, raw


def revoke_token(*, token: ApiToken, actor: Any) -> None:
    with transaction.atomic():
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            record_event(
                EventType.TOKEN_REVOKED,
                actor=actor,
                obj=token,
                object_type=AUDIT_OBJECT_TYPE,
                detail={"for_user": token.user.email},
            )


def find_token(raw: str) -> ApiToken | None:
    """The usable token (not revoked, not expired, of an active account) a raw bearer value names, or None.

    Its last-used time is brought up to date (to the minute)."""
    if not raw.startswith(TOKEN_PREFIX):
        return None
    token = ApiToken.objects.select_related("user").filter(key_hash=hash_token(raw)).first()
    if token is None or not token.is_usable or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def authenticate_token(raw: str) -> Any:
    """The active user a raw bearer token belongs to, or None."""
    token = find_token(raw)
    return token.user if token is not None else None
