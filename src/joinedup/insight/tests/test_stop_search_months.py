"""A stop-and-search file holds a few searches dated just outside its month: they stay with their file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pytest

from joinedup.core.models import Area
from joinedup.insight import store
from joinedup.insight.imports.importer import import_police_data
from joinedup.insight.tests.test_importer import STOP_SEARCH, write

pytestmark = pytest.mark.django_db


def search(date: str) -> str:
    return f"Person search,{date},False,,54.9,-1.5,Male,18-24,,,,Controlled drugs,Arrest,True,False"


def test_searches_dated_in_the_next_month_do_not_supersede_that_month(
    areas: dict[str, Area], tmp_path: Path, settings: Any
) -> None:
    settings.DATA_DIR = tmp_path / "var"
    folder = tmp_path / "in"
    write(
        folder / "2023-01" / "2023-01-testshire-stop-and-search.csv",
        [STOP_SEARCH, search("2023-01-05T10:00:00+00:00"), search("2023-01-31T23:30:00+00:00")],
    )
    write(
        folder / "2023-02" / "2023-02-testshire-stop-and-search.csv",
        [
            STOP_SEARCH,
            search("2023-01-31T23:59:00+00:00"),
            *[search(f"2023-02-0{d}T10:00:00+00:00") for d in (1, 2)],
        ],
    )
    record = import_police_data([folder]).record
    assert record.rows_accepted == 5 and record.rows_read == 5
    assert all(not f["note"] for f in record.files)
    rows = duckdb.execute(
        "SELECT month, count(*) FROM read_parquet(?, hive_partitioning = true) GROUP BY 1 ORDER BY 1",
        [store.dataset_glob("stop_and_search")],
    ).fetchall()
    assert rows == [("2023-01", 2), ("2023-02", 3)]
