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

    response = client.post(
        reverse("funding:monitoring-return-record", args=[due.pk]), {"spend": "lots", "version": due.version}
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"spend", "narrative"}
    response = client.post(
        reverse("funding:monitoring-return-record", args=[due.pk]),
        {"spend": "1200.50", "outputs": "40 sessions", "narrative": "Well attended.", "version": due.version},
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
    index = client.get(reverse("funding:reports")).content.decode()
    assert reverse("funding:report-detail", args=["spend-by-csp"]) in index

    def page(slug: str) -> str:
        return client.get(reverse("funding:report-detail", args=[slug])).content.decode()

    assert "£10,000.00" in page("spend-by-fund")
    assert "£7,142.86" in page("allocations-per-head") and "£2.86" in page("allocations-per-head")
    assert "Street sport" in page("monitoring-due")
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


# --- variations and clawback ------------------------------------------------------------------------


def test_a_variation_changes_the_award_keeps_before_and_after_and_lists_every_problem(award, users):
    officer, admin = users[Role.OPCC_OFFICER], users[Role.OPCC_ADMIN]
    with pytest.raises(ValidationError) as caught:
        services.vary_award(
            actor=officer,
            award=award,
            expected_version=award.version,
            data={"amount": "-5", "ends_on": "soon", "reason": "", "approved_on": "2999-01-01"},
        )
    assert set(caught.value.message_dict) >= {"amount", "ends_on", "reason", "approved_by", "approved_on"}
    variation = services.vary_award(
        actor=officer,
        award=award,
        expected_version=award.version,
        data={
            "amount": "2500.00",
            "ends_on": "2027-09-30",
            "reason": "Second summer scheme",
            "approved_by": admin,
            "approved_on": datetime.date.today().isoformat(),
        },
    )
    award.refresh_from_db()
    assert award.amount == Decimal("2500.00") and award.ends_on == datetime.date(2027, 9, 30)
    assert variation.number == 1 and variation.amount_before == Decimal("2000.00")
    assert [label for label, _before, _after in variation.changes] == ["Amount", "End of term"]
    # A variation that changes nothing is refused.
    with pytest.raises(ValidationError) as caught:
        services.vary_award(
            actor=officer,
            award=award,
            expected_version=award.version,
            data={"reason": "No change", "approved_by": admin, "approved_on": "2026-01-01"},
        )
    assert "must change" in caught.value.message_dict["__all__"][0]


def test_a_stale_variation_is_refused_with_409_and_nothing_changes(award, users, client_for):
    client = client_for(Role.OPCC_OFFICER)
    form = {
        "amount": "1800",
        "reason": "Smaller scheme",
        "approved_by": users[Role.OPCC_ADMIN].pk,
        "approved_on": datetime.date.today().isoformat(),
        "version": award.version,
    }
    assert client.post(reverse("funding:award-vary", args=[award.pk]), form).status_code == 302
    response = client.post(reverse("funding:award-vary", args=[award.pk]), {**form, "amount": "1700"})
    assert response.status_code == 409
    award.refresh_from_db()
    assert award.amount == Decimal("1800.00") and award.variations.count() == 1
    page = client_for(Role.AUDITOR).get(reverse("funding:award-detail", args=[award.pk])).content.decode()
    assert "Smaller scheme" in page and "£2,000.00 → £1,800.00" in page


def test_clawback_reduces_the_net_amount_but_not_the_amount_awarded_in_the_export(award, users, client_for):
    import json

    from django.test import Client

    officer = users[Role.OPCC_OFFICER]
    with pytest.raises(ValidationError) as caught:
        services.record_clawback(
            actor=officer, award=award, expected_version=award.version, data={"amount": "2500", "reason": ""}
        )
    assert set(caught.value.message_dict) == {"amount", "reason"}
    services.record_clawback(
        actor=officer,
        award=award,
        expected_version=award.version,
        data={"amount": "300.50", "reason": "Unspent at the end of the project"},
    )
    award.refresh_from_db()
    assert award.clawed_back == Decimal("300.50") and award.net_amount == Decimal("1699.50")
    page = client_for(Role.AUDITOR).get(reverse("funding:award-detail", args=[award.pk])).content.decode()
    assert "net £1,699.50" in page and "Unspent at the end of the project" in page
    package = json.loads(b"".join(Client().get(reverse("public-funding:grants-json")).streaming_content))
    [grant] = package["grants"]
    # Nothing paid yet, £300.50 returned: amountAwarded stays; amountDisbursed cannot go below zero.
    assert grant["amountAwarded"] == 2000 and grant["amountDisbursed"] == 0
    # The net amount is what the reports count.
    report = client_for(Role.AUDITOR).get(reverse("funding:report-export", args=["spend-by-fund"]))
    body = b"".join(report.streaming_content).decode("utf-8-sig")
    assert ",2000.00,300.50," in body
