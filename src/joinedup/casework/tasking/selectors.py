"""Daily tasking reads: the printable daily action sheet and one tasking meeting.

The sheet lists every case with a report since the last tasking (the board's window), restricted to the
cases the user may see: the problem, the actions with their lead officers and due dates, and the feedback
given to the resident or informant. A meeting is shown with its decisions on the cases the reader may see.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone

from joinedup.core.audit import record_event
from joinedup.core.models import EventType

from ..models import (
    ActionStatus,
    Case,
    CaseAction,
    Incident,
    InformantUpdate,
    TaskingDecision,
    TaskingMeeting,
)
from ..selectors import list_meetings, tasking_board, visible_cases


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
    incidents = list(tasking_board(user=user, now=now, area_code=area_code))
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
        meeting.decisions.filter(case__in=visible_cases(user)).select_related("case", "case__area")
    )
    return meeting, decisions
