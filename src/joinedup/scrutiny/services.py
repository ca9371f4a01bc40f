"""Every write to the Police and Crime Panel's records: its recommendations (and the PCC's responses), its
comments on the performance report, its members, work programme and meetings.

Each service checks permission, collects every validation error into one ValidationError dict, and saves
in one transaction with history (edits of versioned records refuse a stale version with ConflictError).
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from joinedup.core.models import Area, AreaLevel, User
from joinedup.core.permissions import has_permission
from joinedup.core.services.errors import NotAllowed
from joinedup.core.services.validation import Errors, add_error
from joinedup.core.services.versioning import save_versioned, stamp
from joinedup.core.services.writes import Writes, validate
from joinedup.core.services.writes import require as _require

from .models import (
    ImplementationStatus,
    PanelComment,
    PanelMeeting,
    PanelMember,
    PanelRecommendation,
    WorkProgrammeItem,
)

BLANK_MESSAGES = {
    "recommendation": "Enter what the Panel recommends.",
    "csp": "Choose a community safety partnership.",
}
PANEL_FIELDS = ("title", "recommendation", "made_on", "response_due", "csp")
RESPONSE_FIELDS = ("pcc_response", "response_on", "status", "implementation")


# How a kind of the Panel's records is written (core.services.writes), with the Panel's messages.
_writes = functools.partial(Writes, blank_messages=BLANK_MESSAGES)


# --- recommendations to the PCC --------------------------------------------------------------------------


def _check_panel(item: PanelRecommendation, errors: Errors) -> None:
    if (
        item.csp_id
        and item.csp is not None
        and (item.csp.level != AreaLevel.CSP or item.csp.pfa_id != item.force_area_id)
    ):
        add_error(errors, "csp", "Choose a CSP in the force area.")
    if item.response_due and item.made_on and item.response_due < item.made_on:
        add_error(errors, "response_due", "The response cannot be due before the recommendation was made.")
    if item.response_on and item.made_on and item.response_on < item.made_on:
        add_error(errors, "response_on", "The response cannot be before the recommendation was made.")
    responded = item.status != ImplementationStatus.AWAITING_RESPONSE
    if responded and not item.pcc_response:
        add_error(errors, "pcc_response", "Enter the PCC's response.")
    if responded and item.response_on is None:
        add_error(errors, "response_on", "Enter the date of the response.")
    if item.status == ImplementationStatus.IMPLEMENTED and not item.implementation:
        add_error(errors, "implementation", "Say what was done.")


def _check_from_indicator(item: PanelRecommendation, errors: Errors) -> None:
    """A recommendation made from the performance report: about an indicator of the Police and Crime
    Plan of its own force area, in a quarter (the other app's indicator is read through its fields only)."""
    _check_panel(item, errors)
    indicator = item.indicator
    if indicator is None:
        return
    if indicator.force_area_id != item.force_area_id or indicator.plan_priority_id is None:
        add_error(errors, "__all__", "Choose an indicator of the force area's Police and Crime Plan.")
    if item.report_quarter is None:
        add_error(errors, "__all__", "Say which quarter's performance report the recommendation is about.")


@transaction.atomic
def create_panel_recommendation(
    *,
    actor: User,
    force_area: Area,
    data: dict[str, Any],
    indicator: Any = None,
    report_quarter: datetime.date | None = None,
    comment: PanelComment | None = None,
) -> PanelRecommendation:
    """Record the Panel's recommendation; `indicator` (a performance.Indicator) and `report_quarter` (the
    quarter's first day) when it is made from that indicator of the quarterly performance report. Made from
    a Panel `comment`, it takes the comment's indicator and quarter, and the comment links to it: a comment
    is turned into one recommendation only (refused, saving nothing, the second time)."""
    if comment is not None:
        _require(actor, "csp.panel.recommend", force_area)
        # Locked, so two people turning the same comment at once make one recommendation, not two.
        comment = PanelComment.objects.select_for_update().get(pk=comment.pk)
        if comment.recommendation_id is not None:
            raise ValidationError(
                {"__all__": ["This comment has already been turned into a recommendation."]}
            )
        if comment.force_area_id != force_area.pk:
            raise NotAllowed("csp.panel.recommend")
        indicator, report_quarter = comment.indicator, comment.report_quarter
    item = PanelRecommendation(force_area=force_area, indicator=indicator, report_quarter=report_quarter)
    item = _writes("csp.panel.recommend", PANEL_FIELDS, _check_from_indicator).save(
        actor, force_area, item, data
    )
    if comment is not None:
        comment.recommendation = item
        stamp(comment, actor=actor, reason="Turned into a recommendation")
        comment.save(update_fields=["recommendation", "updated_at", "updated_by"])
    return item


PANEL_COMMENT_MAX_LENGTH = 2000


def _is_quarter_start(day: datetime.date) -> bool:
    """The first day of a financial quarter (April, July, October, January)."""
    return day.day == 1 and day.month in (1, 4, 7, 10)


def _quarter_end(start: datetime.date) -> datetime.date:
    month = start.month + 3
    year = start.year + (month > 12)
    return datetime.date(year, (month - 1) % 12 + 1, 1) - datetime.timedelta(days=1)


@transaction.atomic
def add_panel_comment(
    *,
    actor: User,
    indicator: Any,
    report_quarter: datetime.date | None,
    text: str,
    today: datetime.date | None = None,
) -> PanelComment:
    """A Panel member's comment on an indicator (a performance.Indicator, read through its fields) of the
    force area's Police and Crime Plan, in the report of a quarter that has ended within the plan's period.
    Whoever may record the Panel's recommendations for the force area may comment. Every problem at once;
    nothing saved unless all is well. Comments are never changed or deleted (the Panel's record)."""
    force_area = indicator.force_area
    _require(actor, "csp.panel.recommend", force_area)
    today = today or timezone.localdate()
    errors: Errors = {}
    text = (text or "").strip()
    if not text:
        add_error(errors, "text", "Enter your comment.")
    elif len(text) > PANEL_COMMENT_MAX_LENGTH:
        add_error(
            errors,
            "text",
            f"Keep the comment to {PANEL_COMMENT_MAX_LENGTH:,} characters (it has {len(text):,}).",
        )
    plan = indicator.plan_priority.plan if indicator.plan_priority_id else None
    if plan is None:
        add_error(errors, "__all__", "Choose an indicator of the force area's Police and Crime Plan.")
    if report_quarter is None or not _is_quarter_start(report_quarter):
        add_error(errors, "quarter", "Choose the quarter of the report you are commenting on.")
    elif _quarter_end(report_quarter) >= today:
        add_error(errors, "quarter", "Comment on the report of a quarter that has ended.")
    elif plan is not None and not (
        plan.period_start <= _quarter_end(report_quarter) and report_quarter <= plan.period_end
    ):
        add_error(errors, "quarter", "Choose a quarter within the plan's period.")
    if errors:
        raise ValidationError(errors)
    assert report_quarter is not None
    comment = PanelComment(
        force_area=force_area, indicator=indicator, report_quarter=report_quarter, text=text
    )
    stamp(comment, actor=actor, reason="Comment added")
    comment.save()
    return comment


@transaction.atomic
def update_panel_recommendation(
    *, actor: User, item: PanelRecommendation, expected_version: int, data: dict[str, Any]
) -> PanelRecommendation:
    """The Panel edits its recommendation; the OPCC records the PCC's response and implementation."""
    fields: tuple[str, ...]
    if has_permission(actor, "csp.panel.recommend", item):
        fields = PANEL_FIELDS
    elif has_permission(actor, "csp.panel.respond", item):
        fields = RESPONSE_FIELDS
    else:
        raise NotAllowed("csp.panel.recommend")
    validate(item, data, fields, _check_panel, blank_messages=BLANK_MESSAGES)
    save_versioned(item, expected_version=expected_version, actor=actor)
    return item


# --- the Panel's workspace ------------------------------------------------------------------------------

PANEL_MEMBER_FIELDS = ("name", "role", "council", "link_theme")
WORK_ITEM_FIELDS = ("title", "description", "planned_for", "status", "csp", "lead_member")
MEETING_FIELDS = ("kind", "held_on", "title", "agenda", "minutes_link")


def _check_force_area_links(item: Any, errors: Errors) -> None:
    csp = getattr(item, "csp", None) if getattr(item, "csp_id", None) else None
    if csp is not None and (csp.level != AreaLevel.CSP or csp.pfa_id != item.force_area_id):
        add_error(errors, "csp", "Choose a CSP in the force area.")
    lead = getattr(item, "lead_member", None) if getattr(item, "lead_member_id", None) else None
    if lead is not None and lead.force_area_id != item.force_area_id:
        add_error(errors, "lead_member", "Choose a member of this Panel.")


def _panel_writes(
    fields: tuple[str, ...], check: Callable[[Any, Errors], None] = _check_force_area_links
) -> Writes:
    """How a record of the Panel's workspace is written: by who manages the Panel of its force area."""
    return _writes("csp.panel.manage", fields, check, exclude=("force_area",))


@transaction.atomic
def save_panel_member(
    *,
    actor: User,
    force_area: Area,
    data: dict[str, Any],
    member: PanelMember | None = None,
    expected_version: int | None = None,
) -> PanelMember:
    """Add or change a Panel member, with the CSPs they are link member for (`linked_csps`)."""
    linked = data.get("linked_csps")
    item = member or PanelMember(force_area=force_area)
    errors: Errors = {}
    csps: list[Area] = []
    if linked is not None:
        ids = [c.pk if isinstance(c, Area) else c for c in linked]
        csps = list(Area.objects.filter(pk__in=ids, level=AreaLevel.CSP, pfa=force_area))
        if len(csps) != len(set(ids)):
            add_error(errors, "linked_csps", "Choose CSPs in the force area.")

    def check(obj: Any, found: Errors) -> None:
        for key, messages in errors.items():
            for message in messages:
                add_error(found, key, message)

    saved = _panel_writes(PANEL_MEMBER_FIELDS, check).save(
        actor, item.force_area, item, {k: v for k, v in data.items() if k != "linked_csps"}, expected_version
    )
    if linked is not None:
        saved.linked_csps.set(csps)
    return saved


@transaction.atomic
def save_work_item(
    *,
    actor: User,
    force_area: Area,
    data: dict[str, Any],
    item: WorkProgrammeItem | None = None,
    expected_version: int | None = None,
) -> WorkProgrammeItem:
    item = item or WorkProgrammeItem(force_area=force_area)
    return _panel_writes(WORK_ITEM_FIELDS).save(actor, item.force_area, item, data, expected_version)


def _check_meeting(item: PanelMeeting, errors: Errors) -> None:
    if item.minutes_link and item.held_on and item.held_on > datetime.date.today():
        add_error(errors, "minutes_link", "Minutes can only be linked once the meeting has been held.")


@transaction.atomic
def save_meeting(
    *,
    actor: User,
    force_area: Area,
    data: dict[str, Any],
    meeting: PanelMeeting | None = None,
    expected_version: int | None = None,
) -> PanelMeeting:
    item = meeting or PanelMeeting(force_area=force_area)
    return _panel_writes(MEETING_FIELDS, _check_meeting).save(
        actor, item.force_area, item, data, expected_version
    )
