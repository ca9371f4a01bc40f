"""Writing to the append-only event log, with the request's address and id when there is one."""

from __future__ import annotations

import contextvars
from typing import Any

from django.db import models

from joinedup.core.models import AuditEvent

current_request: contextvars.ContextVar[Any] = contextvars.ContextVar("joinedup_request", default=None)


def client_ip(request: Any) -> str | None:
    """The client's address (behind trusted proxies, the one they saw: see core.throttling)."""
    from joinedup.core.throttling import client_address

    return client_address(request)


def record_event(
    event_type: str,
    *,
    actor: Any = None,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    object_repr: str = "",
    detail: dict[str, Any] | None = None,
    request: Any = None,
) -> AuditEvent:
    request = request if request is not None else current_request.get()
    if actor is None and request is not None:
        actor = getattr(request, "user", None)
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:200]
    return AuditEvent.objects.create(
        event_type=event_type,
        actor_id=actor.pk if authenticated else None,
        actor_email=actor.email if authenticated else (detail or {}).get("email", ""),
        actor_role=getattr(actor, "role", "") if authenticated else "",
        object_type=object_type,
        object_id=str(object_id),
        object_repr=object_repr[:200],
        ip_address=client_ip(request),
        request_id=getattr(request, "request_id", "") if request is not None else "",
        path=(request.path[:500] if request is not None else ""),
        detail=detail or {},
    )
