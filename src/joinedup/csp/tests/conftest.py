"""Fixtures for the CSP tests: responsible authorities serving North Testshire, and dates."""

from __future__ import annotations

import pytest

from joinedup.core.models import Area, Organisation
from joinedup.csp.tests.factories import make_authorities


@pytest.fixture
def authorities(areas: dict[str, Area]) -> dict[str, Organisation]:
    """All five types serve North Testshire (police and fire across the force area) and are members of its
    statutory partnership; South's partnership has only police and fire as members."""
    return make_authorities(areas)
