"""Tasking meetings: the record and its decisions (the daily action sheet is a read, in `selectors`).

A meeting record keeps the date, the CSP, who attended for which organisation, and what was decided about
each case; decisions are shown only on cases the reader may see.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from joinedup.core.models import Area, AreaLevel, Organisation
from joinedup.core.permissions import has_permission, restrict
from joinedup.core.services.errors import NotAllowed
from joinedup.core.services.validation import Errors, add_error
from joinedup.core.services.versioning import stamp

from ..models import (
    Case,
    TaskingAttendee,
    TaskingDecision,
    TaskingMeeting,
)

# --- the daily action sheet ----------------------------------------------------------------------------


# --- meetings ------------------------------------------------------------------------------------------


ATTENDEE_LINE = re.compile(r"^(?P<name>[^,]+),\s*(?P<organisation>.+)$")


def _parse_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value or "").strip())
    except ValueError:
        return None


def record_meeting(*, actor: Any, data: dict[str, Any]) -> TaskingMeeting:
    """Record a tasking meeting: date, CSP, chair, attendees ("Name, Organisation" a line, or a list of
    {name, organisation}) and notes. Raises ValidationError with every problem at once."""
    if not has_permission(actor, "casework.tasking.meetings"):
        raise NotAllowed("You may not record tasking meetings.")
    errors: Errors = {}
    held_on = _parse_date(data.get("held_on"))
    if held_on is None:
        add_error(errors, "held_on", "Enter the date of the meeting as YYYY-MM-DD.")
    elif held_on > timezone.localdate():
        add_error(errors, "held_on", "The meeting cannot be in the future.")
    code = str(data.get("area") or "").strip().upper()
    area = Area.objects.filter(code=code, level__in=[AreaLevel.CSP, AreaLevel.LAD]).first() if code else None
    if area is None:
        add_error(
            errors,
            "area",
            f"Unknown CSP {code!r}: give the ONS code of the community safety partnership."
            if code
            else "Give the ONS code of the community safety partnership the meeting covers.",
        )
    raw = data.get("attendees") or ""
    lines = [line.strip() for line in raw.splitlines() if line.strip()] if isinstance(raw, str) else raw
    attendees: list[tuple[str, Organisation]] = []
    names = {o.name.casefold(): o for o in Organisation.objects.all().only("id", "name")}
    for number, line in enumerate(lines, start=1):
        if isinstance(line, dict):
            name, org_name = str(line.get("name") or "").strip(), str(line.get("organisation") or "").strip()
        else:
            match = ATTENDEE_LINE.match(line)
            if match is None:
                add_error(
                    errors, "attendees", f"Line {number}: write the name, a comma, then the organisation."
                )
                continue
            name, org_name = match.group("name").strip(), match.group("organisation").strip()
        organisation = names.get(org_name.casefold())
        if organisation is None:
            add_error(
                errors, "attendees", f"Line {number}: no organisation called “{org_name}” in the directory."
            )
        elif name:
            attendees.append((name, organisation))
    if not lines:
        add_error(errors, "attendees", "List who attended, one a line: name, organisation.")
    if errors or held_on is None:
        raise ValidationError(errors)
    with transaction.atomic():
        meeting = TaskingMeeting(
            held_on=held_on,
            area=area,
            chair=str(data.get("chair") or "").strip(),
            notes=str(data.get("notes") or ""),
        )
        stamp(meeting, actor=actor, reason="Meeting recorded")
        meeting.save()
        TaskingAttendee.objects.bulk_create(
            TaskingAttendee(meeting=meeting, name=name, organisation=org) for name, org in attendees
        )
    return meeting


def record_decision(*, actor: Any, meeting: TaskingMeeting, case_id: Any, decision: str) -> TaskingDecision:
    """What the meeting decided about a case the actor may work on."""
    if not has_permission(actor, "casework.tasking.meetings"):
        raise NotAllowed("You may not record tasking decisions.")
    errors: Errors = {}
    case = None
    if str(case_id or "").isdigit():
        case = restrict(Case.objects.all(), actor, "casework.cases.work").filter(pk=int(case_id)).first()
    if case is None:
        add_error(errors, "case", "Choose a case on the board.")
    text = str(decision or "").strip()
    if not text:
        add_error(errors, "decision", "Write what was decided.")
    if errors or case is None:
        raise ValidationError(errors)
    with transaction.atomic():
        row = TaskingDecision(meeting=meeting, case=case, decision=text)
        stamp(row, actor=actor, reason="Decision recorded")
        row.save()
    return row
