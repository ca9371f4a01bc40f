"""Importing from the staff site: upload a download, the background task runs it, the record page shows
progress while it runs and the result after."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from joinedup.core.models import Area
from joinedup.core.roles import Role
from joinedup.core.testing import use_data_dir
from joinedup.insight import store
from joinedup.insight.models import ImportStatus, PoliceDataImport
from joinedup.insight.tasks import ProgressRecorder
from joinedup.insight.tests.test_importer import STREET, street_row

pytestmark = pytest.mark.django_db

UPLOAD = "/staff/insight/imports/new/"


@pytest.fixture
def data_dir(tmp_path: Path, settings: Any) -> Path:
    return use_data_dir(settings, tmp_path / "var")


def street_csv(name: str = "2023-01-testshire-street.csv") -> SimpleUploadedFile:
    rows = [
        STREET,
        street_row("a1", "2023-01", "E01900001"),
        street_row("a2", "2023-01", "E01900002"),
        "bad,row",
    ]
    return SimpleUploadedFile(name, ("\r\n".join(rows) + "\r\n").encode(), content_type="text/csv")


def test_an_analyst_uploads_a_download_and_the_task_imports_it(
    areas: dict[str, Area],
    data_dir: Path,
    client_for: Callable[[str], Client],
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = client_for(Role.ANALYST)
    page = client.get(UPLOAD)
    assert page.status_code == 200
    assert 'enctype="multipart/form-data"' in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(UPLOAD, {"file": street_csv(), "force": ""})
    record = PoliceDataImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/staff/insight/imports/{record.pk}/"
    # The test settings run tasks at once, so the import has finished by now.
    assert record.status == ImportStatus.SUCCEEDED, record.error
    assert (record.rows_accepted, record.rows_rejected) == (2, 1)
    assert record.progress == 100
    assert record.imported_by is not None and record.imported_by.role == Role.ANALYST
    assert store.months_available() == ["2023-01"]
    # The upload is kept in the default storage (the data directory here) with its own name.
    assert [p.name for p in (data_dir / "files" / "insight" / "uploads").rglob("*.csv")] == [
        "2023-01-testshire-street.csv"
    ]

    detail = client.get(response["Location"])
    text = detail.content.decode()
    assert "Succeeded" in text and "field(s), expected 12" in text
    assert "Refresh" not in detail  # nothing left to wait for


def test_a_queued_import_shows_its_progress_and_refreshes_until_told_not_to(
    areas: dict[str, Area], data_dir: Path, client_for: Callable[[str], Client]
) -> None:
    record = PoliceDataImport.objects.create(status=ImportStatus.QUEUED, source="Upload: x.zip")
    ProgressRecorder(record.pk)("Reading and writing", 50, 100)
    record.refresh_from_db()
    assert record.progress == 47  # reading is 95% of the bar
    assert record.stage == "Reading and writing (50 of 100 files)"

    client = client_for(Role.AUDITOR)
    page = client.get(f"/staff/insight/imports/{record.pk}/")
    text = page.content.decode()
    assert page["Refresh"] == "5"
    assert '<progress id="import-progress" max="100" value="47">' in text
    assert "47% done</strong>: Reading and writing (50 of 100 files)" in text
    still = client.get(f"/staff/insight/imports/{record.pk}/?refresh=off")
    assert "Refresh" not in still
    assert "Update this page" in still.content.decode()
    assert "(47%)" in client.get("/staff/insight/imports/").content.decode()


def test_an_upload_that_is_not_a_download_is_refused_with_every_reason(
    areas: dict[str, Area], data_dir: Path, client_for: Callable[[str], Client]
) -> None:
    client = client_for(Role.OPCC_ADMIN)
    notes = SimpleUploadedFile("notes.txt", b"some notes", content_type="text/plain")
    response = client.post(UPLOAD, {"file": notes, "force": "Not a slug!"})
    text = response.content.decode()
    assert response.status_code == 200
    assert "notes.txt is not a .zip or .csv file." in text
    assert "Give the force as data.police.uk names it" in text
    assert not PoliceDataImport.objects.exists()
    assert not (data_dir / "files" / "insight" / "uploads").exists()

    missing = client.post(UPLOAD, {"force": ""})
    assert "Choose a ZIP or CSV file" in missing.content.decode()
    empty = SimpleUploadedFile("2023-01-x-street.csv", b"", content_type="text/csv")
    assert "The submitted file is empty" in client.post(UPLOAD, {"file": empty}).content.decode()
    assert not PoliceDataImport.objects.exists()


def test_a_failed_background_import_is_recorded_and_changes_nothing(
    areas: dict[str, Area],
    data_dir: Path,
    client_for: Callable[[str], Client],
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = client_for(Role.OPCC_OFFICER)
    broken = SimpleUploadedFile("download.zip", b"PK not really a zip", content_type="application/zip")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(UPLOAD, {"file": broken})
    record = PoliceDataImport.objects.get()
    assert record.status == ImportStatus.FAILED
    assert "not a readable ZIP file" in record.error
    assert store.current_generation() is None
    assert "not a readable ZIP file" in client.get(f"/staff/insight/imports/{record.pk}/").content.decode()
