"""Funding endpoints: funds, grant rounds, applications (staff) and awards. Read-only for now.

No `from __future__ import annotations` (see core/api.py: ninja resolves @paginate'd annotations).
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.responses import Status

from joinedup.api.schemas import responses
from joinedup.core.audit import record_event
from joinedup.core.models import EventType
from joinedup.core.permissions import has_permission
from joinedup.core.views.base import deny

from . import selectors, services
from .models import Application, Award, Fund, GrantRound

router = Router(tags=["funding"])


def _need(request: HttpRequest, action: str) -> None:
    if not has_permission(request.user, action):
        raise deny(request, action)


class BudgetOut(Schema):
    year: int = Field(description="Start of the financial year: 2025 is 2025-26.")
    amount: Decimal


class FundOut(Schema):
    id: int
    name: str
    source: str
    distribution_model: str
    force_area: str | None = Field(description="ONS code of the police force area.")
    plan_priorities: str
    eligibility_rules: str
    max_award: Decimal | None
    decision_body: str | None
    budgets: list[BudgetOut]
    version: int

    @staticmethod
    def resolve_force_area(obj: Fund) -> str | None:
        return obj.force_area.code if obj.force_area else None

    @staticmethod
    def resolve_decision_body(obj: Fund) -> str | None:
        return obj.decision_body.name if obj.decision_body else None

    @staticmethod
    def resolve_budgets(obj: Fund) -> list[dict[str, Any]]:
        return [{"year": b.year, "amount": b.amount} for b in obj.budgets.all()]


class CriterionOut(Schema):
    name: str
    weight: int


class RoundOut(Schema):
    id: int
    fund: int = Field(description="The fund's id.")
    name: str
    opens_on: date
    closes_on: date
    budget: Decimal
    max_award: Decimal | None
    max_score: int
    status: str
    criteria: list[CriterionOut]
    version: int

    @staticmethod
    def resolve_fund(obj: GrantRound) -> int:
        return obj.fund_id

    @staticmethod
    def resolve_criteria(obj: GrantRound) -> list[dict[str, Any]]:
        return [{"name": c.name, "weight": c.weight} for c in obj.criteria.all()]


class ApplicationOut(Schema):
    id: int
    reference: str
    round: int
    organisation_name: str
    charity_number: str
    company_number: str
    project_title: str
    project_description: str
    amount_requested: Decimal | None
    status: str
    submitted_at: datetime | None
    version: int

    @staticmethod
    def resolve_round(obj: Application) -> int:
        return obj.round_id


class AwardOut(Schema):
    id: int
    identifier: str = Field(description="The 360Giving grant identifier.")
    application: int
    fund: int
    recipient_name: str
    charity_number: str
    company_number: str
    title: str
    amount: Decimal
    awarded_on: date
    conditions: str

    @staticmethod
    def resolve_application(obj: Award) -> int:
        return obj.application_id

    @staticmethod
    def resolve_fund(obj: Award) -> int:
        return obj.fund_id


@router.get("/funding/funds", response=responses({200: list[FundOut]}, 404), summary="List funds")
@paginate(LimitOffsetPagination)
def list_funds(request: HttpRequest) -> Any:
    _need(request, "funding.view")
    return selectors.list_funds(user=request.user).select_related("decision_body")


class BudgetIn(Schema):
    year: int = Field(description="Start of the financial year: 2025 is 2025-26.")
    amount: str = Field(description="Pounds and pence, e.g. '100000.00'.")


class FundIn(Schema):
    """A fund. Every field is checked together, so a 422 lists every problem at once."""

    name: str = ""
    source: str = Field(
        "", description="community_safety, proceeds_of_crime, victims_grant, precept, external"
    )
    distribution_model: str = Field(
        "", description="formula, open_rounds, direct, co_commissioning or csp_forum"
    )
    force_area: str = Field("", description="ONS code of the police force area (needed for a formula).")
    budgets: list[BudgetIn] = Field(default_factory=list)
    max_award: str = Field("", description="Pounds and pence, or empty for no limit.")
    decision_body: int | None = Field(None, description="Organisation id.")
    plan_priorities: str = ""
    eligibility_rules: str = ""
    description: str = ""


@router.post("/funding/funds", response=responses({201: FundOut}, 403), summary="Set up a fund")
def create_fund(request: HttpRequest, payload: FundIn) -> Any:
    """OPCC officers and administrators only; other roles get 403."""
    if not has_permission(request.user, "funding.manage"):
        record_event(EventType.PERMISSION_DENIED, request=request, detail={"action": "funding.manage"})
        raise PermissionDenied
    data = payload.model_dump()
    data["budgets"] = [{"year": b["year"], "amount": b["amount"]} for b in data["budgets"]]
    fund = services.create_fund(actor=request.user, data=data)
    return Status(201, selectors.get_fund(user=request.user, pk=fund.pk))


@router.get("/funding/funds/{id}", response=responses({200: FundOut}, 404), summary="One fund")
def get_fund(request: HttpRequest, id: int) -> Any:
    return selectors.get_fund(user=request.user, pk=id)


@router.get("/funding/rounds", response=responses({200: list[RoundOut]}, 404), summary="List grant rounds")
@paginate(LimitOffsetPagination)
def list_rounds(request: HttpRequest, fund: int | None = None) -> Any:
    _need(request, "funding.view")
    rounds = selectors.list_rounds(user=request.user).prefetch_related("criteria")
    return rounds.filter(fund_id=fund) if fund is not None else rounds


@router.get("/funding/rounds/{id}", response=responses({200: RoundOut}, 404), summary="One grant round")
def get_round(request: HttpRequest, id: int) -> Any:
    return selectors.get_round(user=request.user, pk=id)


@router.get(
    "/funding/applications",
    response=responses({200: list[ApplicationOut]}, 404),
    summary="List grant applications",
)
@paginate(LimitOffsetPagination)
def list_applications(request: HttpRequest, round: int | None = None) -> Any:
    """Every application, for staff who read funding. Panel members use `/funding/panel/applications`."""
    _need(request, "funding.view")
    applications = selectors.list_applications(user=request.user)
    return applications.filter(round_id=round) if round is not None else applications


@router.get(
    "/funding/applications/{id}", response=responses({200: ApplicationOut}, 404), summary="One application"
)
def get_application(request: HttpRequest, id: int) -> Any:
    return selectors.get_application(user=request.user, pk=id)


@router.get(
    "/funding/panel/applications",
    response=responses({200: list[ApplicationOut]}),
    summary="Applications assigned to me to score",
)
@paginate(LimitOffsetPagination)
def list_assigned_applications(request: HttpRequest) -> Any:
    """Only those assigned to the token's owner, never one they declared a conflict of interest on."""
    return selectors.assigned_applications(user=request.user)


@router.get(
    "/funding/panel/applications/{id}",
    response=responses({200: ApplicationOut}, 404),
    summary="One application assigned to me",
)
def get_assigned_application(request: HttpRequest, id: int) -> Any:
    return selectors.get_assigned_application(user=request.user, pk=id)


@router.get("/funding/awards", response=responses({200: list[AwardOut]}, 404), summary="List awards")
@paginate(LimitOffsetPagination)
def list_awards(request: HttpRequest) -> Any:
    _need(request, "funding.view")
    return selectors.list_awards(user=request.user)
