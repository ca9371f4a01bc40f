"""Settings: production refuses to start without its variables; local defaults are safe."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

START_DJANGO = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"


def _start(env_overrides: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "JOINEDUP_ENV", "DJANGO_SETTINGS_MODULE"}
    }
    env.update({"DJANGO_SETTINGS_MODULE": "joinedup.config.settings", "JOINEDUP_DATA_DIR": str(tmp_path)})
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "-c", START_DJANGO], env=env, capture_output=True, text=True, timeout=60, check=False
    )


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"])
def test_production_stops_with_a_clear_message_when_a_variable_is_missing(
    missing: str, tmp_path: Path
) -> None:
    env = {
        "JOINEDUP_ENV": "production",
        "SECRET_KEY": "a-long-random-production-secret-for-this-test-only",
        "ALLOWED_HOSTS": "joinedup.example.org",
        "DATABASE_URL": "postgres://joinedup@db.example.org/joinedup",
    }
    del env[missing]
    result = _start(env, tmp_path)
    assert result.returncode != 0
    assert f"{missing} must be set when JOINEDUP_ENV=production" in result.stderr


def test_production_starts_with_all_its_variables(tmp_path: Path) -> None:
    result = _start(
        {
            "JOINEDUP_ENV": "production",
            "SECRET_KEY": "a-long-random-production-secret-for-this-test-only",
            "ALLOWED_HOSTS": "joinedup.example.org",
            "DATABASE_URL": "postgres://joinedup@db.example.org/joinedup",
        },
        tmp_path,
    )
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
