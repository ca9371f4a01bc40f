"""The reference geography import: small generated files with the real files' quirks, and the real data."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from joinedup.core.models import Area, AreaLevel, AuditEvent, EventType, ReferenceImport
from joinedup.core.services.areas_import import AreaImportError, import_areas

pytestmark = pytest.mark.django_db

PFA_NAMES = "lookups/pfa19_names_codes_uk.csv"
CSP_NAMES = "lookups/csp19_names_codes_ew.csv"
LAD_LOOKUP = "lookups/lad19_csp19_pfa19_ew.csv"
LSOA_LOOKUP = "lookups/lsoa11_ward19_lad19_ew.csv"
POPULATION = "population/lsoa11_population_mid2019_ew.csv"
LSOA21 = "lookups/lsoa11_lsoa21_lad22_ew_bestfit_v2.csv"

# A small country: two force areas; Middletown district is split between two CSPs, like East Suffolk.
FILES: dict[str, str] = {
    PFA_NAMES: """FID,PFA19CD,PFA19NM
1,E23000901,Northshire
2,W15000901,Gogledd Test
3,S23000009,Scotland
4,L99999999,
""",
    # The Welsh name of Anglesey is double-encoded UTF-8 upstream, as in the real ONS file.
    CSP_NAMES: """FID,CSP19CD,CSP19NM,CSP19NMW
1,E22000901,Northtown,
2,E22000902,"Middletown, East",
3,E22000903,Southtown,
4,W14000901,Isle of Anglesey,{mojibake}
5,E22000999,Unused CSP,
""".replace("{mojibake}", "Ynys Môn".encode().decode("cp1252")),
    LAD_LOOKUP: """FID,LAD19CD,LAD19NM,CSP19CD,CSP19NM,PFA19CD,PFA19NM
1,E07000901,Northtown,E22000901,Northtown,E23000901,Northshire
2,E07000902,Middletown,E22000902,Middletown East,E23000901,Northshire
3,E07000902,Middletown,E22000903,Southtown,E23000901,Northshire
4,E07000903,Southtown,E22000903,Southtown,E23000901,"Northshire, Police"
5,W06000901,Isle of Anglesey,W14000901,Isle of Anglesey,W15000901,Gogledd Test
""",
    LSOA_LOOKUP: """FID,LSOA11CD,LSOA11NM,WD19CD,WD19NM,LAD19CD,LAD19NM
1,E01000901,Northtown 001A,E05000001,Ward,E07000901,Northtown
2,E01000902,Northtown 001B,E05000001,Ward,E07000901,Northtown
3,E01000903,Middletown 001A,E05000002,Ward,E07000902,Middletown
4,E01000904,Middletown 001B,E05000002,Ward,E07000902,Middletown
5,E01000905,Southtown 001A,E05000003,Ward,E07000903,Southtown
6,W01000901,Isle of Anglesey 001A,W05000001,Ward,W06000901,Isle of Anglesey
""",
    POPULATION: """LSOA Code,LSOA Name,LA Code (2019 boundaries),LA name (2019 boundaries),All Ages
E01000901,Northtown 001A,E07000901,Northtown,"1,954"
E01000902,Northtown 001B,E07000901,Northtown,1000
E01000903,Middletown 001A,E07000902,Middletown,"2,000"
E01000904,Middletown 001B,E07000902,Middletown,500
E01000905,Southtown 001A,E07000903,Southtown,750
W01000901,Isle of Anglesey 001A,W06000901,Isle of Anglesey,"1,200"
""",
}
LSOA21_TEXT = """ObjectId,LSOA11CD,LSOA11NM,LSOA21CD,LSOA21NM,LAD22CD,LAD22NM,LAD22NMW
1,E01000901,Northtown 001A,E01000901,Northtown 001A,E07000901,Northtown,
2,E01000902,Northtown 001B,E01099902,Northtown 001E,E07000901,Northtown,
3,W01000901,Isle of Anglesey 001A,W01000901,Isle of Anglesey 001A,W06000901,Isle of Anglesey,Ynys Môn
"""
# The population file has a byte-order mark and CRLF line endings, like the real one.
BOM_CRLF = {POPULATION, LSOA21}


def write_folder(root: Path, changes: dict[str, str | None] | None = None) -> Path:
    """Write the small data set under `root`; `changes` replaces files (None leaves a file out)."""
    files: dict[str, str | None] = {**FILES, **(changes or {})}
    for name, text in files.items():
        if text is None:
            continue
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if name in BOM_CRLF:
            path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
        else:
            path.write_bytes(text.encode("utf-8"))
    return root


def areas_snapshot() -> dict[str, tuple[Any, ...]]:
    return {
        area.code: (
            area.pk,
            area.name,
            area.name_welsh,
            area.level,
            area.parent_id,
            area.lad_id,
            area.csp_id,
            area.pfa_id,
            area.population,
            area.population_partial,
            area.is_split,
            area.lsoa21_code,
        )
        for area in Area.objects.all()
    }


def problems_of(folder: Path) -> list[str]:
    with pytest.raises(AreaImportError) as caught:
        import_areas(folder)
    return caught.value.problems


def test_imports_counts_hierarchy_and_populations(tmp_path: Path) -> None:
    result = import_areas(write_folder(tmp_path), actor_email="analyst@example.org")

    assert (result.pfas, result.csps, result.lads, result.lsoas) == (2, 4, 4, 6)
    assert result.population == 7404
    assert result.population_year == 2019
    assert Area.objects.filter(level=AreaLevel.PFA).count() == 2  # Scotland and the L99 row are not used
    assert not Area.objects.filter(code="E22000999").exists()  # a CSP no district belongs to

    north = Area.objects.get(code="E23000901")
    assert north.name == "Northshire"  # from the names file, not the lookup's "Northshire, Police"
    assert north.population == 1954 + 1000 + 2000 + 500 + 750
    assert north.population_year == 2019
    assert Area.objects.get(code="W15000901").population == 1200

    northtown_csp = Area.objects.get(code="E22000901")
    assert northtown_csp.parent == north and northtown_csp.pfa == north
    assert northtown_csp.population == 2954 and not northtown_csp.population_partial

    lad = Area.objects.get(code="E07000901")
    assert (lad.parent, lad.csp, lad.pfa, lad.population) == (northtown_csp, northtown_csp, north, 2954)

    lsoa = Area.objects.get(code="E01000901")
    assert (lsoa.parent, lsoa.lad, lsoa.csp, lsoa.pfa) == (lad, lad, northtown_csp, north)
    assert lsoa.population == 1954 and lsoa.name == "Northtown 001A"

    assert Area.objects.get(code="W14000901").name_welsh == "Ynys Môn"
    assert Area.objects.get(code="E22000902").name == "Middletown, East"


def test_a_district_in_two_csps_is_split_and_never_attributed_to_one(tmp_path: Path) -> None:
    result = import_areas(write_folder(tmp_path))

    split = Area.objects.get(code="E07000902")
    assert split.is_split and split.parent is None and split.csp is None
    assert split.pfa is not None and split.pfa.code == "E23000901"
    assert sorted(split.split_csps.values_list("code", flat=True)) == ["E22000902", "E22000903"]
    assert split.population == 2500
    for lsoa in Area.objects.filter(lad=split):
        assert lsoa.parent == split and lsoa.csp is None and lsoa.pfa == split.pfa

    southtown = Area.objects.get(code="E22000903")
    assert southtown.population == 750 and southtown.population_partial  # its own district only
    middletown = Area.objects.get(code="E22000902")
    assert middletown.population is None and middletown.population_partial  # nothing can be attributed
    assert not Area.objects.get(code="E22000901").population_partial

    assert [(s.code, [c for c, _ in s.csps]) for s in result.split_lads] == [
        ("E07000902", ["E22000902", "E22000903"])
    ]
    assert result.summary() == (
        "Imported 2 police force areas, 4 CSPs, 4 districts (1 split between CSPs: Middletown), "
        "4 wards, 6 LSOAs; population 7,404 (mid-2019)."
    )


def test_split_district_across_force_areas_has_no_force_area(tmp_path: Path) -> None:
    lookup = FILES[LAD_LOOKUP].replace(
        "3,E07000902,Middletown,E22000903,Southtown,E23000901,Northshire",
        "3,E07000902,Middletown,W14000901,Southtown,W15000901,Northshire",
    )
    import_areas(write_folder(tmp_path, {LAD_LOOKUP: lookup}))

    split = Area.objects.get(code="E07000902")
    assert split.is_split and split.pfa is None
    assert Area.objects.filter(level=AreaLevel.LSOA, lad=split, pfa__isnull=True).count() == 2
    north = Area.objects.get(code="E23000901")
    assert north.population == 2954 + 750 and north.population_partial


def test_records_the_import_with_checksums_and_an_event(tmp_path: Path) -> None:
    result = import_areas(write_folder(tmp_path), actor_email="analyst@example.org")

    record = ReferenceImport.objects.get()
    assert result.reference_import_id == record.pk
    assert record.kind == "areas" and record.imported_by == "analyst@example.org"
    assert record.finished_at is not None
    files = {f["name"]: f for f in record.files}
    assert set(files) == {PFA_NAMES, CSP_NAMES, LAD_LOOKUP, LSOA_LOOKUP, POPULATION}
    assert files[POPULATION]["rows"] == 6 and files[LAD_LOOKUP]["rows"] == 5
    assert all(len(f["sha256"]) == 64 for f in record.files)
    assert record.counts["lsoa"] == 6 and record.counts["population"] == 7404
    assert record.counts["split_lads"] == ["E07000902"]

    event = AuditEvent.objects.get(event_type=EventType.DATA_IMPORTED)
    assert event.object_id == str(record.pk) and event.actor_email == "analyst@example.org"


def test_optional_2021_lsoa_lookup_sets_codes(tmp_path: Path) -> None:
    result = import_areas(write_folder(tmp_path, {LSOA21: LSOA21_TEXT}))

    assert Area.objects.get(code="E01000902").lsoa21_code == "E01099902"
    assert Area.objects.get(code="E01000901").lsoa21_code == "E01000901"
    assert Area.objects.get(code="E01000905").lsoa21_code == ""
    assert result.lsoa21_codes == 3
    assert "3 LSOAs have a best-fit 2021 LSOA code" in result.summary()


def test_importing_twice_gives_the_same_rows(tmp_path: Path) -> None:
    folder = write_folder(tmp_path, {LSOA21: LSOA21_TEXT})
    import_areas(folder)
    first = areas_snapshot()
    first_splits = list(
        Area.split_csps.through.objects.values_list("from_area_id", "to_area_id").order_by("pk")
    )

    import_areas(folder)

    assert areas_snapshot() == first
    assert sorted(Area.split_csps.through.objects.values_list("from_area_id", "to_area_id")) == sorted(
        first_splits
    )
    assert ReferenceImport.objects.count() == 2


def test_a_new_import_updates_rows_in_place(tmp_path: Path) -> None:
    import_areas(write_folder(tmp_path))
    before = Area.objects.get(code="E01000902")

    population = FILES[POPULATION].replace("Northtown,1000", "Northtown,1100")
    import_areas(write_folder(tmp_path, {POPULATION: population}))

    after = Area.objects.get(code="E01000902")
    assert after.pk == before.pk and after.population == 1100
    assert Area.objects.get(code="E23000901").population == 6304
    assert Area.objects.count() == 20  # 16 areas and 4 wards


def test_missing_column_names_file_and_column(tmp_path: Path) -> None:
    population = FILES[POPULATION].replace("All Ages", "Total")
    problems = problems_of(write_folder(tmp_path, {POPULATION: population}))
    assert problems == [f"{POPULATION}, line 1: missing required column All Ages."]


def test_unknown_codes_name_file_line_and_column(tmp_path: Path) -> None:
    population = FILES[POPULATION] + "E01000999,Nowhere 001A,E07000901,Northtown,10\n"
    lsoas = FILES[LSOA_LOOKUP].replace(
        "5,E01000905,Southtown 001A,E05000003,Ward,E07000903",
        "5,E01000905,Southtown 001A,E05000003,Ward,E07000977",
    )
    lookup = FILES[LAD_LOOKUP].replace("1,E07000901,Northtown,E22000901", "1,E07000901,Northtown,E22000977")
    lookup = lookup.replace("W14000901,Isle of Anglesey,W15000901", "W14000901,Isle of Anglesey,W15000977")

    problems = problems_of(
        write_folder(tmp_path, {POPULATION: population, LSOA_LOOKUP: lsoas, LAD_LOOKUP: lookup})
    )

    assert (
        f"{POPULATION}, line 8, column LSOA Code: unknown LSOA code E01000999 (not in {LSOA_LOOKUP})."
        in problems
    )
    assert (
        f"{LSOA_LOOKUP}, line 6, column LAD19CD: unknown district code E07000977 (not in {LAD_LOOKUP})."
        in problems
    )
    assert (
        f"{LAD_LOOKUP}, line 2, column CSP19CD: unknown CSP code E22000977 (not in {CSP_NAMES})." in problems
    )
    assert (
        f"{LAD_LOOKUP}, line 6, column PFA19CD: unknown police force area code W15000977 (not in {PFA_NAMES})."
        in problems
    )


def test_unparsable_number_names_file_line_and_column(tmp_path: Path) -> None:
    population = FILES[POPULATION].replace('"2,000"', "two thousand").replace("Southtown,750", "Southtown,")
    problems = problems_of(write_folder(tmp_path, {POPULATION: population}))
    assert problems == [
        f"{POPULATION}, line 4, column All Ages: 'two thousand' is not a whole number.",
        f"{POPULATION}, line 6, column All Ages: '' is not a whole number.",
    ]


def test_malformed_and_duplicate_codes(tmp_path: Path) -> None:
    lsoas = FILES[LSOA_LOOKUP].replace("2,E01000902,", "2,E23000902,") + (
        "7,E01000901,Northtown 001A,E05000001,Ward,E07000901,Northtown\n"
    )
    problems = problems_of(write_folder(tmp_path, {LSOA_LOOKUP: lsoas}))
    assert (
        f"{LSOA_LOOKUP}, line 3, column LSOA11CD: 'E23000902' is not a LSOA code (expected E01 or W01 and 6 digits)."
        in problems
    )
    assert f"{LSOA_LOOKUP}, line 8, column LSOA11CD: duplicate code E01000901 (first on line 2)." in problems
    # The population row for the LSOA whose code was mangled is now unknown too: every problem is reported.
    assert (
        f"{POPULATION}, line 3, column LSOA Code: unknown LSOA code E01000902 (not in {LSOA_LOOKUP})."
        in problems
    )


def test_a_row_with_the_wrong_number_of_columns_is_reported(tmp_path: Path) -> None:
    population = FILES[POPULATION].replace("Northtown,1000", "Northtown,1,000")
    problems = problems_of(write_folder(tmp_path, {POPULATION: population}))
    assert problems[0].startswith(
        f"{POPULATION}, line 3: More values than columns: 6 columns, but the header has 5"
    )


def test_an_lsoa_without_a_population_is_reported(tmp_path: Path) -> None:
    population = FILES[POPULATION].replace("E01000905,Southtown 001A,E07000903,Southtown,750\n", "")
    problems = problems_of(write_folder(tmp_path, {POPULATION: population}))
    assert problems == [
        f"{LSOA_LOOKUP}, line 6, column LSOA11CD: LSOA E01000905 has no population in {POPULATION}."
    ]


def test_missing_file_is_reported(tmp_path: Path) -> None:
    problems = problems_of(write_folder(tmp_path, {CSP_NAMES: None}))
    assert problems[0].startswith("lookups/csp*_names_codes*.csv: no file matches this name")


def test_a_bad_folder_leaves_the_previous_import_untouched(tmp_path: Path) -> None:
    import_areas(write_folder(tmp_path / "good"))
    before = areas_snapshot()
    events = AuditEvent.objects.count()

    renamed = FILES[PFA_NAMES].replace("Northshire", "Renamed")
    population = FILES[POPULATION].replace("Northtown,1000", 'Northtown,"1,0x0"')
    with pytest.raises(AreaImportError) as caught:
        import_areas(write_folder(tmp_path / "bad", {PFA_NAMES: renamed, POPULATION: population}))

    assert f"{POPULATION}, line 3, column All Ages: '1,0x0' is not a whole number." in str(caught.value)
    assert areas_snapshot() == before
    assert Area.objects.get(code="E23000901").name == "Northshire"
    assert ReferenceImport.objects.count() == 1
    assert AuditEvent.objects.count() == events


def test_error_message_lists_problems_one_per_line_and_caps_the_list(tmp_path: Path) -> None:
    rows = "".join(f"E01{n:06d},Nowhere,E07000901,Northtown,1\n" for n in range(100, 160))
    problems = problems_of(write_folder(tmp_path, {POPULATION: FILES[POPULATION] + rows}))
    assert len(problems) == 60
    text = str(AreaImportError(problems))
    lines = text.splitlines()
    assert lines[0] == "The area import found 60 problems; nothing was imported."
    assert lines[1:51] == problems[:50]
    assert lines[-1] == "… and 10 more."


def test_population_year_comes_from_the_file_name(tmp_path: Path) -> None:
    folder = write_folder(tmp_path, {POPULATION: None})
    (folder / POPULATION).parent.mkdir(parents=True, exist_ok=True)
    (folder / "population/lsoa11_population_mid2020_ew.csv").write_text(FILES[POPULATION], encoding="utf-8")
    result = import_areas(folder)
    assert result.population_year == 2020
    assert Area.objects.get(code="E01000901").population_year == 2020


def test_progress_is_reported(tmp_path: Path) -> None:
    calls: list[tuple[str, int, int]] = []
    import_areas(
        write_folder(tmp_path), progress=lambda stage, done, total: calls.append((stage, done, total))
    )
    assert ("Reading files", 5, 5) in calls
    assert calls[-1] == ("Writing areas", 20, 20)  # 2 force areas, 4 CSPs, 4 districts, 4 wards, 6 LSOAs


@pytest.mark.shared_data
def test_real_published_data() -> None:
    folder = Path(settings.SHARED_DATA_DIR)
    if not (folder / "lookups").is_dir() or not (folder / "population").is_dir():
        pytest.skip(f"The published data folder is not at {folder} (set JOINEDUP_SHARED_DATA to its path).")

    started = time.monotonic()
    result = import_areas(folder)
    elapsed = time.monotonic() - started

    assert (result.pfas, result.csps, result.lads, result.lsoas) == (43, 314, 339, 34753)
    assert result.population == 59_439_840
    assert result.lsoa21_codes == 34753
    assert elapsed < 60
    assert {s.code: (sorted(c for c, _ in s.csps), s.pfa_code) for s in result.split_lads} == {
        "E07000244": (["E22000274", "E22000278"], "E23000025"),  # East Suffolk: Suffolk Coastal, Waveney
        "E06000058": (
            ["E22000063", "E22000067", "E22000367"],
            "E23000039",
        ),  # BCP: Bournemouth, Poole, Dorset
    }
    assert Area.objects.get(code="E07000244").split_csps.count() == 2
    assert Area.objects.get(code="E06000058").split_csps.count() == 3
    assert Area.objects.filter(level=AreaLevel.LAD, is_split=True, parent__isnull=True).count() == 2

    assert Area.objects.get(code="E23000007").population == 1_463_903
    assert Area.objects.get(code="E23000034").population == 9_721
    assert Area.objects.get(code="E23000034").name == "City of London"  # from the names file
    northumbria = {
        a.name: a.population for a in Area.objects.filter(level=AreaLevel.CSP, pfa__code="E23000007")
    }
    assert northumbria == {
        "Gateshead": 202055,
        "Newcastle upon Tyne": 302820,
        "North Tyneside": 207913,
        "Northumberland": 322434,
        "South Tyneside": 150976,
        "Sunderland": 277705,
    }
    assert Area.objects.get(code="W14000001").name_welsh == "Ynys Môn"
    assert sum(a.population or 0 for a in Area.objects.filter(level=AreaLevel.PFA)) == 59_439_840
    assert result.summary().startswith("Imported 43 police force areas, 314 CSPs, 339 districts (2 split")
    assert result.wards == 8023 and ", 8,023 wards, 34,753 LSOAs;" in result.summary()
    assert result.summary().endswith(
        "34,753 LSOAs; population 59,439,840 (mid-2019). 34,753 LSOAs have a best-fit 2021 LSOA code."
    )
