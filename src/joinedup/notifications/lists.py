"""The notifications app's lists declared once (core/lists, ADR 0024): a person's own notifications."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import dateformat, timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from joinedup.core.lists import Column, ListDeclaration, register

from .models import Notification


def _mine(request: HttpRequest) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient_id=request.user.pk)


class NotificationFilter(django_filters.FilterSet):
    unread = django_filters.BooleanFilter(
        field_name="read_at",
        lookup_expr="isnull",
        label="Status",
        widget=django_filters.widgets.BooleanWidget,
    )
    title = django_filters.CharFilter(lookup_expr="icontains", label="Title")

    class Meta:
        model = Notification
        fields = ["title"]


def _title(n: Notification) -> SafeString:
    if n.url:
        return format_html('<a class="govuk-link" href="{}">{}</a>', n.url, n.title)
    return format_html("{}", n.title)


def _status(n: Notification) -> SafeString:
    if n.read_at:
        return format_html("{}", "Read")
    return mark_safe('<strong class="govuk-tag govuk-tag--blue">Unread</strong>')


def _context(request: HttpRequest) -> dict[str, Any]:
    return {"unread": _mine(request).filter(read_at__isnull=True).count()}


NOTIFICATIONS = register(
    ListDeclaration(
        name="notifications",
        title="Notifications",
        rows=_mine,
        permission="notifications.view",
        object_type="notifications.notification",
        noun=("notification", "notifications"),
        filterset=NotificationFilter,
        export_name="notifications",
        template="notifications/list.html",
        caption="Newest first",
        empty="You have no notifications.",
        context=_context,
        columns=(
            Column("title", "Notification", "title", sort="title", html=_title),
            Column(
                "when",
                "When",
                "created_at",
                sort="created_at",
                kind="date",
                html=lambda n: format_html(
                    "{}", dateformat.format(timezone.localtime(n.created_at), "j M Y H:i")
                ),
            ),
            Column("status", "Status", lambda n: "Read" if n.read_at else "Unread", html=_status),
            Column("link", "Link", "url", table=False),
        ),
    )
)
