"""Retention: closed cases past the period are anonymised once, keeping what statistics need."""

from __future__ import annotations

from datetime import timedelta

import pytest
from click.testing import CliRunner
from django.utils import timezone

from joinedup.casework.models import Case, CaseAnonymisation, Incident, InformantUpdate, Person
from joinedup.casework.retention.services import REMOVED, anonymise_closed_cases, retention_days
from joinedup.casework.services import add_action, record_incident, record_informant_update
from joinedup.core.models import AuditEvent

from .conftest import incident_data

pytestmark = pytest.mark.django_db


def close(case, days_ago):
    Case.objects.filter(pk=case.pk).update(
        status="closed", closed_at=timezone.now() - timedelta(days=days_ago)
    )


def test_old_closed_cases_lose_personal_data_but_keep_their_statistics(world, case):
    police = world["users"]["police"]
    add_action(
        actor=police,
        case=case,
        data={
            "owner_organisation": world["police"],
            "action_type": "eva",
            "due_date": "2026-01-01",
            "description": "Visit Pat",
        },
    )
    record_informant_update(
        actor=police, case=case, data={"method": "phone", "summary": "Told Pat Resident."}
    )
    # The same informant on a case that is still open: their person record stays for that case.
    other = record_incident(actor=police, data=incident_data(world, latitude="54.99", perpetrators=[])).case
    recent = record_incident(
        actor=police,
        data=incident_data(
            world, latitude="54.98", informant={"name": "Kim Recent", "phone": "07700900555"}, perpetrators=[]
        ),
    ).case
    close(case, retention_days() + 1)
    close(recent, 30)

    result = anonymise_closed_cases()

    assert result.cases == 1 and result.incidents == 1
    incident = Incident.objects.get(case=case)
    assert incident.description == REMOVED and incident.address == "" and incident.latitude is None
    assert incident.informant is None and not incident.perpetrators.exists()
    assert (incident.category, incident.area.code, incident.postcode) == (
        "asb/nuisance/noise",
        "E01900001",
        "NE1",
    )
    assert InformantUpdate.objects.get(case=case).summary == REMOVED
    assert case.actions.get().description == ""
    # Sam Noisy was named only on the anonymised case: gone, with the history. Pat is still on `other`.
    assert not Person.objects.filter(full_name="Sam Noisy").exists()
    assert not Person.history.filter(full_name="Sam Noisy").exists()
    assert Person.objects.filter(full_name="Pat Resident").exists()
    assert not Incident.history.filter(id=incident.pk, description="Loud music until 3am.").exists()
    assert Incident.objects.get(case=other).description == "Loud music until 3am."
    assert Incident.objects.get(case=recent).informant.full_name == "Kim Recent"
    assert AuditEvent.objects.filter(event_type="personal_data_anonymised").get().detail["cases"] == [case.pk]

    again = anonymise_closed_cases()
    assert again.cases == 0 and CaseAnonymisation.objects.count() == 1
    assert AuditEvent.objects.filter(event_type="personal_data_anonymised").count() == 1


def test_the_period_is_a_setting(world, case, settings):
    settings.JOINEDUP_CASEWORK = {"retention_days": 10}
    close(case, 11)
    assert anonymise_closed_cases().cases == 1


def test_the_command_and_the_task(world, case):
    from joinedup.casework.cli import retention
    from joinedup.casework.tasks import anonymise_closed_cases as task

    close(case, retention_days() + 5)
    dry = CliRunner().invoke(retention, ["--dry-run"])
    assert dry.exit_code == 0 and dry.output.startswith("1 closed case")
    assert not CaseAnonymisation.objects.exists()
    result = task.enqueue()  # the immediate backend in tests
    assert "Anonymised 1 closed case" in result.return_value
    assert "Anonymised 0 closed cases" in CliRunner().invoke(retention, []).output
