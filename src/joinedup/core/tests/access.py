"""Expected access to the core pages and API operations, role by role (see core/testing.py)."""

from __future__ import annotations

from typing import Any

from joinedup.core.roles import Role
from joinedup.core.services.tokens import create_token
from joinedup.core.testing import EVERY_ROLE, PUBLIC, Access, roles

ADMIN, OFFICER, CSP_MANAGER, ANALYST, AUDITOR = (
    Role.OPCC_ADMIN,
    Role.OPCC_OFFICER,
    Role.CSP_MANAGER,
    Role.ANALYST,
    Role.AUDITOR,
)


def org(objects: dict[str, Any]) -> dict[str, Any]:
    return {"pk": objects["organisation"].pk}


def org_id(objects: dict[str, Any]) -> dict[str, Any]:
    return {"id": objects["organisation"].pk}


def person(objects: dict[str, Any]) -> dict[str, Any]:
    return {"pk": objects["person"].pk}


def own_token(objects: dict[str, Any]) -> dict[str, Any]:
    return {"pk": create_token(user=objects["me"], name="matrix", actor=None)[0].pk}


def north_csp(objects: dict[str, Any]) -> dict[str, Any]:
    return {"code": objects["north"].code}


URLS: dict[str, Access] = {
    "portal:home": Access(PUBLIC),
    "portal:accessibility": Access(PUBLIC),
    "portal:privacy": Access(PUBLIC),
    "portal:healthz": Access(PUBLIC),
    "portal:language": Access(PUBLIC, method="POST", data=lambda o: {"language": "cy", "next": "/"}),
    "portal:area-search": Access(PUBLIC, query="?q=testsh"),
    "portal:area": Access(PUBLIC, kwargs=north_csp),
    "portal:area-figures": Access(PUBLIC, kwargs=lambda o: {"code": o["north"].code, "fmt": "csv"}),
    "staff:sign-in": Access(PUBLIC, anonymous_only=True),
    "staff:two-factor": Access(EVERY_ROLE),
    "staff:backup-code": Access(EVERY_ROLE),
    "staff:backup-codes": Access(EVERY_ROLE, method="POST"),
    "staff:sign-out": Access(PUBLIC, method="POST"),
    "staff:password-reset-confirm": Access(
        PUBLIC, kwargs=lambda o: {"uidb64": "MQ", "token": "set-password"}
    ),
    "staff:password-reset-complete": Access(PUBLIC),
    "staff:dashboard": Access(EVERY_ROLE),
    "staff:role-list": Access(EVERY_ROLE),
    "staff:account": Access(EVERY_ROLE),
    "staff:two-factor-setup": Access(EVERY_ROLE),
    "staff:token-create": Access(EVERY_ROLE),
    "staff:token-revoke": Access(EVERY_ROLE, method="POST", kwargs=own_token),
    "staff:organisation-list": Access(EVERY_ROLE),
    "staff:organisation-export": Access(EVERY_ROLE),
    "staff:organisation-create": Access(roles(ADMIN, OFFICER, CSP_MANAGER)),
    "staff:organisation-detail": Access(EVERY_ROLE, kwargs=org),
    # The organisation works only inside North Testshire, the CSP manager's own area.
    "staff:organisation-edit": Access(roles(ADMIN, OFFICER, CSP_MANAGER), kwargs=org),
    "staff:area-list": Access(EVERY_ROLE),
    "staff:area-export": Access(EVERY_ROLE),
    "staff:area-detail": Access(EVERY_ROLE, kwargs=north_csp),
    "staff:reference-import-list": Access(roles(ADMIN, OFFICER, ANALYST, AUDITOR)),
    "staff:person-list": Access(roles(ADMIN, AUDITOR)),
    "staff:person-export": Access(roles(ADMIN, AUDITOR)),
    "staff:person-create": Access(roles(ADMIN)),
    "staff:person-detail": Access(roles(ADMIN, AUDITOR), kwargs=person),
    "staff:person-edit": Access(roles(ADMIN), kwargs=person),
    "staff:person-sign-in-security": Access(
        roles(ADMIN), method="POST", kwargs=person, data=lambda o: {"action": "unlock"}
    ),
    "staff:audit-event-list": Access(roles(ADMIN, AUDITOR)),
    "staff:audit-event-export": Access(roles(ADMIN, AUDITOR)),
}

API: dict[str, Access] = {
    "core_me": Access(EVERY_ROLE),
    "core_list_areas": Access(EVERY_ROLE, query="?level=csp"),
    "core_get_area": Access(EVERY_ROLE, kwargs=north_csp),
    "core_list_organisations": Access(EVERY_ROLE),
    "core_get_organisation": Access(EVERY_ROLE, kwargs=org_id),
    "core_create_organisation": Access(
        roles(ADMIN, OFFICER, CSP_MANAGER),
        method="POST",
        data=lambda o: {"name": "Matrix Org", "sector": "business", "areas": [o["north_lad"].code]},
    ),
    "core_update_organisation": Access(
        roles(ADMIN, OFFICER, CSP_MANAGER),
        method="PUT",
        kwargs=org_id,
        data=lambda o: {
            "name": "Northtown Youth Trust",
            "sector": "vcs_charity",
            "areas": [o["north_lad"].code],
            "version": 1,
        },
    ),
    "core_list_audit_events": Access(roles(ADMIN, AUDITOR)),
}
