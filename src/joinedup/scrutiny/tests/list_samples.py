"""Rows for the shared list test (core/tests/test_lists.py) of the Panel's declared list (it keeps the name
it had under csp)."""

from __future__ import annotations

import datetime
import itertools

from django.urls import reverse

from joinedup.core.lists.testing import ListSample, sample
from joinedup.core.roles import Role
from joinedup.core.tests.factories import UserFactory, area_tree
from joinedup.scrutiny.tests.factories import make_panel_recommendation

FORMULA = '=HYPERLINK("x","y")'
_numbers = itertools.count(1)


def _officer(areas: dict) -> object:
    return UserFactory(role=Role.OPCC_OFFICER, areas=[areas["pfa"]])


@sample("csp-panel-recommendations")
def panel_recommendations(rows: int) -> ListSample:
    areas = area_tree()
    today = datetime.date.today()

    def add(n: int) -> None:
        for i in range(n):
            make_panel_recommendation(
                force_area=areas["pfa"],
                csp=areas["north"] if i % 2 else None,
                title=f"Recommendation {next(_numbers)}",
                made_on=today - datetime.timedelta(days=i % 30),
                response_due=today - datetime.timedelta(days=1) if i % 3 else None,
                status="accepted" if i % 4 == 0 else "awaiting_response",
            )

    make_panel_recommendation(force_area=areas["pfa"], title="Implemented one", status="implemented")
    make_panel_recommendation(force_area=areas["pfa"], title=FORMULA, csp=areas["south"])
    add(rows - 2)
    return ListSample(
        reverse("scrutiny:panel-list"), _officer(areas), rows, {"status": "implemented"}, 1, FORMULA, add
    )
