"""The staff home page and the roles page."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from joinedup.core.due import HOME_LIMIT, your_work
from joinedup.core.models import Area, Organisation, User
from joinedup.core.permissions import actions_for_role, has_permission
from joinedup.core.roles import ROLE_DESCRIPTIONS, Role
from joinedup.core.selectors.audit import search_events
from joinedup.core.views.base import staff_view

# Links to a role's own work that apps add to the dashboard: (label, url name, action).
DASHBOARD_LINKS: list[tuple[str, str, str]] = []


def register_dashboard_link(label: str, url_name: str, action: str) -> None:
    if (label, url_name, action) not in DASHBOARD_LINKS:
        DASHBOARD_LINKS.append((label, url_name, action))


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
        cards.append(_csp_card(user))
    if has_permission(user, "people.view"):
        cards.append(
            {
                "label": "People",
                "url": reverse("staff:person-list"),
                "unit": "active staff accounts",
                "count": User.objects.restrict(user, "people.view").filter(is_active=True).count(),
            }
        )
    if has_permission(user, "audit.view"):
        cards.append(
            {
                "label": "Audit log",
                "url": reverse("staff:audit-event-list"),
                "unit": "events recorded",
                "count": search_events(user=user).count(),
            }
        )
    return render(
        request,
        "core/dashboard.html",
        {
            "cards": cards,
            "role_description": ROLE_DESCRIPTIONS.get(user.role, ""),
            "your_pages": [
                {"label": label, "url": reverse(url_name)}
                for label, url_name, action in DASHBOARD_LINKS
                if has_permission(user, action)
            ],
            "work": your_work(user=user, limit=HOME_LIMIT),
        },
    )


def _csp_card(user: Any) -> dict[str, Any]:
    """The CSPs of the user's force area (the country's only for someone who works for none)."""
    force_areas = Area.objects.filter(
        Q(level="pfa", staff=user) | Q(pk__in=user.areas.exclude(pfa=None).values("pfa"))
    ).order_by("name")
    csps = Area.objects.filter(level="csp")
    url = reverse("staff:area-list") + "?level=csp"
    unit = "community safety partnerships in England and Wales"
    if force_areas:
        csps = csps.filter(pfa__in=force_areas)
        if len(force_areas) == 1:
            url += f"&parent={force_areas[0].code}"
            unit = f"community safety partnerships in {force_areas[0].name}"
        else:
            unit = "community safety partnerships in your force areas"
    return {"label": "Areas", "url": url, "unit": unit, "count": csps.count()}


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
