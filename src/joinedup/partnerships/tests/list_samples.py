"""Rows for the shared list test (core/tests/test_lists.py) of the partnerships app's declared lists."""

from __future__ import annotations

import datetime
import itertools

from django.urls import reverse

from joinedup.core.lists.testing import ListSample, sample
from joinedup.core.models import ActionStatus
from joinedup.core.roles import Role
from joinedup.core.tests.factories import UserFactory, area_tree
from joinedup.partnerships.models import Level, Partnership, PartnershipAction, Plan, Status, Visibility
from joinedup.partnerships.tests.factories import make_organisation, make_partnership

FORMULA = '=HYPERLINK("x","y")'
_numbers = itertools.count(1)


@sample("partnerships-plans")
def plans(rows: int) -> ListSample:
    areas = area_tree()
    user = UserFactory(role=Role.OPCC_OFFICER, areas=[areas["pfa"]])

    def make(title: str, pcc: str, start: int) -> None:
        plan = Plan.objects.create(
            title=title,
            pcc_name=pcc,
            force_area=areas["pfa"],
            period_start=datetime.date(start, 4, 1),
            period_end=datetime.date(start + 3, 3, 31),
        )
        for order in range(start % 3):
            plan.priorities.create(title=f"Priority {order}", order=order)

    def add(n: int) -> None:
        for _ in range(n):
            number = next(_numbers)
            make(f"Plan {number:04d}", "A Commissioner", 2000 + number)

    make("Safer streets", "Another Commissioner", 2021)
    make(FORMULA, "A Commissioner", 2024)
    add(rows - 2)
    return ListSample(reverse("partnerships:plan-list"), user, rows, {"pcc_name": "another"}, 1, FORMULA, add)


@sample("partnerships-register")
def register(rows: int) -> ListSample:
    areas = area_tree()
    user = UserFactory(role=Role.OPCC_OFFICER, areas=[areas["pfa"]])

    def make(name: str, status: str = Status.PROPOSED) -> None:
        number = next(_numbers)
        partnership = make_partnership(
            name=name, status=status, next_review_date=datetime.date(2027, 1 + number % 12, 1)
        )
        partnership.areas.set([areas["pfa"], areas["north"]])

    def add(n: int) -> None:
        for _ in range(n):
            make(f"Partnership {next(_numbers):04d}")

    make("Safer roads alliance", Status.ACTIVE)
    make(FORMULA)
    add(rows - 2)
    return ListSample(reverse("partnerships:list"), user, rows, {"status": "active"}, 1, FORMULA, add)


@sample("partnerships-actions")
def actions(rows: int) -> ListSample:
    """Actions of partnerships the user sees; an action of a partnership outside their force area is made
    too, and the list must not show it."""
    areas = area_tree()
    user = UserFactory(role=Role.OPCC_OFFICER, areas=[areas["pfa"]])
    partnership = make_partnership(
        name="Safer roads alliance", status=Status.ACTIVE, lead_organisation=make_organisation()
    )
    partnership.areas.set([areas["pfa"], areas["north"]])
    elsewhere = make_partnership(name="Another force's partnership", status=Status.ACTIVE)
    elsewhere.areas.set([area_tree(force=8, name="Farshire")["pfa"]])

    def make(
        description: str, status: str = ActionStatus.IN_PROGRESS, where: Partnership = partnership
    ) -> None:
        number = next(_numbers)
        PartnershipAction.objects.create(
            partnership=where,
            description=description,
            owner=partnership.lead_organisation,
            due_date=datetime.date(2027, 1 + number % 12, 1),
            status=status,
        )

    def add(n: int) -> None:
        for _ in range(n):
            make(f"Action {next(_numbers):04d}")

    make("Install lighting on the underpass", ActionStatus.COMPLETE)
    make(FORMULA)
    make("Hidden from this force", where=elsewhere)
    add(rows - 2)
    return ListSample(
        reverse("partnerships:action-list"), user, rows, {"status": ActionStatus.COMPLETE}, 1, FORMULA, add
    )


@sample("public-partnerships")
def public_register(rows: int) -> ListSample:
    """Anyone's view: public partnerships past approval only. A proposal and an internal one are made too,
    and the page must not show them."""
    areas = area_tree()
    statuses = (Status.ACTIVE, Status.APPROVED, Status.UNDER_REVIEW, Status.REVISED, Status.TERMINATED)

    def make(name: str, level: str = Level.LOCAL) -> None:
        number = next(_numbers)
        partnership = make_partnership(
            name=name,
            level=level,
            status=statuses[number % len(statuses)],
            visibility=Visibility.PUBLIC,
        )
        partnership.areas.set([areas["pfa"], areas["north"]])

    def add(n: int) -> None:
        for _ in range(n):
            make(f"Partnership {next(_numbers):04d}")

    make("Safer roads alliance", Level.STRATEGIC)
    make(FORMULA)
    add(rows - 2)
    make_partnership(name="A proposal", status=Status.PROPOSED, visibility=Visibility.PUBLIC)
    make_partnership(name="An internal one", status=Status.ACTIVE, visibility=Visibility.INTERNAL)
    return ListSample(
        reverse("public-partnerships:list"), None, rows, {"level": Level.STRATEGIC}, 1, FORMULA, add
    )
