"""Recompute speed: every indicator of a force area from the analytical store (issue 18).

    .venv/bin/python bench/performance_recompute.py DATA_DIR [--force-area E23000007] [--runs 3]

DATA_DIR is a data directory with the reference geography and the Northumbria download imported (`./run`
leaves one in ./var; its SQLite database is used unless DATABASE_URL says otherwise). The script adds
(once) a benchmark Police and Crime Plan for the force area whose priority carries, for the force area,
each CSP and each district: all crime and ASB as counts and rates and every crime type as a count (17
indicators an area; 221 for Northumbria), quarterly over 2022/23 against a 2021/22 baseline. It times:

- cold: a recompute from nothing (every value written; each area and period's figures read once, shared
  by that area's indicators, from the store's summary: `insight.selectors.area_figures`);
- cold, whole assessment: the same with each area and period assessed in full (`area_assessment`: the
  by-place scan of the Parquet files, similar areas, LSOAs), as recompute did before the figures had an
  entry point of their own: the baseline of the ratio;
- again: a recompute with nothing changed (every value read and compared, nothing written);
- baseline: the same assessments one indicator at a time with no sharing (what computing each indicator
  on its own would cost), estimated as (assessments per indicator) x (median time of one assessment).

`--places` adds (once) a second priority with, for each of those areas, repeat locations (all crime, 3 or
more, a 5% fall on the baseline's quarters) and the charge/summons rate (all crime): measures that scan the
area's Parquet rows (ADR 0034). The timed set is then the plan's every indicator.

Medians of `--runs` runs, wall clock and CPU time, with the load average (the machine is shared).
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--force-area", default="E23000007", help="Default: Northumbria.")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--places", action="store_true", help="Add repeat locations and charge rates.")
    args = parser.parse_args()
    sys.path.insert(0, str(REPO / "src"))
    os.environ["JOINEDUP_DATA_DIR"] = str(args.data_dir.resolve())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "joinedup.config.settings.local")
    import django

    django.setup()
    from joinedup.core.models import Area, AreaLevel, Organisation
    from joinedup.insight.calculation import assess
    from joinedup.insight.store import CRIME_TYPES
    from joinedup.partnerships.models import Plan
    from joinedup.performance.models import Indicator, IndicatorValue
    from joinedup.performance.services import recompute

    force_area = Area.objects.get(code=args.force_area, level=AreaLevel.PFA)
    title = "Benchmark plan (bench/performance_recompute.py)"
    plan, _ = Plan.objects.get_or_create(
        title=title,
        defaults={
            "pcc_name": "Benchmark",
            "force_area": force_area,
            "period_start": datetime.date(2022, 4, 1),
            "period_end": datetime.date(2023, 3, 31),
        },
    )
    priority = plan.priorities.first() or plan.priorities.create(title="Crime and ASB")
    owner, _ = Organisation.objects.get_or_create(name="Benchmark owner (illustrative)")
    areas = [force_area, *Area.objects.filter(pfa=force_area, level__in=[AreaLevel.CSP, AreaLevel.LAD])]
    if not Indicator.objects.filter(plan_priority=priority).exists():
        rows = []
        measures = [
            ("all_crime", "", "count"),
            ("all_crime", "", "rate"),
            ("asb", "", "count"),
            ("asb", "", "rate"),
        ]
        measures += [("crime_type", t, "count") for t in CRIME_TYPES if t != "Anti-social behaviour"]
        for area in areas:
            for measure, crime_type, unit in measures:
                rows.append(
                    Indicator(
                        plan_priority=priority,
                        force_area=force_area,
                        area=area,
                        name=f"{crime_type or measure} {unit}, {area.name}",
                        definition="Benchmark.",
                        unit=unit,
                        direction="down",
                        baseline_from=datetime.date(2021, 4, 1),
                        baseline_to=datetime.date(2022, 3, 31),
                        target_kind="change",
                        target_value=-5,
                        frequency="quarterly",
                        owner=owner,
                        source="police",
                        police_measure=measure,
                        crime_type=crime_type,
                    )
                )
        Indicator.objects.bulk_create(rows)
    indicators = Indicator.objects.filter(plan_priority=priority)
    if args.places:
        places = plan.priorities.filter(title="Places and outcomes").first()
        if places is None:
            places = plan.priorities.create(title="Places and outcomes")
            common = {
                "plan_priority": places,
                "force_area": force_area,
                "definition": "Benchmark.",
                "baseline_from": datetime.date(2021, 4, 1),
                "baseline_to": datetime.date(2022, 3, 31),
                "frequency": "quarterly",
                "owner": owner,
                "source": "police",
            }
            Indicator.objects.bulk_create(
                [
                    Indicator(
                        **common,
                        area=area,
                        name=f"Repeat locations, {area.name}",
                        unit="count",
                        direction="down",
                        target_kind="change",
                        target_value=-5,
                        police_measure="repeat_locations",
                        repeat_minimum=3,
                    )
                    for area in areas
                ]
                + [
                    Indicator(
                        **common,
                        area=area,
                        name=f"Charge/summons rate, {area.name}",
                        unit="percent",
                        direction="up",
                        target_kind="threshold",
                        target_value=10,
                        police_measure="charge_rate",
                    )
                    for area in areas
                ]
            )
        indicators = Indicator.objects.filter(plan_priority__plan=plan)
    count = indicators.count()
    today = datetime.date(2026, 12, 1)

    def run_cold() -> tuple[float, float, object]:
        IndicatorValue.objects.filter(indicator__in=indicators).delete()
        wall, cpu = time.perf_counter(), time.process_time()
        result = recompute(indicators=indicators, today=today)
        return time.perf_counter() - wall, time.process_time() - cpu, result

    def run_again() -> tuple[float, float, object]:
        wall, cpu = time.perf_counter(), time.process_time()
        result = recompute(indicators=indicators, today=today)
        return time.perf_counter() - wall, time.process_time() - cpu, result

    def run_cold_whole() -> tuple[float, float, object]:
        from unittest import mock

        from joinedup.insight import selectors

        with mock.patch.object(selectors, "area_figures", selectors.area_assessment):
            return run_cold()

    cold = [run_cold() for _ in range(args.runs)]
    whole = [run_cold_whole() for _ in range(args.runs)]
    again = [run_again() for _ in range(args.runs)]
    one = []
    for _ in range(args.runs):
        started = time.perf_counter()
        assess(areas[1].code, "2022-04", "2022-06")
        one.append(time.perf_counter() - started)
    result = cold[-1][2]
    print(f"load average {os.getloadavg()[0]:.2f}, {os.cpu_count()} cores")
    print(
        f"{count} indicators, {len(areas)} areas, {result.periods} periods, {result.assessments} assessments"
    )  # type: ignore[attr-defined]
    print(
        f"cold:  {statistics.median(c[0] for c in cold):.2f} s wall, {statistics.median(c[1] for c in cold):.2f} s CPU, "
        f"{result.written} values written"  # type: ignore[attr-defined]
    )
    whole_wall = statistics.median(w[0] for w in whole)
    print(
        f"cold, whole assessment: {whole_wall:.2f} s wall, {statistics.median(w[1] for w in whole):.2f} s CPU; "
        f"figures alone {whole_wall / statistics.median(c[0] for c in cold):.1f} times faster"
    )
    print(
        f"again: {statistics.median(a[0] for a in again):.2f} s wall, {statistics.median(a[1] for a in again):.2f} s CPU, "
        f"{again[-1][2].written} values written"  # type: ignore[attr-defined]
    )
    per_indicator = 5  # the baseline and four quarters
    print(
        f"baseline (no sharing): {count} x {per_indicator} x {statistics.median(one):.3f} s = "
        f"{count * per_indicator * statistics.median(one):.1f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
