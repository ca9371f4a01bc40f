"""Performance endpoints: indicators, their values, the quarterly reports, and manual returns.

No `from __future__ import annotations` (see core/api.py: ninja resolves annotations at import).
"""

from datetime import date
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from joinedup.core.api_schemas import list_operation, responses
from joinedup.core.views.base import api_refusal, api_require

from . import selectors, services
from .models import Indicator, IndicatorValue, Source

router = Router(tags=["performance"])


class ValueOut(Schema):
    period_start: date
    period_end: date
    value: Decimal | None = Field(
        description="null when the source has no data for the period (never 0), or when a casework count "
        "of 1 or 2, or a percentage worked out from one, is withheld from you (the reason says which)."
    )
    target: Decimal | None
    status: str = Field(description="on_track, at_risk, off_track or no_data")
    reason: str = Field(description="Why, in words.")
    trend: str = Field(description="Police data: the assessment's like-for-like change (BH-adjusted).")
    coverage_warning: str
    computed_at: str


class IndicatorOut(Schema):
    id: int
    name: str
    definition: str
    plan: str = Field(description="pcc or csp")
    plan_id: int
    priority: str
    area: str = Field(description="ONS code of the area measured.")
    unit: str
    direction: str
    baseline_from: date
    baseline_to: date
    target_kind: str
    target_value: Decimal
    frequency: str
    owner: str
    source: str = Field(
        description="Where the values come from: "
        + "; ".join(f"{value} ({label})" for value, label in Source.choices)
        + "."
    )
    source_description: str = Field(description="The source in words: what is counted, from what.")
    police_measure: str
    crime_type: str
    repeat_minimum: int | None = Field(
        description="Repeat locations: the crimes at one location that make it a repeat location."
    )
    casework_measure: str
    contract_kpi: int | None = Field(
        description="Source contract: the KPI (of a contract or call-off) whose supplier returns give the "
        "values; null for other sources, or when the KPI has been removed."
    )
    outcome_measure: int | None = Field(
        description="Source grant: the grant outcome measure whose accepted monitoring returns give the "
        "values; null for other sources, or when the measure has been removed."
    )


class IndicatorDetailOut(IndicatorOut):
    values: list[ValueOut]


class PanelRecommendationRefOut(Schema):
    id: int
    title: str
    made_on: date
    report_quarter: date | None = Field(description="First day of the quarter whose report it came from.")
    status: str


class PanelCommentOut(Schema):
    id: int
    text: str
    author: str = Field(description="The Panel member's name (empty when their account has gone).")
    author_role: str
    created_at: str
    report_quarter: date
    turned_into_recommendation: bool
    recommendation_id: int | None = Field(
        description="The recommendation made from the comment, when you may read the Panel's "
        "recommendations (null otherwise, or when not turned into one)."
    )


class ReportRowOut(Schema):
    priority: str
    indicator: IndicatorOut
    reported: ValueOut | None
    commentary: str
    values: list[ValueOut]
    panel_recommendations: list[PanelRecommendationRefOut] = Field(
        description="The Police and Crime Panel's recommendations about the indicator (the Police and Crime "
        "Plan's report; empty unless you may read the Panel's recommendations)."
    )
    panel_comments: list[PanelCommentOut] = Field(
        description="The Panel's comments on the indicator in this quarter's report, newest first (the Police "
        "and Crime Plan's report)."
    )


class ReportOut(Schema):
    plan: str
    title: str
    quarter_start: date
    quarter_end: date
    rows: list[ReportRowOut]


class IndicatorFilters(Schema):
    plan: str | None = Field(None, description="pcc or csp", max_length=3)
    plan_id: int | None = Field(None, ge=1)


class QuarterQuery(Schema):
    quarter: str | None = Field(None, description="YYYY-MM of the quarter's first month.", max_length=7)


class ReturnIn(Schema):
    period_start: date = Field(description="First day of the period the figure is for.")
    value: str = Field(
        description="The figure in the indicator's unit, as text to keep it exact, e.g. '86' or '12.5' (at "
        "most two decimal places; a count is whole; a percentage 0 to 100).",
        max_length=20,
    )
    note: str = Field("", max_length=5000)


class ReturnOut(Schema):
    id: int
    indicator: int
    period_start: date
    value: Decimal
    organisation: str


_VALUE_FIELDS = (
    "period_start",
    "period_end",
    "value",
    "target",
    "status",
    "reason",
    "trend",
    "coverage_warning",
)


def _value(v: IndicatorValue) -> dict[str, Any]:
    return {name: getattr(v, name) for name in _VALUE_FIELDS} | {"computed_at": v.computed_at.isoformat()}


def _indicator(i: Indicator, sources: dict[int, str]) -> dict[str, Any]:
    pcc = i.plan_priority_id is not None
    priority: Any = i.plan_priority if pcc else i.csp_priority
    return {
        "id": i.pk,
        "name": i.name,
        "definition": i.definition,
        "plan": "pcc" if pcc else "csp",
        "plan_id": priority.plan_id,
        "priority": priority.title,
        "area": i.area.code,
        "unit": i.unit,
        "direction": i.direction,
        "baseline_from": i.baseline_from,
        "baseline_to": i.baseline_to,
        "target_kind": i.target_kind,
        "target_value": i.target_value,
        "frequency": i.frequency,
        "owner": i.owner.name,
        "source": i.source,
        "source_description": sources[i.pk],
        "police_measure": i.police_measure,
        "crime_type": i.crime_type,
        "repeat_minimum": i.repeat_minimum,
        "casework_measure": i.casework_measure,
        "contract_kpi": i.contract_kpi_id,
        "outcome_measure": i.outcome_measure_id,
    }


def _recommendation(item: Any) -> dict[str, Any]:
    return {"id": item.pk} | {
        name: getattr(item, name) for name in ("title", "made_on", "report_quarter", "status")
    }


def _comment(comment: Any) -> dict[str, Any]:
    author = comment.created_by
    return {
        "id": comment.pk,
        "text": comment.text,
        "author": author.full_name if author else "",
        "author_role": author.get_role_display() if author else "",
        "created_at": comment.created_at.isoformat(),
        "report_quarter": comment.report_quarter,
        "turned_into_recommendation": comment.recommendation_id is not None,
        "recommendation_id": comment.made_into.pk if comment.made_into else None,
    }


@list_operation(
    router,
    "/indicators",
    IndicatorOut,
    summary="Indicators you may see",
    permission="performance.view",
    errors=(),
)
def list_indicators(request: HttpRequest, filters: Query[IndicatorFilters]) -> Any:
    """Indicators of the Police and Crime Plan's and CSP plans' priorities (Panel members: the Police and
    Crime Plan's only)."""
    indicators = selectors.indicators_for(user=request.user).order_by("pk")
    if filters.plan == "pcc":
        indicators = indicators.filter(plan_priority__isnull=False)
        if filters.plan_id:
            indicators = indicators.filter(plan_priority__plan=filters.plan_id)
    elif filters.plan == "csp":
        indicators = indicators.filter(csp_priority__isnull=False)
        if filters.plan_id:
            indicators = indicators.filter(csp_priority__plan=filters.plan_id)
    found = list(indicators)
    sources = selectors.source_descriptions(found)
    return [_indicator(i, sources) for i in found]


@router.get(
    "/indicators/{indicator_id}",
    response=responses({200: IndicatorDetailOut}, 404),
    summary="An indicator with its current values",
)
def get_indicator(request: HttpRequest, indicator_id: int) -> Any:
    """Each period's value as last computed from its source, its target, status and reason."""
    indicator = selectors.get_indicator(user=request.user, pk=indicator_id)
    values = selectors.withhold_small_figures(request.user, indicator, selectors.current_values(indicator))
    sources = selectors.source_descriptions([indicator])
    return {**_indicator(indicator, sources), "values": [_value(v) for v in values]}


@router.get(
    "/reports/{kind}/{plan_id}",
    response=responses({200: ReportOut}, 404),
    summary="A plan's quarterly performance report",
)
def get_report(request: HttpRequest, kind: str, plan_id: int, query: Query[QuarterQuery]) -> Any:
    """`kind` is pcc (the Police and Crime Plan) or csp (a CSP plan). The latest quarter that has ended
    unless `quarter` names one."""
    if kind not in selectors.PLAN_KINDS:
        raise api_refusal(request, "performance.view")
    quarter = selectors.parse_quarter(query.quarter)
    report = selectors.plan_report(user=request.user, kind=kind, pk=plan_id, quarter=quarter, charts=False)
    selectors.add_panel_recommendations(user=request.user, report=report)
    return {
        "plan": kind,
        "title": report.plan.title,
        "quarter_start": quarter.start,
        "quarter_end": quarter.end,
        "rows": [
            {
                "priority": section.priority.title,
                "indicator": _indicator(row.indicator, {row.indicator.pk: row.source}),
                "reported": _value(row.reported) if row.reported else None,
                "commentary": row.commentary.text if row.commentary else "",
                "values": [_value(v) for v in row.values],
                "panel_recommendations": [_recommendation(item) for item in row.recommendations],
                "panel_comments": [_comment(comment) for comment in row.comments],
            }
            for section in report.sections
            for row in section.rows
        ],
    }


@router.post(
    "/indicators/{indicator_id}/returns",
    response=responses({201: ReturnOut}, 403, 404, 422),
    summary="Send a manual return",
)
def post_return(request: HttpRequest, indicator_id: int, payload: ReturnIn) -> Any:
    """Your organisation's figure for one period of an indicator it owns. Refused with every problem
    listed (422): a figure out of range for the unit, a period not yet ended, an organisation that does
    not owe the return, an indicator computed from another source."""
    api_require(request, "performance.return")
    indicator = selectors.get_indicator(user=request.user, pk=indicator_id)
    record = services.submit_return(
        actor=request.user,
        indicator=indicator,
        period_start=payload.period_start,
        value=payload.value,
        note=payload.note,
    )
    return Status(
        201,
        {
            "id": record.pk,
            "indicator": indicator.pk,
            "period_start": record.period_start,
            "value": record.value,
            "organisation": record.organisation.name,
        },
    )
