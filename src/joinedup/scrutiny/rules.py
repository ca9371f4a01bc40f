"""Permission rules for the Police and Crime Panel's records (see core/permissions.py). The codes keep the
`csp.panel.` prefix they had before the Panel became its own app, so roles and tests read them unchanged.

- The Panel's records belong to the Panel's force area; everyone in it who reads Panel material reads them.
- Panel members write only the Panel's records; the OPCC records the PCC's response.
- The Panel's comments on the performance report are read by whoever reads that report.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from joinedup.core.models import Area, AreaLevel
from joinedup.core.permissions import force_area_ids, force_scoped, has_permission, register
from joinedup.core.roles import STAFF_ROLES, Role

OPCC = (Role.OPCC_ADMIN, Role.OPCC_OFFICER)


def _force_area_of(obj: Any) -> int | None:
    """The force area a Panel record (or a force area, or a CSP) belongs to."""
    if isinstance(obj, Area):
        return obj.pk if obj.level == AreaLevel.PFA else obj.pfa_id
    return getattr(obj, "force_area_id", None)


# A rule's checks get whoever `has_permission`/`restrict` was given, which core types as Any (a stand-in
# reader such as performance's `_AggregateReader` may pass the role check), so `user` stays Any here.
def _in_force_area(user: Any, obj: Any) -> bool:
    return _force_area_of(obj) in force_area_ids(user)


def _reads_panel_records(user: Any, queryset: QuerySet) -> QuerySet:
    return queryset.filter(force_area__in=force_area_ids(user))


PANEL_VIEW = register(
    "csp.panel.view",
    roles=(*OPCC, Role.CSP_MANAGER, Role.PANEL_MEMBER, Role.AUDITOR),
    description="Read the Police and Crime Panel's recommendations to the PCC and what was done.",
    object_check=_in_force_area,
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
PANEL_MANAGE = register(
    "csp.panel.manage",
    roles=(Role.PANEL_MEMBER,),
    description="Keep the Panel's own records: members and link-member roles, the work programme, meetings.",
    object_check=_in_force_area,
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
    """Every Panel record belongs to the Panel's force area."""
    from . import models as m

    for panel in (m.PanelRecommendation, m.PanelComment, m.PanelMember, m.WorkProgrammeItem, m.PanelMeeting):
        force_scoped(panel, "force_area")


_force_scope()
