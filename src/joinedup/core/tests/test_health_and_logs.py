"""Health and logs (issue 17): /healthz and /readyz answer a load balancer calling by address over plain
HTTP in production, /readyz names what is not ready, and the JSON logs carry time, level, request id and
user id but never a person's name, email address or the query string of a search."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from joinedup.config.logconfig import JSON_FORMAT
from joinedup.core.logging import RequestContextFilter
from joinedup.core.roles import Role

PRODUCTION_LIKE = {
    "ALLOWED_HOSTS": ["joinedup.example.org"],
    "SECURE_SSL_REDIRECT": True,
    "SECURE_REDIRECT_EXEMPT": [r"^healthz$", r"^readyz$"],
    "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),
}


@pytest.mark.django_db
def test_a_load_balancer_calling_by_address_over_http_gets_200(settings: Any, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path
    for name, value in PRODUCTION_LIKE.items():
        setattr(settings, name, value)
    client = Client()
    alive = client.get("/healthz", HTTP_HOST="10.0.0.5")
    assert alive.status_code == 200 and alive.json() == {"status": "ok"}
    ready = client.get("/readyz", HTTP_HOST="10.0.0.5:8000")
    assert ready.status_code == 200
    assert ready.json()["checks"]["database"]["ok"] is True
    assert ready.json()["checks"]["analytical_store"] == {
        "ok": True,
        "detail": "empty (nothing imported yet)",
    }
    assert ready["Cache-Control"] == "no-store"
    # Only the health paths are exempt: any other page by address is refused, and plain HTTP redirected.
    assert client.get("/staff/sign-in/", HTTP_HOST="10.0.0.5").status_code == 400
    assert client.get("/staff/sign-in/", HTTP_HOST="joinedup.example.org").status_code == 301


@pytest.mark.django_db
def test_readyz_names_a_broken_store_and_any_added_check(
    settings: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    from joinedup.core import health

    settings.DATA_DIR = tmp_path
    (tmp_path / "insight").mkdir()
    (tmp_path / "insight" / "CURRENT").write_text("g-gone\n")
    ready = Client().get("/readyz")
    assert ready.status_code == 503
    body = ready.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["analytical_store"] == {
        "ok": False,
        "detail": "CURRENT names generation g-gone, which is missing",
    }

    # A heartbeat check is one more entry in the list.
    def worker() -> str:
        raise health.NotReady("no worker seen for 10 minutes")

    (tmp_path / "insight" / "CURRENT").unlink()
    monkeypatch.setattr(health, "READINESS_CHECKS", [*health.READINESS_CHECKS, ("worker", worker)])
    ready = Client().get("/readyz")
    assert ready.status_code == 503
    assert ready.json()["checks"]["worker"] == {"ok": False, "detail": "no worker seen for 10 minutes"}
    assert ready.json()["checks"]["analytical_store"]["ok"] is True


@pytest.fixture
def json_log() -> Iterator[io.StringIO]:
    """Everything logged, formatted as production formats it (python-json-logger, one object a line)."""
    from pythonjsonlogger.json import JsonFormatter

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(
        JsonFormatter(JSON_FORMAT, rename_fields={"levelname": "level", "name": "logger"}, timestamp="time")
    )
    handler.addFilter(RequestContextFilter())
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)


def _lines(stream: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


@pytest.mark.django_db
def test_json_logs_carry_request_and_user_ids_but_no_search_or_email(
    json_log: io.StringIO, make_user: Any, password: str
) -> None:
    admin = make_user(role=Role.OPCC_ADMIN, email="jane.admin@example.org", full_name="Jane Adminperson")
    client = Client()
    client.force_login(admin)
    response = client.get("/staff/people/", {"q": "Rosalind Searchedfor"})
    assert response.status_code == 200

    requests = [line for line in _lines(json_log) if line["logger"] == "joinedup.request"]
    assert len(requests) == 1
    logged = requests[0]
    assert logged["request_id"] == response["X-Request-ID"]
    assert logged["user_id"] == admin.pk
    assert logged["level"] == "INFO" and logged["time"].startswith("20")
    assert logged["path"] == "/staff/people/" and logged["status"] == 200 and logged["method"] == "GET"

    # A failed sign-in is logged by account id; the address typed is in the audit log only.
    Client().post("/staff/sign-in/", {"email": "jane.admin@example.org", "password": "wrong-" + password})
    failures = [line for line in _lines(json_log) if line["message"] == "sign-in failed"]
    assert failures and failures[0]["account_id"] == admin.pk and failures[0]["level"] == "WARNING"

    text = json_log.getvalue()
    for secret in ("Rosalind", "Searchedfor", "jane.admin@example.org", "Adminperson", "q="):
        assert secret not in text, secret


@pytest.mark.django_db
def test_readyz_reports_the_worker_and_scheduler_without_taking_the_web_server_out_of_rotation() -> None:
    from datetime import timedelta

    from django.utils import timezone

    from joinedup.core.models.work import WorkerHeartbeat
    from joinedup.notifications.models import SchedulerHeartbeat

    nothing = Client().get("/readyz")
    assert nothing.status_code == 200
    assert nothing.json()["background"]["worker"] == {"ok": False, "detail": "no task worker has ever run"}
    assert nothing.json()["background"]["scheduler"]["ok"] is False

    WorkerHeartbeat.objects.create(worker_id="w1", hostname="web1", pid=10)
    SchedulerHeartbeat.objects.create(instance="web1:11", last_seen=timezone.now() - timedelta(minutes=10))
    seen = Client().get("/readyz").json()["background"]
    assert seen["worker"]["ok"] is True and seen["worker"]["detail"].startswith("last heard from")
    assert seen["scheduler"] == {"ok": False, "detail": "no scheduler heard from for 10 minutes"}


@pytest.mark.django_db
def test_the_request_log_never_carries_a_private_link_s_secret(json_log: io.StringIO, make_user: Any) -> None:
    """Every URL with a secret in it (progress links, vote confirmations, calendar feeds, verification and
    set-password links) is logged with the secret replaced, whether or not the secret was right."""
    from django.urls import get_resolver

    from joinedup.core.logging import REDACTED, SECRET_URL_KWARGS

    secret = "Zq9SecretPart"
    secret_routes = []

    def walk(patterns: Any, prefix: str = "", namespace: str = "") -> None:
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                walk(pattern.url_patterns, prefix + str(pattern.pattern), pattern.namespace or namespace)
            elif set(pattern.pattern.converters) & SECRET_URL_KWARGS:
                secret_routes.append((namespace, pattern.name, pattern.pattern.converters))

    walk(get_resolver().url_patterns)
    assert len(secret_routes) >= 5  # progress, vote, three calendar feeds, applicant links, set password
    from django.urls import reverse

    for namespace, name, converters in secret_routes:
        kwargs = {key: (secret if key in SECRET_URL_KWARGS else "1") for key in converters}
        Client().get(reverse(f"{namespace}:{name}" if namespace else name, kwargs=kwargs))
    text = json_log.getvalue()
    paths = [line["path"] for line in _lines(json_log) if line["logger"] == "joinedup.request"]
    assert len(paths) == len(secret_routes) and all(REDACTED in path for path in paths)
    assert secret not in text


def test_readiness_names_a_failed_check_and_logs_it(monkeypatch):
    from joinedup.core import health

    def database_away() -> str:
        raise RuntimeError("database away")

    logged: list[dict] = []
    monkeypatch.setattr(
        health, "READINESS_CHECKS", [("files", lambda: "writable"), ("database", database_away)]
    )
    monkeypatch.setattr(health.logger, "error", lambda message, extra: logged.append({message: extra}))
    ready, results = health.readiness()
    assert not ready
    assert results == {
        "files": {"ok": True, "detail": "writable"},
        "database": {"ok": False, "detail": "database away"},
    }
    assert logged == [{"readiness check failed": {"check": "database", "error": "database away"}}]
