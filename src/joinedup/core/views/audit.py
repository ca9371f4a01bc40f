"""The audit event log: search it, page through it, download it."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from joinedup.core.exports import csv_response
from joinedup.core.forms_people import AuditFilterForm
from joinedup.core.models import EventType
from joinedup.core.permissions import has_permission
from joinedup.core.roles import Role
from joinedup.core.selectors.audit import search_events
from joinedup.core.views.base import staff_view

PAGE_SIZE = 50
EVENT_LABELS = dict(EventType.choices)
ROLE_LABELS = dict(Role.choices)


@staff_view("audit.view")
def audit_event_list(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    events = search_events(user=request.user, **form.filters())
    if form.is_bound and not form.is_valid():
        events = events.none()
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "core/audit/list.html",
        {
            "filter_form": form,
            "page_obj": page,
            "count": page.paginator.count,
            "event_labels": EVENT_LABELS,
            "role_labels": ROLE_LABELS,
            "can_export": has_permission(request.user, "audit.export"),
        },
    )


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
