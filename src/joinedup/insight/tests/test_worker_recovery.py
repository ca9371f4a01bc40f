"""Issue 13's reproduction: a worker killed during an uploaded police data import left it "Running 25%" for
ever, with its staging files. Here a real `joinedup worker` process is killed (SIGKILL) in the middle of an
import; the next worker to start fails the import with the reason and removes its staging folder."""

from __future__ import annotations

import io
import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
import zipfile
from pathlib import Path

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult, get_date_max

from joinedup.core.tests.factories import UserFactory
from joinedup.insight.models import ImportStatus, PoliceDataImport

from .test_importer import STREET

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        bool(os.environ.get("DATABASE_URL")),
        reason="the worker processes share a copy of the SQLite database",
    ),
]

ROWS = 600_000
TIMEOUT = 180


def big_download(path: Path) -> None:
    """A data.police.uk-like ZIP large enough to take the worker a few seconds (random crime IDs keep it
    compressing like a real download, well inside the ZIP ratio cap)."""
    text = io.StringIO()
    text.write(STREET + "\n")
    for n in range(ROWS):
        text.write(
            f"{uuid.uuid4().hex}{n:08d},2023-01,Testshire Police,Testshire Police,-1.5,54.9,"
            f"On or near High Street,E0100{n % 1000:04d},Some LSOA,Burglary,Under investigation,\n"
        )
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("2023-01/2023-01-testshire-street.csv", text.getvalue())


def query(db: Path, sql: str, *args: object) -> list[tuple[object, ...]]:
    with sqlite3.connect(db, timeout=30) as con:
        return con.execute(sql, args).fetchall()


def start_worker(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as output:  # the child keeps its own copy of the file descriptor
        return subprocess.Popen(
            [sys.executable, "-m", "joinedup.config.cli", "worker"],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )


def wait_for(condition, what: str, process: subprocess.Popen[bytes], log: Path) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        if condition():
            return
        if process.poll() is not None:
            break
        time.sleep(0.05)
    raise AssertionError(f"Timed out waiting for {what}. Worker output:\n{log.read_text()[-4000:]}")


def test_a_worker_killed_mid_import_leaves_it_failed_with_its_reason_and_no_staging(tmp_path):
    data_dir = tmp_path / "data"
    upload = data_dir / "insight" / "uploads" / "u1"
    upload.mkdir(parents=True)
    big_download(upload / "northumbria.zip")
    record = PoliceDataImport.objects.create(
        status=ImportStatus.QUEUED,
        source="Upload: northumbria.zip",
        stage="Waiting for the task worker",
        imported_by=UserFactory(),
        upload_dir="uploads/u1",
    )
    task = DBTaskResult.objects.create(
        args_kwargs={"args": [record.pk, [str(upload / "northumbria.zip")], ""], "kwargs": {}},
        task_path="joinedup.insight.tasks.run_police_import",
        backend_name="default",
        run_after=get_date_max(),
    )
    PoliceDataImport.objects.filter(pk=record.pk).update(task_id=str(task.pk))
    # The worker processes use a copy of this test's database, in a file.
    db = tmp_path / "joinedup.sqlite3"
    with sqlite3.connect(db) as target:
        connection.ensure_connection()
        connection.connection.backup(target)  # type: ignore[union-attr]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "joinedup.config.settings",
        "JOINEDUP_ENV": "local",
        "JOINEDUP_DATA_DIR": str(data_dir),
        "DATABASE_URL": f"sqlite:///{db}",
        "SECRET_KEY": "worker-recovery-test",
    }
    staging = data_dir / "insight" / "tmp"
    log = tmp_path / "worker.log"

    def status() -> str:
        return str(query(db, "SELECT status FROM insight_policedataimport WHERE id = ?", record.pk)[0][0])

    first = start_worker(env, log)
    try:
        wait_for(
            lambda: status() == "running" and any(staging.glob(f"import-{record.pk}-*/csv/*")),
            "the import to be running with its staging folder",
            first,
            log,
        )
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
    # What the issue saw: running for ever, staging left behind.
    assert status() == "running"
    assert any(staging.glob(f"import-{record.pk}-*"))

    second = start_worker(env, log)
    try:
        # The import is marked failed first, then its staging removed: wait for both (under load the
        # removal can come a moment after the status), then stop the worker.
        wait_for(
            lambda: status() == "failed" and not any(staging.glob(f"import-{record.pk}-*")),
            "the import to be failed and its staging folder removed",
            second,
            log,
        )
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=60)
    error, stage = query(db, "SELECT error, stage FROM insight_policedataimport WHERE id = ?", record.pk)[0]
    assert "Stopped before it finished" in str(error) and f"({first.pid}) ended" in str(error)
    assert stage == "Failed: nothing was changed"
    assert not any(staging.glob(f"import-{record.pk}-*")), "the staging folder is removed"
    assert (upload / "northumbria.zip").exists(), "the upload is kept so that it can be imported again"
    [(task_status, traceback)] = query(
        db, "SELECT status, traceback FROM django_tasks_database_dbtaskresult WHERE id = ?", task.pk.hex
    )
    assert task_status == "FAILED" and "WorkerStopped" in str(traceback)
    # The second worker stopped cleanly and says so; the first never did.
    assert query(db, "SELECT COUNT(*) FROM core_workerheartbeat WHERE stopped_at IS NOT NULL")[0][0] == 1
