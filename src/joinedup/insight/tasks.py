"""Background tasks: a police data import started from the staff site (`joinedup worker` runs them)."""

from __future__ import annotations

import logging
import time
from pathlib import Path

from django_tasks import task

from joinedup.insight.models import PoliceDataImport

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


@task()
def run_police_import(import_id: int, paths: list[str], force: str = "") -> None:
    """Run a queued import. A failure is recorded on the import (status failed, with the reason)."""
    from joinedup.insight.services.importer import PoliceImportError, import_police_data

    record = PoliceDataImport.objects.get(pk=import_id)
    logger.info("police data import started", extra={"import_id": import_id, "files": len(paths)})
    try:
        import_police_data(
            [Path(p) for p in paths],
            actor=record.imported_by,
            force=force or None,
            progress=ProgressRecorder(import_id),
            record=record,
        )
    except PoliceImportError:
        return
    from joinedup.insight.summary import prepare_current

    PoliceDataImport.objects.filter(pk=import_id).update(stage="Preparing the summary for assessments")
    prepare_current()
    PoliceDataImport.objects.filter(pk=import_id).update(stage="Finished", progress=100)
