"""The public applicant journey: register, verify, sign in, draft, upload, submit; only your own."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from joinedup.core.roles import Role
from joinedup.core.tests.test_uploads import plain_zip
from joinedup.funding import services
from joinedup.funding.models import Applicant, Application, ApplicationStatus, RoundStatus

from .helpers import make_fund, make_round

pytestmark = pytest.mark.django_db
PASSWORD = "a long and unusual passphrase"
PDF = b"%PDF-1.4\n%fake but well-formed enough\n"


@pytest.fixture
def open_round(users, areas):
    grant_round = make_round(users, make_fund(users, areas))
    today = datetime.date.today()
    grant_round.opens_on, grant_round.closes_on = today, today + datetime.timedelta(days=30)
    grant_round.status = RoundStatus.OPEN
    grant_round.save()
    return grant_round


def register(client: Client, email: str, organisation: str) -> Applicant:
    response = client.post(
        reverse("public-funding:applicant-register"),
        {
            "contact_name": "Sam Applicant",
            "email": email,
            "organisation_name": organisation,
            "charity_number": "1098765",
            "password": PASSWORD,
        },
    )
    assert "Check your email" in response.content.decode()
    link = re.search(r"https?://\S+/apply/verify/\S+/", mail.outbox[-1].body)
    assert link is not None
    client.get(link.group(0).split("testserver", 1)[1])
    client.post(reverse("public-funding:applicant-sign-in"), {"email": email, "password": PASSWORD})
    return Applicant.objects.get(email=email)


def _eligible_then_decided(users: Any, application: Any, decision: dict[str, str], on_commit: Any) -> None:
    """Staff find the application eligible, then decide it as `decision` says; only the decision's emails
    are left in the outbox."""
    services.check_eligibility(
        actor=users[Role.OPCC_OFFICER],
        application=application,
        eligible=True,
        note="",
        expected_version=application.version,
    )
    mail.outbox.clear()
    with on_commit(execute=True):
        services.decide_application(actor=users[Role.OPCC_ADMIN], application=application, data=decision)


def test_registration_lists_every_error_and_sign_in_needs_a_verified_address(db):
    client = Client()
    response = client.post(
        reverse("public-funding:applicant-register"),
        {"email": "not-an-email", "charity_number": "12", "password": "short"},
    )
    errors = response.context["form"].errors
    assert set(errors) == {"email", "contact_name", "organisation_name", "charity_number", "password"}
    assert Applicant.objects.count() == 0

    client.post(
        reverse("public-funding:applicant-register"),
        {
            "contact_name": "Sam",
            "email": "sam@example.org",
            "organisation_name": "Sam's Trust",
            "password": PASSWORD,
        },
    )
    assert len(mail.outbox) == 1 and "Verify your email address" in mail.outbox[0].subject
    response = client.post(
        reverse("public-funding:applicant-sign-in"), {"email": "sam@example.org", "password": PASSWORD}
    )
    assert "Verify your email address first" in response.content.decode()
    assert client.get(reverse("public-funding:applicant-verify", args=["forged"])).status_code == 200
    assert Applicant.objects.get().email_verified_at is None


def test_applicant_saves_a_draft_then_submits_and_staff_see_it(open_round, client_for):
    client = Client()
    applicant = register(client, "sam@example.org", "Northtown Youth Trust")
    start = reverse("public-funding:applicant-start", args=[open_round.pk])
    response = client.post(start, {"project_title": "Street sport", "action": "Save as draft"})
    application = Application.objects.get(applicant=applicant)
    assert response.status_code == 302 and application.status == ApplicationStatus.DRAFT
    assert application.organisation_name == "Northtown Youth Trust"  # from the account, not typed in

    page = reverse("public-funding:applicant-application", args=[application.pk])
    response = client.post(
        page, {"project_title": "Street sport", "amount_requested": "9000", "action": "Submit application"}
    )
    errors = response.context["form"].errors
    assert set(errors) == {"project_description", "amount_requested"}
    assert "£5,000.00" in errors["amount_requested"][0]

    response = client.post(
        page,
        {
            "project_title": "Street sport",
            "project_description": "Football on Friday nights.",
            "amount_requested": "2500",
            "action": "Submit application",
        },
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED and application.charity_number == "1098765"
    assert "received" in mail.outbox[-1].subject
    # Submitted: no more changes.
    assert "Submitted" in client.get(page).content.decode()
    staff_page = client_for(Role.OPCC_OFFICER).get(reverse("funding:round-detail", args=[open_round.pk]))
    assert "Street sport" in staff_page.content.decode()


def test_an_applicant_sees_only_their_own_applications_and_documents(open_round):
    mine, theirs = Client(), Client()
    register(mine, "me@example.org", "My Trust")
    register(theirs, "them@example.org", "Their Trust")
    theirs.post(
        reverse("public-funding:applicant-start", args=[open_round.pk]),
        {"project_title": "Secret plan", "action": "Save as draft"},
    )
    application = Application.objects.get(project_title="Secret plan")
    theirs.post(
        reverse("public-funding:applicant-upload", args=[application.pk]),
        {"document": SimpleUploadedFile("plan.pdf", PDF, content_type="application/pdf")},
    )
    document = application.documents.get()
    assert mine.get(reverse("public-funding:applicant-application", args=[application.pk])).status_code == 404
    assert (
        mine.get(reverse("public-funding:applicant-document", args=[application.pk, document.pk])).status_code
        == 404
    )
    assert "Secret plan" not in mine.get(reverse("public-funding:apply-home")).content.decode()
    download = theirs.get(reverse("public-funding:applicant-document", args=[application.pk, document.pk]))
    assert download.content == PDF and download["Content-Disposition"].startswith("attachment")


def test_uploads_too_big_of_a_disallowed_type_or_disguised_are_refused_clearly(
    open_round, settings, users, make_user
):
    settings.JOINEDUP_FUNDING_MAX_UPLOAD_BYTES = 1024
    client = Client()
    register(client, "me@example.org", "My Trust")
    client.post(
        reverse("public-funding:applicant-start", args=[open_round.pk]),
        {"project_title": "Plan", "action": "Save as draft"},
    )
    application = Application.objects.get()
    url = reverse("public-funding:applicant-upload", args=[application.pk])

    def upload(name: str, content: bytes) -> str:
        return client.post(url, {"document": SimpleUploadedFile(name, content)}).content.decode()

    page = upload("big.pdf", PDF + b"x" * 2048)
    assert "big.pdf is 2.0 KB: the most is 1.0 KB" in page
    assert "run.exe is not an allowed type" in upload("run.exe", b"MZ")
    assert "fake.pdf is not a real PDF file" in upload("fake.pdf", b"<html>")
    assert "budget.docx is not a real DOCX file" in upload("budget.docx", plain_zip())
    assert application.documents.count() == 0
    upload("budget.pdf", PDF)
    document = application.documents.get()
    assert document.original_name == "budget.pdf" and "budget" not in document.file.name  # random stored name

    # Staff who read funding, and an assigned scorer, may download it; an unassigned one may not.
    application.status = ApplicationStatus.ELIGIBLE
    application.save()
    scorer, other = make_user(role=Role.PRACTITIONER), make_user(role=Role.PRACTITIONER)
    services.assign_panel_member(actor=users[Role.OPCC_OFFICER], application=application, member=scorer)
    staff_url = reverse("funding:document-download", args=[application.pk, document.pk])
    for user, status in [(users[Role.AUDITOR], 200), (scorer, 200), (other, 404)]:
        staff = Client()
        staff.force_login(user)
        assert staff.get(staff_url).status_code == status


def test_the_applicant_is_emailed_the_decision(open_round, users, django_capture_on_commit_callbacks):
    client = Client()
    applicant = register(client, "me@example.org", "My Trust")
    client.post(
        reverse("public-funding:applicant-start", args=[open_round.pk]),
        {
            "project_title": "Plan",
            "project_description": "A plan.",
            "amount_requested": "1000",
            "action": "Submit application",
        },
    )
    application = Application.objects.get(applicant=applicant)
    assert application.status == ApplicationStatus.SUBMITTED
    _eligible_then_decided(
        users,
        application,
        {"outcome": "decline", "reason": "Out of area."},
        django_capture_on_commit_callbacks,
    )
    assert mail.outbox[0].to == ["me@example.org"]
    assert mail.outbox[0].subject == f"Decision on your application {application.reference}"
    assert "Out of area." in mail.outbox[0].body


def test_an_applicant_is_emailed_in_the_language_of_their_pages(
    open_round, users, django_capture_on_commit_callbacks
):
    """docs/adr/0033: an email answering something done on a page is in that page's language; the
    decision, sent when staff decide, in the language the applicant last used."""
    from django.conf import settings

    client = Client()
    applicant = register(client, "cymraeg@example.org", "Ymddiriedolaeth")  # registered in English
    assert mail.outbox[-1].subject == "Verify your email address to apply for a grant"
    assert applicant.language == "en-gb"

    # Signs in again, having chosen Cymraeg: their later emails are in Welsh.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    client.post(reverse("public-funding:applicant-sign-out"))
    client.post(
        reverse("public-funding:applicant-sign-in"), {"email": "cymraeg@example.org", "password": PASSWORD}
    )
    applicant.refresh_from_db()
    assert applicant.language == "cy"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("public-funding:applicant-start", args=[open_round.pk]),
            {
                "project_title": "Sesiynau chwaraeon",
                "project_description": "Sesiynau nos Wener.",
                "amount_requested": "1000",
                "action": "Cyflwyno’r cais",
            },
        )
    application = Application.objects.get(applicant=applicant)
    assert application.status == ApplicationStatus.SUBMITTED
    received = mail.outbox[-1]
    assert received.subject == f"Cais {application.reference} wedi dod i law"
    assert received.body == (
        f"Diolch. Rydym wedi cael eich cais {application.reference}, “Sesiynau chwaraeon”. Byddwn yn anfon "
        "e-bost atoch pan fydd penderfyniad wedi’i wneud."
    )

    # Staff (in English) approve it: the email is in the applicant's Welsh, their conditions as written.
    _eligible_then_decided(
        users,
        application,
        {"outcome": "approve", "amount": "1000", "conditions": "Report by March."},
        django_capture_on_commit_callbacks,
    )
    [decision] = mail.outbox
    assert decision.subject == f"Penderfyniad ar eich cais {application.reference}"
    assert decision.body == (
        f"Mae’n bleser gennym ddweud wrthych fod eich cais {application.reference}, “Sesiynau chwaraeon”, "
        "wedi’i gymeradwyo: £1,000.00.\n\nAmodau: Report by March."
    )

    # A reset link asked for from a Welsh page comes in Welsh, whatever the account last used.
    applicant.language = "en-gb"
    applicant.save()
    welsh = Client()
    welsh.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    welsh.post(reverse("public-funding:applicant-password-reset"), {"email": "cymraeg@example.org"})
    reset = mail.outbox[-1]
    assert reset.subject == "Ailosodwch eich cyfrinair i wneud cais am grantiau"
    assert reset.body.startswith("Helo Sam Applicant,\n\nI ddewis cyfrinair newydd, agorwch y ddolen hon")
