"""`joinedup engagement demo`: an open CSP consultation with comments to moderate and a closed one with
published results, loaded once."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from joinedup.core.demo import load_demo
from joinedup.engagement.demo import load_engagement_demo
from joinedup.engagement.models import Consultation, Moderation, Response

pytestmark = pytest.mark.django_db


def test_the_demo_gives_an_open_and_a_closed_consultation_once(tmp_path: Any) -> None:
    load_demo(shared_data_dir=tmp_path, out=lambda line: None)
    load_engagement_demo(out=lambda line: None)
    load_engagement_demo(out=lambda line: None)
    open_one = Consultation.objects.get(title="Newcastle community safety priorities 2027")
    closed = Consultation.objects.get(title="Police and Crime Plan: what matters to you")
    assert open_one.is_open() and not closed.is_open()
    assert Response.objects.filter(consultation=open_one).count() == 40
    assert Response.objects.filter(consultation=closed).count() == 60
    pending = open_one.responses.filter(answers__moderation=Moderation.PENDING).count()
    assert pending == 8
    index = Client().get("/consultations/").content.decode()
    assert open_one.title in index and closed.title in index
    results = Client().get(f"/consultations/{closed.pk}/results/")
    assert results.status_code == 200 and "60 responses" in results.content.decode()
    assert Client().get(f"/consultations/{open_one.pk}/results/").status_code == 404  # not published yet
