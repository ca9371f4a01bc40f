"""Template context every page needs: the service name and the staff navigation for this user."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from joinedup.core.permissions import has_permission

# (label, url name, action, url names that count as "this section")
STAFF_NAVIGATION: list[tuple[str, str, str]] = [
    ("Dashboard", "staff:dashboard", "dashboard.view"),
    ("Organisations", "staff:organisation-list", "organisations.view"),
    ("Areas", "staff:area-list", "areas.view"),
    ("People", "staff:person-list", "people.view"),
    ("Audit log", "staff:audit-event-list", "audit.view"),
]


def register_navigation(label: str, url_name: str, action: str, *, position: int | None = None) -> None:
    """Apps add their own top-level sections to the staff navigation."""
    entry = (label, url_name, action)
    if entry not in STAFF_NAVIGATION:
        STAFF_NAVIGATION.insert(len(STAFF_NAVIGATION) if position is None else position, entry)


def service(request: HttpRequest) -> dict[str, Any]:
    context: dict[str, Any] = {"service_name": "Joined Up"}
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not request.path.startswith("/staff/"):
        return context
    items: list[dict[str, Any]] = []
    for label, url_name, action in STAFF_NAVIGATION:
        if not has_permission(user, action):
            continue
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        items.append({"label": label, "url": url, "active": False})
    # The current section is the most specific one whose address the page's starts with (the dashboard's
    # only on the dashboard itself): one item at most, so /staff/casework/kpis/ is "Casework KPIs" and
    # not "Cases" too.
    dashboard = reverse("staff:dashboard")
    matching = [
        item
        for item in items
        if (request.path == item["url"] if item["url"] == dashboard else request.path.startswith(item["url"]))
    ]
    if matching:
        max(matching, key=lambda item: len(item["url"]))["active"] = True
    context["staff_navigation"] = items
    context["worker_warning"] = _worker_warning(request)
    return context


def _worker_warning(request: HttpRequest) -> str:
    from django.db import DatabaseError

    from joinedup.core.selectors.work import worker_warning

    try:
        return worker_warning(import_page="/import" in request.path)
    except DatabaseError:  # e.g. the tasks table not migrated yet: no warning rather than no page
        return ""
