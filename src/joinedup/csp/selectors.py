"""Reads for CSP duties: the responsible-authority check, the compliance grid, duties due, DHR stages."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet

from joinedup.core.models import Area, AreaLevel, Organisation, ResponsibleAuthorityType, User

from .duties import DUTIES_BY_KEY, STATUTORY_DUTIES, Duty, StatutoryDuty
from .models import (
    BriefingNote,
    BriefingStatus,
    CommissionDecision,
    CspPlan,
    DomesticHomicideReview,
    DutyRecord,
    DutyStatus,
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
    """Which responsible authority types are members of the CSP's statutory partnership in the register."""

    partnership: Any  # partnerships.Partnership | None
    present: dict[str, list[Organisation]]  # responsible authority type label → member organisations
    missing: list[str]
    # Organisations of a missing type that serve the CSP's area but are not members: who to invite.
    candidates: dict[str, list[Organisation]] = field(default_factory=dict)

    @property
    def cell(self) -> Cell:
        if self.partnership is None:
            return Cell(RED, "No statutory partnership for this CSP in the partnership register.")
        if self.missing:
            return Cell(RED, "Missing responsible authority: " + ", ".join(self.missing) + ".")
        return Cell(GREEN, "All five responsible authority types are members of the partnership.")


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


def csp_partnership(csp: Area) -> Any:
    """The CSP's statutory partnership in the register: statutory, covering the CSP's area, not ended."""
    from joinedup.partnerships.selectors import statutory_partnership_for

    return statutory_partnership_for(csp)


def authority_check(csp: Area, partnership: Any = None, *, find: bool = True) -> AuthorityCheck:
    """Every responsible authority type must be a member of the CSP's statutory partnership."""
    if partnership is None and find:
        partnership = csp_partnership(csp)
    members: list[Organisation] = []
    if partnership is not None:
        members = [
            m.organisation
            for m in partnership.memberships.select_related("organisation").order_by("organisation__name")
            if m.organisation.responsible_authority
        ]
    by_type: dict[str, list[Organisation]] = {value: [] for value in ResponsibleAuthorityType.values}
    for organisation in members:
        by_type[organisation.responsible_authority].append(organisation)
    present = {str(label): by_type[value] for value, label in ResponsibleAuthorityType.choices}
    missing = [label for label, found in present.items() if not found]
    candidates: dict[str, list[Organisation]] = {}
    if missing:
        labels = dict(ResponsibleAuthorityType.choices)
        serving = (
            Organisation.objects.exclude(responsible_authority="")
            .filter(areas__in=areas_covering(csp))
            .distinct()
            .order_by("name")
        )
        for organisation in serving:
            label = str(labels[organisation.responsible_authority])
            if label in missing:
                candidates.setdefault(label, []).append(organisation)
    return AuthorityCheck(partnership=partnership, present=present, missing=missing, candidates=candidates)


@dataclass
class CspRecord:
    """The CSP as a statutory partnership: the register's record, its chair, manager(s) and members."""

    csp: Area
    partnership: Any
    chair: str
    managers: list[Any]
    memberships: list[Any]
    authorities: AuthorityCheck


def csp_record(csp: Area) -> CspRecord:
    from joinedup.core.models import User
    from joinedup.core.roles import Role

    partnership = csp_partnership(csp)
    memberships = (
        list(partnership.memberships.select_related("organisation").order_by("organisation__name"))
        if partnership is not None
        else []
    )
    managers = list(
        User.objects.filter(role=Role.CSP_MANAGER, is_active=True, areas=csp).order_by("full_name")
    )
    return CspRecord(
        csp=csp,
        partnership=partnership,
        chair=partnership.governance_chair if partnership is not None else "",
        managers=managers,
        memberships=memberships,
        authorities=authority_check(csp, partnership, find=False),
    )


# --- information-sharing protocols ----------------------------------------------------------------------


@dataclass
class LiaisonOfficer:
    organisation: Organisation
    name: str
    email: str
    agreement: Any


@dataclass
class ProtocolCheck:
    """The active information-sharing agreements covering a CSP, and each responsible authority type's
    designated liaison officers in them; a type with none is a gap."""

    agreements: list[Any]
    officers: dict[str, list[LiaisonOfficer]]
    gaps: list[str]

    @property
    def problem(self) -> str:
        if not self.agreements:
            return "No active information-sharing agreement covers this CSP."
        if self.gaps:
            return "No designated liaison officer in: " + ", ".join(self.gaps) + "."
        return ""

    @property
    def summary(self) -> str:
        if self.problem:
            return self.problem
        count = len(self.agreements)
        noun = "agreement covers" if count == 1 else "agreements cover"
        return f"{count} active information-sharing {noun} this CSP, with a designated liaison officer in each responsible authority."


def covering_agreements(area_ids: list[int], *, on: datetime.date | None = None) -> list[Any]:
    """Active information-sharing agreements (casework's, read only) naming any of these areas."""
    from joinedup.casework.selectors import active_agreements_covering

    return list(active_agreements_covering(area_ids, on=on))


def protocol_check(
    csp: Area, agreements: list[Any] | None = None, covering: list[int] | None = None
) -> ProtocolCheck:
    covering = covering if covering is not None else areas_covering(csp)
    if agreements is None:
        agreements = covering_agreements(covering)
    ids = set(covering)
    mine = [a for a in agreements if any(area.pk in ids for area in a.areas.all())]
    labels = dict(ResponsibleAuthorityType.choices)
    officers: dict[str, list[LiaisonOfficer]] = {str(label): [] for label in labels.values()}
    for agreement in mine:
        for party in agreement.party_rows.all():
            kind = party.organisation.responsible_authority
            if kind and party.liaison_officer_name.strip():
                officers[str(labels[kind])].append(
                    LiaisonOfficer(
                        party.organisation, party.liaison_officer_name, party.liaison_officer_email, agreement
                    )
                )
    gaps = [label for label, found in officers.items() if not found]
    return ProtocolCheck(agreements=mine, officers=officers, gaps=gaps)


# --- compliance -----------------------------------------------------------------------------------------


def date_text(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def duty_cell(
    duty: StatutoryDuty,
    record: DutyRecord | None,
    *,
    today: datetime.date,
    year_label: str,
    protocols: ProtocolCheck | None = None,
) -> Cell:
    """The cell's colour and reason. For the information-sharing duty, `protocols` (the agreements
    actually recorded) is checked too: evidence without an agreement and a liaison officer in each
    responsible authority is amber, not green."""
    cell = _record_cell(duty, record, today=today, year_label=year_label)
    if protocols is None or duty.duty != Duty.INFORMATION_SHARING:
        return cell
    if not protocols.problem:
        return Cell(cell.rag, f"{cell.reason} {protocols.summary}", cell.record)
    if cell.rag == GREEN and record is not None and record.status == DutyStatus.COMPLETE:
        return Cell(AMBER, f"{cell.reason} But: {protocols.problem}", cell.record)
    return Cell(cell.rag, f"{cell.reason} {protocols.problem}", cell.record)


def _record_cell(
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
        when = date_text(record.evidence_date) if record.evidence_date else "an unknown date"
        return Cell(GREEN, f"Evidenced on {when}, approved by {record.approved_by}.", record)
    if record.due_date < today:
        return Cell(RED, f"Overdue: was due {date_text(record.due_date)} and is {status}.", record)
    days = (record.due_date - today).days
    if days <= DUE_SOON_DAYS:
        return Cell(AMBER, f"Due {date_text(record.due_date)}, in {days} days, and is {status}.", record)
    return Cell(GREEN, f"Not yet due: due {date_text(record.due_date)} and is {status}.", record)


def csps_for(user: User, force_area: Area | None = None) -> QuerySet[Area]:
    """The CSPs a user reads: those of their force areas (every role: ADR 0028), optionally one force area's."""
    csps = Area.objects.filter(level=AreaLevel.CSP, pfa__in=force_area_ids(user))
    if force_area is not None:
        csps = csps.filter(pfa=force_area)
    return csps.order_by("name")


def force_areas_for(user: User) -> QuerySet[Area]:
    return Area.objects.filter(level=AreaLevel.PFA, pk__in=force_area_ids(user)).order_by("name")


def compliance_grid(*, user: User, force_area: Area, year: int, today: datetime.date) -> list[GridRow]:
    from .duties import year_label

    csps = list(csps_for(user, force_area))
    records = {
        (r.csp_id, r.duty): r
        for r in DutyRecord.objects.restrict(user, "csp.view")
        .filter(csp__in=csps, year=year)
        .prefetch_related("signed_off_by")
    }
    covering = {csp.pk: areas_covering(csp) for csp in csps}
    agreements = covering_agreements(sorted({pk for ids in covering.values() for pk in ids}), on=today)
    rows = []
    for csp in csps:
        row = GridRow(csp=csp, authorities=authority_check(csp))
        protocols = protocol_check(csp, agreements, covering[csp.pk])
        for duty in STATUTORY_DUTIES:
            record = records.get((csp.pk, duty.duty.value))
            row.cells.append(
                duty_cell(duty, record, today=today, year_label=year_label(year), protocols=protocols)
            )
        rows.append(row)
    return rows


def duty_cells(
    records: list[DutyRecord], *, today: datetime.date, protocols: ProtocolCheck | None = None
) -> list[tuple[DutyRecord, Cell]]:
    return [
        (r, duty_cell(DUTIES_BY_KEY[r.duty], r, today=today, year_label=r.year_label, protocols=protocols))
        for r in records
    ]


def duties_due(*, user: User, today: datetime.date, within_days: int = DUE_SOON_DAYS) -> QuerySet[DutyRecord]:
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
            return f"Done on {date_text(self.done_on)}"
        if self.expected_by is None:
            return "Waiting for an earlier stage"
        if self.overdue:
            return f"Overdue: expected by {date_text(self.expected_by)}"
        return f"Expected by {date_text(self.expected_by)}"


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


def list_dhrs(*, user: User) -> QuerySet[DomesticHomicideReview]:
    return DomesticHomicideReview.objects.restrict(user, "csp.dhr.view").select_related("csp")


def published_dhrs() -> QuerySet[DomesticHomicideReview]:
    return (
        DomesticHomicideReview.objects.filter(published_on__isnull=False)
        .exclude(published_title="")
        .select_related("csp")
    )


def published_dhr_titles(*, csp_ids: list[int], limit: int = 20) -> list[dict[str, Any]]:
    """What the public may know of the CSPs' published domestic homicide reviews: the published title, the
    date and the report link, newest first (never the case reference or anything else on the register)."""
    rows = (
        published_dhrs()
        .filter(csp__in=csp_ids)
        .order_by("-published_on", "published_title", "pk")
        .values("published_title", "published_on", "report_url", "csp__name")[:limit]
    )
    return [dict(row) for row in rows]


def public_meeting_records() -> QuerySet[DutyRecord]:
    """Face-the-public meetings of every CSP: held (evidence date) or due, newest year first."""
    return (
        DutyRecord.objects.filter(duty="face_the_public")
        .exclude(status=DutyStatus.NOT_REQUIRED)
        .select_related("csp")
        .order_by("csp__name", "-year")
    )


# --- partnership plans --------------------------------------------------------------------------------------


def public_plans() -> QuerySet[CspPlan]:
    return CspPlan.objects.filter(is_public=True).select_related("csp").prefetch_related("priorities")


def public_csps() -> QuerySet[Area]:
    """The CSPs whose public page exists (a public plan or public meeting dates), by name, each with its
    public meetings (`public_meetings`, newest year first) read in one more query."""
    with_page = Q(pk__in=CspPlan.objects.filter(is_public=True).values("csp")) | Q(
        pk__in=public_meeting_records().order_by().values("csp")
    )
    meetings = Prefetch(
        "csp_duty_records", queryset=public_meeting_records().order_by("-year"), to_attr="public_meetings"
    )
    return (
        Area.objects.filter(level=AreaLevel.CSP).filter(with_page).prefetch_related(meetings).order_by("name")
    )


def csps_with_public_page(csp_ids: list[int]) -> list[Area]:
    """Those of the CSPs whose public page exists (it shows a public plan or public meeting dates), by
    name, in one query: other pages link only to these."""
    with_page = Q(pk__in=CspPlan.objects.filter(is_public=True).values("csp")) | Q(
        pk__in=public_meeting_records().order_by().values("csp")
    )
    return list(Area.objects.filter(pk__in=csp_ids).filter(with_page).order_by("name"))


# --- quarterly briefing notes -----------------------------------------------------------------------------


def current_quarter(today: datetime.date) -> tuple[int, int]:
    from .duties import current_year

    year = current_year(today)
    return year, ((today.month - 4) % 12) // 3 + 1


def list_briefing_notes(*, user: User) -> QuerySet[BriefingNote]:
    return BriefingNote.objects.restrict(user, "csp.briefing.view").select_related("csp")


def submitted_briefing_notes(*, user: User, force_area: Area) -> QuerySet[BriefingNote]:
    """The briefing notes the force area's CSPs have submitted to the Panel that the user may read, newest
    quarter first (the Panel's workspace lists them)."""
    return (
        list_briefing_notes(user=user)
        .filter(csp__pfa=force_area, status=BriefingStatus.SUBMITTED)
        .order_by("-year", "-quarter", "csp__name")
    )
