"""Notifications: told once per event, in the service always, by email at once when urgent.

`notify` records a `Notification` (once per person and event key) and, when it is urgent and the person
has not turned it off, queues an email in the same transaction. Email bodies hold the title and a link
only; for casework the title is built from the case reference, never a victim's details (docs/adr/0020).
The rest reaches people in the daily digest (digest.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from joinedup.core.models import User
from joinedup.core.site import site_url

from .models import Notification
from .preferences import preference_for
from .services import queue_email


def notify(
    recipient: User, *, kind: str, title: str, url: str, key: str, urgent: bool = False
) -> Notification | None:
    """Tell `recipient` about `key` once; None if they were already told."""
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=recipient,
                kind=kind[:40],
                title=title[:250],
                url=url[:500],
                key=key[:120],
                urgent=urgent,
            )
            if urgent and recipient.email and preference_for(recipient).immediate_email:
                site = site_url()
                notification.email = queue_email(
                    to=recipient.email,
                    subject=f"Joined Up: {title}"[:250],
                    body=(
                        f"{title}\n\nOpen it in Joined Up (you will be asked to sign in):\n{site}{url}\n\n"
                        f"All your notifications: {site}/staff/notifications/\n"
                        f"Change which emails you get: {site}/staff/notifications/preferences/\n"
                    ),
                    kind=f"notify_{kind}"[:40],
                )
                notification.save(update_fields=["email"])
    except IntegrityError:
        return None
    return notification


def notify_many(recipients: Iterable[User], **kwargs: Any) -> int:
    return sum(1 for person in recipients if notify(person, **kwargs) is not None)


def mark_read(*, user: Any, ids: list[int] | None = None) -> int:
    """Mark the person's own notifications read (all of them unless `ids`)."""
    unread = Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=timezone.now())


def save_preferences(*, user: Any, immediate_email: bool, daily_digest: bool) -> None:
    from .models import NotificationPreference

    NotificationPreference.objects.update_or_create(
        user_id=user.pk, defaults={"immediate_email": immediate_email, "daily_digest": daily_digest}
    )
