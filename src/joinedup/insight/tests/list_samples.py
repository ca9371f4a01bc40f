"""Rows for the shared list test (core/tests/test_lists.py) of each of the insight app's declared lists."""

from __future__ import annotations

import itertools

from django.urls import reverse

from joinedup.core.lists.testing import ListSample, sample
from joinedup.core.roles import Role
from joinedup.core.tests.factories import UserFactory, area_tree
from joinedup.insight.models import AssessmentStatus, ImportStatus, PoliceDataImport, SavedAssessment

FORMULA = '=HYPERLINK("x","y")'
_numbers = itertools.count(1)


def _officer(areas: dict) -> object:
    return UserFactory(role=Role.OPCC_OFFICER, areas=[areas["pfa"]])


@sample("insight-imports")
def police_data_imports(rows: int) -> ListSample:
    areas = area_tree()

    def add(n: int, status: str = ImportStatus.SUCCEEDED, force: str = "testshire") -> None:
        for i in range(n):
            PoliceDataImport.objects.create(
                source=f"import-{next(_numbers)}.zip",
                status=status,
                files=[
                    {"name": "2023-01-testshire-street.csv", "sha256": "0" * 64, "kind": "street", "rows": 1}
                ],
                forces=[force],
                months=["2023-01", f"2023-{1 + i % 12:02d}"],
                rows_read=10 + i,
                rows_accepted=8 + i,
                rows_rejected=i % 3,
                flags={"no_lsoa": i % 2, "unknown_lsoa": 0, "outside_force": 0, "unknown_crime_type": 0},
            )

    add(1, ImportStatus.FAILED)
    add(1, force=FORMULA)
    add(rows - 2)
    return ListSample(
        reverse("insight:import-list"),
        _officer(areas),
        rows,
        {"status": ImportStatus.FAILED},
        1,
        FORMULA,
        add,
    )


@sample("insight-saved-assessments")
def saved_assessments(rows: int) -> ListSample:
    areas = area_tree()

    def add(n: int, area: str = "south", title: str = "") -> None:
        for i in range(n):
            number = next(_numbers)
            SavedAssessment.objects.create(
                area=areas[area],
                from_month="2023-01",
                to_month="2023-12",
                edition=number,
                title=title or f"Assessment {number:04d}",
                status=AssessmentStatus.PUBLISHED if i % 2 else AssessmentStatus.DRAFT,
            )

    add(1, "north")
    add(1, title=FORMULA)
    add(rows - 2)
    return ListSample(
        reverse("insight:saved-list"), _officer(areas), rows, {"area": "E22000901"}, 1, FORMULA, add
    )
