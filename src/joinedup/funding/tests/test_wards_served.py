"""The ward a grant or contract mainly serves (docs/adr/0046): recorded with the CSP area, refused when it lies
outside that CSP (with every other problem at once), shown on the staff pages, exported, read and written
through the API, and listed on that ward's public page (not on another ward's), while a CSP's page still
lists every grant of the CSP."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from joinedup.core.models import Area, AreaLevel, Organisation
from joinedup.core.roles import Role
from joinedup.core.services.tokens import create_token
from joinedup.core.testing import choose_language
from joinedup.core.tests.factories import AreaFactory, make_ward
from joinedup.funding import services
from joinedup.funding.commissioning import services as commissioning_services
from joinedup.funding.models import Award, Contract

from .helpers import make_application, make_fund, make_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def wards(areas: dict[str, Area]) -> dict[str, Area]:
    """Two wards of Northtown (North Testshire) and one of Southtown (South Testshire), one of each
    district called Castle, and a ward of Splitborough (split between the two CSPs, so in neither)."""
    return {
        "castle": make_ward("E05900001", "Castle", areas["north_lad"], ("E01900001",)),
        "riverside": make_ward("E05900002", "Riverside", areas["north_lad"], ("E01900002",)),
        "castle_south": make_ward("E05900003", "Castle", areas["south_lad"], ("E01900003",)),
        "split": make_ward("E05900004", "Mill", areas["split_lad"], ("E01900004",)),
    }


def _award(users: dict[str, Any], areas: dict[str, Area], title: str, **place: str) -> Award:
    grant_round = make_round(users, make_fund(users, areas, name=f"{title} fund"))
    application = make_application(users, grant_round, "1000.00", title)
    services.decide_application(
        actor=users[Role.OPCC_ADMIN],
        application=application,
        data={"outcome": "approve", "amount": "1000.00", **place},
    )
    return Award.objects.get(application=application)


def _api(user: Any) -> Client:
    _token, raw = create_token(user=user, name="t", actor=None)
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_a_grant_serving_a_ward_is_listed_on_that_wards_page_not_another_wards(users, areas, wards):
    castle = _award(users, areas, "Castle youth club", csp="E22000901", ward="E05900001")
    csp_wide = _award(users, areas, "Victim helpline", csp="E22000901")
    south = _award(users, areas, "Southtown boxing", csp="E22000902")

    def grants_on(code: str) -> str:
        response = Client().get(f"/your-area/{code}/")
        assert response.status_code == 200
        text = response.content.decode()
        return text[text.index("Grants awarded here") :]

    castle_page = grants_on("E05900001")
    mine, _sep, whole = castle_page.partition("Grants serving the whole of North Testshire")
    assert "Castle youth club" in mine and "Victim helpline" not in mine
    assert "Victim helpline" in whole and "Castle youth club" not in whole
    assert "Southtown boxing" not in castle_page

    riverside_page = grants_on("E05900002")
    assert "Castle youth club" not in riverside_page
    assert "No grant is recorded as serving this ward." in riverside_page
    assert "Victim helpline" in riverside_page  # it serves the whole CSP area, Riverside included

    # Southtown's Castle, a ward of the same name in the other CSP, lists neither of North Testshire's.
    south_castle = grants_on("E05900003")
    assert "Castle youth club" not in south_castle and "Victim helpline" not in south_castle
    assert "Southtown boxing" in south_castle

    # The CSP's page and its district's still list every grant of the CSP, the ward's included.
    for code in ("E22000901", "E07000901"):
        page = grants_on(code)
        assert "Castle youth club" in page and "Victim helpline" in page, code
        assert "Southtown boxing" not in page, code
    # Another district of the same CSP lists the CSP's grants but not one serving a ward of Northtown.
    north = areas["north"]
    AreaFactory(
        code="E07000904", name="Easttown", level=AreaLevel.LAD, parent=north, csp=north, pfa=north.pfa
    )
    easttown = grants_on("E07000904")
    assert "Victim helpline" in easttown and "Castle youth club" not in easttown
    assert {castle.ward, csp_wide.ward, south.ward} == {wards["castle"], None}


def test_the_ward_page_lists_its_grants_in_welsh(users, areas, wards):
    _award(users, areas, "Victim helpline", csp="E22000901")
    client = Client(enforce_csrf_checks=True)
    choose_language(client, "/your-area/E05900002/", "cy")
    page = client.get("/your-area/E05900002/").content.decode()
    assert '<html lang="cy"' in page
    assert "Nid oes grant wedi’i gofnodi fel un sy’n gwasanaethu’r ward hon." in page
    assert "Grantiau sy’n gwasanaethu North Testshire i gyd" in page
    assert "Victim helpline" in page


def test_a_ward_outside_the_csp_is_refused_with_every_other_problem(users, areas, wards):
    award = _award(users, areas, "Street sport", csp="E22000901")
    officer = users[Role.OPCC_OFFICER]
    with pytest.raises(ValidationError) as refused:
        services.update_award_details(
            actor=officer,
            award=award,
            expected_version=award.version,
            data={"recipient": "999999", "csp": "E22000901", "ward": "E05900003"},
        )
    problems = refused.value.message_dict
    assert problems["recipient"] == ["Choose the recipient from the directory."]
    assert problems["ward"] == [
        "Castle (electoral ward in Southtown, E05900003) is in South Testshire, not North Testshire: choose "
        "a ward in North Testshire, or leave the ward empty."
    ]
    award.refresh_from_db()
    assert award.ward is None

    # A contract: the ward beside a bad value and dates out of order, all listed together.
    provider = Organisation.objects.create(name="Northtown Victim Services", sector="vcs_charity")
    with pytest.raises(ValidationError) as refused:
        commissioning_services.create_contract(
            actor=officer,
            data={
                "reference": "NT-9",
                "title": "Outreach",
                "provider": provider.pk,
                "csp": "E22000902",
                "ward": "E05900001",
                "value": "lots",
                "starts_on": "2026-04-01",
                "ends_on": "2025-04-01",
            },
        )
    problems = refused.value.message_dict
    assert set(problems) >= {"ward", "value", "ends_on"}
    assert "is in North Testshire, not South Testshire" in problems["ward"][0]
    assert not Contract.objects.exists()

    # A ward with no CSP; a ward of a district split between CSPs; a code that is not a ward's.
    for data, words in (
        (
            {"ward": "E05900001"},
            "Choose the CSP area as well as the ward: Castle (electoral ward in Northtown",
        ),
        ({"csp": "E22000901", "ward": "E05900004"}, "is in a district split between CSP areas"),
        ({"csp": "E22000901", "ward": "E07000901"}, "E07000901 is not an electoral ward code."),
    ):
        with pytest.raises(ValidationError) as refused:
            services.update_award_details(
                actor=officer, award=award, expected_version=award.version, data=data
            )
        assert words in refused.value.message_dict["ward"][0]


def test_the_award_page_records_shows_and_exports_the_ward(users, areas, wards, client_for):
    award = _award(users, areas, "Street sport", csp="E22000901")
    client = client_for(Role.OPCC_OFFICER)
    edit = reverse("funding:award-edit", args=[award.pk])
    form = client.get(edit).content.decode()
    assert "Ward it mainly serves, if one" in form

    # A ward (chosen by name) outside the CSP chosen: refused on the page, naming where it is.
    refused = client.post(edit, {"csp": "E22000902", "ward": "Riverside", "version": award.version})
    text = refused.content.decode()
    assert refused.status_code == 200
    assert "Riverside (electoral ward in Northtown, E05900002) is in North Testshire, not South" in text
    # Castle is a ward of two districts: the chooser asks which, naming each with its district.
    ambiguous = client.post(edit, {"csp": "E22000901", "ward": "Castle", "version": award.version})
    assert "Castle (electoral ward in Northtown, E05900001); Castle (electoral ward in Southtown" in (
        ambiguous.content.decode()
    )

    saved = client.post(edit, {"csp": "E22000901", "ward": "Riverside", "version": award.version})
    assert saved.status_code == 302
    award.refresh_from_db()
    assert award.ward == wards["riverside"]
    detail = client.get(reverse("funding:award-detail", args=[award.pk])).content.decode()
    assert "Riverside (electoral ward in Northtown, E05900002)" in detail
    assert "E05900002" in client.get(edit).content.decode()  # the form shows the ward recorded

    export = client.get(reverse("funding:award-list"), {"format": "csv"})
    rows = list(csv.DictReader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    assert [(r["Project"], r["CSP code"], r["Ward"], r["Ward code"]) for r in rows] == [
        ("Street sport", "E22000901", "Riverside", "E05900002")
    ]


def test_the_contract_pages_record_show_and_export_the_ward(users, areas, wards, client_for):
    provider = Organisation.objects.create(name="Northtown Victim Services", sector="vcs_charity")
    client = client_for(Role.OPCC_OFFICER)
    created = client.post(
        reverse("funding:contract-create"),
        {
            "reference": "NT-1",
            "title": "Victim referral service",
            "provider": provider.pk,
            "csp": "North Testshire",
            "ward": "E05900001",
            "value": "50000",
            "starts_on_0": "1",
            "starts_on_1": "4",
            "starts_on_2": "2026",
            "ends_on_0": "31",
            "ends_on_1": "3",
            "ends_on_2": "2027",
        },
    )
    assert created.status_code == 302, created.content.decode()
    contract = Contract.objects.get(reference="NT-1")
    assert contract.ward == wards["castle"]
    detail = client.get(reverse("funding:contract-detail", args=[contract.pk])).content.decode()
    assert "Castle (electoral ward in Northtown, E05900001)" in detail
    export = client.get(reverse("funding:contract-export"))
    rows = list(csv.DictReader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    assert [(r["reference"], r["CSP code"], r["ward code"]) for r in rows] == [
        ("NT-1", "E22000901", "E05900001")
    ]
    listed = client.get(reverse("funding:contract-list"), {"format": "csv"})
    rows = list(csv.DictReader(io.StringIO(b"".join(listed.streaming_content).decode("utf-8-sig"))))
    assert [(r["Ward"], r["Ward code"]) for r in rows] == [("Castle", "E05900001")]


def test_the_api_reads_and_writes_the_ward(users, areas, wards):
    api = _api(users[Role.OPCC_OFFICER])
    award = _award(users, areas, "Street sport", csp="E22000901")
    url = f"/api/v1/funding/awards/{award.pk}"
    read = api.get(url).json()
    assert (read["csp"], read["ward"]) == ("E22000901", None)

    # A ward outside the CSP and an unknown recipient: one 422 naming both, nothing saved.
    bad = api.put(
        f"{url}/details",
        {"recipient": 999999, "csp": "E22000901", "ward": "E05900003", "version": read["version"]},
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert {tuple(e["loc"])[-1] for e in bad.json()["detail"]} >= {"recipient", "ward"}

    put = api.put(
        f"{url}/details",
        {"csp": "E22000901", "ward": "E05900001", "version": read["version"]},
        content_type="application/json",
    )
    assert put.status_code == 200, put.content
    assert (put.json()["csp"], put.json()["ward"]) == ("E22000901", "E05900001")
    assert api.get(url).json()["ward"] == "E05900001"
    listed = api.get("/api/v1/funding/awards").json()
    assert [(a["title"], a["ward"]) for a in listed["items"]] == [("Street sport", "E05900001")]
    stale = api.put(
        f"{url}/details",
        {"csp": "E22000901", "ward": "", "version": read["version"]},
        content_type="application/json",
    )
    assert stale.status_code == 409
    assert Award.objects.get(pk=award.pk).ward == wards["castle"]

    provider = Organisation.objects.create(name="Northtown Victim Services", sector="vcs_charity")
    body = {
        "reference": "API-1",
        "title": "Restorative justice",
        "provider": provider.pk,
        "csp": "E22000902",
        "ward": "E05900003",
        "value": "12000.50",
        "starts_on": "2026-04-01",
        "ends_on": "2027-03-31",
    }
    created = api.post("/api/v1/funding/contracts", body, content_type="application/json")
    assert created.status_code == 201, created.content
    contract = created.json()
    assert contract["ward"] == "E05900003"
    moved = api.put(
        f"/api/v1/funding/contracts/{contract['id']}",
        {**body, "ward": "E05900001", "version": contract["version"]},
        content_type="application/json",
    )
    assert moved.status_code == 422
    assert "is in North Testshire, not South Testshire" in str(moved.json()["detail"])
    cleared = api.put(
        f"/api/v1/funding/contracts/{contract['id']}",
        {**body, "ward": "", "version": contract["version"]},
        content_type="application/json",
    )
    assert cleared.status_code == 200 and cleared.json()["ward"] is None


def test_the_openapi_document_describes_the_ward(db):
    document = Client().get("/api/v1/openapi.json").json()
    schemas = document["components"]["schemas"]
    for name in ("AwardOut", "ContractOut", "ContractIn", "AwardDetailsUpdate"):
        assert "electoral ward" in schemas[name]["properties"]["ward"]["description"], name
    assert "put" in document["paths"]["/api/v1/funding/awards/{id}/details"]
