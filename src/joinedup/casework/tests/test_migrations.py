"""Upgrading folds the names of the people already recorded, so the name search finds them at once."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from joinedup.core.testing import MIGRATION_TEST_TIMEOUT

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("casework", "0007_person_folded_name")]
AFTER = [("casework", "0008_fill_person_folded_names")]


@pytest.mark.postgresql_pass("a migration test: production migrates PostgreSQL")
@pytest.mark.timeout(MIGRATION_TEST_TIMEOUT)
def test_the_upgrade_folds_every_existing_name_in_batches(back_to_latest):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old_person = executor.loader.project_state(BEFORE).apps.get_model("casework", "Person")
    # More people than one batch (2,000), written without save() as an old release would have left them.
    names = ["Zoë Ó Briain", "ÅSA ŁUKASZ", "Pat  Resident", *(f"Sam Person{n:05d}" for n in range(2001))]
    old_person.objects.bulk_create([old_person(full_name=name) for name in names])
    assert set(old_person.objects.values_list("folded_name", flat=True)) == {""}

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new_person = executor.loader.project_state(AFTER).apps.get_model("casework", "Person")
    folded = dict(new_person.objects.values_list("full_name", "folded_name"))
    assert len(folded) == len(names)
    assert folded["Zoë Ó Briain"] == "zoe o briain" and folded["ÅSA ŁUKASZ"] == "asa lukasz"
    assert folded["Pat  Resident"] == "pat resident"
    assert folded["Sam Person02000"] == "sam person02000"
    assert all(folded[f"Sam Person{n:05d}"] == f"sam person{n:05d}" for n in range(2001))


def test_a_person_restored_from_a_backup_made_before_names_were_folded_is_folded():
    """A backup's rows are loaded raw (loaddata, without Person.save()); one from an older version has no
    folded name at all."""
    from django.core import serializers

    from joinedup.casework.models import Person

    old_json = (
        '[{"model": "casework.person", "pk": 41, "fields": {"full_name": "Siân Ó Briain", '
        '"created_at": "2026-01-05T10:00:00Z", "updated_at": "2026-01-05T10:00:00Z"}}]'
    )
    for loaded in serializers.deserialize("json", old_json):
        loaded.save()
    assert Person.objects.get(pk=41).folded_name == "sian o briain"
