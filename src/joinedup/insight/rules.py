"""Permission rules for crime and ASB insight: importing police open data and reading assessments."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from joinedup.core.permissions import force_area_ids, register, scope_area_ids, scope_areas
from joinedup.core.roles import Role

AREA_SCOPED_ROLES = (Role.ANALYST, Role.CSP_MANAGER)


def _area_in_scope(user: Any, area: Any) -> bool:
    """Analysts and CSP managers assess only their own areas (and the areas inside them); everyone else
    the areas of their force areas (docs/adr/0028)."""
    if user.role not in AREA_SCOPED_ROLES:
        forces = force_area_ids(user)
        return area.pk in forces or area.pfa_id in forces
    return area.pk in scope_area_ids(user)


def _areas_in_scope(user: Any, queryset: QuerySet) -> QuerySet:
    if user.role not in AREA_SCOPED_ROLES:
        forces = force_area_ids(user)
        return queryset.filter(Q(pk__in=forces) | Q(pfa__in=forces))
    return queryset.filter(pk__in=scope_areas(user))


INSIGHT_IMPORT = register(
    "insight.import",
    roles=(Role.OPCC_ADMIN, Role.OPCC_OFFICER, Role.ANALYST),
    description="Import police open data (street crime, outcomes, stop and search) into the analytical store.",
)
INSIGHT_IMPORTS_VIEW = register(
    "insight.imports.view",
    roles=(Role.OPCC_ADMIN, Role.OPCC_OFFICER, Role.ANALYST, Role.AUDITOR),
    description="See the record of police data imports, with rejected rows and their reasons.",
)
INSIGHT_ASSESS = register(
    "insight.assess",
    roles=(Role.OPCC_ADMIN, Role.OPCC_OFFICER, Role.ANALYST, Role.CSP_MANAGER, Role.AUDITOR),
    description="Read crime and ASB strategic assessments (analysts and CSP managers: their own areas only).",
    object_check=_area_in_scope,
    queryset_filter=_areas_in_scope,
)


def _record_area_in_scope(user: Any, record: Any) -> bool:
    """A saved assessment (or one of its priorities) belongs to its area's scope. Panel members read only
    published assessments of areas in their force area (docs/adr/0018)."""
    area = getattr(record, "area", None) or getattr(getattr(record, "assessment", None), "area", None)
    if user.role == Role.PANEL_MEMBER:
        assessment = getattr(record, "assessment", record)
        return (
            area is not None
            and getattr(assessment, "status", None) == "published"
            and area.pk in scope_area_ids(user)
        )
    return area is not None and _area_in_scope(user, area)


def _records_in_scope(user: Any, queryset: QuerySet) -> QuerySet:
    if user.role == Role.PANEL_MEMBER:
        return queryset.filter(status="published", area_id__in=scope_areas(user))
    if user.role not in AREA_SCOPED_ROLES:
        return queryset
    return queryset.filter(area_id__in=scope_areas(user))


INSIGHT_ASSESSMENTS_VIEW = register(
    "insight.assessments.view",
    roles=(
        Role.OPCC_ADMIN,
        Role.OPCC_OFFICER,
        Role.ANALYST,
        Role.CSP_MANAGER,
        Role.PANEL_MEMBER,
        Role.AUDITOR,
    ),
    description="Read saved strategic assessments and their history (analysts and CSP managers: their own "
    "areas only; Panel members: published ones in their force area).",
    object_check=_record_area_in_scope,
    queryset_filter=_records_in_scope,
)
INSIGHT_ASSESSMENTS_CHANGE = register(
    "insight.assessments.change",
    roles=(Role.OPCC_ADMIN, Role.OPCC_OFFICER, Role.ANALYST, Role.CSP_MANAGER),
    description="Save a strategic assessment, write its narrative, score its priorities, publish it and start "
    "a new edition (analysts and CSP managers: their own areas only).",
    object_check=_record_area_in_scope,
    queryset_filter=_records_in_scope,
)
INSIGHT_SCHEME_CHANGE = register(
    "insight.scheme.change",
    roles=(Role.OPCC_ADMIN, Role.OPCC_OFFICER, Role.ANALYST),
    description="Change the prioritisation matrix's scale, bands and weights (used by assessments saved "
    "afterwards).",
)


def _force_scope() -> None:
    """A saved strategic assessment belongs to its area's force area."""
    from joinedup.core.permissions import force_scoped

    from .models import AssessmentPriority, SavedAssessment

    force_scoped(SavedAssessment, "area")
    force_scoped(AssessmentPriority, "assessment__area")


_force_scope()
