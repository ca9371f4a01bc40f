"""Uploaded imports that fail or are abandoned: failed with the reason, staging removed, retry and cancel;
ZIPs capped before extraction (issue 13)."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from joinedup.core.models import Area, WorkerHeartbeat
from joinedup.core.roles import Role
from joinedup.core.services.work import recover_abandoned_work
from joinedup.core.testing import use_data_dir
from joinedup.insight import store
from joinedup.insight.imports.importer import PoliceImportError, import_police_data
from joinedup.insight.models import ImportStatus, PoliceDataImport
from joinedup.insight.tests.test_importer import STREET, street_row

pytestmark = pytest.mark.django_db


@pytest.fixture
def data_dir(tmp_path: Path, settings: Any) -> Path:
    return use_data_dir(settings, tmp_path / "var")


def uploaded(data_dir: Path, status: str = ImportStatus.RUNNING) -> PoliceDataImport:
    folder = data_dir / "files" / "insight" / "uploads" / "abc"
    folder.mkdir(parents=True)
    rows = [STREET, street_row("a1", "2023-01", "E01900001")]
    (folder / "2023-01-testshire-street.csv").write_text("\n".join(rows) + "\n")
    return PoliceDataImport.objects.create(
        status=status,
        source="Upload: x.csv",
        stage="Reading and writing",
        progress=25,
        upload_dir="uploads/abc",
    )


def running_task(record: PoliceDataImport, worker: str) -> DBTaskResult:
    task = DBTaskResult.objects.create(
        args_kwargs={"args": [record.pk, [], ""], "kwargs": {}},
        task_path="joinedup.insight.tasks.run_police_import",
        backend_name="default",
        run_after=get_date_max(),
        status="RUNNING",
        worker_ids=[worker],
    )
    PoliceDataImport.objects.filter(pk=record.pk).update(task_id=str(task.pk))
    return task


def test_an_import_whose_worker_went_silent_is_failed_with_the_reason_and_its_staging_removed(data_dir):
    record = uploaded(data_dir)
    staging = store.tmp_dir() / f"import-{record.pk}-g1" / "csv"
    staging.mkdir(parents=True)
    (staging / "00000.csv").write_bytes(b"x" * 1000)
    WorkerHeartbeat.objects.create(
        worker_id="w-dead", hostname="another-server", pid=1, last_seen=timezone.now() - timedelta(minutes=5)
    )
    task = running_task(record, "w-dead")
    lines = recover_abandoned_work()
    assert len(lines) == 1
    record.refresh_from_db()
    assert record.status == ImportStatus.FAILED and record.can_retry and record.can_cancel
    assert "has not been heard from since" in record.error
    assert not staging.parent.exists()
    task.refresh_from_db()
    assert task.status == "FAILED" and "WorkerStopped" in task.exception_class_path


def test_an_import_whose_worker_is_alive_is_left_running(data_dir):
    record = uploaded(data_dir)
    WorkerHeartbeat.objects.create(worker_id="w-alive", hostname="another-server", pid=1)
    running_task(record, "w-alive")
    assert recover_abandoned_work() == []
    record.refresh_from_db()
    assert record.status == ImportStatus.RUNNING


def test_staging_left_by_imports_no_longer_running_is_removed(data_dir):
    done = PoliceDataImport.objects.create(status=ImportStatus.FAILED, source="x")
    running = PoliceDataImport.objects.create(status=ImportStatus.RUNNING, source="y")
    (store.tmp_dir() / f"import-{done.pk}-g1").mkdir()
    (store.tmp_dir() / f"import-{running.pk}-g2").mkdir()
    recover_abandoned_work()
    assert [p.name for p in store.tmp_dir().iterdir()] == [f"import-{running.pk}-g2"]


def test_a_failed_upload_is_retried_and_imports(
    areas: dict[str, Area],
    data_dir: Path,
    client_for: Callable[[str], Client],
    django_capture_on_commit_callbacks: Any,
) -> None:
    record = uploaded(data_dir, status=ImportStatus.FAILED)
    client = client_for(Role.ANALYST)
    page = client.get(f"/staff/insight/imports/{record.pk}/").content.decode()
    assert "Import it again" in page and "Give up and remove the file" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/staff/insight/imports/{record.pk}/retry/")
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.status == ImportStatus.SUCCEEDED, record.error
    assert record.rows_accepted == 1


def test_a_failed_upload_is_cancelled_and_its_file_removed(
    data_dir: Path, client_for: Callable[[str], Client]
) -> None:
    record = uploaded(data_dir, status=ImportStatus.FAILED)
    response = client_for(Role.ANALYST).post(f"/staff/insight/imports/{record.pk}/cancel/")
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.status == ImportStatus.CANCELLED and not record.upload_dir
    assert not (data_dir / "files" / "insight" / "uploads" / "abc").exists()
    # A cancelled import cannot be retried.
    client_for(Role.ANALYST).post(f"/staff/insight/imports/{record.pk}/retry/")
    record.refresh_from_db()
    assert record.status == ImportStatus.CANCELLED


def test_a_queued_upload_with_no_worker_warns_on_the_import_pages(
    data_dir: Path, client_for: Callable[[str], Client]
) -> None:
    record = uploaded(data_dir, status=ImportStatus.QUEUED)
    DBTaskResult.objects.create(
        args_kwargs={"args": [record.pk, [], ""], "kwargs": {}},
        task_path="joinedup.insight.tasks.run_police_import",
        backend_name="default",
        run_after=get_date_max(),
    )
    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(minutes=10))
    client = client_for(Role.ANALYST)
    page = client.get(f"/staff/insight/imports/{record.pk}/").content.decode()
    assert "No task worker has been seen yet, so queued imports" in page
    # Any staff page says so while work waits.
    assert "No task worker has been seen" in client.get("/staff/").content.decode()
    # A worker seen a moment ago: no warning.
    WorkerHeartbeat.objects.create(worker_id="w1", hostname="h", pid=1)
    assert "No task worker" not in client.get(f"/staff/insight/imports/{record.pk}/").content.decode()


def zip_of(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_a_zip_bomb_is_refused_before_anything_is_extracted(data_dir: Path, tmp_path: Path) -> None:
    # Reproduction: a 306 KB ZIP expanded to 210 MB with no cap.
    header = (STREET + "\n").encode()
    bomb = zip_of(
        tmp_path / "bomb.zip", {"2023-01/2023-01-testshire-street.csv": header + b"\n" * 20_000_000}
    )
    assert bomb.stat().st_size < 200_000
    with pytest.raises(PoliceImportError, match=r"would expand .* times"):
        import_police_data([bomb])
    assert not any(store.tmp_dir().iterdir())
    assert PoliceDataImport.objects.get().status == ImportStatus.FAILED


def test_a_zip_over_the_uncompressed_cap_is_refused(data_dir: Path, tmp_path: Path, monkeypatch) -> None:
    from joinedup.insight.imports import importer

    monkeypatch.setattr(importer, "MAX_ZIP_UNCOMPRESSED", 1000)
    rows = "\n".join([STREET, *(street_row(f"c{n}", "2023-01", "E01900001") for n in range(50))]).encode()
    archive = zip_of(tmp_path / "big.zip", {"2023-01/2023-01-testshire-street.csv": rows})
    with pytest.raises(PoliceImportError, match=r"would expand to .* GiB"):
        import_police_data([archive])


def test_a_real_sized_download_fits_the_caps(data_dir: Path, tmp_path: Path) -> None:
    rows = [STREET, *(street_row(f"{n:064x}", "2023-01", f"E0190000{n % 3}") for n in range(3000))]
    archive = zip_of(tmp_path / "ok.zip", {"2023-01/2023-01-testshire-street.csv": "\n".join(rows).encode()})
    info = zipfile.ZipFile(archive).infolist()[0]
    assert info.file_size / info.compress_size < 100
    assert import_police_data([archive]).record.rows_read == 3000
