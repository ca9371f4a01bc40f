"""Who sees personal data: the reporting organisation and agreement parties (named organisations for
restricted cases), never action owners as such; depersonalised counts for analysts, 404 for everyone else,
and every view in the audit log."""

from __future__ import annotations

import io
from datetime import date, timedelta

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from joinedup.casework.models import ActionType, CaseAction
from joinedup.core.models import AuditEvent, EventType

from .conftest import api_client, signed_in

pytestmark = pytest.mark.django_db


def _views_of(case) -> list[str]:
    events = AuditEvent.objects.filter(
        event_type=EventType.PERSONAL_RECORD_VIEWED, object_type="casework.case", object_id=str(case.pk)
    )
    return sorted(events.values_list("actor_email", flat=True))


def test_outsider_gets_404_in_pages_and_api_while_every_allowed_view_is_logged(world, case):
    page = reverse("casework:case-detail", args=[case.pk])
    api = f"/api/v1/cases/{case.pk}"
    for who in ("police", "council"):
        user = world["users"][who]
        response = signed_in(user).get(page)
        assert response.status_code == 200
        assert b"Pat Resident" in response.content and b"Sam Noisy" in response.content
        response = Client().get(api, **api_client(user))
        assert response.status_code == 200
        assert response.json()["incidents"][0]["informant"]["full_name"] == "Pat Resident"

    outsider = world["users"]["housing"]
    assert signed_in(outsider).get(page).status_code == 404
    response = Client().get(api, **api_client(outsider))
    assert response.status_code == 404 and response.json() == {"detail": "Not found."}
    listing = signed_in(outsider).get(reverse("casework:case-list"))
    assert case.reference.encode() not in listing.content

    assert _views_of(case) == ["council@example.org"] * 2 + ["pc@example.org"] * 2
    event = AuditEvent.objects.filter(event_type=EventType.PERSONAL_RECORD_VIEWED, path=page).first()
    assert event is not None and event.detail["people"] and event.occurred_at
    denied = AuditEvent.objects.filter(
        event_type=EventType.PERMISSION_DENIED, actor_email="housing@example.org"
    )
    assert denied.count() == 2

    # Auditors find every view through the staff site and the API.
    auditor = world["users"]["auditor"]
    log = signed_in(auditor).get(
        reverse("staff:audit-event-list"), {"event_type": "personal_record_viewed", "object_id": case.pk}
    )
    assert log.status_code == 200 and b"council@example.org" in log.content
    response = Client().get(
        f"/api/v1/audit/events?event_type=personal_record_viewed&object_id={case.pk}", **api_client(auditor)
    )
    assert response.json()["count"] == 4


def test_owning_an_action_does_not_open_the_case_to_an_organisation_outside_the_agreement(world, case):
    # However an action came to be (made here directly, past the service's check), it opens nothing (ADR 0012).
    page = reverse("casework:case-detail", args=[case.pk])
    assert signed_in(world["users"]["housing"]).get(page).status_code == 404
    CaseAction.objects.create(
        case=case, owner_organisation=world["housing"], action_type=ActionType.EVA, due_date=date.today()
    )
    assert signed_in(world["users"]["housing"]).get(page).status_code == 404


def test_an_ended_agreement_or_one_for_another_area_shares_nothing(world, case):
    page = reverse("casework:case-detail", args=[case.pk])
    agreement = world["agreement"]
    agreement.areas.set([world["areas"]["south"]])
    assert signed_in(world["users"]["council"]).get(page).status_code == 404
    agreement.areas.set([world["areas"]["pfa"]])  # the force area contains the case's LSOA
    assert signed_in(world["users"]["council"]).get(page).status_code == 200
    agreement.end_date = date.today() - timedelta(days=1)
    agreement.save()
    assert signed_in(world["users"]["council"]).get(page).status_code == 404


def test_a_restricted_case_is_shared_only_with_the_named_organisations(world, case):
    case.restricted = True
    case.save()
    case.restricted_to.set([world["police"]])
    page = reverse("casework:case-detail", args=[case.pk])
    # The council is party to the agreement but not named; the police reported it, so they still see it.
    assert signed_in(world["users"]["council"]).get(page).status_code == 404
    assert (
        Client().get(f"/api/v1/cases/{case.pk}", **api_client(world["users"]["council"])).status_code == 404
    )
    assert signed_in(world["users"]["police"]).get(page).status_code == 200
    case.restricted_to.set([world["police"], world["council"]])
    assert signed_in(world["users"]["council"]).get(page).status_code == 200
    # Owning an action does not open a restricted case to an organisation not named on it.
    CaseAction.objects.create(
        case=case, owner_organisation=world["housing"], action_type=ActionType.EVA, due_date=date.today()
    )
    assert signed_in(world["users"]["housing"]).get(page).status_code == 404


def test_analysts_see_counts_but_no_names(world, case):
    analyst = world["users"]["analyst"]
    assert signed_in(analyst).get(reverse("casework:case-detail", args=[case.pk])).status_code == 404
    response = signed_in(analyst).get(reverse("casework:statistics"), {"area": "E22000901"})
    assert response.status_code == 200
    assert response.context["stats"]["incidents"] == 1 and response.context["stats"]["cases_open"] == 1
    for secret in (b"Pat Resident", b"Sam Noisy", b"07700", b"Loud music", b"High Street"):
        assert secret not in response.content
    response = Client().get("/api/v1/casework/statistics", **api_client(analyst))
    assert response.status_code == 200 and response.json()["incidents"] == 1
    assert "Pat" not in response.content.decode() and "Loud" not in response.content.decode()
    assert Client().get(f"/api/v1/cases/{case.pk}", **api_client(analyst)).status_code == 404
    assert not AuditEvent.objects.filter(event_type=EventType.PERSONAL_RECORD_VIEWED).exists()


def test_agreement_pages_show_parties_and_liaison_officers(world):
    response = signed_in(world["users"]["housing"]).get(
        reverse("casework:agreement-detail", args=[world["agreement"].pk])
    )
    assert response.status_code == 200
    assert b"Testshire Police DLO" in response.content and b"Section 115" in response.content


def _download(client: Client, url: str, fmt: str) -> str:
    response = client.get(url, {"format": fmt})
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if fmt == "xlsx":  # every cell's text, a line a row
        sheet = openpyxl.load_workbook(io.BytesIO(body), read_only=True).active
        return "\n".join("\t".join(str(c) for c in row if c is not None) for row in sheet.values)
    return body.decode("utf-8-sig")


def test_list_downloads_keep_to_the_sharing_rule_name_no_one_and_are_audited_as_exports(world, case):
    from joinedup.casework.reviews import services as reviews

    review = reviews.record_request(
        actor=world["users"]["council"],
        data={
            "received_on": date.today().isoformat(),
            "area": "E01900001",
            "applicant_name": "Pat Applicant",
            "applicant_date_of_birth": "1950-02-03",
            "applicant_phone": "07700 900123",
            "summary": "Loud music every night; nothing has changed.",
        },
    )
    lists = {reverse("casework:case-list"): case.reference, reverse("casework:review-list"): review.reference}
    police, housing = signed_in(world["users"]["police"]), signed_in(world["users"]["housing"])
    viewed = AuditEvent.objects.filter(event_type=EventType.PERSONAL_RECORD_VIEWED).count()
    for url, reference in lists.items():
        for fmt in ("csv", "xlsx", "json"):
            shared = _download(police, url, fmt)  # a party to the agreement covering the case's area
            assert reference in shared, (url, fmt)
            for name in ("Pat Resident", "Sam Noisy", "Pat Applicant", "07700 900123", "Loud music"):
                assert name not in shared, (url, fmt, name)
            assert reference not in _download(housing, url, fmt), (url, fmt)  # outside the agreement
    agreements = _download(police, reverse("casework:agreement-list"), "csv")
    assert "North Testshire ASB" in agreements and "DLO" not in agreements  # no liaison officers

    exports = AuditEvent.objects.filter(event_type=EventType.EXPORT, actor_email="pc@example.org")
    assert sorted(exports.values_list("object_type", flat=True)) == sorted(
        ["casework.case"] * 3 + ["casework.casereviewrequest"] * 3 + ["casework.informationsharingagreement"]
    )
    # Lists and their downloads name no one, so they add no views of personal records; opening one does.
    assert AuditEvent.objects.filter(event_type=EventType.PERSONAL_RECORD_VIEWED).count() == viewed
