"""Expected access to the partnership register's pages, role by role (see core/testing.py).

The permission-matrix fixture only makes core records, so `_partnership` makes one partnership per test
the first time a URL needs it and keeps it in `objects`.
"""

from __future__ import annotations

from typing import Any

from joinedup.core.roles import Role
from joinedup.core.testing import EVERY_ROLE, PUBLIC, Access, roles

ADMIN, OFFICER = Role.OPCC_ADMIN, Role.OPCC_OFFICER


def _partnership(objects: dict[str, Any]) -> Any:
    if "partnership" not in objects:
        from joinedup.partnerships.models import Status, Visibility
        from joinedup.partnerships.tests.factories import PartnershipFactory

        objects["partnership"] = PartnershipFactory(
            name="Matrix partnership", status=Status.ACTIVE, visibility=Visibility.PUBLIC
        )
    return objects["partnership"]


def _proposed(objects: dict[str, Any]) -> Any:
    # A fresh proposal for each call, so every allowed role's submission is a legal move.
    from joinedup.partnerships.tests.factories import PartnershipFactory

    return PartnershipFactory(name="Matrix proposal")


def pk(objects: dict[str, Any]) -> dict[str, Any]:
    return {"pk": _partnership(objects).pk}


URLS: dict[str, Access] = {
    "partnerships:list": Access(EVERY_ROLE),
    "partnerships:export": Access(EVERY_ROLE),
    "partnerships:overview": Access(EVERY_ROLE),
    "partnerships:create": Access(roles(ADMIN, OFFICER)),
    "partnerships:detail": Access(EVERY_ROLE, kwargs=pk),
    "partnerships:edit": Access(roles(ADMIN, OFFICER), kwargs=pk),
    "partnerships:assessment": Access(roles(ADMIN, OFFICER), kwargs=pk),
    "partnerships:membership-add": Access(roles(ADMIN, OFFICER), kwargs=pk),
    "partnerships:risk-add": Access(roles(ADMIN, OFFICER), kwargs=pk),
    "partnerships:declaration-add": Access(roles(ADMIN, OFFICER), kwargs=pk),
    "partnerships:objective-add": Access(roles(ADMIN, OFFICER), kwargs=pk),
    "partnerships:benefit-add": Access(roles(ADMIN, OFFICER), kwargs=pk),
    # Concluding a review (continue, revise, terminate) is the administrator's decision.
    "partnerships:review": Access(roles(ADMIN), kwargs=pk),
    # Submitting for assessment is an officer's step (administrators may do it too); approving,
    # declining and concluding reviews are the administrator's alone (tests/test_lifecycle.py).
    "partnerships:transition": Access(
        roles(ADMIN, OFFICER),
        method="POST",
        kwargs=lambda objects: {"pk": _proposed(objects).pk, "transition": "submit"},
        data=lambda objects: {"reason": "Ready for assessment"},
    ),
    "public-partnerships:list": Access(PUBLIC),
    "public-partnerships:export-csv": Access(PUBLIC),
    "public-partnerships:export-json": Access(PUBLIC),
    "public-partnerships:detail": Access(PUBLIC, kwargs=pk),
}

API: dict[str, Access] = {}
