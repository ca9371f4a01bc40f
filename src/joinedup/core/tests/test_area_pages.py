"""The staff area pages: list with filters, sorting and CSV export, an area's page, and the import record."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from joinedup.core.models import Area, AuditEvent, EventType
from joinedup.core.roles import Role
from joinedup.core.selectors.areas import get_area, list_areas
from joinedup.core.services.areas_import import import_areas
from joinedup.core.tests.test_areas_import import write_folder

pytestmark = pytest.mark.django_db

ClientFor = Callable[[str], Client]


def text_of(response: Any) -> str:
    return response.content.decode()


def csv_rows(response: Any) -> list[dict[str, str]]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(body)))


def test_signed_out_visitor_is_sent_to_sign_in(db: Any) -> None:
    for name, args in [("area-list", []), ("area-export", []), ("area-detail", ["E23000099"])]:
        response = Client().get(reverse(f"staff:{name}", args=args))
        assert response.status_code == 302
        assert "/staff/sign-in" in response["Location"]


def test_list_shows_every_area_with_a_count(client_for: ClientFor, areas: dict[str, Area]) -> None:
    response = client_for(Role.PRACTITIONER).get(reverse("staff:area-list"))
    page = text_of(response)
    assert response.status_code == 200
    assert "<strong>10</strong> areas" in page
    assert "Splitborough" in page and "Split between CSPs" in page
    assert '<table class="govuk-table">' in page and "<caption" in page and 'scope="col"' in page


def test_list_filters_by_level_parent_and_search(client_for: ClientFor, areas: dict[str, Area]) -> None:
    client = client_for(Role.ANALYST)

    page = text_of(client.get(reverse("staff:area-list"), {"level": "csp"}))
    assert "<strong>2</strong> areas" in page
    assert "North Testshire" in page and "South Testshire" in page and "Northtown" not in page

    page = text_of(client.get(reverse("staff:area-list"), {"parent": "e07000901"}))
    assert "<strong>2</strong> areas" in page
    assert "E01900001" in page and "E01900002" in page and "E01900003" not in page

    page = text_of(client.get(reverse("staff:area-list"), {"q": "south"}))
    assert "<strong>3</strong> areas" in page  # South Testshire, Southtown and its LSOA "Southtown 3"

    page = text_of(client.get(reverse("staff:area-list"), {"q": "E0190000"}))
    assert "<strong>4</strong> areas" in page

    page = text_of(client.get(reverse("staff:area-list"), {"q": "Atlantis"}))
    assert "No areas match these filters" in page


def test_list_sorts_by_population(client_for: ClientFor, areas: dict[str, Area]) -> None:
    page = text_of(
        client_for(Role.ANALYST).get(reverse("staff:area-list"), {"sort": "-population", "level": "lad"})
    )
    assert page.index("Northtown") < page.index("Southtown") < page.index("Splitborough")
    assert 'aria-sort="descending"' in page


def test_list_is_paginated_50_a_page(client_for: ClientFor, areas: dict[str, Area]) -> None:
    lad = areas["north_lad"]
    Area.objects.bulk_create(
        [
            Area(code=f"E0198{n:04d}", name=f"Extra {n:03d}", level="lsoa", parent=lad, lad=lad)
            for n in range(60)
        ]
    )
    client = client_for(Role.ANALYST)
    first = text_of(client.get(reverse("staff:area-list"), {"level": "lsoa"}))
    assert "<strong>64</strong> areas, showing 1 to 50" in first
    assert 'class="govuk-pagination"' in first
    second = text_of(client.get(reverse("staff:area-list"), {"level": "lsoa", "page": 2}))
    assert "showing 51 to 64" in second


def test_csv_export_has_the_filtered_areas_and_is_logged(
    client_for: ClientFor, areas: dict[str, Area]
) -> None:
    response = client_for(Role.PANEL_MEMBER).get(reverse("staff:area-export"), {"level": "lad"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = csv_rows(response)
    assert [row["code"] for row in rows] == ["E07000901", "E07000902", "E07000903"]
    split = rows[2]
    assert split["name"] == "Splitborough" and split["split district"] == "yes" and split["CSP code"] == ""
    assert rows[0]["parent code"] == "E22000901" and rows[0]["population"] == "2500"
    assert rows[0]["police force area code"] == "E23000099"

    event = AuditEvent.objects.get(event_type=EventType.EXPORT)
    assert event.object_type == "core.area" and event.detail["filters"] == {"level": "lad"}


def test_detail_shows_population_hierarchy_and_children(
    client_for: ClientFor, areas: dict[str, Area]
) -> None:
    client = client_for(Role.PRACTITIONER)
    page = text_of(client.get(reverse("staff:area-detail", args=["E22000902"])))
    assert "South Testshire" in page
    assert "1,000" in page and "Partial" in page
    assert reverse("staff:area-detail", args=["E23000099"]) in page  # parent link
    assert "Splitborough" in page  # a district partly in this CSP
    assert "Southtown" in page  # child district

    page = text_of(client.get(reverse("staff:area-detail", args=["e07000903"])))
    assert "Splitborough" in page and "Split between" in page
    assert "North Testshire" in page and "South Testshire" in page
    assert "E01900004" in page  # its LSOA

    page = text_of(client.get(reverse("staff:area-detail", args=["E01900001"])))
    assert "1,500" in page and "Northtown" in page and "North Testshire" in page and "Testshire" in page


def test_detail_shows_welsh_name_and_population_year(
    client_for: ClientFor, tmp_path: Path, users: Any
) -> None:
    import_areas(write_folder(tmp_path))
    page = text_of(client_for(Role.ANALYST).get(reverse("staff:area-detail", args=["W14000901"])))
    assert "Ynys Môn" in page
    assert "1,200" in page and "mid-2019" in page


def test_unknown_area_is_not_found(client_for: ClientFor, areas: dict[str, Area]) -> None:
    assert client_for(Role.ANALYST).get(reverse("staff:area-detail", args=["E23999999"])).status_code == 404


def test_import_record_list(client_for: ClientFor, tmp_path: Path, users: Any) -> None:
    import_areas(write_folder(tmp_path), actor_email="command line")
    response = client_for(Role.AUDITOR).get(reverse("staff:reference-import-list"))
    page = text_of(response)
    assert response.status_code == 200
    assert (
        "lookups/lad19_csp19_pfa19_ew.csv" in page and "population/lsoa11_population_mid2019_ew.csv" in page
    )
    checksum = (
        __import__("hashlib").sha256((tmp_path / "lookups/pfa19_names_codes_uk.csv").read_bytes()).hexdigest()
    )
    assert checksum in page
    assert "LSOAs: 6" in page and "Total population: 7,404" in page and "command line" in page


def test_import_record_list_needs_imports_permission(client_for: ClientFor, users: Any) -> None:
    assert client_for(Role.PRACTITIONER).get(reverse("staff:reference-import-list")).status_code == 404


def test_selectors(users: dict[str, Any], areas: dict[str, Area]) -> None:
    user = users[Role.PANEL_MEMBER]
    assert list(list_areas(user=user, level="pfa")) == [areas["pfa"]]
    assert {a.code for a in list_areas(user=user, parent_code="E23000099")} == {"E22000901", "E22000902"}
    assert list_areas(user=user, level="nonsense").count() == 0
    assert get_area(user=user, code="e22000901") == areas["north"]
    with pytest.raises(Area.DoesNotExist):
        get_area(user=user, code="E22999999")
    assert list_areas(user=None).count() == 0
