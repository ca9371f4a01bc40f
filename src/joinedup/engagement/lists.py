"""The engagement app's lists declared once (core/lists, ADR 0024): consultations, the people who agreed to
be contacted about one (personal data: read through the audited, restricted selector) and neighbourhood
meetings."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.translation import gettext, gettext_lazy, ngettext

from joinedup.core.lists import CheckboxFilter, Column, ListDeclaration, register

from . import selectors
from .models import Consultation, NeighbourhoodMeeting, Response


class ConsultationFilter(django_filters.FilterSet):
    title = django_filters.CharFilter(lookup_expr="icontains", label="Title")
    area = django_filters.CharFilter(field_name="area__code", lookup_expr="iexact", label="Area (ONS code)")
    published = django_filters.BooleanFilter(
        label="On the public site", widget=django_filters.widgets.BooleanWidget
    )

    class Meta:
        model = Consultation
        fields = ["title", "area", "published"]


def _consultations(request: HttpRequest) -> QuerySet[Consultation]:
    return selectors.consultations(request.user)


CONSULTATIONS = register(
    ListDeclaration(
        name="engagement-consultations",
        title="Consultations and surveys",
        rows=_consultations,
        permission="engagement.view",
        object_type="engagement.consultation",
        noun=("consultation", "consultations"),
        filterset=ConsultationFilter,
        export_name="consultations",
        template="engagement/list.html",
        empty="No consultations yet.",
        may={"can_create": "engagement.manage"},
        columns=(
            Column(
                "title",
                "Title",
                "title",
                sort="title",
                link=lambda c: reverse("engagement:detail", args=[c.pk]),
            ),
            Column("area", "For", "area.name", sort="area__name"),
            Column("area_code", "Area code", "area.code", kind="code", table=False),
            Column("opens_on", "Opens", "opens_on", sort="opens_on", kind="date"),
            Column("closes_on", "Closes", "closes_on", sort="closes_on", kind="date"),
            Column("state", "State", "state"),
            Column("responses", "Responses", "response_count", sort="response_count", kind="number"),
        ),
    )
)


class MeetingFilter(django_filters.FilterSet):
    title = django_filters.CharFilter(lookup_expr="icontains", label="Title")
    area = django_filters.CharFilter(field_name="area__code", lookup_expr="iexact", label="Area (ONS code)")

    class Meta:
        model = NeighbourhoodMeeting
        fields = ["title", "area"]


def _meetings(request: HttpRequest) -> QuerySet[NeighbourhoodMeeting]:
    from . import meetings

    return meetings.meetings(request.user, with_priority_counts=True)


MEETINGS = register(
    ListDeclaration(
        name="engagement-meetings",
        title="Neighbourhood meetings",
        rows=_meetings,
        permission="engagement.view",
        object_type="engagement.neighbourhoodmeeting",
        noun=("meeting", "meetings"),
        filterset=MeetingFilter,
        export_name="neighbourhood-meetings",
        template="engagement/meeting_list.html",
        empty="No meetings yet.",
        may={"can_create": "engagement.manage"},
        columns=(
            Column(
                "title",
                "Meeting",
                "title",
                sort="title",
                link=lambda m: reverse("engagement:meeting-detail", args=[m.pk]),
            ),
            Column("area", "Area", "area.name", sort="area__name"),
            Column("area_code", "Area code", "area.code", kind="code", table=False),
            Column("held_on", "Date", "held_on", sort="held_on", kind="date"),
            Column("place", "Where", "place"),
            Column("priorities", "Priorities", "priority_count", kind="number"),
            Column("published", "Public", "published"),
        ),
    )
)


# --- neighbourhood meetings on the public site ------------------------------------------------------------


class PublicMeetingFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=gettext_lazy("Meeting or area"))
    voting = CheckboxFilter(method="voting_open", label=gettext_lazy("Voting open now"))

    class Meta:
        model = NeighbourhoodMeeting
        fields = ["q", "voting"]

    def search(self, queryset: QuerySet[NeighbourhoodMeeting], name: str, value: str) -> Any:
        return queryset.filter(Q(title__icontains=value) | Q(area__name__icontains=value))

    def voting_open(self, queryset: QuerySet[NeighbourhoodMeeting], name: str, value: bool) -> Any:
        return queryset.filter(voting_closes_on__gte=timezone.localdate()) if value else queryset


def _voting(meeting: NeighbourhoodMeeting) -> str:
    if not meeting.voting_open():
        return ""
    return gettext("Open until %(date)s") % {"date": dateformat.format(meeting.voting_closes_on, "j F Y")}


PUBLIC_MEETINGS = register(
    ListDeclaration(
        name="engagement-public-meetings",
        title=gettext_lazy("Neighbourhood meetings"),
        rows=lambda request: selectors.public_meetings(),
        permission=None,
        layout="layouts/public.html",
        object_type="engagement.neighbourhoodmeeting",
        noun=("meeting", gettext_lazy("meetings")),
        counted=lambda n: ngettext("meeting", "meetings", n),
        filterset=PublicMeetingFilter,
        export_name="neighbourhood-meetings",
        template="engagement/public_meetings.html",
        caption=gettext_lazy("Published neighbourhood meetings"),
        empty=gettext_lazy("No meetings have been published yet."),
        columns=(
            Column(
                "title",
                gettext_lazy("Meeting"),
                "title",
                sort="title",
                link=lambda m: reverse("public-engagement:meeting", args=[m.pk]),
            ),
            Column("area", gettext_lazy("Area"), "area.name", sort="area__name"),
            Column("area_code", gettext_lazy("Area code"), "area.code", kind="code", table=False),
            Column("held_on", gettext_lazy("Date"), "held_on", sort="held_on", kind="date"),
            Column("voting", gettext_lazy("Online voting"), _voting),
        ),
    )
)


# --- the people who agreed to be contacted about a consultation (personal data) -------------------------


class ContactFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Name or email")

    class Meta:
        model = Response
        fields = ["q"]

    def search(self, queryset: QuerySet[Response], name: str, value: str) -> QuerySet[Response]:
        return queryset.filter(Q(contact_name__icontains=value) | Q(contact_email__icontains=value))


_MANAGED = "_engagement_managed_consultation"


def _managed(request: HttpRequest) -> Consultation:
    """The consultation in the page's address, if the person runs it (else not found): looked up once for
    the request, which needs it for the rows and again for the page (kept on the request)."""
    memo = vars(request)
    if _MANAGED not in memo:
        if request.resolver_match is None:
            raise Http404("Not found")
        pk = request.resolver_match.kwargs["pk"]
        memo[_MANAGED] = selectors.get_consultation(request.user, pk, "engagement.manage")
    consultation: Consultation = memo[_MANAGED]
    return consultation


def _contacts(request: HttpRequest) -> QuerySet[Response]:
    # The restricted selector checks `engagement.contacts.view` on the consultation and audits the read.
    return selectors.contacts(request.user, _managed(request), request)


def _contacts_context(request: HttpRequest) -> dict[str, Any]:
    return {"consultation": _managed(request)}


CONTACTS = register(
    ListDeclaration(
        name="engagement-contacts",
        title="People who agreed to be contacted",
        rows=_contacts,
        permission="engagement.contacts.view",
        object_type="engagement.response",
        noun=("person", "people"),
        filterset=ContactFilter,
        default_sort="responded",
        export_name="consultation-contacts",
        template="engagement/contacts.html",
        caption="Names and email addresses",
        empty="Nobody has asked to be contacted.",
        context=_contacts_context,
        columns=(
            Column("name", "Name", "contact_name", sort="contact_name"),
            Column("email", "Email", "contact_email", sort="contact_email"),
            Column(
                "responded",
                "Responded",
                "submitted_at",
                sort="submitted_at",
                kind="date",
                date_format="j M Y",
            ),
        ),
    )
)
