"""Searching the append-only event log (pages, API and CLI all read it through here)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import QuerySet

from joinedup.core.models import AuditEvent
from joinedup.core.permissions import has_permission


def search_events(
    *,
    user: Any,
    event_type: str | None = None,
    actor: str | None = None,
    object_type: str | None = None,
    object_id: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[AuditEvent]:
    """Events matching every filter given, newest first; none at all unless the user may read the log.

    `actor` matches part of the email address recorded with the event (or the account id when it is a
    number); `date_from` and `date_to` are inclusive days in the service's time zone.
    """
    if not has_permission(user, "audit.view"):
        return AuditEvent.objects.none()
    events = AuditEvent.objects.all()
    if event_type:
        events = events.filter(event_type=event_type)
    if actor:
        actor = actor.strip()
        events = (
            events.filter(actor_id=int(actor))
            if actor.isdigit()
            else events.filter(actor_email__icontains=actor)
        )
    if object_type:
        events = events.filter(object_type__iexact=object_type.strip())
    if object_id:
        events = events.filter(object_id=str(object_id).strip())
    if date_from:
        events = events.filter(occurred_at__date__gte=date_from)
    if date_to:
        events = events.filter(occurred_at__date__lte=date_to)
    return events.order_by("-occurred_at", "-id")
