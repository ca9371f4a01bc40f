"""Rows for the shared list test (core/tests/test_lists.py) of each of the funding app's declared lists."""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal

from django.urls import reverse

from joinedup.core.lists.testing import ListSample, sample
from joinedup.core.roles import Role
from joinedup.core.tests.factories import UserFactory, area_tree
from joinedup.funding.models import (
    CommissioningBoard,
    Framework,
    FrameworkLot,
    Fund,
    FundBudget,
    PooledContribution,
)
from joinedup.partnerships.tests.factories import make_organisation

FORMULA = '=HYPERLINK("x","y")'
_numbers = itertools.count(1)


def _officer(areas: dict) -> object:
    return UserFactory(role=Role.OPCC_OFFICER, areas=[areas["pfa"]])


@sample("funding-funds")
def funds(rows: int) -> ListSample:
    areas = area_tree()

    def make(name: str, source: str = "community_safety") -> None:
        fund = Fund.objects.create(
            name=name,
            source=source,
            distribution_model="formula",
            force_area=areas["pfa"],
            max_award=Decimal("5000.50"),
        )
        for year in (2025, 2026):
            FundBudget.objects.create(fund=fund, year=year, amount=Decimal(1000 * (year - 2024)))

    def add(n: int) -> None:
        for _ in range(n):
            make(f"Fund {next(_numbers):04d}")

    make("Proceeds fund", "proceeds_of_crime")
    make(FORMULA)
    add(rows - 2)
    return ListSample(
        reverse("funding:fund-list"), _officer(areas), rows, {"source": "proceeds_of_crime"}, 1, FORMULA, add
    )


@sample("funding-boards")
def boards(rows: int) -> ListSample:
    areas = area_tree()
    members = [make_organisation(name=f"Member {i}") for i in range(3)]

    def make(name: str, size: int) -> None:
        board = CommissioningBoard.objects.create(name=name)
        board.members.set(members[:size])
        for organisation in members[:size]:
            PooledContribution.objects.create(
                board=board, organisation=organisation, year=2026, amount=Decimal("250.25") * size
            )

    def add(n: int) -> None:
        for i in range(n):
            make(f"Board {next(_numbers):04d}", 1 + i % 3)

    make("Violence reduction pool", 2)
    make(FORMULA, 1)
    add(rows - 2)
    return ListSample(
        reverse("funding:board-list"), _officer(areas), rows, {"name": "violence"}, 1, FORMULA, add
    )


@sample("funding-frameworks")
def frameworks(rows: int) -> ListSample:
    areas = area_tree()
    lead = make_organisation(name="Lead OPCC")

    def make(reference: str, name: str) -> None:
        framework = Framework.objects.create(
            reference=reference,
            name=name,
            lead=lead,
            starts_on=datetime.date(2026, 4, 1),
            ends_on=datetime.date(2029, 3, 31),
        )
        for number in range(1, 1 + next(_numbers) % 3):
            FrameworkLot.objects.create(
                framework=framework, number=number, title=f"Lot {number}", supplier=lead
            )

    def add(n: int) -> None:
        for _ in range(n):
            number = next(_numbers)
            make(f"FW-{number:05d}", f"Framework {number}")

    make("007-CCTV", "CCTV maintenance")
    make("FW-FORMULA", FORMULA)
    add(rows - 2)
    return ListSample(
        reverse("funding:framework-list"), _officer(areas), rows, {"q": "cctv"}, 1, FORMULA, add, "007-CCTV"
    )
