"""Daily tasking outputs: the printable daily action sheet and the tasking meeting record.

The sheet lists every case with a report since the last tasking (the board's window), restricted to the
cases the user may see: the problem, the actions with their lead officers and due dates, and the feedback
given to the resident or informant. A meeting record keeps the date, the CSP, who attended for which
organisation, and what was decided about each case; decisions are shown only on cases the reader may see.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from joinedup.core.audit import record_event
from joinedup.core.models import Area, AreaLevel, EventType, Organisation
from joinedup.core.permissions import has_permission, restrict
from joinedup.core.services.errors import NotAllowed
from joinedup.core.services.validation import Errors, add_error
from joinedup.core.services.versioning import stamp

from . import selectors
from .models import (
    ActionStatus,
    Case,
    CaseAction,
    Incident,
    InformantUpdate,
    TaskingAttendee,
    TaskingDecision,
    TaskingMeeting,
)

# --- the daily action sheet ----------------------------------------------------------------------------


@dataclass
class SheetRow:
    case: Case
    incidents: list[Incident]
    actions: list[CaseAction]
    feedback: InformantUpdate | None
    feedback_due: bool  # a named (not anonymous) informant who has not been told anything yet
    decisions: list[TaskingDecision] = field(default_factory=list)

    @property
    def lead_officers(self) -> list[str]:
        names = [a.officer.full_name for a in self.actions if a.officer_id and a.officer]
        if self.case.lead_officer_id and self.case.lead_officer:
            names.insert(0, self.case.lead_officer.full_name)
        return list(dict.fromkeys(names))


def daily_action_sheet(
    *, user: Any, now: datetime | None = None, area_code: str | None = None
) -> list[SheetRow]:
    """One row per case with a report since the last tasking, oldest report first."""
    now = now or timezone.now()
    incidents = list(selectors.tasking_board(user=user, now=now, area_code=area_code))
    by_case: dict[int, list[Incident]] = {}
    for incident in incidents:
        by_case.setdefault(incident.case_id, []).append(incident)
    cases = {
        case.pk: case
        for case in Case.objects.filter(pk__in=list(by_case))
        .select_related("area", "lead_organisation", "lead_officer")
        .prefetch_related(
            Prefetch(
                "actions",
                queryset=CaseAction.objects.select_related("owner_organisation", "officer").order_by(
                    "due_date", "id"
                ),
            ),
            Prefetch("informant_updates", queryset=InformantUpdate.objects.select_related("given_by")),
            Prefetch(
                "incidents",
                queryset=Incident.objects.filter(informant__isnull=False, informant_anonymous=False).only(
                    "id", "case_id"
                ),
                to_attr="named_informant_incidents",
            ),
        )
    }
    rows = []
    for case_id, case_incidents in by_case.items():
        case = cases[case_id]
        updates = list(case.informant_updates.all())
        latest = updates[0] if updates else None
        rows.append(
            SheetRow(
                case=case,
                incidents=case_incidents,
                actions=list(case.actions.all()),
                feedback=latest,
                feedback_due=latest is None and bool(getattr(case, "named_informant_incidents", [])),
            )
        )
    return rows


def sheet_counts(rows: list[SheetRow]) -> dict[str, int]:
    return {
        "cases": len(rows),
        "incidents": sum(len(r.incidents) for r in rows),
        "without_action": sum(
            1 for r in rows if not any(a.status != ActionStatus.COMPLETE for a in r.actions)
        ),
        "feedback_due": sum(1 for r in rows if r.feedback_due),
    }


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


def list_meetings(*, user: Any) -> QuerySet[TaskingMeeting]:
    return restrict(
        TaskingMeeting.objects.select_related("area").prefetch_related("attendees__organisation"),
        user,
        "casework.tasking.meetings",
    )


def get_meeting(*, user: Any, pk: int, request: Any = None) -> tuple[TaskingMeeting, list[TaskingDecision]]:
    """A meeting with the decisions on cases the user may see (the others are not shown)."""
    meeting = list_meetings(user=user).filter(pk=pk).first()
    if meeting is None:
        record_event(
            EventType.PERMISSION_DENIED,
            actor=user,
            request=request,
            object_type="casework.taskingmeeting",
            object_id=pk,
            detail={"action": "casework.tasking.meetings"},
        )
        raise Http404("Not found")
    decisions = list(
        meeting.decisions.filter(case__in=selectors.visible_cases(user)).select_related("case", "case__area")
    )
    return meeting, decisions
