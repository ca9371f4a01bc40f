"""Assessment speed: median time of `assess()` (every section) for one CSP and for a whole force area.

    .venv/bin/python bench/assessment_speed.py /tmp/bench-work/store [--csp CODE] [--pfa CODE] [--runs 15]

The store is the data directory left by `bench/import_speed.py --keep` (its SQLite database has the ONS
geography; IMD 2019 and the severity weights are loaded here from the shared data if missing). The period
is the latest 24 months in the store (`--from/--to` by default 2021-03..2023-02). The first call of each
area is reported separately (it warms DuckDB and the similar-areas profile cache) and left out of the
median.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("store", type=Path, help="Data directory of a benchmark store.")
    parser.add_argument("--csp", default="E22000245", help="Default: Newcastle upon Tyne.")
    parser.add_argument("--pfa", default="E23000007", help="Default: Northumbria.")
    parser.add_argument("--from", dest="first", default="2021-03")
    parser.add_argument("--to", dest="last", default="2023-02")
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    sys.path.insert(0, str(REPO / "src"))
    os.environ["JOINEDUP_DATA_DIR"] = str(args.store.resolve())
    os.environ["DJANGO_SETTINGS_MODULE"] = "joinedup.config.settings.local"
    import django

    django.setup()
    from django.conf import settings

    from joinedup.insight import store
    from joinedup.insight.calculation import assess
    from joinedup.insight.imports.services import import_deprivation, import_severity
    from joinedup.insight.models import DeprivationIndex, SeverityWeight

    shared = Path(settings.SHARED_DATA_DIR)
    if not DeprivationIndex.objects.exists():
        import_deprivation(shared / "deprivation" / "imd2019_lsoa11_england.csv")
    if not SeverityWeight.objects.exists():
        import_severity(shared / "severity" / "css_weights_ho_offence_police_uk_category_derived.csv")
    generation = store.current_path()
    assert generation is not None, "the store is empty"
    partitions = store.partitions(generation, "street")
    print(
        f"Store: {len(partitions):,} street partitions, {len({f for f, _ in partitions}):,} forces, "
        f"{len({m for _, m in partitions}):,} months; nproc {os.cpu_count()}"
    )
    for label, code in (("one CSP", args.csp), ("force area", args.pfa)):
        started = time.perf_counter()
        result = assess(code, args.first, args.last)
        first = time.perf_counter() - started
        times = []
        cpu = []
        for _ in range(args.runs):
            started, started_cpu = time.perf_counter(), time.process_time()
            assess(code, args.first, args.last)
            times.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
        print(
            f"{label:10s} {result['area']['name']} ({code}), {args.first}..{args.last}: "
            f"{result['totals']['crimes_excl_asb']:,} crimes + {result['totals']['asb']:,} ASB; "
            f"first call {first * 1000:.0f} ms, median of {args.runs} {statistics.median(times) * 1000:.0f} ms "
            f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f}); median CPU time "
            f"{statistics.median(cpu) * 1000:.0f} ms; load average {os.getloadavg()[0]:.1f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
