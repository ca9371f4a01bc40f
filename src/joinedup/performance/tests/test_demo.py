"""`joinedup performance demo` (what `./run` loads): indicators from a contract KPI and from the grant's
outcome measures, a count and an average, their values worked out from `joinedup funding demo`'s returns (the
KPI's quarter the mean of the supplier's three monthly returns, the grant's the accepted quarterly return);
and the whole demo as `./run` loads it, read as its users read it, on a day early in the plan's first year
and one late in it: every plan carries indicators, the council's manual return is sent for one quarter and
owed (on the council's "Your work") for the next, casework KPIs have values; with the published Northumbria
data, the month the police did not publish is flagged."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from joinedup.casework.demo import load_casework_demo
from joinedup.core.demo import load_demo
from joinedup.core.models import User
from joinedup.csp.demo import load_csp_demo
from joinedup.csp.demo import load_year_demo as load_csp_year
from joinedup.csp.models import CspPlan
from joinedup.engagement.demo import load_engagement_demo
from joinedup.funding.demo import load_funding_demo
from joinedup.funding.models import MeasureUnit
from joinedup.partnerships.demo import DEMO_PLAN_TITLE, load_partnership_demo
from joinedup.partnerships.demo import load_year_demo as load_partnerships_year
from joinedup.partnerships.models import Plan
from joinedup.performance.demo import REPEAT_VICTIMS_INDICATOR, VICTIMS_INDICATOR, load_performance_demo
from joinedup.performance.models import Indicator, Status
from joinedup.scrutiny.demo import load_year_demo as load_scrutiny_year

pytestmark = pytest.mark.django_db

# A day in the plan's first year, after two of its quarters have ended (the plan starts on 1 April 2026).
TODAY = datetime.date(2026, 12, 7)


def test_the_demo_has_computed_indicators_from_a_contract_kpi_and_grant_measures(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
    quiet: list[str] = []
    load_demo(shared_data_dir=tmp_path, out=quiet.append)
    load_partnership_demo(out=quiet.append)
    load_partnerships_year(out=quiet.append)
    load_funding_demo(out=quiet.append)
    load_csp_demo(out=quiet.append)
    load_performance_demo(out=quiet.append)

    kpi = Indicator.objects.get(source="contract")
    values = {v.period_start: v for v in kpi.values.filter(current=True)}
    first, second = values[datetime.date(2026, 4, 1)], values[datetime.date(2026, 7, 1)]
    # Days to first contact, monthly: 2.6, 2.4, 2.1 in the first quarter; 2.3, 1.9, 1.8 in the second.
    assert (first.value, first.status) == (Decimal("2.37"), Status.OFF_TRACK)
    assert (second.value, second.status) == (Decimal("2.00"), Status.ON_TRACK)
    assert "The mean of 3 supplier returns ending in the period" in second.reason

    grant = Indicator.objects.get(source="grant", outcome_measure__name="People taking part")
    values = {v.period_start: v for v in grant.values.filter(current=True)}
    # Awarded on 14 June (two weeks after the round closed); its first return is due on 30 September.
    assert values[datetime.date(2026, 4, 1)].status == Status.NO_DATA
    assert values[datetime.date(2026, 7, 1)].value == Decimal("38.00")
    assert "starts before the period" in values[datetime.date(2026, 7, 1)].reason
    # The grant's average (docs/adr/0045): sessions per young person, 4.5 in its first return, short of 6.
    average = Indicator.objects.get(source="grant", outcome_measure__unit=MeasureUnit.AVERAGE)
    assert average.name.startswith("Sessions per young person")
    quarter = average.values.get(current=True, period_start=datetime.date(2026, 7, 1))
    assert (quarter.value, quarter.status) == (Decimal("4.50"), Status.OFF_TRACK)

    # Loaded again: nothing is added.
    assert load_funding_demo(out=quiet.append) == []
    load_performance_demo(out=quiet.append)
    assert Indicator.objects.filter(source__in=["contract", "grant"]).count() == 3


# --- the whole demo, as `./run` loads it ------------------------------------------------------------------

# The plan starts on 1 April 2026 either way. Early: none of its quarters has ended (only April has); late:
# three have. (sent, owed): the manual return's quarters.
EARLY = (datetime.date(2026, 5, 20), ["2025-10-01"], "2026-01-01")
LATE = (datetime.date(2027, 3, 20), ["2026-04-01", "2026-07-01"], "2026-10-01")


def load_as_run(shared_data: Path, out: Any, police_data: bool = False) -> None:
    """The demo commands `./run` calls, in its order (the police data only when asked: `./run` imports it
    only when ../shared/data has it)."""
    load_demo(shared_data_dir=shared_data, out=out)
    load_partnership_demo(out=out)
    load_partnerships_year(out=out)
    load_casework_demo(out=out)
    load_funding_demo(out=out)
    load_csp_demo(out=out)
    load_csp_year(out=out)
    load_scrutiny_year(out=out)
    load_engagement_demo(out=out)
    if police_data:
        from joinedup.insight.demo import load_insight_demo
        from joinedup.insight.imports import services as reference
        from joinedup.insight.imports.importer import import_police_data

        reference.import_severity(
            shared_data / "severity" / "css_weights_ho_offence_police_uk_category_derived.csv",
            actor_label="test",
        )
        reference.import_deprivation(
            shared_data / "deprivation" / "imd2019_lsoa11_england.csv", actor_label="test"
        )
        import_police_data(sorted((shared_data / "police_uk").glob("northumbria_*.zip")))
        load_insight_demo(out=out)
    load_performance_demo(out=out)


def pin(monkeypatch: pytest.MonkeyPatch, day: datetime.date) -> None:
    """Now is noon on `day` (so `timezone.localdate()` is `day`): the demo's records are dated from it, as
    they would be that day."""
    noon = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12, 0)))
    monkeypatch.setattr(timezone, "now", lambda: noon)
    assert timezone.localdate() == day


def signed_in(email: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(email=email))
    return client


def report_page(client: Client, kind: str, pk: int) -> str:
    """The plan's quarterly report (the last quarter to have ended)."""
    response = client.get(reverse("performance:plan-report", args=[kind, pk]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("day, sent, owed", [EARLY, LATE], ids=["early-in-the-plan-year", "late"])
def test_the_whole_demo_as_run_loads_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, day: datetime.date, sent: list[str], owed: str
) -> None:
    pin(monkeypatch, day)
    load_as_run(tmp_path, out=lambda line: None)
    analyst = signed_in("analyst@example.org")

    # The Police and Crime Plan and each of the six Northumbria CSPs' plans carry indicators.
    plan = Plan.objects.get(title=DEMO_PLAN_TITLE)
    assert plan.period_start == datetime.date(2026, 4, 1)
    report = report_page(analyst, "pcc", plan.pk)
    for name in (
        "Anti-social behaviour, Northumbria",
        VICTIMS_INDICATOR,
        "Days from referral to first contact, victims' service (illustrative)",
        "Sessions per young person, Friday night boxing sessions (illustrative)",
    ):
        assert escape(name) in report, name
    csp_plans = CspPlan.objects.filter(csp__pfa=plan.force_area).select_related("csp")
    assert sorted(p.csp.name for p in csp_plans) == [
        "Gateshead",
        "Newcastle upon Tyne",
        "North Tyneside",
        "Northumberland",
        "South Tyneside",
        "Sunderland",
    ]
    for csp_plan in csp_plans:
        report = report_page(analyst, "csp", csp_plan.pk)
        assert f"Anti-social behaviour, {csp_plan.csp.name}" in report, csp_plan.csp.name

    # The council's manual return: sent for every quarter since the baseline but the last, which it owes.
    victims = Indicator.objects.get(name=VICTIMS_INDICATOR)
    returns = sorted(str(start) for start in victims.returns.values_list("period_start", flat=True))
    assert returns == sent
    values = {str(v.period_start): v for v in victims.values.filter(current=True)}
    assert sorted(values) == [*sent, owed]
    # 82.5% against a threshold of 85%: short of it, so at risk; the quarter owed has no data, never zero.
    assert (values[sent[0]].value, values[sent[0]].status) == (Decimal("82.50"), Status.AT_RISK)
    assert (values[owed].value, values[owed].status) == (None, Status.NO_DATA)
    detail = analyst.get(reverse("performance:indicator-detail", args=[victims.pk])).content.decode()
    assert "82.5" in detail and "No data" in detail
    # The owing council's practitioner finds it on "Your work", linked to the form for that quarter.
    council = signed_in("practitioner.council@example.org")
    page = council.get(reverse("workqueue:your-work")).content.decode()
    owed_label = {"2026-01-01": "Jan to Mar 2026", "2026-10-01": "Oct to Dec 2026"}[owed]
    assert f"Return for {VICTIMS_INDICATOR}, {owed_label}" in page
    link = reverse("performance:return-create", args=[victims.pk]) + f"?period={owed}"
    assert f'href="{link}"' in page
    # Nobody else owes it: the police practitioner's list does not have it.
    police = signed_in("practitioner.police@example.org")
    assert VICTIMS_INDICATOR not in police.get(reverse("workqueue:your-work")).content.decode()

    # The casework KPIs: reports actioned within 48 hours has a value for the month the demo's repeat
    # victim first reported (40 days ago), in Newcastle's report; informant feedback, which counts cases by
    # the month they were opened, has one for last month (the demo's earlier cases open one every few weeks
    # over the past months, most of their informants told what was done); so do reports from repeat
    # victims, which counts the earlier cases' repeat victim's third and fourth reports (45 and 20 days ago).
    assert set(Indicator.objects.filter(source="casework").values_list("casework_measure", flat=True)) == {
        "actioned_48h",
        "feedback",
        "repeat_victims",
    }
    first_report = (timezone.localdate() - datetime.timedelta(days=40)).replace(day=1)
    actioned = Indicator.objects.get(source="casework", casework_measure="actioned_48h")
    month = actioned.values.get(current=True, period_start=first_report)
    assert month.value is not None and month.status != Status.NO_DATA
    page = analyst.get(reverse("performance:indicator-detail", args=[actioned.pk])).content.decode()
    assert f"{first_report:%B %Y}" in page
    last_month = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    feedback = Indicator.objects.get(source="casework", casework_measure="feedback")
    month = feedback.values.get(current=True, period_start=last_month)
    assert month.value is not None and 0 < month.value <= 100 and month.status != Status.NO_DATA
    page = analyst.get(reverse("performance:indicator-detail", args=[feedback.pk])).content.decode()
    assert f"{last_month:%B %Y}" in page and f"{month.value.normalize():f}" in page
    repeats = Indicator.objects.get(name=REPEAT_VICTIMS_INDICATOR)
    assert (repeats.source, repeats.unit, repeats.direction) == ("casework", "count", "down")
    assert repeats.csp_priority is not None and repeats.csp_priority.plan.csp.name == "Newcastle upon Tyne"
    month = repeats.values.get(current=True, period_start=last_month)
    # Two reports, under the target of at most 3 a month.
    assert (month.value, month.status) == (Decimal("2"), Status.ON_TRACK)
    page = analyst.get(reverse("performance:indicator-detail", args=[repeats.pk])).content.decode()
    assert "2 is at or below the target of 3" in page
    assert escape(REPEAT_VICTIMS_INDICATOR) in report_page(analyst, "csp", repeats.csp_priority.plan.pk)


@pytest.mark.shared_data
def test_the_whole_demo_with_the_published_police_data_flags_the_missing_month(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    shared = Path(settings.SHARED_DATA_DIR)
    if not list((shared / "police_uk").glob("northumbria_*.zip")) or not (shared / "lookups").is_dir():
        pytest.skip(f"The published data is not at {shared} (set JOINEDUP_SHARED_DATA to its path).")
    settings.DATA_DIR = tmp_path
    pin(monkeypatch, EARLY[0])
    load_as_run(shared, out=lambda line: None, police_data=True)

    # Newcastle's ASB, quarter by quarter from April 2022: the download has no March 2023, so January to
    # March 2023 is flagged, not counted as a whole quarter.
    asb = Indicator.objects.get(name="Anti-social behaviour, Newcastle upon Tyne")
    values = {str(v.period_start): v for v in asb.values.filter(current=True)}
    assert values["2022-10-01"].value is not None and not values["2022-10-01"].coverage_warning
    flagged = values["2023-01-01"]
    assert flagged.value is not None and flagged.detail["months_missing"] == ["2023-03"]
    assert flagged.coverage_warning
    assert values["2023-04-01"].value is None  # after the download: no data, never zero
    page = signed_in("analyst@example.org").get(reverse("performance:indicator-detail", args=[asb.pk]))
    assert "(months missing)" in page.content.decode()
