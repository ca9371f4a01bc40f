"""Funding endpoints: funds, grant rounds, applications (staff), awards, and the public list of awarded
grants. Commissioning's (contracts, boards, frameworks) are in commissioning/api.py.

No `from __future__ import annotations` (see core/api.py: ninja resolves @paginate'd annotations).
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.responses import Status

from joinedup.core.api_schemas import limits_from, list_operation, responses
from joinedup.core.views.base import api_require, staff_user

from . import selectors, services
from .models import (
    Award,
    Fund,
    GrantRound,
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
    recipient: int | None = Field(
        alias="recipient_id", description="Organisation id of the recipient in the directory, if linked."
    )
    charity_number: str
    company_number: str
    title: str
    amount: Decimal
    awarded_on: date
    conditions: str
    csp: str | None = Field(description="ONS code of the CSP area the grant mainly serves.")
    ward: str | None = Field(
        description="ONS code of the electoral ward the grant mainly serves, if one (a ward in the CSP area)."
    )
    version: int

    @staticmethod
    def resolve_csp(obj: Award) -> str | None:
        return obj.csp.code if obj.csp else None

    @staticmethod
    def resolve_ward(obj: Award) -> str | None:
        return obj.ward.code if obj.ward else None


@list_operation(router, "/funding/funds", FundOut, summary="List funds", permission="funding.view")
def list_funds(request: HttpRequest) -> Any:
    return (
        selectors.list_funds(user=staff_user(request))
        .select_related("decision_body")
        .prefetch_related("priorities")
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
    fund = services.create_fund(actor=staff_user(request), data=data)
    return Status(201, selectors.get_fund(user=staff_user(request), pk=fund.pk))


@router.get("/funding/funds/{id}", response=responses({200: FundOut}, 404), summary="One fund")
def get_fund(request: HttpRequest, id: int) -> Any:
    return selectors.get_fund(user=staff_user(request), pk=id)


@list_operation(router, "/funding/rounds", RoundOut, summary="List grant rounds", permission="funding.view")
def list_rounds(request: HttpRequest, fund: int | None = None) -> Any:
    rounds = selectors.list_rounds(user=staff_user(request)).prefetch_related("criteria")
    return rounds.filter(fund_id=fund) if fund is not None else rounds


@router.get("/funding/rounds/{id}", response=responses({200: RoundOut}, 404), summary="One grant round")
def get_round(request: HttpRequest, id: int) -> Any:
    return selectors.get_round(user=staff_user(request), pk=id)


@list_operation(
    router,
    "/funding/applications",
    ApplicationOut,
    summary="List grant applications",
    permission="funding.view",
)
def list_applications(request: HttpRequest, round: int | None = None) -> Any:
    """Every application, for staff who read funding. Panel members use `/funding/panel/applications`."""
    applications = selectors.list_applications(user=staff_user(request))
    return applications.filter(round_id=round) if round is not None else applications


@router.get(
    "/funding/applications/{id}", response=responses({200: ApplicationOut}, 404), summary="One application"
)
def get_application(request: HttpRequest, id: int) -> Any:
    return selectors.get_application(user=staff_user(request), pk=id)


@list_operation(
    router,
    "/funding/panel/applications",
    ApplicationOut,
    summary="Applications assigned to me to score",
    errors=(),
)
def list_assigned_applications(request: HttpRequest) -> Any:
    """Only those assigned to the token's owner, never one they declared a conflict of interest on."""
    return selectors.assigned_applications(user=staff_user(request))


@router.get(
    "/funding/panel/applications/{id}",
    response=responses({200: ApplicationOut}, 404),
    summary="One application assigned to me",
)
def get_assigned_application(request: HttpRequest, id: int) -> Any:
    return selectors.get_assigned_application(user=staff_user(request), pk=id)


def _awards(request: HttpRequest) -> Any:
    return selectors.list_awards(user=staff_user(request)).select_related("csp", "ward")


@list_operation(router, "/funding/awards", AwardOut, summary="List awards", permission="funding.view")
def list_awards(request: HttpRequest) -> Any:
    return _awards(request)


@router.get("/funding/awards/{id}", response=responses({200: AwardOut}, 404), summary="One award")
def get_award(request: HttpRequest, id: int) -> Any:
    return get_object_or_404(_awards(request), pk=id)


@limits_from(Award)
class AwardDetailsUpdate(Schema):
    """What the award's page edits beside its terms (amount, term and conditions change only through a
    variation). Every field is checked together, so a 422 lists every problem at once."""

    recipient: int | None = Field(None, description="Organisation id of the recipient in the directory.")
    csp: str = Field("", description="ONS code of the CSP area the grant mainly serves.")
    ward: str = Field(
        "",
        description="ONS code of the electoral ward the grant mainly serves, if one: it must be a ward in "
        "the CSP area (empty for none).",
    )
    version: int = Field(description="The version you read; a stale one gets 409.")


@router.put(
    "/funding/awards/{id}/details",
    response=responses({200: AwardOut}, 404, 409),
    summary="Link an award to its recipient, CSP area and ward",
)
def update_award_details(request: HttpRequest, id: int, payload: AwardDetailsUpdate) -> Any:
    """Send every field and the `version` you read (a field left out is cleared); a stale version gets 409
    and nothing is saved. OPCC officers and administrators only."""
    award = get_object_or_404(_awards(request), pk=id)
    api_require(request, "funding.manage")
    data = payload.model_dump()
    version = data.pop("version")
    services.update_award_details(actor=staff_user(request), award=award, expected_version=version, data=data)
    return get_object_or_404(_awards(request), pk=id)


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


@list_operation(
    router,
    "/grants",
    PublicGrantOut,
    summary="Awarded grants (public, no token needed)",
    errors=(),
    auth=None,
    tags=["public"],
)
def list_public_grants(request: HttpRequest) -> Any:
    """Every grant awarded, newest first; open data, so no token is needed. Applications that were not
    funded, scores and panel details are never included."""
    return selectors.public_awards()
