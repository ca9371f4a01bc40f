"""Expected access to the insight pages and API operations, role by role (see core/testing.py).

Analysts and CSP managers work for North Testshire: the entries below assess that CSP, so they are
allowed; test_views.py checks that another area is a 404 for them.
"""

from __future__ import annotations

from typing import Any

from joinedup.core.roles import Role
from joinedup.core.testing import Access, roles
from joinedup.insight.models import ImportStatus, PoliceDataImport, RejectedRow

ADMIN, OFFICER, CSP_MANAGER, ANALYST, AUDITOR = (
    Role.OPCC_ADMIN,
    Role.OPCC_OFFICER,
    Role.CSP_MANAGER,
    Role.ANALYST,
    Role.AUDITOR,
)
ASSESS = roles(ADMIN, OFFICER, CSP_MANAGER, ANALYST, AUDITOR)
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


URLS: dict[str, Access] = {
    "insight:assessment": Access(ASSESS, query=NORTH),
    "insight:assessment-json": Access(ASSESS, query=NORTH),
    "insight:assessment-csv": Access(ASSESS, query=NORTH),
    "insight:import-list": Access(IMPORTS),
    "insight:import-detail": Access(IMPORTS, kwargs=lambda o: {"pk": o["police_import"].pk}),
    "insight:import-upload": Access(IMPORTERS),
}

API: dict[str, Access] = {
    "insight_get_assessment": Access(ASSESS, query="?area=E22000901&from=2023-01&to=2023-12"),
}
