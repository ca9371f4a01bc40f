"""Expected access to the insight pages and API operations, role by role (see core/testing.py).

Analysts and CSP managers work for North Testshire: the entries below assess that CSP, so they are
allowed; test_views.py checks that another area is a 404 for them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from joinedup.core.models import Area
from joinedup.core.roles import Role
from joinedup.core.testing import Access, roles
from joinedup.insight.models import (
    AssessmentPriority,
    ImportStatus,
    PoliceDataImport,
    RejectedRow,
    SavedAssessment,
)

PANEL = Role.PANEL_MEMBER
ADMIN, OFFICER, CSP_MANAGER, ANALYST, AUDITOR = (
    Role.OPCC_ADMIN,
    Role.OPCC_OFFICER,
    Role.CSP_MANAGER,
    Role.ANALYST,
    Role.AUDITOR,
)
ASSESS = roles(ADMIN, OFFICER, CSP_MANAGER, ANALYST, AUDITOR)
SAVED_VIEW = ASSESS
SAVED_CHANGE = roles(ADMIN, OFFICER, CSP_MANAGER, ANALYST)
SCHEME = roles(ADMIN, OFFICER, ANALYST)
IMPORTS = roles(ADMIN, OFFICER, ANALYST, AUDITOR)
IMPORTERS = roles(ADMIN, OFFICER, ANALYST)
NORTH = "?area=E22000901&from_month=2023-01&to_month=2023-12"


def objects_hook(objects: dict[str, Any]) -> None:
    record = PoliceDataImport.objects.create(
        source="matrix.zip",
        status=ImportStatus.SUCCEEDED,
        files=[{"name": "2023-01-testshire-street.csv", "sha256": "0" * 64, "kind": "street", "rows": 1}],
        forces=["testshire"],
        months=["2023-01"],
        rows_read=2,
        rows_accepted=1,
        rows_rejected=1,
        flags={"no_lsoa": 0, "unknown_lsoa": 0, "outside_force": 0, "unknown_crime_type": 0},
    )
    RejectedRow.objects.create(data_import=record, file="2023-01-testshire-street.csv", line=3, reason="x")
    objects["police_import"] = record
    objects["saved_assessment"] = _saved_assessment()


def _saved_assessment() -> SavedAssessment:
    """A draft assessment of North Testshire over 2023, from a burglary, a shoplifting and an ASB
    report a month in the store (the matrix fixture gives each test its own data directory)."""
    from django.conf import settings

    from joinedup.insight.calculation import assess
    from joinedup.insight.imports.importer import import_police_data
    from joinedup.insight.selectors import current_scheme
    from joinedup.insight.tests.test_importer import street_file, street_row

    folder = Path(settings.DATA_DIR) / "matrix-police-data"
    for m in range(1, 13):
        month = f"2023-{m:02d}"
        rows = [
            street_row(f"b{month}", month, "E01900001"),
            street_row(f"s{month}", month, "E01900001", "Shoplifting"),
        ]
        rows.append(street_row("", month, "E01900001", "Anti-social behaviour"))
        street_file(folder, month, rows)
    import_police_data([folder])
    results = assess("E22000901", "2023-01", "2023-12")
    area = Area.objects.get(code="E22000901")
    saved = SavedAssessment.objects.create(
        area=area,
        from_month="2023-01",
        to_month="2023-12",
        title="North Testshire strategic assessment",
        narrative="Burglary is the first priority.",
        results=results,
        scheme=current_scheme().as_dict(),
    )
    for row in results["by_crime_type"]:
        AssessmentPriority.objects.create(
            assessment=saved, key=row["crime_type"], label=row["crime_type"], crime_types=[row["crime_type"]]
        )
    return saved


def _saved_pk(objects: dict[str, Any]) -> dict[str, Any]:
    return {"pk": objects["saved_assessment"].pk}


def _version(objects: dict[str, Any]) -> dict[str, Any]:
    objects["saved_assessment"].refresh_from_db()
    return {"version": objects["saved_assessment"].version}


URLS: dict[str, Access] = {
    "insight:assessment": Access(ASSESS, query=NORTH),
    "insight:assessment-json": Access(ASSESS, query=NORTH),
    "insight:assessment-csv": Access(ASSESS, query=NORTH),
    "insight:assessment-pdf": Access(ASSESS, query=NORTH),
    # The Panel reads the list (published assessments only: the matrix's draft is not among them).
    "insight:saved-list": Access(SAVED_VIEW | roles(PANEL), query="?area=E22000901"),
    "insight:saved-detail": Access(SAVED_VIEW, kwargs=_saved_pk),
    "insight:saved-history": Access(SAVED_VIEW, kwargs=_saved_pk),
    "insight:saved-concern": Access(SAVED_VIEW, kwargs=_saved_pk),
    "insight:saved-json": Access(SAVED_VIEW, kwargs=_saved_pk),
    "insight:saved-csv": Access(SAVED_VIEW, kwargs=_saved_pk),
    "insight:saved-pdf": Access(SAVED_VIEW, kwargs=_saved_pk),
    "insight:saved-edit": Access(SAVED_CHANGE, kwargs=_saved_pk),
    "insight:scheme": Access(SCHEME),
    # POSTs run after the pages, in this order: the theme and scores, then publishing, then a new edition.
    "insight:saved-create": Access(
        SAVED_CHANGE,
        method="POST",
        data=lambda o: {"area": "E22000901", "from_month": "2023-01", "to_month": "2023-12"},
    ),
    "insight:saved-theme": Access(
        SAVED_CHANGE,
        method="POST",
        kwargs=_saved_pk,
        data=lambda o: {"name": "Acquisitive", "crime_types": ["Burglary", "Shoplifting"], **_version(o)},
    ),
    "insight:saved-priorities": Access(
        SAVED_CHANGE, method="POST", kwargs=_saved_pk, data=lambda o: {"p0-vulnerability": "3", **_version(o)}
    ),
    "insight:saved-publish": Access(
        SAVED_CHANGE, method="POST", kwargs=_saved_pk, data=lambda o: {**_version(o), "confirm": "yes"}
    ),
    "insight:saved-new-edition": Access(SAVED_CHANGE, method="POST", kwargs=_saved_pk),
    "insight:import-list": Access(IMPORTS),
    "insight:import-detail": Access(IMPORTS, kwargs=lambda o: {"pk": o["police_import"].pk}),
    "insight:import-upload": Access(IMPORTERS),
    "insight:import-retry": Access(IMPORTERS, method="POST", kwargs=lambda o: {"pk": o["police_import"].pk}),
    "insight:import-cancel": Access(IMPORTERS, method="POST", kwargs=lambda o: {"pk": o["police_import"].pk}),
}

API: dict[str, Access] = {
    "insight_get_assessment": Access(ASSESS, query="?area=E22000901&from=2023-01&to=2023-12"),
    "insight_list_saved_assessments": Access(SAVED_VIEW | roles(PANEL), query="?area=E22000901"),
    "insight_get_saved_assessment": Access(SAVED_VIEW, kwargs=_saved_pk),
    "insight_create_saved_assessment": Access(
        SAVED_CHANGE, method="POST", data=lambda o: {"area": "E22000901", "from": "2023-01", "to": "2023-12"}
    ),
    "insight_update_saved_assessment": Access(
        SAVED_CHANGE,
        method="PATCH",
        kwargs=_saved_pk,
        data=lambda o: {
            "narrative": "Burglary first.",
            "priorities": {"Burglary": {"concern": 4}},
            **_version(o),
        },
    ),
    "insight_publish_saved_assessment": Access(SAVED_CHANGE, method="POST", kwargs=_saved_pk, data=_version),
    "insight_start_saved_assessment_edition": Access(SAVED_CHANGE, method="POST", kwargs=_saved_pk),
}
