"""Every write to the quarterly briefing notes."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from joinedup.core.models import Area, User
from joinedup.core.services.validation import Errors, add_error, apply_fields
from joinedup.core.services.versioning import save_versioned, stamp
from joinedup.core.services.writes import require as _require

from ..models import (
    BriefingNote,
    BriefingStatus,
)
from ..services import csp_year_errors

BRIEFING_FIELDS = ("plan_progress", "duty_compliance", "crime_trend", "funded_projects", "manager_commentary")


@transaction.atomic
def generate_briefing_note(
    *, actor: User, csp: Area, year: int, quarter: int, today: datetime.date | None = None
) -> BriefingNote:
    """Draft the quarter's briefing note from the CSP's own data (plan progress, duties, crime trend,
    funding). A draft already there is refreshed from the data; a submitted note is never changed."""
    from . import selectors

    _require(actor, "csp.change", csp)
    errors = csp_year_errors(csp, year)
    if quarter not in (1, 2, 3, 4):
        add_error(errors, "quarter", "Choose a quarter from 1 to 4.")
    if errors:
        raise ValidationError(errors)
    note = BriefingNote.objects.filter(csp=csp, year=year, quarter=quarter).first()
    if note is not None and note.status == BriefingStatus.SUBMITTED:
        raise ValidationError({"quarter": "This quarter's briefing note has already been submitted."})
    sections = selectors.briefing_sections(
        csp, year=year, quarter=quarter, today=today or datetime.date.today(), user=actor
    )
    if note is None:
        note = BriefingNote(csp=csp, year=year, quarter=quarter, **sections)
        stamp(note, actor=actor, reason="Drafted from the CSP's data")
        note.save()
    else:
        for name, text in sections.items():
            setattr(note, name, text)
        save_versioned(
            note, expected_version=note.version, actor=actor, reason="Redrafted from the CSP's data"
        )
    return note


@transaction.atomic
def update_briefing_note(
    *, actor: User, note: BriefingNote, expected_version: int, data: dict[str, Any], submit: bool = False
) -> BriefingNote:
    """The CSP manager edits the draft, and may submit it to the Panel (draft → submitted, then fixed)."""
    _require(actor, "csp.change", note)
    if note.status == BriefingStatus.SUBMITTED:
        raise ValidationError({"__all__": ["A submitted briefing note cannot be changed."]})
    errors: Errors = {}
    apply_fields(note, data, BRIEFING_FIELDS, errors)
    if submit:
        for name in ("plan_progress", "duty_compliance", "crime_trend"):
            if not getattr(note, name).strip():
                label = str(getattr(BriefingNote._meta.get_field(name), "verbose_name", name))
                add_error(errors, name, f"Enter the {label.lower()} section before submitting.")
    if errors:
        raise ValidationError(errors)
    if submit:
        note.status = BriefingStatus.SUBMITTED
        note.submitted_on = datetime.date.today()
    save_versioned(
        note,
        expected_version=expected_version,
        actor=actor,
        reason="Submitted to the Panel" if submit else "",
    )
    return note
