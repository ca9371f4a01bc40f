"""Fixtures for API tests: a bearer token per role and a client that sends it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from joinedup.core.models import User
from joinedup.core.services.tokens import create_token


@pytest.fixture
def token_for(users: dict[str, User]) -> Callable[[str], str]:
    """A fresh raw bearer token for the given role's account."""

    def make(role: str) -> str:
        _token, raw = create_token(user=users[role], name="tests", actor=None)
        return raw

    return make


@pytest.fixture
def api_client() -> Callable[[str | None], Client]:
    """A client that sends `Authorization: Bearer <raw>` (or no header at all for None)."""

    def make(raw: str | None) -> Client:
        headers: dict[str, Any] = {"Authorization": f"Bearer {raw}"} if raw is not None else {}
        return Client(headers=headers)

    return make


@pytest.fixture
def api_as(
    token_for: Callable[[str], str], api_client: Callable[[str | None], Client]
) -> Callable[[str], Client]:
    """A client acting as the given role's account through a real token."""

    def make(role: str) -> Client:
        return api_client(token_for(role))

    return make
