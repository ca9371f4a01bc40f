"""Issue 13's reproductions against the API: each input that gave a 5xx (or a silent 200) now gets a 4xx
whose JSON body lists every problem, and nothing is saved."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client, override_settings

from joinedup.core.models import Area, Organisation, Sector
from joinedup.core.roles import Role
from joinedup.core.services import organisations as organisation_services
from joinedup.csp.tests.factories import make_duty
from joinedup.partnerships.models import BusinessCaseAssessment, Partnership, Recommendation, Status
from joinedup.partnerships.tests.factories import make_partnership

pytestmark = pytest.mark.django_db
ApiAs = Callable[[str], Client]
TOO_BIG = str(2**63)


def _send(client: Client, method: str, url: str, body: Any, content_type: str = "application/json") -> Any:
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.generic(method, url, data=data, content_type=content_type)


def _locs(response: Any) -> set[tuple[Any, ...]]:
    return {tuple(item["loc"]) for item in response.json()["detail"]}


# --- out-of-range integers --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/api/v1/areas", "/api/v1/organisations", "/api/v1/partnerships", "/api/v1/csp/dhrs"]
)
def test_an_offset_of_2_to_the_63_is_422_not_an_overflow(api_as: ApiAs, areas: Any, path: str) -> None:
    response = api_as(Role.OPCC_ADMIN).get(path, {"offset": TOO_BIG})

    assert response.status_code == 422
    assert _locs(response) == {("query", "offset")}


def test_the_largest_offset_the_database_stores_is_an_empty_page(api_as: ApiAs, areas: Any) -> None:
    response = api_as(Role.OPCC_ADMIN).get("/api/v1/areas", {"offset": str(2**63 - 1)})

    assert response.status_code == 200
    assert response.json()["items"] == []


def test_a_twenty_digit_id_is_422_naming_the_path_parameter(api_as: ApiAs, areas: Any) -> None:
    response = api_as(Role.OPCC_ADMIN).get("/api/v1/organisations/99999999999999999999")

    assert response.status_code == 422
    assert _locs(response) == {("path", "id")}


def test_huge_integers_in_a_body_are_422_each_located(api_as: ApiAs, areas: Any) -> None:
    organisation = Organisation.objects.create(name="Any Org", sector=Sector.BUSINESS)

    response = _send(
        api_as(Role.OPCC_ADMIN),
        "PUT",
        f"/api/v1/organisations/{organisation.pk}",
        {"name": "Any Org", "sector": "business", "version": 2**64},
    )

    assert response.status_code == 422
    assert _locs(response) == {("body", "payload", "version")}


# --- NUL characters and lone surrogates -----------------------------------------------------------------


def test_a_nul_in_a_query_string_is_422_naming_the_parameter(api_as: ApiAs, areas: Any) -> None:
    response = api_as(Role.PRACTITIONER).get("/api/v1/areas?q=%00&parent=E07%00")

    assert response.status_code == 422
    assert _locs(response) == {("query", "q"), ("query", "parent")}
    assert "NUL" in response.json()["detail"][0]["msg"]


def test_a_nul_in_a_path_is_400_in_json(api_as: ApiAs, areas: Any) -> None:
    response = api_as(Role.PRACTITIONER).get("/api/v1/areas/%00")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert _locs(response) == {("path",)}


def test_nul_and_lone_surrogates_in_a_json_body_are_each_reported_and_nothing_saved(
    api_as: ApiAs, areas: Any
) -> None:
    body = '{"name": "Bad\\u0000Org", "sector": "business", "description": "half \\ud800 a pair", "source": "ok"}'

    response = _send(api_as(Role.OPCC_ADMIN), "POST", "/api/v1/organisations", body)

    assert response.status_code == 422
    assert _locs(response) == {("body", "payload", "name"), ("body", "payload", "description")}
    assert not Organisation.objects.exclude(name__startswith="Organisation ").exists()


# --- wrong JSON types, content types, sizes, syntax ---------------------------------------------------------


def test_a_duty_record_with_evidence_date_x_is_422_not_500(api_as: ApiAs, areas: dict[str, Area]) -> None:
    duty = make_duty(csp=areas["north"])

    response = _send(
        api_as(Role.OPCC_ADMIN),
        "PUT",
        f"/api/v1/csp/duties/{duty.pk}",
        {"evidence_date": "x", "due_date": "soon", "status": "in_progress", "version": duty.version},
    )

    assert response.status_code == 422
    messages = {item["loc"][-1]: item["msg"] for item in response.json()["detail"]}
    assert set(messages) == {"evidence_date", "due_date"}
    assert "YYYY-MM-DD" in messages["evidence_date"]
    duty.refresh_from_db()
    assert duty.version == 1 and duty.evidence_date is None


@pytest.mark.parametrize("body", ["null", "[1, 2, 3]", '"x"', "7"])
def test_a_body_that_is_not_an_object_is_422(api_as: ApiAs, areas: Any, body: str) -> None:
    response = _send(api_as(Role.OPCC_ADMIN), "POST", "/api/v1/organisations", body)

    assert response.status_code == 422
    assert _locs(response) == {("body", "payload")}
    assert not Organisation.objects.exclude(name__startswith="Organisation ").exists()


def test_a_body_that_is_not_json_is_400_with_line_and_column(api_as: ApiAs, areas: Any) -> None:
    response = _send(api_as(Role.OPCC_ADMIN), "POST", "/api/v1/organisations", '{"name": "A",\n "sector": }')

    assert response.status_code == 400
    [item] = response.json()["detail"]
    assert item["loc"] == ["body"] and "line 2" in item["msg"]


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "text/csv"])
def test_a_body_of_the_wrong_content_type_is_415(api_as: ApiAs, areas: Any, content_type: str) -> None:
    body = json.dumps({"name": "An Org", "sector": "business"})

    response = _send(api_as(Role.OPCC_ADMIN), "POST", "/api/v1/organisations", body, content_type)

    assert response.status_code == 415
    assert _locs(response) == {("header", "Content-Type")}
    assert not Organisation.objects.exclude(name__startswith="Organisation ").exists()


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=10_000)
def test_an_oversized_body_is_413(api_as: ApiAs, areas: Any) -> None:
    body = json.dumps({"name": "An Org", "sector": "business", "description": "x" * 20_000})

    response = _send(api_as(Role.OPCC_ADMIN), "POST", "/api/v1/organisations", body)

    assert response.status_code == 413
    assert "10,000 bytes" in response.json()["detail"][0]["msg"]


def test_text_longer_than_its_column_or_cap_is_422(api_as: ApiAs, areas: Any) -> None:
    response = _send(
        api_as(Role.OPCC_ADMIN),
        "POST",
        "/api/v1/organisations",
        {"name": "N" * 201, "sector": "business", "description": "d" * 20_001},
    )

    assert response.status_code == 422
    assert _locs(response) == {("body", "payload", "name"), ("body", "payload", "description")}


# --- unknown paths and methods -------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/v1/nothing-here", "/api/v1/areas/E01/extra/bits", "/api/v2/me"])
def test_an_unknown_api_path_is_a_json_404(api_as: ApiAs, areas: Any, path: str) -> None:
    response = api_as(Role.OPCC_ADMIN).get(path)

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_a_wrong_method_is_a_json_405_with_allow(api_as: ApiAs, areas: Any) -> None:
    response = api_as(Role.OPCC_ADMIN).delete("/api/v1/areas")

    assert response.status_code == 405
    assert "GET" in response["Allow"]
    assert "DELETE" in response.json()["detail"]


# --- database unique violations -------------------------------------------------------------------------


def test_a_unique_violation_the_service_missed_is_422_naming_the_field(
    api_as: ApiAs, areas: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the loser of a race sees: the service's own check passed, the database constraint refused."""
    Organisation.objects.create(name="Northtown Council", sector=Sector.LA_DISTRICT)
    monkeypatch.setattr(organisation_services, "_check_name_free", lambda organisation, errors: None)

    response = _send(
        api_as(Role.OPCC_ADMIN),
        "POST",
        "/api/v1/organisations",
        {"name": "NORTHTOWN council", "sector": "business"},
    )

    assert response.status_code == 422
    assert response.json()["detail"] == [
        {
            "loc": ["body", "payload", "name"],
            "msg": "An organisation with this name is already in the directory.",
            "type": "unique",
        }
    ]
    assert Organisation.objects.filter(name__iexact="northtown council").count() == 1


def test_organisation_names_differing_only_in_case_are_refused(api_as: ApiAs, areas: Any) -> None:
    client = api_as(Role.OPCC_ADMIN)
    first = _send(client, "POST", "/api/v1/organisations", {"name": "Tyne Housing", "sector": "business"})
    second = _send(client, "POST", "/api/v1/organisations", {"name": "TYNE housing", "sector": "business"})

    assert first.status_code == 201
    assert second.status_code == 422
    assert _locs(second) == {("body", "payload", "name")}


def test_the_api_refuses_the_duplicate_partnership_name_the_import_refuses(api_as: ApiAs, areas: Any) -> None:
    make_partnership(name="Joint Vehicle Workshop")
    body = {
        "name": "joint vehicle workshop",
        "purpose": "Maintain vehicles.",
        "legal_basis": "contractual",
        "level": "operational",
    }

    response = _send(api_as(Role.OPCC_OFFICER), "POST", "/api/v1/partnerships", body)

    assert response.status_code == 422
    assert response.json()["detail"] == [
        {
            "loc": ["body", "payload", "name"],
            "msg": "A partnership with this name is already on the register.",
            "type": "value_error",
        }
    ]
    assert Partnership.objects.count() == 1


# --- the business-case assessment ------------------------------------------------------------------------


def _recorded_assessment(client: Client) -> tuple[Partnership, dict[str, Any]]:
    partnership = make_partnership(status=Status.UNDER_ASSESSMENT)
    saved = _send(
        client,
        "PUT",
        f"/api/v1/partnerships/{partnership.pk}/assessment",
        {"recommendation": "partner", "recommendation_reason": "Adds value.", "version": 0},
    )
    assert saved.status_code == 200, saved.json()
    return partnership, saved.json()


@pytest.mark.parametrize("body", ["null", "[1, 2, 3]", '"x"'])
def test_an_assessment_body_that_is_not_an_object_is_422_and_clears_nothing(
    api_as: ApiAs, areas: Any, body: str
) -> None:
    client = api_as(Role.OPCC_ADMIN)
    partnership, _saved = _recorded_assessment(client)

    response = _send(client, "PUT", f"/api/v1/partnerships/{partnership.pk}/assessment", body)

    assert response.status_code == 422
    assessment = BusinessCaseAssessment.objects.get(partnership=partnership)
    assert assessment.recommendation == Recommendation.PARTNER
    assert assessment.recommendation_reason == "Adds value."


def test_an_assessment_without_its_version_is_422_and_a_stale_one_409(api_as: ApiAs, areas: Any) -> None:
    client = api_as(Role.OPCC_ADMIN)
    partnership, saved = _recorded_assessment(client)
    url = f"/api/v1/partnerships/{partnership.pk}/assessment"

    missing = _send(client, "PUT", url, {"recommendation": ""})
    first_save_again = _send(client, "PUT", url, {"recommendation": "", "version": 0})

    assert missing.status_code == 422
    assert _locs(missing) == {("body", "payload", "version")}
    assert first_save_again.status_code == 409
    assert first_save_again.json()["current_version"] == saved["version"]
    assert (
        BusinessCaseAssessment.objects.get(partnership=partnership).recommendation == Recommendation.PARTNER
    )


def test_the_assessment_can_be_read_with_its_version(api_as: ApiAs, areas: Any) -> None:
    client = api_as(Role.OPCC_ADMIN)
    fresh = make_partnership(name="Not yet assessed", status=Status.UNDER_ASSESSMENT)
    partnership, saved = _recorded_assessment(client)

    none_yet = client.get(f"/api/v1/partnerships/{fresh.pk}/assessment")
    recorded = client.get(f"/api/v1/partnerships/{partnership.pk}/assessment")

    assert none_yet.status_code == 200 and none_yet.json()["version"] == 0
    assert none_yet.json()["answers"] == [] and none_yet.json()["complete"] is False
    assert recorded.json() == saved


def test_a_transition_without_its_version_is_422(api_as: ApiAs, areas: Any) -> None:
    partnership = make_partnership()

    response = _send(
        api_as(Role.OPCC_OFFICER),
        "POST",
        f"/api/v1/partnerships/{partnership.pk}/transitions",
        {"transition": "submit", "reason": "Ready"},
    )

    assert response.status_code == 422
    assert _locs(response) == {("body", "payload", "version")}
    partnership.refresh_from_db()
    assert partnership.status == Status.PROPOSED


def test_services_still_raise_validation_errors_for_unique_names(areas: Any, users: Any) -> None:
    organisation_services.create_organisation(
        actor=users[Role.OPCC_ADMIN], data={"name": "Same Name", "sector": "business"}
    )
    with pytest.raises(ValidationError) as raised:
        organisation_services.create_organisation(
            actor=users[Role.OPCC_ADMIN], data={"name": "same name", "sector": "business"}
        )
    assert raised.value.message_dict == {
        "name": ["An organisation with this name is already in the directory."]
    }
