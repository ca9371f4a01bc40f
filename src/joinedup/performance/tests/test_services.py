"""Indicators: definitions refused when they contradict themselves, values computed from police data through
the assessment (like for like, "no data" never zero), manual returns refused with every problem listed,
statuses in words, and the due returns in the owner's Your work."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from joinedup.core.due import due_items
from joinedup.core.models import Area
from joinedup.core.roles import Role
from joinedup.core.tests.factories import OrganisationFactory, UserFactory
from joinedup.insight.imports.importer import import_police_data
from joinedup.insight.tests.test_importer import street_file, street_row
from joinedup.partnerships.models import Plan
from joinedup.performance import services
from joinedup.performance.due import manual_returns
from joinedup.performance.models import Indicator, IndicatorValue, Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting(areas: dict[str, Area]) -> dict[str, Any]:
    pfa = areas["pfa"]
    plan = Plan.objects.create(
        title="Testshire plan",
        pcc_name="PCC",
        force_area=pfa,
        period_start=datetime.date(2023, 4, 1),
        period_end=datetime.date(2024, 3, 31),
    )
    council = OrganisationFactory(name="Northtown Council")
    other = OrganisationFactory(name="Southtown Council")
    return {
        **areas,
        "plan": plan,
        "priority": plan.priorities.create(title="Fewer burglaries"),
        "council": council,
        "other": other,
        "analyst": UserFactory(role=Role.ANALYST, areas=[pfa]),
        "clerk": UserFactory(role=Role.PRACTITIONER, areas=[pfa], organisation=council),
        "stranger": UserFactory(role=Role.PRACTITIONER, areas=[pfa], organisation=other),
    }


def _police(setting: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return {
        "name": "All crime, North Testshire",
        "definition": "Street-level crime excluding ASB.",
        "unit": "count",
        "area": setting["north"],
        "direction": "down",
        "baseline_from": datetime.date(2022, 4, 1),
        "baseline_to": datetime.date(2023, 3, 31),
        "target_kind": "change",
        "target_value": Decimal("-5"),
        "frequency": "quarterly",
        "owner": setting["council"],
        "source": "police",
        "police_measure": "all_crime",
        **changes,
    }


def _manual(setting: dict[str, Any], **changes: Any) -> dict[str, Any]:
    manual = {
        "name": "Victims offered support (%)",
        "unit": "percent",
        "direction": "up",
        "target_kind": "threshold",
        "target_value": Decimal("85"),
        "baseline_value": Decimal("80"),
        "source": "manual",
        "police_measure": "",
    }
    return _police(setting, **{**manual, **changes})


def test_a_target_that_contradicts_the_direction_is_refused_with_every_problem(setting: dict[str, Any]):
    with pytest.raises(ValidationError) as caught:
        services.define_indicator(
            actor=setting["analyst"],
            priority=setting["priority"],
            data=_police(setting, target_value=Decimal("10"), unit="percent", name=""),
        )
    problems = caught.value.message_dict
    assert "contradicts the direction: down is good" in " ".join(problems["target_value"])
    assert "unit" in problems and "name" in problems
    assert not Indicator.objects.exists()
    with pytest.raises(ValidationError) as caught:
        services.define_indicator(
            actor=setting["analyst"],
            priority=setting["priority"],
            data=_manual(setting, target_value=Decimal("70")),
        )
    assert "contradicts the direction" in " ".join(caught.value.message_dict["target_value"])


@pytest.fixture
def store(setting: dict[str, Any], tmp_path: Path, settings: Any) -> dict[str, Any]:
    """North Testshire, 2022-04..2023-12: 100 burglaries a month, 2 robberies a month from 2023-04; no file
    for 2022-05 (in the baseline) or 2023-09 (in the second quarter reported)."""
    settings.DATA_DIR = tmp_path / "var"
    folder = tmp_path / "in"
    year, month = 2022, 4
    while (year, month) <= (2023, 12):
        name = f"{year}-{month:02d}"
        if name not in ("2022-05", "2023-09"):
            rows = [street_row(f"b{name}-{i}", name, "E01900001") for i in range(100)]
            if (year, month) >= (2023, 4):
                rows += [street_row(f"r{name}-{i}", name, "E01900002", "Robbery") for i in range(2)]
            street_file(folder, name, rows)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    import_police_data([folder])
    return setting


def test_police_values_come_from_the_assessment_like_for_like(
    store: dict[str, Any], django_capture_on_commit_callbacks: Any
):
    indicator = services.define_indicator(
        actor=store["analyst"], priority=store["priority"], data=_police(store), compute=False
    )
    result = services.recompute(indicators=Indicator.objects.all(), today=datetime.date(2024, 6, 1))
    values = {v.period_start: v for v in indicator.values.filter(current=True)}
    assert result.written == 4 and len(values) == 4
    q1, q2, q3, q4 = (
        values[datetime.date(y, m, 1)] for y, m in ((2023, 4), (2023, 7), (2023, 10), (2024, 1))
    )
    # Baseline: 1,100 burglaries in the 11 months present, raised to 3 months and cut by 5%.
    expected_target = (Decimal(1100) / 11 * 3 * Decimal("0.95")).quantize(Decimal("0.01"))
    assert q1.value == Decimal(306) and q1.target == expected_target
    assert q1.status == Status.AT_RISK and "misses the target of 285 by 21 (within 10% of it)" in q1.reason
    # 2023-09 is missing: 204 in two months, compared pro rata; never a "significant fall" against 306.
    assert q2.value == Decimal(204) and q2.detail["months_missing"] == ["2023-09"]
    assert "significant" not in q2.trend.replace("no significant change", "")
    assert "Only 2 of 3 months have data" in q2.reason and q2.coverage_warning
    assert q3.status == Status.AT_RISK
    # 2024 is not in the store: no data, never zero.
    assert (
        q4.value is None
        and q4.status == Status.NO_DATA
        and q4.reason.startswith("No data for Jan to Mar 2024")
    )
    # Nothing changed: a recompute writes nothing; a changed target supersedes, keeping the old rows.
    assert (
        services.recompute(indicators=Indicator.objects.all(), today=datetime.date(2024, 6, 1)).written == 0
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.update_indicator(
            actor=store["analyst"],
            indicator=indicator,
            expected_version=indicator.version,
            data={"target_value": Decimal("-1")},
        )
    assert IndicatorValue.objects.filter(indicator=indicator, current=False).count() == 4
    assert indicator.values.get(current=True, period_start=q1.period_start).target == Decimal("297.00")
    assert indicator.values.get(current=False, period_start=q1.period_start).target == expected_target


def _weight(crime_type: str, weight: float) -> None:
    from joinedup.insight.models import SeverityWeight

    SeverityWeight.objects.create(
        crime_type=crime_type,
        weight=weight,
        mean_weight=weight,
        min_weight=weight,
        max_weight=weight,
        offences=1,
    )


def test_crime_harm_weights_each_crime_type_by_its_severity(store: dict[str, Any]):
    """Harm is each crime type's count times its Crime Severity Score weight, counted here from what the
    fixture wrote (100 burglaries a month in North Testshire; 2 robberies a month from April 2023; no file
    for May 2022 or September 2023), never zero when no weight is loaded."""
    harm = services.define_indicator(
        actor=store["analyst"],
        priority=store["priority"],
        data=_police(store, name="Crime harm", police_measure="harm"),
        compute=False,
    )
    rate = services.define_indicator(
        actor=store["analyst"],
        priority=store["priority"],
        data=_police(store, name="Crime harm per 1,000", police_measure="harm", unit="rate"),
        compute=False,
    )
    today = datetime.date(2024, 6, 1)
    services.recompute(indicators=Indicator.objects.all(), today=today)
    first = harm.values.get(current=True, period_start=datetime.date(2023, 4, 1))
    assert first.value is None and first.status == Status.NO_DATA
    assert "No crime severity weights are loaded" in first.reason

    _weight("Burglary", 400.0)
    services.recompute(indicators=Indicator.objects.all(), today=today)
    first = harm.values.get(current=True, period_start=datetime.date(2023, 4, 1))
    # Robbery has no weight yet: left out, and named.
    assert first.value == Decimal(3 * 100 * 400) and first.detail["unweighted"] == ["Robbery"]

    _weight("Robbery", 1000.0)
    services.recompute(indicators=Indicator.objects.all(), today=today)
    first = harm.values.get(current=True, period_start=datetime.date(2023, 4, 1))
    assert first.value == Decimal(3 * 100 * 400 + 3 * 2 * 1000) and first.detail["unweighted"] == []
    # Like for like against April to June 2022 (May 2022 missing, so April and June of each year):
    # 200 burglaries both years, and 4 robberies this year: (80,000 + 4,000) / 80,000, up 5%.
    assert first.trend == "harm up 5.0%, not tested"
    assert "harm up 5.0%" in first.reason and first.detail["change_pct"] == 5.0
    # North Testshire's 2,500 residents: harm per 1,000.
    per_1000 = rate.values.get(current=True, period_start=datetime.date(2023, 4, 1))
    assert per_1000.value == Decimal("50400.00")  # 126,000 x 1,000 / 2,500
    # The quarter missing September: two months' harm, with the gap named as for counts.
    second = harm.values.get(current=True, period_start=datetime.date(2023, 7, 1))
    assert second.value == Decimal(2 * (100 * 400 + 2 * 1000)) and second.detail["months_missing"] == [
        "2023-09"
    ]
    # 2024 is not in the store: no data, never zero.
    assert harm.values.get(current=True, period_start=datetime.date(2024, 1, 1)).value is None


def test_the_scheduler_recomputes_only_after_new_police_data(store: dict[str, Any], tmp_path: Path):
    from joinedup.notifications.scheduler import TIMETABLE

    indicator = services.define_indicator(
        actor=store["analyst"], priority=store["priority"], data=_police(store), compute=False
    )
    job = next(job for job in TIMETABLE if job.name == "performance_recompute")
    now = timezone.make_aware(datetime.datetime(2024, 6, 1, 9, 0))
    assert job.run(now).startswith(
        "1 indicator(s) recomputed after a period ended or new police data, 4 value(s) changed"
    )
    assert job.run(now) == "no period ended and police data unchanged: no indicator to recompute"
    # January 2024 arrives: the next run recomputes, and the quarter it completes is no longer "no data".
    folder = tmp_path / "more"
    for name in ("2024-01", "2024-02", "2024-03"):
        street_file(folder, name, [street_row(f"n{name}-{i}", name, "E01900001") for i in range(90)])
    import_police_data([folder])
    assert services.recompute_stale(today=datetime.date(2024, 6, 1)) is not None
    assert indicator.values.get(current=True, period_start=datetime.date(2024, 1, 1)).value == Decimal(270)


def test_a_period_ending_without_a_return_says_no_data_once_the_scheduler_runs(setting: dict[str, Any]):
    # A manual return's indicator, never computed: each quarter that has ended gets its "no data" value from
    # the scheduler's run, not only police-data indicators; and then nothing more until the next one ends.
    indicator = services.define_indicator(
        actor=setting["analyst"], priority=setting["priority"], data=_manual(setting), compute=False
    )
    today = datetime.date(2023, 8, 1)
    ran = services.recompute_stale(today=today)
    assert ran is not None and ran.indicators == 1
    values = list(indicator.values.filter(current=True))
    assert values and all(value.value is None and value.status == "no_data" for value in values)
    assert services.recompute_stale(today=today) is None
    later = services.recompute_stale(today=datetime.date(2023, 10, 2))
    assert later is not None and indicator.values.filter(current=True).count() == len(values) + 1


def test_the_scheduler_recomputes_only_indicators_with_something_new(store: dict[str, Any]):
    today = datetime.date(2023, 8, 1)  # April to June 2023 has ended
    fresh = services.define_indicator(
        actor=store["analyst"], priority=store["priority"], data=_police(store, name="Fresh"), compute=False
    )
    services.recompute(indicators=Indicator.objects.filter(pk=fresh.pk), today=today)
    new = services.define_indicator(
        actor=store["analyst"], priority=store["priority"], data=_police(store, name="New"), compute=False
    )
    # Its first period (July to September 2023) has not ended: nothing to compute, so never stale.
    future = services.define_indicator(
        actor=store["analyst"],
        priority=store["priority"],
        data=_police(
            store,
            name="Future",
            baseline_from=datetime.date(2022, 7, 1),
            baseline_to=datetime.date(2023, 6, 30),
        ),
        compute=False,
    )
    first = services.recompute_stale(today=today)
    assert first is not None and first.indicators == 1 and first.written == 1
    assert new.values.filter(current=True).count() == 1
    assert not future.values.exists() and fresh.values.filter(current=False).count() == 0
    # Nothing changed since: the second call recomputes nothing.
    assert services.recompute_stale(today=today) is None
    # A period ends: only the indicators it completes are recomputed, and only once.
    later = datetime.date(2023, 10, 2)
    second = services.recompute_stale(today=later)
    assert second is not None and second.indicators == 3
    assert services.recompute_stale(today=later) is None


def test_manual_returns_are_refused_with_every_problem_listed(setting: dict[str, Any]):
    indicator = services.define_indicator(
        actor=setting["analyst"], priority=setting["priority"], data=_manual(setting), compute=False
    )
    today = datetime.date(2023, 8, 15)
    with pytest.raises(ValidationError) as caught:
        services.submit_return(
            actor=setting["stranger"],
            indicator=indicator,
            period_start="2023-07-01",
            value="140",
            today=today,
        )
    problems = caught.value.message_dict
    assert "Southtown Council does not owe this return: Northtown Council does." in problems["__all__"]
    assert any("not due yet" in p for p in problems["period_start"])
    assert "A percentage cannot be more than 100." in problems["value"]
    with pytest.raises(ValidationError) as caught:
        services.submit_return(
            actor=setting["clerk"], indicator=indicator, period_start="2023-05-01", value="-1", today=today
        )
    assert "does not start a quarterly period" in caught.value.message_dict["period_start"][0]
    assert "The figure cannot be below zero." in caught.value.message_dict["value"]
    assert not indicator.returns.exists()

    record = services.submit_return(
        actor=setting["clerk"], indicator=indicator, period_start="2023-04-01", value="86.5", today=today
    )
    assert record.value == Decimal("86.5")
    value = indicator.values.get(current=True, period_start=datetime.date(2023, 4, 1))
    assert value.status == Status.ON_TRACK and value.reason.startswith(
        "86.5% is at or above the target of 85%"
    )


def test_the_owed_return_is_in_the_owners_work_only(setting: dict[str, Any]):
    indicator = services.define_indicator(
        actor=setting["analyst"], priority=setting["priority"], data=_manual(setting), compute=False
    )
    today = datetime.date(2023, 7, 15)  # Apr-Jun ended; its return is due 20 July
    items = manual_returns(
        setting["clerk"], today=today, now=None, horizon=datetime.timedelta(days=14), limit=None
    ).items
    assert [(i.due, i.overdue) for i in items] == [(datetime.date(2023, 7, 20), False)]
    assert "Northtown Council owes" in items[0].why and f"/indicators/{indicator.pk}/" in items[0].url
    assert (
        manual_returns(
            setting["stranger"], today=today, now=None, horizon=datetime.timedelta(days=14), limit=None
        ).count
        == 0
    )
    assert (
        manual_returns(
            setting["analyst"], today=today, now=None, horizon=datetime.timedelta(days=14), limit=None
        ).count
        == 0
    )
    services.submit_return(
        actor=setting["clerk"], indicator=indicator, period_start="2023-04-01", value="80", today=today
    )
    assert not [i for i in due_items(setting["clerk"], today=today) if i.kind == "performance.manual_return"]


def test_casework_kpis_with_no_reports_are_no_data(setting: dict[str, Any]):
    indicator = services.define_indicator(
        actor=setting["analyst"],
        priority=setting["priority"],
        data={
            **_police(setting),
            "source": "casework",
            "police_measure": "",
            "casework_measure": "actioned_48h",
            "unit": "percent",
            "direction": "up",
            "target_kind": "threshold",
            "target_value": Decimal("90"),
        },
        compute=False,
    )
    services.recompute(indicators=Indicator.objects.all(), today=datetime.date(2023, 8, 1))
    value = indicator.values.get(current=True)
    assert value.value is None and value.status == Status.NO_DATA
    assert "No reports in North Testshire" in value.reason
