"""Newcastle upon Tyne's police-data indicators, worked out from the real Northumbria download, against an
independent count of the published files (insight's own oracle helper: the ZIP and the ONS lookups read
directly, not through the importer, the store or the Area table)."""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest

from joinedup.core.models import Area, Organisation
from joinedup.core.roles import Role
from joinedup.core.services.areas_import import import_areas
from joinedup.core.tests.factories import UserFactory
from joinedup.insight.services.importer import import_police_data
from joinedup.insight.tests.test_northumbria import ORACLE, _independent_counts, _shared
from joinedup.partnerships.models import Plan
from joinedup.performance import services
from joinedup.performance.models import Indicator

pytestmark = [pytest.mark.shared_data, pytest.mark.django_db]
NEWCASTLE = "E22000245"
QUARTERS = [
    ("2022-04", "2022-05", "2022-06"),
    ("2022-07", "2022-08", "2022-09"),
    ("2022-10", "2022-11", "2022-12"),
    ("2023-01", "2023-02", "2023-03"),
]
BASELINE = [f"2021-{m:02d}" for m in range(4, 13)] + ["2022-01", "2022-02", "2022-03"]


def test_newcastle_indicators_match_an_independent_count(tmp_path: Path, settings: Any) -> None:
    folder = _shared()
    settings.DATA_DIR = tmp_path
    import_areas(folder)
    import_police_data([folder / "police_uk" / "northumbria_2020-05_2023-03.zip"])
    newcastle = Area.objects.get(code=NEWCASTLE)
    plan = Plan.objects.create(
        title="Plan",
        pcc_name="PCC",
        force_area=newcastle.pfa,
        period_start=datetime.date(2022, 4, 1),
        period_end=datetime.date(2023, 3, 31),
    )
    priority = plan.priorities.create(title="Crime and ASB")
    analyst = UserFactory(role=Role.ANALYST, areas=[newcastle.pfa])
    owner = Organisation.objects.create(name="Northumbria Police")
    made = {}
    for key, measure, unit in (
        ("crimes", "all_crime", "count"),
        ("asb", "asb", "count"),
        ("rate", "all_crime", "rate"),
    ):
        made[key] = services.define_indicator(
            actor=analyst,
            priority=priority,
            data={
                "name": key,
                "definition": key,
                "unit": unit,
                "area": newcastle,
                "direction": "down",
                "baseline_from": "2021-04-01",
                "baseline_to": "2022-03-31",
                "target_kind": "change",
                "target_value": "-10",
                "frequency": "quarterly",
                "owner": owner,
                "source": "police",
                "police_measure": measure,
            },
            compute=False,
        )
    result = services.recompute(indicators=Indicator.objects.all(), today=datetime.date(2026, 12, 1))
    assert result.assessments == 5  # the baseline and four quarters, each assessed once for all three

    counted = _independent_counts(folder, NEWCASTLE, {m for q in QUARTERS for m in q} | set(BASELINE))
    # Northumbria published no street file for 2022-01 (in the baseline) or 2023-03 (in the last quarter).
    assert "2022-01" not in counted and "2023-03" not in counted
    population = ORACLE["Newcastle upon Tyne"][2]
    for index, months in enumerate(QUARTERS):
        start = datetime.date(int(months[0][:4]), int(months[0][5:]), 1)
        present = [m for m in months if m in counted]
        crimes = sum(counted[m][0] for m in present)
        asb = sum(counted[m][1] for m in present)
        values = {k: i.values.get(current=True, period_start=start) for k, i in made.items()}
        assert values["crimes"].value == crimes, months
        assert values["asb"].value == asb, months
        assert values["rate"].value == Decimal(crimes * 1000 / population).quantize(
            Decimal("0.1"), ROUND_HALF_UP
        )
        # The first quarter's previous quarter (Jan to Mar 2022) lacks a month, the last quarter its own.
        assert ("2022-01" in values["crimes"].coverage_warning) == (index == 0)
        assert values["crimes"].detail["months_missing"] == ([] if index < 3 else ["2023-03"])
        if index == 3:
            assert "Only 2 of 3 months have data" in values["crimes"].reason
    # The baseline has 11 of 12 months: the target is its monthly average over those, for 3 months, less 10%.
    baseline_crimes = sum(counted[m][0] for m in BASELINE if m in counted)
    target = (Decimal(baseline_crimes) / 11 * 3 * Decimal("0.9")).quantize(Decimal("0.01"), ROUND_HALF_UP)
    first = made["crimes"].values.get(current=True, period_start=datetime.date(2022, 4, 1))
    assert first.target is not None and abs(first.target - target) <= Decimal("0.01")
