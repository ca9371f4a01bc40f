"""The incident CSV import's checking and recording, row by row, against the path before the per-import
lookups (same file, same database, same run).

    .venv/bin/python bench/casework_import_speed.py [--rows 500] [--baseline old|none] [--repeat 1]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/import_bench .venv/bin/python bench/casework_import_speed.py

It builds a throw-away test database (in-memory SQLite, or a test database beside DATABASE_URL's
PostgreSQL one) with the test suite's small area tree, one police organisation and one practitioner, and
imports bench/incident_import.py's file (400 informants reporting from 300 places about 300 m apart) with
`casework.imports.services.import_incidents`, which checks every row and records them all in one transaction.
Each run is rolled back afterwards, so every run starts from the same empty casework tables.

- new: the import as it is: the sharing rule's agreements read once for the file (`sharing_read_once`),
  its areas and LSOAs looked up once each (`PlaceLookups`), people matched once for the same details
  (`MatchedPeople`), and one query for the incidents near each row where the repeat flags and the link
  suggestions made one each.
- old (`--baseline old`, the default): the same code with those switched off, as before: the sharing
  rule built and its agreements read for each query, every area and boundary looked up for each row
  (twice: checking, then recording), every person matched by a query, two queries for nearby incidents.
  (One small change cannot be switched off: a new incident's alleged perpetrators are added, not `set`,
  which saves a query for the links it cannot yet have.)

For each: wall and CPU time, rows a second, milliseconds and SQL queries a row; then the ratio, and whether
both runs recorded the same thing (rows, cases opened, repeat flags, suggestions per row).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import io
import os
import statistics
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def _incident_bench() -> Any:
    spec = importlib.util.spec_from_file_location("incident_import", HERE / "incident_import.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # sets up Django with the test settings
    return module


@contextlib.contextmanager
def old_path() -> Iterator[None]:
    """Every lookup made afresh, as before the per-import lookups."""
    from joinedup.casework import services
    from joinedup.casework.imports import services as imports

    class EveryTime(services.PlaceLookups):
        def area(self, code: str) -> Any:
            return services._area_with_code(code)

        def lsoa_at(self, longitude: float, latitude: float) -> Any:
            from joinedup.core.boundaries import lsoa_at

            return lsoa_at(longitude, latitude)

    class NeverMatched(services.MatchedPeople):
        def get(self, data: dict[str, Any]) -> Any:
            return None

    saved = (
        imports.sharing_read_once,
        services.PlaceLookups,
        services.MatchedPeople,
        services._nearby_for_intake,
    )
    imports.sharing_read_once = contextlib.nullcontext  # type: ignore[assignment]
    services.PlaceLookups = EveryTime  # type: ignore[misc]
    services.MatchedPeople = NeverMatched  # type: ignore[misc]
    # No nearby incidents handed over: the repeat flags and the suggestions query them each, as before.
    services._nearby_for_intake = lambda incident, *, user: None
    try:
        yield
    finally:
        (
            imports.sharing_read_once,
            services.PlaceLookups,
            services.MatchedPeople,
            services._nearby_for_intake,
        ) = saved  # type: ignore[misc]


def run_once(user: Any, data: bytes, *, old: bool) -> tuple[float, float, int, list[tuple[Any, ...]]]:
    """One import, rolled back: wall seconds, CPU seconds, SQL queries, and what each row recorded."""
    from django.db import connection, transaction

    from joinedup.casework.imports.services import import_incidents

    queries = 0

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    with transaction.atomic():
        with old_path() if old else contextlib.nullcontext(), connection.execute_wrapper(count):
            t0, c0 = time.monotonic(), time.process_time()
            result = import_incidents(actor=user, file=io.BytesIO(data), file_name="bench.csv")
            wall, cpu = time.monotonic() - t0, time.process_time() - c0
        assert result.ok, result.errors[:3]
        recorded = [
            (
                row.line,
                row.case_opened,
                row.incident.repeat_victim,
                row.incident.repeat_location,
                len(row.suggestions),
                row.case.vulnerable,
            )
            for row in result.created
        ]
        transaction.set_rollback(True)
    return wall, cpu, queries, recorded


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=1, help="runs of each path (the median is shown)")
    parser.add_argument("--baseline", choices=("old", "none"), default="old")
    args = parser.parse_args()

    bench = _incident_bench()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    started = time.monotonic()
    old_name = connection.creation.create_test_db(verbosity=0)
    print(f"test database ready in {time.monotonic() - started:.0f} s ({connection.vendor})")
    try:
        run(bench, args.rows, args.repeat, args.baseline)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run(bench: Any, rows: int, repeat: int, baseline: str) -> None:
    from joinedup.core.models import Organisation, Sector
    from joinedup.core.roles import Role
    from joinedup.core.tests.factories import UserFactory, area_tree

    area_tree()
    police = Organisation.objects.create(name="Benchshire Police", sector=Sector.POLICE_FORCE)
    user = UserFactory(role=Role.PRACTITIONER, organisation=police, email="bench@example.org")
    data = bench.build_csv(rows)
    print(f"{rows:,} rows, {len(data) / 1024 / 1024:.2f} MB; {os.cpu_count()} cores")
    paths = ["old", "new"] if baseline == "old" else ["new"]
    runs: dict[str, list[tuple[float, float, int, list[tuple[Any, ...]]]]] = {p: [] for p in paths}
    for _ in range(repeat):
        for path in paths:  # alternately, so both see the same load
            runs[path].append(run_once(user, data, old=path == "old"))
    medians = {}
    for path in paths:
        wall = statistics.median(r[0] for r in runs[path])
        cpu = statistics.median(r[1] for r in runs[path])
        queries = runs[path][0][2]
        medians[path] = wall
        print(
            f"{path}: wall {wall:.2f} s, CPU {cpu:.2f} s, {rows / wall:.1f} rows/s, "
            f"{wall / rows * 1000:.1f} ms a row, {queries / rows:.1f} queries a row"
        )
    load = os.getloadavg()
    print(f"load average {load[0]:.1f}, {load[1]:.1f}, {load[2]:.1f}")
    if baseline == "old":
        print(f"new is {medians['old'] / medians['new']:.2f}x as fast as old")
        same = all(r[3] == runs["new"][0][3] for path in paths for r in runs[path])
        print(f"same rows, cases, repeat flags and suggestions in every run: {'yes' if same else 'NO'}")
        if not same:
            sys.exit(1)


if __name__ == "__main__":
    main()
