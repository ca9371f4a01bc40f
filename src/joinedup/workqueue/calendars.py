"""iCalendar feeds (RFC 5545, with the icalendar library): a person's due dates, their force area's CSP
duties, and the Police and Crime Panel's meetings. Titles and links only: no personal data."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.utils import timezone
from icalendar import Calendar, Event

from joinedup.core.due import due_items
from joinedup.core.models import User
from joinedup.core.models.tokens import hash_token
from joinedup.core.site import site_url

FEED_HORIZON = datetime.timedelta(days=180)


def user_for_token(raw: str) -> User | None:
    from joinedup.notifications.models import NotificationPreference

    if not raw or len(raw) > 100:
        return None
    found = (
        NotificationPreference.objects.filter(calendar_token=hash_token(raw), user__is_active=True)
        .select_related("user")
        .first()
    )
    return found.user if found is not None else None


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//Joined Up//Due dates//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    return calendar


def _event(*, uid: str, day: datetime.date, summary: str, description: str, url: str) -> Event:
    site = site_url()
    event = Event()
    event.add("uid", f"{uid}@joinedup")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", day)
    event.add("dtend", day + datetime.timedelta(days=1))
    event.add("summary", summary)
    event.add("description", f"{description}\n{site}{url}" if description else f"{site}{url}")
    event.add("url", f"{site}{url}")
    return event


def _to_bytes(calendar: Calendar, events: Iterable[Event]) -> bytes:
    for event in events:
        calendar.add_component(event)
    return bytes(calendar.to_ical())


def due_dates_feed(user: User) -> bytes:
    items = due_items(user, horizon=FEED_HORIZON)
    return _to_bytes(
        _calendar("Joined Up: your due dates"),
        (
            _event(
                uid=item.uid or f"{item.kind}-{item.url}",
                day=item.due,
                summary=item.title,
                description=item.why,
                url=item.url,
            )
            for item in items
        ),
    )


def csp_duties_feed(user: Any) -> bytes:
    from django.urls import reverse

    from joinedup.core.permissions import has_permission
    from joinedup.csp.models import DutyRecord

    records: Any = (
        DutyRecord.objects.restrict(user, "csp.view").select_related("csp").order_by("due_date")
        if has_permission(user, "csp.view")
        else []
    )
    return _to_bytes(
        _calendar("Joined Up: CSP duties"),
        (
            _event(
                uid=f"csp-duty-{r.pk}",
                day=r.due_date,
                summary=f"{r.get_duty_display()} ({r.csp.name})",
                description=r.get_status_display(),
                url=reverse("csp:duty-detail", args=[r.pk]),
            )
            for r in records
        ),
    )


def panel_meetings_feed(user: Any) -> bytes:
    from django.urls import reverse

    from joinedup.scrutiny.selectors import panel_meetings_for

    meetings = panel_meetings_for(user)
    return _to_bytes(
        _calendar("Joined Up: Police and Crime Panel meetings"),
        (
            _event(
                uid=f"panel-meeting-{m.pk}",
                day=m.held_on,
                summary=m.title,
                description=m.get_kind_display(),
                url=reverse("scrutiny:panel-workspace"),
            )
            for m in meetings
        ),
    )
