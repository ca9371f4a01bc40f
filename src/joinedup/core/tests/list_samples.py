"""Rows for the shared list test (core/tests/test_lists.py) of each of core's declared lists."""

from __future__ import annotations

import datetime
import itertools
from typing import Any

from django.urls import reverse
from django.utils import timezone

from joinedup.core.lists.testing import ListSample, sample
from joinedup.core.models import AreaLevel, AuditEvent, EventType, ReferenceImport, Sector
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


@sample("core-audit-events")
def audit_events(rows: int) -> ListSample:
    """The shared test signs in as the auditor (one SIGN_IN event: the last of the rows) and each of its
    downloads is an EXPORT event by the auditor in the log itself (`download_row`); none of the events made
    here is one, and the filter (refusals) matches none of them."""
    auditor = UserFactory(role=Role.AUDITOR, organisation=None, email="auditor.sample@example.org")
    start = timezone.now() - datetime.timedelta(days=3)

    def event(event_type: str, email: str, **fields: Any) -> None:
        number = next(_numbers)
        AuditEvent.objects.create(
            event_type=event_type,
            actor_email=email,
            occurred_at=start + datetime.timedelta(minutes=number),
            **fields,
        )

    def add(n: int) -> None:
        for _ in range(n):
            event(EventType.SIGN_IN_FAILED, f"attempt{next(_numbers):04d}@example.org")

    event(
        EventType.PERMISSION_DENIED,
        "analyst.sample@example.org",
        actor_role=Role.ANALYST,
        object_type="core.user",
        object_id="0042",
        object_repr=FORMULA,
        ip_address="192.0.2.10",
    )
    event(
        EventType.EXPORT,
        "officer.sample@example.org",
        object_type="core.organisation",
        detail={"format": "csv"},
    )
    add(rows - 3)

    def download_row(row: dict[str, Any]) -> bool:
        return row["event_code"] == EventType.EXPORT and row["who"] == auditor.email

    return ListSample(
        reverse("staff:audit-event-list"),
        auditor,
        rows,
        {"event_type": EventType.PERMISSION_DENIED},
        1,
        FORMULA,
        add,
        "0042",
        download_row=download_row,
    )
