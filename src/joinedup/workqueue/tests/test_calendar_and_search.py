"""Calendar feeds at a secret, revocable address; search that finds only what the person may see."""

from __future__ import annotations

import datetime
from typing import Any

from django.test import Client
from django.utils import timezone
from icalendar import Calendar

from joinedup.casework.models import Case
from joinedup.core.models import AuditEvent, EventType
from joinedup.core.roles import Role
from joinedup.core.tests.factories import AreaFactory, OrganisationFactory, UserFactory
from joinedup.csp.tests.factories import make_duty
from joinedup.partnerships.tests.factories import PartnershipFactory
from joinedup.workqueue.services import new_calendar_token, revoke_calendar_token


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_due_dates_feed_is_valid_icalendar_with_the_persons_items(
    world: dict[str, Any], case: Case
) -> None:
    due_at = timezone.now() + datetime.timedelta(hours=6)
    Case.objects.filter(pk=case.pk).update(risk_assessment_due_at=due_at)
    police = world["users"]["police"]
    token = new_calendar_token(user=police)

    response = Client().get(f"/calendar/{token}/due.ics")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    [event] = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == f"Risk assessment for case {case.reference}"
    assert event.decoded("DTSTART") == timezone.localdate(due_at)
    assert str(event["URL"]).endswith(f"/staff/casework/cases/{case.pk}/")
    assert b"Pat Resident" not in response.content

    revoke_calendar_token(user=police)
    assert Client().get(f"/calendar/{token}/due.ics").status_code == 404  # revoked at once
    assert Client().get("/calendar/not-a-real-secret/due.ics").status_code == 404


def test_replacing_the_address_stops_the_old_one(areas: dict[str, Any]) -> None:
    manager = UserFactory(role=Role.CSP_MANAGER, areas=[areas["north"]])
    make_duty(csp=areas["north"])
    old = new_calendar_token(user=manager)
    new = new_calendar_token(user=manager)
    assert Client().get(f"/calendar/{old}/csp-duties.ics").status_code == 404
    response = Client().get(f"/calendar/{new}/csp-duties.ics")
    [event] = Calendar.from_ical(response.content).walk("VEVENT")
    assert "North Testshire" in str(event["SUMMARY"])


def test_the_calendar_page_shows_the_address_once(areas: dict[str, Any]) -> None:
    officer = UserFactory(role=Role.OPCC_OFFICER, areas=[areas["pfa"]])
    client = signed_in(officer)
    shown = client.post("/staff/your-work/calendar/new/").content.decode()
    assert "/calendar/" in shown and "due.ics" in shown
    assert "due.ics" not in client.get("/staff/your-work/calendar/").content.decode()


def test_search_finds_a_partnership_by_part_of_its_name_and_a_case_by_reference_only_when_allowed(
    world: dict[str, Any], case: Case
) -> None:
    partnership = PartnershipFactory(name="Tyneside Reducing Reoffending Board")
    police, housing = world["users"]["police"], world["users"]["housing"]

    page = signed_in(police).get("/staff/search/", {"q": "reoffending"}).content.decode()
    assert "Partnerships (1)" in page and partnership.name in page

    page = signed_in(police).get("/staff/search/", {"q": case.reference}).content.decode()
    assert f"Case {case.reference}" in page
    # Any search by someone who may read cases is audited (a name could find a person); this one by reference.
    audit = AuditEvent.objects.filter(
        event_type=EventType.PERSONAL_RECORD_VIEWED, actor_id=police.pk, object_type="casework.case"
    ).last()
    assert audit is not None and audit.detail["search"] == case.reference
    assert audit.detail["found"] == [f"Case {case.reference}"]

    page = signed_in(housing).get("/staff/search/", {"q": case.reference}).content.decode()
    assert f"Case {case.reference}" not in page and "Nothing you can see matches" in page
    audit = AuditEvent.objects.filter(
        event_type=EventType.PERSONAL_RECORD_VIEWED, actor_id=housing.pk, object_type="casework.case"
    ).last()
    assert audit is not None and audit.detail["found"] == []  # the attempt is recorded too

    # People are found by name only on cases the searcher may open (test_people_search.py): the police
    # find the informant, the housing association nothing.
    assert "Pat Resident, informant or victim" in (
        signed_in(police).get("/staff/search/", {"q": "Pat Resident"}).content.decode()
    )
    assert (
        "Nothing you can see matches"
        in signed_in(housing).get("/staff/search/", {"q": "Pat Resident"}).content.decode()
    )


def test_search_does_not_reach_another_force_areas_records(areas: dict[str, Any]) -> None:
    elsewhere = AreaFactory(code="E23000097", name="Otherford", level="pfa")
    theirs = AreaFactory(
        code="E22000997", name="Otherford Central", level="csp", parent=elsewhere, pfa=elsewhere
    )
    make_duty(csp=theirs)
    from joinedup.csp.tests.factories import make_dhr

    make_dhr(csp=theirs, case_reference="DHR-OTHER-0001")
    make_dhr(csp=areas["north"], case_reference="DHR-NORTH-0001")
    officer = UserFactory(role=Role.OPCC_OFFICER, areas=[areas["pfa"]], organisation=OrganisationFactory())
    page = signed_in(officer).get("/staff/search/", {"q": "DHR-"}).content.decode()
    assert "DHR-NORTH-0001" in page and "DHR-OTHER-0001" not in page
