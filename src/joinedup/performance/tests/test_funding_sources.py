"""Indicators read from a contract KPI (the supplier's performance returns) and from a grant outcome measure
(the accepted monitoring returns): each period's value from the returns ending in it, "no data" where none
does, a return not yet accepted left out until it is, the value worked out again when a return is recorded
or accepted, a KPI or measure the definer may not read (or of another unit or direction) refused with the
other problems, and the source in words on the indicator page, the report and the API (docs/adr/0038)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from openapi_spec_validator import validate

from joinedup.core.models import Organisation
from joinedup.core.roles import Role
from joinedup.core.services.tokens import create_token
from joinedup.funding.commissioning import services as commissioning_services
from joinedup.funding.models import Award, Kpi
from joinedup.funding.monitoring import services as monitoring_services
from joinedup.funding.tests.helpers import make_fund, make_round
from joinedup.funding.tests.test_outcome_measures import award_for, signed_in_applicant
from joinedup.partnerships.models import Plan
from joinedup.performance import reasons, services
from joinedup.performance.models import Indicator, IndicatorValue, Status

pytestmark = pytest.mark.django_db

# The plan's year has ended (today is later): every quarter is reported.
TODAY = datetime.date(2026, 6, 1)
QUARTERS = [
    datetime.date(2025, 4, 1),
    datetime.date(2025, 7, 1),
    datetime.date(2025, 10, 1),
    datetime.date(2026, 1, 1),
]


KPIS = (
    "Victims supported | 300 | people | higher\nContacted within 48 hours | 90 | % | higher\n"
    "Days to first contact | 2 | days | lower"
)


def _contract_data(areas: dict[str, Any], supplier: Organisation, kpis: str) -> dict[str, Any]:
    return {
        "reference": "VS-001",
        "title": "Victim referral service",
        "provider": supplier.pk,
        "csp": areas["north"].code,
        "value": "250000",
        "starts_on": "2025-04-01",
        "ends_on": "2028-03-31",
        "kpis": kpis,
    }


@pytest.fixture
def world(users: dict[str, Any], areas: dict[str, Any]) -> dict[str, Any]:
    plan = Plan.objects.create(
        title="Testshire plan",
        pcc_name="PCC",
        force_area=areas["pfa"],
        period_start=datetime.date(2025, 4, 1),
        period_end=datetime.date(2026, 3, 31),
    )
    officer = users[Role.OPCC_OFFICER]
    supplier = Organisation.objects.create(name="Victim Support North", sector="vcs_charity")
    contract = commissioning_services.create_contract(
        actor=officer, data=_contract_data(areas, supplier, KPIS)
    )
    return {
        **areas,
        "users": users,
        "officer": officer,
        "priority": plan.priorities.create(title="Supporting victims"),
        "supplier": supplier,
        "contract": contract,
        "supported": contract.kpis.get(name="Victims supported"),
        "contacted": contract.kpis.get(name="Contacted within 48 hours"),
        "days": contract.kpis.get(name="Days to first contact"),
    }


def _report(world: dict[str, Any], kpi: Kpi, start: str, end: str, actual: str) -> None:
    commissioning_services.record_performance(
        actor=world["officer"],
        kpis=[kpi],
        data={"period_start": start, "period_end": end, f"actual_{kpi.pk}": actual},
    )


def _indicator_data(world: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return {
        "name": "Victims supported by the referral service",
        "definition": "People the victim referral service supported in the period.",
        "unit": "count",
        "area": world["north"],
        "direction": "up",
        "baseline_from": datetime.date(2024, 4, 1),
        "baseline_to": datetime.date(2025, 3, 31),
        "target_kind": "amount",
        "target_value": Decimal("300"),
        "frequency": "quarterly",
        "owner": world["supplier"],
        "source": "contract",
        "contract_kpi": world["supported"].pk,
        **changes,
    }


def _define(world: dict[str, Any], **changes: Any) -> Indicator:
    return services.define_indicator(
        actor=world["officer"],
        priority=world["priority"],
        data=_indicator_data(world, **changes),
        compute=False,
    )


def _current(indicator: Indicator) -> dict[datetime.date, IndicatorValue]:
    return {v.period_start: v for v in indicator.values.filter(current=True)}


# --- contract KPIs --------------------------------------------------------------------------------------


def test_a_contract_kpis_values_come_from_the_supplier_returns_ending_in_each_period(
    world: dict[str, Any], django_capture_on_commit_callbacks: Any
):
    supported, contacted = world["supported"], world["contacted"]
    _report(world, supported, "2025-04-01", "2025-06-30", "320")
    # Two returns end in the second quarter: a count adds up.
    _report(world, supported, "2025-07-01", "2025-07-31", "100")
    _report(world, supported, "2025-08-01", "2025-09-30", "150")
    # None in the third; the fourth's return started in the third and is counted where it ends.
    _report(world, supported, "2025-12-01", "2026-03-31", "310")
    _report(world, contacted, "2025-07-01", "2025-07-31", "85")
    _report(world, contacted, "2025-08-01", "2025-09-30", "92")
    count = _define(world)
    share = _define(
        world,
        name="Victims contacted within 48 hours",
        unit="percent",
        target_value=Decimal("90"),
        target_kind="threshold",
        contract_kpi=contacted.pk,
    )
    services.recompute(indicators=Indicator.objects.all(), today=TODAY)

    values = _current(count)
    assert [values[q].value for q in QUARTERS] == [
        Decimal("320.00"),
        Decimal("250.00"),
        None,
        Decimal("310.00"),
    ]
    assert values[QUARTERS[0]].status == Status.ON_TRACK
    assert "From the supplier return for 1 Apr 2025 to 30 Jun 2025." in values[QUARTERS[0]].reason
    # 250 against 300, and down from 320: off track.
    assert values[QUARTERS[1]].status == Status.OFF_TRACK
    assert "The sum of 2 supplier returns ending in the period" in values[QUARTERS[1]].reason
    # A quarter no return ends in is no data, never zero.
    assert values[QUARTERS[2]].status == Status.NO_DATA
    assert values[QUARTERS[2]].reason == (
        "No data for Oct to Dec 2025: No supplier return for this KPI ends between 1 Oct 2025 and "
        "31 Dec 2025."
    )
    assert "starts before the period" in values[QUARTERS[3]].reason
    # A percentage is not added up: the mean of the returns, each counted equally.
    shares = _current(share)
    assert shares[QUARTERS[1]].value == Decimal("88.50")
    assert shares[QUARTERS[1]].status == Status.AT_RISK  # 1.5 points short of 90: within 10%
    assert (
        "The mean of 2 supplier returns ending in the period, each counted equally (a return gives no number "
        "of cases to weight it by): 1 Jul 2025 to 31 Jul 2025, 85%; 1 Aug 2025 to 30 Sep 2025, 92%."
    ) in shares[QUARTERS[1]].reason
    assert shares[QUARTERS[0]].value is None

    # The supplier's return for the third quarter arrives: the indicator is worked out again at once.
    with django_capture_on_commit_callbacks(execute=True):
        _report(world, supported, "2025-10-01", "2025-11-30", "280")
    values = _current(count)
    assert values[QUARTERS[2]].value == Decimal("280.00")
    assert values[QUARTERS[2]].status == Status.AT_RISK  # short of 300 but up from 250
    assert (
        IndicatorValue.objects.filter(indicator=count, period_start=QUARTERS[2], current=False).count() == 1
    )


def test_an_averaged_kpi_is_the_mean_of_its_returns_and_its_baseline_is_not_counted_per_month(
    world: dict[str, Any], client_for: Any
):
    """ "Days to first contact" is an average time: two returns in a quarter give their mean, never their sum,
    and a percentage-change target is taken on the baseline's mean as it is (not spread over its months)."""
    days = world["days"]
    # The baseline year: two returns, a mean of 2.5 days.
    _report(world, days, "2024-04-01", "2024-09-30", "3")
    _report(world, days, "2024-10-01", "2025-03-31", "2")
    # The second quarter: two returns, 2.4 and 1.6 days.
    _report(world, days, "2025-07-01", "2025-07-31", "2.4")
    _report(world, days, "2025-08-01", "2025-09-30", "1.6")
    # The third: one return.
    _report(world, days, "2025-10-01", "2025-12-31", "2.3")
    indicator = _define(
        world,
        name="Days to first contact",
        direction="down",
        target_kind="change",
        target_value=Decimal("-10"),
        contract_kpi=days.pk,
    )
    services.recompute(indicators=Indicator.objects.all(), today=TODAY)
    values = _current(indicator)
    assert [values[q].value for q in QUARTERS] == [None, Decimal("2.00"), Decimal("2.30"), None]
    # 10% below the baseline's 2.5 days: 2.25 in every quarter (a count's would be a quarter of a year's).
    assert {values[q].target for q in QUARTERS[1:3]} == {Decimal("2.25")}
    assert values[QUARTERS[1]].status == Status.ON_TRACK
    assert values[QUARTERS[2]].status == Status.AT_RISK  # 2.3 against 2.25: within 10% of the target
    assert (
        "The mean of 2 supplier returns ending in the period, each counted equally (a return gives no number "
        "of cases to weight it by): 1 Jul 2025 to 31 Jul 2025, 2.4; 1 Aug 2025 to 30 Sep 2025, 1.6."
    ) in values[QUARTERS[1]].reason
    assert values[QUARTERS[2]].reason == (
        "2.3 misses the target of 2.25 by 0.05 (within 10% of it). From the supplier return for 1 Oct 2025 to "
        "31 Dec 2025."
    )
    # The indicator page says how a period's value is made.
    page = client_for(Role.OPCC_OFFICER).get(f"/staff/performance/indicators/{indicator.pk}/")
    assert "the mean of the figures they give, each return counted equally" in page.content.decode()
    # A count's page says it adds up.
    counted = _define(world)
    page = client_for(Role.OPCC_OFFICER).get(f"/staff/performance/indicators/{counted.pk}/")
    assert "the sum of the figures they give (a count adds up)" in page.content.decode()


def test_a_funded_reason_reads_in_welsh_with_nothing_left_in_english(
    world: dict[str, Any], grant: dict[str, Any]
):
    """The words of a KPI's or a grant measure's value are phrases of the catalogue (reasons.py): the public
    plan-progress page says every one of them in Welsh, dates with Welsh month names."""
    _report(world, world["contacted"], "2025-07-01", "2025-07-31", "85")
    _report(world, world["contacted"], "2025-08-01", "2025-09-30", "92")
    share = _define(
        world,
        name="Victims contacted within 48 hours",
        unit="percent",
        target_value=Decimal("90"),
        target_kind="threshold",
        contract_kpi=world["contacted"].pk,
    )
    _first, second, _third = grant["returns"]
    monitoring_services.submit_monitoring_return(
        applicant=grant["applicant"],
        monitoring_return=second,
        expected_version=second.version,
        data=_content(grant, "95"),
    )
    waiting = _grant_indicator(world, grant)
    services.recompute(indicators=Indicator.objects.all(), today=TODAY)
    shown = _current(share)[QUARTERS[1]]
    not_yet = _current(waiting)[QUARTERS[1]]
    assert not_yet.reason == (
        "No data for Jul to Sep 2025: No accepted monitoring return with a value for this measure ends between "
        "1 Jul 2025 and 30 Sep 2025. 1 monitoring return ending between 1 Jul 2025 and 30 Sep 2025 is not "
        "accepted yet (submitted, to review): a return counts once it is accepted."
    )
    with translation.override("cy"):
        parts = reasons.segments(shown.detail["reason"])
        assert not [p.text for p in parts if p.english]
        assert reasons.render(shown.detail["reason"]) == (
            "Mae 88.5% yn methu’r targed o 90% o 1.5% (o fewn 10% iddo). Cymedr 2 ffurflen gan y cyflenwr sy’n "
            "dod i ben yn y cyfnod, pob un yn cyfrif yr un faint (nid yw ffurflen yn rhoi nifer o achosion i’w "
            "phwysoli): 1 Gor 2025 i 31 Gor 2025, 85%; 1 Aws 2025 i 30 Med 2025, 92%."
        )
        assert reasons.render(not_yet.detail["reason"]) == (
            "Dim data ar gyfer Gor i Med 2025: Nid oes ffurflen fonitro wedi’i derbyn â gwerth ar gyfer y mesur "
            "hwn yn dod i ben rhwng 1 Gor 2025 a 30 Med 2025. Nid yw 1 ffurflen fonitro sy’n dod i ben rhwng "
            "1 Gor 2025 a 30 Med 2025 wedi’i derbyn eto (wedi’i chyflwyno, i’w hadolygu): mae ffurflen yn "
            "cyfrif unwaith y caiff ei derbyn."
        )
        assert not [p.text for p in reasons.segments(not_yet.detail["reason"]) if p.english]


def test_a_kpi_removed_from_its_contract_leaves_no_data_saying_why(
    world: dict[str, Any], django_capture_on_commit_callbacks: Any
):
    _report(world, world["supported"], "2025-04-01", "2025-06-30", "320")
    indicator = _define(world)
    services.recompute(indicators=Indicator.objects.all(), today=TODAY)
    assert _current(indicator)[QUARTERS[0]].value == Decimal("320.00")
    with django_capture_on_commit_callbacks(execute=True):
        commissioning_services.update_contract(
            actor=world["officer"],
            contract=world["contract"],
            expected_version=world["contract"].version,
            data=_contract_data(world, world["supplier"], "Contacted within 48 hours | 90 | % | higher"),
        )
    indicator.refresh_from_db()
    assert indicator.contract_kpi_id is None
    first = _current(indicator)[QUARTERS[0]]
    assert first.value is None and "has been removed from its contract" in first.reason


# --- grant outcome measures ---------------------------------------------------------------------------------


@pytest.fixture
def grant(world: dict[str, Any]) -> dict[str, Any]:
    """A grant awarded on 1 April 2025 with returns due at the end of June, September and December."""
    users = world["users"]
    applicant, _client = signed_in_applicant("grantee@example.org", "Northtown Youth Trust")
    award = award_for(users, make_round(users, make_fund(users, world)), applicant, "Street sport")
    Award.objects.filter(pk=award.pk).update(awarded_on=datetime.date(2025, 4, 1))
    award.monitoring_returns.update(due_on=datetime.date(2025, 6, 30))
    award.refresh_from_db()
    for due_on in ("2025-09-30", "2025-12-31"):
        monitoring_services.add_monitoring_return(
            actor=world["officer"], award=award, data={"due_on": due_on}
        )
    return {
        "award": award,
        "applicant": applicant,
        "returns": list(award.monitoring_returns.order_by("due_on")),
        "taking_part": award.outcome_measures.get(name="Young people taking part"),
        "finishing": award.outcome_measures.get(name="Finishing the course"),
        "match": award.outcome_measures.get(name="Match funding raised"),
    }


def _content(grant: dict[str, Any], taking_part: str) -> dict[str, Any]:
    return {
        "spend": "500.00",
        "narrative": "Well attended.",
        "values": {str(grant["taking_part"].pk): taking_part, str(grant["finishing"].pk): "60"},
    }


def _grant_indicator(world: dict[str, Any], grant: dict[str, Any]) -> Indicator:
    return _define(
        world,
        name="Young people taking part in street sport",
        target_value=Decimal("100"),
        source="grant",
        contract_kpi=None,
        outcome_measure=grant["taking_part"].pk,
    )


def test_only_accepted_monitoring_returns_count_and_accepting_one_recomputes(
    world: dict[str, Any], grant: dict[str, Any], django_capture_on_commit_callbacks: Any
):
    first, second, _third = grant["returns"]
    # The first is recorded by staff (accepted at once); the second submitted by the grant holder, not yet
    # accepted; the third never sent.
    monitoring_services.record_monitoring_return(
        actor=world["officer"],
        monitoring_return=first,
        expected_version=first.version,
        data=_content(grant, "120"),
    )
    monitoring_services.submit_monitoring_return(
        applicant=grant["applicant"],
        monitoring_return=second,
        expected_version=second.version,
        data=_content(grant, "95"),
    )
    indicator = _grant_indicator(world, grant)
    services.recompute(indicators=Indicator.objects.all(), today=TODAY)

    values = _current(indicator)
    assert [values[q].value for q in QUARTERS] == [Decimal("120.00"), None, None, None]
    assert values[QUARTERS[0]].status == Status.ON_TRACK
    assert "From the monitoring return for 1 Apr 2025 to 30 Jun 2025." in values[QUARTERS[0]].reason
    waiting = values[QUARTERS[1]]
    assert waiting.status == Status.NO_DATA and waiting.value is None
    assert (
        "1 monitoring return ending between 1 Jul 2025 and 30 Sep 2025 is not accepted yet" in waiting.reason
    )
    assert "No accepted monitoring return" in values[QUARTERS[2]].reason

    second.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        monitoring_services.review_monitoring_return(
            actor=world["officer"],
            monitoring_return=second,
            expected_version=second.version,
            data={"decision": "accept"},
        )
    values = _current(indicator)
    assert values[QUARTERS[1]].value == Decimal("95.00")
    # 95 against 100, and down from 120.
    assert values[QUARTERS[1]].status == Status.OFF_TRACK
    assert values[QUARTERS[2]].value is None and values[QUARTERS[3]].value is None


def test_two_accepted_returns_in_one_quarter_add_up_a_count_and_average_a_percentage(
    world: dict[str, Any], grant: dict[str, Any]
):
    award = grant["award"]
    monitoring_services.add_monitoring_return(
        actor=world["officer"], award=award, data={"due_on": "2025-08-15"}
    )
    returns = {r.due_on: r for r in award.monitoring_returns.all()}
    # Recorded by staff (accepted at once): the return due on 15 August and the one due on 30 September.
    for due_on, taking_part, finishing in (("2025-08-15", "40", "60"), ("2025-09-30", "55", "70")):
        monitoring_return = returns[datetime.date.fromisoformat(due_on)]
        monitoring_services.record_monitoring_return(
            actor=world["officer"],
            monitoring_return=monitoring_return,
            expected_version=monitoring_return.version,
            data={
                "spend": "500.00",
                "narrative": "Well attended.",
                "values": {str(grant["taking_part"].pk): taking_part, str(grant["finishing"].pk): finishing},
            },
        )
    taking_part = _grant_indicator(world, grant)
    finishing = _define(
        world,
        name="Finishing the course",
        unit="percent",
        target_kind="threshold",
        target_value=Decimal("75"),
        source="grant",
        contract_kpi=None,
        outcome_measure=grant["finishing"].pk,
    )
    services.recompute(indicators=Indicator.objects.all(), today=TODAY)
    counted = _current(taking_part)[QUARTERS[1]]
    assert counted.value == Decimal("95.00") and counted.status == Status.OFF_TRACK  # short of 100
    assert (
        "The sum of 2 monitoring returns ending in the period: 1 Jul 2025 to 15 Aug 2025, 40; 16 Aug 2025 to "
        "30 Sep 2025, 55." in counted.reason
    )
    averaged = _current(finishing)[QUARTERS[1]]
    assert averaged.value == Decimal("65.00") and averaged.status == Status.OFF_TRACK  # 10 short of 75
    assert "The mean of 2 monitoring returns ending in the period, each counted equally" in averaged.reason
    assert "1 Jul 2025 to 15 Aug 2025, 60%; 16 Aug 2025 to 30 Sep 2025, 70%." in averaged.reason
    # The first quarter's single return is not affected.
    assert _current(finishing)[QUARTERS[0]].value is None  # nothing accepted ends in it


def test_an_average_measure_is_the_mean_of_its_returns_like_a_percentage_and_its_page_says_so(
    world: dict[str, Any], client_for: Any
):
    """A grant measure whose unit is "average, rate or length of time" (docs/adr/0045): two accepted returns
    in a quarter, of 4 and 6 days, give 5 days, not 10."""
    users = world["users"]
    award = award_for(
        users,
        make_round(users, make_fund(users, world)),
        None,
        "Waiting times",
        measures="Average days to first contact | average | down | 5",
    )
    Award.objects.filter(pk=award.pk).update(awarded_on=datetime.date(2025, 4, 1))
    award.monitoring_returns.update(due_on=datetime.date(2025, 6, 30))
    award.refresh_from_db()
    days = award.outcome_measures.get()
    for due_on, value in (("2025-08-15", "4"), ("2025-09-30", "6")):
        monitoring_return = monitoring_services.add_monitoring_return(
            actor=world["officer"], award=award, data={"due_on": due_on}
        )
        monitoring_services.record_monitoring_return(
            actor=world["officer"],
            monitoring_return=monitoring_return,
            expected_version=monitoring_return.version,
            data={"spend": "500.00", "narrative": "Steady.", "values": {str(days.pk): value}},
        )
    grant_source = {"source": "grant", "contract_kpi": None, "outcome_measure": days.pk}
    # Its figure is read as it is: an average is not a percentage.
    assert _problems(world, world["officer"], unit="percent", direction="down", **grant_source)["unit"] == [
        "The measure 'Average days to first contact' is not a percentage: choose the unit 'Count'."
    ]
    indicator = _define(
        world,
        name="Average days to first contact",
        direction="down",
        target_kind="threshold",
        target_value=Decimal("5"),
        **grant_source,
    )
    services.recompute(indicators=Indicator.objects.all(), today=TODAY)
    values = _current(indicator)
    assert [values[q].value for q in QUARTERS] == [None, Decimal("5.00"), None, None]
    assert values[QUARTERS[1]].status == Status.ON_TRACK  # 5 days: at the threshold, not 10 over it
    assert (
        "The mean of 2 monitoring returns ending in the period, each counted equally (a return gives no number "
        "of cases to weight it by): 1 Jul 2025 to 15 Aug 2025, 4; 16 Aug 2025 to 30 Sep 2025, 6."
    ) in values[QUARTERS[1]].reason
    page = (
        client_for(Role.OPCC_OFFICER).get(f"/staff/performance/indicators/{indicator.pk}/").content.decode()
    )
    assert "the mean of the figures they give, each return counted equally" in page
    assert "(average, rate or length of time, target 5, lower is better)" in page  # the source, in words


# --- defining one -----------------------------------------------------------------------------------------


def _problems(world: dict[str, Any], actor: Any, **changes: Any) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        services.define_indicator(
            actor=actor, priority=world["priority"], data=_indicator_data(world, **changes), compute=False
        )
    return caught.value.message_dict


def test_a_kpi_or_measure_that_cannot_be_read_or_does_not_fit_is_refused_with_every_problem(
    world: dict[str, Any], grant: dict[str, Any]
):
    officer = world["officer"]
    # A percentage KPI for a count that falls: unit and direction, with the missing name, all at once.
    problems = _problems(world, officer, name="", direction="down", contract_kpi=world["contacted"].pk)
    assert problems["unit"] == [
        "The KPI 'Contacted within 48 hours' is a percentage: choose the unit 'Percentage'."
    ]
    assert problems["direction"] == [
        "For the KPI 'Contacted within 48 hours' higher is better: choose 'Up is good'."
    ]
    assert "name" in problems
    # A KPI that does not exist; no KPI at all; a KPI named for another source.
    assert "you may read" in _problems(world, officer, contract_kpi=999999)["contract_kpi"][0]
    assert _problems(world, officer, contract_kpi=None)["contract_kpi"] == ["Choose a contract KPI."]
    assert "Only an indicator from a contract KPI names one" in " ".join(
        _problems(world, officer, source="manual", contract_kpi=world["supported"].pk)["contract_kpi"]
    )
    # An analyst reads no contracts: the KPI exists but is not theirs to choose.
    analyst = world["users"][Role.ANALYST]
    analyst.areas.set([world["pfa"]])
    assert "you may read" in _problems(world, analyst)["contract_kpi"][0]
    # A grant measure in pounds, and a percentage measure for a count.
    grant_source = {"source": "grant", "contract_kpi": None}
    assert (
        "an amount in pounds"
        in _problems(world, officer, **grant_source, outcome_measure=grant["match"].pk)["outcome_measure"][0]
    )
    assert _problems(world, officer, **grant_source, outcome_measure=grant["finishing"].pk)["unit"] == [
        "The measure 'Finishing the course' is a percentage: choose the unit 'Percentage'."
    ]
    assert not Indicator.objects.exists()


def test_an_unchanged_kpi_stays_when_someone_who_reads_no_contracts_changes_the_target(world: dict[str, Any]):
    indicator = _define(world)
    analyst = world["users"][Role.ANALYST]
    analyst.areas.set([world["pfa"]])
    services.update_indicator(
        actor=analyst, indicator=indicator, expected_version=indicator.version, data={"target_value": "310"}
    )
    indicator.refresh_from_db()
    assert indicator.target_value == Decimal("310") and indicator.contract_kpi_id == world["supported"].pk


# --- pages and API ----------------------------------------------------------------------------------------


def test_the_form_offers_the_kpis_and_measures_and_the_pages_show_the_source_and_value(
    world: dict[str, Any], grant: dict[str, Any], client_for: Any
):
    _report(world, world["supported"], "2025-04-01", "2025-06-30", "320")
    first = grant["returns"][0]
    monitoring_services.record_monitoring_return(
        actor=world["officer"],
        monitoring_return=first,
        expected_version=first.version,
        data=_content(grant, "120"),
    )
    client = client_for(Role.OPCC_OFFICER)
    plan = world["priority"].plan
    form_url = f"/staff/performance/plans/pcc/{plan.pk}/indicators/new/"
    page = client.get(form_url).content.decode()
    assert "Victims supported (people, higher is better): contract VS-001" in page
    assert "Young people taking part (count, higher is better): grant" in page
    response = client.post(
        form_url,
        {
            **{k: v for k, v in _indicator_data(world).items() if k not in ("area", "owner")},
            "priority": world["priority"].pk,
            "area": world["north"].code,
            "owner": world["supplier"].pk,
            "source": "grant",
            "contract_kpi": "",
            "outcome_measure": grant["taking_part"].pk,
            "name": "Young people taking part",
            "target_value": "100",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    grant_indicator = Indicator.objects.get(name="Young people taking part")
    contract_indicator = _define(world)
    services.recompute(indicators=Indicator.objects.all(), today=TODAY)

    page = client.get(f"/staff/performance/indicators/{contract_indicator.pk}/").content.decode()
    assert (
        "Contract KPI (the supplier&#x27;s performance returns): KPI &#x27;Victims supported&#x27; of contract "
        "VS-001 (Victim referral service), from Victim Support North&#x27;s performance returns" in page
    )
    assert ">320<" in page and "No data" in page
    page = client.get(f"/staff/performance/indicators/{grant_indicator.pk}/").content.decode()
    assert "Outcome measure &#x27;Young people taking part&#x27; of the grant" in page
    assert "from its accepted monitoring returns" in page and ">120<" in page
    report = client.get(f"/staff/performance/plans/pcc/{plan.pk}/report/?quarter=2025-04").content.decode()
    assert "KPI &#x27;Victims supported&#x27; of contract VS-001" in report
    # The public page names no contract or supplier.
    public = Client().get(f"/plan-progress/pcc/{plan.pk}/?quarter=2025-04").content.decode()
    assert "KPI &#x27;Victims supported&#x27; of a commissioned service" in public
    assert "VS-001" not in public and "Victim Support North" not in public


def test_the_api_lists_the_new_sources_and_the_openapi_document_stays_valid(
    world: dict[str, Any], grant: dict[str, Any]
):
    kpi_indicator = _define(world)
    measure_indicator = _define(
        world, name="Taking part", source="grant", contract_kpi=None, outcome_measure=grant["taking_part"].pk
    )
    _token, raw = create_token(user=world["officer"], name="t", actor=None, scope="read")
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    rows = {row["id"]: row for row in client.get("/api/v1/performance/indicators").json()["items"]}
    assert rows[kpi_indicator.pk]["source"] == "contract"
    assert rows[kpi_indicator.pk]["contract_kpi"] == world["supported"].pk
    assert rows[kpi_indicator.pk]["outcome_measure"] is None
    assert rows[kpi_indicator.pk]["source_description"].startswith(
        "KPI 'Victims supported' of contract VS-001"
    )
    assert rows[measure_indicator.pk]["source"] == "grant"
    assert rows[measure_indicator.pk]["outcome_measure"] == grant["taking_part"].pk
    assert "accepted monitoring returns" in rows[measure_indicator.pk]["source_description"]

    document = Client().get("/api/v1/openapi.json").json()
    validate(document)
    schema = document["components"]["schemas"]["IndicatorOut"]["properties"]
    assert {"source_description", "contract_kpi", "outcome_measure"} <= set(schema)
    assert "contract (Contract KPI" in schema["source"]["description"]
    assert "grant (Grant outcome measure" in schema["source"]["description"]


def _public_page_queries(plan: Plan) -> int:
    client = Client()
    url = f"/plan-progress/pcc/{plan.pk}/?quarter=2025-04"
    client.get(url)  # the first page fills the site's caches
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_public_page_reads_the_funded_sources_in_a_fixed_number_of_queries(world: dict[str, Any]):
    _report(world, world["supported"], "2025-04-01", "2025-06-30", "320")
    _define(world)
    services.recompute(indicators=Indicator.objects.all(), today=TODAY)
    plan = world["priority"].plan
    one = _public_page_queries(plan)
    for n in range(3):
        _define(world, name=f"Victims supported, view {n}")
    services.recompute(indicators=Indicator.objects.all(), today=TODAY)
    assert _public_page_queries(plan) == one
