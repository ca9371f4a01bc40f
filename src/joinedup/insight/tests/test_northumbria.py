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
from joinedup.insight.assessment import assess
from joinedup.insight.models import ImportStatus
from joinedup.insight.services.importer import import_police_data

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
