"""Searching the append-only event log (pages, API and CLI all read it through here)."""

from __future__ import annotations

from datetime import date
from typing import Any, TypedDict, Unpack

from django.db.models import QuerySet

from joinedup.core.models import AuditEvent, User
from joinedup.core.permissions import has_permission, in_force

# The log is append-only, so events keep the record type they were written with. When a model is renamed,
# its old and new labels name the same records: a search for either finds both (docs/adr/0042).
RENAMED_OBJECT_TYPES: dict[str, str] = {
    "insight.strategicassessment": "insight.savedassessment",
    # The Police and Crime Panel's records moved from csp to scrutiny (same tables, same ids).
    **{
        f"csp.{model}": f"scrutiny.{model}"
        for model in (
            "panelrecommendation",
            "panelcomment",
            "panelmember",
            "workprogrammeitem",
            "panelmeeting",
        )
    },
}


def object_type_labels(object_type: str) -> set[str]:
    """Every label the records of `object_type` have been logged under (lower case, as the log writes)."""
    label = object_type.strip().lower()
    new = RENAMED_OBJECT_TYPES.get(label, label)
    return {new} | {old for old, renamed in RENAMED_OBJECT_TYPES.items() if renamed == new}


class EventFilters(TypedDict, total=False):
    """The event log's filters, each optional (`filter_events` says what each matches)."""

    event_type: str | None
    actor: str | None
    object_type: str | None
    object_id: str | None
    date_from: date | None
    date_to: date | None


def search_events(*, user: Any, **filters: Unpack[EventFilters]) -> QuerySet[AuditEvent]:
    """Events matching every filter given (see `filter_events`), newest first; none at all unless the user
    may read the log.

    Scoped to the reader's force areas like every other record (docs/adr/0028): the events of the people
    of another force are left out. Those of the people who work in the reader's force, of people with no
    area (who belong to no force), of accounts since deleted, and with no person at all (the public's and
    the service's own) are shown."""
    if not has_permission(user, "audit.view"):
        return AuditEvent.objects.none()
    outside = User.objects.exclude(pk__in=in_force(user, User.objects.all()).values("pk")).values("pk")
    events = filter_events(AuditEvent.objects.exclude(actor_id__in=outside), **filters)
    return events.order_by("-occurred_at", "-id")


def filter_events(
    events: QuerySet[AuditEvent],
    *,
    event_type: str | None = None,
    actor: str | None = None,
    object_type: str | None = None,
    object_id: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[AuditEvent]:
    """The events (already restricted by `search_events`) that match every filter given.

    `actor` matches part of the email address recorded with the event (or the account id when it is a
    number); `date_from` and `date_to` are inclusive days in the service's time zone.
    """
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
        labels = object_type_labels(object_type)
        if len(labels) == 1:
            events = events.filter(object_type__iexact=object_type.strip())
        else:
            events = events.filter(object_type__in=labels)
    if object_id:
        events = events.filter(object_id=str(object_id).strip())
    if date_from:
        events = events.filter(occurred_at__date__gte=date_from)
    if date_to:
        events = events.filter(occurred_at__date__lte=date_to)
    return events
