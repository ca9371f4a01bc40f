"""The list of daily tasking meetings, declared once (core/lists, ADR 0024), read through casework's
restricted selector."""

from __future__ import annotations

import django_filters
from django.urls import reverse
from django.utils import dateformat
from django.utils.html import format_html
from django.utils.safestring import SafeString

from joinedup.core.lists import Column, ListDeclaration, area_columns, csp_filter, register

from .. import selectors
from ..models import TaskingMeeting


class MeetingFilter(django_filters.FilterSet):
    area = csp_filter(label="Partnership", empty_label="Any partnership")
    held_after = django_filters.DateFilter(field_name="held_on", lookup_expr="gte", label="Held on or after")

    class Meta:
        model = TaskingMeeting
        fields = ["area", "held_after"]


def _held_on(meeting: TaskingMeeting) -> SafeString:
    return format_html(
        '<a class="govuk-link" href="{}">{}</a>',
        reverse("casework:meeting-detail", args=[meeting.pk]),
        dateformat.format(meeting.held_on, "l j F Y"),
    )


def _attendees(meeting: TaskingMeeting) -> str:
    return ", ".join(f"{a.name} ({a.organisation.name})" for a in meeting.attendees.all())


MEETINGS = register(
    ListDeclaration(
        name="casework-tasking-meetings",
        title="Tasking meetings",
        rows=lambda request: selectors.list_meetings(user=request.user),
        permission="casework.tasking.meetings",
        object_type="casework.taskingmeeting",
        noun=("meeting", "meetings"),
        filterset=MeetingFilter,
        export_name="tasking-meetings",
        template="casework/meeting_list.html",
        caption="Tasking meetings, newest first",
        empty="No meetings have been recorded yet.",
        columns=(
            Column("held", "Date", "held_on", sort="held_on", kind="date", html=_held_on),
            *area_columns("area", "Partnership"),
            Column("chair", "Chair", "chair", table=False),
            Column("attendees", "Attendees", _attendees),
        ),
    )
)
