"""Your area: a resident finds a place by name and reads its crime figures, like for like with the missing
month stated, small counts hidden, the same in the page, the CSV and the JSON."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from joinedup.core.models import Area
from joinedup.insight.imports.importer import import_police_data
from joinedup.insight.tests.test_importer import street_file, street_row

MISSING = "2022-06"


def _download(path: str) -> str:
    return b"".join(Client().get(path).streaming_content).decode("utf-8-sig")


@pytest.fixture
def police_data(areas: dict[str, Area], settings: Any, tmp_path: Path) -> None:
    """24 months for North Testshire (one LSOA) with 2022-06 never published: burglary 2 a month in 2022 and
    3 a month in 2023, shoplifting 1 a month, and a single robbery in 2023-05."""
    settings.DATA_DIR = tmp_path / "var"
    folder = tmp_path / "police"
    for year, burglaries in ((2022, 2), (2023, 3)):
        for m in range(1, 13):
            month = f"{year}-{m:02d}"
            if month == MISSING:
                continue
            rows = [street_row(f"b{month}-{n}", month, "E01900001") for n in range(burglaries)]
            rows.append(street_row(f"s{month}", month, "E01900001", "Shoplifting"))
            if month == "2023-05":
                rows.append(street_row("r1", month, "E01900001", "Robbery"))
            street_file(folder, month, rows)
    import_police_data([folder])


def test_a_place_is_found_by_name_and_one_match_goes_straight_to_it(areas: dict[str, Area]) -> None:
    several = Client().get("/your-area/?q=testsh").content.decode()
    assert "Testshire" in several and "North Testshire" in several and "South Testshire" in several
    assert several.index(">Testshire <") < several.index(">North Testshire <")  # the force area first
    exact = Client().get("/your-area/?q=north%20testshire")
    assert exact.status_code == 302 and exact["Location"] == "/your-area/E22000901/"
    assert "No ward, council area" in Client().get("/your-area/?q=Atlantis").content.decode()
    assert Client().get("/").content.decode().count('action="/your-area/"') == 1


def test_a_postcode_goes_to_its_district_and_a_postcode_not_found_says_so(
    areas: dict[str, Area], caplog: Any
) -> None:
    from joinedup.core.models import Postcode

    # Before the directory is loaded, a postcode cannot be looked up: the page says so, and names work.
    page = Client().get("/your-area/?q=ne1+4st")
    assert page.status_code == 200
    assert "Search by postcode is not available yet" in page.content.decode()
    assert Client().get("/your-area/?q=north%20testshire").status_code == 302

    Postcode.objects.create(postcode="NE1 4ST", lsoa=areas["E01900001"])  # in Northtown, North Testshire
    Postcode.objects.create(postcode="NE9 9ZZ", lsoa=areas["E01900004"])  # Splitborough: split between CSPs
    Postcode.objects.create(postcode="NE2 2AA", lsoa=None)  # in the directory, with no LSOA (a PO box)
    for typed in ("NE1 4ST", "ne14st", "  Ne1   4sT "):
        found = Client().get("/your-area/", {"q": typed})
        assert found.status_code == 302 and found["Location"] == f"/your-area/{areas['north_lad'].code}/"
    split = Client().get("/your-area/", {"q": "NE9 9ZZ"})
    assert split.status_code == 302 and split["Location"] == f"/your-area/{areas['split_lad'].code}/"
    assert Client().get(split["Location"]).status_code == 200

    for typed in ("NE3 3AB", "ne2 2aa"):
        page = Client().get("/your-area/", {"q": typed})
        text = page.content.decode()
        assert page.status_code == 200 and "We could not find the postcode" in text
        assert "There is a problem" in text and 'href="#q"' in text and "govuk-input--error" in text
    # Something that is not a postcode is still a place name.
    assert "No ward, council area" in Client().get("/your-area/?q=NE99").content.decode()
    assert not any("NE1 4ST" in r.getMessage() or "NE14ST" in r.getMessage() for r in caplog.records)


def test_the_figures_are_like_for_like_state_the_missing_month_and_hide_small_counts(
    police_data: None,
) -> None:
    page = Client().get("/your-area/E22000901/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "2023-01 to 2023-12" in text and MISSING in text  # the gap is named

    rows = list(csv.reader(io.StringIO(_download("/your-area/E22000901/crime.csv"))))
    header, body = rows[0], {r[4]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    assert header[:5] == ["area_code", "area", "from", "to", "crime_type"]
    burglary = body["Burglary"]
    assert burglary["count"] == "36"  # 3 a month over 2023
    # Like for like: 2023-06 is left out because 2022-06 is missing, so 11 months on each side.
    assert (burglary["like_for_like_count"], burglary["like_for_like_previous_count"]) == ("33", "22")
    assert burglary["change_pct"] == "50.0"
    assert MISSING in burglary["coverage_note"]
    robbery = body["Robbery"]
    assert (
        robbery["count"] == "fewer than 3" and robbery["change_pct"] == "" and robbery["rate_per_1000"] == ""
    )
    # The page shows the crime types' total (49): with Robbery alone hidden, 49 - 36 - 12 would give it
    # back, so the next smallest type is withheld too.
    assert body["Shoplifting"]["count"] == "not shown" and body["Shoplifting"]["change_pct"] == ""
    crimes_total = text[text.index("Crimes (not counting ASB)</dt>") :].split("</dd>")[0]
    assert crimes_total.rstrip().split(">")[-1].startswith("49")

    data = json.loads(Client().get("/your-area/E22000901/crime.json").content)
    by_type = {r["crime_type"]: r for r in data["by_crime_type"]}
    assert by_type["Burglary"]["count"] == "36" and by_type["Robbery"]["count"] == "fewer than 3"
    assert (data["from"], data["to"]) == ("2023-01", "2023-12")
    assert MISSING in json.dumps(data["coverage"])


def test_a_hidden_type_shows_its_label_only_so_like_for_like_gives_nothing_back(
    areas: dict[str, Area], settings: Any, tmp_path: Path
) -> None:
    """Every month present, so a type's like-for-like count is its count: burglary 3 a month, shoplifting 1 a
    month (12, hidden beside the robbery), and robbery 5 in 2022 and 1 in 2023-05."""
    settings.DATA_DIR = tmp_path / "var"
    folder = tmp_path / "police"
    for year in (2022, 2023):
        for m in range(1, 13):
            month = f"{year}-{m:02d}"
            rows = [street_row(f"b{month}-{n}", month, "E01900001") for n in range(3)]
            rows.append(street_row(f"s{month}", month, "E01900001", "Shoplifting"))
            if month == "2023-05" or (year == 2022 and m <= 5):
                rows.append(street_row(f"r{month}", month, "E01900001", "Robbery"))
            street_file(folder, month, rows)
    import_police_data([folder])

    rows = list(csv.reader(io.StringIO(_download("/your-area/E22000901/crime.csv"))))
    body = {r[4]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    assert body["Burglary"]["count"] == "36" and body["Burglary"]["like_for_like_count"] == "36"
    hidden = {"Robbery": "fewer than 3", "Shoplifting": "not shown"}
    for crime_type, label in hidden.items():
        row = body[crime_type]
        assert (row["count"], row["like_for_like_count"]) == (label, label)  # not 1 and 12
        assert row["like_for_like_previous_count"] == "not shown"  # not 5 and 12
        assert (row["rate_per_1000"], row["change_pct"], row["trend"]) == ("", "", "")

    data = json.loads(Client().get("/your-area/E22000901/crime.json").content)
    for row in data["by_crime_type"]:
        if row["crime_type"] in hidden:
            label = hidden[row["crime_type"]]
            assert (row["count"], row["like_for_like_count"]) == (label, label)
            assert row["like_for_like_previous_count"] == "not shown"
            assert (row["rate_per_1000"], row["change_pct"], row["trend"]) == (None, None, "")

    page = Client().get("/your-area/E22000901/").content.decode()
    for crime_type, label in hidden.items():
        cells = page[page.index(f">{crime_type}</th>") :].split("</tr>")[0].split("<td")[1:]
        shown = [cell.split(">", 1)[1].split("</td>")[0].strip() for cell in cells]
        dash = "\N{EN DASH}"
        assert shown == [label, dash, "not shown", dash]


def test_a_small_asb_count_is_hidden_in_the_table_and_the_totals_alike(
    areas: dict[str, Area], settings: Any, tmp_path: Path
) -> None:
    settings.DATA_DIR = tmp_path / "var"
    folder = tmp_path / "police"
    for m in range(1, 13):
        month = f"2023-{m:02d}"
        rows = [street_row(f"b{month}-{n}", month, "E01900001") for n in range(3)]
        if month == "2023-04":
            rows.append(street_row("", month, "E01900001", "Anti-social behaviour"))
        street_file(folder, month, rows)
    import_police_data([folder])
    page = Client().get("/your-area/E22000901/").content.decode()
    rows = list(csv.reader(io.StringIO(_download("/your-area/E22000901/crime.csv"))))
    asb = next(r for r in rows if r[4] == "Anti-social behaviour")
    assert asb[5] == "fewer than 3" and asb[6] == ""
    summary = page[page.index("Anti-social behaviour</dt>") :]
    assert summary.split("</dd>")[0].endswith("fewer than 3")  # not the 1 the table hides


def test_the_page_shows_what_is_open_to_residents_there(
    police_data: None, users: Any, areas: dict[str, Area]
) -> None:
    from joinedup.core.tests.factories import OrganisationFactory
    from joinedup.engagement.models import Consultation

    today = date.today()
    organisation = OrganisationFactory()
    for title, area in (
        ("North survey", areas["north"]),
        ("South survey", areas["south"]),
        ("Force survey", areas["pfa"]),
    ):
        Consultation.objects.create(
            title=title,
            summary="Tell us.",
            area=area,
            organisation=organisation,
            published=True,
            opens_on=today - timedelta(days=1),
            closes_on=today + timedelta(days=9),
        )
    from joinedup.csp.tests.factories import make_plan

    make_plan(csp=areas["north"], title="North agreement")  # so the CSP has a public page to link to
    from joinedup.engagement.models import NeighbourhoodMeeting

    def meeting(title: str, area: Area, closed_days_ago: int) -> None:
        NeighbourhoodMeeting.objects.create(
            title=title,
            area=area,
            organisation=organisation,
            held_on=today - timedelta(days=closed_days_ago + 7),
            place="The library",
            voting_closes_on=today - timedelta(days=closed_days_ago),
            published=True,
        )

    meeting("Northtown spring meeting", areas["E01900001"], 30)  # closed: its result is to be read
    meeting("Northtown meeting of long ago", areas["E01900001"], 400)
    meeting("Southtown spring meeting", areas["E01900003"], 30)
    page = Client().get("/your-area/E22000901/").content.decode()
    assert "North survey" in page and "Force survey" in page and "South survey" not in page
    said = page[page.index("You said, we did") :]
    assert "Northtown spring meeting" in said
    assert "long ago" not in page and "Southtown spring meeting" not in page
    assert "/csp/E22000901/" in page  # the CSP's own public page
    assert Client().get("/csp/E22000901/").status_code == 200


def test_unknown_places_formats_and_no_data(areas: dict[str, Area], settings: Any, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path / "empty"
    assert Client().get("/your-area/E99999999/").status_code == 404
    assert Client().get("/your-area/E01900001/").status_code == 404  # an LSOA is not offered
    assert Client().get("/your-area/E22000901/crime.xml").status_code == 404
    page = Client().get("/your-area/E22000901/").content.decode()
    assert "No figures yet" in page
    assert json.loads(Client().get("/your-area/E22000901/crime.json").content)["by_crime_type"] == []


def test_each_month_is_charted_and_tabled_with_the_missing_month_and_small_counts_hidden(
    areas: dict[str, Area], settings: Any, tmp_path: Path
) -> None:
    """2023 with March never published: 4 crimes a month, and ASB 6 a month except 1 in July (hidden), so
    the next smallest month (a 6) is withheld too, or the year's total would give July back."""
    settings.DATA_DIR = tmp_path / "var"
    folder = tmp_path / "police"
    for m in range(1, 13):
        month = f"2023-{m:02d}"
        if month == "2023-03":
            continue
        rows = [street_row(f"b{month}-{n}", month, "E01900001") for n in range(4)]
        asb = 1 if month == "2023-07" else 6
        rows += [street_row("", month, "E01900001", "Anti-social behaviour") for _ in range(asb)]
        street_file(folder, month, rows)
    import_police_data([folder])

    page = Client().get("/your-area/E22000901/").content.decode()
    table = page[page.index("Each month, 2023-01 to 2023-12") :].split("</table>")[0]
    cells = {}
    for row in table.split("<tr")[2:]:
        month = row.split("</th>")[0].rsplit(">", 1)[1]
        cells[month] = [c.split(">", 1)[1].split("</td>")[0].strip() for c in row.split("<td")[1:]]
    assert len(cells) == 12
    assert cells["2023-03"] == ["No data published for this month"]  # never a zero
    assert cells["2023-01"] == ["4", "not shown"]  # the smallest month shown, withheld beside July
    assert cells["2023-07"] == ["4", "fewer than 3"]
    assert cells["2023-12"] == ["4", "6"]
    assert 'id="chart-months-title"' in page and "Crimes and anti-social behaviour each month" in page

    rows = list(csv.reader(io.StringIO(_download("/your-area/E22000901/crime.by-month.csv"))))
    assert rows[0] == ["area_code", "area", "month", "crimes_excluding_asb", "asb"]
    by_month = {r[2]: r[3:] for r in rows[1:]}
    assert by_month["2023-03"] == ["no data", "no data"]
    assert by_month["2023-07"] == ["4", "fewer than 3"] and by_month["2023-01"] == ["4", "not shown"]

    data = json.loads(Client().get("/your-area/E22000901/crime.json").content)
    months = {m["month"]: m for m in data["by_month"]}
    assert months["2023-03"] == {
        "month": "2023-03",
        "has_data": False,
        "crimes_excluding_asb": None,
        "asb": None,
    }
    assert (months["2023-07"]["asb"], months["2023-01"]["asb"], months["2023-12"]["asb"]) == (
        "fewer than 3",
        "not shown",
        6,
    )


def test_the_commissioners_priorities_and_the_panels_public_meetings_are_shown(
    areas: dict[str, Area],
) -> None:
    from joinedup.core.tests.factories import area_tree
    from joinedup.partnerships.models import Plan
    from joinedup.scrutiny.models import MeetingKind, PanelMeeting

    today = date.today()
    other = area_tree(force=8, name="Farshire")
    old = Plan.objects.create(
        title="Old plan",
        pcc_name="A former PCC",
        force_area=areas["pfa"],
        period_start=today.replace(year=today.year - 6),
        period_end=today.replace(year=today.year - 2),
    )
    old.priorities.create(title="An old priority")
    current = Plan.objects.create(
        title="Safer Testshire",
        pcc_name="Jo Bloggs",
        force_area=areas["pfa"],
        period_start=today.replace(year=today.year - 1),
        period_end=today.replace(year=today.year + 3),
    )
    current.priorities.create(title="Fewer victims", order=2)
    current.priorities.create(title="Safer roads", order=1)
    Plan.objects.create(
        title="Farshire plan", pcc_name="X", force_area=other["pfa"], period_start=today, period_end=today
    ).priorities.create(title="A Farshire priority")

    def meeting(title: str, days: int, kind: str = MeetingKind.PANEL, force: Area = areas["pfa"]) -> None:
        PanelMeeting.objects.create(
            force_area=force,
            kind=kind,
            held_on=today + timedelta(days=days),
            title=title,
            agenda="Precept proposal\nAnnual report",
            minutes_link="https://example.org/minutes" if days < 0 else "",
        )

    meeting("Precept meeting", 20)
    meeting("Autumn meeting", -30)
    meeting("Working group on roads", 10, MeetingKind.WORKING_GROUP)
    meeting("Farshire Panel", 15, force=other["pfa"])

    for code in ("E23000099", "E22000901", "E07000901"):  # the force area, a CSP and a district within it
        page = Client().get(f"/your-area/{code}/").content.decode()
        priorities = page[page.index("The Police and Crime Commissioner’s priorities") :]
        assert "Safer Testshire" in priorities and "Jo Bloggs" in priorities
        assert priorities.index("Safer roads") < priorities.index("Fewer victims")  # in the plan's order
        assert "An old priority" not in page and "A Farshire priority" not in page
        assert "Precept meeting" in page and "Precept proposal" in page
        assert 'href="https://example.org/minutes"' in page and "Autumn meeting (minutes)" in page
        assert "Working group on roads" not in page and "Farshire Panel" not in page
    farshire = Client().get("/your-area/E23000098/").content.decode()
    assert "Farshire Panel" in farshire and "A Farshire priority" in farshire
    assert "Precept meeting" not in farshire and "Safer Testshire" not in farshire


def test_a_place_is_chosen_on_a_map_whose_districts_are_links(areas: dict[str, Area]) -> None:
    """Northtown's two LSOAs and Southtown's one are squares side by side; Splitborough has no shape."""
    from joinedup.core.models import BoundaryVintage, LsoaBoundary

    assert "Or choose on a map" not in Client().get("/your-area/").content.decode()  # no shapes loaded
    assert 'id="map"' not in Client().get("/your-area/E23000099/").content.decode()
    for index, (code, lad) in enumerate(
        (("E01900001", "E07000901"), ("E01900002", "E07000901"), ("E01900003", "E07000902"))
    ):
        west, south, side = -1.62 + 0.01 * index, 54.96, 0.01
        ring = [[west, south], [west + side, south], [west + side, south + side], [west, south + side]]
        LsoaBoundary.objects.create(
            vintage=BoundaryVintage.LSOA2011,
            code=code,
            lad_code=lad,
            geometry={"type": "Polygon", "coordinates": [[*ring, ring[0]]]},
            min_lon=west,
            min_lat=south,
            max_lon=west + side,
            max_lat=south + side,
        )

    search = Client().get("/your-area/").content.decode()
    assert 'href="/your-area/E23000099/#map"' in search and "Districts of Testshire on a map" in search

    page = Client().get("/your-area/E23000099/").content.decode()
    svg = page[page.index("<svg", page.index('id="map"')) : page.index("</svg>", page.index('id="map"'))]
    links = svg.split("<a ")[1:]
    # One link per district with a shape (Northtown's two squares drawn as one district), named for it.
    assert [link.split('aria-label="')[1].split('"')[0] for link in links] == ["Northtown", "Southtown"]
    assert 'href="/your-area/E07000901/"' in links[0] and 'href="/your-area/E07000902/"' in links[1]
    assert links[0].count("<path") == 1 and "<title>Northtown</title>" in links[0]
    # Every district stays in the list under the map, the one with no shape included.
    listed = page[page.index("</svg>", page.index('id="map"')) :].split("</ul>")[0]
    assert all(f">{name}</a>" in listed for name in ("Northtown", "Southtown", "Splitborough"))
    # A CSP's map has its own districts only; a district's page has no map.
    north = Client().get("/your-area/E22000901/").content.decode()
    assert 'aria-label="Northtown"' in north and 'aria-label="Southtown"' not in north
    assert 'id="map"' not in Client().get("/your-area/E07000901/").content.decode()


def test_every_places_page_and_downloads_are_the_same_as_from_the_whole_assessment(
    areas: dict[str, Area], settings: Any, tmp_path: Path
) -> None:
    """The page reads only the parts of the assessment it shows (issue 19: no scan of the store's files):
    for a force area, CSPs and districts (a split one too), with a missing month, small counts and a
    comparison with the force area, the page, the CSVs and the JSON are byte for byte what the whole
    assessment gave."""
    from django.core.cache import cache

    from joinedup.insight import calculation, selectors

    settings.DATA_DIR = tmp_path / "var"
    folder = tmp_path / "police"
    for year in (2022, 2023):
        for m in range(1, 13):
            month = f"{year}-{m:02d}"
            if month == "2023-02":
                continue
            rows = [street_row(f"b{month}-{n}", month, "E01900001") for n in range(3 + m % 4)]
            rows += [
                street_row(f"s{month}-{n}", month, "E01900003", "Shoplifting") for n in range(year - 2020)
            ]
            rows += [street_row("", month, "E01900004", "Anti-social behaviour") for _ in range(m % 3)]
            if month in ("2023-05", "2022-11"):
                rows.append(street_row(f"r{month}", month, "E01900002", "Robbery"))
            street_file(folder, month, rows)
    import_police_data([folder])
    per_request = re.compile(rb'(name="csrfmiddlewaretoken" value|nonce)="[^"]*"')  # differ every time

    def served(code: str) -> list[bytes]:
        cache.clear()
        page = Client().get(f"/your-area/{code}/")
        assert page.status_code == 200
        json_data = Client().get(f"/your-area/{code}/crime.json").content
        downloads = [_download(f"/your-area/{code}/crime.{f}").encode() for f in ("csv", "by-month.csv")]
        return [per_request.sub(b"", page.content), json_data, *downloads]

    codes = ["E23000099", "E22000901", "E22000902", "E07000901", "E07000902", "E07000903"]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(calculation, "_by_place", lambda *a: pytest.fail("the page scanned the store"))
        now = {code: served(code) for code in codes}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(selectors, "area_overview", selectors.area_assessment)
        whole = {code: served(code) for code in codes}
    for code in codes:
        assert now[code] == whole[code], code
    north = now["E22000901"][0].decode()
    assert "Testshire as a whole" in north and "2023-02" in north  # the force area's rates; the gap named
