"""The README's oracle: Northumbria street data, 12 months 2022-02..2023-01, for the six CSPs."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from joinedup.core.models import Area
from joinedup.core.services.areas_import import import_areas
from joinedup.insight import store
from joinedup.insight.calculation import assess
from joinedup.insight.imports.importer import import_police_data
from joinedup.insight.models import ImportStatus

pytestmark = [pytest.mark.shared_data, pytest.mark.django_db]

# From shared/data/README.md: CSP → (crimes excl. ASB, ASB, population mid-2019, crimes per 1,000).
ORACLE = {
    "Gateshead": (19222, 5202, 202055, 95.1),
    "Newcastle upon Tyne": (36930, 11267, 302820, 122.0),
    "North Tyneside": (18021, 5320, 207913, 86.7),
    "Northumberland": (24737, 7515, 322434, 76.7),
    "South Tyneside": (14501, 4605, 150976, 96.0),
    "Sunderland": (29124, 7884, 277705, 104.9),
}
NORTHUMBRIA_PFA = "E23000007"


def _shared() -> Path:
    folder = Path(settings.SHARED_DATA_DIR)
    zip_path = folder / "police_uk" / "northumbria_2020-05_2023-03.zip"
    if not zip_path.is_file() or not (folder / "lookups").is_dir():
        pytest.skip(f"The published data is not at {folder} (set JOINEDUP_SHARED_DATA to its path).")
    return folder


def test_northumbria_oracle(tmp_path: Path, settings: Any) -> None:
    folder = _shared()
    settings.DATA_DIR = tmp_path
    import_areas(folder)

    started = time.monotonic()
    result = import_police_data([folder / "police_uk" / "northumbria_2020-05_2023-03.zip"])
    seconds = time.monotonic() - started
    record = result.record
    print(
        f"\nNorthumbria ZIP: {record.rows_read:,} rows in {seconds:.2f}s = {record.rows_read / seconds:,.0f} rows/s"
    )

    assert record.status == ImportStatus.SUCCEEDED
    assert record.forces == ["northumbria"]
    assert record.force_areas == {"northumbria": NORTHUMBRIA_PFA}
    assert record.rows_rejected == 0
    assert record.rows_read == 524_070 + 250_684 + 12_861
    street = {(p["month"]): p["rows"] for p in record.partitions if p["kind"] == "street"}
    assert len(street) == 33 and "2022-01" not in street
    assert sum(street.values()) == 524_070
    assert street["2022-02"] == 14196 and street["2023-02"] == 15621
    assert record.flags["unknown_crime_type"] == 0

    table = {}
    for csp in Area.objects.filter(pfa__code=NORTHUMBRIA_PFA, level="csp"):
        report = assess(csp.code, "2022-02", "2023-01")
        totals = report["totals"]
        table[csp.name] = (
            totals["crimes_excl_asb"],
            totals["asb"],
            totals["population"],
            totals["rate_per_1000"],
        )
        assert report["area"] == {
            "code": csp.code,
            "name": csp.name,
            "level": "csp",
            "population_partial": False,
        }
        assert sum(t["count"] for t in report["by_crime_type"]) == totals["crimes_excl_asb"] + totals["asb"]
    assert table == ORACLE

    # Outside the force area and with no LSOA, in the same window (README: 37 + 112 and 1 + 373).
    import duckdb

    glob = store.dataset_glob("street")
    con = duckdb.connect()
    flagged = dict(
        con.execute(
            """SELECT geo_flag || '/' || (crime_type = 'Anti-social behaviour')::VARCHAR, count(*)
               FROM read_parquet(?, hive_partitioning = true) WHERE month BETWEEN '2022-02' AND '2023-01'
               AND geo_flag <> 'ok' GROUP BY 1""",
            [glob],
        ).fetchall()
    )
    total = con.execute(
        "SELECT count(*) FROM read_parquet(?, hive_partitioning = true) WHERE month BETWEEN '2022-02' AND '2023-01'",
        [glob],
    ).fetchone()
    con.close()
    assert flagged == {
        "outside_force/false": 37,
        "outside_force/true": 112,
        "no_lsoa/false": 1,
        "no_lsoa/true": 373,
    }
    assert total == (184_851,)

    # The README: Northumbria has no street file for 2022-01. Newcastle upon Tyne, 2022-03..2023-02 against
    # 2021-03..2022-02, is compared like for like, checked against a count of the published CSVs themselves.
    _newcastle_like_for_like(folder)


def _independent_counts(folder: Path, csp_code: str, months: set[str]) -> dict[str, tuple[int, int]]:
    """{month: (crimes excl. ASB, ASB)} of street rows whose LSOA lies in the CSP, read straight from the
    published ZIP and the ONS lookups (not through the importer, the store or the Area table)."""
    import csv
    import io
    import zipfile

    with open(folder / "lookups" / "lsoa11_ward19_lad19_ew.csv", encoding="utf-8-sig") as handle:
        lad_of = {row["LSOA11CD"]: row["LAD19CD"] for row in csv.DictReader(handle)}
    with open(folder / "lookups" / "lad19_csp19_pfa19_ew.csv", encoding="utf-8-sig") as handle:
        lads = {row["LAD19CD"] for row in csv.DictReader(handle) if row["CSP19CD"] == csp_code}
    counts: dict[str, list[int]] = {}
    with zipfile.ZipFile(folder / "police_uk" / "northumbria_2020-05_2023-03.zip") as archive:
        for name in archive.namelist():
            if not name.endswith("-street.csv") or name.split("/")[-1][:7] not in months:
                continue
            with archive.open(name) as raw:
                for row in csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8", newline="")):
                    if lad_of.get(row["LSOA code"]) in lads:
                        pair = counts.setdefault(row["Month"], [0, 0])
                        pair[1 if row["Crime type"] == "Anti-social behaviour" else 0] += 1
    return {month: (n[0], n[1]) for month, n in counts.items()}


def _newcastle_like_for_like(folder: Path) -> None:
    newcastle = "E22000245"
    report = assess(newcastle, "2022-03", "2023-02")
    cover = report["coverage"]
    assert cover["forces"] == ["northumbria"]
    assert cover["current"]["missing"] == [] and cover["previous"]["missing"] == ["2022-01"]
    assert len(cover["previous"]["present"]) == 11 and cover["like_for_like"]["months"] == 11
    assert cover["like_for_like"]["left_out"] == {"current": ["2023-01"], "previous": []}
    assert "2022-01" in cover["warning"] and not cover["complete"]

    current = [f"2022-{m:02d}" for m in range(3, 13)] + ["2023-02"]
    previous = [f"2021-{m:02d}" for m in range(3, 13)] + ["2022-02"]
    counted = _independent_counts(folder, newcastle, {*current, *previous, "2023-01"})
    assert "2022-01" not in counted
    now = sum(counted[m][0] for m in current)
    before = sum(counted[m][0] for m in previous)
    totals = report["totals"]
    assert totals["like_for_like"]["crimes_excl_asb"] == now
    assert totals["like_for_like"]["previous_crimes_excl_asb"] == before
    assert totals["crimes_excl_asb"] == now + counted["2023-01"][0]  # the whole period, every month present
    assert totals["change"] == now - before
    assert totals["change_pct"] == round((now - before) * 100 / before, 1)
    assert 4.0 < totals["change_pct"] < 7.0  # about +5%, where 12 months against 11 said +14.6%
    asb_now = sum(counted[m][1] for m in current)
    asb_before = sum(counted[m][1] for m in previous)
    assert totals["asb_change_pct"] == round((asb_now - asb_before) * 100 / asb_before, 1)
    # The rolling totals come from all the stored months: none is complete while 2022-01 is in the window.
    assert [m["rolling_12_crimes_excl_asb"] is not None for m in report["monthly"]] == [False] * 10 + [
        True
    ] * 2
    assert report["rolling"][0]["month"] == "2021-04" and report["rolling"][0]["crimes_excl_asb"]
    # Similar areas come from the force that has data, each with its rate.
    assert all(a["rate_per_1000"] for a in report["comparison"]["similar_areas"])
