"""`./run` opens on a year in the life (issue 14): a Police and Crime Plan, grants awarded and tied to CSPs
(so /grants/ and the 360Giving package are not empty, and valid), contracts, a board and a framework,
Panel meetings with recommendations and responses, partnership reviews falling due. Loaded twice, nothing
is added the second time."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from joinedup.core.demo import load_demo
from joinedup.csp.demo import load_csp_demo
from joinedup.csp.demo import load_year_demo as load_csp_year
from joinedup.csp.models import BriefingNote, BriefingStatus, CspPlan
from joinedup.funding.demo import GRANTS, load_funding_demo
from joinedup.funding.models import Award, CommissioningBoard, Contract, Framework
from joinedup.partnerships.demo import load_partnership_demo
from joinedup.partnerships.demo import load_year_demo as load_partnerships_year
from joinedup.partnerships.models import Partnership, Plan
from joinedup.scrutiny.demo import load_year_demo as load_panel_year
from joinedup.scrutiny.models import PanelMeeting, PanelRecommendation

from .helpers import validator

pytestmark = pytest.mark.django_db


def _load(tmp_path) -> list[str]:
    quiet: list[str] = []
    load_demo(shared_data_dir=tmp_path, out=quiet.append)
    load_partnership_demo(out=quiet.append)
    lines = load_partnerships_year(out=quiet.append)
    lines += load_funding_demo(out=quiet.append)
    load_csp_demo(out=quiet.append)
    lines += load_csp_year(out=quiet.append)
    lines += load_panel_year(out=quiet.append)
    return lines


def test_the_demo_is_a_year_in_the_life_and_loading_it_again_adds_nothing(tmp_path):
    assert _load(tmp_path)
    plan = Plan.objects.get()
    assert plan.priorities.count() == 5
    newcastle_plan = CspPlan.objects.get(csp__code="E22000245", police_and_crime_plan=plan)
    assert newcastle_plan.priorities.filter(pcc_priorities__isnull=False).count() == 3

    awards = Award.objects.select_related("csp")
    assert awards.count() == len(GRANTS) and all(a.csp is not None for a in awards)
    assert Contract.objects.count() == 2 and CommissioningBoard.objects.count() == 1
    assert Framework.objects.count() == 1

    public = Client().get(reverse("public-funding:grant-list"))
    assert public.status_code == 200 and "Tyne Street Pastors (illustrative)" in public.content.decode()
    package = json.loads(b"".join(Client().get(reverse("public-funding:grants-json")).streaming_content))
    assert len(package["grants"]) == len(GRANTS)
    errors = sorted(validator().iter_errors(package), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)

    recommendations = PanelRecommendation.objects.order_by("made_on")
    assert recommendations.count() == 3
    assert [r.pcc_response != "" for r in recommendations] == [True, False, False]
    today = timezone.localdate()
    assert PanelMeeting.objects.filter(held_on__lt=today).exists()
    assert PanelMeeting.objects.filter(held_on__gte=today, kind="annual_csp_chairs").exists()
    note = BriefingNote.objects.get(csp__code="E22000245")
    assert note.status == BriefingStatus.SUBMITTED

    due = Partnership.objects.filter(next_review_date__isnull=False)
    assert (
        due.filter(next_review_date__lt=today).exists() and due.filter(next_review_date__gte=today).exists()
    )

    counts = (Award.objects.count(), PanelRecommendation.objects.count(), PanelMeeting.objects.count())
    assert _load(tmp_path) == []
    assert (
        Award.objects.count(),
        PanelRecommendation.objects.count(),
        PanelMeeting.objects.count(),
    ) == counts
