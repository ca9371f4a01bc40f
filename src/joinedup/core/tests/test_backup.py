"""Backup and restore (docs/adr/0023): a round trip into a new, empty instance gives back every table's rows,
the analytical store (the same assessment) and the uploaded files; damaged archives and non-empty
instances are refused before anything changes. And the retention rule for uploaded police data files."""

from __future__ import annotations

import datetime
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
import time
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from joinedup.core.testing import MIGRATION_TEST_TIMEOUT
from joinedup.core.tests.test_settings import _clean_env

BIN = Path(sys.executable).parent
AREA, FROM, TO = "E22000901", "2023-01", "2023-12"


def _use_data_dir(settings: Any, path: Path) -> None:
    settings.DATA_DIR = path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": path / "files"},
        },
    }


def _fill(settings: Any, root: Path, make_user: Any) -> None:
    """An instance with accounts, a police data import (a store generation), an upload and a document."""
    from joinedup.insight.imports.importer import import_police_data
    from joinedup.insight.tests.test_importer import street_file, street_row

    make_user(email="officer@example.org")
    folder = root / "police-data"
    for m in range(1, 13):
        month = f"2023-{m:02d}"
        rows = [street_row(f"b{month}", month, "E01900001")]
        if m % 3:
            rows.append(street_row(f"s{month}", month, "E01900002", "Shoplifting"))
        street_file(folder, month, rows)
    import_police_data([folder])
    upload = Path(settings.DATA_DIR) / "files" / "insight" / "uploads" / "a1b2c3" / "upload.zip"
    upload.parent.mkdir(parents=True)
    upload.write_bytes(b"PK\x03\x04 an uploaded download")
    document = Path(settings.DATA_DIR) / "files" / "csp" / "assessment.pdf"
    document.parent.mkdir(parents=True)
    document.write_bytes(b"%PDF-1.7 a published assessment")


def _env(root: Path, database_url: str) -> dict[str, str]:
    return {
        **_clean_env(),
        "DJANGO_SETTINGS_MODULE": "joinedup.config.settings",
        "SECRET_KEY": "restore-test-secret-key-not-used-anywhere-else-0123456789",
        "JOINEDUP_DATA_DIR": str(root),
        "DATABASE_URL": database_url,
    }


def _joinedup(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "joinedup"), *args], env=env, capture_output=True, text=True, timeout=900, check=False
    )


def _many_to_many_tables() -> set[str]:
    """Tables Django creates for a many-to-many field: a restore through dumpdata and loaddata (PostgreSQL)
    keeps their pairs but numbers their rows afresh, and nothing refers to those numbers."""
    from django.apps import apps

    return {
        field.remote_field.through._meta.db_table
        for model in apps.get_models()
        for field in model._meta.local_many_to_many
        if field.remote_field.through._meta.auto_created
    }


def _rows(cursor: Any, table: str) -> list[str]:
    cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608  (table names from introspection)
    names = [column[0] for column in cursor.description]
    keep = [i for i, name in enumerate(names) if not (name == "id" and table in _many_to_many_tables())]
    return sorted(repr(tuple(_plain(row[i]) for i in keep)) for row in cursor.fetchall())


def _plain(value: Any) -> Any:
    """A value as text, so the two readers compare: Django's cursor reads PostgreSQL's jsonb as text, a
    plain psycopg connection as Python objects."""
    if isinstance(value, str) and value[:1] in ("{", "["):
        try:
            value = json.loads(value)
        except ValueError:
            return value
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True)
    if isinstance(value, memoryview):
        value = bytes(value)
    if isinstance(value, datetime.datetime):
        # PostgreSQL's backup is dumpdata's JSON, which keeps times to the millisecond (docs/adr/0023).
        value = value.replace(microsecond=value.microsecond // 1000 * 1000)
    # Other types differ only in how the two drivers hand them over (an address object or its text).
    return None if value is None else str(value)


def _new_postgres_database(name: str) -> str:
    import psycopg

    url = os.environ["DATABASE_URL"]
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    return url.rsplit("/", 1)[0] + "/" + name


@pytest.mark.django_db(transaction=True)
@pytest.mark.timeout(MIGRATION_TEST_TIMEOUT)  # the restore migrates an empty database first
def test_backup_restores_into_an_empty_instance_with_every_row_file_and_assessment(
    settings: Any, tmp_path: Path, areas: Any, make_user: Any
) -> None:
    from joinedup.core.backup import create_backup
    from joinedup.insight import store
    from joinedup.insight.calculation import assess

    source = tmp_path / "source"
    _use_data_dir(settings, source)
    _fill(settings, tmp_path, make_user)
    expected_assessment = json.loads(json.dumps(assess(AREA, FROM, TO), ensure_ascii=False, default=str))

    archive = tmp_path / "backup.tar"
    manifest = create_backup(archive)
    assert manifest["generation"] == store.current_generation()
    with tarfile.open(archive) as opened:
        names = set(opened.getnames())
    assert {
        "manifest.json",
        "insight/CURRENT",
        "files/insight/uploads/a1b2c3/upload.zip",
        "files/csp/assessment.pdf",
    } <= names
    assert any(name.startswith(f"insight/generations/{manifest['generation']}/street/") for name in names)

    target = tmp_path / "restored"
    postgres = connection.vendor == "postgresql"
    target_url = (
        _new_postgres_database(f"joinedup_restore_{os.getpid()}")
        if postgres
        else f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    )
    env = _env(target, target_url)
    restored = _joinedup(env, "restore", str(archive))
    assert restored.returncode == 0, restored.stderr

    # Every table: the same rows (migrations by name: PostgreSQL's restore applies them afresh).
    tables = sorted(set(connection.introspection.table_names()) - {"joinedup_cache"})
    with connection.cursor() as cursor:
        before = {table: _rows(cursor, table) for table in tables if table != "django_migrations"}
        cursor.execute("SELECT app, name FROM django_migrations")
        migrations_before = sorted(cursor.fetchall())
    if postgres:
        import psycopg

        other: Any = psycopg.connect(target_url)
    else:
        # Read as Django reads SQLite (its converters for booleans, dates and decimals).
        other = sqlite3.connect(
            tmp_path / "restored.sqlite3", detect_types=sqlite3.PARSE_DECLTYPES | sqlite3.PARSE_COLNAMES
        )
    try:
        cursor = other.cursor()
        after = {table: _rows(cursor, table) for table in before}
        cursor.execute("SELECT app, name FROM django_migrations")
        migrations_after = sorted(cursor.fetchall())
    finally:
        other.close()
    assert sum(len(rows) for rows in before.values()) > 100  # the geography, accounts, import, history
    for table in tables:
        if table != "django_migrations":
            assert after[table] == before[table], table
    assert [tuple(row) for row in migrations_after] == [tuple(row) for row in migrations_before]

    # The same files, and the same assessment from the restored store.
    assert (
        target / "files" / "insight" / "uploads" / "a1b2c3" / "upload.zip"
    ).read_bytes() == b"PK\x03\x04 an uploaded download"
    assert (target / "files" / "csp" / "assessment.pdf").read_bytes() == b"%PDF-1.7 a published assessment"
    assessed = _joinedup(env, "insight", "assess", "--area", AREA, "--from", FROM, "--to", TO)
    assert assessed.returncode == 0, assessed.stderr
    assert json.loads(assessed.stdout) == expected_assessment

    # Restoring again into the now-filled instance is refused, naming why.
    again = _joinedup(env, "restore", str(archive))
    assert again.returncode == 1
    assert "not empty" in again.stderr and "user accounts" in again.stderr
    if postgres:
        import psycopg

        with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "joinedup_restore_{os.getpid()}" WITH (FORCE)')


def _rewrite(archive: Path, damaged: Path, change: str) -> None:
    """A copy of `archive` with one member's bytes changed (keeping the manifest) or truncated."""
    if change == "truncated":
        data = archive.read_bytes()
        damaged.write_bytes(data[: len(data) // 2])
        return
    with tarfile.open(archive) as source, tarfile.open(damaged, "w") as out:
        for member in source.getmembers():
            handle = source.extractfile(member)
            data = handle.read() if handle else b""
            if member.name == "files/csp/assessment.pdf":
                data = data.replace(b"published", b"PUBLISHED")
            member.size = len(data)
            import io

            out.addfile(member, io.BytesIO(data))


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("change", ["changed", "truncated"])
def test_restore_refuses_a_damaged_archive_and_changes_nothing(
    settings: Any, tmp_path: Path, make_user: Any, change: str
) -> None:
    from joinedup.core.backup import create_backup

    _use_data_dir(settings, tmp_path / "source")
    make_user(email="officer@example.org")
    document = tmp_path / "source" / "files" / "csp" / "assessment.pdf"
    document.parent.mkdir(parents=True)
    document.write_bytes(b"%PDF-1.7 a published assessment")
    archive = tmp_path / "backup.tar"
    create_backup(archive)
    damaged = tmp_path / "damaged.tar"
    _rewrite(archive, damaged, change)

    target = tmp_path / "restored"
    env = _env(target, f"sqlite:///{tmp_path / 'restored.sqlite3'}")
    refused = _joinedup(env, "restore", str(damaged))
    assert refused.returncode == 1
    assert "damaged" in refused.stderr
    if change == "changed":
        assert "checksums differ for files/csp/assessment.pdf" in refused.stderr
    assert not (target / "files").exists()
    database = tmp_path / "restored.sqlite3"
    if database.exists():
        with sqlite3.connect(database) as opened:
            assert opened.execute("SELECT count(*) FROM sqlite_master WHERE type='table'").fetchone()[0] == 0


@pytest.mark.django_db
def test_restore_refuses_an_instance_that_is_not_empty(settings: Any, tmp_path: Path, make_user: Any) -> None:
    from joinedup.core.backup import BackupError, create_backup, restore_backup

    _use_data_dir(settings, tmp_path / "data")
    make_user(email="officer@example.org")
    archive = tmp_path / "backup.tar"
    create_backup(archive)
    with pytest.raises(BackupError, match="not empty: the database has user accounts"):
        restore_backup(archive)


@pytest.mark.django_db
def test_expired_uploads_are_removed_but_an_unfinished_import_keeps_its_file(
    settings: Any, tmp_path: Path
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from joinedup.core.backup import remove_expired_uploads
    from joinedup.insight.models import ImportStatus, PoliceDataImport

    _use_data_dir(settings, tmp_path / "data")
    settings.JOINEDUP_UPLOAD_RETENTION_DAYS = 30
    uploads = tmp_path / "data" / "files" / "insight" / "uploads"
    now = timezone.now()

    def upload(name: str, days_old: int) -> Path:
        folder = uploads / name
        folder.mkdir(parents=True)
        (folder / "download.zip").write_bytes(b"PK")
        stamp = time.time() - days_old * 86400
        os.utime(folder / "download.zip", (stamp, stamp))
        return folder

    old, recent = upload("old", 45), upload("recent", 10)
    assert remove_expired_uploads(now=now) == ["old"]
    assert not old.exists() and recent.exists()

    # A queued import that started 60 days ago (the worker was down): its file, and older ones near it, stay.
    waiting = upload("waiting", 61)
    PoliceDataImport.objects.create(
        source="Upload: download.zip", status=ImportStatus.QUEUED, started_at=now - timedelta(days=60)
    )
    ancient = upload("ancient", 90)
    assert remove_expired_uploads(now=now) == ["ancient"]
    assert not ancient.exists() and waiting.exists() and recent.exists()
