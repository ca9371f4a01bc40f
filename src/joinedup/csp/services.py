"""Every write to CSP duties, and what the sub-areas' services share (each sub-area's writes are its own
`services.py`: dhrs, plans, reports, assessments, briefings; the Panel's are joinedup.scrutiny.services).

Each service checks permission, collects every validation error into one ValidationError dict, and saves
in one transaction with history (edits of versioned records refuse a stale version with ConflictError).
"""

from __future__ import annotations

import datetime
import functools
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from joinedup.core.models import Area, AreaLevel, Organisation, User
from joinedup.core.services.validation import Errors, add_error, apply_fields, collect_model_errors
from joinedup.core.services.versioning import save_versioned, stamp
from joinedup.core.services.writes import Writes
from joinedup.core.services.writes import require as _require

from .duties import STATUTORY_DUTIES
from .models import (
    DutyRecord,
    DutyStatus,
)

BLANK_MESSAGES = {
    "agency": "Choose the agency the recommendation is to.",
    "csp": "Choose a community safety partnership.",
}

DUTY_FIELDS = ("due_date", "status", "evidence_link", "evidence_text", "evidence_date", "approved_by")


# How a kind of CSP record is written (core.services.writes), with the CSP pages' blank-field messages.
csp_writes = functools.partial(Writes, blank_messages=BLANK_MESSAGES)


def csp_year_errors(csp: Area, year: int) -> Errors:
    """What is wrong with the CSP and financial year something is asked for."""
    errors: Errors = {}
    if csp.level != AreaLevel.CSP:
        add_error(errors, "csp", "Choose a community safety partnership.")
    if not 2000 <= year <= 2100:
        add_error(errors, "year", "Enter a financial year between 2000 and 2100.")
    return errors


# --- duties -------------------------------------------------------------------------------------------


@transaction.atomic
def start_duty_year(*, actor: User, csp: Area, year: int) -> list[DutyRecord]:
    """Create the year's record of every statutory duty the CSP does not have yet, with default due dates."""
    _require(actor, "csp.change", csp)
    errors = csp_year_errors(csp, year)
    if errors:
        raise ValidationError(errors)
    existing = set(DutyRecord.objects.filter(csp=csp, year=year).values_list("duty", flat=True))
    created = []
    for duty in STATUTORY_DUTIES:
        if duty.duty.value in existing:
            continue
        record = DutyRecord(csp=csp, year=year, duty=duty.duty.value, due_date=duty.due_date(year))
        stamp(record, actor=actor, reason="Duty year started")
        record.save()
        created.append(record)
    return created


@transaction.atomic
def update_duty_record(
    *, actor: User, record: DutyRecord, expected_version: int, data: dict[str, Any]
) -> DutyRecord:
    """Change a duty's due date, status and evidence, and who signed it off. Every error at once."""
    _require(actor, "csp.change", record)
    errors: Errors = {}
    signed_off = data.get("signed_off_by")
    apply_fields(record, {k: v for k, v in data.items() if k != "signed_off_by"}, DUTY_FIELDS, errors)
    collect_model_errors(record, errors, validate_unique=True, blank_messages=BLANK_MESSAGES)
    organisations: list[Organisation] = []
    if signed_off is not None:
        organisations = [o for o in signed_off if isinstance(o, Organisation)]
        ids = [o for o in signed_off if not isinstance(o, Organisation)]
        if ids:
            found = list(Organisation.objects.filter(pk__in=ids))
            if len(found) != len(set(ids)):
                add_error(errors, "signed_off_by", "Choose organisations from the directory.")
            organisations += found
        if any(not o.responsible_authority for o in organisations):
            add_error(errors, "signed_off_by", "Only responsible authorities sign off a statutory duty.")
    if record.status == DutyStatus.COMPLETE:
        if not (record.evidence_link or record.evidence_text):
            add_error(
                errors,
                "evidence_text",
                "Give the evidence, as a link or a description, before marking it complete.",
            )
        if record.evidence_date is None:
            add_error(errors, "evidence_date", "Enter the date of the evidence.")
        if not record.approved_by:
            add_error(errors, "approved_by", "Enter who approved the evidence.")
    if record.status == DutyStatus.NOT_REQUIRED and not record.evidence_text:
        add_error(errors, "evidence_text", "Explain why the duty is not required this year.")
    if record.evidence_date and record.evidence_date > datetime.date.today():
        add_error(errors, "evidence_date", "The date of the evidence cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    save_versioned(record, expected_version=expected_version, actor=actor)
    if signed_off is not None:
        record.signed_off_by.set(organisations)
    return record
