"""Rows for the shared list test (core/tests/test_lists.py) of the engagement app's declared lists."""

from __future__ import annotations

import datetime
import itertools

from django.urls import reverse

from joinedup.core.lists.testing import ListSample, sample
from joinedup.core.roles import Role
from joinedup.core.tests.factories import OrganisationFactory, UserFactory, area_tree
from joinedup.engagement.models import Consultation, NeighbourhoodMeeting

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
