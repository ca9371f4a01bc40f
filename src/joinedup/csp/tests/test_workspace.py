"""The CSP page, protocols page, strategic assessments and the aligned document (the Panel's workspace is
scrutiny/tests/test_workspace.py)."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from joinedup.core.roles import Role
from joinedup.core.services.errors import NotAllowed
from joinedup.csp.assessments import services as assessment_services
from joinedup.csp.duties import Duty
from joinedup.csp.models import DutyRecord, DutyStatus
from joinedup.csp.tests.factories import make_agreement, make_duty, make_plan
from joinedup.partnerships.models import Plan

pytestmark = pytest.mark.django_db


def test_the_csp_page_shows_chair_manager_members_and_a_missing_authority(
    areas, users, authorities, client_for
):
    north = client_for(Role.PANEL_MEMBER).get(f"/staff/csp/{areas['north'].code}/").content.decode()
    assert "Councillor A Chair" in north
    assert users[Role.CSP_MANAGER].full_name in north
    assert "Test Probation" in north
    assert "All five responsible authority types are members of the partnership." in north
    south = client_for(Role.PANEL_MEMBER).get(f"/staff/csp/{areas['south'].code}/").content.decode()
    assert "Missing responsible authority: Local authority, Probation, Health." in south
    assert "No CSP manager has an account for this CSP" in south


def test_the_protocols_page_names_each_liaison_officer_and_flags_a_gap(areas, authorities, client_for):
    officers = {org: f"Officer {kind.title()}" for kind, org in authorities.items()}
    officers[authorities["health"]] = ""
    make_agreement(
        areas=[areas["north_lad"]], officers=officers, title="North protocol", data_categories=["incidents"]
    )
    make_agreement(areas=[areas["south"]], officers=officers, title="South only")
    make_agreement(
        areas=[areas["pfa"]],
        officers={},
        title="Force-wide",
        review_date=datetime.date.today() - datetime.timedelta(days=1),
    )
    page = client_for(Role.PANEL_MEMBER).get(f"/staff/csp/{areas['north'].code}/protocols/").content.decode()
    assert "North protocol" in page and "South only" not in page
    assert "Officer Probation" in page
    assert "No designated liaison officer in: Health." in page
    assert page.count(">Gap</strong>") == 1
    assert "Incident reports" in page
    assert page.count("Review overdue") == 1  # the force-wide agreement, which also covers North


def _pdf(content: bytes = b"%PDF-1.4 assessment") -> SimpleUploadedFile:
    return SimpleUploadedFile("assessment.pdf", content, content_type="application/pdf")


def test_publishing_an_uploaded_assessment_evidences_the_duty(areas, users, authorities, client_for):
    record = make_duty(csp=areas["north"], duty=Duty.STRATEGIC_ASSESSMENT, year=2025)
    client = client_for(Role.CSP_MANAGER)
    response = client.post(
        f"/staff/csp/{areas['north'].code}/assessments/new/",
        {
            "title": "North strategic assessment",
            "year": 2025,
            "published_on": datetime.date.today().isoformat(),
            "approved_by": "Strategy group",
            "crime_trend_headline": "Crime fell 4%.",
            "document": _pdf(),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    detail = client.get(response["Location"]).content.decode()
    assert "Download assessment.pdf" in detail
    download = client.get(response["Location"] + "document/")
    assert download.content == b"%PDF-1.4 assessment"
    assert download["Content-Disposition"].startswith("attachment")
    record = DutyRecord.objects.get(pk=record.pk)
    assert record.status == DutyStatus.COMPLETE
    assert record.evidence_link.endswith(response["Location"])
    assert record.approved_by == "Strategy group"


def test_an_assessment_needs_a_real_document_or_a_link_every_error_at_once(areas, users):
    with pytest.raises(ValidationError) as caught:
        assessment_services.save_assessment(
            actor=users[Role.CSP_MANAGER],
            csp=areas["north"],
            data={
                "title": "",
                "year": 2025,
                "published_on": datetime.date.today() + datetime.timedelta(days=2),
            },
            document=_pdf(b"not a pdf"),
        )
    assert set(caught.value.message_dict) == {"title", "approved_by", "published_on", "document"}
    with pytest.raises(ValidationError) as caught:
        assessment_services.save_assessment(
            actor=users[Role.CSP_MANAGER],
            csp=areas["north"],
            data={"title": "T", "year": 2025, "published_on": datetime.date.today(), "approved_by": "A"},
        )
    assert caught.value.message_dict == {"document": ["Upload the assessment or give a link to it."]}
    with pytest.raises(NotAllowed):
        assessment_services.save_assessment(
            actor=users[Role.CSP_MANAGER],
            csp=areas["south"],
            data={
                "title": "T",
                "year": 2025,
                "published_on": datetime.date.today(),
                "approved_by": "A",
                "link": "https://example.org/a",
            },
        )


@pytest.fixture
def aligned_plan(areas, users, authorities):
    pcc = Plan.objects.create(
        title="Police and Crime Plan 2024-28",
        pcc_name="A Commissioner",
        force_area=areas["pfa"],
        period_start=datetime.date(2024, 5, 1),
        period_end=datetime.date(2028, 5, 1),
    )
    vawg = pcc.priorities.create(title="Violence against women and girls", order=0)
    pcc.priorities.create(title="Road safety", order=1)
    plan = make_plan(csp=areas["north"], title="Safer North", police_and_crime_plan=pcc)
    plan.joint_introduction = "One plan for North Testshire, written together."
    plan.save()
    priority = plan.priorities.create(title="Domestic abuse")
    priority.pcc_priorities.set([vawg])
    return plan


def test_the_aligned_document_has_a_shared_introduction_and_two_parts(aligned_plan, client_for):
    page = client_for(Role.PANEL_MEMBER).get(f"/staff/csp/plans/{aligned_plan.pk}/aligned/").content.decode()
    intro = page.index("One plan for North Testshire, written together.")
    part1 = page.index("Part 1: the Police and Crime Plan")
    part2 = page.index("Part 2: North Testshire community safety agreement")
    assert intro < part1 < part2
    assert "Served locally by: Domestic abuse." in page
    assert "Police and Crime Plan priorities no partnership priority serves: Road safety." in page


def test_the_aligned_document_downloads_as_a_pdf_with_both_parts(aligned_plan, client_for):
    from pypdf import PdfReader

    response = client_for(Role.OPCC_OFFICER).get(f"/staff/csp/plans/{aligned_plan.pk}/aligned.pdf")
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Part 1: the Police and Crime Plan" in text
    assert "Part 2: North Testshire community safety agreement" in text
    assert "Violence against women and girls" in text
