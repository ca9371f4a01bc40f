"""The casework demo: the Sevenoaks day on Northumbria ground, loaded once."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from joinedup.casework.demo import AGREEMENT_TITLE, load_casework_demo
from joinedup.casework.kpis.selectors import kpis
from joinedup.casework.models import Case, CaseAction, Incident, InformationSharingAgreement
from joinedup.core.demo import load_demo
from joinedup.core.models import User
from joinedup.notifications.models import Notification, OutboundEmail

pytestmark = pytest.mark.django_db


def test_the_demo_day_has_three_agencies_a_two_party_agreement_and_a_repeat_vulnerable_victim(tmp_path: Any):
    load_demo(shared_data_dir=tmp_path, out=lambda line: None)
    lines: list[str] = []
    summary = load_casework_demo(out=lines.append)
    agreement = InformationSharingAgreement.objects.get(title=AGREEMENT_TITLE)
    assert sorted(agreement.parties.values_list("name", flat=True)) == [
        "Newcastle City Council",
        "Northumbria Police",
    ]
    assert sorted(set(Incident.objects.values_list("reporting_organisation__name", flat=True))) == [
        "Newcastle City Council",
        "Northumbria Police",
        "Tyne Valley Homes (illustrative)",
    ]
    repeat = summary.repeat_case
    assert repeat is not None and repeat.repeat_victim and repeat.vulnerable and repeat.incidents.count() == 3
    assert repeat.risk_assessment_due_at is not None
    # The only one due: the earlier cases' repeat victim was assessed at the time (standard risk, no review).
    assert list(Case.objects.filter(risk_assessment_due_at__isnull=False)) == [repeat]
    earlier = Case.objects.filter(repeat_victim=True).exclude(pk=repeat.pk)
    assert earlier.count() == 2
    for case in earlier:
        [assessment] = case.risk_assessments.all()
        assert case.risk_level == assessment.risk_level == "standard", case.reference
        assert assessment.answers[0]["option_text"] in ("Two or three times", "Four times or more")
    housing = Client()
    housing.force_login(User.objects.get(email="practitioner.housing@example.org"))
    assert housing.get(f"/staff/casework/cases/{repeat.pk}/").status_code == 404
    # The housing association opens the case built from its own report; the police and council, who share
    # with each other only, do not see it (ADR 0012).
    own = Case.objects.get(incidents__reporting_organisation__name="Tyne Valley Homes (illustrative)")
    page = housing.get(f"/staff/casework/cases/{own.pk}/")
    assert page.status_code == 200 and b"Joanne Hart" in page.content
    for email in ("practitioner.police@example.org", "practitioner.council@example.org"):
        partner = Client()
        partner.force_login(User.objects.get(email=email))
        assert partner.get(f"/staff/casework/cases/{own.pk}/").status_code == 404
        assert partner.get(f"/staff/casework/cases/{repeat.pk}/").status_code == 200

    again: list[str] = []
    load_casework_demo(out=again.append)
    assert Incident.objects.count() == summary.incidents == 14 and "already loaded" in again[0]


def test_the_demo_has_six_months_of_casework_before_the_day_each_dated_when_it_happened(
    tmp_path: Any, django_capture_on_commit_callbacks: Any
):
    load_demo(shared_data_dir=tmp_path, out=lambda line: None)
    with django_capture_on_commit_callbacks(execute=True):
        load_casework_demo(out=lambda line: None)
    # The earlier cases' actions, assigned and completed months ago, are not told to anyone today.
    assert CaseAction.objects.count() == 8
    assert not Notification.objects.exists() and not OutboundEmail.objects.exists()
    now = timezone.now()
    for case in Case.objects.all():
        # Opened when first reported; actioned, and the informant told, after that; nothing in the future.
        received = sorted(case.incidents.values_list("received_at", flat=True))
        assert case.created_at == received[0] <= received[-1] <= case.updated_at <= now, case.reference
        for action in case.actions.all():
            assert received[0] <= action.created_at <= action.completed_at <= now, case.reference
            # Assigned, then completed, through the services: the history says so, in order.
            assert [(h.history_change_reason, h.status) for h in action.history.order_by("history_id")] == [
                ("Assigned", "open"),
                ("Updated", "complete"),
            ]
            assert [h.history_date for h in action.history.order_by("history_id")] == [
                action.created_at,
                action.completed_at,
            ]
        for update in case.informant_updates.all():
            assert received[0] <= update.given_at == update.created_at <= now, case.reference
        for assessment in case.risk_assessments.all():
            assert received[0] <= assessment.assessed_at == assessment.created_at <= now, case.reference
        if case.risk_assessment_due_at is not None:
            assert case.risk_assessment_due_at == received[-1] + timedelta(hours=24)
        assert [h.history_date for h in case.history.order_by("history_id")] == sorted(
            h.history_date for h in case.history.all()
        )

    # The dashboard's figures: every one of the last six whole months has reports, and cases opened with an
    # informant to tell, most of whom were told; most reports were actioned within 48 hours.
    analyst = User.objects.get(email="analyst@example.org")
    figures = kpis(user=analyst, months=7)
    assert all(month["incidents"] for month in figures["monthly"][:-1]), figures["monthly"]
    assert 50 < figures["feedback"]["percent"] < 100
    assert 50 < figures["actioned"]["percent"] < 100
    month_end = timezone.make_aware(datetime.combine(timezone.localdate(now).replace(day=1), time()))
    for _ in range(6):
        month_end -= timedelta(microseconds=1)  # the last moment of the month before
        assert kpis(user=analyst, months=1, now=month_end)["feedback"]["cases"], f"{month_end:%B %Y}"
        month_end = month_end.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
