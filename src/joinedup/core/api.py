"""Core endpoints: who am I, reference geography, the organisation directory and the audit event log.

Thin like the views: parse, call a selector or service, shape the answer. Errors are turned into HTTP
answers in one place (joinedup.api.errors).

No `from __future__ import annotations` here: django-ninja resolves the parameter annotations of a
`@paginate`d view (every `list_operation`) in the pagination module's namespace, where string annotations
cannot be found.
"""

from datetime import date, datetime
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.responses import Status
from pydantic import ConfigDict

from joinedup.core.api_schemas import limits_from, list_operation, required_in_document, responses
from joinedup.core.models import (
    Area,
    AreaLevel,
    EventType,
    Organisation,
    ResponsibleAuthorityType,
    Sector,
    User,
)
from joinedup.core.roles import ROLE_DESCRIPTIONS
from joinedup.core.selectors import areas as area_selectors
from joinedup.core.selectors import organisations as organisation_selectors
from joinedup.core.selectors.audit import search_events
from joinedup.core.services import organisations as organisation_services
from joinedup.core.views.base import api_require

router = Router()


# --- me ---------------------------------------------------------------------------------------------


class OrganisationRef(Schema):
    id: int
    name: str


class MeOut(Schema):
    email: str
    full_name: str
    role: str
    role_label: str
    role_description: str
    organisation: OrganisationRef | None
    areas: list[str] = Field(description="ONS codes of the areas this person works for.")

    @staticmethod
    def resolve_role_description(obj: User) -> str:
        return ROLE_DESCRIPTIONS.get(obj.role, "")

    @staticmethod
    def resolve_areas(obj: User) -> list[str]:
        return list(obj.areas.order_by("code").values_list("code", flat=True))


@router.get("/me", response=responses({200: MeOut}), tags=["me"], summary="Who the token acts as")
def me(request: HttpRequest) -> Any:
    """The account the token belongs to: its role (and what the role may do, in plain English),
    organisation and areas."""
    return request.user


# --- areas ------------------------------------------------------------------------------------------


class AreaOut(Schema):
    code: str = Field(description="ONS code, e.g. E22000901.")
    name: str
    level: AreaLevel
    parent: str | None = Field(description="The ONS code of the area this one lies in, or null.")
    population: int | None

    @staticmethod
    def resolve_parent(obj: Area) -> str | None:
        return obj.parent.code if obj.parent_id and obj.parent else None


class AreaFilters(Schema):
    level: AreaLevel | None = None
    parent: str | None = Field(None, description="Only areas directly inside this ONS code.")
    q: str | None = Field(None, description="The start of a code, or part of the English or Welsh name.")
    sort: Literal["name", "-name", "code", "-code", "population", "-population"] | None = Field(
        None, description="Field to sort by; `-` for descending."
    )


@list_operation(router, "/areas", AreaOut, summary="List areas", errors=(), tags=["areas"])
def list_areas(request: HttpRequest, filters: Query[AreaFilters]) -> Any:
    """Reference geography: police force areas, CSPs, local authority districts and LSOAs."""
    return area_selectors.list_areas(
        user=request.user, level=filters.level, parent_code=filters.parent, q=filters.q, sort=filters.sort
    )


@router.get("/areas/{code}", response=responses({200: AreaOut}, 404), tags=["areas"], summary="One area")
def get_area(request: HttpRequest, code: str) -> Any:
    return area_selectors.get_area(user=request.user, code=code)


# --- organisations ------------------------------------------------------------------------------------


class OrganisationOut(Schema):
    id: int
    name: str
    sector: Sector
    sector_label: str = Field(alias="get_sector_display")
    description: str
    areas: list[str] = Field(description="ONS codes of the areas the organisation serves.")
    responsible_authority: str = Field(description="CSP responsible authority type, or empty.")
    charity_number: str
    company_number: str
    website: str
    compact_signatory: bool
    illustrative: bool
    source: str
    version: int = Field(description="Send it back with an update; a stale version is refused with 409.")
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_areas(obj: Organisation) -> list[str]:
        return sorted(area.code for area in obj.areas.all())


@limits_from(Organisation)
class OrganisationIn(Schema):
    """An organisation's details. Every field is checked together, so a 422 lists every problem at once."""

    # Deliberately lenient when parsing (strings with defaults, choices only documented), so that the
    # service checks everything by the same rules as the staff pages and reports every error together.

    model_config = ConfigDict(json_schema_extra=required_in_document("name", "sector"))

    name: str = Field("", description="Unique in the directory.")
    sector: str = Field("", json_schema_extra={"enum": list(Sector.values)})
    description: str = ""
    areas: list[str] = Field(default_factory=list, description="ONS codes of the areas served.")
    responsible_authority: str = Field(
        "",
        description="CSP responsible authority type; empty if the organisation is not one.",
        json_schema_extra={"enum": ["", *ResponsibleAuthorityType.values]},
    )
    charity_number: str = Field("", description="As registered, e.g. 216250 or SC037605.")
    company_number: str = Field("", description="8 characters, e.g. 00123456 or SC123456.")
    website: str = Field("", description="A full address beginning https://")
    compact_signatory: bool = False
    illustrative: bool = Field(False, description="A fictional or illustrative record.")
    source: str = Field("", description="Where the facts come from.")


class OrganisationUpdateIn(OrganisationIn):
    """The whole record (a full replacement: a field left out is set empty), with the version you read."""

    model_config = ConfigDict(json_schema_extra=required_in_document("name", "sector", "version"))

    version: int


class OrganisationFilters(Schema):
    q: str | None = Field(None, description="Part of a name or description, or a charity or company number.")
    sector: Sector | None = None
    responsible_authority: (
        Literal["police", "local_authority", "fire_rescue", "probation", "health", "any"] | None
    ) = Field(None, description="A responsible authority type, or `any` for every responsible authority.")
    area: str | None = Field(
        None, description="ONS code: organisations serving that area (or an area it is in)."
    )
    compact_signatory: bool | None = None
    sort: Literal["name", "-name", "sector", "-sector", "updated", "-updated"] | None = Field(
        None, description="Field to sort by; `-` for descending."
    )


@list_operation(
    router, "/organisations", OrganisationOut, summary="List organisations", errors=(), tags=["organisations"]
)
def list_organisations(request: HttpRequest, filters: Query[OrganisationFilters]) -> Any:
    """The organisation directory."""
    return organisation_selectors.list_organisations(
        user=request.user, **filters.model_dump(exclude={"area"}), area_code=filters.area
    )


@router.get(
    "/organisations/{id}",
    response=responses({200: OrganisationOut}, 404),
    tags=["organisations"],
    summary="One organisation",
)
def get_organisation(request: HttpRequest, id: int) -> Any:
    return organisation_selectors.get_organisation(user=request.user, pk=id)


@router.post(
    "/organisations",
    response=responses({201: OrganisationOut}, 403),
    tags=["organisations"],
    summary="Add an organisation",
)
def create_organisation(request: HttpRequest, payload: OrganisationIn) -> Any:
    """Add an organisation to the directory. Roles that may not add organisations get 403.

    CSP managers may only choose areas inside their own."""
    api_require(request, "organisations.create", status=403)
    organisation = organisation_services.create_organisation(actor=request.user, data=payload.model_dump())
    return Status(201, organisation_selectors.get_organisation(user=request.user, pk=organisation.pk))


@router.put(
    "/organisations/{id}",
    response=responses({200: OrganisationOut}, 404, 409),
    tags=["organisations"],
    summary="Replace an organisation's details",
)
def update_organisation(request: HttpRequest, id: int, payload: OrganisationUpdateIn) -> Any:
    """A full update: send every field, and the `version` you read. Someone else saved since → 409 and
    nothing is changed. An organisation your role may not change → 404, as if it did not exist."""
    organisation = organisation_selectors.get_organisation(user=request.user, pk=id)
    api_require(request, "organisations.change", organisation)
    organisation_services.update_organisation(
        actor=request.user,
        organisation=organisation,
        expected_version=payload.version,
        data=payload.model_dump(exclude={"version"}),
    )
    return organisation_selectors.get_organisation(user=request.user, pk=id)


# --- audit event log --------------------------------------------------------------------------------


class AuditEventOut(Schema):
    id: int
    occurred_at: datetime
    event_type: str
    event_type_label: str = Field(alias="get_event_type_display")
    actor_id: int | None
    actor_email: str
    actor_role: str
    object_type: str
    object_id: str
    object_repr: str
    ip_address: str | None
    request_id: str
    path: str
    detail: dict[str, Any]


class AuditEventFilters(Schema):
    event_type: EventType | None = None
    actor: str | None = Field(None, description="Part of the actor's email address, or their account id.")
    object_type: str | None = Field(None, description="e.g. core.organisation")
    object_id: str | None = None
    date_from: date | None = Field(None, description="On or after this day.")
    date_to: date | None = Field(None, description="On or before this day.")


@list_operation(
    router,
    "/audit/events",
    AuditEventOut,
    summary="Search the audit event log",
    permission="audit.view",
    tags=["audit"],
)
def list_audit_events(request: HttpRequest, filters: Query[AuditEventFilters]) -> Any:
    """The append-only business event log, newest first. Only roles that may read it; 404 for others."""
    return search_events(user=request.user, **filters.model_dump())
