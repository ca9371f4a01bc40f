"""Issue 14: the analyst's published assessment counts as the CSP's strategic assessment (no re-upload)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from joinedup.core.roles import Role
from joinedup.csp.duties import Duty, current_year
from joinedup.csp.models import DutyRecord, DutyStatus, StrategicAssessment
from joinedup.csp.tests.factories import make_duty

pytestmark = pytest.mark.django_db


def _published(users, settings, tmp_path):
    from joinedup.insight.models import AssessmentStatus
    from joinedup.insight.tests.access import _saved_assessment

    settings.DATA_DIR = tmp_path / "var"
    saved = _saved_assessment()
    saved.status = AssessmentStatus.PUBLISHED
    saved.published_at = timezone.now()
    saved.published_by = users[Role.ANALYST]
    saved.save()
    return saved


def test_the_csp_manager_records_the_analysts_published_assessment_without_uploading_it(
    areas, users, client_for, settings, tmp_path
):
    saved = _published(users, settings, tmp_path)
    year = current_year(timezone.localdate())
    duty = make_duty(csp=areas["north"], year=year, duty=Duty.STRATEGIC_ASSESSMENT)
    manager = client_for(Role.CSP_MANAGER)
    page = manager.get(f"/staff/csp/{areas['north'].code}/").content.decode()
    assert "Record it as the strategic assessment" in page and saved.title in page

    response = manager.post(f"/staff/csp/{areas['north'].code}/assessments/adopt/", {"saved": saved.pk})
    item = StrategicAssessment.objects.get(csp=areas["north"])
    assert response.status_code == 302 and response["Location"] == f"/staff/csp/assessments/{item.pk}/"
    assert item.insight_assessment == saved and not item.document and not item.link
    assert item.approved_by == users[Role.ANALYST].full_name
    assert "24 crimes (excluding ASB) from 2023-01 to 2023-12" in item.crime_trend_headline
    duty.refresh_from_db()
    assert duty.status == DutyStatus.COMPLETE  # the duty's evidence, as an upload would be
    # Offered once: recording it again is refused with the reason.
    assert (
        "Record it as the strategic assessment"
        not in manager.get(f"/staff/csp/{areas['north'].code}/").content.decode()
    )
    again = manager.post(
        f"/staff/csp/{areas['north'].code}/assessments/adopt/", {"saved": saved.pk}, follow=True
    )
    assert "already recorded" in again.content.decode()
    assert StrategicAssessment.objects.filter(csp=areas["north"]).count() == 1


def test_a_draft_or_another_areas_assessment_cannot_be_recorded(areas, users, client_for, settings, tmp_path):
    from joinedup.insight.models import AssessmentStatus

    saved = _published(users, settings, tmp_path)
    saved.status = AssessmentStatus.DRAFT
    saved.save()
    manager = client_for(Role.CSP_MANAGER)
    manager.post(f"/staff/csp/{areas['north'].code}/assessments/adopt/", {"saved": saved.pk})
    assert not StrategicAssessment.objects.exists()
    # South is not the manager's CSP: not found.
    south = client_for(Role.CSP_MANAGER).post(
        f"/staff/csp/{areas['south'].code}/assessments/adopt/", {"saved": saved.pk}
    )
    assert south.status_code == 404
    assert not DutyRecord.objects.exists()
