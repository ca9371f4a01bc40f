"""Background tasks (`joinedup worker` runs them): a police data import started from the staff site, and the
document of a newly published assessment."""

from __future__ import annotations

import logging
import os
import shutil
import time
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.utils import timezone
from django_tasks import task

from joinedup.core.services.work import cleaner, on_abandoned
from joinedup.insight import store
from joinedup.insight.models import ImportStatus, PoliceDataImport

logger = logging.getLogger(__name__)

# Share of the progress bar each stage of an import fills (reading the files is nearly all of the work).
STAGES = {"Reading and writing": (0, 95), "Recording": (95, 100)}
MIN_SECONDS_BETWEEN_UPDATES = 1.0


class ProgressRecorder:
    """Writes an import's stage and percentage to its record, at most once a second (and at each new
    stage), so the import page can show it while the task runs."""

    def __init__(self, record_id: int) -> None:
        self.record_id = record_id
        self.last_stage = ""
        self.last_write = 0.0

    def __call__(self, stage: str, done: int, total: int) -> None:
        start, end = STAGES.get(stage, (0, 100))
        percent = start + (end - start) * done // max(total, 1)
        now = time.monotonic()
        if stage == self.last_stage and now - self.last_write < MIN_SECONDS_BETWEEN_UPDATES and done < total:
            return
        self.last_stage, self.last_write = stage, now
        label = (
            f"{stage} ({done:,} of {total:,} files)"
            if stage == "Reading and writing" and total > 1
            else stage
        )
        PoliceDataImport.objects.filter(pk=self.record_id).update(
            stage=label[:100], progress=min(percent, 100)
        )


def upload_paths(names: list[str], download: Path) -> list[Path]:
    """Files on this server's disk for the upload's stored names: read in place from the local data
    directory, downloaded into `download` (removed after the import) from object storage. An absolute
    path (a task queued before uploads went through storage) is read where it is."""
    from joinedup.core.files import download as fetch
    from joinedup.core.files import files, local_path

    paths = []
    for name in names:
        if os.path.isabs(name):
            paths.append(Path(name))
            continue
        path = local_path(files(), name)
        paths.append(path if path is not None else fetch(files(), name, download / name.rsplit("/", 1)[-1]))
    return paths


@task()
def run_police_import(import_id: int, paths: list[str], force: str = "") -> None:
    """Run a queued import. A failure is recorded on the import (status failed, with the reason)."""
    from joinedup.insight.imports.importer import PoliceImportError, import_police_data

    # Only a queued import starts (one cancelled meanwhile does not).
    if not PoliceDataImport.objects.filter(pk=import_id, status=ImportStatus.QUEUED).update(
        status=ImportStatus.RUNNING, stage="Starting", started_at=timezone.now()
    ):
        return
    record = PoliceDataImport.objects.get(pk=import_id)
    logger.info("police data import started", extra={"import_id": import_id, "files": len(paths)})
    download = store.tmp_dir() / f"import-{import_id}-upload-{uuid.uuid4().hex[:8]}"
    try:
        import_police_data(
            upload_paths(paths, download),
            actor=record.imported_by,
            force=force or None,
            progress=ProgressRecorder(import_id),
            record=record,
        )
    except PoliceImportError:
        return
    finally:
        shutil.rmtree(download, ignore_errors=True)
    from joinedup.insight.summary import prepare_current

    PoliceDataImport.objects.filter(pk=import_id).update(stage="Preparing the summary for assessments")
    prepare_current()
    PoliceDataImport.objects.filter(pk=import_id).update(stage="Finished", progress=100)


@task()
def prepare_assessment_document(assessment_id: int, version: int) -> None:
    """Render and keep a saved assessment's PDF, so its first download is a file read. Does nothing if the
    record has changed since (the change that raised its version queues its own)."""
    from joinedup.insight.documents import saved_document
    from joinedup.insight.models import SavedAssessment

    record = SavedAssessment.objects.filter(pk=assessment_id, version=version).first()
    if record is not None:
        saved_document(record)


@on_abandoned("joinedup.insight.tasks.run_police_import")
def police_import_abandoned(args: list[Any], kwargs: dict[str, Any], reason: str) -> None:
    """The worker running an upload's import died: the import failed (the store is as it was, since a
    generation is switched in only at the end); its staging folder goes, its upload stays for a retry."""
    import_id = int(args[0] if args else kwargs["import_id"])
    PoliceDataImport.objects.filter(
        pk=import_id, status__in=[ImportStatus.QUEUED, ImportStatus.RUNNING]
    ).update(
        status=ImportStatus.FAILED,
        stage="Failed: nothing was changed",
        error=reason,
        finished_at=timezone.now(),
    )
    for folder in store.tmp_dir().glob(f"import-{import_id}-*"):
        shutil.rmtree(folder, ignore_errors=True)


@cleaner
def remove_stale_staging() -> None:
    """Staging of imports no longer running (left by a worker or command that died), and uploads no import
    keeps."""
    running = set(PoliceDataImport.objects.filter(status=ImportStatus.RUNNING).values_list("pk", flat=True))
    for folder in store.tmp_dir().glob("import-*"):
        parts = folder.name.split("-")
        if len(parts) > 1 and parts[1].isdigit() and int(parts[1]) not in running:
            shutil.rmtree(folder, ignore_errors=True)
    from joinedup.core.files import delete_tree, files, walk
    from joinedup.insight.imports.services import UPLOADS

    kept = set(PoliceDataImport.objects.exclude(upload_dir="").values_list("upload_dir", flat=True))
    storage = files()
    try:
        folders, _names = storage.listdir(UPLOADS)
    except FileNotFoundError:
        return
    cutoff = timezone.now() - timedelta(hours=1)  # an upload being written has no record yet
    for upload in folders:
        if f"uploads/{upload}" in kept:
            continue
        stored = list(walk(storage, f"{UPLOADS}/{upload}"))
        if all(storage.get_modified_time(name) < cutoff for name in stored):
            delete_tree(storage, f"{UPLOADS}/{upload}")
