"""CSP endpoints: the compliance grid, duty records, domestic homicide reviews, plans, briefing notes,
protocols and strategic assessments (the Panel's are joinedup.scrutiny.api).

No `from __future__ import annotations` (see core/api.py: ninja resolves @paginate'd annotations).
"""

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from joinedup.core.api_schemas import limits_from, list_operation, responses
from joinedup.core.models import Area, AreaLevel
from joinedup.core.views.base import api_refusal, api_require, staff_user

from . import selectors, services
from .briefings import services as briefing_services
from .duties import STATUTORY_DUTIES, current_year
from .models import (
    BriefingNote,
    CspPlan,
    DomesticHomicideReview,
    DutyRecord,
    StrategicAssessment,
)

router = Router(tags=["csp"])


# --- compliance grid ----------------------------------------------------------------------------------


class CellOut(Schema):
    duty: str
    rag: str = Field(description="red, amber or green")
    reason: str
    record_id: int | None


class GridRowOut(Schema):
    csp: str = Field(description="ONS code of the CSP.")
    csp_name: str
    responsible_authorities: CellOut
    missing_responsible_authorities: list[str]
    duties: list[CellOut]


class GridOut(Schema):
    force_area: str
    year: int = Field(description="Start of the financial year: 2025 is 2025/26.")
    rows: list[GridRowOut]


class GridFilters(Schema):
    force_area: str | None = Field(None, description="ONS code of the force area; your own if left out.")
    year: int | None = Field(None, description="Financial year starting; the current one if left out.")


@router.get("/grid", response=responses({200: GridOut}, 404), summary="The compliance grid of a force area")
def compliance_grid(request: HttpRequest, filters: Query[GridFilters]) -> Any:
    """Every CSP of a force area by every statutory duty, each cell red/amber/green with its reason, and
    whether all five responsible authority types serve the CSP."""
    api_require(request, "csp.view")
    force_areas = selectors.force_areas_for(staff_user(request))
    force_area = (
        force_areas.filter(code=filters.force_area).first() if filters.force_area else force_areas.first()
    )
    if force_area is None:
        raise api_refusal(request, "csp.view")
    today = timezone.localdate()
    year = filters.year or current_year(today)
    rows = selectors.compliance_grid(user=staff_user(request), force_area=force_area, year=year, today=today)
    return {
        "force_area": force_area.code,
        "year": year,
        "rows": [
            {
                "csp": row.csp.code,
                "csp_name": row.csp.name,
                "responsible_authorities": {
                    "duty": "responsible_authorities",
                    "rag": row.authorities.cell.rag,
                    "reason": row.authorities.cell.reason,
                    "record_id": None,
                },
                "missing_responsible_authorities": row.authorities.missing,
                "duties": [
                    {
                        "duty": duty.duty.value,
                        "rag": cell.rag,
                        "reason": cell.reason,
                        "record_id": cell.record.pk if cell.record else None,
                    }
                    for duty, cell in zip(STATUTORY_DUTIES, row.cells, strict=True)
                ],
            }
            for row in rows
        ],
    }


# --- duty records -------------------------------------------------------------------------------------


class DutyRecordOut(Schema):
    id: int
    csp: str = Field(alias="csp.code")
    year: int
    duty: str
    duty_label: str = Field(alias="get_duty_display")
    due_date: date
    status: str
    evidence_link: str
    evidence_text: str
    evidence_date: date | None
    approved_by: str
    signed_off_by: list[int] = Field(description="Ids of the responsible authorities that signed it off.")
    version: int
    updated_at: datetime

    @staticmethod
    def resolve_signed_off_by(obj: DutyRecord) -> list[int]:
        return sorted(o.pk for o in obj.signed_off_by.all())


class DutyFilters(Schema):
    csp: str | None = Field(None, description="ONS code of a CSP.")
    year: int | None = None


def _filtered(queryset: Any, filters: DutyFilters) -> Any:
    """`queryset` narrowed to the CSP and the year asked for, if any."""
    if filters.csp:
        queryset = queryset.filter(csp__code=filters.csp)
    if filters.year:
        queryset = queryset.filter(year=filters.year)
    return queryset


@limits_from(DutyRecord)
class DutyRecordIn(Schema):
    """The whole record (a full replacement), with the version you read. Every error is reported at once."""

    due_date: str = ""
    status: str = Field(
        "", json_schema_extra={"enum": ["not_started", "in_progress", "complete", "not_required"]}
    )
    evidence_link: str = ""
    evidence_text: str = ""
    evidence_date: str = ""
    approved_by: str = ""
    signed_off_by: list[int] = Field(default_factory=list)
    version: int


@list_operation(
    router, "/duties", DutyRecordOut, summary="List duty records", permission="csp.view", errors=()
)
def list_duty_records(request: HttpRequest, filters: Query[DutyFilters]) -> Any:
    records = (
        DutyRecord.objects.restrict(request.user, "csp.view")
        .select_related("csp")
        .prefetch_related("signed_off_by")
    )
    return _filtered(records, filters).order_by("csp__name", "year", "due_date", "duty")


@router.put(
    "/duties/{id}",
    response=responses({200: DutyRecordOut}, 404, 409),
    summary="Replace a duty record's details",
)
def update_duty_record(request: HttpRequest, id: int, payload: DutyRecordIn) -> Any:
    """Status, evidence and sign-offs. Another CSP's record, or a role that may not change it → 404."""
    record = DutyRecord.objects.restrict(request.user, "csp.view").get(pk=id)
    api_require(request, "csp.change", record)
    services.update_duty_record(
        actor=staff_user(request),
        record=record,
        expected_version=payload.version,
        data=payload.model_dump(exclude={"version"}),
    )
    return DutyRecord.objects.select_related("csp").get(pk=id)


# --- domestic homicide reviews ----------------------------------------------------------------------------


class StageOut(Schema):
    name: str
    label: str
    done_on: date | None
    expected_by: date | None
    overdue: bool


class DhrOut(Schema):
    id: int
    csp: str = Field(alias="csp.code")
    case_reference: str
    notified_on: date
    decision: str
    decision_on: date | None
    independent_chair: str
    published_on: date | None
    published_title: str
    stages: list[StageOut]
    version: int

    @staticmethod
    def resolve_stages(obj: DomesticHomicideReview) -> list[dict[str, Any]]:
        return [s.__dict__ for s in selectors.dhr_stages(obj, today=timezone.localdate())]


@list_operation(router, "/dhrs", DhrOut, summary="List domestic homicide reviews", permission="csp.dhr.view")
def list_dhrs(request: HttpRequest) -> Any:
    """The register, by case reference only, each with its stages and whether any is overdue."""
    return selectors.list_dhrs(user=staff_user(request))


# --- partnership plans ----------------------------------------------------------------------------------


class PriorityOut(Schema):
    id: int
    title: str
    description: str
    strategic_assessment_id: int | None = Field(description="The published strategic assessment it cites.")
    pcc_priorities: list[int] = Field(description="Ids of the Police and Crime Plan priorities it serves.")

    @staticmethod
    def resolve_pcc_priorities(obj: Any) -> list[int]:
        return sorted(p.pk for p in obj.pcc_priorities.all())


class PlanOut(Schema):
    id: int
    csp: str = Field(alias="csp.code")
    title: str
    period_start: date
    period_end: date
    police_and_crime_plan_id: int | None
    is_public: bool
    priorities: list[PriorityOut]
    version: int


@list_operation(router, "/plans", PlanOut, summary="List CSP partnership plans", permission="csp.view")
def list_plans(request: HttpRequest, filters: Query[DutyFilters]) -> Any:
    """Each plan with its priorities, the strategic assessment each cites and the PCC priorities it serves."""
    plans = (
        CspPlan.objects.restrict(request.user, "csp.view")
        .select_related("csp")
        .prefetch_related("priorities__pcc_priorities")
    )
    if filters.csp:
        plans = plans.filter(csp__code=filters.csp)
    return plans


# --- quarterly briefing notes ----------------------------------------------------------------------------


class BriefingNoteOut(Schema):
    id: int
    csp: str = Field(alias="csp.code")
    year: int
    quarter: int
    status: str = Field(description="draft or submitted")
    plan_progress: str
    duty_compliance: str
    crime_trend: str
    funded_projects: str
    manager_commentary: str
    submitted_on: date | None
    version: int


@limits_from(BriefingNote)
class BriefingNoteIn(Schema):
    """The draft's sections (a full replacement), with the version you read; `submit` sends it to the Panel."""

    plan_progress: str = ""
    duty_compliance: str = ""
    crime_trend: str = ""
    funded_projects: str = ""
    manager_commentary: str = ""
    submit: bool = False
    version: int


@list_operation(
    router,
    "/briefings",
    BriefingNoteOut,
    summary="List quarterly briefing notes",
    permission="csp.briefing.view",
)
def list_briefing_notes(request: HttpRequest, filters: Query[DutyFilters]) -> Any:
    return _filtered(selectors.list_briefing_notes(user=staff_user(request)), filters)


@router.put(
    "/briefings/{id}",
    response=responses({200: BriefingNoteOut}, 404, 409),
    summary="Edit a draft briefing note, or submit it",
)
def update_briefing_note(request: HttpRequest, id: int, payload: BriefingNoteIn) -> Any:
    """CSP managers edit their own CSP's drafts; a stale version is refused with 409."""
    note = BriefingNote.objects.restrict(request.user, "csp.briefing.view").select_related("csp").get(pk=id)
    api_require(request, "csp.change", note)
    briefing_services.update_briefing_note(
        actor=staff_user(request),
        note=note,
        expected_version=payload.version,
        data=payload.model_dump(exclude={"version", "submit"}),
        submit=payload.submit,
    )
    return BriefingNote.objects.select_related("csp").get(pk=id)


# --- information-sharing protocols -------------------------------------------------------------------------


class LiaisonOut(Schema):
    responsible_authority: str
    organisation: str
    officer: str
    email: str
    agreement_id: int


class ProtocolsOut(Schema):
    csp: str
    agreements: list[int] = Field(description="Ids of the active casework information-sharing agreements.")
    liaison_officers: list[LiaisonOut]
    gaps: list[str] = Field(description="Responsible authority types with no designated liaison officer.")
    problem: str


@router.get(
    "/csps/{code}/protocols",
    response=responses({200: ProtocolsOut}, 404),
    summary="A CSP's information-sharing protocols and liaison officers",
)
def csp_protocols(request: HttpRequest, code: str) -> Any:
    csp = Area.objects.filter(level=AreaLevel.CSP, code=code).first()
    if csp is None:
        raise api_refusal(request, "csp.protocols.view")
    api_require(request, "csp.protocols.view", csp)
    check = selectors.protocol_check(csp)
    return {
        "csp": csp.code,
        "agreements": [a.pk for a in check.agreements],
        "liaison_officers": [
            {
                "responsible_authority": label,
                "organisation": o.organisation.name,
                "officer": o.name,
                "email": o.email,
                "agreement_id": o.agreement.pk,
            }
            for label, officers in check.officers.items()
            for o in officers
        ],
        "gaps": check.gaps,
        "problem": check.problem,
    }


# --- strategic assessments --------------------------------------------------------------------------------


class AssessmentOut(Schema):
    id: int
    csp: str = Field(alias="csp.code")
    title: str
    year: int
    published_on: date
    approved_by: str
    link: str
    has_document: bool
    crime_trend_headline: str
    insight_assessment_id: int | None = Field(
        description="The saved insight assessment it came from, if any."
    )
    version: int

    @staticmethod
    def resolve_has_document(obj: StrategicAssessment) -> bool:
        return bool(obj.document)


@list_operation(
    router,
    "/assessments",
    AssessmentOut,
    summary="List published CSP strategic assessments",
    permission="csp.view",
)
def list_assessments(request: HttpRequest, filters: Query[DutyFilters]) -> Any:
    return _filtered(
        StrategicAssessment.objects.restrict(request.user, "csp.view").select_related("csp"), filters
    )
