"""A person's notification preferences, with the defaults when they have never changed them."""

from __future__ import annotations

from typing import Any

from .models import NotificationPreference


def preference_for(user: Any) -> NotificationPreference:
    """Their saved preferences, or the defaults (unsaved) if they have none."""
    found = NotificationPreference.objects.filter(user_id=user.pk).first()
    return found if found is not None else NotificationPreference(user_id=user.pk)
