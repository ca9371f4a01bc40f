"""The staff home page and the roles page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from joinedup.core.models import Area, AuditEvent, Organisation, User
from joinedup.core.permissions import actions_for_role, has_permission
from joinedup.core.roles import ROLE_DESCRIPTIONS, Role
from joinedup.core.views.base import staff_view


@staff_view("dashboard.view")
def dashboard(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    cards = []
    if has_permission(user, "organisations.view"):
        cards.append(
            {
                "label": "Organisations",
                "url": reverse("staff:organisation-list"),
                "unit": "in the directory",
                "count": Organisation.objects.restrict(user, "organisations.view").count(),
            }
        )
    if has_permission(user, "areas.view"):
        cards.append(
            {
                "label": "Areas",
                "url": reverse("staff:area-list") + "?level=csp",
                "unit": "community safety partnerships in your force area",
                "count": _csps_in_force_area(user),
            }
        )
    if has_permission(user, "people.view"):
        cards.append(
            {
                "label": "People",
                "url": reverse("staff:person-list"),
                "unit": "active staff accounts",
                "count": User.objects.filter(is_active=True).count(),
            }
        )
    if has_permission(user, "audit.view"):
        cards.append(
            {
                "label": "Audit log",
                "url": reverse("staff:audit-event-list"),
                "unit": "events recorded",
                "count": AuditEvent.objects.count(),
            }
        )
    from joinedup.workqueue.selectors import your_work

    return render(
        request,
        "core/dashboard.html",
        {
            "cards": cards,
            "role_description": ROLE_DESCRIPTIONS.get(user.role, ""),
            "work": your_work(user=user),
        },
    )


def _csps_in_force_area(user: Any) -> int:
    """CSPs in the person's force area(s); auditors read everywhere."""
    from joinedup.csp.rules import force_area_ids

    csps = Area.objects.filter(level="csp")
    if user.role != Role.AUDITOR:
        csps = csps.filter(pfa__in=force_area_ids(user))
    return csps.count()


@staff_view("roles.view")
def role_list(request: HttpRequest) -> HttpResponse:
    roles = [
        {
            "value": role.value,
            "label": role.label,
            "description": ROLE_DESCRIPTIONS[role],
            "rules": actions_for_role(role.value),
        }
        for role in Role
    ]
    return render(request, "core/roles.html", {"roles": roles})
