"""Funding endpoints: funds, grant rounds, applications (staff), awards, contracts (read and write),
joint commissioning boards and frameworks (read), and the public list of awarded grants.

No `from __future__ import annotations` (see core/api.py: ninja resolves @paginate'd annotations).
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch
from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.responses import Status

from joinedup.core.api_schemas import limits_from, responses
from joinedup.core.views.base import api_require

from . import commissioning_selectors, commissioning_services, selectors, services
from .models import (
    CallOff,
    CommissioningBoard,
    Contract,
    Framework,
    FrameworkLot,
    Fund,
    GrantRound,
    Kpi,
    PooledContribution,
)

router = Router(tags=["funding"])


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
    priorities: list[int] = Field(description="Ids of the Police and Crime Plan priorities served.")
    version: int

    @staticmethod
    def resolve_priorities(obj: Fund) -> list[int]:
        return [p.pk for p in obj.priorities.all()]

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
    fund: int = Field(alias="fund_id", description="The fund's id.")
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
    def resolve_criteria(obj: GrantRound) -> list[dict[str, Any]]:
        return [{"name": c.name, "weight": c.weight} for c in obj.criteria.all()]


class ApplicationOut(Schema):
    id: int
    reference: str
    round: int = Field(alias="round_id")
    organisation_name: str
    charity_number: str
    company_number: str
    project_title: str
    project_description: str
    amount_requested: Decimal | None
    status: str
    submitted_at: datetime | None
    version: int


class AwardOut(Schema):
    id: int
    identifier: str = Field(description="The 360Giving grant identifier.")
    application: int = Field(alias="application_id")
    fund: int = Field(alias="fund_id")
    recipient_name: str
    charity_number: str
    company_number: str
    title: str
    amount: Decimal
    awarded_on: date
    conditions: str


@router.get("/funding/funds", response=responses({200: list[FundOut]}, 404), summary="List funds")
@paginate(LimitOffsetPagination)
def list_funds(request: HttpRequest) -> Any:
    api_require(request, "funding.view")
    return (
        selectors.list_funds(user=request.user).select_related("decision_body").prefetch_related("priorities")
    )


class BudgetIn(Schema):
    year: int = Field(description="Start of the financial year: 2025 is 2025-26.")
    amount: str = Field(description="Pounds and pence, e.g. '100000.00'.")


@limits_from(Fund)
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
    priorities: list[int] = Field(
        default_factory=list, description="Ids of Police and Crime Plan priorities."
    )
    eligibility_rules: str = ""
    description: str = ""


@router.post("/funding/funds", response=responses({201: FundOut}, 403), summary="Set up a fund")
def create_fund(request: HttpRequest, payload: FundIn) -> Any:
    """OPCC officers and administrators only; other roles get 403."""
    api_require(request, "funding.manage", status=403)
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
    api_require(request, "funding.view")
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
    api_require(request, "funding.view")
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
    api_require(request, "funding.view")
    return selectors.list_awards(user=request.user)


# --- public: awarded grants ----------------------------------------------------------------------------


class PublicGrantOut(Schema):
    """An awarded grant as the public grants page shows it (the same facts as the 360Giving data)."""

    identifier: str = Field(description="The 360Giving grant identifier.")
    recipient_name: str
    title: str
    description: str
    amount: Decimal = Field(description="Amount awarded, in pounds (after any variation).")
    awarded_on: date
    fund: str = Field(alias="fund.name", description="The fund (grant programme) it came from.")


@router.get(
    "/grants",
    auth=None,
    response=responses({200: list[PublicGrantOut]}),
    summary="Awarded grants (public, no token needed)",
    tags=["public"],
)
@paginate(LimitOffsetPagination)
def list_public_grants(request: HttpRequest) -> Any:
    """Every grant awarded, newest first; open data, so no token is needed. Applications that were not
    funded, scores and panel details are never included."""
    return selectors.public_awards()


# --- commissioning ---------------------------------------------------------------------------------------


class KpiOut(Schema):
    id: int
    name: str
    unit: str
    target: Decimal
    higher_is_better: bool


class ContractOut(Schema):
    id: int
    reference: str
    title: str
    provider: int = Field(alias="provider_id", description="Organisation id of the provider.")
    provider_name: str = Field(alias="provider.name")
    commissioner: int | None = Field(alias="commissioner_id")
    fund: int | None = Field(alias="fund_id")
    board: int | None = Field(alias="board_id")
    csp: str | None = Field(description="ONS code of the CSP area served.")
    value: Decimal
    starts_on: date
    ends_on: date
    priorities: list[int] = Field(description="Ids of the Police and Crime Plan priorities served.")
    description: str
    kpis: list[KpiOut]
    version: int

    @staticmethod
    def resolve_csp(obj: Contract) -> str | None:
        return obj.csp.code if obj.csp else None

    @staticmethod
    def resolve_priorities(obj: Contract) -> list[int]:
        return [p.pk for p in obj.priorities.all()]


@limits_from(Kpi)
class KpiIn(Schema):
    name: str = ""
    target: str = Field("", description="A number, e.g. '90' or '12.5'.")
    unit: str = ""
    higher_is_better: bool = True


@limits_from(Contract)
class ContractIn(Schema):
    """A contract. Every field is checked together, so a 422 lists every problem at once."""

    reference: str = ""
    title: str = ""
    provider: int | None = Field(None, description="Organisation id.")
    commissioner: int | None = Field(None, description="Organisation id.")
    fund: int | None = None
    board: int | None = None
    csp: str = Field("", description="ONS code of the CSP area served.")
    value: str = Field("", description="Pounds and pence, e.g. '250000.00'.")
    starts_on: str = Field("", description="YYYY-MM-DD")
    ends_on: str = Field("", description="YYYY-MM-DD")
    priorities: list[int] = Field(default_factory=list)
    description: str = ""
    kpis: list[KpiIn] = Field(default_factory=list)


class ContractUpdate(ContractIn):
    version: int = Field(description="The version you read; a stale one gets 409.")


@router.get("/funding/contracts", response=responses({200: list[ContractOut]}, 404), summary="List contracts")
@paginate(LimitOffsetPagination)
def list_contracts(
    request: HttpRequest, q: str = "", provider: int | None = None, fund: int | None = None
) -> Any:
    api_require(request, "funding.view")
    return commissioning_selectors.list_contracts(
        user=request.user, q=q, provider=provider, fund=fund
    ).prefetch_related("priorities", "kpis")


@router.get("/funding/contracts/{id}", response=responses({200: ContractOut}, 404), summary="One contract")
def get_contract(request: HttpRequest, id: int) -> Any:
    return commissioning_selectors.get_contract(user=request.user, pk=id)


@router.post("/funding/contracts", response=responses({201: ContractOut}, 403), summary="Record a contract")
def create_contract(request: HttpRequest, payload: ContractIn) -> Any:
    """OPCC officers and administrators only; other roles get 403."""
    api_require(request, "funding.manage", status=403)
    contract = commissioning_services.create_contract(actor=request.user, data=payload.model_dump())
    return Status(201, commissioning_selectors.get_contract(user=request.user, pk=contract.pk))


@router.put(
    "/funding/contracts/{id}", response=responses({200: ContractOut}, 404, 409), summary="Update a contract"
)
def update_contract(request: HttpRequest, id: int, payload: ContractUpdate) -> Any:
    """Send every field and the `version` you read; a stale version gets 409 and nothing is saved."""
    contract = commissioning_selectors.get_contract(user=request.user, pk=id)
    api_require(request, "funding.manage")
    data = payload.model_dump()
    version = data.pop("version")
    commissioning_services.update_contract(
        actor=request.user, contract=contract, expected_version=version, data=data
    )
    return commissioning_selectors.get_contract(user=request.user, pk=id)


class ContributionOut(Schema):
    organisation: int = Field(alias="organisation_id")
    organisation_name: str = Field(alias="organisation.name")
    year: int = Field(description="Start of the financial year: 2025 is 2025-26.")
    amount: Decimal


class BoardOut(Schema):
    id: int
    name: str
    description: str
    members: list[int] = Field(description="Organisation ids of the member organisations.")
    contributions: list[ContributionOut]
    pooled_total: Decimal
    version: int

    @staticmethod
    def resolve_members(obj: CommissioningBoard) -> list[int]:
        return [m.pk for m in obj.members.all()]

    @staticmethod
    def resolve_pooled_total(obj: CommissioningBoard) -> Decimal:
        return sum((c.amount for c in obj.contributions.all()), Decimal("0.00"))


def _boards(request: HttpRequest) -> Any:
    return commissioning_selectors.list_boards(user=request.user).prefetch_related(
        "members",
        Prefetch("contributions", queryset=PooledContribution.objects.select_related("organisation")),
    )


@router.get(
    "/funding/boards",
    response=responses({200: list[BoardOut]}, 404),
    summary="List joint commissioning boards",
)
@paginate(LimitOffsetPagination)
def list_boards(request: HttpRequest) -> Any:
    api_require(request, "funding.view")
    return _boards(request)


@router.get("/funding/boards/{id}", response=responses({200: BoardOut}, 404), summary="One board")
def get_board(request: HttpRequest, id: int) -> Any:
    try:
        return _boards(request).get(pk=id)
    except CommissioningBoard.DoesNotExist:
        raise Http404 from None


class CallOffOut(Schema):
    id: int
    reference: str
    organisation: int = Field(
        alias="organisation_id", description="Organisation id of the OPCC or partner calling off."
    )
    organisation_name: str = Field(alias="organisation.name")
    value: Decimal
    starts_on: date
    ends_on: date


class LotOut(Schema):
    number: int
    title: str
    supplier: int = Field(alias="supplier_id")
    supplier_name: str = Field(alias="supplier.name")
    call_offs: list[CallOffOut]


class FrameworkOut(Schema):
    id: int
    reference: str
    name: str
    lead: int = Field(alias="lead_id")
    starts_on: date
    ends_on: date
    description: str
    lots: list[LotOut]
    version: int


def _frameworks(request: HttpRequest) -> Any:
    return commissioning_selectors.list_frameworks(user=request.user).prefetch_related(
        Prefetch(
            "lots",
            queryset=FrameworkLot.objects.select_related("supplier").prefetch_related(
                Prefetch("call_offs", queryset=CallOff.objects.select_related("organisation"))
            ),
        )
    )


@router.get(
    "/funding/frameworks", response=responses({200: list[FrameworkOut]}, 404), summary="List frameworks"
)
@paginate(LimitOffsetPagination)
def list_frameworks(request: HttpRequest) -> Any:
    api_require(request, "funding.view")
    return _frameworks(request)


@router.get("/funding/frameworks/{id}", response=responses({200: FrameworkOut}, 404), summary="One framework")
def get_framework(request: HttpRequest, id: int) -> Any:
    try:
        return _frameworks(request).get(pk=id)
    except Framework.DoesNotExist:
        raise Http404 from None
