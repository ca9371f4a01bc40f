"""Background tasks for casework (django-tasks; `joinedup worker` runs them)."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from joinedup.core.services.work import fail_import_job, on_abandoned


@task()
def anonymise_closed_cases() -> str:
    """The retention rule: anonymise closed cases past the retention period (see casework/retention/services.py).

    Enqueue it daily (`anonymise_closed_cases.enqueue()`), or call `joinedup casework retention` from cron."""
    from .retention.services import anonymise_closed_cases as run

    return run().summary()


@task()
def run_incident_import(job_id: int) -> None:
    """Check and record a large incident CSV queued from the import page or the API (casework/imports/services.py)."""
    from .imports.services import run_import_job

    run_import_job(job_id)


@on_abandoned("joinedup.casework.tasks.run_incident_import")
def incident_import_abandoned(args: list[Any], kwargs: dict[str, Any], reason: str) -> None:
    """Its worker died: nothing was recorded (the rows are recorded in one transaction); the job fails with
    the reason and its file is dropped."""
    job_id = int(args[0] if args else kwargs["job_id"])
    fail_import_job(job_id, f"{reason} Upload the file again.")
