"""Insight endpoints: the strategic assessment of an area, as documented in joinedup.insight.calculation.

No `from __future__ import annotations` here (see core/api.py).
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from joinedup.core.api_schemas import limits_from, responses
from joinedup.core.models import Area, AreaLevel
from joinedup.core.permissions import has_permission, restrict
from joinedup.core.views.base import api_refusal, api_require
from joinedup.insight import selectors
from joinedup.insight import services as assessment_services
from joinedup.insight.calculation import AssessmentError, assess
from joinedup.insight.models import SavedAssessment

from .models import AssessmentPriority

router = Router(tags=["insight"])


class AssessmentQuery(Schema):
    area: str = Field(description="ONS code of a force area, CSP or district, e.g. E22000245.")
    from_month: str | None = Field(None, alias="from", description="First month, YYYY-MM.")
    to_month: str | None = Field(None, alias="to", description="Last month, YYYY-MM.")


@router.get(
    "/assessments",
    response=responses({200: dict[str, Any]}, 404),
    summary="Strategic assessment of an area",
)
def get_assessment(request: HttpRequest, params: Query[AssessmentQuery]) -> Any:
    """Recorded crime and ASB for a force area, CSP or district over a period (default: the latest 12
    months in the store), against the period before: `totals` {`crimes_excl_asb`, `asb`, `population`,
    `rate_per_1000`, change and trend}, `by_crime_type` (data.police.uk names), `monthly` with 12-month
    rolling totals, `seasonality`, `harm` (Crime Severity weights, with method), `concentration` (top 5%
    and 10% of LSOAs, repeat locations), `comparison` (force area, 5 most similar areas), `outcomes`
    (last outcome shares, charge/summons rate) and `deprivation` (rates by IMD decile).

    An area your role may not assess (analysts and CSP managers: outside their own areas) → 404.
    A month that is not YYYY-MM, or a last month before the first → 422."""
    api_require(request, "insight.assess")
    areas = Area.objects.filter(level__in=(AreaLevel.PFA, AreaLevel.CSP, AreaLevel.LAD))
    if not restrict(areas, request.user, "insight.assess").filter(code=params.area.strip().upper()).exists():
        raise api_refusal(request, "insight.assess")
    try:
        return assess(params.area, params.from_month, params.to_month)
    except AssessmentError as exc:
        raise ValidationError({"from": str(exc)}) from None


# --- saved strategic assessments ------------------------------------------------------------------------


class SavedAssessmentSummary(Schema):
    id: int = Field(description="Stable identifier; a CSP plan cites an assessment by it.")
    title: str
    edition: int
    status: str = Field(description="draft or published; a published assessment never changes.")
    area: str = Field(description="ONS code of the area.")
    area_name: str
    from_month: str = Field(alias="from")
    to_month: str = Field(alias="to")
    version: int = Field(description="Send it back with a change; a stale version is refused with 409.")
    published_at: str | None


class SavedAssessmentFilters(Schema):
    area: str | None = Field(None, description="ONS code: only this area's assessments.")
    status: str | None = Field(None, description="draft or published.")


@limits_from(SavedAssessment)
class SavedAssessmentCreate(Schema):
    area: str = Field(description="ONS code of a force area, CSP or district.")
    from_month: str | None = Field(
        None, alias="from", description="First month, YYYY-MM (default: latest 12)."
    )
    to_month: str | None = Field(None, alias="to", description="Last month, YYYY-MM.")
    title: str = ""


@limits_from(AssessmentPriority)
class PriorityEntry(Schema):
    harm: int | None = Field(None, description="Only where the data gives no harm (ASB).")
    vulnerability: int | None = None
    concern: int | None = Field(None, description="Typed by the analyst (clears a source from engagement).")
    concern_from_engagement: bool | None = Field(
        None,
        description="True: take community concern from engagement in the area and period (docs/adr/0031); "
        "refused when fewer than 30 responses.",
    )
    capacity: int | None = Field(None, description="Capacity gap: 1 = well able to respond.")
    capability: int | None = Field(None, description="Capability gap: 1 = well able to respond.")
    override_rank: int | None = Field(None, description="Move the candidate to this rank (needs a reason).")
    override_reason: str | None = None


@limits_from(SavedAssessment)
class SavedAssessmentUpdate(Schema):
    version: int = Field(description="The version you read; if someone saved since → 409.")
    title: str | None = None
    narrative: str | None = None
    priorities: dict[str, PriorityEntry] | None = Field(
        None,
        description="{candidate key (crime type, or 'theme:' + name): scores}; only the fields sent change.",
    )


class VersionIn(Schema):
    version: int


def _saved(request: HttpRequest, pk: int, action: str = "insight.assessments.view") -> SavedAssessment:
    record = SavedAssessment.objects.select_related("area").filter(pk=pk).first()
    if record is None:
        raise api_refusal(request, action)
    api_require(request, action, record)
    return record


def _summary(record: SavedAssessment) -> dict[str, Any]:
    return {
        "id": record.pk,
        "title": record.title,
        "edition": record.edition,
        "status": record.status,
        "area": record.area.code,
        "area_name": record.area.name,
        "from": record.from_month,
        "to": record.to_month,
        "version": record.version,
        "published_at": record.published_at.isoformat() if record.published_at else None,
    }


@router.get(
    "/saved-assessments",
    response=responses({200: list[SavedAssessmentSummary]}, 404),
    summary="Saved strategic assessments",
)
def list_saved_assessments(request: HttpRequest, filters: Query[SavedAssessmentFilters]) -> Any:
    """Saved assessments you may read (analysts and CSP managers: their own areas), latest period first."""
    api_require(request, "insight.assessments.view")
    area = None
    if filters.area:
        area = Area.objects.filter(code=filters.area.strip().upper()).first()
        if area is None:
            raise api_refusal(request, "insight.assessments.view")
    records = selectors.saved_assessments(request.user, area=area)
    if filters.status:
        records = records.filter(status=filters.status)
    return [_summary(record) for record in records[:500]]


@router.get(
    "/saved-assessments/{pk}", response=responses({200: dict[str, Any]}, 404), summary="A saved assessment"
)
def get_saved_assessment(request: HttpRequest, pk: int) -> Any:
    """Parameters, data snapshot (store generation and import ids), narrative, scheme, the ranked
    prioritisation matrix with every factor's score and basis, and the results (as `/assessments`)."""
    return selectors.assessment_record(_saved(request, pk))


@router.post(
    "/saved-assessments",
    response=responses({201: dict[str, Any]}, 404),
    summary="Save an assessment as a draft",
)
def create_saved_assessment(request: HttpRequest, payload: SavedAssessmentCreate) -> Any:
    """Runs the assessment now and saves it with one candidate priority per crime type and ASB."""
    api_require(request, "insight.assessments.change")
    area = Area.objects.filter(
        code=payload.area.strip().upper(), level__in=(AreaLevel.PFA, AreaLevel.CSP, AreaLevel.LAD)
    ).first()
    if area is None or not has_permission(request.user, "insight.assess", area):
        # The area is out of reach: refused under the operation's own action, as before.
        raise api_refusal(request, "insight.assessments.change")
    try:
        record = assessment_services.create_assessment(
            actor=request.user,
            area=area,
            from_month=payload.from_month,
            to_month=payload.to_month,
            title=payload.title,
        )
    except AssessmentError as exc:
        raise ValidationError({"from": str(exc)}) from None
    return Status(201, selectors.assessment_record(record))


@router.patch(
    "/saved-assessments/{pk}",
    response=responses({200: dict[str, Any]}, 404, 409),
    summary="Change a draft's title, narrative or priorities",
)
def update_saved_assessment(request: HttpRequest, pk: int, payload: SavedAssessmentUpdate) -> Any:
    """Send the `version` you read. A published assessment cannot change (422); a stale version → 409."""
    record = _saved(request, pk, "insight.assessments.change")
    version = payload.version
    with transaction.atomic():
        if payload.title is not None or payload.narrative is not None:
            data = {
                k: v for k, v in (("title", payload.title), ("narrative", payload.narrative)) if v is not None
            }
            assessment_services.update_assessment(
                actor=request.user, assessment=record, expected_version=version, data=data
            )
            version = record.version
        if payload.priorities is not None:
            entries = {key: entry.dict(exclude_unset=True) for key, entry in payload.priorities.items()}
            assessment_services.save_priorities(
                actor=request.user, assessment=record, expected_version=version, entries=entries
            )
    return selectors.assessment_record(record)


@router.post(
    "/saved-assessments/{pk}/publish",
    response=responses({200: dict[str, Any]}, 404, 409),
    summary="Publish a draft assessment",
)
def publish_saved_assessment(request: HttpRequest, pk: int, payload: VersionIn) -> Any:
    """From then on it is frozen and can be cited by a CSP plan. Needs a narrative (422 without one)."""
    record = _saved(request, pk, "insight.assessments.change")
    assessment_services.publish_assessment(
        actor=request.user, assessment=record, expected_version=payload.version
    )
    return selectors.assessment_record(record)


@router.post(
    "/saved-assessments/{pk}/editions",
    response=responses({201: dict[str, Any]}, 404),
    summary="Start a new edition from a published assessment",
)
def start_saved_assessment_edition(request: HttpRequest, pk: int) -> Any:
    """A new draft of the same area and period with results from the current store, carrying over the
    narrative, themes, scores and ranks set."""
    record = _saved(request, pk, "insight.assessments.change")
    try:
        edition = assessment_services.start_new_edition(actor=request.user, assessment=record)
    except AssessmentError as exc:
        raise ValidationError({"from": str(exc)}) from None
    return Status(201, selectors.assessment_record(edition))
