"""Permission rules for CSP duties, plans, DHRs and briefing notes (see core/permissions.py; the Panel's own
records are joinedup.scrutiny.rules).

- Reading: everyone in a force area's partnership reads its CSPs (auditors read everything).
- CSP managers change only their own CSP's records; the OPCC changes every CSP in its force area.
- Panel members read CSP and PCC material (briefing notes, protocols) but change none of it.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from joinedup.core.models import Area, AreaLevel
from joinedup.core.permissions import (
    force_area_ids,
    register,
    scope_area_ids,
    scope_areas,
)
from joinedup.core.roles import Role

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


# A rule's checks get whoever `has_permission`/`restrict` was given, which core types as Any (a stand-in
# reader such as performance's `_AggregateReader` may pass the role check), so `user` stays Any here.
def _reads(user: Any, obj: Any) -> bool:
    return _force_area_of(obj) in force_area_ids(user)


def _reads_csp_records(user: Any, queryset: QuerySet) -> QuerySet:
    return queryset.filter(csp__pfa__in=force_area_ids(user))


def _owns_csp(user: Any, obj: Any) -> bool:
    csp = csp_of(obj)
    return csp is not None and csp.pk in scope_area_ids(user)


def _owned_csp_records(user: Any, queryset: QuerySet) -> QuerySet:
    return queryset.filter(csp__in=scope_areas(user))


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
REPORTS_REQUIRE = register(
    "csp.reports.require",
    roles=OPCC,
    description="Record the PCC's requirement for a report from a CSP in the force area.",
    object_check=_owns_csp,
    queryset_filter=_owned_csp_records,
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


def _force_scope() -> None:
    """Every CSP record belongs to its CSP's force area."""
    from joinedup.core.permissions import force_scoped

    from . import models as m

    for model in (m.DutyRecord, m.DomesticHomicideReview, m.ReportRequirement, m.CspPlan, m.BriefingNote):
        force_scoped(model, "csp")
    force_scoped(m.StrategicAssessment, "csp")
    force_scoped(m.DhrRecommendation, "review__csp")
    force_scoped(m.CspPriority, "plan__csp")
    force_scoped(m.CspAction, "priority__plan__csp")


_force_scope()
