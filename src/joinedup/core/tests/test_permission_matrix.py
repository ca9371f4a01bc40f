"""Every staff URL and every API operation, for every role: allowed or refused as the access tables say.

A URL pattern or API operation with no entry in an app's `tests/access.py` fails this test, so a new
endpoint cannot ship without a rule.
"""

from __future__ import annotations

import importlib
import json
from typing import Any

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from joinedup.core.roles import Role
from joinedup.core.services.tokens import create_token
from joinedup.core.testing import PUBLIC, Access
from joinedup.core.tests.factories import OrganisationFactory, UserFactory, area_tree

pytestmark = pytest.mark.django_db
SKIPPED_NAMESPACES = {"admin", "api-v1", "api-fallback"}


def _collect(attribute: str) -> dict[str, Access]:
    merged: dict[str, Access] = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("joinedup."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.tests.access")
        except ModuleNotFoundError:
            continue
        merged.update(getattr(module, attribute, {}))
    return merged


def _url_names(resolver: URLResolver | None = None, namespace: str = "") -> list[tuple[str, str]]:
    """(qualified name, route) of every URL pattern in the project."""
    resolver = resolver or get_resolver()
    found = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            if inner.split(":")[0] in SKIPPED_NAMESPACES:
                continue
            found.extend(_url_names(entry, inner))
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else (entry.name or "")
            found.append((name, str(entry.pattern)))
    return found


URLS = _collect("URLS")
API = _collect("API")


def test_every_url_has_an_access_rule():
    missing = [f"{name or '(unnamed)'} → {route}" for name, route in _url_names() if name not in URLS]
    assert not missing, "URLs with no entry in any tests/access.py:\n" + "\n".join(missing)
    stale = set(URLS) - {name for name, _route in _url_names()}
    assert not stale, f"access.py entries for URLs that no longer exist: {sorted(stale)}"


def test_every_api_operation_has_an_access_rule():
    from joinedup.api.testing import api_operations

    operations = {operation_id for _method, _path, operation_id in api_operations()}
    missing = sorted(operations - set(API))
    assert not missing, f"API operations with no entry in any tests/access.py: {missing}"
    stale = sorted(set(API) - operations)
    assert not stale, f"access.py entries for API operations that no longer exist: {stale}"


@pytest.fixture
def objects(db: Any, settings: Any, tmp_path: Any) -> dict[str, Any]:
    # Each matrix test has its own data directory, so an app's hook can write files (the insight
    # store, uploads) without depending on what an earlier test left in the process's directory.
    settings.DATA_DIR = tmp_path / "var"
    tree = area_tree()
    organisation = OrganisationFactory(name="Northtown Youth Trust")
    organisation.areas.set([tree["north_lad"]])
    people = {}
    for role in Role.values:
        scoped = [tree["north"]] if role in (Role.CSP_MANAGER, Role.ANALYST) else [tree["pfa"]]
        people[role] = UserFactory(role=role, email=f"matrix.{role}@example.org", areas=scoped)
    made = {**tree, "organisation": organisation, "people": people, "person": people[Role.PRACTITIONER]}
    for hook in _collect_hooks():
        hook(made)
    return made


def _collect_hooks() -> list[Any]:
    """Apps whose pages need their own records add them to the matrix's objects with `objects_hook`."""
    hooks = []
    for config in apps.get_app_configs():
        if config.name.startswith("joinedup."):
            try:
                module = importlib.import_module(f"{config.name}.tests.access")
            except ModuleNotFoundError:
                continue
            if hasattr(module, "objects_hook"):
                hooks.append(module.objects_hook)
    return hooks


def _call(client: Client, access: Access, name: str, objects: dict[str, Any]) -> Any:
    url = reverse(name, kwargs=access.kwargs(objects)) + access.query
    if access.method == "POST":
        return client.post(url, access.data(objects))
    return client.get(url)


def _finish(response: Any) -> None:
    """Read a download to the end, so the test client closes it (and its file) the way Django expects.

    Calling close() directly would fire request_finished with close_old_connections connected, which on
    PostgreSQL closes the test's own database connection.
    """
    if response.streaming:
        b"".join(response.streaming_content)


def _allowed_for(access: Access, role: str | None) -> bool:
    if access.roles == PUBLIC or access.anonymous_only:
        return True
    return role is not None and role in access.roles


@pytest.mark.parametrize("role", [*Role.values, None], ids=[*Role.values, "anonymous"])
def test_pages_allow_and_refuse_as_the_table_says(role: str | None, objects: dict[str, Any]):
    failures = []
    # POSTs last: signing out, for one, changes the session.
    for name, access in sorted(URLS.items(), key=lambda item: item[1].method == "POST"):
        client = Client()
        if role is not None:
            me = objects["people"][role]
            objects["me"] = me
            client.force_login(me)
        else:
            objects["me"] = objects["person"]
        response = _call(client, access, name, objects)
        _finish(response)
        status = response.status_code
        location = response.get("Location", "")
        if role is None and not _allowed_for(access, None):
            ok = status == 302 and "/staff/sign-in/" in location
            expected = "redirect to sign-in"
        elif _allowed_for(access, role):
            ok = status < 400 and "/staff/sign-in/" not in location
            expected = "allowed"
        else:
            ok = status == 404
            expected = "404"
        if not ok:
            failures.append(f"{name}: expected {expected}, got {status} {location}")
    assert not failures, f"role {role}:\n" + "\n".join(failures)


@pytest.mark.parametrize("role", [*Role.values, None], ids=[*Role.values, "anonymous"])
def test_api_allows_and_refuses_as_the_table_says(role: str | None, objects: dict[str, Any]):
    from joinedup.api.testing import api_operations

    headers = {}
    if role is not None:
        me = objects["people"][role]
        objects["me"] = me
        _token, raw = create_token(user=me, name="matrix", actor=None)
        headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    client = Client()
    failures = []
    for method, path, operation_id in api_operations():
        access = API[operation_id]
        url = "/api/v1" + path.format(**access.kwargs(objects)) + access.query
        body = access.data(objects)
        if method == "GET":
            response = client.get(url, **headers)
        else:
            response = client.generic(
                method, url, data=json.dumps(body), content_type="application/json", **headers
            )
        _finish(response)
        status = response.status_code
        if role is None and access.roles != PUBLIC:
            ok, expected = status == 401, "401"
        elif _allowed_for(access, role):
            ok, expected = status not in (401, 403, 404), "allowed"
        else:
            ok, expected = status in (403, 404), "403/404"
        if not ok:
            failures.append(f"{method} {url} ({operation_id}): expected {expected}, got {status}")
    assert not failures, f"role {role}:\n" + "\n".join(failures)


def test_django_admin_is_for_superusers_only(objects: dict[str, Any]):
    for role in Role.values:
        client = Client()
        client.force_login(objects["people"][role])
        response = client.get("/admin/")
        assert response.status_code == 302 and "/admin/login/" in response["Location"], role
    superuser = UserFactory(role=Role.OPCC_ADMIN, is_superuser=True, is_staff=True)
    client = Client()
    client.force_login(superuser)
    assert client.get("/admin/").status_code == 200
