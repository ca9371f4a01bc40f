"""Factories for tests: every test makes its own data."""

from __future__ import annotations

from typing import Any

import factory

from joinedup.core.models import Area, AreaLevel, Organisation, Sector, User
from joinedup.core.roles import Role

TEST_PASSWORD = "correct horse battery staple"
TEST_FORCE_CODE = "E23000099"  # Testshire, the force area of `area_tree()`


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
        """The areas given; unless told (`areas=[]` for none), a test person works for the test force area
        (Testshire) when the test has made it, since every role is scoped to its force (ADR 0028)."""
        if not create:
            return
        if extracted is None:
            extracted = list(Area.objects.filter(code=TEST_FORCE_CODE))
        if extracted:
            self.areas.set(extracted)


def make_ward(code: str, name: str, lad: Area, lsoas: tuple[str, ...]) -> Area:
    """An electoral ward of `lad` made of the given LSOAs, with their population (as `joinedup areas import`
    makes one)."""
    ward = AreaFactory(
        code=code,
        name=name,
        level=AreaLevel.WARD,
        parent=lad,
        lad=lad,
        csp=lad.csp,
        pfa=lad.pfa,
        population=sum(Area.objects.filter(code__in=lsoas).values_list("population", flat=True)),
    )
    Area.objects.filter(code__in=lsoas).update(ward=ward)
    return ward


def area_tree(force: int = 9, name: str = "Testshire") -> dict[str, Area]:
    """A small force area: one PFA, two CSPs with a LAD each, a split LAD, and LSOAs with populations.

    `force` (1 to 9) numbers the codes, so a test can load a second force area beside the first (force 8,
    say, named "Farshire"); its LSOAs are keyed by their own codes (E01800001 and so on)."""
    f = force
    town = name.removesuffix("shire")
    pfa = AreaFactory(code=f"E2300009{f}", name=name, level=AreaLevel.PFA, population=4000)
    north = AreaFactory(
        code=f"E22000{f}01", name=f"North {name}", level=AreaLevel.CSP, parent=pfa, pfa=pfa, population=2500
    )
    south = AreaFactory(
        code=f"E22000{f}02",
        name=f"South {name}",
        level=AreaLevel.CSP,
        parent=pfa,
        pfa=pfa,
        population=1000,
        population_partial=True,
    )
    north_lad = AreaFactory(
        code=f"E07000{f}01",
        name=f"North{town.lower()}" if f != 9 else "Northtown",
        level=AreaLevel.LAD,
        parent=north,
        csp=north,
        pfa=pfa,
        population=2500,
    )
    south_lad = AreaFactory(
        code=f"E07000{f}02",
        name=f"South{town.lower()}" if f != 9 else "Southtown",
        level=AreaLevel.LAD,
        parent=south,
        csp=south,
        pfa=pfa,
        population=1000,
    )
    split_lad = AreaFactory(
        code=f"E07000{f}03",
        name="Splitborough" if f == 9 else f"Split{town.lower()}",
        level=AreaLevel.LAD,
        pfa=pfa,
        is_split=True,
        population=500,
    )
    split_lad.split_csps.set([north, south])
    lsoas = {}
    for code, lad, pop in [
        (f"E01{f}00001", north_lad, 1500),
        (f"E01{f}00002", north_lad, 1000),
        (f"E01{f}00003", south_lad, 1000),
        (f"E01{f}00004", split_lad, 500),
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
