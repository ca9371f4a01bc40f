"""Rows for the shared list test (core/tests/test_lists.py) of the casework app's declared lists."""

from __future__ import annotations

import datetime
import itertools

from django.urls import reverse

from joinedup.casework.models import TaskingMeeting
from joinedup.core.lists.testing import ListSample, sample
from joinedup.core.roles import Role
from joinedup.core.tests.factories import UserFactory, area_tree
from joinedup.partnerships.tests.factories import make_organisation

FORMULA = '=HYPERLINK("x","y")'
_days = itertools.count(1)


@sample("casework-tasking-meetings")
def meetings(rows: int) -> ListSample:
    areas = area_tree()
    user = UserFactory(role=Role.OPCC_OFFICER, areas=[areas["pfa"]])
    police = make_organisation(name="Testshire Police", sector="police")

    def make(csp: str, attendee: str, chair: str = "") -> None:
        meeting = TaskingMeeting.objects.create(
            held_on=datetime.date(2026, 1, 1) + datetime.timedelta(days=next(_days)),
            area=areas[csp],
            chair=chair,
        )
        meeting.attendees.create(name=attendee, organisation=police)
        meeting.attendees.create(name="Another officer", organisation=police)

    def add(n: int) -> None:
        for i in range(n):
            make("north", f"Officer {i}")

    make("south", "PC Smith")
    make("north", "PC Jones", chair=FORMULA)
    add(rows - 2)
    return ListSample(reverse("casework:meeting-list"), user, rows, {"area": "E22000902"}, 1, FORMULA, add)
