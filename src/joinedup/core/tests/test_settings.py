"""Settings: production refuses to start without its variables; local defaults are safe."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

START_DJANGO = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"


# Everything production needs, valid (the README's "Configuration" table).
PRODUCTION = {
    "JOINEDUP_ENV": "production",
    "SECRET_KEY": "a-long-random-production-secret-for-this-test-only-0123456789",
    "ALLOWED_HOSTS": "joinedup.example.org",
    "DATABASE_URL": "postgres://joinedup@db.example.org/joinedup",
    "JOINEDUP_SITE_URL": "https://joinedup.example.org",
    "JOINEDUP_DATA_DIR": "/var/lib/joinedup",
    "JOINEDUP_360GIVING_PREFIX": "360G-testshireopcc",
    "JOINEDUP_360GIVING_PUBLISHER_ID": "GB-GOR-PC000999",
    "JOINEDUP_PUBLISHER_NAME": "Office of the Police and Crime Commissioner for Testshire",
    "JOINEDUP_EMAIL_URL": "smtp://mail.example.org",
}
REQUIRED = [name for name in PRODUCTION if name != "JOINEDUP_ENV"]


def _clean_env() -> dict[str, str]:
    return {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(
            ("JOINEDUP_", "DJANGO_")
        )  # DJANGO_ALLOW_ASYNC_UNSAFE: set for the browser tests
        and key not in {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"}
    }


def _start(env_overrides: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = _clean_env()
    env["DJANGO_SETTINGS_MODULE"] = "joinedup.config.settings"
    if "JOINEDUP_ENV" not in env_overrides:
        env["JOINEDUP_DATA_DIR"] = str(tmp_path)  # production tests give their own (or none)
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "-c", START_DJANGO], env=env, capture_output=True, text=True, timeout=60, check=False
    )


@pytest.mark.parametrize("missing", REQUIRED)
def test_production_stops_with_a_clear_message_when_a_variable_is_missing(
    missing: str, tmp_path: Path
) -> None:
    env = dict(PRODUCTION)
    del env[missing]
    result = _start(env, tmp_path)
    assert result.returncode != 0
    assert f"{missing} is not set" in result.stderr
    assert "1 setting(s)" in result.stderr  # only the one missing variable is named


def test_production_names_every_missing_variable_at_once(tmp_path: Path) -> None:
    result = _start({"JOINEDUP_ENV": "production"}, tmp_path)
    assert result.returncode != 0
    for name in REQUIRED:
        assert f"{name} is not set" in result.stderr, name


@pytest.mark.parametrize(
    ("name", "value", "words"),
    [
        ("SECRET_KEY", "short", "SECRET_KEY is too short"),
        ("SECRET_KEY", "django-insecure-" + "x1y2z3" * 10, "SECRET_KEY is a published example"),
        ("ALLOWED_HOSTS", "*", "not '*'"),
        ("JOINEDUP_DEBUG", "1", "JOINEDUP_DEBUG is on"),
        ("DATABASE_URL", "mysql://db/joinedup", "DATABASE_URL is not a PostgreSQL or SQLite URL"),
        ("JOINEDUP_SITE_URL", "http://joinedup.example.org", "must be an https:// address"),
        ("JOINEDUP_SITE_URL", "https://elsewhere.example.org", "is not in ALLOWED_HOSTS"),
        ("JOINEDUP_DATA_DIR", "var", "must be an absolute path"),
        ("JOINEDUP_360GIVING_PREFIX", "360G-joinedup", "not a placeholder"),
        ("JOINEDUP_360GIVING_PUBLISHER_ID", "Testshire OPCC", "is not an org-id"),
        ("JOINEDUP_TRUSTED_PROXIES", "0", "must be at least 1 in production"),
        ("JOINEDUP_WEB_TIMEOUT", "ten", "must be a whole number"),
        ("JOINEDUP_LOG_FORMAT", "xml", "JOINEDUP_LOG_FORMAT must be one of json, text"),
    ],
)
def test_deploy_checks_refuse_unsafe_values_naming_them(name: str, value: str, words: str) -> None:
    from joinedup.config.deploy import deploy_problems

    assert deploy_problems(PRODUCTION) == []
    problems = deploy_problems({**PRODUCTION, name: value})
    assert len(problems) == 1 and words in problems[0] and name in problems[0], problems


def test_production_starts_with_all_its_variables(tmp_path: Path) -> None:
    result = _start(PRODUCTION, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_local_settings_keep_a_generated_secret_in_the_data_directory(tmp_path: Path) -> None:
    first = _start({}, tmp_path)
    assert first.returncode == 0, first.stderr
    secret = (tmp_path / "secret_key").read_text()
    assert len(secret) >= 50
    assert oct((tmp_path / "secret_key").stat().st_mode)[-3:] == "600"
    _start({}, tmp_path)
    assert (tmp_path / "secret_key").read_text() == secret  # the same key on every start


# --- two-factor sign-in in production (issue 13) -------------------------------------------------------

# Every action that reads personal data about the public or staff (docs/adr/0016).
PERSONAL_DATA_ACTIONS = [
    "people.view",
    "audit.view",
    "funding.view",
    "casework.cases.view",
    "casework.risk.view",
    "casework.reviews.view",
    "casework.subject_access",
]


def _production_sign_in_settings(tmp_path: Path, **extra: str) -> dict:
    import json

    script = (
        "import django, json; django.setup(); from django.conf import settings as s; print(json.dumps("
        "[s.JOINEDUP_TWO_FACTOR_REQUIRED_ROLES, getattr(s, 'JOINEDUP_ADMIN_REQUIRES_TWO_FACTOR', False), "
        "getattr(s, 'JOINEDUP_TRUSTED_PROXIES', 0)]))"
    )
    env = {
        k: v for k, v in os.environ.items() if not k.startswith("JOINEDUP_") and k != "DJANGO_SETTINGS_MODULE"
    }
    env.update(PRODUCTION, DJANGO_SETTINGS_MODULE="joinedup.config.settings")
    env.update(extra)
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    roles, admin, proxies = json.loads(result.stdout.strip().splitlines()[-1])
    return {"roles": roles, "admin": admin, "proxies": proxies}


@pytest.mark.django_db
def test_regression_production_requires_two_factor_of_every_role_that_reads_personal_data(
    tmp_path: Path, make_user: Any, password: str, settings: Any
) -> None:
    """Issue 13: "Two-factor sign-in is required only for OPCC administrators"."""
    from django.test import Client

    from joinedup.core.permissions import get_rule
    from joinedup.core.roles import Role

    production = _production_sign_in_settings(tmp_path)
    required = set(production["roles"])
    assert required == {"opcc_admin", "opcc_officer", "csp_manager", "practitioner", "auditor"}
    assert production["admin"] is True and production["proxies"] == 1
    for action in PERSONAL_DATA_ACTIONS:
        readers = set(get_rule(action).roles)
        assert readers <= required, f"{action} is readable by {sorted(readers - required)} without 2FA"

    # Exercised: with production's list, each role signs in with a password alone only if it is not on it.
    settings.JOINEDUP_TWO_FACTOR_REQUIRED_ROLES = production["roles"]
    for role in Role.values:
        person = make_user(role=role, email=f"{role}@example.org")
        client = Client()
        response = client.post("/staff/sign-in/", {"email": person.email, "password": password})
        if role in required:
            assert response["Location"] == "/staff/account/two-factor/", role
            assert client.get("/staff/")["Location"] == "/staff/sign-in/two-factor/", role
        else:
            assert response["Location"] == "/staff/", role
            assert client.get("/staff/").status_code == 200, role


def test_local_settings_keep_two_factor_optional_unless_told(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("JOINEDUP_")}
    script = "import django; django.setup(); from django.conf import settings as s; print(s.JOINEDUP_TWO_FACTOR_REQUIRED_ROLES)"
    base = {**env, "DJANGO_SETTINGS_MODULE": "joinedup.config.settings", "JOINEDUP_DATA_DIR": str(tmp_path)}
    plain = subprocess.run(
        [sys.executable, "-c", script], env=base, capture_output=True, text=True, timeout=60, check=False
    )
    assert plain.stdout.strip() == "[]", plain.stderr
    told = subprocess.run(
        [sys.executable, "-c", script],
        env={**base, "JOINEDUP_TWO_FACTOR_REQUIRED_ROLES": "opcc_admin, analyst"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert told.stdout.strip() == "['opcc_admin', 'analyst']", told.stderr
    # Production adds named roles to its own.
    assert (
        "analyst"
        in _production_sign_in_settings(tmp_path, JOINEDUP_TWO_FACTOR_REQUIRED_ROLES="analyst")["roles"]
    )


def test_sqlite_writers_wait_for_each_other_instead_of_failing(
    tmp_path: Path, django_db_blocker: Any
) -> None:
    """Two web workers each reading then writing in a transaction at the same moment (two public votes):
    the second waits for the first instead of failing with "database is locked" (bench/public_load.py)."""
    import threading
    import time

    from django.db.utils import ConnectionHandler

    from joinedup.config.settings.base import database_from_url

    handler = ConnectionHandler({"default": database_from_url(f"sqlite:///{tmp_path / 'db.sqlite3'}")})
    problems: list[str] = []

    def vote(n: int) -> None:
        conn = handler["default"]  # one connection per thread, as in one worker each
        try:
            conn.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
            with conn.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM votes")
                time.sleep(0.3)  # the other worker starts its transaction meanwhile
                cursor.execute("INSERT INTO votes (n) VALUES (%s)", [n])
            conn.commit()
        except Exception as exc:
            problems.append(str(exc))
        finally:
            conn.close()

    with django_db_blocker.unblock():  # a database of the test's own, not the test database
        setup = handler["default"]
        with setup.cursor() as cursor:
            cursor.execute("CREATE TABLE votes (n integer)")
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
        setup.close()
        workers = [threading.Thread(target=vote, args=(n,)) for n in (1, 2)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=30)
        assert problems == []
        check = handler["default"]
        with check.cursor() as cursor:
            cursor.execute("SELECT n FROM votes ORDER BY n")
            assert [row[0] for row in cursor.fetchall()] == [1, 2]
        check.close()
