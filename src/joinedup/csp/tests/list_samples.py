"""Rows for the shared list test (core/tests/test_lists.py) of each of the CSP app's declared lists."""

from __future__ import annotations

import datetime
import itertools

from django.urls import reverse

from joinedup.core.lists.testing import ListSample, sample
from joinedup.core.models import AreaLevel
from joinedup.core.roles import Role
from joinedup.core.tests.factories import AreaFactory, UserFactory, area_tree
from joinedup.csp.duties import Duty
from joinedup.csp.models import BriefingNote, BriefingStatus, DutyStatus
from joinedup.csp.tests.factories import make_dhr, make_duty, make_requirement

FORMULA = '=HYPERLINK("x","y")'
_numbers = itertools.count(1)


def _officer(areas: dict) -> object:
    return UserFactory(role=Role.OPCC_OFFICER, areas=[areas["pfa"]])


@sample("csp-dhrs")
def dhrs(rows: int) -> ListSample:
    areas = area_tree()
    today = datetime.date.today()

    def add(n: int) -> None:
        for i in range(n):
            make_dhr(
                csp=areas["north"],
                case_reference=f"DHR-{next(_numbers):05d}",
                notified_on=today - datetime.timedelta(days=i % 90),
                decision="commission" if i % 2 else "",
            )

    make_dhr(csp=areas["south"], case_reference="0042-DHR")
    make_dhr(csp=areas["north"], case_reference=FORMULA)
    add(rows - 2)
    return ListSample(
        reverse("csp:dhr-list"), _officer(areas), rows, {"csp": "E22000902"}, 1, FORMULA, add, "0042-DHR"
    )


@sample("public-dhrs")
def public_dhrs(rows: int) -> ListSample:
    areas = area_tree()
    today = datetime.date.today()

    def add(n: int, csp: str = "north", title: str = "") -> None:
        for i in range(n):
            make_dhr(
                csp=areas[csp],
                published_on=today - datetime.timedelta(days=i % 40),
                published_title=title or f"Review of a death in {2020 + i % 5}",
                report_url="https://example.org/report.pdf" if i % 2 else "",
            )

    add(1, "south")
    add(1, title=FORMULA)
    add(rows - 2)
    make_dhr(csp=areas["north"])  # not published: never listed
    return ListSample(reverse("public-csp:dhr-list"), None, rows, {"csp": "E22000902"}, 1, FORMULA, add)


@sample("csp-report-requirements")
def requirements(rows: int) -> ListSample:
    areas = area_tree()
    today = datetime.date.today()

    def add(n: int) -> None:
        for i in range(n):
            make_requirement(
                csp=areas["north"],
                subject=f"Report {next(_numbers)}",
                due_date=today + datetime.timedelta(days=i % 20 - 10),
                responded_on=today if i % 3 == 0 else None,
            )

    make_requirement(csp=areas["south"], subject="Southern report")
    make_requirement(csp=areas["north"], subject=FORMULA)
    add(rows - 2)
    return ListSample(
        reverse("csp:requirement-list"), _officer(areas), rows, {"csp": "E22000902"}, 1, FORMULA, add
    )


@sample("csp-briefing-notes")
def briefing_notes(rows: int) -> ListSample:
    areas = area_tree()
    years = itertools.count(2000)

    def add(n: int, csp: str = "north", text: str = "") -> None:
        for i in range(n):
            BriefingNote.objects.create(
                csp=areas[csp],
                year=next(years),
                quarter=1 + i % 4,
                status=BriefingStatus.SUBMITTED if i % 2 else BriefingStatus.DRAFT,
                submitted_on=datetime.date(2025, 1, 1 + i % 28) if i % 2 else None,
                manager_commentary=text,
            )

    add(1, "south")
    add(rows - 1)
    # The notes' text is not a column; a CSP named like a formula is.
    areas["north"].name = FORMULA
    areas["north"].save()
    return ListSample(
        reverse("csp:briefing-list"), _officer(areas), rows, {"csp": "E22000902"}, 1, FORMULA, add
    )


@sample("csp-duties-due")
def duties_due(rows: int) -> ListSample:
    """Duties not yet done and due within a month (one overdue, in a CSP named like a formula whose code
    starts with 0); a finished duty and one due later are left out. Each sortable column (CSP, duty, due,
    status) puts the rows in a different order."""
    areas = area_tree()
    odd = AreaFactory(
        code="0E2200099", name=FORMULA, level=AreaLevel.CSP, parent=areas["pfa"], pfa=areas["pfa"]
    )
    today = datetime.date.today()
    duties = itertools.cycle(Duty.values)
    years = itertools.count(2000)
    patterns = itertools.cycle([("south", DutyStatus.IN_PROGRESS, 20), ("north", DutyStatus.NOT_STARTED, 3)])

    def add(n: int) -> None:
        for _ in range(n):
            csp, status, days = next(patterns)
            make_duty(
                csp=areas[csp],
                duty=next(duties),
                year=next(years),
                status=status,
                due_date=today + datetime.timedelta(days=days + next(_numbers) % 5),
            )

    make_duty(csp=odd, duty=Duty.DHR, year=2024, due_date=today - datetime.timedelta(days=2))
    make_duty(csp=odd, duty=Duty.ENGAGEMENT, year=2024, due_date=today + datetime.timedelta(days=90))
    make_duty(
        csp=odd,
        duty=Duty.REOFFENDING,
        year=2024,
        due_date=today,
        status=DutyStatus.COMPLETE,
        evidence_text="Minutes",
        evidence_date=today,
        approved_by="Chair",
    )
    add(rows - 1)
    return ListSample(
        reverse("csp:due"), _officer(areas), rows, {"overdue": "on"}, 1, FORMULA, add, "0E2200099"
    )


@sample("public-csps")
def public_csps(rows: int) -> ListSample:
    """CSPs with public meeting dates (one named like a formula, with a code that starts with 0); a CSP
    with none, and one whose meeting is not required, are left out."""
    areas = area_tree()

    def csp(name: str, code: str = "") -> object:
        code = code or f"E2299{next(_numbers):04d}"
        return AreaFactory(code=code, name=name, level=AreaLevel.CSP, parent=areas["pfa"], pfa=areas["pfa"])

    def add(n: int) -> None:
        for _ in range(n):
            make_duty(csp=csp(f"Partnership {next(_numbers)}"), duty=Duty.FACE_THE_PUBLIC, year=2025)

    make_duty(csp=areas["north"], duty=Duty.FACE_THE_PUBLIC, year=2025)
    make_duty(csp=csp(FORMULA, "0E2299999"), duty=Duty.FACE_THE_PUBLIC, year=2024)
    make_duty(csp=areas["south"], duty=Duty.FACE_THE_PUBLIC, year=2025, status=DutyStatus.NOT_REQUIRED)
    add(rows - 2)
    return ListSample(
        reverse("public-csp:index"), None, rows, {"name": "North"}, 1, FORMULA, add, "0E2299999"
    )
