"""Rows for the shared list test (core/tests/test_lists.py) of each of core's declared lists."""

from __future__ import annotations

import itertools

from django.urls import reverse

from joinedup.core.lists.testing import ListSample, sample
from joinedup.core.models import AreaLevel, ReferenceImport, Sector
from joinedup.core.roles import Role
from joinedup.core.tests.factories import AreaFactory, OrganisationFactory, UserFactory

FORMULA = '=HYPERLINK("x","y")'
_numbers = itertools.count(1)


@sample("core-organisations")
def organisations(rows: int) -> ListSample:
    pfa = AreaFactory(code="E23000099", name="Testshire", level=AreaLevel.PFA)
    area = AreaFactory(code="E22000901", name="North Testshire", level=AreaLevel.CSP, parent=pfa, pfa=pfa)

    def add(n: int) -> None:
        for i in range(n):
            organisation = OrganisationFactory(
                name=f"Trust {next(_numbers):04d}",
                sector=Sector.VCS_CHARITY if i % 2 else Sector.LA_DISTRICT,
                charity_number=f"{1100000 + i}",
            )
            organisation.areas.set([area])

    OrganisationFactory(name="Testshire Business Club", sector=Sector.BUSINESS, company_number="01234567")
    OrganisationFactory(name=FORMULA, sector=Sector.VCS_CHARITY, compact_signatory=True)
    add(rows - 2)
    user = UserFactory(role=Role.OPCC_OFFICER, organisation=None, areas=[pfa])
    return ListSample(
        reverse("staff:organisation-list"), user, rows, {"sector": "business"}, 1, FORMULA, add, "01234567"
    )


@sample("core-people")
def people(rows: int) -> ListSample:
    def add(n: int) -> None:
        for i in range(n):
            number = next(_numbers)
            UserFactory(
                email=f"member{number:04d}@example.org",
                full_name=f"Member {number:04d}",
                role=Role.PRACTITIONER if i % 2 else Role.ANALYST,
                is_active=bool(i % 3),
            )

    admin = UserFactory(role=Role.OPCC_ADMIN, email="admin.sample@example.org")
    UserFactory(role=Role.PANEL_MEMBER, full_name=FORMULA, email="panel.sample@example.org")
    add(rows - 2)
    return ListSample(reverse("staff:person-list"), admin, rows, {"role": Role.PANEL_MEMBER}, 1, FORMULA, add)


@sample("core-areas")
def areas(rows: int) -> ListSample:
    pfa = AreaFactory(code="E23000099", name="Testshire", level=AreaLevel.PFA, population=4000)

    def add(n: int) -> None:
        for i in range(n):
            number = next(_numbers)
            AreaFactory(
                code=f"E0199{number:04d}",
                name=f"Testshire {number:04d}",
                level=AreaLevel.LSOA,
                population=None if i % 4 == 0 else 1000 + i,
            )

    AreaFactory(code="00HB", name=FORMULA, level=AreaLevel.CSP, parent=pfa, pfa=pfa, population=2500)
    add(rows - 2)
    user = UserFactory(role=Role.ANALYST, organisation=None)
    return ListSample(reverse("staff:area-list"), user, rows, {"level": "csp"}, 1, FORMULA, add, "00HB")


@sample("core-reference-imports")
def reference_imports(rows: int) -> ListSample:
    def add(n: int, kind: str = "areas", imported_by: str = "command line") -> None:
        for i in range(n):
            number = next(_numbers)
            ReferenceImport.objects.create(
                kind=kind,
                source=f"reference-{number:04d}",
                files=[
                    {"name": "lookups/pfa19_names_codes_uk.csv", "sha256": f"{number:064x}", "rows": 40 + i}
                ],
                counts={AreaLevel.LSOA: 6 + i, "population": 7404, "split_lads": ["E07000903"]},
                imported_by=imported_by,
            )

    add(1, kind="boundaries")
    add(1, imported_by=FORMULA)
    add(rows - 2)
    user = UserFactory(role=Role.AUDITOR, organisation=None)
    return ListSample(
        reverse("staff:reference-import-list"), user, rows, {"kind": "boundaries"}, 1, FORMULA, add
    )
