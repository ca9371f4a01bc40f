"""Permission rules for funding (see core/permissions.py).

OPCC officers manage funds, allocations and rounds; the OPCC administrator decides; auditors read.
Scoring is by the people assigned to an application, whatever their staff role, and never by someone
who has declared a conflict of interest on it.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from joinedup.core.permissions import ALL_ROLES, register
from joinedup.core.roles import Role

OPCC = (Role.OPCC_ADMIN, Role.OPCC_OFFICER)


# A rule's checks get whoever `has_permission`/`restrict` was given, which core types as Any (a stand-in
# reader such as performance's `_AggregateReader` may pass the role check), so `user` stays Any here.
def _assigned_and_not_conflicted(user: Any, application: Any) -> bool:
    return (
        application.assignments.filter(member=user).exists()
        and not application.conflicts.filter(member=user).exists()
    )


def _assigned_applications(user: Any, queryset: QuerySet) -> QuerySet:
    return queryset.filter(assignments__member=user).exclude(conflicts__member=user).distinct()


FUNDING_VIEW = register(
    "funding.view",
    roles=(*OPCC, Role.AUDITOR),
    description="Read funds, allocations, grant rounds, applications, scores and awards.",
)
FUNDING_REPORTS = register(
    "funding.reports.view",
    roles=(*OPCC, Role.PANEL_MEMBER, Role.AUDITOR),
    description="Read the spend reports (by Plan priority, CSP, sector, fund and year, per head); the Panel "
    "reads these, not applications or scores.",
)
FUNDING_MANAGE = register(
    "funding.manage",
    roles=OPCC,
    description="Set up funds, formula allocations and grant rounds; check eligibility; assign panels.",
)
FUNDING_SCORE = register(
    "funding.score",
    roles=ALL_ROLES,
    description="Score the grant applications you are assigned to, unless you declared a conflict.",
    object_check=_assigned_and_not_conflicted,
    queryset_filter=_assigned_applications,
)
FUNDING_DECIDE = register(
    "funding.decide",
    roles=(Role.OPCC_ADMIN,),
    description="Approve or decline grant applications, and override the round budget with a reason.",
)


def _force_scope() -> None:
    """Funds belong to their force area, and everything under a fund to the fund's; a contract to its fund's
    force or its CSP's. Boards and frameworks span forces and are shared (docs/adr/0028)."""
    from joinedup.core.permissions import force_scoped

    from . import models as m

    force_scoped(m.Fund, "force_area")
    for model in (m.FundBudget, m.FormulaAllocation, m.GrantRound):
        force_scoped(model, "fund__force_area")
    force_scoped(m.Criterion, "round__fund__force_area")
    force_scoped(m.Application, "round__fund__force_area")
    force_scoped(m.Award, "fund__force_area", "csp")
    for returned in (
        m.AwardVariation,
        m.Clawback,
        m.PaymentInstalment,
        m.MonitoringReturn,
        m.OutcomeMeasure,
    ):
        force_scoped(returned, "award__fund__force_area", "award__csp")
    force_scoped(m.MeasureValue, "measure__award__fund__force_area", "measure__award__csp")
    force_scoped(m.Contract, "fund__force_area", "csp")
    force_scoped(m.Kpi, "contract__fund__force_area", "contract__csp")


_force_scope()
