"""Reads for CSP duties: the responsible-authority check, the compliance grid, duties due, DHR stages."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet

from joinedup.core.models import Area, AreaLevel, Organisation, ResponsibleAuthorityType

from .duties import DUTIES_BY_KEY, STATUTORY_DUTIES, StatutoryDuty
from .models import (
    CommissionDecision,
    CspAction,
    CspPlan,
    DomesticHomicideReview,
    DutyRecord,
    DutyStatus,
    PanelRecommendation,
)
from .rules import force_area_ids

RED, AMBER, GREEN = "red", "amber", "green"
RAG_LABELS = {RED: "Red", AMBER: "Amber", GREEN: "Green"}
DUE_SOON_DAYS = 30


@dataclass
class Cell:
    rag: str
    reason: str
    record: DutyRecord | None = None

    @property
    def label(self) -> str:
        return RAG_LABELS[self.rag]


@dataclass
class AuthorityCheck:
    present: dict[str, list[Organisation]]  # responsible authority type label → organisations
    missing: list[str]

    @property
    def cell(self) -> Cell:
        if self.missing:
            return Cell(RED, "Missing responsible authority: " + ", ".join(self.missing) + ".")
        return Cell(GREEN, "All five responsible authority types serve this CSP.")


@dataclass
class GridRow:
    csp: Area
    authorities: AuthorityCheck
    cells: list[Cell] = field(default_factory=list)


# --- responsible authorities --------------------------------------------------------------------------


def areas_covering(csp: Area) -> list[int]:
    """The CSP, its districts (including split districts) and its force area."""
    ids = {csp.pk}
    ids |= set(
        Area.objects.filter(level=AreaLevel.LAD)
        .filter(Q(csp=csp) | Q(split_csps=csp))
        .values_list("pk", flat=True)
    )
    if csp.pfa_id:
        ids.add(csp.pfa_id)
    return sorted(ids)


def authority_check(csp: Area) -> AuthorityCheck:
    organisations = (
        Organisation.objects.exclude(responsible_authority="")
        .filter(areas__in=areas_covering(csp))
        .distinct()
        .order_by("name")
    )
    by_type: dict[str, list[Organisation]] = {value: [] for value in ResponsibleAuthorityType.values}
    for organisation in organisations:
        by_type[organisation.responsible_authority].append(organisation)
    present = {str(label): by_type[value] for value, label in ResponsibleAuthorityType.choices}
    missing = [label for label, found in present.items() if not found]
    return AuthorityCheck(present=present, missing=missing)


# --- compliance -----------------------------------------------------------------------------------------


def _date(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def duty_cell(
    duty: StatutoryDuty, record: DutyRecord | None, *, today: datetime.date, year_label: str
) -> Cell:
    if record is None:
        return Cell(RED, f"No record of this duty for {year_label}.")
    status = record.get_status_display().lower()
    if record.status == DutyStatus.NOT_REQUIRED:
        return Cell(GREEN, f"Not required this year: {record.evidence_text}", record)
    if record.status == DutyStatus.COMPLETE:
        if duty.sign_off_required:
            signed = {o.responsible_authority for o in record.signed_off_by.all()}
            awaiting = [
                str(label) for value, label in ResponsibleAuthorityType.choices if value not in signed
            ]
            if awaiting:
                return Cell(AMBER, "Evidenced but awaiting sign-off by: " + ", ".join(awaiting) + ".", record)
        when = _date(record.evidence_date) if record.evidence_date else "an unknown date"
        return Cell(GREEN, f"Evidenced on {when}, approved by {record.approved_by}.", record)
    if record.due_date < today:
        return Cell(RED, f"Overdue: was due {_date(record.due_date)} and is {status}.", record)
    days = (record.due_date - today).days
    if days <= DUE_SOON_DAYS:
        return Cell(AMBER, f"Due {_date(record.due_date)}, in {days} days, and is {status}.", record)
    return Cell(GREEN, f"Not yet due: due {_date(record.due_date)} and is {status}.", record)


def csps_for(user: Any, force_area: Area | None = None) -> QuerySet[Area]:
    """The CSPs a user reads: those of their force areas (auditors: all), optionally one force area's."""
    csps = Area.objects.filter(level=AreaLevel.CSP)
    if user.role != "auditor":
        csps = csps.filter(pfa__in=force_area_ids(user))
    if force_area is not None:
        csps = csps.filter(pfa=force_area)
    return csps.order_by("name")


def force_areas_for(user: Any) -> QuerySet[Area]:
    areas = Area.objects.filter(level=AreaLevel.PFA)
    if user.role != "auditor":
        areas = areas.filter(pk__in=force_area_ids(user))
    return areas.order_by("name")


def compliance_grid(*, user: Any, force_area: Area, year: int, today: datetime.date) -> list[GridRow]:
    from .duties import year_label

    csps = list(csps_for(user, force_area))
    records = {
        (r.csp_id, r.duty): r
        for r in DutyRecord.objects.restrict(user, "csp.view")
        .filter(csp__in=csps, year=year)
        .prefetch_related("signed_off_by")
    }
    rows = []
    for csp in csps:
        row = GridRow(csp=csp, authorities=authority_check(csp))
        for duty in STATUTORY_DUTIES:
            record = records.get((csp.pk, duty.duty.value))
            row.cells.append(duty_cell(duty, record, today=today, year_label=year_label(year)))
        rows.append(row)
    return rows


def duty_cells(records: list[DutyRecord], *, today: datetime.date) -> list[tuple[DutyRecord, Cell]]:
    return [(r, duty_cell(DUTIES_BY_KEY[r.duty], r, today=today, year_label=r.year_label)) for r in records]


def duties_due(*, user: Any, today: datetime.date, within_days: int = DUE_SOON_DAYS) -> QuerySet[DutyRecord]:
    """Duties not yet done that are overdue or fall due within `within_days`, soonest first."""
    return (
        DutyRecord.objects.restrict(user, "csp.view")
        .filter(status__in=[DutyStatus.NOT_STARTED, DutyStatus.IN_PROGRESS])
        .filter(due_date__lte=today + datetime.timedelta(days=within_days))
        .select_related("csp")
        .order_by("due_date", "csp__name")
    )


# --- domestic homicide reviews ----------------------------------------------------------------------------

# Expected days from the previous stage; override any of them with settings.JOINEDUP_DHR_STAGE_DAYS.
DEFAULT_DHR_STAGE_DAYS: dict[str, int] = {
    "decision_on": 30,
    "chair_appointed_on": 30,
    "first_panel_on": 30,
    "report_completed_on": 180,
    "submitted_to_qa_on": 30,
    "qa_outcome_on": 90,
    "published_on": 90,
}


def dhr_stage_days() -> dict[str, int]:
    return {**DEFAULT_DHR_STAGE_DAYS, **getattr(settings, "JOINEDUP_DHR_STAGE_DAYS", {})}


@dataclass
class Stage:
    name: str
    label: str
    done_on: datetime.date | None
    expected_by: datetime.date | None
    overdue: bool

    @property
    def status(self) -> str:
        if self.done_on:
            return f"Done on {_date(self.done_on)}"
        if self.expected_by is None:
            return "Waiting for an earlier stage"
        if self.overdue:
            return f"Overdue: expected by {_date(self.expected_by)}"
        return f"Expected by {_date(self.expected_by)}"


def dhr_stages(review: DomesticHomicideReview, *, today: datetime.date) -> list[Stage]:
    """Each stage with when it was done or expected; a stage not done after its expected date is overdue."""
    days = dhr_stage_days()
    names = list(DEFAULT_DHR_STAGE_DAYS)
    if review.decision == CommissionDecision.NOT_COMMISSION:
        names = names[:1]
    stages = []
    previous: datetime.date | None = review.notified_on
    blocked = False
    for name in names:
        done = getattr(review, name)
        expected = None if blocked or previous is None else previous + datetime.timedelta(days=days[name])
        label = str(getattr(review._meta.get_field(name), "verbose_name", name))
        label = label[0].upper() + label[1:]
        stages.append(
            Stage(name, label, done, expected, done is None and expected is not None and expected < today)
        )
        if done is None:
            blocked = True
        previous = done
    return stages


def overdue_stages(review: DomesticHomicideReview, *, today: datetime.date) -> list[Stage]:
    return [s for s in dhr_stages(review, today=today) if s.overdue]


def list_dhrs(*, user: Any) -> QuerySet[DomesticHomicideReview]:
    return DomesticHomicideReview.objects.restrict(user, "csp.dhr.view").select_related("csp")


def list_panel_recommendations(*, user: Any) -> QuerySet[PanelRecommendation]:
    return PanelRecommendation.objects.restrict(user, "csp.panel.view").select_related("force_area", "csp")


def published_dhrs() -> QuerySet[DomesticHomicideReview]:
    return (
        DomesticHomicideReview.objects.filter(published_on__isnull=False)
        .exclude(published_title="")
        .select_related("csp")
    )


def public_meeting_records() -> QuerySet[DutyRecord]:
    """Face-the-public meetings of every CSP: held (evidence date) or due, newest year first."""
    return (
        DutyRecord.objects.filter(duty="face_the_public")
        .exclude(status=DutyStatus.NOT_REQUIRED)
        .select_related("csp")
        .order_by("csp__name", "-year")
    )


# --- partnership plans --------------------------------------------------------------------------------------


@dataclass
class RegardMatrix:
    """A CSP plan's priorities against the Police and Crime Plan's: which serve which, and gaps both ways."""

    pcc_priorities: list[Any]
    rows: list[tuple[Any, list[bool]]]
    csp_gaps: list[Any]  # CSP priorities that serve no Police and Crime Plan priority
    pcc_gaps: list[Any]  # Police and Crime Plan priorities no CSP priority serves


def regard_matrix(plan: CspPlan) -> RegardMatrix:
    pcc = list(plan.police_and_crime_plan.priorities.all()) if plan.police_and_crime_plan is not None else []
    rows = []
    served: set[int] = set()
    for priority in plan.priorities.prefetch_related("pcc_priorities"):
        cited = {p.pk for p in priority.pcc_priorities.all()}
        served |= cited
        rows.append((priority, [p.pk in cited for p in pcc]))
    return RegardMatrix(
        pcc_priorities=pcc,
        rows=rows,
        csp_gaps=[priority for priority, marks in rows if not any(marks)],
        pcc_gaps=[p for p in pcc if p.pk not in served],
    )


def plan_progress(plan: CspPlan) -> dict[str, int]:
    """How many of the plan's actions are rated red, amber, green, or not yet rated."""
    counts = {"red": 0, "amber": 0, "green": 0, "unrated": 0}
    for rag in CspAction.objects.filter(priority__plan=plan).values_list("rag", flat=True):
        counts[rag or "unrated"] += 1
    return counts


def public_plans() -> QuerySet[CspPlan]:
    return CspPlan.objects.filter(is_public=True).select_related("csp").prefetch_related("priorities")
