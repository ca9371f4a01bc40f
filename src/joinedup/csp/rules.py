"""Permission rules for CSP duties, plans, DHRs and Panel scrutiny (see core/permissions.py).

- Reading: everyone in a force area's partnership reads its CSPs (auditors read everything).
- CSP managers change only their own CSP's records; the OPCC changes every CSP in its force area.
- Panel members read CSP and PCC material and write only Panel records; the OPCC records the PCC's response.
- The Panel's comments on the performance report are read by whoever reads that report.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from joinedup.core.models import Area, AreaLevel
from joinedup.core.permissions import (
    force_area_ids,
    has_permission,
    register,
    scope_area_ids,
    scope_areas,
)
from joinedup.core.roles import STAFF_ROLES, Role

OPCC = (Role.OPCC_ADMIN, Role.OPCC_OFFICER)
READERS = (*OPCC, Role.CSP_MANAGER, Role.PANEL_MEMBER, Role.ANALYST, Role.AUDITOR)
DHR_READERS = (*OPCC, Role.CSP_MANAGER, Role.PANEL_MEMBER, Role.AUDITOR)


def csp_of(obj: Any) -> Area | None:
    """The CSP a record belongs to (an Area of level CSP is its own)."""
    if isinstance(obj, Area):
        return obj
    if hasattr(obj, "review"):
        return obj.review.csp
    if hasattr(obj, "priority"):
        return obj.priority.plan.csp
    if hasattr(obj, "plan") and hasattr(obj.plan, "csp"):
        return obj.plan.csp
    return getattr(obj, "csp", None)


def _force_area_of(obj: Any) -> int | None:
    if isinstance(obj, Area):
        return obj.pk if obj.level == AreaLevel.PFA else obj.pfa_id
    if hasattr(obj, "force_area_id"):
        return obj.force_area_id
    csp = csp_of(obj)
    return csp.pfa_id if csp is not None else None


def _reads(user: Any, obj: Any) -> bool:
    return _force_area_of(obj) in force_area_ids(user)


def _reads_csp_records(user: Any, queryset: QuerySet) -> QuerySet:
    return queryset.filter(csp__pfa__in=force_area_ids(user))


def _reads_panel_records(user: Any, queryset: QuerySet) -> QuerySet:
    return queryset.filter(force_area__in=force_area_ids(user))


def _owns_csp(user: Any, obj: Any) -> bool:
    csp = csp_of(obj)
    return csp is not None and csp.pk in scope_area_ids(user)


def _owned_csp_records(user: Any, queryset: QuerySet) -> QuerySet:
    return queryset.filter(csp__in=scope_areas(user))


def _in_force_area(user: Any, obj: Any) -> bool:
    return _force_area_of(obj) in force_area_ids(user)


CSP_VIEW = register(
    "csp.view",
    roles=READERS,
    description="Read CSP duty records, the compliance grid and responsible-authority checks for the force area.",
    object_check=_reads,
    queryset_filter=_reads_csp_records,
)
CSP_CHANGE = register(
    "csp.change",
    roles=(*OPCC, Role.CSP_MANAGER),
    description="Record a CSP's duties, evidence and sign-offs (CSP managers: only their own CSP).",
    object_check=_owns_csp,
    queryset_filter=_owned_csp_records,
)
DHR_VIEW = register(
    "csp.dhr.view",
    roles=DHR_READERS,
    description="Read the register of domestic homicide reviews (case references only, no personal details).",
    object_check=_reads,
    queryset_filter=_reads_csp_records,
)
DHR_CHANGE = register(
    "csp.dhr.change",
    roles=(*OPCC, Role.CSP_MANAGER),
    description="Record domestic homicide reviews, their stages and recommendations (CSP managers: own CSP).",
    object_check=_owns_csp,
    queryset_filter=_owned_csp_records,
)
PANEL_VIEW = register(
    "csp.panel.view",
    roles=(*OPCC, Role.CSP_MANAGER, Role.PANEL_MEMBER, Role.AUDITOR),
    description="Read the Police and Crime Panel's recommendations to the PCC and what was done.",
    object_check=_reads,
    queryset_filter=_reads_panel_records,
)
PANEL_RECOMMEND = register(
    "csp.panel.recommend",
    roles=(Role.PANEL_MEMBER,),
    description="Record the Panel's recommendations to the PCC for the force area.",
    object_check=_in_force_area,
)
PANEL_RESPOND = register(
    "csp.panel.respond",
    roles=OPCC,
    description="Record the PCC's response to a Panel recommendation and its implementation.",
    object_check=_in_force_area,
)
REPORTS_REQUIRE = register(
    "csp.reports.require",
    roles=OPCC,
    description="Record the PCC's requirement for a report from a CSP in the force area.",
    object_check=_owns_csp,
    queryset_filter=_owned_csp_records,
)
PANEL_MANAGE = register(
    "csp.panel.manage",
    roles=(Role.PANEL_MEMBER,),
    description="Keep the Panel's own records: members and link-member roles, the work programme, meetings.",
    object_check=_in_force_area,
)
BRIEFING_VIEW = register(
    "csp.briefing.view",
    roles=(*OPCC, Role.CSP_MANAGER, Role.PANEL_MEMBER, Role.AUDITOR),
    description="Read CSPs' quarterly briefing notes to the Panel (drafts and submitted).",
    object_check=_reads,
    queryset_filter=_reads_csp_records,
)
PROTOCOLS_VIEW = register(
    "csp.protocols.view",
    roles=(*OPCC, Role.CSP_MANAGER, Role.PANEL_MEMBER, Role.AUDITOR),
    description="Read a CSP's information-sharing protocols and each responsible authority's liaison officer.",
    object_check=_reads,
)


def _reads_report_of(user: Any, obj: Any) -> bool:
    """Whether the user reads the quarterly performance report a Panel comment is on (the performance app's
    rule on its indicator decides: the force area's readers of the Police and Crime Plan's report)."""
    indicator = getattr(obj, "indicator", None)
    return indicator is not None and has_permission(user, "performance.view", indicator)


def _comments_on_readable_reports(user: Any, queryset: QuerySet) -> QuerySet:
    indicators = queryset.model._meta.get_field("indicator").related_model
    return queryset.filter(indicator__in=indicators.objects.restrict(user, "performance.view").values("pk"))


PANEL_COMMENTS_VIEW = register(
    "csp.panel.comments.view",
    # Every role may hold it; the performance rule narrows it to the readers of the report (ADR 0029).
    roles=STAFF_ROLES,
    description="Read the Panel's comments on the quarterly performance report of the Police and Crime "
    "Plan: whoever reads that report (performance.view) in the force area.",
    object_check=_reads_report_of,
    queryset_filter=_comments_on_readable_reports,
)
PANEL_KPIS = register(
    "csp.panel.kpis",
    roles=(*OPCC, Role.PANEL_MEMBER, Role.AUDITOR),
    description="Read the casework KPIs by CSP as the Panel sees them: the force area's CSPs only, counts of "
    "1 or 2 suppressed, no case records.",
)


def _force_scope() -> None:
    """Every CSP record belongs to its CSP's force area; the Panel's records to the Panel's force area."""
    from joinedup.core.permissions import force_scoped

    from . import models as m

    for model in (m.DutyRecord, m.DomesticHomicideReview, m.ReportRequirement, m.CspPlan, m.BriefingNote):
        force_scoped(model, "csp")
    force_scoped(m.StrategicAssessment, "csp")
    force_scoped(m.DhrRecommendation, "review__csp")
    force_scoped(m.CspPriority, "plan__csp")
    force_scoped(m.CspAction, "priority__plan__csp")
    for panel in (m.PanelRecommendation, m.PanelComment, m.PanelMember, m.WorkProgrammeItem, m.PanelMeeting):
        force_scoped(panel, "force_area")


_force_scope()
