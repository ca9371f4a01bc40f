"""The production settings, started for real: `joinedup check --deploy`, then gunicorn with the production
configuration (joinedup.config.gunicorn) on a loopback port, a temporary SQLite database and collected
static files, called as the TLS-terminating proxy and a load balancer would call it."""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from joinedup.core.tests.databases import sqlite_copy
from joinedup.core.tests.test_settings import PRODUCTION, _clean_env

# The server below makes its own SQLite database whatever the pass's: in CI's PostgreSQL pass it would repeat
# the SQLite pass's run (four minutes, most of it migrating). The two-server test starts production servers on
# PostgreSQL in that pass.
pytestmark = pytest.mark.sqlite_pass("the production server makes its own SQLite database")

BIN = Path(sys.executable).parent
HOST = "joinedup.example.org"


@dataclass
class Server:
    port: int
    env: dict[str, str]
    log: Path

    def get(
        self, path: str, *, host: str = HOST, https: bool = True, forwarded_for: str = ""
    ) -> http.client.HTTPResponse:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Host": host}
        if https:
            headers["X-Forwarded-Proto"] = "https"
        if forwarded_for:
            headers["X-Forwarded-For"] = forwarded_for
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.body = response.read()  # type: ignore[attr-defined]
        connection.close()
        return response


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, env=env, capture_output=True, text=True, timeout=900, check=False)


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, django_db_setup: Any, django_db_blocker: Any
) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("production")
    port = _free_port()
    env = {
        **_clean_env(),
        **PRODUCTION,
        "DJANGO_SETTINGS_MODULE": "joinedup.config.settings",
        # The suite's migrated database, copied: `manage migrate` below finds nothing to apply.
        "DATABASE_URL": sqlite_copy(django_db_blocker, root / "joinedup.sqlite3"),
        "JOINEDUP_DATA_DIR": str(root / "data"),
        "JOINEDUP_STATIC_ROOT": str(root / "static"),
        "JOINEDUP_BIND": f"127.0.0.1:{port}",
        "JOINEDUP_WEB_WORKERS": "2",
        "JOINEDUP_LOG_FORMAT": "json",
    }
    joinedup = str(BIN / "joinedup")
    for step in (
        ["manage", "migrate", "--noinput", "-v", "0"],
        ["manage", "collectstatic", "--noinput", "-v", "0"],
    ):
        done = _run([joinedup, *step], env)
        assert done.returncode == 0, done.stderr
    check = _run([joinedup, "check", "--deploy"], env)
    assert check.returncode == 0, check.stderr
    assert "No problems found." in check.stdout

    log = root / "gunicorn.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "--config=python:joinedup.config.gunicorn",
                "joinedup.config.wsgi:application",
            ],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    running = Server(port=port, env=env, log=log)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if running.get("/healthz").status == 200:
                    break
            except OSError:
                pass
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.5)
        yield running
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            process.kill()


def test_production_answers_health_sign_in_and_static_files(server: Server) -> None:
    health = server.get("/healthz")
    assert health.status == 200
    assert json.loads(health.body)["status"] == "ok"  # type: ignore[attr-defined]

    sign_in = server.get("/staff/sign-in/")
    assert sign_in.status == 200
    page = sign_in.body.decode()  # type: ignore[attr-defined]
    assert "Sign in" in page
    assert sign_in.getheader("Strict-Transport-Security", "").startswith("max-age=31536000")
    cookies = sign_in.headers.get_all("Set-Cookie") or []
    assert cookies and all("Secure" in cookie for cookie in cookies), cookies

    # The page's own stylesheet, by its hashed name, from the collected static files.
    stylesheet = re.search(r'href="(/static/[^"]+\.css)"', page)
    assert stylesheet, "the sign-in page links no stylesheet"
    css = server.get(stylesheet.group(1))
    assert css.status == 200
    assert css.getheader("Content-Type", "").startswith("text/css")
    assert b"govuk" in css.body  # type: ignore[attr-defined]


def test_production_health_answers_a_load_balancer_by_address_over_http(server: Server) -> None:
    alive = server.get("/healthz", host="10.1.2.3", https=False)
    assert alive.status == 200
    ready = server.get("/readyz", host="10.1.2.3:8000", https=False)
    assert ready.status == 200
    checks = json.loads(ready.body)["checks"]  # type: ignore[attr-defined]
    assert checks["database"]["ok"] and checks["analytical_store"]["ok"]
    # Logs are JSON lines with the request id the response carried.
    page = server.get("/staff/sign-in/")
    request_id = page.getheader("X-Request-ID")
    logged = [json.loads(line) for line in server.log.read_text().splitlines() if line.startswith("{")]
    requests = [line for line in logged if line.get("request_id") == request_id]
    assert requests and requests[0]["path"] == "/staff/sign-in/" and requests[0]["level"] == "INFO"


def test_production_redirects_plain_http_and_refuses_unknown_hosts(server: Server) -> None:
    plain = server.get("/staff/sign-in/", https=False)
    assert plain.status == 301
    assert plain.getheader("Location") == f"https://{HOST}/staff/sign-in/"
    assert server.get("/staff/sign-in/", host="intruder.example.net").status == 400


def test_production_refuses_to_start_naming_every_missing_setting(tmp_path: Path) -> None:
    env = {**_clean_env(), "JOINEDUP_ENV": "production", "DJANGO_SETTINGS_MODULE": "joinedup.config.settings"}
    env["SECRET_KEY"] = "short"
    result = _run([str(BIN / "joinedup"), "check", "--deploy"], env)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "SECRET_KEY is too short" in result.stderr
    for name in ("ALLOWED_HOSTS", "DATABASE_URL", "JOINEDUP_SITE_URL", "JOINEDUP_360GIVING_PREFIX"):
        assert f"{name} is not set" in result.stderr, name
    # gunicorn refuses as well, before it loads the application.
    refused = subprocess.run(
        [
            str(BIN / "gunicorn"),
            "--config=python:joinedup.config.gunicorn",
            "joinedup.config.wsgi:application",
        ],
        env={**env, "JOINEDUP_BIND": f"127.0.0.1:{_free_port()}"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert refused.returncode != 0
    assert "DATABASE_URL is not set" in refused.stderr


def test_production_lock_holds_no_test_tools() -> None:
    root = Path(__file__).resolve().parents[4]
    runtime = (root / "requirements-production.lock").read_text()
    development = (root / "requirements.lock").read_text()
    pins = re.compile(r"^([a-z0-9][a-z0-9._-]*)==(\S+)", re.MULTILINE)
    runtime_pins = dict(pins.findall(runtime))
    development_pins = dict(pins.findall(development))
    for tool in ("pytest", "playwright", "mypy", "pandas", "ruff", "schemathesis"):
        assert tool in development_pins and tool not in runtime_pins, tool
    for name in ("django", "gunicorn", "duckdb", "weasyprint", "python-json-logger"):
        assert name in runtime_pins, name
    # The same versions as development and CI run.
    assert {name: development_pins[name] for name in runtime_pins} == runtime_pins
    assert os.path.getsize(root / "requirements-production.lock") > 0
