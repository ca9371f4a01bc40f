"""The incident's LSOA comes from its coordinates when they fall inside a loaded LSOA boundary."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError

from joinedup.casework.services import record_incident
from joinedup.core.models import Area, AreaLevel, LsoaBoundary
from joinedup.core.models.areas import BoundaryVintage

from .conftest import incident_data

pytestmark = pytest.mark.django_db


def square(code: str, west: float, south: float, side: float = 0.01) -> LsoaBoundary:
    ring = [[west, south], [west + side, south], [west + side, south + side], [west, south + side]]
    return LsoaBoundary.objects.create(
        vintage=BoundaryVintage.LSOA2011,
        code=code,
        lad_code="E07000901",
        geometry={"type": "Polygon", "coordinates": [[*ring, ring[0]]]},
        min_lon=west,
        min_lat=south,
        max_lon=west + side,
        max_lat=south + side,
    )


@pytest.fixture
def squares(world):
    # Two squares side by side: E01900001 west of -1.61, E01900002 east of it.
    square("E01900001", -1.62, 54.96)
    square("E01900002", -1.61, 54.96)


def test_the_lsoa_is_worked_out_from_the_coordinates(world, squares):
    data = incident_data(world, latitude="54.965", longitude="-1.605", area="")
    result = record_incident(actor=world["users"]["police"], data=data)
    assert result.incident.area.code == "E01900002"
    assert result.case.area.code == "E01900002"


def test_a_district_given_with_coordinates_is_narrowed_to_the_lsoa(world, squares):
    data = incident_data(world, latitude="54.965", longitude="-1.615", area="E07000901")
    assert record_incident(actor=world["users"]["police"], data=data).incident.area.code == "E01900001"


def test_the_coordinates_decide_over_a_different_lsoa_given_with_them(world, squares):
    data = incident_data(world, latitude="54.965", longitude="-1.605", area="E01900001")
    assert record_incident(actor=world["users"]["police"], data=data).incident.area.code == "E01900002"


def test_coordinates_outside_every_loaded_boundary_need_an_area(world, squares):
    # Inside England and Wales (Sevenoaks) but outside both squares.
    data = incident_data(world, latitude="51.2724", longitude="0.1906", area="")
    with pytest.raises(ValidationError) as caught:
        record_incident(actor=world["users"]["police"], data=data)
    assert "not inside any LSOA boundary" in caught.value.message_dict["area"][0]

    given = incident_data(world, latitude="51.2724", longitude="0.1906", area="E01900002")
    assert record_incident(actor=world["users"]["police"], data=given).incident.area.code == "E01900002"


def test_the_form_says_the_area_is_worked_out_from_the_coordinates(world):
    from .conftest import signed_in

    page = signed_in(world["users"]["police"]).get("/staff/casework/incidents/new/").content.decode()
    assert "Worked out from the coordinates" in page


@pytest.mark.shared_data
def test_real_boundaries_give_the_lsoa_of_a_point(world):
    from shapely.geometry import shape

    from joinedup.core.boundaries import import_boundaries

    directory = settings.SHARED_DATA_DIR / "boundaries"
    if not (directory / "lsoa11").is_dir():
        pytest.skip(f"The shared LSOA boundaries are not at {directory} (set JOINEDUP_SHARED_DATA).")
    import_boundaries(directory)
    boundary = LsoaBoundary.objects.filter(vintage=BoundaryVintage.LSOA2011, code__startswith="E01").first()
    assert boundary is not None
    inside = shape(boundary.geometry).representative_point()
    lad = world["areas"].get("E07000901", None)
    Area.objects.create(
        code=boundary.code, name=boundary.name or boundary.code, level=AreaLevel.LSOA, lad=lad
    )
    data = incident_data(world, latitude=f"{inside.y:.6f}", longitude=f"{inside.x:.6f}", area="")
    assert record_incident(actor=world["users"]["police"], data=data).incident.area.code == boundary.code
