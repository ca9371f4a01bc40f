"""How service exceptions become API answers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from joinedup.api.errors import field_errors
from joinedup.core.models import AuditEvent, EventType, Organisation, Sector
from joinedup.core.roles import Role
from joinedup.core.services import organisations as organisation_services
from joinedup.core.services.errors import NotAllowed


def test_every_message_of_every_field_becomes_one_item() -> None:
    exc = ValidationError(
        {"name": ["Required.", "Too long."], "__all__": ["Unexpected fields: colour."], "website": "Bad."}
    )

    items = field_errors(exc, method="POST")

    assert items == [
        {"loc": ["body", "payload", "name"], "msg": "Required.", "type": "value_error"},
        {"loc": ["body", "payload", "name"], "msg": "Too long.", "type": "value_error"},
        {"loc": ["body", "payload"], "msg": "Unexpected fields: colour.", "type": "value_error"},
        {"loc": ["body", "payload", "website"], "msg": "Bad.", "type": "value_error"},
    ]


def test_a_plain_error_on_a_read_is_located_in_the_query() -> None:
    exc = ValidationError("Choose a date after the start.", code="invalid", params={})

    assert field_errors(exc, method="GET") == [
        {"loc": ["query"], "msg": "Choose a date after the start.", "type": "invalid"}
    ]


@pytest.mark.django_db
def test_not_allowed_from_a_service_is_a_logged_404(
    api_as: Callable[[str], Client], monkeypatch: pytest.MonkeyPatch
) -> None:
    organisation = Organisation.objects.create(name="Any Org", sector=Sector.BUSINESS)

    def refuse(**kwargs: Any) -> None:
        raise NotAllowed("You may not change this organisation.")

    monkeypatch.setattr(organisation_services, "update_organisation", refuse)

    response = api_as(Role.OPCC_ADMIN).put(
        f"/api/v1/organisations/{organisation.pk}",
        {"name": "Any Org", "sector": "business", "version": 1},
        content_type="application/json",
    )

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
    assert AuditEvent.objects.filter(
        event_type=EventType.PERMISSION_DENIED, actor_role=Role.OPCC_ADMIN
    ).exists()
