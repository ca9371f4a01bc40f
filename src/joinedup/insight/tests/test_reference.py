"""Importing IMD 2019 deciles and Crime Severity weights (commands and services)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from django.conf import settings

from joinedup.core.models import ReferenceImport
from joinedup.insight.cli import insight
from joinedup.insight.imports.services import derive_severity, import_severity
from joinedup.insight.models import DeprivationIndex, SeverityWeight

pytestmark = pytest.mark.django_db

SEVERITY_HEADER = "ONS_COUNTS_category,ONS_SEVERITY_code,ONS_SEVERITY_weight,POLICE_UK_CAT_MAP_code,POLICE_UK_CAT_MAP_category"


def test_severity_weight_is_the_median_of_distinct_offences(tmp_path: Path) -> None:
    path = tmp_path / "weights.csv"
    path.write_text(
        "\n".join(
            [
                SEVERITY_HEADER,
                "burglary,28E,2000,28/1,Burglary",
                "burglary,28F,100,28/2,Burglary",
                "burglary,28F,100,28/3,Burglary",  # the same ONS offence again: counted once
                "burglary,29,400,29,Burglary",
                "theft,46,11.5,46,Shoplifting",
                "odd,99,5,99,Not a category",
                "odd,98,x,98,Drugs",
            ]
        )
        + "\n",
        encoding="utf-8-sig",
    )
    result = CliRunner().invoke(insight, ["severity", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert "Burglary: median 400.0 (mean 833.3, 3 offences)" in result.output
    assert "'Not a category' is not a data.police.uk crime type" in result.output
    weights = {w.crime_type: w for w in SeverityWeight.objects.all()}
    assert set(weights) == {"Burglary", "Shoplifting"}
    assert weights["Burglary"].weight == 400.0 and weights["Burglary"].max_weight == 2000.0
    assert ReferenceImport.objects.get(kind="crime_severity_weights").counts["crime_types"] == 2
    # Importing again replaces.
    path.write_text(SEVERITY_HEADER + "\ntheft,46,12,46,Shoplifting\n")
    import_severity(path)
    assert list(SeverityWeight.objects.values_list("crime_type", "weight")) == [("Shoplifting", 12.0)]


def test_severity_file_without_the_columns_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "weights.csv"
    path.write_text("a,b\n1,2\n")
    result = CliRunner().invoke(insight, ["severity", "import", str(path)])
    assert result.exit_code == 1
    assert "no column ONS_SEVERITY_code" in result.output


def test_deprivation_import_treats_zero_as_missing(tmp_path: Path) -> None:
    path = tmp_path / "imd.csv"
    path.write_bytes(
        "\ufeffFID,lsoa11cd,lsoa11nm,IMDRank,IMDDecil,Shape__Area,Shape__Length\r\n"
        "1,E01000001,City 001A,29199,9,1,1\r\n"
        "2,W01000001,Wrexham 001A,0,0,1,1\r\n"
        "3,E01000002,City 001B,12,1,1,1\r\n".encode()
    )
    result = CliRunner().invoke(insight, ["deprivation", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert "Imported IMD 2019 for 2 LSOAs; 1 without a rank" in result.output
    assert dict(DeprivationIndex.objects.values_list("lsoa_code", "decile")) == {
        "E01000001": 9,
        "E01000002": 1,
    }


def test_shared_severity_file_gives_a_weight_to_every_crime_type_but_asb() -> None:
    path = (
        Path(settings.SHARED_DATA_DIR) / "severity" / "css_weights_ho_offence_police_uk_category_derived.csv"
    )
    if not path.is_file():
        pytest.skip(f"The published data is not at {path.parent}.")
    import csv

    with open(path, encoding="utf-8-sig", newline="") as handle:
        derived, problems = derive_severity(list(csv.DictReader(handle)))
    assert problems == []
    assert len(derived) == 13 and "Anti-social behaviour" not in derived
    assert derived["Violence and sexual offences"]["weight"] > derived["Shoplifting"]["weight"]
