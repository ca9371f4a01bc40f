"""Fixtures shared by every app's tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from joinedup.core.models import Area, User
from joinedup.core.roles import Role
from joinedup.core.tests.factories import TEST_PASSWORD, UserFactory, area_tree


@pytest.fixture
def areas(db: Any) -> dict[str, Area]:
    return area_tree()


@pytest.fixture
def make_user(db: Any) -> Callable[..., User]:
    def make(role: str = Role.OPCC_OFFICER, **kwargs: Any) -> User:
        return UserFactory(role=role, **kwargs)

    return make


@pytest.fixture
def users(make_user: Callable[..., User], areas: dict[str, Area]) -> dict[str, User]:
    """One account per role; the CSP manager and analyst work for North Testshire."""
    made = {}
    for role in Role.values:
        scoped = [areas["north"]] if role in (Role.CSP_MANAGER, Role.ANALYST) else [areas["pfa"]]
        made[role] = make_user(role=role, email=f"{role}@example.org", areas=scoped)
    return made


@pytest.fixture
def client_for(users: dict[str, User]) -> Callable[[str], Client]:
    """A test client signed in as the given role's account."""

    def signed_in(role: str) -> Client:
        client = Client()
        client.force_login(users[role])
        return client

    return signed_in


@pytest.fixture
def password() -> str:
    return TEST_PASSWORD
