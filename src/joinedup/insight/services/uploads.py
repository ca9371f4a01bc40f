"""Uploading a data.police.uk download in the staff site: stored through Django's default storage (the
data directory, or object storage shared by every server: docs/adr/0027) under `insight/uploads/<id>/`,
then imported by a background task (insight.tasks.run_police_import), on whichever server runs it."""

from __future__ import annotations

import errno
import re
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from joinedup.core.audit import record_event
from joinedup.core.files import delete_tree, files, walk
from joinedup.core.models import EventType
from joinedup.core.permissions import has_permission
from joinedup.core.services.errors import NotAllowed
from joinedup.core.services.validation import Errors, add_error
from joinedup.insight.models import ImportStatus, PoliceDataImport

MAX_UPLOAD_BYTES = int(getattr(settings, "JOINEDUP_MAX_UPLOAD_BYTES", 2 * 1024**3))
DISK_FULL = (
    "The server has no disk space left to store this file, so nothing was uploaded. Tell your "
    "administrator, and upload it again once space has been freed."
)
ALLOWED_SUFFIXES = (".zip", ".csv")
FORCE_SLUG = re.compile(r"^[a-z0-9-]{1,60}$")


UPLOADS = "insight/uploads"  # in the default storage; an import records "uploads/<id>" as its upload_dir
UPLOAD_DIR = re.compile(r"^uploads/[A-Za-z0-9_-]{1,64}$")


def _safe_name(name: str) -> str:
    base = Path(name.replace("\\", "/")).name
    return re.sub(r"[^A-Za-z0-9._-]+", "-", base).strip(".-") or "upload"


def queue_upload(*, actor: Any, upload: Any, force: str = "") -> PoliceDataImport:
    """Store an uploaded ZIP or CSV and queue its import; returns the import record (status queued).

    Raises ValidationError listing every problem: no file, not a .zip or .csv, empty or too large, a force
    that is not a data.police.uk force slug (lower-case letters, digits and hyphens)."""
    errors: Errors = {}
    force = (force or "").strip().lower()
    name = str(getattr(upload, "name", "") or "") if upload else ""
    if not upload:
        add_error(errors, "file", "Choose a ZIP or CSV file downloaded from data.police.uk.")
    else:
        if Path(name).suffix.lower() not in ALLOWED_SUFFIXES:
            add_error(errors, "file", f"{name or 'The file'} is not a .zip or .csv file.")
        if not upload.size:
            add_error(errors, "file", f"{name or 'The file'} is empty.")
        elif upload.size > MAX_UPLOAD_BYTES:
            add_error(errors, "file", f"{name} is larger than {MAX_UPLOAD_BYTES // 1024**3} GiB.")
    if force and not FORCE_SLUG.match(force):
        add_error(errors, "force", "Give the force as data.police.uk names it, for example northumbria.")
    if errors:
        raise ValidationError(errors)

    upload_dir = f"uploads/{uuid.uuid4().hex}"
    folder = f"insight/{upload_dir}"
    try:
        files().save(f"{folder}/{_safe_name(name)}", upload)
        with transaction.atomic():
            record = PoliceDataImport.objects.create(
                status=ImportStatus.QUEUED,
                source=f"Upload: {name}"[:1000],
                stage="Waiting for the task worker",
                imported_by=actor if getattr(actor, "is_authenticated", False) else None,
                imported_by_label=getattr(actor, "email", "") or "",
                upload_dir=upload_dir,
                upload_force=force,
            )
            transaction.on_commit(lambda: _enqueue(record.pk))
    except OSError as exc:
        delete_tree(files(), folder)
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise ValidationError({"file": [DISK_FULL]}) from None
        raise
    except BaseException:
        delete_tree(files(), folder)
        raise
    return record


def upload_folder(record: PoliceDataImport) -> str | None:
    """The storage folder an upload is kept in (None if it is not kept, or the record names another)."""
    if not record.upload_dir or not UPLOAD_DIR.match(record.upload_dir):
        return None
    return f"insight/{record.upload_dir}"


def upload_names(record: PoliceDataImport) -> list[str]:
    """The stored files of an upload (storage names), [] when none is kept."""
    folder = upload_folder(record)
    return list(walk(files(), folder)) if folder else []


def _enqueue(record_id: int) -> None:
    from joinedup.insight.tasks import run_police_import

    record = PoliceDataImport.objects.get(pk=record_id)
    result = run_police_import.enqueue(record_id, upload_names(record), record.upload_force)
    PoliceDataImport.objects.filter(pk=record_id).update(task_id=str(result.id))


def retry_upload(*, actor: Any, record: PoliceDataImport) -> PoliceDataImport:
    """Queue a failed upload's import again (its file is kept until it is imported or cancelled)."""
    if not has_permission(actor, "insight.import"):
        raise NotAllowed("You may not import police data.")
    if record.status != ImportStatus.FAILED or not upload_names(record):
        raise ValidationError("Only a failed upload whose file is still kept can be imported again.")
    with transaction.atomic():
        updated = PoliceDataImport.objects.filter(pk=record.pk, status=ImportStatus.FAILED).update(
            status=ImportStatus.QUEUED,
            stage="Waiting for the task worker",
            progress=0,
            error="",
            finished_at=None,
        )
        if not updated:
            raise ValidationError("The import has changed since you looked at it: reload the page.")
        record_event(
            EventType.DATA_IMPORTED, actor=actor, obj=record, detail={"kind": "police_data", "retry": True}
        )
        transaction.on_commit(lambda: _enqueue(record.pk))
    record.refresh_from_db()
    return record


def cancel_upload(*, actor: Any, record: PoliceDataImport) -> PoliceDataImport:
    """Cancel a queued upload, or give up a failed one: its task is dropped and its file removed."""
    from django_tasks_db.models import DBTaskResult

    if not has_permission(actor, "insight.import"):
        raise NotAllowed("You may not import police data.")
    if not record.can_cancel:
        raise ValidationError("Only a queued or failed upload can be cancelled.")
    with transaction.atomic():
        updated = PoliceDataImport.objects.filter(
            pk=record.pk, status__in=[ImportStatus.QUEUED, ImportStatus.FAILED]
        ).update(
            status=ImportStatus.CANCELLED,
            stage="Cancelled: nothing was changed",
            finished_at=timezone.now(),
            upload_dir="",
        )
        if not updated:
            raise ValidationError(
                "The import has started since you looked at it: it can no longer be cancelled."
            )
        if record.task_id:
            DBTaskResult.objects.filter(pk=record.task_id, status="READY").delete()
        record_event(
            EventType.DATA_IMPORTED,
            actor=actor,
            obj=record,
            detail={"kind": "police_data", "cancelled": True},
        )
    folder = upload_folder(record)
    if folder is not None:
        delete_tree(files(), folder)
    record.refresh_from_db()
    return record
