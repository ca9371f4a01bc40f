"""Awards: payment schedule, monitoring returns due and overdue."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from joinedup.core.roles import Role
from joinedup.funding import services
from joinedup.funding.models import MonitoringReturn

from .helpers import make_application, make_fund, make_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def award(users, areas):
    grant_round = make_round(users, make_fund(users, areas))
    application = make_application(users, grant_round, "2000.00", "Street sport")
    services.decide_application(
        actor=users[Role.OPCC_ADMIN], application=application, data={"outcome": "approve", "amount": "2000"}
    )
    application.refresh_from_db()
    return application.award


def test_payment_schedule_cannot_exceed_the_award(award, users):
    officer = users[Role.OPCC_OFFICER]
    services.add_payment(actor=officer, award=award, data={"due_on": "2026-07-01", "amount": "1500"})
    with pytest.raises(ValidationError) as caught:
        services.add_payment(actor=officer, award=award, data={"due_on": "not a date", "amount": "600"})
    assert set(caught.value.message_dict) == {"due_on", "amount"}
    assert "more than the £2,000.00 awarded" in caught.value.message_dict["amount"][0]


def test_overdue_monitoring_returns_are_flagged_until_recorded(award, client_for, users):
    due = MonitoringReturn.objects.get(award=award)
    assert due.due_on == award.awarded_on.replace(year=award.awarded_on.year + 1)
    due.due_on = datetime.date.today() - datetime.timedelta(days=1)
    due.save()
    client = client_for(Role.OPCC_OFFICER)
    page = client.get(reverse("funding:award-list")).content.decode()
    assert "1 monitoring return overdue" in page and "Overdue" in page

    response = client.post(reverse("funding:monitoring-return-record", args=[due.pk]), {"spend": "lots"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"spend", "narrative"}
    response = client.post(
        reverse("funding:monitoring-return-record", args=[due.pk]),
        {"spend": "1200.50", "outputs": "40 sessions", "narrative": "Well attended."},
    )
    assert response.status_code == 302
    due.refresh_from_db()
    assert due.spend == Decimal("1200.50") and not due.is_overdue
    assert "overdue" not in client.get(reverse("funding:award-list")).content.decode()
    detail = client_for(Role.AUDITOR).get(reverse("funding:award-detail", args=[award.pk])).content.decode()
    assert "Well attended." in detail


def test_reports_show_budget_allocation_grants_and_monitoring_with_csv(award, client_for, users):
    fund = award.fund
    services.allocate_by_population(actor=users[Role.OPCC_OFFICER], fund=fund, year=2026)
    client = client_for(Role.AUDITOR)
    page = client.get(reverse("funding:reports")).content.decode()
    assert "£10,000.00" in page and "£7,142.86" in page and "£2.86" in page and "Street sport" in page
    response = client.get(reverse("funding:report-export", args=["spend-by-fund"]))
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    year = award.awarded_on.year if award.awarded_on.month >= 4 else award.awarded_on.year - 1
    assert "Community Safety Fund,2026-27,10000.00,10000.00," in body
    assert f"{year}-{(year + 1) % 100:02d}" in body
    per_head = b"".join(
        client.get(reverse("funding:report-export", args=["allocations-per-head"])).streaming_content
    )
    assert b"E22000901,North Testshire,2026-27,Community Safety Fund,2500,7142.86,2.86" in per_head
    assert client.get(reverse("funding:report-export", args=["nonsense"])).status_code == 404
