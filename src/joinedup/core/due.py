"""What is due, across apps: each app registers a small provider in its own `due.py` (the registry sits
in core so that apps and the work queue both depend on core, not on each other; docs/adr/0025).

A provider is `provider(user, *, today, now, horizon) -> list[DueItem]`: the items that `user` may see and
is responsible for, due by `today + horizon` (overdue ones too), read through that app's own restricted
selectors. Items carry a title, a reason, a due date and a link, never a victim's personal data: a case
appears by its reference only (docs/adr/0020).
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

log = logging.getLogger("joinedup.workqueue")

DEFAULT_HORIZON = datetime.timedelta(days=14)


@dataclass(frozen=True)
class DueItem:
    kind: str  # the provider's key, e.g. "casework.risk_assessment"
    kind_label: str  # plural label for counts, e.g. "Risk assessments"
    title: str  # no personal data: a reference or a record's name
    why: str  # why it is on this person's list
    due: datetime.date
    url: str
    urgent: bool = False  # due within 24 hours (or a high-risk case)
    overdue: bool = False
    uid: str = field(default="")  # stable identity for calendars and reminders, e.g. "case-12-risk"


Provider = Callable[..., list[DueItem]]


@dataclass(frozen=True)
class Registration:
    kind: str
    label: str
    provider: Provider


_REGISTRY: dict[str, Registration] = {}


def register(kind: str, label: str) -> Callable[[Provider], Provider]:
    """Decorator: `@register("csp.duty", "CSP duties")` on a provider function in `<app>/due.py`."""

    def decorate(provider: Provider) -> Provider:
        _REGISTRY[kind] = Registration(kind, label, provider)
        return provider

    return decorate


def registrations() -> list[Registration]:
    return list(_REGISTRY.values())


def due_items(
    user: Any,
    *,
    today: datetime.date | None = None,
    now: datetime.datetime | None = None,
    horizon: datetime.timedelta = DEFAULT_HORIZON,
) -> list[DueItem]:
    """Everything due for `user` by `today + horizon` and everything overdue, most urgent first."""
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "role", ""):
        return []
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    items: list[DueItem] = []
    for registration in _REGISTRY.values():
        items.extend(registration.provider(user, today=today, now=now, horizon=horizon))
    return sorted(items, key=lambda i: (not i.urgent, i.due, i.kind, i.title))


def counts_by_kind(items: list[DueItem]) -> list[dict[str, Any]]:
    """Per kind: its label, how many, how many overdue (every registered kind, zeros included)."""
    labels = {r.kind: r.label for r in registrations()}
    labels.update({item.kind: item.kind_label for item in items if item.kind not in labels})
    count: dict[str, int] = dict.fromkeys(labels, 0)
    overdue: dict[str, int] = dict.fromkeys(labels, 0)
    for item in items:
        count[item.kind] += 1
        overdue[item.kind] += int(item.overdue)
    rows = [{"kind": k, "label": labels[k], "count": count[k], "overdue": overdue[k]} for k in labels]
    return sorted(rows, key=lambda r: str(r["label"]))


@dataclass
class YourWork:
    items: list[DueItem]
    counts: list[dict[str, Any]]
    urgent: list[DueItem]
    overdue: int
    today: datetime.date


def your_work(*, user: Any, now: datetime.datetime | None = None) -> YourWork:
    now = now or timezone.now()
    today = timezone.localdate(now)
    items = due_items(user, today=today, now=now)
    return YourWork(
        items=items,
        counts=counts_by_kind(items),
        urgent=[item for item in items if item.urgent],
        overdue=sum(1 for item in items if item.overdue),
        today=today,
    )
