"""Permission rules for the core records: areas, organisations, people, roles and the audit log."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from joinedup.core.permissions import ALL_ROLES, register, scope_area_ids
from joinedup.core.roles import Role

OPCC = (Role.OPCC_ADMIN, Role.OPCC_OFFICER)


def _organisation_in_scope(user: Any, organisation: Any) -> bool:
    """CSP managers may change an organisation only when every area it serves lies inside their own."""
    if user.role != Role.CSP_MANAGER:
        return True
    served = set(organisation.areas.values_list("pk", flat=True))
    return bool(served) and served <= scope_area_ids(user)


def _organisations_in_scope(user: Any, queryset: QuerySet) -> QuerySet:
    if user.role != Role.CSP_MANAGER:
        return queryset
    scope = scope_area_ids(user)
    return queryset.annotate(
        _served=Count("areas", distinct=True),
        _outside=Count("areas", filter=~Q(areas__in=scope), distinct=True),
    ).filter(_served__gt=0, _outside=0)


DASHBOARD_VIEW = register("dashboard.view", roles=ALL_ROLES, description="See the staff dashboard.")
ACCOUNT_MANAGE = register(
    "account.manage",
    roles=ALL_ROLES,
    description="Manage your own account, two-factor sign-in and API tokens.",
)
ROLES_VIEW = register("roles.view", roles=ALL_ROLES, description="Read what each role may do.")
AREAS_VIEW = register(
    "areas.view", roles=ALL_ROLES, description="Read the reference geography and populations."
)
IMPORTS_VIEW = register(
    "imports.view",
    roles=(*OPCC, Role.ANALYST, Role.AUDITOR),
    description="See the record of reference-data imports.",
)
ORGANISATIONS_VIEW = register(
    "organisations.view", roles=ALL_ROLES, description="Read the organisation directory and its history."
)
ORGANISATIONS_EXPORT = register(
    "organisations.export", roles=ALL_ROLES, description="Download the organisation directory as CSV."
)
ORGANISATIONS_CREATE = register(
    "organisations.create",
    roles=(*OPCC, Role.CSP_MANAGER),
    description="Add an organisation to the directory.",
)
ORGANISATIONS_CHANGE = register(
    "organisations.change",
    roles=(*OPCC, Role.CSP_MANAGER),
    description="Edit an organisation (CSP managers: only organisations working wholly in their area).",
    object_check=_organisation_in_scope,
    queryset_filter=_organisations_in_scope,
)
PEOPLE_VIEW = register(
    "people.view", roles=(Role.OPCC_ADMIN, Role.AUDITOR), description="Read staff accounts and their roles."
)
PEOPLE_MANAGE = register(
    "people.manage", roles=(Role.OPCC_ADMIN,), description="Create staff accounts, change roles, deactivate."
)
AUDIT_VIEW = register(
    "audit.view", roles=(Role.AUDITOR, Role.OPCC_ADMIN), description="Search the audit event log."
)
AUDIT_EXPORT = register(
    "audit.export", roles=(Role.AUDITOR, Role.OPCC_ADMIN), description="Download the audit event log as CSV."
)


def _force_scope() -> None:
    """An organisation or a staff account that names its areas belongs to their force areas; one naming none
    is shared."""
    from joinedup.core.models import Organisation, User
    from joinedup.core.permissions import force_scoped

    force_scoped(Organisation, "areas")
    force_scoped(User, "areas")


_force_scope()
