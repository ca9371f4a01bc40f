"""Template context every page needs: the service name and the staff navigation for this user.

The staff navigation is grouped: the top bar has one item per group (its first entry the user may open),
and a page in a group with more than one entry the user may open shows them as a second row. So the
OPCC administrator's menu is one row of a few groups instead of a dozen items wrapping onto three rows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from joinedup.core.permissions import has_permission

# Groups in the order the top bar shows them; an entry with no group is a top-level item of its own.
GROUPS = (
    "Directory",
    "Partnerships",
    "Crime insight",
    "Funding",
    "CSPs and Panel",
    "Casework",
)


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    action: str
    group: str | None = None
    # An extra test beyond the rule (for example: only people assigned to score see "Grant scoring").
    show: Callable[[Any], bool] | None = None


STAFF_NAVIGATION: list[NavEntry] = [
    NavEntry("Dashboard", "staff:dashboard", "dashboard.view"),
    NavEntry("Organisations", "staff:organisation-list", "organisations.view", "Directory"),
    NavEntry("Areas", "staff:area-list", "areas.view", "Directory"),
    NavEntry("People", "staff:person-list", "people.view", "Directory"),
    NavEntry("Audit log", "staff:audit-event-list", "audit.view", "Directory"),
]


def register_navigation(
    label: str,
    url_name: str,
    action: str,
    *,
    position: int | None = None,
    group: str | None = None,
    show: Callable[[Any], bool] | None = None,
) -> None:
    """Apps add their own entries to the staff navigation (in a group, or as a top-level item)."""
    entry = NavEntry(label, url_name, action, group, show)
    if any(e.label == label and e.url_name == url_name for e in STAFF_NAVIGATION):
        return
    STAFF_NAVIGATION.insert(len(STAFF_NAVIGATION) if position is None else position, entry)


def _allowed(user: Any) -> list[dict[str, Any]]:
    items = []
    for entry in STAFF_NAVIGATION:
        if not has_permission(user, entry.action) or (entry.show is not None and not entry.show(user)):
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        items.append({"label": entry.label, "url": url, "group": entry.group, "active": False})
    return items


def _matches(path: str, url: str, dashboard: str) -> bool:
    return path == url if url == dashboard else path.startswith(url)


def service(request: HttpRequest) -> dict[str, Any]:
    context: dict[str, Any] = {"service_name": "Joined Up"}
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not request.path.startswith("/staff/"):
        return context
    items = _allowed(user)
    # The current entry is the most specific one whose address the page's starts with (the dashboard's only
    # on the dashboard itself): one at most, so /staff/casework/kpis/ is "Casework KPIs" and not "Cases".
    dashboard = reverse("staff:dashboard")
    matching = [item for item in items if _matches(request.path, item["url"], dashboard)]
    current = max(matching, key=lambda item: len(item["url"])) if matching else None
    if current is not None:
        current["active"] = True

    top: list[dict[str, Any]] = []
    by_group: dict[str, list[dict[str, Any]]] = {}
    for item in items:
        group = item["group"]
        if group is None:
            top.append(item)
            continue
        if group not in by_group:
            by_group[group] = []
            top.append(
                {"label": group, "url": item["url"], "group": group, "active": False, "is_group": True}
            )
        by_group[group].append(item)
    for entry in top:
        if entry.get("is_group"):
            children = by_group[entry["label"]]
            if len(children) == 1:
                # A group of one is just that entry (a Panel member's "Funding" is the spend reports).
                entry.update(label=children[0]["label"], active=children[0]["active"], is_group=False)
            else:
                entry["active"] = any(child["active"] for child in children)
    order = {name: index for index, name in enumerate(GROUPS)}
    top.sort(key=lambda entry: -1 if entry["group"] is None else order.get(entry["group"], len(GROUPS)))
    context["staff_navigation"] = top
    if current is not None and current["group"] and len(by_group.get(current["group"], [])) > 1:
        context["staff_subnavigation"] = {"label": current["group"], "items": by_group[current["group"]]}
    context["worker_warning"] = _worker_warning(request)
    return context


def _worker_warning(request: HttpRequest) -> str:
    from django.db import DatabaseError

    from joinedup.core.selectors.work import worker_warning

    try:
        return worker_warning(import_page="/import" in request.path)
    except DatabaseError:  # e.g. the tasks table not migrated yet: no warning rather than no page
        return ""
