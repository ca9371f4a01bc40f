"""Renaming insight's StrategicAssessment to SavedAssessment (docs/adr/0042) keeps every saved assessment,
its priorities, its history, the CSP documents that cite it and its content type."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from joinedup.core.testing import MIGRATION_TEST_TIMEOUT

# As csp's migration test: it runs in CI's PostgreSQL pass, the database production migrates.
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.postgresql_pass("a migration test: production migrates PostgreSQL"),
    pytest.mark.timeout(MIGRATION_TEST_TIMEOUT),
]

BEFORE = ("insight", "0007_concern_source")
AFTER = ("insight", "0008_saved_assessment")


def _state() -> Any:
    """The models as the applied migrations of every app leave them."""
    loader = MigrationExecutor(connection).loader
    return loader.project_state(tuple(loader.applied_migrations)).apps


def test_saved_assessments_and_what_cites_them_survive_the_rename(back_to_latest: Any) -> None:
    # `migrate` (not the bare executor) so the content types are renamed, as they are in production.
    call_command("migrate", *BEFORE, interactive=False, verbosity=0)
    old = _state()
    area = old.get_model("core", "Area").objects.create(code="E22000778", name="Old CSP", level="csp")
    fields = {"area": area, "from_month": "2024-01", "to_month": "2024-12", "title": "Old CSP 2024"}
    first = old.get_model("insight", "StrategicAssessment").objects.create(**fields, status="published")
    second = old.get_model("insight", "StrategicAssessment").objects.create(
        **{**fields, "title": "Old CSP 2024, second edition"}, edition=2, based_on=first
    )
    old.get_model("insight", "HistoricalStrategicAssessment").objects.create(
        **fields,
        id=first.pk,
        created_at=first.created_at,
        updated_at=first.updated_at,
        status="published",
        history_type="+",
        history_date=first.created_at,
    )
    old.get_model("insight", "AssessmentPriority").objects.create(
        assessment=first, key="Burglary", label="Burglary"
    )
    document = old.get_model("csp", "StrategicAssessment").objects.create(
        csp=area,
        title="Old CSP strategic assessment 2024",
        year=2024,
        published_on="2025-01-20",
        approved_by="Strategy group",
        insight_assessment_id=first.pk,
    )
    content_type = old.get_model("contenttypes", "ContentType").objects.get(
        app_label="insight", model="strategicassessment"
    )

    call_command("migrate", *AFTER, interactive=False, verbosity=0)
    new = _state()
    saved = new.get_model("insight", "SavedAssessment").objects
    assert saved.get(pk=second.pk).based_on_id == first.pk
    assert saved.get(pk=first.pk).priorities.get().label == "Burglary"
    assert (
        new.get_model("insight", "HistoricalSavedAssessment").objects.get(id=first.pk).title == "Old CSP 2024"
    )
    assert (
        new.get_model("csp", "StrategicAssessment").objects.get(pk=document.pk).insight_assessment_id
        == first.pk
    )
    renamed = new.get_model("contenttypes", "ContentType").objects.get(pk=content_type.pk)
    assert (renamed.app_label, renamed.model) == ("insight", "savedassessment")
