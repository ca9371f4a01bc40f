"""Permission rules for indicators, values, manual returns and the quarterly reports (see core/permissions.py).

- Reading: everyone in a force area's partnership reads its indicators and reports; the Police and Crime
  Panel reads only the Police and Crime Plan's (ADR 0029, as ADR 0018 gave it read access elsewhere).
- Defining indicators: the OPCC and analysts in the force area; a CSP manager for their own CSP's plan.
- A manual return and the owner's commentary: only people of the organisation that owns the indicator.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from joinedup.core.permissions import force_area_ids, force_scoped, register, scope_area_ids, scope_areas
from joinedup.core.roles import Role

OPCC = (Role.OPCC_ADMIN, Role.OPCC_OFFICER)
READERS = (*OPCC, Role.CSP_MANAGER, Role.ANALYST, Role.AUDITOR, Role.PRACTITIONER, Role.PANEL_MEMBER)
SUBMITTERS = (*OPCC, Role.CSP_MANAGER, Role.ANALYST, Role.PRACTITIONER)


def _csp_id(obj: Any) -> int | None:
    """The CSP whose plan an indicator (or a CSP plan) belongs to; None for the Police and Crime Plan."""
    if hasattr(obj, "csp_priority_id"):
        return obj.csp_priority.plan.csp_id if obj.csp_priority_id else None
    return getattr(obj, "csp_id", None)


def _force_area_id(obj: Any) -> int | None:
    if hasattr(obj, "force_area_id"):
        return obj.force_area_id
    csp = getattr(obj, "csp", None)
    return csp.pfa_id if csp is not None else None


def reads_csp_plans(user: Any) -> bool:
    """Whether the user reads CSP plans' indicators and reports (everyone who reads any but the Panel)."""
    return user.role != Role.PANEL_MEMBER


def _reads(user: Any, obj: Any) -> bool:
    # Auditors too read only their own force area's (docs/adr/0028).
    if not reads_csp_plans(user) and _csp_id(obj) is not None:
        return False
    return _force_area_id(obj) in force_area_ids(user)


def _readable(user: Any, queryset: QuerySet) -> QuerySet:
    queryset = queryset.filter(force_area__in=force_area_ids(user))
    if not reads_csp_plans(user):
        queryset = queryset.filter(plan_priority__isnull=False)
    return queryset


def _defines(user: Any, obj: Any) -> bool:
    if _force_area_id(obj) not in force_area_ids(user):
        return False
    if user.role == Role.CSP_MANAGER:
        csp = _csp_id(obj)
        return csp is not None and csp in scope_area_ids(user)
    return True


def _definable(user: Any, queryset: QuerySet) -> QuerySet:
    queryset = queryset.filter(force_area__in=force_area_ids(user))
    if user.role == Role.CSP_MANAGER:
        queryset = queryset.filter(csp_priority__plan__csp__in=scope_areas(user))
    return queryset


def _owner(user: Any, obj: Any) -> bool:
    return user.organisation_id is not None and getattr(obj, "owner_id", None) == user.organisation_id


def _owned(user: Any, queryset: QuerySet) -> QuerySet:
    if user.organisation_id is None:
        return queryset.none()
    return queryset.filter(Q(owner_id=user.organisation_id))


VIEW = register(
    "performance.view",
    roles=READERS,
    description="Read the indicators of the force area's plans, their computed values and the quarterly "
    "performance reports (Panel members: the Police and Crime Plan's only).",
    object_check=_reads,
    queryset_filter=_readable,
)
DEFINE = register(
    "performance.define",
    roles=(*OPCC, Role.ANALYST, Role.CSP_MANAGER),
    description="Define and change the indicators of the force area's plans, and recompute their values "
    "(CSP managers: their own CSP's plan only).",
    object_check=_defines,
    queryset_filter=_definable,
)
RETURN = register(
    "performance.return",
    roles=SUBMITTERS,
    description="Submit the manual returns your organisation owes for an indicator, and write its owner's "
    "commentary in the quarterly report.",
    object_check=_owner,
    queryset_filter=_owned,
)


def _force_scope() -> None:
    """An indicator belongs to its force area, and so do its values, returns and commentary."""
    from . import models as m

    force_scoped(m.Indicator, "force_area")
    for model in (m.IndicatorValue, m.ManualReturn, m.Commentary):
        force_scoped(model, "indicator__force_area")


_force_scope()
