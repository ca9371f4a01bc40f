"""The Police and Crime Panel's endpoints, under /api/v1/csp/panel/ as before the Panel became its own app:
its recommendations to the PCC, members, work programme and meetings.

No `from __future__ import annotations` (see core/api.py: ninja resolves @paginate'd annotations).
"""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status

from joinedup.core.api_schemas import limits_from, list_operation, responses
from joinedup.core.models import Area, AreaLevel
from joinedup.core.views.base import api_refusal, api_require, staff_user
from joinedup.csp import selectors as csp_selectors

from . import selectors, services
from .models import PanelMeeting, PanelMember, PanelRecommendation, WorkProgrammeItem

router = Router(tags=["scrutiny"])


# --- recommendations to the PCC --------------------------------------------------------------------------


class PanelRecommendationOut(Schema):
    id: int
    force_area: str = Field(alias="force_area.code")
    csp: str | None
    title: str
    recommendation: str
    made_on: date
    response_due: date | None
    pcc_response: str
    response_on: date | None
    status: str
    implementation: str
    version: int

    @staticmethod
    def resolve_csp(obj: PanelRecommendation) -> str | None:
        return obj.csp.code if obj.csp else None


@limits_from(PanelRecommendation)
class PanelRecommendationIn(Schema):
    title: str = ""
    recommendation: str = ""
    made_on: str = ""
    response_due: str = ""
    csp: str = Field("", description="ONS code of the CSP concerned, if any.")


@list_operation(
    router,
    "/panel/recommendations",
    PanelRecommendationOut,
    summary="List the Panel's recommendations to the PCC",
    permission="csp.panel.view",
)
def list_panel_recommendations(request: HttpRequest) -> Any:
    return selectors.list_panel_recommendations(user=staff_user(request))


@router.post(
    "/panel/recommendations",
    response=responses({201: PanelRecommendationOut}, 403),
    summary="Record a Panel recommendation to the PCC",
)
def create_panel_recommendation(request: HttpRequest, payload: PanelRecommendationIn) -> Any:
    """Panel members only (others get 403); the recommendation is for the member's force area."""
    force_area = csp_selectors.force_areas_for(staff_user(request)).first()
    api_require(request, "csp.panel.recommend", status=403)
    if force_area is None:
        raise api_refusal(request, "csp.panel.recommend", status=403)
    data: dict[str, Any] = payload.model_dump()
    if data["csp"]:
        csp = Area.objects.filter(level=AreaLevel.CSP, code=data["csp"]).first()
        if csp is None:
            raise ValidationError({"csp": ["Unknown CSP code."]})
        data["csp"] = csp
    else:
        data["csp"] = None
    item = services.create_panel_recommendation(actor=staff_user(request), force_area=force_area, data=data)
    return Status(201, PanelRecommendation.objects.select_related("force_area", "csp").get(pk=item.pk))


# --- the Panel's workspace ------------------------------------------------------------------------------------


class PanelMemberOut(Schema):
    id: int
    force_area: str = Field(alias="force_area.code")
    name: str
    role: str
    council: str
    linked_csps: list[str] = Field(description="ONS codes of the CSPs the member is link member for.")
    link_theme: str

    @staticmethod
    def resolve_linked_csps(obj: PanelMember) -> list[str]:
        return sorted(a.code for a in obj.linked_csps.all())


class WorkItemOut(Schema):
    id: int
    title: str
    description: str
    planned_for: date
    status: str
    csp: str | None
    lead_member_id: int | None

    @staticmethod
    def resolve_csp(obj: WorkProgrammeItem) -> str | None:
        return obj.csp.code if obj.csp else None


class MeetingOut(Schema):
    id: int
    kind: str
    held_on: date
    title: str
    agenda_items: list[str]
    minutes_link: str


@list_operation(
    router, "/panel/members", PanelMemberOut, summary="List Panel members", permission="csp.panel.view"
)
def list_panel_members(request: HttpRequest) -> Any:
    """Members with the CSPs each is link member for."""
    return (
        PanelMember.objects.restrict(request.user, "csp.panel.view")
        .select_related("force_area")
        .prefetch_related("linked_csps")
    )


@list_operation(
    router,
    "/panel/work-programme",
    WorkItemOut,
    summary="List the Panel's work programme",
    permission="csp.panel.view",
)
def list_work_programme(request: HttpRequest) -> Any:
    return WorkProgrammeItem.objects.restrict(request.user, "csp.panel.view").select_related("csp")


@list_operation(
    router, "/panel/meetings", MeetingOut, summary="List Panel meetings", permission="csp.panel.view"
)
def list_panel_meetings(request: HttpRequest) -> Any:
    return PanelMeeting.objects.restrict(request.user, "csp.panel.view")
