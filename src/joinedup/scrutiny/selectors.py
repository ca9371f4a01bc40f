"""Reads of the Police and Crime Panel's records, restricted to the user: its recommendations and comments
(also read by the performance report), its workspace, and what the public pages show of it."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from joinedup.core.models import Area, User
from joinedup.core.permissions import has_permission, in_force
from joinedup.csp import selectors as csp_selectors

from .models import (
    ImplementationStatus,
    MeetingKind,
    PanelComment,
    PanelMeeting,
    PanelMember,
    PanelRecommendation,
    WorkProgrammeItem,
)


def list_panel_recommendations(*, user: User) -> QuerySet[PanelRecommendation]:
    return PanelRecommendation.objects.restrict(user, "csp.panel.view").select_related("force_area", "csp")


def panel_recommendations_by_indicator(*, user: User, indicator_ids: list[int]) -> dict[int, list[Any]]:
    """The Panel recommendations made from each of these performance indicators that the user may read,
    newest first, by indicator id."""
    found: dict[int, list[Any]] = {}
    for item in list_panel_recommendations(user=user).filter(indicator_id__in=indicator_ids):
        if item.indicator_id is not None:
            found.setdefault(item.indicator_id, []).append(item)
    return found


def panel_comments_by_indicator(
    *, user: User, indicator_ids: list[int], report_quarter: datetime.date
) -> dict[int, list[PanelComment]]:
    """The Panel's comments on each of these performance indicators in one quarter's report, that the user
    may read (whoever reads the report), newest first, by indicator id: one query, with their authors."""
    found: dict[int, list[PanelComment]] = {}
    comments = (
        PanelComment.objects.restrict(user, "csp.panel.comments.view")
        .filter(indicator_id__in=indicator_ids, report_quarter=report_quarter)
        .select_related("created_by")
        .order_by("-created_at", "-pk")
    )
    for comment in comments:
        if comment.indicator_id is not None:
            found.setdefault(comment.indicator_id, []).append(comment)
    return found


def get_panel_comment(*, user: User, pk: int) -> PanelComment:
    """One Panel comment the user may read, with its indicator; anything else is not found."""
    comment = (
        PanelComment.objects.restrict(user, "csp.panel.comments.view")
        .select_related("indicator", "created_by")
        .filter(pk=pk)
        .first()
    )
    if comment is None:
        raise Http404("Not found")
    return comment


def panel_recommendation_titles(*, force_area_id: int, limit: int = 20) -> list[dict[str, Any]]:
    """The Police and Crime Panel's recommendations to the force area's PCC as the public pages show them:
    title, date made and status only (not what was said, the response or what was done), newest first."""
    rows = list(
        PanelRecommendation.objects.filter(force_area=force_area_id)
        .order_by("-made_on", "title", "pk")
        .values("title", "made_on", "status")[:limit]
    )
    labels = dict(ImplementationStatus.choices)
    return [{**row, "status_label": labels.get(row["status"], row["status"])} for row in rows]


# --- the Panel's workspace -------------------------------------------------------------------------------


def panel_workspace(*, user: User, force_area: Area, today: datetime.date) -> dict[str, Any]:
    """What the workspace shows of a force area's Panel: members, work programme, meetings, the CSPs with no
    link member, the briefing notes the CSPs have submitted and the recommendations awaiting a response."""
    members = (
        PanelMember.objects.filter(force_area=force_area).prefetch_related("linked_csps").order_by("name")
    )
    return {
        "members": members,
        "work": WorkProgrammeItem.objects.filter(force_area=force_area)
        .select_related("csp", "lead_member")
        .order_by("planned_for", "title"),
        "upcoming": PanelMeeting.objects.filter(force_area=force_area, held_on__gte=today).order_by(
            "held_on"
        ),
        "past": PanelMeeting.objects.filter(force_area=force_area, held_on__lt=today).order_by("-held_on"),
        "unlinked": csp_selectors.csps_for(user, force_area).exclude(
            panel_link_members__force_area=force_area
        ),
        # Rules of engagement (seed 002 para 12): a meeting with the CSP chairs at least once a year.
        "annual_meeting": PanelMeeting.objects.filter(
            force_area=force_area,
            kind=MeetingKind.ANNUAL_CSP_CHAIRS,
            held_on__gte=today - datetime.timedelta(days=365),
        )
        .order_by("held_on")
        .first(),
        "briefings": csp_selectors.submitted_briefing_notes(user=user, force_area=force_area)[:20],
        "awaiting": list_panel_recommendations(user=user)
        .filter(force_area=force_area, status=ImplementationStatus.AWAITING_RESPONSE)
        .order_by("response_due", "made_on"),
        "recommendation_count": list_panel_recommendations(user=user).filter(force_area=force_area).count(),
    }


def panel_meetings_for(user: User) -> QuerySet[PanelMeeting]:
    """Every Panel meeting of the user's force areas, soonest first (their calendar feed): none unless they
    read the Panel's records."""
    if not has_permission(user, "csp.panel.view"):
        return PanelMeeting.objects.none()
    return in_force(user, PanelMeeting.objects.order_by("held_on"))


def public_panel_meetings(*, force_area_id: int, past: int = 3, upcoming: int = 5) -> dict[str, list[Any]]:
    """The Police and Crime Panel's own meetings for a force area as the public pages show them (a Panel
    meets in public; its working groups and the annual meeting with CSP chairs do not): the next few, soonest
    first, and the last few held, newest first, each with its title, date, agenda items and minutes link."""
    today = timezone.localdate()
    meetings = PanelMeeting.objects.filter(force_area=force_area_id, kind=MeetingKind.PANEL)
    return {
        "upcoming": list(meetings.filter(held_on__gte=today).order_by("held_on", "pk")[:upcoming]),
        "past": list(meetings.filter(held_on__lt=today).order_by("-held_on", "-pk")[:past]),
    }
