"""The lists' shared area columns and CSP filter (core/lists/areas.py): a filter by CSP offers a signed-in
person only the CSPs of their force (docs/adr/0028), and everyone else every CSP."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from joinedup.casework.tasking.lists import MeetingFilter
from joinedup.core.lists import area_column, area_columns
from joinedup.core.tests.factories import UserFactory, area_tree
from joinedup.csp.lists import PublicDhrFilter


def test_area_columns_name_sorted_and_code_as_text_in_the_exports():
    name, code = area_columns("force_area", "Force area")
    assert (name.key, name.label, name.value, name.sort, name.table) == (
        "force_area",
        "Force area",
        "force_area.name",
        "force_area__name",
        True,
    )
    assert (code.key, code.label, code.value, code.kind, code.table, code.export) == (
        "force_area_code",
        "Force area code",
        "force_area.code",
        "code",
        False,
        True,
    )
    nested = area_column("csp", "CSP", "plan.csp")
    assert (nested.value, nested.sort) == ("plan.csp.name", "plan__csp__name")
    unsorted = area_column("csp", "CSP", sortable=False, table=False)
    assert (unsorted.sort, unsorted.table) == (None, False)


def _offered(filterset_class, user) -> set[str]:
    request = RequestFactory().get("/")
    request.user = user
    field = filterset_class(data={}, request=request).form.fields
    name = "area" if "area" in field else "csp"
    return {area.code for area in field[name].queryset}


@pytest.mark.django_db
def test_the_tasking_meetings_filter_offers_only_the_persons_force_csps():
    testshire, farshire = area_tree(), area_tree(force=8, name="Farshire")
    person = UserFactory(areas=[testshire["north_lad"]])
    own = {testshire["north"].code, testshire["south"].code}
    assert _offered(MeetingFilter, person) == own
    nobody = UserFactory(areas=[])
    assert _offered(MeetingFilter, nobody) == set()
    everyone = own | {farshire["north"].code, farshire["south"].code}
    assert _offered(PublicDhrFilter, AnonymousUser()) == everyone
