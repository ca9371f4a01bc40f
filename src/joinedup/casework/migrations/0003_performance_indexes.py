"""Indexes for casework at scale (bench/casework_pages.py; figures in bench/RESULTS.md).

Created with SQL rather than in the models' Meta so that they stay out of the way of other changes to
those models: the case list's order within a status, the cases with an action an organisation owns
(visibility), the cases reported on in the tasking window (index-only), and the intake's matching of people by
case-insensitive name with date of birth, phone and email. The expression indexes are PostgreSQL's
(Django's iexact there is UPPER(column::text) = UPPER(value)); SQLite gets the plain ones.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

INDEXES = {
    "casework_case_status_created": "casework_case (status, created_at DESC, id DESC)",
    "casework_person_phone": "casework_person (phone)",
    "casework_caseaction_owner_case": "casework_caseaction (owner_organisation_id, case_id)",
    "casework_incident_received_case": "casework_incident (received_at, case_id)",
}
POSTGRES_INDEXES = {
    "casework_person_upper_name_dob": "casework_person (UPPER(full_name::text), date_of_birth)",
    "casework_person_upper_email": "casework_person (UPPER(email::text))",
}


def create(apps: Any, schema_editor: Any) -> None:
    wanted = dict(INDEXES)
    if schema_editor.connection.vendor == "postgresql":
        wanted.update(POSTGRES_INDEXES)
    for name, target in wanted.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {target}")


def drop(apps: Any, schema_editor: Any) -> None:
    for name in [*INDEXES, *POSTGRES_INDEXES]:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("casework", "0002_tasking_meetings_retention")]

    operations = [migrations.RunPython(create, drop)]
