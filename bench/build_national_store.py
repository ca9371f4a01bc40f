"""Build a national-scale analytical store quickly, for timing assessments (not imports).

    .venv/bin/python bench/build_national_store.py /tmp/bench-national [--forces 43] [--shared ../shared/data]

The data directory gets a SQLite database with the ONS geography, IMD 2019 and the severity weights, and a
store holding the real Northumbria download imported with `import_police_data`, then tiled across the other
force areas exactly as bench/generate_national.py tiles the CSVs: the i-th distinct Northumbria LSOA code
(sorted) becomes the (i mod n)-th of the target force's n LSOAs, and each row takes that LSOA's district,
CSP and force area. Street and outcomes rows are tiled (43 x 524,070 = 22.5 M street rows, 43 x 250,684
outcomes rows). Tiling the attributed Parquet instead of importing 4.6 GiB of CSVs builds the same store in
a few minutes on a shared machine; the import itself is timed by bench/import_speed.py.

The tiled store is published as a new generation, with each tiled force's months recorded in its
coverage (Northumbria's months, with the target force area), so `assess()` reads it like any other.
Nothing here is real data for any force but Northumbria: it is for measuring speed only.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-")


def record_coverage(
    building: Path, source: Path, tiled: list[tuple[str, str]], real: str = "northumbria"
) -> None:
    """Record each tiled force's months in the new generation's coverage, with its force area: every
    Northumbria row is tiled, so each has Northumbria's months and rows. Without it the coverage linked from
    the Northumbria import names Northumbria alone, and every other force area reads as having no data."""
    from joinedup.insight import store

    recorded = store.read_coverage(source)
    for kind in ("street", "outcomes"):
        months = recorded.get(kind, {}).get(real, {}).get("months")
        if months:
            for pfa_code, force in tiled:
                recorded[kind][force] = {"pfa": pfa_code, "months": dict(months)}
    (building / store.COVERAGE_FILE).unlink(missing_ok=True)  # a hard link to the import's own record
    store.write_coverage(building, recorded)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="Data directory to create (outside the repository).")
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--forces", type=int, default=43, help="How many force areas (default all 43).")
    args = parser.parse_args()
    out: Path = args.out.resolve()
    if REPO in out.parents or out == REPO:
        parser.error("write the store outside the repository")
    out.mkdir(parents=True, exist_ok=True)
    sys.path.insert(0, str(REPO / "src"))
    os.environ["JOINEDUP_DATA_DIR"] = str(out)
    os.environ["DJANGO_SETTINGS_MODULE"] = "joinedup.config.settings.local"
    import django

    django.setup()
    import duckdb
    from django.core.management import call_command

    from joinedup.core.models import Area, AreaLevel
    from joinedup.core.services.areas_import import import_areas
    from joinedup.insight import store
    from joinedup.insight.imports.importer import import_police_data
    from joinedup.insight.imports.services import import_deprivation, import_severity
    from joinedup.insight.models import DeprivationIndex, SeverityWeight

    started = time.monotonic()
    call_command("migrate", verbosity=0)
    if not Area.objects.filter(level=AreaLevel.LSOA).exists():
        import_areas(args.shared)
    if not DeprivationIndex.objects.exists():
        import_deprivation(args.shared / "deprivation" / "imd2019_lsoa11_england.csv")
    if not SeverityWeight.objects.exists():
        import_severity(args.shared / "severity" / "css_weights_ho_offence_police_uk_category_derived.csv")
    if store.current_path() is None:
        import_police_data([args.shared / "police_uk" / "northumbria_2020-05_2023-03.zip"])
    print(f"Reference data and Northumbria import: {time.monotonic() - started:.0f}s", file=sys.stderr)

    source = store.current_path()
    assert source is not None
    real = "northumbria"
    pfas = list(Area.objects.filter(level=AreaLevel.PFA).order_by("code").values_list("code", "name"))
    northumbria_pfa = Area.objects.get(level=AreaLevel.PFA, name="Northumbria").code
    targets = [(code, name) for code, name in pfas if code != northumbria_pfa][: max(0, args.forces - 1)]
    lsoas: dict[str, list[tuple[str, str, str, str]]] = {}
    for code, lad, csp, pfa in Area.objects.filter(level=AreaLevel.LSOA).values_list(
        "code", "lad__code", "csp__code", "pfa__code"
    ):
        if pfa:
            lsoas.setdefault(pfa, []).append((code, lad or "", csp or "", pfa))
    for rows in lsoas.values():
        rows.sort()

    tiled: list[tuple[str, str]] = []
    con = duckdb.connect()
    con.execute("SET preserve_insertion_order = false")
    generation = store.new_generation_name()
    building = store.generations_dir() / generation
    store.link_tree(source, building)  # Northumbria as imported
    for kind in ("street", "outcomes"):
        glob = str(source / kind / f"force={real}" / "month=*" / "*.parquet")
        con.execute(
            f"CREATE OR REPLACE TABLE src AS SELECT * EXCLUDE (force) FROM read_parquet('{glob}', "  # noqa: S608
            "hive_partitioning = true, hive_types = {'force': 'VARCHAR', 'month': 'VARCHAR'})"
        )
        codes = [
            r[0]
            for r in con.execute("SELECT DISTINCT lsoa FROM src WHERE lsoa IS NOT NULL ORDER BY 1").fetchall()
        ]
        for pfa_code, pfa_name in targets:
            force_started = time.monotonic()
            target = lsoas.get(pfa_code)
            if not target:
                continue
            mapping = [(code, *target[i % len(target)]) for i, code in enumerate(codes)]
            con.execute(
                "CREATE OR REPLACE TEMP TABLE map (src VARCHAR, lsoa VARCHAR, lad VARCHAR, csp VARCHAR, pfa VARCHAR)"
            )
            con.executemany("INSERT INTO map VALUES (?, ?, ?, ?, ?)", mapping)
            force = slug(pfa_name)
            if kind == "street":
                tiled.append((pfa_code, force))
            con.execute(
                f"""COPY (SELECT s.* REPLACE (m.lsoa AS lsoa, m.lad AS lad, m.csp AS csp, m.pfa AS pfa),
                             '{force}' AS force
                      FROM src s LEFT JOIN map m ON m.src = s.lsoa)
                    TO '{building / kind}' (FORMAT parquet, PARTITION_BY (force, month), COMPRESSION snappy,
                                          OVERWRITE_OR_IGNORE true)"""  # noqa: S608
            )
            print(f"{kind} {pfa_code} {pfa_name}: {time.monotonic() - force_started:.1f}s", file=sys.stderr)
    con.close()
    record_coverage(building, source, tiled)
    store.publish(generation)
    store.prune({generation})
    partitions = store.partitions(building, "street")
    con = duckdb.connect()
    count = con.execute(
        f"SELECT count(*) FROM read_parquet('{building}/street/*/*/*.parquet')"  # noqa: S608
    ).fetchone()
    print(
        f"Store {generation}: {len(partitions):,} street partitions, {count[0] if count else 0:,} street rows; "
        f"{time.monotonic() - started:.0f}s in all"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
