"""Insight endpoints: the strategic assessment of an area, as documented in joinedup.insight.assessment.

No `from __future__ import annotations` here (see core/api.py).
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from joinedup.api.schemas import responses
from joinedup.core.models import Area, AreaLevel
from joinedup.core.permissions import has_permission, restrict
from joinedup.core.views.base import deny
from joinedup.insight.assessment import AssessmentError, assess

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
    if not has_permission(request.user, "insight.assess"):
        raise deny(request, "insight.assess")
    areas = Area.objects.filter(level__in=(AreaLevel.PFA, AreaLevel.CSP, AreaLevel.LAD))
    if not restrict(areas, request.user, "insight.assess").filter(code=params.area.strip().upper()).exists():
        raise deny(request, "insight.assess")
    try:
        return assess(params.area, params.from_month, params.to_month)
    except AssessmentError as exc:
        raise ValidationError({"from": str(exc)}) from None
