"""Electoral wards in the reference geography import (docs/adr/0036): read from the LSOA lookup's ward
columns, checked row by row with every problem listed and nothing written, idempotent, and never changing
the LSOA → district → CSP → force area hierarchy that the crime figures roll up by."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from joinedup.core.models import Area, AreaLevel, ReferenceImport
from joinedup.core.services.areas_import import import_areas
from joinedup.core.tests.test_areas_import import FILES, LSOA_LOOKUP, problems_of, write_folder

pytestmark = pytest.mark.django_db

# The same LSOAs with a lookup that has no ward columns (an LSOA → district lookup of another kind).
WITHOUT_WARDS = (
    "\n".join(
        ",".join(cells[:3] + cells[5:])
        for cells in (line.split(",") for line in FILES[LSOA_LOOKUP].splitlines())
    )
    + "\n"
)

# Two wards called "Castle" in different districts, and Northtown's two LSOAs in different wards.
WARDS = """FID,LSOA11CD,LSOA11NM,WD19CD,WD19NM,LAD19CD,LAD19NM
1,E01000901,Northtown 001A,E05000011,Castle,E07000901,Northtown
2,E01000902,Northtown 001B,E05000012,Riverside,E07000901,Northtown
3,E01000903,Middletown 001A,E05000021,Castle,E07000902,Middletown
4,E01000904,Middletown 001B,E05000021,Castle,E07000902,Middletown
5,E01000905,Southtown 001A,E05000031,Southtown Central,E07000903,Southtown
6,W01000901,Isle of Anglesey 001A,W05000001,Aberffraw,W06000901,Isle of Anglesey
"""


def hierarchy() -> dict[str, tuple[Any, ...]]:
    """Every area other than a ward as the rollups see it: level, parent, district, CSP, force area (by
    code) and population."""
    return {
        area.code: (
            area.level,
            area.parent.code if area.parent else None,
            area.lad.code if area.lad else None,
            area.csp.code if area.csp else None,
            area.pfa.code if area.pfa else None,
            area.population,
            area.population_partial,
            area.is_split,
        )
        for area in Area.objects.exclude(level=AreaLevel.WARD).select_related("parent", "lad", "csp", "pfa")
    }


def wards_snapshot() -> dict[str, tuple[Any, ...]]:
    wards = {
        ward.code: (
            ward.pk,
            ward.name,
            ward.parent_id,
            ward.lad_id,
            ward.csp_id,
            ward.pfa_id,
            ward.population,
        )
        for ward in Area.objects.filter(level=AreaLevel.WARD)
    }
    lsoas = dict(Area.objects.filter(level=AreaLevel.LSOA).values_list("code", "ward_id"))
    return {"wards": wards, "lsoas": lsoas}


def test_wards_are_imported_beside_the_hierarchy(tmp_path: Path) -> None:
    result = import_areas(write_folder(tmp_path, {LSOA_LOOKUP: WARDS}))

    assert result.wards == 5
    assert "4 districts (1 split between CSPs: Middletown), 5 wards, 6 LSOAs;" in result.summary()
    northtown = Area.objects.get(code="E07000901")
    castle = Area.objects.get(code="E05000011")
    assert (castle.level, castle.name, castle.parent, castle.lad) == (
        AreaLevel.WARD,
        "Castle",
        northtown,
        northtown,
    )
    assert (castle.csp, castle.pfa) == (northtown.csp, northtown.pfa)
    assert castle.population == 1954 and castle.population_year == 2019
    # The ward in the split district has no CSP, as its district has none; its population is its LSOAs'.
    split_castle = Area.objects.get(code="E05000021")
    assert split_castle.csp is None and split_castle.pfa is not None and split_castle.population == 2500
    assert Area.objects.get(code="W05000001").population == 1200

    lsoa = Area.objects.get(code="E01000901")
    assert lsoa.ward == castle
    assert (lsoa.parent, lsoa.lad) == (northtown, northtown)  # the LSOA stays under its district
    assert list(castle.ward_lsoas.values_list("code", flat=True)) == ["E01000901"]
    assert sorted(split_castle.ward_lsoas.values_list("code", flat=True)) == ["E01000903", "E01000904"]
    assert ReferenceImport.objects.get().counts[AreaLevel.WARD] == 5


def test_wards_leave_every_other_area_as_it_was(tmp_path: Path) -> None:
    import_areas(write_folder(tmp_path / "before", {LSOA_LOOKUP: WITHOUT_WARDS}))
    before = hierarchy()
    assert not Area.objects.filter(level=AreaLevel.WARD).exists()

    result = import_areas(write_folder(tmp_path / "after", {LSOA_LOOKUP: WARDS}))

    assert hierarchy() == before
    assert result.counts == {"pfa": 2, "csp": 4, "lad": 4, "ward": 5, "lsoa": 6}
    # Only the LSOAs now say which ward they are in; nothing is a child of a ward.
    assert not Area.objects.filter(parent__level=AreaLevel.WARD).exists()
    assert Area.objects.filter(level=AreaLevel.LSOA, ward__isnull=True).count() == 0


def test_importing_again_changes_nothing(tmp_path: Path) -> None:
    folder = write_folder(tmp_path, {LSOA_LOOKUP: WARDS})
    import_areas(folder)
    first, rows = wards_snapshot(), Area.objects.count()

    again = import_areas(folder)

    assert wards_snapshot() == first and Area.objects.count() == rows
    assert again.wards == 5 and ReferenceImport.objects.count() == 2


def test_a_lookup_without_ward_columns_keeps_the_wards_loaded_before(tmp_path: Path) -> None:
    import_areas(write_folder(tmp_path / "wards", {LSOA_LOOKUP: WARDS}))
    loaded = wards_snapshot()

    result = import_areas(write_folder(tmp_path / "plain", {LSOA_LOOKUP: WITHOUT_WARDS}))

    assert result.wards is None and "wards" not in result.summary()
    assert wards_snapshot() == loaded


def test_bad_ward_rows_are_all_reported_and_nothing_is_written(tmp_path: Path) -> None:
    import_areas(write_folder(tmp_path / "good", {LSOA_LOOKUP: WARDS}))
    loaded, before, events = wards_snapshot(), hierarchy(), ReferenceImport.objects.count()

    bad = (
        WARDS.replace(
            "1,E01000901,Northtown 001A,E05000011,Castle,", "1,E01000901,Northtown 001A,E0500001X,Castle,"
        )
        .replace("2,E01000902,Northtown 001B,E05000012,Riverside,", "2,E01000902,Northtown 001B,,Riverside,")
        .replace(
            "4,E01000904,Middletown 001B,E05000021,Castle,", "4,E01000904,Middletown 001B,E05000021,Keep,"
        )
        .replace(
            "5,E01000905,Southtown 001A,E05000031,Southtown Central,",
            "5,E01000905,Southtown 001A,E05000021,Castle,",
        )
        .replace("W05000001,Aberffraw,", "W05000001,,")
    )
    problems = problems_of(write_folder(tmp_path / "bad", {LSOA_LOOKUP: bad}))

    assert problems == [
        f"{LSOA_LOOKUP}, line 2, column WD19CD: 'E0500001X' is not a ward code (expected E05 or W05 and 6 digits).",
        f"{LSOA_LOOKUP}, line 3, column WD19CD: no ward code.",
        f"{LSOA_LOOKUP}, line 5, column WD19NM: ward E05000021 is called 'Keep' here but 'Castle' on line 4.",
        f"{LSOA_LOOKUP}, line 6, column LAD19CD: ward E05000021 is in district E07000903 here but in E07000902 "
        "on line 4.",
        f"{LSOA_LOOKUP}, line 7, column WD19NM: ward W05000001 has no name.",
    ]
    assert wards_snapshot() == loaded and hierarchy() == before
    assert ReferenceImport.objects.count() == events


def test_ward_codes_without_names_are_refused(tmp_path: Path) -> None:
    no_names = WARDS.replace("WD19NM", "WARDNAME")
    problems = problems_of(write_folder(tmp_path, {LSOA_LOOKUP: no_names}))
    assert problems == [f"{LSOA_LOOKUP}, line 1: missing column WDnnNM (ward codes and names go together)."]
    assert not Area.objects.exists()


# A Newcastle upon Tyne ward, as the published lookup lists it.
GOSFORTH = "E05011447"


@pytest.mark.shared_data
def test_real_wards_are_the_lookups() -> None:
    folder = Path(settings.SHARED_DATA_DIR)
    lookup = folder / "lookups" / "lsoa11_ward19_lad19_ew.csv"
    if not lookup.is_file() or not (folder / "population").is_dir():
        pytest.skip(f"The published data folder is not at {folder} (set JOINEDUP_SHARED_DATA to its path).")
    with lookup.open(encoding="utf-8-sig", newline="") as handle:
        listed = sorted(row["LSOA11CD"] for row in csv.DictReader(handle) if row["WD19CD"] == GOSFORTH)

    result = import_areas(folder)

    assert result.wards == 8023 and result.lsoas == 34753
    gosforth = Area.objects.select_related("lad", "csp", "pfa").get(code=GOSFORTH)
    assert (gosforth.level, gosforth.name, gosforth.lad.name) == (
        AreaLevel.WARD,
        "Gosforth",
        "Newcastle upon Tyne",
    )
    assert (gosforth.csp.code, gosforth.pfa.code) == ("E22000245", "E23000007")  # Newcastle CSP, Northumbria
    assert len(listed) >= 5
    assert sorted(gosforth.ward_lsoas.values_list("code", flat=True)) == listed
    assert gosforth.population == sum(
        Area.objects.filter(code__in=listed).values_list("population", flat=True)
    )
    # Every LSOA is in one ward, and the districts' populations are still their LSOAs' alone.
    assert not Area.objects.filter(level=AreaLevel.LSOA, ward__isnull=True).exists()
    assert Area.objects.get(code="E23000007").population == 1_463_903
    # Two wards called Castle in the one force area, told apart by their districts.
    castles = Area.objects.filter(level=AreaLevel.WARD, name="Castle", pfa__code="E23000007")
    assert sorted(castles.values_list("lad__name", flat=True)) == ["Newcastle upon Tyne", "Sunderland"]


def test_the_demo_imports_once_more_files_imported_before_wards_were_read(tmp_path: Path) -> None:
    from joinedup.core import demo
    from joinedup.core.tests.factories import AreaFactory

    folder = write_folder(tmp_path)
    import_areas(folder)
    AreaFactory(code=demo.PFA, name="Northumbria", level=AreaLevel.PFA)
    last = ReferenceImport.objects.get()
    assert demo._areas_up_to_date(folder) == last  # the same files: not imported again

    last.counts.pop(AreaLevel.WARD)  # as an import made before wards recorded them
    last.save()
    assert demo._areas_up_to_date(folder) is None
