"""Casework figures of 1 or 2 (ADR 0013, 0029): counts shown as "fewer than 3" and percentages worked out
from them withheld, outside casework, in current values and earlier computations alike; a period's reason
never quotes the period before's figure when that figure is small, even across a period with no data."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from joinedup.core.disclosure import FEWER_THAN, WITHHELD
from joinedup.core.roles import Role
from joinedup.core.tests.factories import OrganisationFactory, UserFactory
from joinedup.partnerships.models import Plan
from joinedup.performance import selectors, services
from joinedup.performance.models import Indicator, IndicatorValue

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2023, 10, 15)  # April to September 2023 have ended: six monthly periods
APR, MAY, JUN, JUL, AUG, SEP = (datetime.date(2023, m, 1) for m in range(4, 10))


def _figures(row: dict[str, int] | None) -> dict[str, Any]:
    row = row or {}
    eligible, actioned = row.get("eligible", 0), row.get("actioned", 0)
    return {
        "incidents": row.get("incidents", 0),
        "actioned": {
            "eligible": eligible,
            "actioned": actioned,
            "percent": round(100 * actioned / eligible, 1) if eligible else None,
            "pending": 0,
        },
        "feedback": {"cases": 0, "with_feedback": 0, "percent": None},
        "monthly": [{"repeat_victim": row.get("repeat_victim", 0)}],
    }


@pytest.fixture
def casework(areas: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """A Police and Crime Plan priority measured by casework KPIs for North Testshire, month by month; the
    KPIs are given per month, and the baseline's in `baseline` (none unless a test gives them)."""
    table: dict[datetime.date, dict[str, int]] = {}
    baseline: dict[str, int] = {}

    def kpis(*, user: Any, csp_code: str, months: int, now: datetime.datetime) -> dict[str, Any]:
        assert csp_code == areas["north"].code
        return _figures(table.get(now.date().replace(day=1)) if months == 1 else baseline)

    monkeypatch.setattr("joinedup.casework.kpis.selectors.kpis", kpis)
    pfa = areas["pfa"]
    plan = Plan.objects.create(
        title="Testshire plan",
        pcc_name="PCC",
        force_area=pfa,
        period_start=datetime.date(2023, 4, 1),
        period_end=datetime.date(2024, 3, 31),
    )
    return {
        **areas,
        "table": table,
        "baseline": baseline,
        "plan": plan,
        "priority": plan.priorities.create(title="Supporting victims"),
        "owner": OrganisationFactory(name="Northtown Council"),
        "analyst": UserFactory(role=Role.ANALYST, areas=[pfa]),
        "panel": UserFactory(role=Role.PANEL_MEMBER, areas=[pfa]),
    }


def _define(world: dict[str, Any], **changes: Any) -> Indicator:
    data = {
        "name": "Repeat victims, North Testshire",
        "definition": "Reports from repeat victims.",
        "unit": "count",
        "area": world["north"],
        "direction": "up",
        "baseline_from": datetime.date(2022, 4, 1),
        "baseline_to": datetime.date(2023, 3, 31),
        "target_kind": "amount",
        "target_value": Decimal("10"),
        "frequency": "monthly",
        "owner": world["owner"],
        "source": "casework",
        "casework_measure": "repeat_victims",
        **changes,
    }
    return services.define_indicator(
        actor=world["analyst"], priority=world["priority"], data=data, compute=False
    )


def _recompute(indicator: Indicator) -> None:
    services.recompute(indicators=Indicator.objects.filter(pk=indicator.pk), today=TODAY)


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_small_counts_are_hidden_now_and_in_history_and_never_quoted_by_the_next_reason(
    casework: dict[str, Any],
):
    # 1, 2, a month with no reports (no data), then 5, 7 and 6: up is good, towards 10.
    table = casework["table"]
    table.update(
        {
            APR: {"incidents": 4, "repeat_victim": 1},
            MAY: {"incidents": 4, "repeat_victim": 2},
            JUL: {"incidents": 9, "repeat_victim": 5},
            AUG: {"incidents": 9, "repeat_victim": 7},
            SEP: {"incidents": 9, "repeat_victim": 6},
        }
    )
    indicator = _define(casework)
    _recompute(indicator)
    stored = {v.period_start: v for v in indicator.values.filter(current=True)}
    assert [stored[m].value for m in (APR, MAY, JUN, JUL, AUG)] == [1, 2, None, 5, 7]
    # The reason of the month after a small count (and of the month after the gap) leaves its figure out.
    assert "moving the right way since the period before" in stored[MAY].reason
    assert "moving the right way since the period before" in stored[JUL].reason
    assert "moving the right way from 5 the period before" in stored[AUG].reason
    assert "not moving the right way" in stored[SEP].reason

    # April is corrected to 2: its first computation (1) becomes an earlier computation.
    table[APR] = {"incidents": 4, "repeat_victim": 2}
    _recompute(indicator)
    assert IndicatorValue.objects.get(indicator=indicator, current=False, period_start=APR).value == 1

    panel = _client(casework["panel"])
    page = panel.get(f"/staff/performance/indicators/{indicator.pk}/")
    assert page.status_code == 200
    shown = {v.period_start: v for v in page.context["values"]}
    assert [shown[m].value for m in (APR, MAY, JUN, JUL)] == [None, None, None, 5]
    assert [getattr(shown[m], "withheld", "") for m in (APR, MAY, JUN)] == [FEWER_THAN, FEWER_THAN, ""]
    assert shown[APR].reason == selectors.SMALL_COUNT_NOTE
    history = list(page.context["history"])
    assert history and all(v.value is None and v.withheld == FEWER_THAN for v in history)
    text = page.content.decode()
    assert "Fewer than 3" in text and f"{APR:%b %Y}: fewer than 3 (" in text
    assert not any(f"from {n} the period before" in v.reason for v in shown.values() for n in (1, 2))

    # Casework statistics readers see every figure.
    analyst = _client(casework["analyst"]).get(f"/staff/performance/indicators/{indicator.pk}/")
    assert [v.value for v in analyst.context["values"]][:2] == [2, 2]

    # The report, its CSV and the API say the same to the Panel.
    report = f"/staff/performance/plans/pcc/{casework['plan'].pk}/report.csv?quarter=2023-07"
    lines = panel.get(report).content.decode().splitlines()
    april = next(line for line in lines if ",2023-04-01," in line)
    assert ",fewer than 3,10.00," in april
    values = selectors.withhold_small_figures(
        casework["panel"], indicator, selectors.value_history(indicator)
    )
    assert all(v.value is None or v.value >= 3 for v in values)


def test_percentages_from_one_or_two_cases_are_withheld(casework: dict[str, Any]):
    casework["table"].update(
        {
            APR: {"eligible": 2, "actioned": 1},  # 50% of 2: the whole is small
            MAY: {"eligible": 3, "actioned": 2},  # 66.7% of 3: the part is small
            JUN: {"eligible": 5, "actioned": 0},  # 0% of 5: shown (none is no one)
            JUL: {"eligible": 5, "actioned": 4},  # 80% of 5: shown
            AUG: {"eligible": 6, "actioned": 5},  # 83.3% of 6: shown
        }
    )
    indicator = _define(
        casework,
        name="Reports actioned within 48 hours",
        unit="percent",
        casework_measure="actioned_48h",
        target_kind="amount",
        target_value=Decimal("90"),
    )
    _recompute(indicator)
    stored = {v.period_start: v for v in indicator.values.filter(current=True)}
    assert (stored[MAY].detail["of"], stored[MAY].detail["part"]) == (3, 2)
    # The reason after a withheld percentage leaves its figure out; after a shown one it quotes it.
    assert "moving the right way since the period before" in stored[MAY].reason
    assert "moving the right way from 0% the period before" in stored[JUL].reason
    # A row computed before the part was kept: the part is worked back from the percentage (2 of 3).
    legacy = stored[AUG]
    IndicatorValue.objects.filter(pk=legacy.pk).update(value=Decimal("66.67"), detail={"of": 3})

    shown = {
        v.period_start: v
        for v in selectors.withhold_small_figures(
            casework["panel"], indicator, indicator.values.filter(current=True).order_by("period_start")
        )
    }
    assert [getattr(shown[m], "withheld", "") for m in (APR, MAY, JUN, JUL, AUG)] == [
        WITHHELD,
        WITHHELD,
        "",
        "",
        WITHHELD,
    ]
    assert shown[APR].value is None and shown[APR].reason == selectors.WITHHELD_NOTE
    assert shown[JUN].value == 0 and shown[JUL].value == 80
    # A reason written before the mend, quoting a withheld figure, is not repeated to the Panel.
    IndicatorValue.objects.filter(pk=stored[JUN].pk).update(
        reason="80% has not reached the target of 90%, moving the right way from 66.7% the period before."
    )
    june = selectors.withhold_small_figures(
        casework["panel"], indicator, indicator.values.filter(pk=stored[JUN].pk)
    )[0]
    assert "66.7%" not in june.reason and "moving the right way since the period before" in june.reason
    page = _client(casework["panel"]).get(
        f"/staff/performance/plans/pcc/{casework['plan'].pk}/report/?quarter=2023-07"
    )
    assert page.status_code == 200 and "Withheld" in page.content.decode()


def test_a_target_set_as_a_change_on_a_small_baseline_is_withheld_with_it(casework: dict[str, Any]):
    # Two repeat victims in the baseline year: "reduce by 10%" would make each month's target 2 x 0.9 / 12.
    casework["baseline"].update({"incidents": 8, "repeat_victim": 2})
    casework["table"].update(
        {APR: {"incidents": 9, "repeat_victim": 4}, MAY: {"incidents": 9, "repeat_victim": 0}}
    )
    indicator = _define(
        casework, direction="down", target_kind="change", target_value=Decimal("-10"), name="Repeat victims"
    )
    _recompute(indicator)
    stored = {v.period_start: v for v in indicator.values.filter(current=True)}
    assert stored[APR].detail["baseline_small"] == FEWER_THAN and stored[APR].target == Decimal("0.15")
    assert "target of 0.15" in stored[APR].reason  # as casework statistics readers see it

    panel = _client(casework["panel"])
    page = panel.get(f"/staff/performance/indicators/{indicator.pk}/")
    shown = {v.period_start: v for v in page.context["values"]}
    assert (
        shown[APR].value == 4 and shown[APR].target is None and shown[APR].reason == selectors.BASELINE_NOTE
    )
    assert shown[MAY].value == 0 and shown[MAY].target is None
    assert "0.15" not in page.content.decode() and "0.2" not in page.content.decode()
    analyst = _client(casework["analyst"]).get(f"/staff/performance/indicators/{indicator.pk}/")
    assert analyst.context["values"][0].target == Decimal("0.15")

    report = f"/staff/performance/plans/pcc/{casework['plan'].pk}/report.csv?quarter=2023-07"
    april = next(line for line in panel.get(report).content.decode().splitlines() if ",2023-04-01," in line)
    assert ",4.00,withheld," in april and "0.15" not in april

    visitor = Client()
    public = visitor.get(f"/plan-progress/pcc/{casework['plan'].pk}/?quarter=2023-07").content.decode()
    assert "Target withheld" in public and "0.15" not in public
    response = visitor.get(f"/plan-progress/pcc/{casework['plan'].pk}/progress.csv")
    download = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "withheld" in download and "0.15" not in download

    # A baseline of 3 or more may be shown, and so may the target worked out from it.
    casework["baseline"].update({"repeat_victim": 3})
    _recompute(indicator)
    again = selectors.withhold_small_figures(
        casework["panel"], indicator, selectors.current_values(indicator)
    )
    assert "baseline_small" not in again[0].detail and again[0].target == Decimal("0.23")
