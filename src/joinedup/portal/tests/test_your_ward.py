"""Your area at ward level (docs/adr/0036): a resident finds their electoral ward by name, two wards of one
name told apart by their districts, and reads its crime figures, which are its LSOAs' figures added up, with
the missing months stated and the district, CSP and force area a link away."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from joinedup.core.models import Area, AreaLevel
from joinedup.core.tests.factories import AreaFactory, make_ward
from joinedup.insight.imports.importer import import_police_data
from joinedup.insight.tests.test_importer import street_file, street_row

MISSING = ("2022-06", "2023-03")  # never published: one in the year before, one in the year shown
ASB = "Anti-social behaviour"
# Each month's rows by LSOA: the Castle ward of Northtown is E01900001 and E01900002, Northtown's other
# ward (Riverside) is E01900005, and the Castle ward of Southtown is E01900003.
PER_MONTH: dict[str, dict[str, int]] = {
    "E01900001": {"Burglary": 3, "Shoplifting": 2},
    "E01900002": {"Burglary": 2, ASB: 3},
    "E01900005": {"Burglary": 4, ASB: 1},
    "E01900003": {"Robbery": 5},
}
CASTLE_LSOAS = ("E01900001", "E01900002")


def counts_in(year: int) -> dict[tuple[str, str, str], int]:
    """(LSOA, month, crime type) → rows, for the months of the year that were published. 2022 has one
    burglary fewer a month in each LSOA, so there is a change to show."""
    found = {}
    for m in range(1, 13):
        month = f"{year}-{m:02d}"
        if month in MISSING:
            continue
        for lsoa, types in PER_MONTH.items():
            for crime_type, n in types.items():
                found[lsoa, month, crime_type] = n - 1 if year == 2022 and crime_type == "Burglary" else n
    return found


@pytest.fixture
def wards(areas: dict[str, Area]) -> dict[str, Area]:
    north_lad, south_lad = areas["north_lad"], areas["south_lad"]
    AreaFactory(
        code="E01900005",
        name="Northtown 5",
        level=AreaLevel.LSOA,
        parent=north_lad,
        lad=north_lad,
        csp=north_lad.csp,
        pfa=north_lad.pfa,
        population=800,
    )

    return {
        "castle_north": make_ward("E05900001", "Castle", north_lad, CASTLE_LSOAS),
        "riverside": make_ward("E05900002", "Riverside", north_lad, ("E01900005",)),
        "castle_south": make_ward("E05900003", "Castle", south_lad, ("E01900003",)),
    }


@pytest.fixture
def police_data(wards: dict[str, Area], settings: Any, tmp_path: Path) -> dict[tuple[str, str, str], int]:
    settings.DATA_DIR = tmp_path / "var"
    folder = tmp_path / "police"
    counts = {**counts_in(2022), **counts_in(2023)}
    months = sorted({month for _lsoa, month, _type in counts})
    for month in months:
        rows = [
            street_row(
                "" if crime_type == ASB else f"{lsoa}-{month}-{crime_type}-{n}", month, lsoa, crime_type
            )
            for (lsoa, row_month, crime_type), count in counts.items()
            if row_month == month
            for n in range(count)
        ]
        street_file(folder, month, rows)
    import_police_data([folder])
    return counts


def _download(path: str) -> str:
    return b"".join(Client().get(path).streaming_content).decode("utf-8-sig")


def _json(path: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(Client().get(path).content)
    return data


def test_a_ward_is_found_by_name_and_same_named_wards_are_told_apart_by_district(
    wards: dict[str, Area],
) -> None:
    page = Client().get("/your-area/", {"q": "castle"})
    text = page.content.decode()
    assert page.status_code == 200
    assert "2 places match" in text
    north = text.index('href="/your-area/E05900001/"')
    south = text.index('href="/your-area/E05900003/"')
    assert "(Ward in Northtown)" in text[north : north + 200]
    assert "(Ward in Southtown)" in text[south : south + 200]
    # The exact name matches both, so neither is chosen for the resident.
    assert Client().get("/your-area/", {"q": "Castle"}).status_code == 200
    one = Client().get("/your-area/", {"q": "riverside"})
    assert one.status_code == 302 and one["Location"] == "/your-area/E05900002/"
    by_code = Client().get("/your-area/", {"q": "e05900003"})
    assert by_code.status_code == 302 and by_code["Location"] == "/your-area/E05900003/"
    # An LSOA is still not a place of its own.
    assert Client().get("/your-area/E01900001/").status_code == 404


def test_a_wards_figures_are_its_lsoas_added_up_with_the_missing_months_stated(
    police_data: dict[tuple[str, str, str], int], wards: dict[str, Area]
) -> None:
    def total(lsoas: tuple[str, ...], crime_type: str, months: set[str] | None = None) -> int:
        return sum(
            n
            for (lsoa, month, kind), n in police_data.items()
            if lsoa in lsoas
            and kind == crime_type
            and month.startswith("2023")
            and (months is None or month in months)
        )

    rows = list(csv.reader(io.StringIO(_download("/your-area/E05900001/crime.csv"))))
    body = {r[4]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    assert set(body) == {"Burglary", "Shoplifting", ASB}  # nothing of Riverside's or Southtown's
    assert body["Burglary"]["count"] == str(total(CASTLE_LSOAS, "Burglary")) == "55"  # 5 a month, 11 months
    assert body["Shoplifting"]["count"] == str(total(CASTLE_LSOAS, "Shoplifting")) == "22"
    assert body[ASB]["count"] == str(total(CASTLE_LSOAS, ASB)) == "33"
    # Like for like: 2023-03 and 2023-06 are left out (missing in one year or the other), so 10 months.
    assert (body["Burglary"]["like_for_like_count"], body["Burglary"]["like_for_like_previous_count"]) == (
        "50",
        "30",
    )
    assert body["Burglary"]["change_pct"] == "66.7"
    assert body["Burglary"]["rate_per_1000"] == str(round(55 * 1000 / 2500, 1))  # the ward's 2,500 people
    assert all(missing in body["Burglary"]["coverage_note"] for missing in MISSING)

    data = _json("/your-area/E05900001/crime.json")
    assert data["area"] == {"code": "E05900001", "name": "Castle", "level": "ward"}
    assert (data["from"], data["to"]) == ("2023-01", "2023-12")
    months = {m["month"]: m for m in data["by_month"]}
    assert months["2023-03"] == {
        "month": "2023-03",
        "has_data": False,
        "crimes_excluding_asb": None,
        "asb": None,
    }
    for month, row in months.items():
        if row["has_data"]:
            crimes = sum(total(CASTLE_LSOAS, kind, {month}) for kind in ("Burglary", "Shoplifting"))
            assert (row["crimes_excluding_asb"], row["asb"]) == (crimes, total(CASTLE_LSOAS, ASB, {month}))
    assert months["2023-01"]["crimes_excluding_asb"] == 7

    by_month = list(csv.reader(io.StringIO(_download("/your-area/E05900001/crime.by-month.csv"))))
    assert {r[2]: r[3:] for r in by_month[1:]}["2023-03"] == ["no data", "no data"]

    # The district's figures are unchanged by its wards, and are their sum.
    district = {
        r["crime_type"]: r["count"] for r in _json("/your-area/E07000901/crime.json")["by_crime_type"]
    }
    riverside = {
        r["crime_type"]: r["count"] for r in _json("/your-area/E05900002/crime.json")["by_crime_type"]
    }
    assert district["Burglary"] == str(total(("E01900001", "E01900002", "E01900005"), "Burglary")) == "99"
    assert int(district["Burglary"]) == int(body["Burglary"]["count"]) + int(riverside["Burglary"])
    assert int(district[ASB]) == int(body[ASB]["count"]) + int(riverside[ASB])

    page = Client().get("/your-area/E05900001/").content.decode()
    assert "Ward in Northtown" in page and "2023-01 to 2023-12" in page
    assert all(missing in page for missing in MISSING)
    assert "No data published for this month" in page
    assert "/your-area/E05900001/crime.csv" in page and "/your-area/E05900001/crime.json" in page


def test_a_wards_small_counts_are_hidden(police_data: dict[tuple[str, str, str], int]) -> None:
    # Riverside has 1 ASB report a month: each month's count is hidden, the year's 11 is shown.
    data = _json("/your-area/E05900002/crime.json")
    asb = next(r for r in data["by_crime_type"] if r["crime_type"] == ASB)
    assert asb["count"] == "11"
    months = [m for m in data["by_month"] if m["has_data"]]
    assert months and all(m["asb"] in ("fewer than 3", "not shown") for m in months)


def test_a_wards_page_links_to_its_district_csp_and_force_area_and_shows_its_csps_work(
    police_data: dict[tuple[str, str, str], int], areas: dict[str, Area]
) -> None:
    from joinedup.core.tests.factories import OrganisationFactory
    from joinedup.csp.tests.factories import make_plan
    from joinedup.engagement.models import NeighbourhoodMeeting

    make_plan(csp=areas["north"], title="North agreement")
    today = date.today()
    organisation = OrganisationFactory()
    for title, lsoa in (("Castle Street meeting", "E01900002"), ("Riverside meeting", "E01900005")):
        NeighbourhoodMeeting.objects.create(
            title=title,
            area=areas[lsoa] if lsoa in areas else Area.objects.get(code=lsoa),
            organisation=organisation,
            held_on=today + timedelta(days=7),
            place="The library",
            voting_closes_on=today + timedelta(days=3),
            published=True,
        )

    page = Client().get("/your-area/E05900001/").content.decode()
    part_of = page[page.index('id="part-of"') :].split("</ul>")[0]
    assert part_of.index('href="/your-area/E07000901/"') < part_of.index('href="/your-area/E22000901/"')
    assert part_of.index('href="/your-area/E22000901/"') < part_of.index('href="/your-area/E23000099/"')
    # What exists only for the CSP is shown through it, as on the district's page.
    assert "North Testshire Community Safety Partnership’s priorities" in page
    assert "/csp/E22000901/" in page
    assert "Castle Street meeting" in page and "Riverside meeting" not in page
    assert "Riverside meeting" in Client().get("/your-area/E05900002/").content.decode()


def test_a_ward_page_reads_in_welsh(wards: dict[str, Area], settings: Any, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path / "empty"
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    page = client.get("/your-area/E05900001/").content.decode()
    assert "Ward yn Northtown" in page and "Mae Castle yn rhan o:" in page
    search = client.get("/your-area/", {"q": "castle"}).content.decode()
    assert "(Ward yn Southtown)" in search


def test_a_ward_bearing_the_name_typed_does_not_hide_the_places_whose_name_starts_with_it(
    wards: dict[str, Area],
) -> None:
    """As "Newcastle" (a ward in Bridgend) must not take a resident of Newcastle upon Tyne to Wales."""
    south_lad = wards["castle_south"].lad
    assert south_lad is not None
    AreaFactory(code="E05900009", name="North", level=AreaLevel.WARD, parent=south_lad, lad=south_lad)
    page = Client().get("/your-area/", {"q": "North"})
    assert page.status_code == 200  # a list, not the ward's page
    text = page.content.decode()
    assert 'href="/your-area/E05900009/"' in text
    assert "North Testshire" in text and "Northtown" in text


def test_a_postcode_goes_to_its_ward_or_to_its_district_where_no_ward_is_known(
    wards: dict[str, Area],
) -> None:
    """The postcode directory gives the LSOA; the LSOA's ward (from the ward lookup) is the most local page.
    An LSOA with no ward (a lookup without ward columns, or one not in it) still goes to its district."""
    from joinedup.core.models import Postcode

    Postcode.objects.create(postcode="NE1 4ST", lsoa=Area.objects.get(code="E01900002"))  # Castle, Northtown
    Postcode.objects.create(postcode="SE1 1AA", lsoa=Area.objects.get(code="E01900003"))  # Castle, Southtown
    Postcode.objects.create(postcode="NE9 9ZZ", lsoa=Area.objects.get(code="E01900004"))  # no ward known
    for typed, place in (("ne1 4st", "castle_north"), ("SE11AA", "castle_south")):
        found = Client().get("/your-area/", {"q": typed})
        assert found.status_code == 302 and found["Location"] == f"/your-area/{wards[place].code}/", typed
        assert "Castle" in Client().get(found["Location"]).content.decode()
    no_ward = Client().get("/your-area/", {"q": "NE9 9ZZ"})
    assert Area.objects.get(code="E01900004").ward_id is None
    assert no_ward.status_code == 302
    assert no_ward["Location"] == f"/your-area/{Area.objects.get(code='E01900004').lad.code}/"
