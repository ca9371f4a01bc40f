"""The /api/v1 foundation: tokens, error shapes, /me, areas, the audit log, OpenAPI, docs and the CLI."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from click.testing import CliRunner
from django.test import Client

from joinedup.api.testing import API_ROOT, api_operations
from joinedup.core.models import Area, AuditEvent, EventType, User
from joinedup.core.models.tokens import ApiToken
from joinedup.core.roles import ROLE_DESCRIPTIONS, Role
from joinedup.core.services.tokens import create_token, revoke_token

pytestmark = pytest.mark.django_db

EXPECTED_OPERATIONS = {
    ("GET", "/api/v1/me"),
    ("GET", "/api/v1/areas"),
    ("GET", "/api/v1/areas/{code}"),
    ("GET", "/api/v1/organisations"),
    ("POST", "/api/v1/organisations"),
    ("GET", "/api/v1/organisations/{id}"),
    ("PUT", "/api/v1/organisations/{id}"),
    ("GET", "/api/v1/audit/events"),
}

ApiAs = Callable[[str], Client]


# --- authentication ---------------------------------------------------------------------------------


def test_no_token_is_401_with_a_bearer_challenge(
    api_client: Callable[[str | None], Client], users: Any
) -> None:
    response = api_client(None).get("/api/v1/me")

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "Bearer" in response.json()["detail"]


@pytest.mark.parametrize("header", ["Bearer ju_not-a-real-token", "Bearer ", "Basic dXNlcjpwYXNz", "ju_bare"])
def test_unknown_or_malformed_token_is_401(users: Any, header: str) -> None:
    response = Client(headers={"Authorization": header}).get("/api/v1/me")

    assert response.status_code == 401


def test_revoked_token_stops_working(
    users: dict[str, User], api_client: Callable[[str | None], Client]
) -> None:
    token, raw = create_token(user=users[Role.OPCC_OFFICER], name="partner system", actor=None)
    assert api_client(raw).get("/api/v1/me").status_code == 200

    revoke_token(token=token, actor=users[Role.OPCC_ADMIN])

    assert api_client(raw).get("/api/v1/me").status_code == 401


def test_token_of_a_deactivated_account_stops_working(
    users: dict[str, User], token_for: Callable[[str], str], api_client: Callable[[str | None], Client]
) -> None:
    raw = token_for(Role.ANALYST)
    User.objects.filter(pk=users[Role.ANALYST].pk).update(is_active=False)

    assert api_client(raw).get("/api/v1/me").status_code == 401


def test_session_sign_in_alone_does_not_open_the_api(client_for: Callable[[str], Client]) -> None:
    assert client_for(Role.OPCC_ADMIN).get("/api/v1/me").status_code == 401


# --- /me --------------------------------------------------------------------------------------------


def test_me_describes_the_token_owner(api_as: ApiAs, users: dict[str, User], areas: dict[str, Area]) -> None:
    manager = users[Role.CSP_MANAGER]
    assert manager.organisation is not None

    response = api_as(Role.CSP_MANAGER).get("/api/v1/me")

    assert response.status_code == 200
    assert response.json() == {
        "email": "csp_manager@example.org",
        "full_name": manager.full_name,
        "role": "csp_manager",
        "role_label": "CSP manager",
        "role_description": ROLE_DESCRIPTIONS[Role.CSP_MANAGER],
        "organisation": {"id": manager.organisation_id, "name": manager.organisation.name},
        "areas": ["E22000901"],
    }


def test_requests_act_as_the_token_owner_in_the_audit_log(api_as: ApiAs, users: dict[str, User]) -> None:
    api_as(Role.ANALYST).get("/api/v1/audit/events")  # refused: analysts may not read the log

    denied = AuditEvent.objects.get(event_type=EventType.PERMISSION_DENIED)
    assert denied.actor_email == "analyst@example.org"
    assert denied.path == "/api/v1/audit/events"


# --- areas ------------------------------------------------------------------------------------------


def test_areas_filtered_by_level_are_paginated(api_as: ApiAs, areas: dict[str, Area]) -> None:
    response = api_as(Role.PRACTITIONER).get("/api/v1/areas", {"level": "csp"})

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "items"}
    assert body["count"] == 2
    assert body["items"] == [
        {
            "code": "E22000901",
            "name": "North Testshire",
            "level": "csp",
            "parent": "E23000099",
            "population": 2500,
        },
        {
            "code": "E22000902",
            "name": "South Testshire",
            "level": "csp",
            "parent": "E23000099",
            "population": 1000,
        },
    ]


def test_areas_filtered_by_parent(api_as: ApiAs, areas: dict[str, Area]) -> None:
    body = api_as(Role.ANALYST).get("/api/v1/areas", {"parent": "E07000901"}).json()

    assert body["count"] == 2
    assert {item["code"] for item in body["items"]} == {"E01900001", "E01900002"}
    assert {item["parent"] for item in body["items"]} == {"E07000901"}
    assert {item["level"] for item in body["items"]} == {"lsoa"}


def test_force_area_has_no_parent(api_as: ApiAs, areas: dict[str, Area]) -> None:
    body = api_as(Role.ANALYST).get("/api/v1/areas", {"level": "pfa"}).json()

    assert body["items"] == [
        {"code": "E23000099", "name": "Testshire", "level": "pfa", "parent": None, "population": 4000}
    ]


def test_areas_limit_and_offset(api_as: ApiAs, areas: dict[str, Area]) -> None:
    client = api_as(Role.ANALYST)

    first = client.get("/api/v1/areas", {"level": "lsoa", "limit": "3"}).json()
    rest = client.get("/api/v1/areas", {"level": "lsoa", "limit": "3", "offset": "3"}).json()

    assert first["count"] == rest["count"] == 4
    assert len(first["items"]) == 3
    assert len(rest["items"]) == 1
    assert {i["code"] for i in first["items"] + rest["items"]} == {
        "E01900001",
        "E01900002",
        "E01900003",
        "E01900004",
    }


def test_unknown_level_is_422(api_as: ApiAs, areas: dict[str, Area]) -> None:
    response = api_as(Role.ANALYST).get("/api/v1/areas", {"level": "county"})

    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["query", "level"]
    assert error["msg"] and error["type"]


def test_several_bad_query_parameters_are_reported_together(api_as: ApiAs, areas: dict[str, Area]) -> None:
    response = api_as(Role.ANALYST).get("/api/v1/areas", {"level": "county", "limit": "0", "offset": "-1"})

    assert response.status_code == 422
    locs = {tuple(error["loc"]) for error in response.json()["detail"]}
    assert locs == {("query", "level"), ("query", "limit"), ("query", "offset")}


def test_one_area(api_as: ApiAs, areas: dict[str, Area]) -> None:
    response = api_as(Role.PANEL_MEMBER).get("/api/v1/areas/E07000901")

    assert response.status_code == 200
    assert response.json() == {
        "code": "E07000901",
        "name": "Northtown",
        "level": "lad",
        "parent": "E22000901",
        "population": 2500,
    }


def test_unknown_area_is_404(api_as: ApiAs, areas: dict[str, Area]) -> None:
    response = api_as(Role.PANEL_MEMBER).get("/api/v1/areas/E99999999")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


# --- audit event log --------------------------------------------------------------------------------


def test_auditor_searches_the_event_log(api_as: ApiAs, users: dict[str, User]) -> None:
    client = api_as(Role.AUDITOR)  # creating the token writes a "token created" event

    response = client.get("/api/v1/audit/events", {"event_type": "token_created", "actor": "auditor@"})

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    [event] = body["items"]
    assert event["event_type"] == "token_created"
    assert event["event_type_label"] == "API token created"
    assert event["object_type"] == "api.apitoken"
    assert event["detail"]["for_user"] == "auditor@example.org"


def test_audit_date_filters_and_bad_dates(api_as: ApiAs, users: dict[str, User]) -> None:
    client = api_as(Role.OPCC_ADMIN)

    assert client.get("/api/v1/audit/events", {"date_to": "2000-01-01"}).json()["count"] == 0
    assert client.get("/api/v1/audit/events", {"date_from": "2000-01-01"}).json()["count"] >= 1
    bad = client.get("/api/v1/audit/events", {"date_from": "yesterday", "event_type": "nonsense"})
    assert bad.status_code == 422
    assert {tuple(e["loc"]) for e in bad.json()["detail"]} == {
        ("query", "date_from"),
        ("query", "event_type"),
    }


@pytest.mark.parametrize(
    "role", [Role.OPCC_OFFICER, Role.CSP_MANAGER, Role.PRACTITIONER, Role.ANALYST, Role.PANEL_MEMBER]
)
def test_roles_without_audit_view_get_404(api_as: ApiAs, role: str) -> None:
    response = api_as(role).get("/api/v1/audit/events")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


# --- OpenAPI and docs --------------------------------------------------------------------------------


def test_openapi_lists_every_operation(client: Client) -> None:
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "Joined Up API"
    assert schema["info"]["version"] == "1"
    assert schema["components"]["securitySchemes"] == {"BearerToken": {"type": "http", "scheme": "bearer"}}
    listed = {(m.upper(), p) for p, item in schema["paths"].items() for m in item}
    # The core operations; other apps add theirs and test them in their own suites.
    assert listed >= EXPECTED_OPERATIONS
    for method, path in EXPECTED_OPERATIONS:
        operation = schema["paths"][path][method.lower()]
        assert operation["security"] == [{"BearerToken": []}]
        assert {"401", "422"} <= set(operation["responses"])


def test_openapi_documents_the_error_rules(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    paths = schema["paths"]

    assert "403" in paths["/api/v1/organisations"]["post"]["responses"]
    assert {"404", "409"} <= set(paths["/api/v1/organisations/{id}"]["put"]["responses"])
    assert "404" in paths["/api/v1/audit/events"]["get"]["responses"]
    for phrase in ("401", "403", "404", "409", "422", "You do not have permission to do this."):
        assert phrase in schema["info"]["description"]
    assert schema["components"]["schemas"]["OrganisationUpdateIn"]["required"] == [
        "name",
        "sector",
        "version",
    ]


def test_api_operations_helper_matches_the_schema() -> None:
    operations = api_operations()

    assert {(method, API_ROOT + path) for method, path, _id in operations} >= EXPECTED_OPERATIONS
    ids = [op_id for _m, _p, op_id in operations]
    assert len(ids) == len(set(ids))
    assert ("PUT", "/organisations/{id}", "core_update_organisation") in operations


def test_docs_page_works_offline_under_the_content_security_policy(client: Client) -> None:
    response = client.get("/api/v1/docs")

    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Joined Up API</title>" in html
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy

    # Every script is a file from our own /static/, except the JSON settings block, which never runs.
    scripts = re.findall(r"<script([^>]*)>", html)
    assert scripts
    for attributes in scripts:
        src = re.search(r'src="([^"]+)"', attributes)
        if src is None:
            assert 'type="application/json"' in attributes
        else:
            assert src.group(1).startswith("/static/")
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert not [url for url in assets if not url.startswith("/static/")], "the docs must not load from a CDN"
    assert "style=" not in html and "<style" not in html
    for url in assets:  # and each one is actually served
        asset = client.get(url)
        assert asset.status_code == 200, url
        b"".join(asset.streaming_content)  # type: ignore[attr-defined]
        asset.close()


# --- the command line --------------------------------------------------------------------------------


def test_tokens_create_prints_a_working_token_last(
    users: dict[str, User], api_client: Callable[[str | None], Client]
) -> None:
    from joinedup.config.cli import main

    result = CliRunner().invoke(
        main, ["tokens", "create", "--user", "OPCC_OFFICER@example.org", "--name", "etl"]
    )

    assert result.exit_code == 0, result.output
    raw = result.output.strip().splitlines()[-1]
    assert raw.startswith("ju_")
    assert ApiToken.objects.get(user=users[Role.OPCC_OFFICER]).name == "etl"
    response = api_client(raw).get("/api/v1/me")
    assert response.status_code == 200
    assert response.json()["email"] == "opcc_officer@example.org"


def test_tokens_create_for_an_unknown_account_fails(users: Any) -> None:
    from joinedup.config.cli import main

    result = CliRunner().invoke(main, ["tokens", "create", "--user", "nobody@example.org"])

    assert result.exit_code != 0
    assert "nobody@example.org" in result.output
    assert not ApiToken.objects.exists()
