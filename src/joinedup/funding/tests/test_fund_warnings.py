"""Issue 14, "Irreversible steps": a warning when an award takes a fund below zero for the year, or a
contract exceeds what its fund has left."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from joinedup.core.models import Organisation
from joinedup.core.roles import Role
from joinedup.funding.models import Award, Contract, FundBudget
from joinedup.funding.selectors import fund_warnings, fund_year_left

from .helpers import make_application, make_fund, make_round

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 6, 1)  # in 2026-27


def _fund(users, areas):
    fund = make_fund(users, areas)
    FundBudget.objects.filter(fund=fund).delete()
    FundBudget.objects.create(fund=fund, year=2026, amount=Decimal("1000.00"))
    return fund


def _award(users, fund, amount, clawed_back="0.00", title="Boxing"):
    application = make_application(users, make_round(users, fund), amount, title)
    return Award.objects.create(
        application=application,
        fund=fund,
        recipient_name="Club",
        title=title,
        description="x",
        amount=Decimal(amount),
        awarded_on=DAY,
        clawed_back=Decimal(clawed_back),
    )


def _contract(fund, value, starts_on=DAY, reference="C-1"):
    provider = Organisation.objects.create(name=f"Provider {reference}", sector="vcs_charity")
    return Contract.objects.create(
        reference=reference,
        title="Victim referral service",
        provider=provider,
        fund=fund,
        value=Decimal(value),
        starts_on=starts_on,
        ends_on=starts_on + datetime.timedelta(days=364),
    )


def test_the_year_left_counts_awards_less_clawback_and_contracts_of_that_year_only(users, areas):
    fund = _fund(users, areas)
    assert fund_year_left(fund, 2026) == Decimal("1000.00") and fund_warnings(fund, DAY) == []
    _award(users, fund, "700.00", clawed_back="100.00")
    _contract(fund, "300.00", starts_on=datetime.date(2027, 4, 1), reference="NEXT")  # next year: not counted
    assert fund_year_left(fund, 2026) == Decimal("400.00") and fund_warnings(fund, DAY) == []
    _contract(fund, "450.00")
    assert fund_year_left(fund, 2026) == Decimal("-50.00")
    (warning,) = fund_warnings(fund, DAY)
    assert "£50.00 below zero for 2026-27" in warning
    assert "no budget for 2027-28" in fund_warnings(fund, datetime.date(2027, 5, 1))[0]


def test_a_contract_over_its_fund_shows_the_warning_on_its_page(users, areas, client_for):
    fund = _fund(users, areas)
    contract = _contract(fund, "1500.00")
    page = client_for(Role.OPCC_OFFICER).get(f"/staff/funding/contracts/{contract.pk}/").content.decode()
    assert "£500.00 below zero for 2026-27" in page


def test_an_award_that_takes_its_fund_below_zero_says_so_on_its_page(users, areas, client_for):
    fund = _fund(users, areas)
    award = _award(users, fund, "1200.00")
    page = client_for(Role.OPCC_OFFICER).get(f"/staff/funding/awards/{award.pk}/").content.decode()
    assert "£200.00 below zero for 2026-27" in page


def test_approving_ties_the_grant_to_a_csp_and_warns_when_the_fund_goes_below_zero(users, areas, client_for):
    fund = _fund(users, areas)
    FundBudget.objects.filter(fund=fund).update(
        year=datetime.date.today().year - (datetime.date.today().month < 4)
    )
    application = make_application(users, make_round(users, fund), "1200.00", "Boxing")
    admin = client_for(Role.OPCC_ADMIN)
    form = admin.get(f"/staff/funding/applications/{application.pk}/decide/").content.decode()
    assert '<option value="E22000901">North Testshire</option>' in form
    response = admin.post(
        f"/staff/funding/applications/{application.pk}/decide/",
        {"outcome": "approve", "amount": "1200.00", "csp": "E22000901"},
        follow=True,
    )
    award = Award.objects.get(application=application)
    assert award.csp == areas["north"]
    assert "£200.00 below zero for" in response.content.decode()
