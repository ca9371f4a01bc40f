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
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction

from joinedup.core.audit import record_event
from joinedup.core.models import EventType
from joinedup.core.permissions import has_permission
from joinedup.core.services.errors import NotAllowed

from . import services
from .models import ContactMethod, VulnerabilityIndicator

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 2000
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


def _read_text(file: IO[Any] | Any) -> str | None:
    raw = file.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        return None
    if isinstance(raw, str):
        return raw.lstrip("\ufeff")
    return bytes(raw).decode("utf-8-sig")


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


def _records(text: str, result: ImportResult) -> list[tuple[int, dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip() for h in (reader.fieldnames or [])]
    reader.fieldnames = header
    if not header:
        result.errors.append(RowError(1, "", "The file is empty: download the template and fill it in."))
        return []
    for column in REQUIRED_COLUMNS:
        if column not in header:
            result.errors.append(RowError(1, column, f"The column “{column}” is missing."))
    for column in header:
        if column not in TEMPLATE_HEADER:
            result.errors.append(
                RowError(1, column, f"Unknown column “{column}”: use the template's headings.")
            )
    if result.errors:
        return []
    records: list[tuple[int, dict[str, str]]] = []
    try:
        for record in reader:
            if record.get(None):  # type: ignore[call-overload,unused-ignore]
                result.errors.append(
                    RowError(reader.line_num, "", f"More values than columns: {len(header)} expected.")
                )
            cleaned = {k: (v or "").strip() for k, v in record.items() if k}
            if any(cleaned.values()):
                records.append((reader.line_num, cleaned))
            if len(records) > MAX_ROWS:
                result.errors.append(RowError(reader.line_num, "", f"At most {MAX_ROWS} rows at a time."))
                return []
    except csv.Error as exc:
        result.errors.append(RowError(reader.line_num, "", f"The file is not valid CSV: {exc}."))
        return []
    if not records and not result.errors:
        result.errors.append(RowError(1, "", "The file has a header but no rows."))
    return records


def import_incidents(*, actor: Any, file: IO[Any] | Any) -> ImportResult:
    """Check every row of an incident CSV; if all are valid, record every incident in one transaction,
    otherwise record nothing and report every problem by line and column."""
    if not has_permission(actor, "casework.incidents.import"):
        raise NotAllowed("You may not import incidents.")
    result = ImportResult()
    try:
        text = _read_text(file)
    except UnicodeDecodeError:
        result.errors.append(
            RowError(1, "", "The file is not UTF-8 text: save the spreadsheet as CSV UTF-8.")
        )
        return result
    if text is None:
        result.errors.append(RowError(1, "", f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB."))
        return result
    records = _records(text, result)
    result.rows = len(records)
    if result.errors:
        return result

    organisation_id = getattr(actor, "organisation_id", None)
    rows: list[tuple[int, dict[str, Any]]] = []
    for line, record in records:
        row_errors: list[tuple[str, str]] = []

        def add(column: str, message: str, row_errors: list[tuple[str, str]] = row_errors) -> None:
            row_errors.append((column, message))

        data = _row_data(record, organisation_id, add)
        try:
            services.validate_incident(actor=actor, data=data)
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
            for line, data in rows:
                try:
                    intake = services.record_incident(actor=actor, data=data)
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
                        suggestions=[
                            f"{s.case.reference} ({'; '.join(s.reasons)})" for s in intake.suggestions
                        ],
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
