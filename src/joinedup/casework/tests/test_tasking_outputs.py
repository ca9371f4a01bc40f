"""The daily action sheet (page and PDF) and tasking meeting records with decisions per case."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from pypdf import PdfReader

from joinedup.casework.models import TaskingMeeting
from joinedup.casework.services import add_action, record_incident, record_informant_update
from joinedup.casework.tasking.selectors import daily_action_sheet
from joinedup.casework.tasking.services import record_decision, record_meeting
from joinedup.core.models import AuditEvent

from .conftest import incident_data, signed_in

pytestmark = pytest.mark.django_db


def test_the_sheet_shows_problem_action_lead_officer_and_feedback(world, case):
    police = world["users"]["police"]
    add_action(
        actor=police,
        case=case,
        data={
            "owner_organisation": world["council"],
            "action_type": "eva",
            "due_date": timezone.localdate() + timedelta(days=2),
            "officer": world["users"]["council"],
        },
    )
    other = record_incident(
        actor=police,
        data=incident_data(world, informant={"name": "Kim Other", "phone": "07700900999"}, latitude="54.99"),
    ).case
    record_informant_update(actor=police, case=other, data={"method": "phone", "summary": "Visit booked."})

    rows = {row.case.pk: row for row in daily_action_sheet(user=police)}
    assert rows[case.pk].actions[0].get_action_type_display() == "Environmental visual audit"
    assert rows[case.pk].lead_officers == [world["users"]["council"].full_name]
    assert rows[case.pk].feedback_due and not rows[other.pk].feedback_due
    # The housing association is outside the agreement: its sheet is empty.
    assert daily_action_sheet(user=world["users"]["housing"]) == []

    client = signed_in(police)
    page = client.get("/staff/casework/tasking/sheet/").content.decode()
    assert case.reference in page and "Not yet told" in page and "Visit booked." in page
    assert AuditEvent.objects.filter(object_type="casework.daily_action_sheet").exists()


def test_the_sheet_as_a_pdf(world, case):
    response = signed_in(world["users"]["police"]).get("/staff/casework/tasking/sheet.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    squashed = "".join(text.split())
    assert case.reference in squashed and "Feedbacktoresident" in squashed
    assert AuditEvent.objects.filter(event_type="export", object_type="casework.daily_action_sheet").exists()


def test_a_meeting_lists_every_problem_then_records_attendees_and_decisions(world, case):
    police = world["users"]["police"]
    with pytest.raises(ValidationError) as caught:
        record_meeting(
            actor=police,
            data={
                "held_on": "2099-01-01",
                "area": "E22999999",
                "attendees": "Just a name\nA Person, Nobody Ltd",
            },
        )
    errors = caught.value.message_dict
    assert set(errors) == {"held_on", "area", "attendees"} and len(errors["attendees"]) == 2

    meeting = record_meeting(
        actor=police,
        data={
            "held_on": timezone.localdate().isoformat(),
            "area": "E22000901",
            "attendees": "PC Lee, Testshire Police\nR Shah, northtown council",
        },
    )
    assert [a.organisation for a in meeting.attendees.all()] == [world["police"], world["council"]]
    record_decision(actor=police, meeting=meeting, case_id=case.pk, decision="Council to carry out an EVA.")

    client = signed_in(police)
    page = client.get(f"/staff/casework/tasking/meetings/{meeting.pk}/").content.decode()
    assert "Council to carry out an EVA." in page and "R Shah, Northtown Council" in page
    # The housing association may see the meeting but not the decision on a case outside its agreement.
    housing = signed_in(world["users"]["housing"]).get(f"/staff/casework/tasking/meetings/{meeting.pk}/")
    assert "Council to carry out an EVA." not in housing.content.decode()
    with pytest.raises(ValidationError):
        record_decision(actor=world["users"]["housing"], meeting=meeting, case_id=case.pk, decision="x")


def test_the_meeting_pages(world, case):
    client = signed_in(world["users"]["police"])
    response = client.post(
        "/staff/casework/tasking/meetings/new/",
        {
            "held_on": timezone.localdate().isoformat(),
            "area": "E22000901",
            "attendees": "PC Lee, Testshire Police",
        },
    )
    meeting = TaskingMeeting.objects.get()
    assert response.status_code == 302
    response = client.post(
        f"/staff/casework/tasking/meetings/{meeting.pk}/",
        {"case": str(case.pk), "decision": "Warning letter."},
    )
    assert response.status_code == 302
    assert meeting.decisions.get().decision == "Warning letter."
    assert "Tasking meetings" in client.get("/staff/casework/tasking/").content.decode()
