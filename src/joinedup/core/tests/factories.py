"""Factories for tests: every test makes its own data."""

from __future__ import annotations

from typing import Any

import factory

from joinedup.core.models import Area, AreaLevel, Organisation, Sector, User
from joinedup.core.roles import Role

TEST_PASSWORD = "correct horse battery staple"


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"E01{n:06d}")
    name = factory.Sequence(lambda n: f"Area {n}")
    level = AreaLevel.LSOA


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    sector = Sector.VCS_CHARITY


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Test Person {n}")
    role = Role.OPCC_OFFICER
    organisation = factory.SubFactory(OrganisationFactory)

    @factory.post_generation
    def password(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        self.set_password(extracted or TEST_PASSWORD)
        if create:
            self.save()

    @factory.post_generation
    def areas(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            self.areas.set(extracted)


def area_tree() -> dict[str, Area]:
    """A small force area: one PFA, two CSPs with a LAD each, a split LAD, and LSOAs with populations."""
    pfa = AreaFactory(code="E23000099", name="Testshire", level=AreaLevel.PFA, population=4000)
    north = AreaFactory(
        code="E22000901", name="North Testshire", level=AreaLevel.CSP, parent=pfa, pfa=pfa, population=2500
    )
    south = AreaFactory(
        code="E22000902",
        name="South Testshire",
        level=AreaLevel.CSP,
        parent=pfa,
        pfa=pfa,
        population=1000,
        population_partial=True,
    )
    north_lad = AreaFactory(
        code="E07000901",
        name="Northtown",
        level=AreaLevel.LAD,
        parent=north,
        csp=north,
        pfa=pfa,
        population=2500,
    )
    south_lad = AreaFactory(
        code="E07000902",
        name="Southtown",
        level=AreaLevel.LAD,
        parent=south,
        csp=south,
        pfa=pfa,
        population=1000,
    )
    split_lad = AreaFactory(
        code="E07000903", name="Splitborough", level=AreaLevel.LAD, pfa=pfa, is_split=True, population=500
    )
    split_lad.split_csps.set([north, south])
    lsoas = {}
    for code, lad, pop in [
        ("E01900001", north_lad, 1500),
        ("E01900002", north_lad, 1000),
        ("E01900003", south_lad, 1000),
        ("E01900004", split_lad, 500),
    ]:
        lsoas[code] = AreaFactory(
            code=code,
            name=f"{lad.name} {code[-1]}",
            level=AreaLevel.LSOA,
            parent=lad,
            lad=lad,
            csp=lad.csp,
            pfa=pfa,
            population=pop,
        )
    return {
        "pfa": pfa,
        "north": north,
        "south": south,
        "north_lad": north_lad,
        "south_lad": south_lad,
        "split_lad": split_lad,
        **lsoas,
    }
