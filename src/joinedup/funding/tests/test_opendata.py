"""The awarded grants as 360Giving open data: the JSON package validates against the published schema."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from joinedup.core.roles import Role
from joinedup.funding import services

from .helpers import make_application, make_fund, make_round, validator

pytestmark = pytest.mark.django_db


@pytest.fixture
def awarded(users, areas):
    fund = make_fund(users, areas)
    grant_round = make_round(users, fund)
    admin = users[Role.OPCC_ADMIN]
    first = make_application(users, grant_round, "2500.50", "Street sport")
    second = make_application(users, grant_round, "1000.00", "Safe spaces")
    services.decide_application(
        actor=admin, application=first, data={"outcome": "approve", "amount": "2500.50"}
    )
    services.decide_application(
        actor=admin, application=second, data={"outcome": "decline", "reason": "Late."}
    )
    return first


def test_grants_json_is_a_valid_360giving_package(awarded):
    response = Client().get(reverse("public-funding:grants-json"))
    assert response.status_code == 200
    package = json.loads(b"".join(response.streaming_content))
    errors = sorted(validator().iter_errors(package), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)
    [grant] = package["grants"]  # the declined application is not published
    assert grant["amountAwarded"] == 2500.5 and grant["currency"] == "GBP"
    assert grant["awardDate"] == datetime.date.today().isoformat()
    assert grant["recipientOrganization"][0]["id"] == "GB-CHC-1234567"


def test_the_validator_does_catch_a_bad_package(awarded):
    package = json.loads(b"".join(Client().get(reverse("public-funding:grants-json")).streaming_content))
    package["grants"][0]["awardDate"] = "1 April 2026"
    del package["grants"][0]["currency"]
    assert len(list(validator().iter_errors(package))) >= 2


def test_grants_csv_is_the_flat_form(awarded):
    body = b"".join(Client().get(reverse("public-funding:grants-csv")).streaming_content).decode("utf-8-sig")
    header, row = body.splitlines()[:2]
    assert header.startswith("Identifier,Title,Description,Currency,Amount Awarded,Award Date")
    assert "Street sport" in row and "2500.50" in row
    assert Decimal("2500.50") == awarded.award.amount


def test_grants_csv_is_a_streamed_download_with_spreadsheet_safe_cells(awarded):
    from joinedup.funding.models import Award

    Award.objects.filter(pk=awarded.award.pk).update(description='=HYPERLINK("http://example.org","x")')
    response = Client().get(reverse("public-funding:grants-csv"))
    assert response.streaming and response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="grants.csv"'
    raw = b"".join(response.streaming_content)
    assert raw.startswith(b"\xef\xbb\xbf")
    row = raw.decode("utf-8-sig").splitlines()[1]
    assert "'=HYPERLINK(" in row and ',"=HYPERLINK(' not in row


def test_the_streamed_json_is_the_same_grant_as_the_dictionary_form_and_validates(awarded, users):
    from joinedup.funding import opendata
    from joinedup.funding.models import PaymentInstalment
    from joinedup.funding.selectors import public_awards

    award = awarded.award
    officer, admin = users[Role.OPCC_OFFICER], users[Role.OPCC_ADMIN]
    award.description = 'Quotes "here", a back\\slash, a tab\tand café ✓'
    award.company_number = "SC123456"
    award.save()
    services.vary_award(
        actor=officer,
        award=award,
        expected_version=award.version,
        data={
            "ends_on": "2027-12-31",
            "reason": "Longer term",
            "approved_by": admin,
            "approved_on": datetime.date.today().isoformat(),
        },
    )
    award.refresh_from_db()
    payment = services.add_payment(
        actor=officer, award=award, data={"due_on": "2026-07-01", "amount": "2000"}
    )
    PaymentInstalment.objects.filter(pk=payment.pk).update(paid_on=datetime.date(2026, 7, 1))
    services.record_clawback(
        actor=officer,
        award=award,
        expected_version=award.version,
        data={"amount": "250.25", "reason": "Unspent"},
    )
    publisher = opendata.Publisher(public_awards())
    [row] = list(opendata.rows(public_awards()))
    assert json.loads(publisher.grant_json(row)) == publisher.grant(row)
    package = json.loads(b"".join(Client().get(reverse("public-funding:grants-json")).streaming_content))
    errors = sorted(validator().iter_errors(package), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)
    [grant] = package["grants"]
    assert grant["amountAwarded"] == 2500.5 and grant["amountDisbursed"] == 1749.75  # paid 2,000 less 250.25
    assert grant["plannedDates"] == [{"startDate": grant["awardDate"], "endDate": "2027-12-31"}]
    assert grant["description"] == award.description
    assert grant["dateModified"] == award.updated_at.astimezone(datetime.UTC).isoformat(timespec="seconds")
