"""The casework demo: the Sevenoaks day on Northumbria ground, loaded once."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from joinedup.casework.demo import AGREEMENT_TITLE, load_casework_demo
from joinedup.casework.models import Case, Incident, InformationSharingAgreement
from joinedup.core.demo import load_demo
from joinedup.core.models import User

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
    assert Case.objects.filter(repeat_victim=True).count() == 1
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
    assert Incident.objects.count() == 6 and "already loaded" in again[0]
