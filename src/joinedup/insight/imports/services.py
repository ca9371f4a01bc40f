"""Every write of insight's imports: a data.police.uk download uploaded in the staff site, and the reference
data the assessment needs beside the crime store (IMD 2019 by LSOA and Crime Severity weights). The import
of police data itself is `insight.imports.importer`.

Uploads are stored through Django's default storage (the data directory, or object storage shared by every
server: docs/adr/0027) under `insight/uploads/<id>/`, then imported by a background task
(insight.tasks.run_police_import), on whichever server runs it.

Both reference imports replace the whole table in one transaction, are recorded as a core `ReferenceImport`
(visible with the other reference imports) and in the event log.

Severity weights (`import_severity`): the published ONS Crime Severity Score weights are per Home Office
offence, but data.police.uk street rows carry only one of 14 broad categories. A file that maps offences to
police.uk categories (columns `ONS_SEVERITY_code`, `ONS_SEVERITY_weight`, `POLICE_UK_CAT_MAP_category`) is
reduced to one weight per category: the **median** of the distinct offences' weights (each ONS offence
counted once however many Home Office codes map to it). The mean, minimum and maximum are stored too, so
the spread is visible. Anti-social behaviour is not a crime and has no weight.
"""

from __future__ import annotations

import errno
import hashlib
import re
import statistics
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from joinedup.core.audit import record_event
from joinedup.core.csvfile import CsvFileError, read_csv
from joinedup.core.files import delete_tree, files, walk
from joinedup.core.models import EventType, ReferenceImport
from joinedup.core.permissions import has_permission
from joinedup.core.services.errors import NotAllowed
from joinedup.core.services.validation import Errors, add_error
from joinedup.insight import store
from joinedup.insight.models import DeprivationIndex, ImportStatus, PoliceDataImport, SeverityWeight

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


# --- reference data ---------------------------------------------------------------------------------

SEVERITY_COLUMNS = ("ONS_SEVERITY_code", "ONS_SEVERITY_weight", "POLICE_UK_CAT_MAP_category")
IMD_COLUMNS = ("lsoa11cd", "IMDRank", "IMDDecil")
CRIME_TYPE_BY_KEY = {name.casefold(): name for name in store.CRIME_TYPES}


@dataclass
class ReferenceResult:
    record: ReferenceImport
    summary: str


def _read(path: Path) -> tuple[list[dict[str, str]], str, list[str]]:
    """The file's rows, read strictly (joinedup.core.csvfile): a broken file is refused naming its line and
    column."""
    data = Path(path).read_bytes()
    try:
        table = read_csv(data, file=Path(path).name, strip=False)
    except CsvFileError as exc:
        raise ValidationError({"file": [str(p) for p in exc.problems]}) from None
    if table.problems:
        raise ValidationError({"file": [str(p) for p in table.problems]})
    return [row.values for row in table.rows], hashlib.sha256(data).hexdigest(), table.header


def _missing_columns(found: list[str], wanted: tuple[str, ...]) -> None:
    missing = [c for c in wanted if c not in found]
    if missing:
        raise ValidationError({"file": f"The file has no column {', '.join(missing)}."})


def derive_severity(rows: list[dict[str, str]]) -> tuple[dict[str, dict[str, Any]], list[str]]:
    """{crime type: {weight, mean_weight, min_weight, max_weight, offences}}, and the problems found."""
    offences: dict[str, dict[str, float]] = {}
    problems = []
    for number, row in enumerate(rows, start=2):
        category = (row.get("POLICE_UK_CAT_MAP_category") or "").strip()
        crime_type = CRIME_TYPE_BY_KEY.get(category.casefold())
        if crime_type is None:
            problems.append(f"line {number}: {category!r} is not a data.police.uk crime type")
            continue
        try:
            weight = float(row["ONS_SEVERITY_weight"])
        except (TypeError, ValueError):
            problems.append(f"line {number}: weight {row.get('ONS_SEVERITY_weight')!r} is not a number")
            continue
        code = (row.get("ONS_SEVERITY_code") or "").strip() or f"line {number}"
        offences.setdefault(crime_type, {})[code] = weight
    derived = {}
    for crime_type, weights in offences.items():
        values = list(weights.values())
        derived[crime_type] = {
            "weight": statistics.median(values),
            "mean_weight": statistics.fmean(values),
            "min_weight": min(values),
            "max_weight": max(values),
            "offences": len(values),
        }
    return derived, problems


def _replace_reference(
    model: type[SeverityWeight] | type[DeprivationIndex],
    objects: list[Any],
    *,
    kind: str,
    path: Path,
    digest: str,
    rows: int,
    started: datetime,
    actor_label: str,
    counts: dict[str, int],
    detail: dict[str, int],
    batch_size: int | None = None,
) -> ReferenceImport:
    """Put `objects` in place of the whole reference table `model`, and record the file they came from, in
    one transaction, so a failed import leaves the reference as it was."""
    with transaction.atomic():
        model.objects.all().delete()
        model.objects.bulk_create(objects, batch_size=batch_size)
        record = ReferenceImport.objects.create(
            kind=kind,
            source=str(path)[:500],
            files=[{"name": Path(path).name, "sha256": digest, "rows": rows}],
            counts=counts,
            imported_by=actor_label,
            started_at=started,
            finished_at=timezone.now(),
        )
        record_event(EventType.DATA_IMPORTED, obj=record, detail={"kind": kind, **detail})
    return record


def import_severity(path: Path, *, actor_label: str = "") -> ReferenceResult:
    started = timezone.now()
    rows, digest, columns = _read(path)
    _missing_columns(columns, SEVERITY_COLUMNS)
    derived, problems = derive_severity(rows)
    if not derived:
        raise ValidationError({"file": "No row maps a weight to a data.police.uk crime type."})
    record = _replace_reference(
        SeverityWeight,
        [SeverityWeight(crime_type=k, **v) for k, v in derived.items()],
        kind="crime_severity_weights",
        path=path,
        digest=digest,
        rows=len(rows),
        started=started,
        actor_label=actor_label,
        counts={"crime_types": len(derived), "rows": len(rows), "rows_skipped": len(problems)},
        detail={"crime_types": len(derived), "skipped": len(problems)},
    )
    lines = [f"Derived Crime Severity weights for {len(derived)} crime types from {len(rows)} rows:"]
    lines += [
        f"  {k}: median {v['weight']:.1f} (mean {v['mean_weight']:.1f}, {v['offences']} offences)"
        for k, v in sorted(derived.items())
    ]
    lines += [f"  skipped {p}" for p in problems]
    return ReferenceResult(record, "\n".join(lines))


def import_deprivation(path: Path, *, actor_label: str = "") -> ReferenceResult:
    started = timezone.now()
    rows, digest, columns = _read(path)
    _missing_columns(columns, IMD_COLUMNS)
    keep: list[DeprivationIndex] = []
    missing = bad = 0
    for row in rows:
        try:
            rank, decile = int(row["IMDRank"]), int(row["IMDDecil"])
        except (TypeError, ValueError):
            bad += 1
            continue
        if rank == 0 or decile == 0:  # Welsh LSOAs: 0 is the file's "not in the English index"
            missing += 1
            continue
        if not 1 <= decile <= 10 or rank < 0:
            bad += 1
            continue
        keep.append(DeprivationIndex(lsoa_code=row["lsoa11cd"].strip(), rank=rank, decile=decile))
    if not keep:
        raise ValidationError({"file": "No LSOA in the file has an IMD rank and decile."})
    counts = {"lsoas": len(keep), "missing": missing, "unreadable": bad}
    record = _replace_reference(
        DeprivationIndex,
        keep,
        kind="imd2019",
        path=path,
        digest=digest,
        rows=len(rows),
        started=started,
        actor_label=actor_label,
        counts=counts,
        detail=counts,
        batch_size=2000,
    )
    summary = (
        f"Imported IMD 2019 for {len(keep):,} LSOAs; {missing:,} without a rank (0 in the file: Welsh LSOAs), "
        f"{bad:,} unreadable."
    )
    return ReferenceResult(record, summary)
