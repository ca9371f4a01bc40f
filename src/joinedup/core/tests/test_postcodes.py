"""`joinedup areas postcodes FILE`: the ONS Postcode Directory imported all or nothing, and an incident with
only a postcode located in its LSOA once it has been (tests write their own ONSPD-shaped file)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from django.core.exceptions import ValidationError

from joinedup.casework.services import record_incident
from joinedup.casework.tests.conftest import incident_data, world  # noqa: F401  (fixtures)
from joinedup.core.cli import areas as areas_command
from joinedup.core.models import Postcode

pytestmark = pytest.mark.django_db

# A few of the ONSPD's ~50 columns, in its order, with its placeholders for "no grid reference".
HEADER = "pcd,pcd2,pcds,dointr,doterm,oscty,lsoa11,msoa11,lat,long,lsoa21\n"


def onspd(tmp_path: Path, rows: list[str]) -> Path:
    path = tmp_path / "ONSPD_NOV_2026_UK.csv"
    path.write_text(HEADER + "".join(f"{row}\n" for row in rows), encoding="utf-8")
    return path


GOOD = [
    '"NE1 4ST","NE1  4ST","NE1 4ST","199801","","E99999999","E01900001","E02000001",54.974000,-1.613000,"E01999001"',
    '"NE2 1AA","NE2  1AA","NE2 1AA","199801","","E99999999","E01900003","E02000002",54.980000,-1.600000,""',
    '"EH1 1AA","EH1  1AA","EH1 1AA","199801","","S99999999","S01000001","S02000001",55.950000,-3.190000,""',
    '"NE9 9ZZ","NE9  9ZZ","NE9 9ZZ","199801","","E99999999","E01900002","E02000001",99.999999,0.000000,""',
]


def test_the_directory_is_imported_with_each_postcodes_lsoa_and_location(areas: Any, tmp_path: Path) -> None:
    result = CliRunner().invoke(areas_command, ["postcodes", str(onspd(tmp_path, GOOD))])
    assert result.exit_code == 0, result.output
    assert "Imported 4 postcodes: 3 in a loaded LSOA, 1 in an LSOA not loaded here, 3 with a location" in (
        result.output
    )
    newcastle = Postcode.objects.get(postcode="NE1 4ST")
    assert newcastle.lsoa == areas["E01900001"] and float(newcastle.latitude) == pytest.approx(54.974)
    unlocated = Postcode.objects.get(postcode="NE9 9ZZ")
    assert unlocated.latitude is None and unlocated.lsoa == areas["E01900002"]


def test_a_bad_file_imports_nothing_and_names_every_problem(areas: Any, tmp_path: Path) -> None:
    CliRunner().invoke(areas_command, ["postcodes", str(onspd(tmp_path, GOOD[:1]))])
    bad = [
        *GOOD,
        '"NOT A CODE","","NOT A CODE","","","","E01900001","",54.9,-1.6,""',
        '"NE1 4ST","","NE1 4ST","","","","E01900001","",54.9,-1.6,""',
        '"NE3 3AA","","NE3 3AA","","","","E01900001","",north,-1.6,""',
    ]
    result = CliRunner().invoke(areas_command, ["postcodes", str(onspd(tmp_path, bad))])
    assert result.exit_code == 1
    assert "Nothing was imported: 3 problems" in result.output
    assert "line 6" in result.output and "'NOT A CODE' is not a postcode" in result.output
    assert "line 7" in result.output and "NE1 4ST is in the file twice" in result.output
    assert "line 8" in result.output and "'north' is not a number" in result.output
    assert list(Postcode.objects.values_list("postcode", flat=True)) == ["NE1 4ST"]  # the earlier import


def test_a_file_without_the_onspd_columns_is_refused(tmp_path: Path, db: Any) -> None:
    path = tmp_path / "other.csv"
    path.write_text("postcode,lat\nNE1 4ST,54.9\n", encoding="utf-8")
    result = CliRunner().invoke(areas_command, ["postcodes", str(path)])
    assert result.exit_code == 1 and "no pcds, long, lsoa21 or lsoa11 column" in result.output


def test_an_incident_with_only_a_postcode_is_located_once_the_directory_is_imported(
    world: dict[str, Any],  # noqa: F811
    tmp_path: Path,
) -> None:
    only_postcode = incident_data(world, postcode="ne14st", latitude="", longitude="", area="")
    with pytest.raises(ValidationError) as refused:
        record_incident(actor=world["users"]["police"], data=only_postcode)
    assert "Give coordinates, or the ONS code" in str(refused.value.message_dict["area"])

    CliRunner().invoke(areas_command, ["postcodes", str(onspd(tmp_path, GOOD))])
    incident = record_incident(actor=world["users"]["police"], data=only_postcode).incident
    assert incident.area == world["areas"]["E01900001"]
    assert float(incident.latitude) == pytest.approx(54.974)

    unknown = incident_data(world, postcode="NE4 4AA", latitude="", longitude="", area="")
    with pytest.raises(ValidationError) as refused:
        record_incident(actor=world["users"]["police"], data=unknown)
    assert "NE4 4AA is not in the postcode directory" in str(refused.value.message_dict["area"])


def test_one_postcode_format_accepts_the_onspd_shapes_and_casework_uses_it() -> None:
    from joinedup.casework import services as casework
    from joinedup.core.services import postcodes

    assert casework.POSTCODE_RE is postcodes.POSTCODE_RE
    assert casework.normalise_postcode is postcodes.normalise
    # Samples of every outward shape in the ONS Postcode Directory (A9, A99, A9A, AA9, AA99, AA9A), and
    # the directory's special cases (Girobank, British Forces, the non-geographic BX, the islands).
    onspd = ["NE1 4ST", "E1W 1AA", "EC1A 1BB", "W1A 0AX", "M1 1AE", "B33 8TH", "CR2 6XH", "DN55 1PT"]
    onspd += ["SW1A 2AA", "NE9 9ZZ", "GIR 0AA", "BF1 3AA", "BX1 1LT", "JE2 3AB", "IM1 1AA", "ZE1 0AA"]
    assert [p for p in onspd if not postcodes.POSTCODE_RE.match(postcodes.normalise(p))] == []
    assert postcodes.normalise(" ec1a1bb ") == "EC1A 1BB"
    for not_a_postcode in ("NOT A CODE", "QA1 1AA", "E1 1AC", "NE14", "12 3AB", "EC1A 1B"):
        assert not postcodes.POSTCODE_RE.match(postcodes.normalise(not_a_postcode)), not_a_postcode
