"""Incident intake from a CSV file: every row checked with the same rules as the form, all or nothing.

The columns are those of `TEMPLATE_HEADER` (download the template from the import page). Every incident
is recorded as reported to the uploader's own organisation. Each row's problems are listed with its line
in the file and its column, every problem of every row at once; if there is any, nothing is saved.
Valid files are recorded row by row through `services.record_incident`, so repeat flags, vulnerability
flags and link suggestions work exactly as at the form (a later row can match an earlier one).
"""

from __future__ import annotations

import csv
import io
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from joinedup.core.audit import record_event
from joinedup.core.csvfile import CsvFileError, column_limits, decode, read_csv
from joinedup.core.models import EventType, ImportJob, ImportJobStatus
from joinedup.core.permissions import has_permission
from joinedup.core.services.errors import NotAllowed
from joinedup.core.services.postcodes import look_up_postcodes
from joinedup.core.services.work import fail_import_job

from .. import services
from ..models import ContactMethod, VulnerabilityIndicator
from ..rules import sharing_read_once

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 2000
# Larger files are checked and recorded by the task worker (about 20 ms a row: see bench/RESULTS.md).
SYNC_ROWS = 200
JOB_KIND = "casework.incidents"
MAX_SUGGESTIONS = 5
LIST_SEPARATOR = ";"

TEMPLATE_HEADER = (
    "received_at",
    "category",
    "address",
    "postcode",
    "latitude",
    "longitude",
    "area",
    "description",
    "informant_name",
    "informant_date_of_birth",
    "informant_phone",
    "informant_email",
    "informant_anonymous",
    "preferred_contact",
    "vulnerability_indicators",
    "perpetrators",
    "case",
)
REQUIRED_COLUMNS = ("received_at", "category", "description")

TEMPLATE_EXAMPLE = {
    "received_at": "2026-11-20 21:40",
    "category": "asb/nuisance/noise",
    "address": "1 Example Street (illustrative)",
    "postcode": "NE1 4ST",
    "latitude": "54.9700",
    "longitude": "-1.6100",
    "area": "",
    "description": "Loud music late at night (illustrative example row: replace it with your own).",
    "informant_name": "Example Resident",
    "informant_date_of_birth": "1950-02-03",
    "informant_phone": "07700 900123",
    "informant_email": "",
    "informant_anonymous": "no",
    "preferred_contact": "phone",
    "vulnerability_indicators": "age; isolation",
    "perpetrators": "Example Person (2001-05-06)",
    "case": "",
}

COLUMN_HELP = {
    "received_at": "Date and time, YYYY-MM-DD HH:MM; not in the future.",
    "category": "A Home Office ASB type (asb/personal/..., asb/nuisance/..., asb/environmental/...) or a "
    "data.police.uk crime type, as in the intake form.",
    "latitude": "WGS84 decimal degrees, inside England and Wales. With longitude, the LSOA is worked out.",
    "area": "ONS code of the LSOA or district; needed when there are no coordinates or they are outside "
    "the loaded LSOA boundaries.",
    "informant_anonymous": "yes or no (empty means no).",
    "preferred_contact": f"One of {', '.join(ContactMethod.values)}, or empty.",
    "vulnerability_indicators": f"Semicolon-separated, from {', '.join(VulnerabilityIndicator.values)}.",
    "perpetrators": "Semicolon-separated, each 'Name' or 'Name (YYYY-MM-DD)' with the date of birth.",
    "case": "An open case to join, as its reference (ASB-000123) or number; empty opens a new case.",
}

# Service error keys → the CSV column they are about ("" is the whole row).
ERROR_COLUMNS = {
    "reporting_organisation": "",
    "informant_name": "informant_name",
    "informant_date_of_birth": "informant_date_of_birth",
    "perpetrators_name": "perpetrators",
    "perpetrators_date_of_birth": "perpetrators",
    "__all__": "",
}
PERPETRATOR = re.compile(r"^(?P<name>[^()]*?)\s*(?:\((?P<dob>[^()]*)\))?$")
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0", ""}


@dataclass(frozen=True)
class RowError:
    line: int  # the line of the file (the header is line 1)
    column: str  # the column heading, or "" for the whole row or file
    message: str


@dataclass
class ImportedRow:
    line: int
    incident: Any
    case: Any
    case_opened: bool
    suggestions: list[str]


@dataclass
class ImportResult:
    file_name: str = ""
    rows: int = 0
    created: list[ImportedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        if self.errors:
            problems = len(self.errors)
            return (
                f"Nothing was imported: {problems} problem{'s' if problems != 1 else ''} "
                f"in {self.rows} row{'s' if self.rows != 1 else ''}."
            )
        opened = sum(1 for row in self.created if row.case_opened)
        count = len(self.created)
        return (
            f"Imported {count} incident{'s' if count != 1 else ''}: {opened} opened a new case, "
            f"{count - opened} joined an open case."
        )


def template_csv() -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(TEMPLATE_HEADER)
    writer.writerow([TEMPLATE_EXAMPLE.get(column, "") for column in TEMPLATE_HEADER])
    return out.getvalue()


def _read_bytes(file: IO[Any] | Any) -> bytes | str:
    raw = file.read(MAX_BYTES + 1)
    return raw if isinstance(raw, str) else bytes(raw)


def _limits() -> dict[str, int]:
    from ..models import Incident, Person

    return {
        **column_limits(Incident, {c: c for c in ("category", "address", "postcode", "description")}),
        **column_limits(Person, {"informant_name": "full_name", "informant_phone": "phone"}),
        "informant_email": 254,
        "area": 20,
        "received_at": 40,
        "latitude": 40,
        "longitude": 40,
        "informant_date_of_birth": 40,
        "informant_anonymous": 10,
        "preferred_contact": 10,
        "case": 20,
    }


def _row_data(record: dict[str, str], organisation_id: Any, add: Any) -> dict[str, Any]:
    """A CSV row as the data `services.validate_incident` takes; problems only the CSV can have are added."""
    anonymous = record.get("informant_anonymous", "").lower()
    if anonymous not in YES | NO:
        add("informant_anonymous", f"“{record['informant_anonymous']}” is not yes or no.")
    perpetrators = []
    for part in record.get("perpetrators", "").split(LIST_SEPARATOR):
        if not part.strip():
            continue
        match = PERPETRATOR.match(part.strip())
        if match is None or not match.group("name").strip():
            add("perpetrators", f"“{part.strip()}” is not 'Name' or 'Name (YYYY-MM-DD)'.")
            continue
        perpetrators.append({"name": match.group("name").strip(), "date_of_birth": match.group("dob") or ""})
    case_ref = record.get("case", "").strip().upper()
    case_id: int | None = None
    if case_ref:
        digits = case_ref.removeprefix("ASB-")
        if digits.isdigit():
            case_id = int(digits)
        else:
            add("case", f"“{record['case']}” is not a case reference such as ASB-000123.")
            case_id = 0
    return {
        "reporting_organisation": organisation_id,
        "received_at": record.get("received_at", "").replace(" ", "T", 1),
        "category": record.get("category", ""),
        "address": record.get("address", ""),
        "postcode": record.get("postcode", ""),
        "latitude": record.get("latitude", ""),
        "longitude": record.get("longitude", ""),
        "area": record.get("area", ""),
        "description": record.get("description", ""),
        "informant": {
            "name": record.get("informant_name", ""),
            "date_of_birth": record.get("informant_date_of_birth", ""),
            "phone": record.get("informant_phone", ""),
            "email": record.get("informant_email", ""),
        },
        "informant_anonymous": anonymous in YES,
        "preferred_contact": record.get("preferred_contact", ""),
        "vulnerability_indicators": [
            v.strip() for v in record.get("vulnerability_indicators", "").split(LIST_SEPARATOR) if v.strip()
        ],
        "perpetrators": perpetrators,
        "case": case_id,
    }


def _records(data: bytes | str, result: ImportResult) -> list[tuple[int, dict[str, str]]]:
    """The file's rows, read strictly (joinedup.core.csvfile): an unclosed quote, a NUL character, a value
    longer than its column allows or bytes that are not UTF-8 are errors naming the line and column."""
    try:
        table = read_csv(
            data, file=result.file_name, limits=_limits(), max_rows=MAX_ROWS, max_bytes=MAX_BYTES
        )
    except CsvFileError as exc:
        result.errors.extend(RowError(p.line, p.column, _sentence(p.message)) for p in exc.problems)
        return []
    for column in REQUIRED_COLUMNS:
        if column not in table.header:
            result.errors.append(RowError(1, column, f"The column “{column}” is missing."))
    for column in table.header:
        if column not in TEMPLATE_HEADER:
            result.errors.append(
                RowError(1, column, f"Unknown column “{column}”: use the template's headings.")
            )
    result.errors.extend(RowError(p.line, p.column, _sentence(p.message)) for p in table.problems)
    if result.errors:
        return []
    if not table.rows:
        result.errors.append(RowError(1, "", "The file has a header but no rows."))
    return [(row.line, row.values) for row in table.rows]


def _first_suggestions(suggestions: list[Any]) -> list[str]:
    """The first few open cases a row may belong to (a file of one informant's many reports would
    otherwise list every earlier row's case on every row)."""
    shown = [f"{s.case.reference} ({'; '.join(s.reasons)})" for s in suggestions[:MAX_SUGGESTIONS]]
    if len(suggestions) > MAX_SUGGESTIONS:
        shown.append(f"and {len(suggestions) - MAX_SUGGESTIONS} more")
    return shown


def _sentence(message: str) -> str:
    return message[:1].upper() + message[1:]


def import_incidents(*, actor: Any, file: IO[Any] | Any, file_name: str = "") -> ImportResult:
    """Check every row of an incident CSV; if all are valid, record every incident in one transaction,
    otherwise record nothing and report every problem by line and column."""
    if not has_permission(actor, "casework.incidents.import"):
        raise NotAllowed("You may not import incidents.")
    result = ImportResult(file_name=file_name or str(getattr(file, "name", "") or "the file"))
    records = _records(_read_bytes(file), result)
    result.rows = len(records)
    if result.errors:
        return result
    return _check_and_record(actor, records, result)


def start_import(*, actor: Any, file: IO[Any] | Any, file_name: str = "") -> ImportResult | ImportJob:
    """The staff page's and the API's import: the file is read strictly at once (a broken file is refused
    straight away); up to `SYNC_ROWS` rows are then checked and recorded at once, a larger file by the
    task worker (the import job it returns shows its progress and, at the end, the same report)."""
    if not has_permission(actor, "casework.incidents.import"):
        raise NotAllowed("You may not import incidents.")
    result = ImportResult(file_name=file_name or str(getattr(file, "name", "") or "the file"))
    data = _read_bytes(file)
    records = _records(data, result)
    result.rows = len(records)
    if result.errors or len(records) <= SYNC_ROWS:
        return result if result.errors else _check_and_record(actor, records, result)
    text = decode(data)
    with transaction.atomic():
        job = ImportJob.objects.create(
            kind=JOB_KIND,
            file_name=result.file_name[:255],
            rows=len(records),
            stage="Waiting for the task worker",
            data=text,
            created_by=actor,
        )
        transaction.on_commit(lambda: _enqueue(job.pk))
    job.refresh_from_db()
    return job


def _enqueue(job_id: int) -> None:
    from ..tasks import run_incident_import

    task = run_incident_import.enqueue(job_id)
    ImportJob.objects.filter(pk=job_id).update(task_id=str(task.id))


def run_import_job(job_id: int) -> None:
    """The worker's half of `start_import`: check and record a queued file, reporting progress on its
    job, then keep the row-by-row report and drop the file."""
    if not ImportJob.objects.filter(pk=job_id, status=ImportJobStatus.QUEUED).update(
        status=ImportJobStatus.RUNNING, stage="Checking rows", started_at=timezone.now()
    ):
        return
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    result = ImportResult(file_name=job.file_name)
    try:
        actor = job.created_by
        if actor is None or not has_permission(actor, "casework.incidents.import"):
            raise NotAllowed("The person who uploaded the file may no longer import incidents.")
        records = _records(job.data, result)
        result.rows = len(records)
        if not result.errors:
            _check_and_record(actor, records, result, progress=_JobProgress(job_id))
    except Exception as exc:
        fail_import_job(job_id, f"The import stopped with an error and nothing was imported: {exc}")
        raise
    ImportJob.objects.filter(pk=job_id).update(
        status=ImportJobStatus.SUCCEEDED if result.ok else ImportJobStatus.FAILED,
        stage="Finished" if result.ok else "Nothing was imported",
        progress=100,
        data="",
        result=report(result),
        error="" if result.ok else result.summary(),
        finished_at=timezone.now(),
    )


class _JobProgress:
    """Writes a job's stage and percentage at most once a second: checking is the first half, recording
    the second."""

    def __init__(self, job_id: int) -> None:
        self.job_id = job_id
        self.last = 0.0

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.last < 1.0 and done < total:
            return
        self.last = now
        base = 0 if stage == "Checking rows" else 50
        ImportJob.objects.filter(pk=self.job_id).update(
            stage=f"{stage} ({done:,} of {total:,})", progress=base + 50 * done // max(total, 1)
        )


def report(result: ImportResult) -> dict[str, Any]:
    """The row-by-row report of an import, as JSON (kept on its job; the API answers it)."""
    return {
        "file_name": result.file_name,
        "rows": result.rows,
        "summary": result.summary(),
        "errors": [{"line": e.line, "column": e.column, "message": e.message} for e in result.errors],
        "incidents": [
            {
                "line": row.line,
                "incident_id": row.incident.pk,
                "incident_reference": row.incident.reference,
                "case": {"id": row.case.pk, "reference": row.case.reference},
                "case_opened": row.case_opened,
                "repeat_victim": row.incident.repeat_victim,
                "repeat_location": row.incident.repeat_location,
                "suggestions": row.suggestions,
            }
            for row in result.created
        ],
    }


def _check_and_record(
    actor: Any,
    records: list[tuple[int, dict[str, str]]],
    result: ImportResult,
    progress: Callable[[str, int, int], None] | None = None,
) -> ImportResult:
    # The sharing rule's agreements read once for the whole file, not eight times a row (bench/RESULTS.md).
    with sharing_read_once():
        return _check_and_record_rows(actor, records, result, progress)


def _check_and_record_rows(
    actor: Any,
    records: list[tuple[int, dict[str, str]]],
    result: ImportResult,
    progress: Callable[[str, int, int], None] | None,
) -> ImportResult:
    organisation_id = getattr(actor, "organisation_id", None)
    # The file's postcodes in one query, not one a row (checking, and again recording, each row); its areas
    # and places looked up once each.
    postcodes = look_up_postcodes(record.get("postcode", "") for _line, record in records)
    places = services.PlaceLookups()
    rows: list[tuple[int, dict[str, Any]]] = []
    for index, (line, record) in enumerate(records):
        if progress:
            progress("Checking rows", index, len(records))
        row_errors: list[tuple[str, str]] = []

        def add(column: str, message: str, row_errors: list[tuple[str, str]] = row_errors) -> None:
            row_errors.append((column, message))

        data = _row_data(record, organisation_id, add)
        try:
            services.validate_incident(actor=actor, data=data, postcodes=postcodes, places=places)
        except ValidationError as exc:
            for key, messages in exc.message_dict.items():
                for message in messages:
                    add(ERROR_COLUMNS.get(key, key), message)
        for column, message in row_errors:
            result.errors.append(RowError(line, column, message))
        rows.append((line, data))
    if result.errors:
        return result

    try:
        with transaction.atomic():
            matched = services.MatchedPeople()  # for this transaction only
            for index, (line, data) in enumerate(rows):
                if progress:
                    progress("Recording incidents", index, len(rows))
                try:
                    intake = services.record_incident(
                        actor=actor, data=data, postcodes=postcodes, places=places, matched=matched
                    )
                except ValidationError as exc:  # e.g. a case closed since the file was checked
                    for key, messages in exc.message_dict.items():
                        for message in messages:
                            result.errors.append(RowError(line, ERROR_COLUMNS.get(key, key), message))
                    raise
                result.created.append(
                    ImportedRow(
                        line=line,
                        incident=intake.incident,
                        case=intake.case,
                        case_opened=intake.case_opened,
                        suggestions=_first_suggestions(intake.suggestions),
                    )
                )
            record_event(
                EventType.DATA_IMPORTED,
                actor=actor,
                object_type="casework.incident",
                detail={
                    "what": "incidents CSV",
                    "created": len(result.created),
                    "incidents": [row.incident.pk for row in result.created],
                },
            )
    except ValidationError:
        result.created = []
    return result
