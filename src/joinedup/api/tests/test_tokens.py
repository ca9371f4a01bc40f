"""API tokens: expiry, scope, last use, rate limits per token, the account page, the CLI and the migration
of tokens made before any of these (issue 13, "Sign-in")."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any

import pytest
from click.testing import CliRunner
from django.core.cache import cache
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.utils import timezone

from joinedup.api.testing import API_ROOT, api_operations
from joinedup.core.models import AuditEvent, EventType, User
from joinedup.core.models.tokens import ApiToken
from joinedup.core.roles import Role
from joinedup.core.services.tokens import create_token
from joinedup.core.testing import HISTORIC_MIGRATION, MIGRATION_TEST_TIMEOUT

ClientFor = Callable[[str | None], Client]
# What a read-only token is told on any other method (api/auth.py).
READ_ONLY_MESSAGE = (
    "This API token may only read (its scope is 'read'): GET, HEAD and OPTIONS. "
    "Create a read-and-write token on your account page to change data."
)
READ, READ_WRITE = "read", "read_write"


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    cache.clear()


def bearer(raw: str, **extra: Any) -> Client:
    return Client(headers={"Authorization": f"Bearer {raw}"}, **extra)


# --- expiry ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_regression_tokens_expire_after_90_days_by_default(users: dict[str, User]) -> None:
    """Issue 13: "API tokens never expire"."""
    token, raw = create_token(user=users[Role.OPCC_OFFICER], name="partner system", actor=None)
    assert token.expires_at - token.created_at == datetime.timedelta(days=90)
    assert bearer(raw).get("/api/v1/me").status_code == 200

    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    response = bearer(raw).get("/api/v1/me")
    assert response.status_code == 401 and response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.django_db
def test_a_token_lasts_between_a_day_and_a_year(users: dict[str, User]) -> None:
    from django.core.exceptions import ValidationError

    token, _raw = create_token(user=users[Role.ANALYST], name="short", actor=None, days=1)
    assert token.expires_at - token.created_at == datetime.timedelta(days=1)
    for days in (0, 366, -5):
        with pytest.raises(ValidationError) as caught:
            create_token(user=users[Role.ANALYST], name="bad", actor=None, days=days)
        assert "between 1 and 365 days" in str(caught.value)
    with pytest.raises(ValidationError):
        create_token(user=users[Role.ANALYST], name="bad", actor=None, scope="admin")
    assert ApiToken.objects.count() == 1


# --- scope ----------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_regression_a_read_token_cannot_write(users: dict[str, User]) -> None:
    """Issue 13: API tokens "cannot be limited to reading"."""
    _token, raw = create_token(user=users[Role.OPCC_ADMIN], name="dashboard", actor=None, scope=READ)
    assert bearer(raw).get("/api/v1/organisations").status_code == 200
    response = bearer(raw).post(
        "/api/v1/organisations",
        {"name": "Should not exist", "sector": "voluntary"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response.json() == {"detail": READ_ONLY_MESSAGE}
    from joinedup.core.models import Organisation

    assert not Organisation.objects.filter(name="Should not exist").exists()


@pytest.mark.django_db
def test_every_writing_operation_refuses_a_read_token(users: dict[str, User]) -> None:
    """The whole API, generated from its OpenAPI document: each operation that is not GET answers 403 to a
    read-only token of the all-seeing administrator, before it reads the body or looks anything up."""
    _token, raw = create_token(user=users[Role.OPCC_ADMIN], name="reader", actor=None, scope=READ)
    client = bearer(raw)
    writing = [(m, p) for m, p, _id in api_operations() if m not in {"GET", "HEAD", "OPTIONS"}]
    assert len(writing) >= 10
    for method, path in writing:
        url = API_ROOT + re.sub(r"\{[^}]+\}", "1", path)
        response = client.generic(method, url, "{}", content_type="application/json")
        assert response.status_code == 403, f"{method} {path}: {response.status_code}"
        assert response.json()["detail"] == READ_ONLY_MESSAGE


@pytest.mark.django_db
def test_a_read_write_token_writes(users: dict[str, User]) -> None:
    _token, raw = create_token(user=users[Role.OPCC_ADMIN], name="etl", actor=None, scope=READ_WRITE)
    response = bearer(raw).post(
        "/api/v1/organisations",
        {"name": "Tyneside Street Pastors", "sector": "faith"},
        content_type="application/json",
    )
    assert response.status_code in (200, 201), response.content


# --- last use -----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_last_use_is_recorded(users: dict[str, User]) -> None:
    token, raw = create_token(user=users[Role.ANALYST], name="reporting", actor=None, scope=READ)
    assert token.last_used_at is None
    bearer(raw).get("/api/v1/me")
    token.refresh_from_db()
    assert token.last_used_at is not None and timezone.now() - token.last_used_at < datetime.timedelta(
        minutes=1
    )


# --- rate limits ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_api_is_throttled_per_token_with_retry_after(users: dict[str, User], settings: Any) -> None:
    settings.JOINEDUP_API_RATE = "3/min"
    _a, first = create_token(user=users[Role.ANALYST], name="busy", actor=None, scope=READ)
    _b, second = create_token(user=users[Role.ANALYST], name="quiet", actor=None, scope=READ)
    busy = bearer(first)
    assert [busy.get("/api/v1/me").status_code for _ in range(3)] == [200, 200, 200]
    refused = busy.get("/api/v1/areas")
    assert refused.status_code == 429
    assert refused.json()["detail"]
    assert 0 < int(refused["Retry-After"]) <= 60
    # The limit is the token's own: the same person's other token, from the same address, carries on.
    assert bearer(second).get("/api/v1/me").status_code == 200
    # A 401 costs nothing of anyone's allowance and is not throttled by it.
    assert bearer("ju_not-a-token").get("/api/v1/me").status_code == 401


@pytest.mark.django_db
def test_operations_without_a_token_are_throttled_per_address(settings: Any) -> None:
    settings.JOINEDUP_API_ANONYMOUS_RATE = "2/min"
    here, there = Client(REMOTE_ADDR="203.0.113.1"), Client(REMOTE_ADDR="203.0.113.2")
    assert [here.get("/api/v1/grants").status_code for _ in range(2)] == [200, 200]
    refused = here.get("/api/v1/grants")
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert there.get("/api/v1/grants").status_code == 200


# --- the account page -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_account_page_lists_tokens_with_scope_expiry_and_last_use(
    client_for: Callable[[str], Client], users: dict[str, User]
) -> None:
    client = client_for(Role.ANALYST)
    form = client.get("/staff/account/tokens/new/").content.decode()
    assert "Read only" in form and "How long should it last?" in form
    missing = client.post("/staff/account/tokens/new/", {"name": "x"}).content.decode()
    assert "Choose what the token may do" in missing and not ApiToken.objects.exists()

    created = client.post(
        "/staff/account/tokens/new/", {"name": "reporting", "scope": "read", "days": "30"}
    ).content.decode()
    token = ApiToken.objects.get(user=users[Role.ANALYST])
    assert token.scope == READ and token.expires_at - token.created_at == datetime.timedelta(days=30)
    assert "read only" in created and token.expires_at.strftime("%-d %B %Y") in created
    raw = created.split('id="api-token" class="ju-break-all">')[1].split("<")[0]
    bearer(raw).get("/api/v1/me")

    page = client.get("/staff/account/").content.decode()
    assert "reporting" in page and "Read only" in page and "Active" in page
    assert timezone.localtime(token.expires_at).strftime("%-d %b %Y") in page
    assert "Never" not in page.split("reporting")[1].split("</tr>")[0]  # last used is shown
    assert raw not in page

    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() + datetime.timedelta(days=5))
    assert (
        "5 days left" in client.get("/staff/account/").content.decode()
        or "4 days left" in client.get("/staff/account/").content.decode()
    )
    client.post(f"/staff/account/tokens/{token.pk}/revoke/")
    assert bearer(raw).get("/api/v1/me").status_code == 401
    assert "Revoked" in client.get("/staff/account/").content.decode()
    assert AuditEvent.objects.filter(event_type=EventType.TOKEN_CREATED, detail__scope="read").exists()


# --- the command line --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_cli_creates_lists_and_revokes_tokens(users: dict[str, User]) -> None:
    from joinedup.config.cli import main

    runner = CliRunner()
    made = runner.invoke(
        main, ["tokens", "create", "--user", "analyst@example.org", "--name", "etl", "--days", "7"]
    )
    assert made.exit_code == 0, made.output
    raw = made.output.strip().splitlines()[-1]
    token = ApiToken.objects.get(user=users[Role.ANALYST])
    assert token.scope == READ  # the command line's default is the narrowest
    assert "read only" in made.output and token.expires_at - token.created_at == datetime.timedelta(days=7)
    assert bearer(raw).post("/api/v1/organisations", {}, content_type="application/json").status_code == 403

    writer = runner.invoke(
        main, ["tokens", "create", "--user", "analyst@example.org", "--scope", "read-write", "--days", "400"]
    )
    assert writer.exit_code != 0 and "between 1 and 365 days" in writer.output

    listed = runner.invoke(main, ["tokens", "list", "--user", "analyst@example.org"])
    assert listed.exit_code == 0 and "etl" in listed.output and "Read only" in listed.output
    assert raw not in listed.output

    revoked = runner.invoke(main, ["tokens", "revoke", str(token.pk)])
    assert revoked.exit_code == 0, revoked.output
    assert bearer(raw).get("/api/v1/me").status_code == 401
    assert runner.invoke(main, ["tokens", "revoke", "999999"]).exit_code != 0


# --- tokens made before scope and expiry ----------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgresql_pass("a migration test: production migrates PostgreSQL")
@pytest.mark.timeout(MIGRATION_TEST_TIMEOUT)
@HISTORIC_MIGRATION
def test_existing_tokens_migrate_to_read_write_expiring_in_90_days(back_to_latest: Any) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate([("api", "0001_initial")])
    old_apps = executor.loader.project_state([("api", "0001_initial")]).apps
    OldUser = old_apps.get_model("core", "User")
    OldToken = old_apps.get_model("api", "ApiToken")
    owner = OldUser.objects.create(email="old@example.org", full_name="Old Token", role="analyst")
    OldToken.objects.create(user=owner, name="legacy", key_hash="x" * 64, hint="ju_legacy")

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    token = ApiToken.objects.get(name="legacy")
    assert token.scope == READ_WRITE
    left = token.expires_at - timezone.now()
    assert datetime.timedelta(days=89) < left <= datetime.timedelta(days=90)
