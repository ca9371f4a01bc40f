"""Rows for the shared list test (core/tests/test_lists.py) of the engagement app's declared lists."""

from __future__ import annotations

import datetime
import itertools

from django.urls import reverse
from django.utils import timezone

from joinedup.core.lists.testing import ListSample, sample
from joinedup.core.roles import Role
from joinedup.core.tests.factories import OrganisationFactory, UserFactory, area_tree
from joinedup.engagement.models import Consultation, NeighbourhoodMeeting, Response

FORMULA = '=HYPERLINK("x","y")'
_numbers = itertools.count(1)


@sample("engagement-consultations")
def consultations(rows: int) -> ListSample:
    areas = area_tree()
    user = UserFactory(role=Role.OPCC_OFFICER, areas=[areas["pfa"]])
    organisation = OrganisationFactory()
    today = datetime.date.today()

    def make(title: str, area: str = "north") -> None:
        n = next(_numbers)
        Consultation.objects.create(
            title=title,
            summary="Tell us.",
            area=areas[area],
            organisation=organisation,
            opens_on=today - datetime.timedelta(days=n % 30),
            closes_on=today + datetime.timedelta(days=n % 40),
        )

    def add(n: int) -> None:
        for _ in range(n):
            make(f"Survey {next(_numbers)}")

    make("South Testshire priorities", "south")
    make(FORMULA)
    add(rows - 2)
    return ListSample(reverse("engagement:list"), user, rows, {"area": "E22000902"}, 1, FORMULA, add)


@sample("engagement-meetings")
def meetings(rows: int) -> ListSample:
    areas = area_tree()
    user = UserFactory(role=Role.OPCC_OFFICER, areas=[areas["pfa"]])
    organisation = OrganisationFactory()
    today = datetime.date.today()

    def make(title: str, area: str = "north") -> None:
        n = next(_numbers)
        NeighbourhoodMeeting.objects.create(
            title=title,
            area=areas[area],
            organisation=organisation,
            held_on=today - datetime.timedelta(days=n % 60),
            place="The library",
            voting_closes_on=today + datetime.timedelta(days=7),
        )

    def add(n: int) -> None:
        for _ in range(n):
            make(f"Meeting {next(_numbers)}")

    make("Southtown meeting", "south")
    make(FORMULA)
    add(rows - 2)
    return ListSample(reverse("engagement:meeting-list"), user, rows, {"area": "E22000902"}, 1, FORMULA, add)


@sample("engagement-contacts")
def contacts(rows: int) -> ListSample:
    """Respondents to one consultation who agreed to be contacted; one who did not, and one to another
    consultation, are left out. Name, email and time of response each order the rows differently."""
    areas = area_tree()
    user = UserFactory(role=Role.OPCC_OFFICER, areas=[areas["pfa"]])
    organisation = OrganisationFactory()
    today = datetime.date.today()

    def consultation(title: str) -> Consultation:
        return Consultation.objects.create(
            title=title,
            summary="Tell us.",
            area=areas["north"],
            organisation=organisation,
            opens_on=today,
            closes_on=today + datetime.timedelta(days=30),
        )

    chosen, other = consultation("Priorities"), consultation("Another")
    names = itertools.cycle(["Cam", "Ali", "Bo"])
    domains = itertools.cycle(["b.example", "c.example", "a.example"])

    def make(name: str, *, to: Consultation = chosen, consent: bool = True) -> None:
        n = next(_numbers)
        Response.objects.create(
            consultation=to,
            submitted_at=timezone.now() - datetime.timedelta(hours=n),
            contact_consent=consent,
            contact_name=name,
            contact_email=f"{name.lower()}{n}@{next(domains)}",
        )

    def add(n: int) -> None:
        for _ in range(n):
            make(f"{next(names)} {next(_numbers)}")

    make("Sam Resident")
    make(FORMULA)
    make("Pat Quiet", consent=False)
    make("Sam Elsewhere", to=other)
    add(rows - 2)
    url = reverse("engagement:contacts", args=[chosen.pk])
    return ListSample(url, user, rows, {"q": "Sam"}, 1, FORMULA, add)


@sample("engagement-public-meetings")
def public_meetings(rows: int) -> ListSample:
    """Published meetings, one still open for votes; an unpublished one is left out. Title, area and date
    each order the rows differently."""
    areas = area_tree()
    organisation = OrganisationFactory()
    today = datetime.date.today()
    places = itertools.cycle(["south", "north"])

    def make(title: str, area: str = "north", *, voting_days: int = -1, published: bool = True) -> None:
        n = next(_numbers)
        NeighbourhoodMeeting.objects.create(
            title=title,
            area=areas[area],
            organisation=organisation,
            held_on=today - datetime.timedelta(days=n % 60 + 10),
            place="The library",
            voting_closes_on=today + datetime.timedelta(days=voting_days),
            published=published,
        )

    def add(n: int) -> None:
        for _ in range(n):
            make(f"Meeting {next(_numbers)}", next(places))

    make("Southtown meeting", "south", voting_days=7)
    make(FORMULA)
    make("Not yet published", voting_days=7, published=False)
    add(rows - 2)
    url = reverse("public-engagement:meetings")
    return ListSample(url, None, rows, {"voting": "on"}, 1, FORMULA, add)
