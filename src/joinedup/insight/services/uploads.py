"""Uploading a data.police.uk download in the staff site: stored under the data directory, then imported
by a background task (insight.tasks.run_police_import)."""

from __future__ import annotations

import re
import shutil
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from joinedup.core.services.validation import Errors, add_error
from joinedup.insight import store
from joinedup.insight.models import ImportStatus, PoliceDataImport

MAX_UPLOAD_BYTES = int(getattr(settings, "JOINEDUP_MAX_UPLOAD_BYTES", 2 * 1024**3))
ALLOWED_SUFFIXES = (".zip", ".csv")
FORCE_SLUG = re.compile(r"^[a-z0-9-]{1,60}$")


def uploads_dir() -> Path:
    return store.root() / "uploads"


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

    folder = uploads_dir() / uuid.uuid4().hex
    folder.mkdir(parents=True)
    target = folder / _safe_name(name)
    try:
        with open(target, "wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        with transaction.atomic():
            record = PoliceDataImport.objects.create(
                status=ImportStatus.QUEUED,
                source=f"Upload: {name}"[:1000],
                stage="Waiting for the task worker",
                imported_by=actor if getattr(actor, "is_authenticated", False) else None,
                imported_by_label=getattr(actor, "email", "") or "",
            )
            transaction.on_commit(lambda: _enqueue(record.pk, target, force))
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return record


def _enqueue(record_id: int, path: Path, force: str) -> None:
    from joinedup.insight.tasks import run_police_import

    run_police_import.enqueue(record_id, [str(path)], force)
