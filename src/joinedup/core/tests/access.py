"""Expected access to the core pages and API operations, role by role (see core/testing.py)."""

from __future__ import annotations

from joinedup.core.roles import Role
from joinedup.core.testing import EVERY_ROLE, PUBLIC, Access, roles

A, O, C, P, N, M, U = (
    Role.OPCC_ADMIN, Role.OPCC_OFFICER, Role.CSP_MANAGER, Role.PRACTITIONER, Role.ANALYST, Role.PANEL_MEMBER,
    Role.AUDITOR,
)


def org(objects):
    return {"pk": objects["organisation"].pk}


URLS: dict[str, Access] = {
    "portal:home": Access(PUBLIC),
    "portal:accessibility": Access(PUBLIC),
    "portal:privacy": Access(PUBLIC),
    "portal:healthz": Access(PUBLIC),
    "staff:dashboard": Access(EVERY_ROLE),
    "staff:role-list": Access(EVERY_ROLE),
    "staff:organisation-list": Access(EVERY_ROLE),
    "staff:organisation-export": Access(EVERY_ROLE),
    "staff:organisation-create": Access(roles(A, O, C)),
    "staff:organisation-detail": Access(EVERY_ROLE, kwargs=org),
    # The organisation works only inside North Testshire, the CSP manager's own area.
    "staff:organisation-edit": Access(roles(A, O, C), kwargs=org),
}

API: dict[str, Access] = {}
