"""Retention: closed cases are anonymised once they have been closed for the retention period (ADR 0009).

Run by the scheduled task `casework.tasks.anonymise_closed_cases` and by `joinedup casework retention`.
Idempotent: a case is anonymised once (a `CaseAnonymisation` row marks it) and a second run changes nothing.

What goes: names, dates of birth, phone numbers, email and postal addresses (the people themselves, when no
case still open or within its period refers to them), incident addresses and coordinates, the postcode's
inward part, every free-text description (incidents, actions, informant updates, tasking decisions), and
the same values in the history tables. What stays, for statistics: the case with its area, dates, risk
level and flags; each incident's category, date, LSOA, reporting organisation, vulnerability indicators and
whether it had an informant; actions' types, owners, dates and status; when and how informants were
updated. The audit event log is kept as it is: it holds ids, never names.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from joinedup.core.audit import record_event
from joinedup.core.models import EventType

from ..models import (
    Case,
    CaseAction,
    CaseAnonymisation,
    CaseStatus,
    Incident,
    InformantUpdate,
    Person,
    TaskingDecision,
)

DEFAULT_RETENTION_DAYS = 6 * 365 + 2  # six years (with the leap days), see ADR 0009
EVENT_ANONYMISED = EventType.PERSONAL_DATA_ANONYMISED
REMOVED = "[removed under the retention policy]"
BATCH = 500


def retention_days() -> int:
    """JOINEDUP_CASEWORK["retention_days"] in the settings, or six years."""
    return int(getattr(settings, "JOINEDUP_CASEWORK", {}).get("retention_days", DEFAULT_RETENTION_DAYS))


RETENTION_LOCK = "casework.retention"
RETENTION_LEASE = timedelta(minutes=10)


@dataclass
class RetentionResult:
    cases: int = 0
    incidents: int = 0
    people_removed: int = 0
    cutoff: datetime | None = None
    skipped: str = ""  # why this run did nothing (another run holds the lock)

    def summary(self) -> str:
        if self.skipped:
            return self.skipped
        return (
            f"Anonymised {self.cases} closed case{'s' if self.cases != 1 else ''} "
            f"({self.incidents} incident{'s' if self.incidents != 1 else ''}, "
            f"{self.people_removed} person record{'s' if self.people_removed != 1 else ''} removed); "
            f"cases closed before {self.cutoff:%d %B %Y} are due."
        )


def due_cases(now: datetime | None = None) -> Any:
    """Closed cases past the retention period that have not been anonymised yet."""
    cutoff = (now or timezone.now()) - timedelta(days=retention_days())
    return (
        Case.objects.filter(status=CaseStatus.CLOSED, anonymisation__isnull=True)
        .annotate(closed_on=Coalesce("closed_at", "updated_at"))
        .filter(closed_on__lt=cutoff)
        .order_by("pk")
    )


def _postcode_district(postcode: str) -> str:
    return postcode.split(" ")[0] if " " in postcode else ""


def _scrub_history(model: Any, ids: list[int], values: dict[str, Any]) -> None:
    if ids:
        model.history.model.objects.filter(id__in=ids).update(**values)


def _scrub(model: Any, lookup: dict[str, Any], **values: Any) -> list[int]:
    """Overwrite `values` in the records matching `lookup` and in their history; their ids."""
    ids = list(model.objects.filter(**lookup).values_list("pk", flat=True))
    model.objects.filter(pk__in=ids).update(**values)
    _scrub_history(model, ids, values)
    return ids


def _anonymise(case_ids: list[int], now: datetime) -> tuple[int, int]:
    incidents = list(Incident.objects.filter(case_id__in=case_ids).prefetch_related("perpetrators"))
    incident_ids = [i.pk for i in incidents]
    people: set[int] = {i.informant_id for i in incidents if i.informant_id}
    for incident in incidents:
        people.update(p.pk for p in incident.perpetrators.all())
    for incident in incidents:
        Incident.objects.filter(pk=incident.pk).update(
            description=REMOVED,
            address="",
            postcode=_postcode_district(incident.postcode),
            latitude=None,
            longitude=None,
            informant=None,
            preferred_contact="",
        )
    _scrub_history(
        Incident,
        incident_ids,
        {
            "description": REMOVED,
            "address": "",
            "postcode": "",
            "latitude": None,
            "longitude": None,
            "informant": None,
        },
    )
    Incident.perpetrators.through.objects.filter(incident_id__in=incident_ids).delete()
    historical = Incident.history.model
    m2m_history = getattr(historical, "_history_m2m_fields", [])
    for rel in historical._meta.related_objects:
        if any(rel.related_model.__name__.endswith("_" + f.name) for f in m2m_history):
            rel.related_model.objects.filter(history__id__in=incident_ids).delete()
    _scrub(CaseAction, {"case_id__in": case_ids}, description="")
    _scrub(InformantUpdate, {"case_id__in": case_ids}, summary=REMOVED)
    _scrub(TaskingDecision, {"case_id__in": case_ids}, decision=REMOVED)

    # People no longer named on any incident are removed, with their history. Someone still named on
    # another case (open, or closed within the period) stays: that case still needs them.
    # Risk assessment notes and plan records of the case go too; an ASB case review applicant stays
    # while their review is held (it has its own record, and a PROTECT link to them).
    from ..models import PlanReview, ProblemSolvingPlan, RiskAssessment

    _scrub(RiskAssessment, {"case_id__in": case_ids}, notes="")
    plan_ids = _scrub(ProblemSolvingPlan, {"case_id__in": case_ids}, objective=REMOVED)
    _scrub(PlanReview, {"plan_id__in": plan_ids}, attendees=REMOVED, notes=REMOVED)
    still_named = (
        Q(incidents_reported__isnull=False)
        | Q(incidents_accused__isnull=False)
        | Q(case_reviews__isnull=False)
    )
    orphaned = list(Person.objects.filter(pk__in=people).exclude(still_named).values_list("pk", flat=True))
    Person.objects.filter(pk__in=orphaned).delete()
    Person.history.model.objects.filter(id__in=orphaned).delete()  # after: deleting writes a history row
    counts: dict[int, int] = {}
    for incident in incidents:
        counts[incident.case_id] = counts.get(incident.case_id, 0) + 1
    closed = dict(Case.objects.filter(pk__in=case_ids).values_list("pk", "closed_at"))
    CaseAnonymisation.objects.bulk_create(
        CaseAnonymisation(
            case_id=pk, anonymised_at=now, closed_at=closed.get(pk), incidents=counts.get(pk, 0)
        )
        for pk in case_ids
    )
    return len(incident_ids), len(orphaned)


def anonymise_closed_cases(
    *, now: datetime | None = None, actor: Any = None, limit: int | None = None
) -> RetentionResult:
    """Anonymise every closed case past the retention period, in batches, one transaction per batch.

    One run at a time, whichever server or process starts it (a lease in the database, renewed after each
    batch): a run that finds another under way does nothing and says so."""
    from joinedup.core.locks import holder_of, job_lock

    now = now or timezone.now()
    result = RetentionResult(cutoff=now - timedelta(days=retention_days()))
    with job_lock(RETENTION_LOCK, lease=RETENTION_LEASE) as lease:
        if lease is None:
            holder = holder_of(RETENTION_LOCK)
            since = f" (since {timezone.localtime(holder.acquired_at):%d %b %Y %H:%M})" if holder else ""
            result.skipped = f"Another retention run is under way{since}: this one did nothing."
            return result
        _anonymise_batches(result, now=now, actor=actor, limit=limit, lease=lease)
    return result


def _anonymise_batches(
    result: RetentionResult, *, now: datetime, actor: Any, limit: int | None, lease: Any
) -> None:
    while limit is None or result.cases < limit:
        size = BATCH if limit is None else min(BATCH, limit - result.cases)
        with transaction.atomic():
            case_ids = list(
                due_cases(now).select_for_update(of=("self",)).values_list("pk", flat=True)[:size]
            )
            if not case_ids:
                break
            incidents, people = _anonymise(case_ids, now)
            record_event(
                EVENT_ANONYMISED,
                actor=actor,
                object_type="casework.case",
                detail={
                    "cases": case_ids,
                    "incidents": incidents,
                    "people_removed": people,
                    "retention_days": retention_days(),
                },
            )
        result.cases += len(case_ids)
        result.incidents += incidents
        result.people_removed += people
        lease.renew()
