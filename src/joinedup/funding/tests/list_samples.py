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
    Application,
    Award,
    CallOff,
    CommissioningBoard,
    Contract,
    Criterion,
    Framework,
    FrameworkLot,
    Fund,
    FundBudget,
    GrantRound,
    MonitoringReturn,
    PanelAssignment,
    PooledContribution,
    Score,
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


def _round(areas: dict, name: str = "Fund") -> GrantRound:
    fund = Fund.objects.create(
        name=name, source="community_safety", distribution_model="open_rounds", force_area=areas["pfa"]
    )
    return GrantRound.objects.create(
        fund=fund,
        name=f"{name} round",
        opens_on=datetime.date(2026, 4, 1),
        closes_on=datetime.date(2026, 5, 31),
        budget=Decimal("100000"),
    )


def _application(grant_round: GrantRound, title: str, organisation: str, charity: str = "") -> Application:
    return Application.objects.create(
        round=grant_round,
        organisation_name=organisation,
        charity_number=charity,
        project_title=title,
        project_description="A project.",
        amount_requested=Decimal("1250.50"),
        status="eligible",
    )


def _award(grant_round: GrantRound, recipient: str, title: str, charity: str = "") -> Award:
    application = _application(grant_round, title, recipient, charity)
    award = Award.objects.create(
        application=application,
        fund=grant_round.fund,
        recipient_name=recipient,
        charity_number=charity,
        title=title,
        description="A project.",
        amount=Decimal("1250.50"),
        awarded_on=datetime.date(2026, 6, next(_numbers) % 28 + 1),
    )
    MonitoringReturn.objects.create(award=award, due_on=datetime.date(2027, 6, 1))
    return award


def _awards(rows: int, areas: dict, second_fund: str) -> tuple[str, object]:
    """`rows` awards: one from a fund of its own (the filter), one with a formula for a recipient and one
    charity number with a leading zero; returns the other fund's round's `add`."""
    grant_round = _round(areas)
    other = _round(areas, second_fund)
    _award(other, "Night shelter Trust", "Beds", "01234567")
    _award(grant_round, FORMULA, "Outreach")

    def add(n: int) -> None:
        for _ in range(n):
            number = next(_numbers)
            _award(grant_round, f"Recipient {number:04d}", f"Project {number}")

    add(rows - 2)
    return str(other.fund.pk), add


@sample("funding-awards")
def awards(rows: int) -> ListSample:
    areas = area_tree()
    fund, add = _awards(rows, areas, "Violence fund")
    return ListSample(
        reverse("funding:award-list"), _officer(areas), rows, {"fund": fund}, 1, FORMULA, add, "01234567"
    )


@sample("funding-public-grants")
def public_grants(rows: int) -> ListSample:
    areas = area_tree()
    _fund, add = _awards(rows, areas, "Violence fund")
    return ListSample(
        reverse("public-funding:grant-list"), None, rows, {"q": "shelter"}, 1, FORMULA, add, "01234567"
    )


@sample("funding-contracts")
def contracts(rows: int) -> ListSample:
    areas = area_tree()
    provider = make_organisation(name="Provider")

    def make(reference: str, title: str) -> None:
        Contract.objects.create(
            reference=reference,
            title=title,
            provider=provider,
            csp=areas["north"],
            value=Decimal(1000 + next(_numbers)),
            starts_on=datetime.date(2026, 4, 1),
            ends_on=datetime.date(2027, 3, 31),
        )

    def add(n: int) -> None:
        for _ in range(n):
            number = next(_numbers)
            make(f"CT-{number:05d}", f"Service {number}")

    make("0042-DA", "Domestic abuse outreach")
    make("CT-FORMULA", FORMULA)
    add(rows - 2)
    return ListSample(
        reverse("funding:contract-list"), _officer(areas), rows, {"q": "outreach"}, 1, FORMULA, add, "0042-DA"
    )


@sample("funding-suppliers")
def suppliers(rows: int) -> ListSample:
    areas = area_tree()
    lead = make_organisation(name="Lead OPCC")
    framework = Framework.objects.create(
        reference="FW-SUPPLIERS",
        name="Suppliers",
        lead=lead,
        starts_on=datetime.date(2026, 4, 1),
        ends_on=datetime.date(2029, 3, 31),
    )

    def make(name: str, company: str = "") -> None:
        number = next(_numbers)
        supplier = make_organisation(name=name, company_number=company)
        for i in range(1 + number % 2):
            Contract.objects.create(
                reference=f"SC-{number:05d}-{i}",
                title="Service",
                provider=supplier,
                csp=areas["north"],
                value=Decimal(100 * number),
                starts_on=datetime.date(2026, 4, 1),
                ends_on=datetime.date(2027, 3, 31),
            )
        if number % 3:
            lot = FrameworkLot.objects.create(
                framework=framework, number=number, title="Lot", supplier=supplier
            )
            CallOff.objects.create(
                lot=lot,
                organisation=lead,
                reference=f"CO-{number:05d}",
                value=Decimal("10.10") * number,
                starts_on=datetime.date(2026, 4, 1),
                ends_on=datetime.date(2027, 3, 31),
            )

    def add(n: int) -> None:
        for _ in range(n):
            make(f"Supplier {next(_numbers):04d}")

    make("Victim Support North", "01234567")
    make(FORMULA)
    add(rows - 2)
    return ListSample(
        reverse("funding:supplier-list"),
        _officer(areas),
        rows,
        {"name": "victim"},
        1,
        FORMULA,
        add,
        "01234567",
    )


@sample("funding-scoring")
def scoring(rows: int) -> ListSample:
    areas = area_tree()
    member = UserFactory(role=Role.PRACTITIONER, areas=[areas["pfa"]])
    grant_round = _round(areas)
    criterion = Criterion.objects.create(round=grant_round, name="Need")
    other = _application(grant_round, "Not assigned", "Someone else")  # never in this member's list
    assert other.pk

    def make(title: str, organisation: str, charity: str = "", scored: bool = False) -> None:
        application = _application(grant_round, title, organisation, charity)
        PanelAssignment.objects.create(application=application, member=member)
        if scored:
            Score.objects.create(application=application, criterion=criterion, member=member, value=3)

    def add(n: int) -> None:
        for _ in range(n):
            number = next(_numbers)
            make(f"Project {number:04d}", f"Organisation {number}")

    make("Safe spaces", "Night bus Trust", "01234567", scored=True)
    make(FORMULA, "Formula Trust")
    add(rows - 2)
    return ListSample(reverse("funding:panel-list"), member, rows, {"scored": "scored"}, 1, FORMULA, add)
