"""LSOA boundaries: the import (all or nothing, every problem listed), point lookup and shapes for maps."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.conf import settings

from joinedup.core.boundaries import (
    BoundaryImportError,
    boundaries_for,
    boundaries_up_to_date,
    import_boundaries,
    lsoa_at,
)
from joinedup.core.models import AreaLevel, LsoaBoundary, ReferenceImport
from joinedup.core.tests.factories import AreaFactory

pytestmark = pytest.mark.django_db


def square(lon: float, lat: float, size: float = 0.01) -> dict:
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def feature(code: str, geometry: dict, *, field: str = "LSOA11CD") -> dict:
    return {"type": "Feature", "properties": {field: code, "LADCD_ACTIVE": "E08000021"}, "geometry": geometry}


def write(folder: Path, name: str, features: list[dict]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(json.dumps({"type": "FeatureCollection", "features": features}))


@pytest.fixture
def boundary_dir(tmp_path: Path) -> Path:
    write(
        tmp_path / "lsoa11",
        "E08000021.geojson",
        [feature("E01000101", square(-1.60, 54.97)), feature("E01000102", square(-1.59, 54.97))],
    )
    write(
        tmp_path / "lsoa21",
        "E08000021.geojson",
        [feature("E01000101", square(-1.60, 54.97), field="LSOA21CD")],
    )
    return tmp_path


def test_the_point_is_placed_in_the_lsoa_whose_boundary_covers_it(boundary_dir):
    west = AreaFactory(code="E01000101", level=AreaLevel.LSOA)
    east = AreaFactory(code="E01000102", level=AreaLevel.LSOA)
    result = import_boundaries(boundary_dir)

    assert result.counts == {2011: 2, 2021: 1}
    assert lsoa_at(-1.595, 54.975) == west
    assert lsoa_at(-1.585, 54.975) == east
    # Next to both squares' bounding boxes but inside neither shape.
    assert lsoa_at(-1.575, 54.975) is None
    assert lsoa_at(-3.0, 51.5) is None


def test_a_second_import_updates_the_same_rows_and_is_recorded(boundary_dir):
    import_boundaries(boundary_dir)
    write(boundary_dir / "lsoa11", "E08000021.geojson", [feature("E01000101", square(-1.50, 54.90))])
    import_boundaries(boundary_dir)

    assert LsoaBoundary.objects.filter(vintage=2011, code="E01000101").count() == 1
    moved = LsoaBoundary.objects.get(vintage=2011, code="E01000101")
    assert moved.min_lon == pytest.approx(-1.50)
    assert ReferenceImport.objects.filter(kind="boundaries").count() == 2
    assert boundaries_up_to_date(boundary_dir)


def test_every_problem_is_listed_and_nothing_is_written(tmp_path):
    write(
        tmp_path / "lsoa11",
        "E08000021.geojson",
        [
            feature("E01000101", square(-1.6, 54.97)),
            feature("X123", square(-1.6, 54.97)),
            feature("E01000103", {"type": "Point", "coordinates": [-1.6, 54.97]}),
            feature("E01000104", square(400000, 560000)),
            feature("E01000101", square(-1.6, 54.97)),
        ],
    )
    (tmp_path / "lsoa11" / "broken.geojson").write_text("{not json")

    with pytest.raises(BoundaryImportError) as caught:
        import_boundaries(tmp_path)

    message = str(caught.value)
    assert "5 problems; nothing was imported" in message
    assert "feature 2: LSOA11CD 'X123' is not an LSOA code" in message
    assert "feature 3 (E01000103): the geometry is not a Polygon or MultiPolygon" in message
    assert "feature 4 (E01000104): coordinates are not longitude/latitude" in message
    assert "feature 5: E01000101 appears more than once" in message
    assert "lsoa11/broken.geojson: not GeoJSON" in message
    assert not LsoaBoundary.objects.exists()
    assert not ReferenceImport.objects.filter(kind="boundaries").exists()


def test_a_folder_without_boundaries_is_refused(tmp_path):
    with pytest.raises(BoundaryImportError, match="No boundary files"):
        import_boundaries(tmp_path)


def test_boundaries_for_gives_the_shapes_that_exist(boundary_dir):
    import_boundaries(boundary_dir)
    shapes = boundaries_for(["E01000102", "E01000101", "E01999999"])
    assert set(shapes) == {"E01000101", "E01000102"}
    assert shapes["E01000102"]["type"] == "Polygon"
    assert set(boundaries_for(["E01000101"], vintage=2021)) == {"E01000101"}


@pytest.mark.shared_data
def test_a_point_in_newcastle_city_centre_is_in_a_newcastle_lsoa():
    folder = Path(settings.SHARED_DATA_DIR) / "boundaries"
    if not folder.is_dir():
        pytest.skip(f"The published boundaries are not at {folder} (set JOINEDUP_SHARED_DATA to its path).")
    newcastle = json.loads((folder / "lsoa11" / "E08000021.geojson").read_text())
    codes = {f["properties"]["LSOA11CD"] for f in newcastle["features"]}
    for code in codes:
        AreaFactory(code=code, level=AreaLevel.LSOA)
    AreaFactory(code="E01000001", level=AreaLevel.LSOA)

    result = import_boundaries(folder)

    # 916 Northumbria LSOAs and the City of London's 6, as the data README counts them.
    assert result.counts[2011] == 922
    grey_street = lsoa_at(-1.6118, 54.9722)
    assert grey_street is not None and grey_street.code in codes
    # The City of London's first LSOA, from the label point in its own file.
    assert lsoa_at(-0.09706, 51.5181).code == "E01000001"
    assert lsoa_at(-1.0, 54.0) is None  # North Yorkshire: no boundary loaded
