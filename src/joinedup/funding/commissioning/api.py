"""Commissioning endpoints: contracts (read and write), joint commissioning boards and frameworks (read).
Mounted beside funding's own router (api/api.py), under the same tag.

No `from __future__ import annotations` (see core/api.py: ninja resolves @paginate'd annotations).
"""

from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.responses import Status

from joinedup.core.api_schemas import limits_from, list_operation, responses
from joinedup.core.views.base import api_require, staff_user

from ..models import CallOff, CommissioningBoard, Contract, FrameworkLot, Kpi, PooledContribution
from . import selectors, services

router = Router(tags=["funding"])


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
    ward: str | None = Field(
        description="ONS code of the electoral ward the service mainly serves, if one (a ward in the CSP area)."
    )
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
    def resolve_ward(obj: Contract) -> str | None:
        return obj.ward.code if obj.ward else None

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
    ward: str = Field(
        "",
        description="ONS code of the electoral ward the service mainly serves, if one: it must be a ward in "
        "the CSP area (empty for none).",
    )
    value: str = Field("", description="Pounds and pence, e.g. '250000.00'.")
    starts_on: str = Field("", description="YYYY-MM-DD")
    ends_on: str = Field("", description="YYYY-MM-DD")
    priorities: list[int] = Field(default_factory=list)
    description: str = ""
    kpis: list[KpiIn] = Field(default_factory=list)


class ContractUpdate(ContractIn):
    version: int = Field(description="The version you read; a stale one gets 409.")


@list_operation(
    router, "/funding/contracts", ContractOut, summary="List contracts", permission="funding.view"
)
def list_contracts(
    request: HttpRequest, q: str = "", provider: int | None = None, fund: int | None = None
) -> Any:
    return selectors.list_contracts(
        user=staff_user(request), q=q, provider=provider, fund=fund
    ).prefetch_related("priorities", "kpis")


@router.get("/funding/contracts/{id}", response=responses({200: ContractOut}, 404), summary="One contract")
def get_contract(request: HttpRequest, id: int) -> Any:
    return selectors.get_contract(user=staff_user(request), pk=id)


@router.post("/funding/contracts", response=responses({201: ContractOut}, 403), summary="Record a contract")
def create_contract(request: HttpRequest, payload: ContractIn) -> Any:
    """OPCC officers and administrators only; other roles get 403."""
    api_require(request, "funding.manage", status=403)
    contract = services.create_contract(actor=staff_user(request), data=payload.model_dump())
    return Status(201, selectors.get_contract(user=staff_user(request), pk=contract.pk))


@router.put(
    "/funding/contracts/{id}", response=responses({200: ContractOut}, 404, 409), summary="Update a contract"
)
def update_contract(request: HttpRequest, id: int, payload: ContractUpdate) -> Any:
    """Send every field and the `version` you read; a stale version gets 409 and nothing is saved."""
    contract = selectors.get_contract(user=staff_user(request), pk=id)
    api_require(request, "funding.manage")
    data = payload.model_dump()
    version = data.pop("version")
    services.update_contract(
        actor=staff_user(request), contract=contract, expected_version=version, data=data
    )
    return selectors.get_contract(user=staff_user(request), pk=id)


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
    return selectors.list_boards(user=staff_user(request)).prefetch_related(
        "members",
        Prefetch("contributions", queryset=PooledContribution.objects.select_related("organisation")),
    )


@list_operation(
    router, "/funding/boards", BoardOut, summary="List joint commissioning boards", permission="funding.view"
)
def list_boards(request: HttpRequest) -> Any:
    return _boards(request)


@router.get("/funding/boards/{id}", response=responses({200: BoardOut}, 404), summary="One board")
def get_board(request: HttpRequest, id: int) -> Any:
    return get_object_or_404(_boards(request), pk=id)


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
    return selectors.list_frameworks(user=staff_user(request)).prefetch_related(
        Prefetch(
            "lots",
            queryset=FrameworkLot.objects.select_related("supplier").prefetch_related(
                Prefetch("call_offs", queryset=CallOff.objects.select_related("organisation"))
            ),
        )
    )


@list_operation(
    router, "/funding/frameworks", FrameworkOut, summary="List frameworks", permission="funding.view"
)
def list_frameworks(request: HttpRequest) -> Any:
    return _frameworks(request)


@router.get("/funding/frameworks/{id}", response=responses({200: FrameworkOut}, 404), summary="One framework")
def get_framework(request: HttpRequest, id: int) -> Any:
    return get_object_or_404(_frameworks(request), pk=id)
