"""Expected access to "Your work", the calendar feeds and search, role by role (see core/testing.py)."""

from __future__ import annotations

from typing import Any

from joinedup.core.testing import EVERY_ROLE, PUBLIC, Access


def objects_hook(objects: dict[str, Any]) -> None:
    """Each person has a calendar secret, so each role's feed is fetched with its own."""
    from joinedup.workqueue.services import new_calendar_token

    objects["calendar_tokens"] = {
        person.pk: new_calendar_token(user=person) for person in objects["people"].values()
    }


def _my_token(objects: dict[str, Any]) -> dict[str, Any]:
    return {"token": objects["calendar_tokens"][objects["me"].pk]}


URLS: dict[str, Access] = {
    "workqueue:your-work": Access(EVERY_ROLE),
    "workqueue:calendar": Access(EVERY_ROLE),
    "workqueue:calendar-new": Access(EVERY_ROLE, method="POST"),
    "workqueue:calendar-revoke": Access(EVERY_ROLE, method="POST"),
    "search:search": Access(EVERY_ROLE, query="?q=ASB-000001"),
    # The secret in the address is the key (calendar apps cannot sign in); a wrong one is a 404.
    "calendar:due": Access(PUBLIC, kwargs=_my_token, note="the secret address is the credential"),
    "calendar:csp-duties": Access(PUBLIC, kwargs=_my_token),
    "calendar:panel-meetings": Access(PUBLIC, kwargs=_my_token),
}
