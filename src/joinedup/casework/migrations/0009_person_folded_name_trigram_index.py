"""A trigram index on `Person.folded_name`, so that PostgreSQL answers the name search's "contains this
word" (LIKE '%word%') from the index instead of reading every person (bench/RESULTS.md, issue 16).

PostgreSQL only: the pg_trgm extension (trusted since PostgreSQL 13, so the database's owner may create
it) and a GIN index with its operator class. On SQLite the index is recorded in the migration state (the
model declares it) and nothing is created: Django's CreateExtension does nothing there when applied, and
`AddIndexOnPostgreSQL` below does the same for the index. Reversed, the index is dropped and the extension
kept (`KeepTrigramExtension`): something else may use it, and Django's own reversal would look for it in
PostgreSQL's catalogue on SQLite too.
"""

from __future__ import annotations

from typing import Any

import django.contrib.postgres.indexes
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class AddIndexOnPostgreSQL(migrations.AddIndex):
    """AddIndex whose database work happens on PostgreSQL only; the migration state changes everywhere."""

    def database_forwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class KeepTrigramExtension(TrigramExtension):
    """pg_trgm, created on PostgreSQL; left in place when the migration is reversed."""

    def database_backwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        pass


class Migration(migrations.Migration):
    dependencies = [("casework", "0008_fill_person_folded_names")]

    operations = [
        KeepTrigramExtension(),
        AddIndexOnPostgreSQL(
            model_name="person",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["folded_name"], opclasses=["gin_trgm_ops"], name="casework_person_folded_trgm"
            ),
        ),
    ]
