"""Expected access to the notification and scheduler pages, role by role (see core/testing.py)."""

from __future__ import annotations

from joinedup.core.roles import Role
from joinedup.core.testing import EVERY_ROLE, Access, roles

URLS: dict[str, Access] = {
    "notifications:list": Access(EVERY_ROLE),
    "notifications:mark-read": Access(EVERY_ROLE, method="POST"),
    "notifications:preferences": Access(EVERY_ROLE),
    "notifications:scheduler": Access(roles(Role.OPCC_ADMIN)),
}
