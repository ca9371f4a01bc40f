"""The audit event log: the page (declared in core.staff_lists: filters, sort, paging, CSV/XLSX/JSON) and
the older CSV download."""

from __future__ import annotations

from django.http import HttpRequest, StreamingHttpResponse
from django.utils import timezone

from joinedup.core.exports import csv_response
from joinedup.core.forms_people import AuditFilterForm
from joinedup.core.lists import list_view
from joinedup.core.models import EventType
from joinedup.core.selectors.audit import search_events
from joinedup.core.staff_lists import AUDIT_EVENTS, ROLE_LABELS
from joinedup.core.views.base import staff_view

EVENT_LABELS = dict(EventType.choices)


audit_event_list = list_view(AUDIT_EVENTS)


@staff_view("audit.export")
def audit_event_export(request: HttpRequest) -> StreamingHttpResponse:
    form = AuditFilterForm(request.GET or None)
    filters = form.filters()
    events = search_events(user=request.user, **filters)
    header = [
        "id",
        "when",
        "event",
        "event code",
        "who",
        "account id",
        "role",
        "record type",
        "record id",
        "record",
        "address",
        "request id",
        "path",
        "detail",
    ]
    rows = (
        [
            event.pk,
            timezone.localtime(event.occurred_at).isoformat(timespec="seconds"),
            EVENT_LABELS.get(event.event_type, event.event_type),
            event.event_type,
            event.actor_email,
            event.actor_id or "",
            ROLE_LABELS.get(event.actor_role, event.actor_role),
            event.object_type,
            event.object_id,
            event.object_repr,
            event.ip_address or "",
            event.request_id,
            event.path,
            event.detail or "",
        ]
        for event in events.iterator(chunk_size=1000)
    )
    # A StreamingHttpResponse; staff_view's View alias only names HttpResponse.
    return csv_response(
        request,
        name="audit-events",
        header=header,
        rows=rows,
        object_type="core.auditevent",
        filters={key: str(value) for key, value in filters.items()},
    )
