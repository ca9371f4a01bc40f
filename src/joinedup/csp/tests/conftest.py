"""Fixtures for the CSP tests: responsible authorities serving North Testshire, and dates."""

from __future__ import annotations

from typing import Any

import pytest

from joinedup.core.models import Area, Organisation, ResponsibleAuthorityType, Sector
from joinedup.csp.tests.factories import make_csp_partnership
from joinedup.partnerships.tests.factories import make_organisation

AUTHORITY_SECTORS = {
    ResponsibleAuthorityType.POLICE: Sector.POLICE_FORCE,
    ResponsibleAuthorityType.LOCAL_AUTHORITY: Sector.LA_DISTRICT,
    ResponsibleAuthorityType.FIRE_RESCUE: Sector.FIRE_RESCUE,
    ResponsibleAuthorityType.PROBATION: Sector.PROBATION,
    ResponsibleAuthorityType.HEALTH: Sector.HEALTH_ICB,
}


@pytest.fixture
def authorities(areas: dict[str, Area]) -> dict[str, Organisation]:
    """All five types serve North Testshire (police and fire across the force area) and are members of its
    statutory partnership; South's partnership has only police and fire as members."""
    made = {}
    for kind, sector in AUTHORITY_SECTORS.items():
        organisation = make_organisation(name=f"Test {kind.label}", sector=sector, responsible_authority=kind)
        force_wide = kind in (ResponsibleAuthorityType.POLICE, ResponsibleAuthorityType.FIRE_RESCUE)
        served: list[Any] = [areas["pfa"]] if force_wide else [areas["north_lad"]]
        if kind == ResponsibleAuthorityType.HEALTH:
            served = [areas["north"]]
        organisation.areas.set(served)
        made[str(kind)] = organisation
    make_csp_partnership(csp=areas["north"], members=list(made.values()))
    make_csp_partnership(csp=areas["south"], members=[made["police"], made["fire_rescue"]])
    return made
