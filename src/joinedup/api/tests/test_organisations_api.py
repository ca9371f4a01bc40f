"""The organisation directory over the API: lists, 201, 403, 404, 409 and 422 with every error at once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from joinedup.core.models import (
    Area,
    AuditEvent,
    EventType,
    Organisation,
    ResponsibleAuthorityType,
    Sector,
    User,
)
from joinedup.core.roles import Role

pytestmark = pytest.mark.django_db

ApiAs = Callable[[str], Client]


@pytest.fixture
def directory(areas: dict[str, Area]) -> dict[str, Organisation]:
    """A charity working only in North Testshire, a council only in South, and a force-wide police force."""
    north = Organisation.objects.create(
        name="Northtown Youth Trust",
        sector=Sector.VCS_CHARITY,
        charity_number="1100001",
        compact_signatory=True,
    )
    north.areas.set([areas["north"]])
    south = Organisation.objects.create(
        name="Southtown Council",
        sector=Sector.LA_DISTRICT,
        responsible_authority=ResponsibleAuthorityType.LOCAL_AUTHORITY,
    )
    south.areas.set([areas["south_lad"]])
    police = Organisation.objects.create(
        name="Testshire Police",
        sector=Sector.POLICE_FORCE,
        responsible_authority=ResponsibleAuthorityType.POLICE,
    )
    police.areas.set([areas["pfa"]])
    return {"north": north, "south": south, "police": police}


def full_body(organisation: Organisation, **changes: Any) -> dict[str, Any]:
    body = {
        "name": organisation.name,
        "sector": organisation.sector,
        "description": organisation.description,
        "areas": sorted(organisation.areas.values_list("code", flat=True)),
        "responsible_authority": organisation.responsible_authority,
        "charity_number": organisation.charity_number,
        "company_number": organisation.company_number,
        "website": organisation.website,
        "compact_signatory": organisation.compact_signatory,
        "illustrative": organisation.illustrative,
        "source": organisation.source,
        "version": organisation.version,
    }
    body.update(changes)
    return body


# --- reading --------------------------------------------------------------------------------------------


def test_list_is_paginated_with_every_field(api_as: ApiAs, directory: dict[str, Organisation]) -> None:
    response = api_as(Role.PRACTITIONER).get("/api/v1/organisations", {"sector": "vcs_charity", "q": "Youth"})

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    [item] = body["items"]
    assert item["name"] == "Northtown Youth Trust"
    assert item["sector_label"] == "Voluntary and community sector: charity"
    assert item["areas"] == ["E22000901"]
    assert item["version"] == 1
    assert set(item) == {
        "id",
        "name",
        "sector",
        "sector_label",
        "description",
        "areas",
        "responsible_authority",
        "charity_number",
        "company_number",
        "website",
        "compact_signatory",
        "illustrative",
        "source",
        "version",
        "created_at",
        "updated_at",
    }


def test_list_filters(api_as: ApiAs, directory: dict[str, Organisation], users: Any) -> None:
    client = api_as(Role.ANALYST)

    def names(**params: Any) -> list[str]:
        return [item["name"] for item in client.get("/api/v1/organisations", params).json()["items"]]

    # Users are given their own organisations by the factory; these filters single ours out.
    assert names(q="Southtown") == ["Southtown Council"]
    assert names(responsible_authority="any") == ["Southtown Council", "Testshire Police"]
    assert names(responsible_authority="police") == ["Testshire Police"]
    # An LSOA in Southtown is served by the council (its district) and the police (the force area).
    assert names(area="E01900003", sort="-name") == ["Testshire Police", "Southtown Council"]
    assert names(compact_signatory="true") == ["Northtown Youth Trust"]


def test_bad_filters_are_422(api_as: ApiAs, directory: dict[str, Organisation]) -> None:
    response = api_as(Role.ANALYST).get("/api/v1/organisations", {"sector": "pirates", "sort": "colour"})

    assert response.status_code == 422
    assert {tuple(e["loc"]) for e in response.json()["detail"]} == {("query", "sector"), ("query", "sort")}


def test_one_organisation(api_as: ApiAs, directory: dict[str, Organisation]) -> None:
    police = directory["police"]

    response = api_as(Role.PANEL_MEMBER).get(f"/api/v1/organisations/{police.pk}")

    assert response.status_code == 200
    assert response.json()["name"] == "Testshire Police"
    assert response.json()["responsible_authority"] == "police"


def test_unknown_organisation_is_404(api_as: ApiAs, directory: dict[str, Organisation]) -> None:
    response = api_as(Role.PANEL_MEMBER).get("/api/v1/organisations/999999")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


# --- creating -------------------------------------------------------------------------------------------


def test_create_returns_201_and_the_record(api_as: ApiAs, users: dict[str, User], areas: Any) -> None:
    response = api_as(Role.OPCC_OFFICER).post(
        "/api/v1/organisations",
        {
            "name": "Testshire Mediation",
            "sector": "vcs_charity",
            "charity_number": "1122334",
            "website": "https://mediation.example.org",
            "areas": ["E22000902", "e22000901"],
        },
        content_type="application/json",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["name"] == "Testshire Mediation"
    assert body["areas"] == ["E22000901", "E22000902"]
    assert body["version"] == 1
    saved = Organisation.objects.get(pk=body["id"])
    assert saved.created_by == users[Role.OPCC_OFFICER]
    assert saved.history.first().history_user == users[Role.OPCC_OFFICER]


def test_every_field_error_is_reported_at_once_and_nothing_is_saved(api_as: ApiAs, users: Any) -> None:
    before = Organisation.objects.count()

    response = api_as(Role.OPCC_OFFICER).post(
        "/api/v1/organisations",
        {
            "sector": "pirates",
            "website": "not a website",
            "charity_number": "CHARITY",
            "areas": ["E99999999"],
        },
        content_type="application/json",
    )

    assert response.status_code == 422
    errors = response.json()["detail"]
    locs = {tuple(error["loc"]) for error in errors}
    assert {
        ("body", "payload", "name"),
        ("body", "payload", "sector"),
        ("body", "payload", "website"),
        ("body", "payload", "charity_number"),
        ("body", "payload", "areas"),
    } <= locs
    for error in errors:
        assert set(error) >= {"loc", "msg", "type"}
        assert isinstance(error["msg"], str) and error["msg"]
    assert any("E99999999" in error["msg"] for error in errors)
    assert Organisation.objects.count() == before


def test_service_errors_have_the_same_shape_as_schema_errors(
    api_as: ApiAs, directory: dict[str, Organisation]
) -> None:
    client = api_as(Role.OPCC_ADMIN)
    url = f"/api/v1/organisations/{directory['police'].pk}"
    body = full_body(directory["police"])
    del body["version"]

    schema_error = client.put(url, body, content_type="application/json").json()["detail"][0]
    service_error = client.put(
        url, {**body, "version": 1, "website": "nope"}, content_type="application/json"
    ).json()["detail"][0]

    assert schema_error["loc"] == ["body", "payload", "version"]
    assert service_error["loc"] == ["body", "payload", "website"]
    assert {"loc", "msg", "type"} <= set(schema_error) and {"loc", "msg", "type"} <= set(service_error)


def test_duplicate_name_is_422(api_as: ApiAs, directory: dict[str, Organisation]) -> None:
    response = api_as(Role.OPCC_OFFICER).post(
        "/api/v1/organisations",
        {"name": "testshire police", "sector": "police_force"},
        content_type="application/json",
    )

    assert response.status_code == 422
    assert [e["loc"] for e in response.json()["detail"]] == [["body", "payload", "name"]]


@pytest.mark.parametrize("role", [Role.PRACTITIONER, Role.ANALYST, Role.PANEL_MEMBER, Role.AUDITOR])
def test_roles_that_may_not_add_get_403(api_as: ApiAs, role: str) -> None:
    before = Organisation.objects.count()

    response = api_as(role).post(
        "/api/v1/organisations", {"name": "Sneaky Org", "sector": "business"}, content_type="application/json"
    )

    assert response.status_code == 403
    assert response.json() == {"detail": "You do not have permission to do this."}
    assert Organisation.objects.count() == before
    assert AuditEvent.objects.filter(event_type=EventType.PERMISSION_DENIED, actor_role=role).exists()


def test_csp_manager_may_only_add_in_their_own_area(api_as: ApiAs, areas: Any) -> None:
    client = api_as(Role.CSP_MANAGER)

    outside = client.post(
        "/api/v1/organisations",
        {"name": "South Org", "sector": "business", "areas": ["E22000902"]},
        content_type="application/json",
    )
    inside = client.post(
        "/api/v1/organisations",
        {"name": "North Org", "sector": "business", "areas": ["E07000901"]},
        content_type="application/json",
    )

    assert outside.status_code == 422
    assert [e["loc"] for e in outside.json()["detail"]] == [["body", "payload", "areas"]]
    assert inside.status_code == 201


# --- changing ---------------------------------------------------------------------------------------------


def test_full_update_bumps_the_version(api_as: ApiAs, directory: dict[str, Organisation]) -> None:
    north = directory["north"]

    response = api_as(Role.OPCC_OFFICER).put(
        f"/api/v1/organisations/{north.pk}",
        full_body(north, description="Youth diversion.", website="https://nyt.example.org"),
        content_type="application/json",
    )

    assert response.status_code == 200, response.content
    assert response.json()["version"] == 2
    assert response.json()["description"] == "Youth diversion."
    north.refresh_from_db()
    assert (north.version, north.website) == (2, "https://nyt.example.org")


def test_a_left_out_field_is_emptied_by_a_full_update(
    api_as: ApiAs, directory: dict[str, Organisation]
) -> None:
    north = directory["north"]
    body = full_body(north)
    del body["charity_number"]

    response = api_as(Role.OPCC_OFFICER).put(
        f"/api/v1/organisations/{north.pk}", body, content_type="application/json"
    )

    assert response.status_code == 200
    assert response.json()["charity_number"] == ""


def test_stale_version_is_409_and_changes_nothing(api_as: ApiAs, directory: dict[str, Organisation]) -> None:
    north = directory["north"]
    client = api_as(Role.OPCC_OFFICER)
    url = f"/api/v1/organisations/{north.pk}"
    first = client.put(url, full_body(north, description="First edit."), content_type="application/json")
    assert first.status_code == 200

    second = client.put(
        url,
        full_body(north, description="Second edit, from a stale copy.", version=1),
        content_type="application/json",
    )

    assert second.status_code == 409
    assert second.json()["current_version"] == 2
    assert "changed this record" in second.json()["detail"]
    north.refresh_from_db()
    assert (north.version, north.description) == (2, "First edit.")


def test_csp_manager_cannot_change_an_organisation_outside_their_area(
    api_as: ApiAs, directory: dict[str, Organisation]
) -> None:
    south = directory["south"]

    response = api_as(Role.CSP_MANAGER).put(
        f"/api/v1/organisations/{south.pk}",
        full_body(south, name="Hijacked"),
        content_type="application/json",
    )

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
    south.refresh_from_db()
    assert (south.name, south.version) == ("Southtown Council", 1)
    denial = AuditEvent.objects.get(event_type=EventType.PERMISSION_DENIED)
    assert denial.actor_email == "csp_manager@example.org"
    assert denial.object_id == str(south.pk)


def test_csp_manager_changes_an_organisation_in_their_area(
    api_as: ApiAs, directory: dict[str, Organisation]
) -> None:
    north = directory["north"]

    response = api_as(Role.CSP_MANAGER).put(
        f"/api/v1/organisations/{north.pk}",
        full_body(north, source="CSP records"),
        content_type="application/json",
    )

    assert response.status_code == 200
    assert response.json()["source"] == "CSP records"


@pytest.mark.parametrize("role", [Role.PRACTITIONER, Role.ANALYST, Role.AUDITOR])
def test_roles_that_may_not_change_get_404(
    api_as: ApiAs, directory: dict[str, Organisation], role: str
) -> None:
    north = directory["north"]

    response = api_as(role).put(
        f"/api/v1/organisations/{north.pk}", full_body(north, name="Changed"), content_type="application/json"
    )

    assert response.status_code == 404
    north.refresh_from_db()
    assert north.name == "Northtown Youth Trust"


def test_updating_an_unknown_organisation_is_404(api_as: ApiAs, directory: dict[str, Organisation]) -> None:
    response = api_as(Role.OPCC_ADMIN).put(
        "/api/v1/organisations/999999", full_body(directory["north"]), content_type="application/json"
    )

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_documented_choices_match_the_selectors_and_models(client: Client) -> None:
    from joinedup.core.selectors.areas import SORTS as AREA_SORTS
    from joinedup.core.selectors.organisations import SORTS as ORGANISATION_SORTS

    schema = client.get("/api/v1/openapi.json").json()

    def choices(path: str, name: str) -> set[str]:
        [param] = [p for p in schema["paths"][path]["get"]["parameters"] if p["name"] == name]
        return set(param["schema"]["anyOf"][0]["enum"])

    assert choices("/api/v1/organisations", "sort") == set(ORGANISATION_SORTS)
    assert choices("/api/v1/areas", "sort") == set(AREA_SORTS)
    assert choices("/api/v1/organisations", "responsible_authority") == {
        *ResponsibleAuthorityType.values,
        "any",
    }
