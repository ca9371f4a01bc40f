"""Importing police open data: header recognition, line endings, flags, idempotence, atomicity."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path
from typing import Any

import duckdb
import pytest
from click.testing import CliRunner

from joinedup.core.models import Area
from joinedup.insight import store
from joinedup.insight.calculation import assess
from joinedup.insight.cli import insight
from joinedup.insight.imports import importer
from joinedup.insight.imports.importer import PoliceImportError, import_police_data
from joinedup.insight.models import ImportStatus, PoliceDataImport, RejectedRow

pytestmark = pytest.mark.django_db

STREET = "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context"
OUTCOMES = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Outcome type"
)
STOP_SEARCH = (
    "Type,Date,Part of a policing operation,Policing operation,Latitude,Longitude,Gender,Age range,"
    "Self-defined ethnicity,Officer-defined ethnicity,Legislation,Object of search,Outcome,"
    "Outcome linked to object of search,Removal of more than just outer clothing"
)
FORCE = "Testshire Police"


def street_row(crime_id: str, month: str, lsoa: str, crime_type: str = "Burglary") -> str:
    location = "On or near High Street" if lsoa else "No Location"
    coords = "-1.5,54.9" if lsoa else ","
    return f"{crime_id},{month},{FORCE},{FORCE},{coords},{location},{lsoa},{lsoa and 'Some LSOA'},{crime_type},Under investigation,"


def write(path: Path, lines: list[str], *, newline: str = "\n", bom: bool = False) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = newline.join(lines).encode() + newline.encode()
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return path


def street_file(folder: Path, month: str, rows: list[str], **kwargs: Any) -> Path:
    return write(folder / month / f"{month}-testshire-street.csv", [STREET, *rows], **kwargs)


def import_january(tmp_path: Path, rows: list[str]) -> PoliceDataImport:
    """Import one street file for 2023-01 holding `rows`."""
    street_file(tmp_path / "in", "2023-01", rows)
    return import_police_data([tmp_path / "in"]).record


def parquet_rows(kind: str = "street") -> list[tuple[Any, ...]]:
    glob = store.dataset_glob(kind)
    if glob is None:
        return []
    con = duckdb.connect()
    try:
        return con.execute(
            "SELECT force, month, crime_id, crime_type, lsoa, csp, geo_flag FROM read_parquet(?, hive_partitioning=true) "
            "ORDER BY month, crime_id",
            [glob],
        ).fetchall()
    finally:
        con.close()


def snapshot(root: Path) -> dict[str, str]:
    """Every file under the store with its checksum."""
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".lock" not in p.name
    }


@pytest.fixture
def data_dir(tmp_path: Path, settings: Any) -> Path:
    settings.DATA_DIR = tmp_path / "var"
    return settings.DATA_DIR


def test_street_outcomes_and_stop_search_recognised_by_header_with_mixed_line_endings(
    areas: dict[str, Area], data_dir: Path, tmp_path: Path
) -> None:
    source = tmp_path / "download"
    # CRLF with a BOM, LF, and one file mixing both.
    street_file(source, "2023-01", [street_row("a1", "2023-01", "E01900001")], newline="\r\n", bom=True)
    street_file(source, "2023-02", [street_row("b1", "2023-02", "E01900003")])
    mixed = (
        STREET
        + "\r\n"
        + street_row("c1", "2023-03", "E01900001")
        + "\n"
        + street_row("c2", "2023-03", "E01900002")
        + "\r\n"
    )
    (source / "2023-03").mkdir()
    (source / "2023-03" / "2023-03-testshire-street.csv").write_bytes(mixed.encode())
    write(
        source / "odd-name-outcomes.csv",
        [
            OUTCOMES,
            f"a1,2023-01,{FORCE},{FORCE},-1.5,54.9,On or near X,E01900001,Some LSOA,Offender given a caution",
        ],
        newline="\r\n",
    )
    write(
        source / "2023-01" / "2023-01-testshire-stop-and-search.csv",
        [
            STOP_SEARCH,
            "Person search,2023-01-05T10:00:00+00:00,False,,54.9,-1.5,Male,18-24,,,,Controlled drugs,Arrest,True,False",
        ],
    )
    write(source / "notes.csv", ["Some,other,file", "1,2,3"])

    result = import_police_data([source], force="testshire")
    record = result.record

    assert record.status == ImportStatus.SUCCEEDED
    kinds = {Path(f["name"]).name: f["kind"] for f in record.files}
    assert kinds == {
        "2023-01-testshire-street.csv": "street",
        "2023-02-testshire-street.csv": "street",
        "2023-03-testshire-street.csv": "street",
        "odd-name-outcomes.csv": "outcomes",
        "2023-01-testshire-stop-and-search.csv": "stop_and_search",
        "notes.csv": "",
    }
    notes = {Path(f["name"]).name: f["note"] for f in record.files}
    assert notes["notes.csv"].startswith("skipped: the header is not")
    first = next(f for f in record.files if f["name"].endswith("2023-01-testshire-street.csv"))
    assert (
        first["sha256"]
        == hashlib.sha256((source / "2023-01" / "2023-01-testshire-street.csv").read_bytes()).hexdigest()
    )
    assert first["rows"] == 1 and first["months"] == ["2023-01"]
    assert record.rows_accepted == 6 and record.rows_rejected == 0
    assert record.forces == ["testshire"]
    assert record.force_areas == {"testshire": "E23000099"}
    assert [(r[2], r[4], r[5]) for r in parquet_rows()] == [
        ("a1", "E01900001", "E22000901"),
        ("b1", "E01900003", "E22000902"),
        ("c1", "E01900001", "E22000901"),
        ("c2", "E01900002", "E22000901"),
    ]
    outcomes_glob = store.dataset_glob("outcomes")
    assert duckdb.execute(
        "SELECT crime_id, csp, outcome_type FROM read_parquet(?)", [outcomes_glob]
    ).fetchall() == [("a1", "E22000901", "Offender given a caution")]
    assert store.partitions(store.current_path() or Path(), "stop_and_search").keys() == {
        ("testshire", "2023-01")
    }


def test_rows_are_flagged_and_counted_never_dropped(
    areas: dict[str, Area], data_dir: Path, tmp_path: Path
) -> None:
    Area.objects.filter(code="E01900003").update(lsoa21_code="E01999003")
    other_pfa = Area.objects.create(code="E23000098", name="Otherland", level="pfa")
    Area.objects.create(code="E01800001", name="Otherland 1", level="lsoa", pfa=other_pfa)
    folder = tmp_path / "in"
    street_file(
        folder,
        "2023-01",
        [
            street_row("a", "2023-01", "E01900001"),
            street_row("b", "2023-01", "E01900002"),
            street_row("", "2023-01", "", "Anti-social behaviour"),  # no location
            street_row("d", "2023-01", "E01800001"),  # another force's area
            street_row("e", "2023-01", "E01777777"),  # not in the reference geography
            street_row("f", "2023-01", "E01900001", "Alien abduction"),  # unknown crime type
            street_row("g", "2023-01", "E01999003"),  # a 2021 LSOA code
        ],
    )
    record = import_police_data([folder]).record

    assert record.flags == {"no_lsoa": 1, "outside_force": 1, "unknown_lsoa": 1, "unknown_crime_type": 1}
    assert record.rows_accepted == 7
    flags = {row[2]: row[6] for row in parquet_rows()}
    assert flags == {
        None: "no_lsoa",
        "a": "ok",
        "b": "ok",
        "d": "outside_force",
        "e": "unknown_lsoa",
        "f": "ok",
        "g": "ok",
    }
    assert {row[2]: row[4] for row in parquet_rows()}["g"] == "E01900003"


def test_unreadable_rows_are_rejected_with_line_and_reason(
    areas: dict[str, Area], data_dir: Path, tmp_path: Path
) -> None:
    record = import_january(
        tmp_path,
        [
            street_row("a", "2023-01", "E01900001"),
            "too,few,fields",
            street_row("b", "2023-01", "E01900001") + ",extra",
            street_row("c", "January", "E01900001"),
            street_row("d", "2023-01", "E01900002"),
        ],
    )

    assert (record.rows_read, record.rows_accepted, record.rows_rejected) == (5, 2, 3)
    rejected = list(RejectedRow.objects.filter(data_import=record).values_list("line", "reason"))
    assert len(rejected) == 3
    assert (3, "3 field(s), expected 12") in rejected
    assert (4, "13 field(s), expected 12") in rejected
    assert (None, "month 'January' is not YYYY-MM") in rejected
    assert record.files[0]["rejected"] == 3


def test_a_coordinate_that_is_not_a_number_is_stored_as_null_and_the_row_kept(
    areas: dict[str, Area], data_dir: Path, tmp_path: Path
) -> None:
    record = import_january(
        tmp_path,
        [
            street_row("a", "2023-01", "E01900001"),
            street_row("b", "2023-01", "E01900001").replace("-1.5,54.9", "west,54.9"),
            street_row("c", "2023-01", ""),  # no coordinates at all
        ],
    )

    assert (record.rows_accepted, record.rows_rejected) == (3, 0)
    con = duckdb.connect()
    stored = con.execute(
        "SELECT crime_id, longitude, latitude FROM read_parquet(?) ORDER BY crime_id",
        [store.dataset_glob("street")],
    ).fetchall()
    assert stored == [("a", -1.5, 54.9), ("b", None, 54.9), ("c", None, None)]


def test_a_file_with_a_header_and_no_rows_imports_nothing_and_succeeds(
    areas: dict[str, Area], data_dir: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    path = street_file(folder, "2023-01", [])
    record = import_police_data([folder]).record
    assert record.status == ImportStatus.SUCCEEDED
    assert (record.rows_read, record.rows_accepted, record.rows_rejected) == (0, 0, 0)
    path.write_bytes(STREET.encode())  # not even a line break after the header
    record = import_police_data([folder]).record
    assert record.status == ImportStatus.SUCCEEDED
    assert record.rows_read == 0


def test_non_utf8_text_is_read_as_windows_1252(
    areas: dict[str, Area], data_dir: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    path = street_file(folder, "2023-01", [street_row("a", "2023-01", "E01900001")])
    path.write_bytes(path.read_bytes().replace(b"High Street", b"Caf\xe9 Street"))
    record = import_police_data([folder]).record
    assert record.rows_accepted == 1
    assert "Windows-1252" in record.files[0]["note"]


def test_reimport_replaces_the_force_month_and_keeps_the_others(
    areas: dict[str, Area], data_dir: Path, tmp_path: Path
) -> None:
    first = tmp_path / "first"
    street_file(
        first, "2023-01", [street_row("a", "2023-01", "E01900001"), street_row("b", "2023-01", "E01900001")]
    )
    street_file(first, "2023-02", [street_row("c", "2023-02", "E01900001")])
    import_police_data([first])
    import_police_data([first])  # the same files again: nothing doubles
    assert [r[2] for r in parquet_rows()] == ["a", "b", "c"]

    newer = tmp_path / "newer"
    street_file(newer, "2023-01", [street_row("a", "2023-01", "E01900003")])
    import_police_data([newer])

    assert [(r[1], r[2], r[5]) for r in parquet_rows()] == [
        ("2023-01", "a", "E22000902"),
        ("2023-02", "c", "E22000901"),
    ]
    assert PoliceDataImport.objects.filter(status=ImportStatus.SUCCEEDED).count() == 3
    # Only the current generation and the one before it are kept.
    assert len(list(store.generations_dir().iterdir())) == 2


def test_zip_download_and_a_later_file_for_the_same_month_wins(
    areas: dict[str, Area], data_dir: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    old = street_file(folder / "old", "2023-01", [street_row("old", "2023-01", "E01900001")])
    new = street_file(folder / "new", "2023-01", [street_row("new", "2023-01", "E01900001")])
    archive = tmp_path / "download.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(new, "2023-01/2023-01-testshire-street.csv")
    record = import_police_data([old, archive]).record

    assert [r[2] for r in parquet_rows()] == ["new"]
    assert record.files[0]["superseded_rows"] == 1
    assert "replaced by a later file" in record.files[0]["note"]
    assert record.files[1]["name"] == "download.zip:2023-01/2023-01-testshire-street.csv"


def test_a_failure_part_way_leaves_the_store_as_it_was(
    areas: dict[str, Area], data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = tmp_path / "first"
    street_file(first, "2023-01", [street_row("a", "2023-01", "E01900001")])
    import_police_data([first])
    before = snapshot(store.root())
    before_rows = parquet_rows()

    second = tmp_path / "second"
    street_file(second, "2023-01", [street_row("x", "2023-01", "E01900002"), "bad,row"])
    street_file(second, "2023-02", [street_row("y", "2023-02", "E01900002")])
    write(
        second / "2023-02" / "2023-02-testshire-outcomes.csv",
        [
            OUTCOMES,
            f"y,2023-02,{FORCE},{FORCE},-1.5,54.9,On or near X,E01900002,Some LSOA,Under investigation",
        ],
    )
    real_publish = importer._Pipeline.publish

    def failing_publish(self: Any, results: Any, building: Path) -> Any:
        real_publish(self, results, building)  # every partition is in the new generation by now
        raise OSError("disk full")

    monkeypatch.setattr(importer._Pipeline, "publish", failing_publish)
    with pytest.raises(PoliceImportError, match="disk full"):
        import_police_data([second])

    assert snapshot(store.root()) == before
    assert parquet_rows() == before_rows
    assert not list((store.root() / "tmp").iterdir())
    failed = PoliceDataImport.objects.get(status=ImportStatus.FAILED)
    assert "disk full" in failed.error
    assert failed.generation == ""
    assert not RejectedRow.objects.exists()
    assert PoliceDataImport.objects.filter(status=ImportStatus.SUCCEEDED).count() == 1


def test_nothing_importable_is_an_error(areas: dict[str, Area], data_dir: Path, tmp_path: Path) -> None:
    write(tmp_path / "x.csv", ["a,b", "1,2"])
    with pytest.raises(PoliceImportError, match=r"No data\.police\.uk"):
        import_police_data([tmp_path / "x.csv"])
    assert store.current_generation() is None


def test_cli_import_and_assess(areas: dict[str, Area], data_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    for month, n in [("2022-01", 10), ("2022-02", 8), ("2023-01", 2), ("2023-02", 3)]:
        rows = [street_row(f"{month}-{i}", month, "E01900001") for i in range(n)]
        rows.append(street_row("", month, "E01900002", "Anti-social behaviour"))
        street_file(folder, month, rows)
    runner = CliRunner()
    imported = runner.invoke(insight, ["import", str(folder)])
    assert imported.exit_code == 0, imported.output
    assert "accepted 27" in imported.output
    # The summary assessments read is ready before the first assessment asks for it.
    from joinedup.insight.summary import summaries_dir

    assert (summaries_dir() / f"{store.current_generation()}.parquet").is_file()

    result = runner.invoke(insight, ["assess", "--area", "E22000901", "--from", "2023-01", "--to", "2023-02"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["area"]["name"] == "North Testshire"
    assert report["totals"]["crimes_excl_asb"] == 5
    assert report["totals"]["asb"] == 2
    assert report["totals"]["population"] == 2500
    assert report["totals"]["rate_per_1000"] == 2.0
    assert report["previous"] == {"from": "2022-11", "to": "2022-12"}
    assert report["data"]["previous_months_missing"] == ["2022-11", "2022-12"]
    assert report["totals"]["trend"] == "not comparable"

    out = tmp_path / "a.csv"
    result = runner.invoke(insight, ["assess", "--area", "E22000901", "--format", "csv", "--out", str(out)])
    assert result.exit_code == 0, result.output
    lines = out.read_text().splitlines()
    assert lines[0].startswith("area_code,area_name,from,to,crime_type,count")
    # Default period: the latest 12 months in the store (2022-03..2023-02) against the 12 before.
    assert "E22000901,North Testshire,2022-03,2023-02,Burglary,5" in lines[1]

    bad = runner.invoke(insight, ["assess", "--area", "E22000901", "--from", "2023-13", "--to", "2023-14"])
    assert bad.exit_code != 0 and "YYYY-MM" in bad.output


def test_assessment_change_is_tested_for_significance(
    areas: dict[str, Area], data_dir: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    for month, n in [("2022-01", 40), ("2022-02", 10), ("2022-03", 20), ("2022-04", 21)]:
        street_file(folder, month, [street_row(f"{month}-{i}", month, "E01900001") for i in range(n)])
    import_police_data([folder])

    rise = assess("E22000901", "2022-02", "2022-02")
    assert rise["totals"]["trend"] == "significant fall"  # 10 against 40
    assert rise["totals"]["change"] == -30
    steady = assess("E22000901", "2022-04", "2022-04")
    assert steady["totals"]["trend"] == "no significant change"  # 21 against 20
    assert steady["by_crime_type"][0] == {
        "crime_type": "Burglary",
        "count": 21,
        "rate_per_1000": 8.4,
        "previous_count": 20,
        "like_for_like_count": 21,
        "like_for_like_previous_count": 20,
        "change": 1,
        "change_pct": 5.0,
        "p_value": steady["by_crime_type"][0]["p_value"],
        "q_value": steady["by_crime_type"][0]["q_value"],
        "trend": "no significant change",
    }
    assert assess("E23000099", "2022-03", "2022-04")["totals"]["crimes_excl_asb"] == 41


def test_a_store_written_before_format_2_is_converted_when_the_next_import_links_it(
    areas: dict[str, Area], data_dir: Path, tmp_path: Path
) -> None:
    first = tmp_path / "first"
    street_file(first, "2023-01", [street_row("a", "2023-01", "E01900001")])
    import_police_data([first])
    # Make the current generation look like one written before format 2: no FORMAT file, no month column.
    current = store.current_path()
    assert current is not None
    (current / "FORMAT").unlink()
    (old,) = (current / "street").glob("force=*/month=*/*.parquet")
    con = duckdb.connect()
    con.execute(f"COPY (SELECT * EXCLUDE (month) FROM read_parquet('{old}')) TO '{old}.tmp' (FORMAT parquet)")  # noqa: S608
    con.close()
    Path(f"{old}.tmp").replace(old)

    second = tmp_path / "second"
    street_file(second, "2023-02", [street_row("b", "2023-02", "E01900002")])
    import_police_data([second])

    assert store.has_month_column(store.current_path() or Path())
    assert [(r[1], r[2]) for r in parquet_rows()] == [("2023-01", "a"), ("2023-02", "b")]
    months = duckdb.execute(
        "SELECT DISTINCT month FROM read_parquet(?, hive_partitioning=false) ORDER BY 1",
        [store.dataset_glob("street")],
    )
    assert months.fetchall() == [("2023-01",), ("2023-02",)]


def test_a_file_larger_than_one_batch_is_read_whole_with_its_flags_and_months(
    areas: dict[str, Area], data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Real force-month files run to tens of megabytes, several of the reader's batches; each batch has
    # its own dictionaries. Small batches here make the same happen with a small file.
    monkeypatch.setattr(importer, "BLOCK_SIZE", 2048)
    rows = []
    for i in range(300):
        lsoa = ("E01900001", "E01900003", "", "E01777777")[i % 4]
        month = "2023-01" if i < 290 else "2023-02"  # a file holding a second month, split on publishing
        rows.append(street_row(f"r{i:03d}", month, lsoa, "Burglary" if i % 7 else "Alien abduction"))
    record = import_january(tmp_path, rows)

    assert (record.rows_read, record.rows_accepted, record.rows_rejected) == (300, 300, 0)
    assert record.flags == {"no_lsoa": 75, "unknown_lsoa": 75, "outside_force": 0, "unknown_crime_type": 43}
    assert {(p["month"], p["rows"]) for p in record.partitions} == {("2023-01", 290), ("2023-02", 10)}
    stored = parquet_rows()
    assert len(stored) == 300 and len({row[2] for row in stored}) == 300
    by_id = {row[2]: row for row in stored}
    assert by_id["r001"][4:] == ("E01900003", "E22000902", "ok")
    assert by_id["r002"][4:] == (None, None, "no_lsoa")
    assert by_id["r299"][1] == "2023-02"
