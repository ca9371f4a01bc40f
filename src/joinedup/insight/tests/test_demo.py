"""`joinedup insight demo`: a published, scored assessment from the imported data, made once."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from joinedup.core.demo import DemoRefused
from joinedup.core.models import Area
from joinedup.core.roles import Role
from joinedup.insight.demo import load_insight_demo
from joinedup.insight.models import AssessmentStatus, SavedAssessment
from joinedup.insight.tests.test_views import store as store  # the fixture, re-exported

pytestmark = pytest.mark.django_db


def test_the_demo_publishes_a_scored_assessment_from_the_data_once(
    client_for: Callable[[str], Client], users: dict[str, Any], store: Any
) -> None:
    analyst = users[Role.ANALYST]
    said: list[str] = []
    record = load_insight_demo(out=said.append, area_name="North Testshire", analyst_email=analyst.email)

    assert record is not None and record.status == AssessmentStatus.PUBLISHED
    assert record.published_by == analyst
    # The latest 12 months in the store (2023): 6 burglaries and 1 violent crime a month, 2 ASB.
    assert record.from_month == "2023-01" and record.to_month == "2023-12"
    assert "recorded 84 crimes excluding anti-social behaviour" in record.narrative
    assert "24 incidents of anti-social behaviour" in record.narrative
    assert "illustrative" in record.narrative
    scale = record.scheme["scale_max"]
    scores = {p.key: (p.vulnerability, p.concern) for p in record.priorities.all()}
    assert scores["Violence and sexual offences"] == (min(5, scale), min(4, scale))
    assert scores["Anti-social behaviour"] == (min(2, scale), min(5, scale))
    assert said == [f"Insight demo: published “{record.title}” with illustrative priority scores."]

    page = client_for(Role.ANALYST).get(f"/staff/insight/saved/{record.pk}/").content.decode()
    assert record.title in page and "Published" in page

    again: list[str] = []
    assert (
        load_insight_demo(out=again.append, area_name="North Testshire", analyst_email=analyst.email) is None
    )
    assert SavedAssessment.objects.count() == 1
    assert "already has a saved assessment" in again[0]


def test_the_demo_says_so_when_no_data_is_imported(
    areas: dict[str, Area], users: dict[str, Any], tmp_path: Path, settings: Any
) -> None:
    settings.DATA_DIR = tmp_path / "var"
    said: list[str] = []
    assert (
        load_insight_demo(
            out=said.append, area_name="North Testshire", analyst_email=users[Role.ANALYST].email
        )
        is None
    )
    assert said == ["Insight demo: no police data imported yet, so no saved assessment was made."]
    assert not SavedAssessment.objects.exists()
    with pytest.raises(DemoRefused):
        load_insight_demo(out=said.append, area_name="Nowhere", analyst_email=users[Role.ANALYST].email)
