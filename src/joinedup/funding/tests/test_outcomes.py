"""The outcome view of a funded project: crime and ASB in the CSP area it serves before and after it
started, against the most similar areas (difference in differences), checked against hand arithmetic on
a generated store of two forces; no conclusion on small counts or a missing month (in the area or in a
similar area); and only for those who may see the award or contract."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from joinedup.core.models import Area, Organisation
from joinedup.core.roles import Role
from joinedup.core.tests.factories import UserFactory, area_tree
from joinedup.funding.models import Application, ApplicationStatus, Award, Contract
from joinedup.funding.outcomes.selectors import outcome_view
from joinedup.insight.imports.importer import import_police_data
from joinedup.insight.tests.test_importer import STREET, street_row, write

from .helpers import make_fund, make_round

pytestmark = pytest.mark.django_db

# Street rows a month, before (to 2023-03) and after (from 2023-04): (LSOA, crime type, before, after).
# CSP populations (core.tests.factories.area_tree): North 2,500, South 1,000 in both force areas.
ROWS = {
    "testshire": [
        ("E01900001", "Burglary", 10, 8),  # North Testshire: 120 -> 96 a year, 48.0 -> 38.4 per 1,000
        ("E01900001", "Anti-social behaviour", 5, 5),  # 60 -> 60, 24.0 -> 24.0
        ("E01900003", "Burglary", 4, 4),  # South Testshire: 48 -> 48, 48.0 -> 48.0; no ASB
    ],
    "farshire": [
        ("E01800001", "Burglary", 10, 10),  # North Farshire: 48.0 -> 48.0
        ("E01800001", "Anti-social behaviour", 3, 3),  # 36 -> 36, 14.4 -> 14.4
        ("E01800003", "Burglary", 5, 6),  # South Farshire: 60 -> 72, 60.0 -> 72.0
    ],
}


def _months(first: str, last: str) -> list[str]:
    year, month = (int(p) for p in first.split("-"))
    found = []
    while f"{year}-{month:02d}" <= last:
        found.append(f"{year}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


def build_store(folder: Path, *, last: str = "2024-03", skip: dict[str, set[str]] | None = None) -> None:
    """Both forces' street files for 2022-04..`last`, leaving out the months in `skip` for each force."""
    for force, rows in ROWS.items():
        for month in _months("2022-04", last):
            if month in (skip or {}).get(force, set()):
                continue
            lines = []
            for lsoa, crime_type, before, after in rows:
                for i in range(before if month < "2023-04" else after):
                    lines.append(
                        street_row(f"{force}-{month}-{lsoa}-{crime_type[:3]}-{i}", month, lsoa, crime_type)
                    )
            write(folder / month / f"{month}-{force}-street.csv", [STREET, *lines])
    import_police_data([folder])


@pytest.fixture
def world(users: dict[str, Any], areas: dict[str, Area], tmp_path: Path, settings: Any) -> dict[str, Any]:
    settings.DATA_DIR = tmp_path / "var"
    farshire = area_tree(force=8, name="Farshire")
    fund = make_fund(users, areas)
    grant_round = make_round(users, fund)

    def award(csp: Area | None, awarded_on: datetime.date, title: str) -> Award:
        application = Application.objects.create(
            round=grant_round,
            organisation_name=f"{title} Trust",
            project_title=title,
            project_description=title,
            amount_requested=Decimal("1000.00"),
            status=ApplicationStatus.APPROVED,
        )
        return Award.objects.create(
            application=application,
            fund=fund,
            recipient_name=f"{title} Trust",
            csp=csp,
            title=title,
            description=title,
            amount=Decimal("1000.00"),
            awarded_on=awarded_on,
        )

    provider = Organisation.objects.create(name="Northtown Victim Services", sector="vcs_charity")
    return {
        **areas,
        "farshire": farshire,
        "folder": tmp_path / "in",
        "award": award(areas["north"], datetime.date(2023, 4, 1), "Street sport"),
        "small": award(areas["south"], datetime.date(2023, 4, 1), "Boxing"),
        "unplaced": award(None, datetime.date(2023, 4, 1), "Art"),
        "early": award(areas["north"], datetime.date(2024, 3, 15), "Youth club"),
        "contract": Contract.objects.create(
            reference="NT-1",
            title="Target hardening",
            provider=provider,
            fund=fund,
            csp=areas["north"],
            value=Decimal("50000.00"),
            starts_on=datetime.date(2023, 10, 15),
            ends_on=datetime.date(2025, 3, 31),
        ),
        "officer": users[Role.OPCC_OFFICER],
    }


def _finding(view: dict[str, Any], key: str) -> dict[str, Any]:
    return next(f for f in view["findings"] if f["key"] == key)


def test_difference_in_differences_against_hand_arithmetic(world: dict[str, Any]):
    build_store(world["folder"])
    view = outcome_view(area=world["north"], starts_on=world["award"].awarded_on)
    assert view["refusal"] is None
    assert view["before"] == {"from": "2022-04", "to": "2023-03", "months": 12}
    assert view["after"] == {"from": "2023-04", "to": "2024-03", "months": 12}
    # Similar on population alone (no IMD loaded): North Farshire (2,500) first, then the two of 1,000.
    assert [r["name"] for r in view["compared"]] == ["North Farshire", "South Farshire", "South Testshire"]
    crime = _finding(view, "crimes_excl_asb")
    own = crime["rows"][0]
    assert (own["before"], own["after"]) == (120, 96)
    assert (round(own["before_rate"], 1), round(own["after_rate"], 1)) == (48.0, 38.4)
    # Changes: North Testshire 38.4 - 48.0 = -9.6; similar areas 0, 72 - 60 = +12, 0: mean +4.0.
    assert crime["change"] == -9.6 and crime["comparison_mean_change"] == 4.0
    assert crime["difference_in_differences"] == -13.6
    assert crime["conclusive"] and not crime["refusals"]
    assert "went from 48.0 to 38.4 per 1,000 residents a year (down 9.6)" in crime["words"]
    assert "difference in differences is -13.6" in crime["words"]
    assert "fell further or rose less than in the similar areas, by 13.6" in crime["words"]
    assert "not a test of significance" in crime["words"]
    assert "significant" not in crime["words"].replace("not a test of significance", "")
    asb = _finding(view, "asb")
    # ASB: 24.0 -> 24.0; similar areas 14.4 -> 14.4 and none in the other two: all changes 0.
    assert (asb["change"], asb["comparison_mean_change"], asb["difference_in_differences"]) == (0, 0, 0)
    assert asb["conclusive"] and "changed as it did in the similar areas" in asb["words"]


def test_fewer_whole_months_after_are_stated_and_scaled_to_a_year(world: dict[str, Any]):
    build_store(world["folder"])
    # Started 15 October 2023: October is left out; November 2023 to March 2024 is 5 whole months.
    view = outcome_view(area=world["north"], starts_on=world["contract"].starts_on)
    assert view["before"]["from"] == "2022-10" and view["after"] == {
        "from": "2023-11",
        "to": "2024-03",
        "months": 5,
    }
    crime = _finding(view, "crimes_excl_asb")
    own = crime["rows"][0]
    # Before: 6 x 10 + 6 x 8 = 108 -> 43.2; after: 5 x 8 = 40 -> 40 / 2.5 x 12/5 = 38.4.
    assert (own["before"], own["after"]) == (108, 40)
    assert (round(own["before_rate"], 1), round(own["after_rate"], 1)) == (43.2, 38.4)
    # South Farshire: 6 x 5 + 6 x 6 = 66 -> 66.0; 30 x 12/5 = 72.0: +6.0. The others 0: mean +2.0.
    assert crime["change"] == -4.8 and crime["comparison_mean_change"] == 2.0
    assert crime["difference_in_differences"] == -6.8


def test_small_counts_refuse_to_conclude(world: dict[str, Any]):
    build_store(world["folder"])
    view = outcome_view(area=world["south"], starts_on=world["small"].awarded_on)
    crime, asb = _finding(view, "crimes_excl_asb"), _finding(view, "asb")
    assert crime["conclusive"]  # 48 and 48
    # No difference in differences is given with the refusal, on page or in the CSV.
    assert not asb["conclusive"] and asb["difference_in_differences"] is None
    assert asb["words"].startswith("No conclusion: Too few ASB incidents to tell")
    assert (
        "South Testshire had 0 before and 0 after the start; at least 20 in each are needed" in asb["words"]
    )


@pytest.mark.parametrize(
    ("skip", "named"),
    [
        ({"testshire": {"2022-06"}}, ["Months missing: 2022-06 (North Testshire).", "(South Testshire)"]),
        (
            {"farshire": {"2023-07", "2023-08"}},
            ["Months missing: 2023-07, 2023-08 (North Farshire).", "2023-07, 2023-08 (South Farshire)"],
        ),
    ],
    ids=["in the area", "in similar areas"],
)
def test_a_missing_month_refuses_to_conclude(
    world: dict[str, Any], skip: dict[str, set[str]], named: list[str]
):
    build_store(world["folder"], skip=skip)
    view = outcome_view(area=world["north"], starts_on=world["award"].awarded_on)
    for finding in view["findings"]:
        assert not finding["conclusive"]
        assert finding["words"].startswith("No conclusion:")
        for text in named:
            assert text in finding["words"]
        assert "went from" not in finding["words"]


def test_no_area_and_too_early_are_refused_plainly(world: dict[str, Any]):
    build_store(world["folder"])
    unplaced = outcome_view(area=None, starts_on=world["unplaced"].awarded_on)
    assert unplaced["refusal"].startswith("No CSP area is recorded")
    early = outcome_view(area=world["north"], starts_on=world["early"].awarded_on)
    assert early["refusal"] == (
        "Too early to tell: the store holds no whole month after the start yet (its latest month for "
        "North Testshire is 2024-03)."
    )


def test_pages_and_csv_for_those_who_may_see_the_award_or_contract(world: dict[str, Any]):
    build_store(world["folder"], skip={"farshire": {"2023-07"}})
    client = Client()
    client.force_login(world["officer"])
    award, contract = world["award"], world["contract"]
    detail = client.get(reverse("funding:award-detail", args=[award.pk])).content.decode()
    assert reverse("funding:award-outcomes", args=[award.pk]) in detail
    contract_page = client.get(reverse("funding:contract-detail", args=[contract.pk])).content.decode()
    assert reverse("funding:contract-outcomes", args=[contract.pk]) in contract_page

    page = client.get(reverse("funding:award-outcomes", args=[award.pk])).content.decode()
    assert "Outcomes: Street sport" in page and "No conclusion" in page
    assert "Months missing: 2023-07 (North Farshire)." in page
    for words in (
        "Regression to the mean",
        "Other things changed",
        "Displacement",
        "difference in differences",
    ):
        assert words in page
    response = client.get(reverse("funding:award-outcomes-csv", args=[award.pk]))
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    served = [r for r in rows if r["role"] == "Area served"]
    assert len(rows) == 8 and len(served) == 2
    assert served[0]["before_count"] == "120" and served[0]["after_rate_per_1000_a_year"] == "38.4"
    assert served[0]["conclusion"].startswith("No conclusion: Months missing: 2023-07 (North Farshire).")
    assert served[0]["difference_in_differences"] == "" and served[0]["comparison_mean_change"] == ""
    # North Farshire's rate after counts the 11 months it has: 110 crimes / 2.5 x 12/11 = 48.0.
    far = next(r for r in rows if r["area_name"] == "North Farshire" and r["measure"].startswith("Recorded"))
    assert far["after_count"] == "110" and far["after_rate_per_1000_a_year"] == "48.0"
    contract_view = client.get(reverse("funding:contract-outcomes", args=[contract.pk])).content.decode()
    assert "2023-11 to 2024-03 (5 months" in contract_view

    # An OPCC officer of another force area sees neither the award nor the contract, nor their outcomes.
    stranger = UserFactory(role=Role.OPCC_OFFICER, areas=[world["farshire"]["pfa"]])
    client.force_login(stranger)
    for name, pk in (
        ("award-outcomes", award.pk),
        ("award-outcomes-csv", award.pk),
        ("contract-outcomes", contract.pk),
        ("contract-outcomes-csv", contract.pk),
    ):
        assert client.get(reverse(f"funding:{name}", args=[pk])).status_code == 404, name


@pytest.fixture
def ward_world(world: dict[str, Any]) -> dict[str, Any]:
    """One ward to each LSOA of both force areas but the split districts': Castle is E01900001 (1,500
    people) in Northtown; its most similar ward on population alone is Farshire's of E01800001 (1,500)."""
    from joinedup.core.tests.factories import make_ward

    made = {}
    for tree, force in ((world, 9), (world["farshire"], 8)):
        for n, lad, name in (
            (1, "north_lad", "Castle"),
            (2, "north_lad", "Riverside"),
            (3, "south_lad", "Mill"),
        ):
            code = f"E059000{force}{n}"
            made[f"{name}{force}"] = make_ward(code, name, tree[lad], (f"E01{force}0000{n}",))
    return {**world, "wards": made}


def test_a_ward_served_is_compared_with_the_most_similar_wards(ward_world: dict[str, Any]):
    build_store(ward_world["folder"])
    castle = ward_world["wards"]["Castle9"]
    view = outcome_view(area=castle, starts_on=ward_world["award"].awarded_on)
    assert view["refusal"] is None and view["is_ward"]
    # Wards, not CSP areas: Farshire's Castle (1,500 people) first, then the four of 1,000.
    assert [r["code"] for r in view["compared"]] == [
        "E05900081",
        "E05900082",
        "E05900083",
        "E05900092",
        "E05900093",
    ]
    crime = _finding(view, "crimes_excl_asb")
    own = crime["rows"][0]
    # Castle is E01900001 alone: 120 -> 96 crimes a year, 80.0 -> 64.0 per 1,000 (not the CSP's 48.0).
    assert (own["before"], own["after"], own["population"]) == (120, 96, 1500)
    assert crime["change"] == -16.0
    # Similar wards' changes: 0 (E01800001), 0 (E01800002, none), +12 (E01800003: 60 -> 72 per 1,000),
    # 0 (E01900002, none), 0 (E01900003: 48 -> 48): mean +2.4; -16.0 - 2.4 = -18.4.
    assert crime["comparison_mean_change"] == 2.4 and crime["difference_in_differences"] == -18.4
    assert crime["conclusive"]
    assert any("A ward has few crimes a month" in caveat for caveat in view["caveats"])


def test_the_outcome_page_reads_the_ward_recorded_and_says_so(ward_world: dict[str, Any]):
    build_store(ward_world["folder"])
    award, contract = ward_world["award"], ward_world["contract"]
    award.ward = ward_world["wards"]["Castle9"]
    award.save()
    client = Client()
    client.force_login(ward_world["officer"])
    page = client.get(reverse("funding:award-outcomes", args=[award.pk])).content.decode()
    assert "Castle (electoral ward in Northtown, E05900091), in North Testshire" in page
    assert "These are the figures of the ward the project mainly serves" in page
    assert "Castle (E05900081), distance" in page  # the similar wards, named
    response = client.get(reverse("funding:award-outcomes-csv", args=[award.pk]))
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    served = [r for r in rows if r["role"] == "Area served"]
    assert [r["area_code"] for r in served] == ["E05900091", "E05900091"]
    assert served[0]["difference_in_differences"] == "-18.4"

    # The contract records no ward: its view is the CSP area's, and says how to look at a ward instead.
    contract_page = client.get(reverse("funding:contract-outcomes", args=[contract.pk])).content.decode()
    assert "North Testshire (E22000901)" in contract_page
    assert "No ward is recorded, so these are the figures of the whole CSP area" in contract_page
    assert reverse("funding:contract-edit", args=[contract.pk]) in contract_page
