"""Upgrading keeps every citation: a priority that cited a strategic-assessment duty record cites a
published assessment made from that record's evidence."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from joinedup.core.testing import HISTORIC_MIGRATION, MIGRATION_TEST_TIMEOUT

# Migrating back and forward again takes minutes under SQLite with coverage (migrations are not measured):
# it runs in CI's PostgreSQL pass, the database production migrates.
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.postgresql_pass("a migration test: production migrates PostgreSQL"),
    pytest.mark.timeout(MIGRATION_TEST_TIMEOUT),
    HISTORIC_MIGRATION,
]

BEFORE = [("csp", "0001_initial")]
AFTER = [("csp", "0002_strategic_assessments_panel_workspace")]


def test_priorities_citing_a_duty_record_cite_a_strategic_assessment_after_the_upgrade(back_to_latest):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    area = old.get_model("core", "Area").objects.create(code="E22000777", name="Old CSP", level="csp")
    record = old.get_model("csp", "DutyRecord").objects.create(
        csp=area,
        year=2024,
        duty="strategic_assessment",
        due_date=datetime.date(2025, 1, 31),
        status="complete",
        evidence_link="https://example.org/sa-2024.pdf",
        evidence_date=datetime.date(2025, 1, 20),
        approved_by="Strategy group",
    )
    plan = old.get_model("csp", "CspPlan").objects.create(
        csp=area, title="Plan", period_start=datetime.date(2025, 4, 1), period_end=datetime.date(2026, 3, 31)
    )
    old.get_model("csp", "CspPriority").objects.create(plan=plan, title="Violence", assessment=record)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    priority = new.get_model("csp", "CspPriority").objects.get(title="Violence")
    assessment = new.get_model("csp", "StrategicAssessment").objects.get(pk=priority.strategic_assessment_id)
    assert (assessment.year, assessment.link, assessment.published_on, assessment.approved_by) == (
        2024,
        "https://example.org/sa-2024.pdf",
        datetime.date(2025, 1, 20),
        "Strategy group",
    )
