"""Audit signal handlers: sign-in events go to the event log."""

from __future__ import annotations

import logging
from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from joinedup.core.audit import record_event
from joinedup.core.models import EventType, User

# Sign-in events by account id and never by email address (the audit log holds the address attempted).
logger = logging.getLogger(__name__)


def _account(email: str) -> dict[str, Any]:
    """The account an attempt named, if there is one, so its record links to the event."""
    user = (
        User.objects.filter(email__iexact=email).only("pk", "email", "full_name").first() if email else None
    )
    if user is None:
        return {}
    return {"object_type": "core.user", "object_id": user.pk, "object_repr": str(user)}


@receiver(user_logged_in, dispatch_uid="joinedup_sign_in")
def on_sign_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    record_event(EventType.SIGN_IN, actor=user, obj=user, request=request)
    logger.info("signed in", extra={"user_id": user.pk})


@receiver(user_login_failed, dispatch_uid="joinedup_sign_in_failed")
def on_sign_in_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    # Django has already masked the password; only the email address attempted is kept.
    email = str(credentials.get("username") or credentials.get("email") or "")[:254]
    account = _account(email)
    record_event(
        EventType.SIGN_IN_FAILED,
        actor=AnonymousUser(),
        request=request,
        detail={"email": email},
        **account,
    )
    logger.warning("sign-in failed", extra={"account_id": account.get("object_id")})


@receiver(user_logged_out, dispatch_uid="joinedup_sign_out")
def on_sign_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    record_event(EventType.SIGN_OUT, actor=user or AnonymousUser(), obj=user, request=request)


@receiver(user_locked_out, dispatch_uid="joinedup_locked_out")
def on_locked_out(
    sender: Any, request: Any, username: str | None = None, ip_address: str | None = None, **kwargs: Any
) -> None:
    email = str(username or "")[:254]
    # Which limit was reached: this account from this address, or this address across accounts.
    scope = getattr(request, "joinedup_lockout_scope", "") or "account from this address"
    account = _account(email)
    record_event(
        EventType.LOCKED_OUT,
        actor=AnonymousUser(),
        request=request,
        detail={"email": email, "locked": scope},
        **account,
    )
    logger.warning("sign-in paused", extra={"account_id": account.get("object_id"), "locked": scope})
