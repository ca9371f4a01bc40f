"""Creating and revoking API tokens."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from joinedup.api.models import ApiToken, hash_token, new_raw_token
from joinedup.core.audit import record_event
from joinedup.core.models import EventType


def create_token(*, user: Any, name: str, actor: Any) -> tuple[ApiToken, str]:
    """Create a token for `user`; the raw value is returned once and only its hash is kept."""
    raw = new_raw_token()
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, name=name.strip() or "unnamed", key_hash=hash_token(raw), hint=raw[:10]
        )
        record_event(
            EventType.TOKEN_CREATED,
            actor=actor or user,
            obj=token,
            detail={"for_user": user.email, "name": token.name},
        )
    return token, raw


def revoke_token(*, token: ApiToken, actor: Any) -> None:
    with transaction.atomic():
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            record_event(
                EventType.TOKEN_REVOKED, actor=actor, obj=token, detail={"for_user": token.user.email}
            )


def authenticate_token(raw: str) -> Any:
    """The active user a raw bearer token belongs to, or None."""
    if not raw.startswith("ju_"):
        return None
    token = ApiToken.objects.select_related("user").filter(key_hash=hash_token(raw)).first()
    if token is None or not token.is_usable or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
