"""Online ASB case review applications: the public form, the council's workflow, the applicant's progress
page, and what a bot, a stranger holding a wrong link or another agency gets."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse

from joinedup.casework.models import CaseReviewRequest, CaseReviewStatus, Person
from joinedup.casework.reviews import services as reviews
from joinedup.core.models import Area
from joinedup.core.roles import Role
from joinedup.core.testing import choose_language
from joinedup.core.tests.factories import OrganisationFactory, UserFactory
from joinedup.notifications.mailsink import MailCatcher
from joinedup.notifications.models import Notification, OutboundEmail

from .conftest import signed_in

APPLY = "/asb-case-reviews/apply/"


@pytest.fixture
def councils(world: dict[str, Any]) -> dict[str, Any]:
    """Northtown's council takes applications for Northtown; Southtown has a council too; Splitborough none."""
    areas: dict[str, Area] = world["areas"]
    world["council"].areas.set([areas["north_lad"]])
    south = OrganisationFactory(name="Southtown Council", sector="la_district")
    south.areas.set([areas["south_lad"]])
    manager = UserFactory(role=Role.PRACTITIONER, organisation=world["council"], email="asb.lead@example.org")
    return {**world, "south": south, "manager": manager}


def answers(**overrides: Any) -> dict[str, Any]:
    data = {
        "district": "E07000901",
        "name": "Alex Resident",
        "email": "Alex.Resident@example.org",
        "phone": "0191 498 0000",
        "applying_for": "myself",
        "summary": "Loud parties every weekend since June. Reported to the council on 3, 17 and 30 July.",
        "reported_to": "The council and the police",
        "declaration": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def progress_link(response: Any) -> str:
    assert response.status_code == 302, response.content.decode()[:2000]
    return str(response["Location"]).split("?")[0]


def test_the_form_offers_only_districts_whose_council_is_in_the_directory(councils: dict[str, Any]) -> None:
    page = Client().get(APPLY).content.decode()
    assert "Northtown (Northtown Council)" in page and "Southtown (Southtown Council)" in page
    assert "Splitborough" not in page
    assert 'name="website"' in page and "<div hidden>" in page  # the honeypot is hidden from everyone
    statistics = Client().get("/asb-case-reviews/").content.decode()
    assert APPLY in statistics


def test_every_problem_is_listed_at_once_and_nothing_is_saved(councils: dict[str, Any]) -> None:
    response = Client().post(
        APPLY,
        {"district": "E07000903", "email": "not-an-email", "applying_for": "someone_else", "phone": "12"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    for message in (
        "Choose the district where the anti-social behaviour happens.",
        "Enter your full name.",
        "Enter an email address in the correct format",
        "Enter a telephone number",
        "Confirm that the person you are applying for agrees",
        "Describe the anti-social behaviour",
        "Confirm that you understand your details will be shared",
    ):
        assert message in page, message
    assert "There is a problem" in page
    assert not CaseReviewRequest.objects.exists() and not Person.objects.exists()


def test_an_application_reaches_the_council_and_only_the_council(councils: dict[str, Any]) -> None:
    response = Client().post(APPLY, answers())
    link = progress_link(response)
    review = CaseReviewRequest.objects.get()
    assert review.received_online and review.status == CaseReviewStatus.RECEIVED
    assert review.receiving_organisation == councils["council"] and review.area.code == "E07000901"
    assert (
        review.applicant.full_name == "Alex Resident"
        and review.applicant.email == "alex.resident@example.org"
    )
    assert "Reported to: The council and the police" in review.summary
    key = link.rstrip("/").rsplit("/", 1)[1]
    assert key not in review.status_key_hash and len(review.status_key_hash) == 64  # only its hash is kept

    # The council's case review staff are told at once; the police, housing and the other council are not.
    told = set(
        Notification.objects.filter(kind="case_review_applied").values_list("recipient__email", flat=True)
    )
    assert "asb.lead@example.org" in told and "council@example.org" in told
    assert not told & {"pc@example.org", "housing@example.org"}

    # The council takes it through the ordinary workflow; an agency outside the sharing rule cannot see it.
    detail = reverse("casework:review-detail", args=[review.pk])
    assert signed_in(councils["manager"]).get(detail).status_code == 200
    assert signed_in(councils["users"]["housing"]).get(detail).status_code == 404
    south_user = UserFactory(role=Role.PRACTITIONER, organisation=councils["south"])
    assert signed_in(south_user).get(detail).status_code == 404
    assert review.reference not in signed_in(south_user).get(reverse("casework:review-list")).content.decode()


def test_an_online_applicant_is_found_by_name_without_accents_by_the_council_alone(
    councils: dict[str, Any],
) -> None:
    from joinedup.casework.selectors import applicants_named

    progress_link(Client().post(APPLY, answers(name="Siân Ó Briain")))
    review = CaseReviewRequest.objects.get()
    found = applicants_named(councils["manager"], "sian o bri")
    assert [(a.review_reference, a.full_name) for a in found] == [(review.reference, "Siân Ó Briain")]
    assert applicants_named(councils["users"]["housing"], "sian o bri") == []


def test_the_progress_page_shows_steps_and_dates_but_no_personal_data(councils: dict[str, Any]) -> None:
    link = progress_link(Client().post(APPLY, answers(district="e07000901 ")))
    review = CaseReviewRequest.objects.get()

    first = Client().get(link + "?sent=1")
    assert first.status_code == 200 and first["X-Robots-Tag"] == "noindex"
    page = first.content.decode()
    assert "Application sent" in page and review.reference in page and "Northtown Council" in page
    for private in ("Alex", "Resident", "alex.resident", "Loud parties", "0191"):
        assert private not in page, private

    reviews.record_step(
        actor=councils["manager"],
        review=review,
        step="acknowledge",
        expected_version=review.version,
        data={"acknowledged_on": review.received_on.isoformat()},
    )
    later = Client().get(link).content.decode()
    assert "Acknowledged: the agencies are checking whether the threshold is met" in later
    assert f"{review.received_on:%-d %B %Y}" in later and "Not yet: due by" in later


def test_the_progress_page_s_language_switch_works_in_a_browser(councils: dict[str, Any]) -> None:
    """The page keeps its address from other sites, not from its own language switch: under "no-referrer" a
    browser posts the switch with Origin "null", which CSRF protection refuses."""
    link = progress_link(Client().post(APPLY, answers()))
    applicant = Client(enforce_csrf_checks=True)
    switched = choose_language(applicant, link, "cy")
    assert switched.status_code == 302 and switched["Location"] == link
    shown = applicant.get(link)
    assert '<html lang="cy"' in shown.content.decode()
    assert shown["Referrer-Policy"] == "same-origin"  # and other sites are not sent the link


def test_a_wrong_or_altered_link_is_not_found(councils: dict[str, Any]) -> None:
    link = progress_link(Client().post(APPLY, answers()))
    assert Client().get(link[:-3] + "abc/").status_code == 404
    assert Client().get("/asb-case-reviews/applications/x/").status_code == 404
    # A request recorded by staff has no link at all, even with an empty key.
    assert Client().get("/asb-case-reviews/applications/%20/").status_code == 404


def test_the_applicant_gets_the_link_by_real_email_and_the_outbox_keeps_no_copy(
    councils: dict[str, Any], django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    with (
        MailCatcher() as server,
        override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=server.port,
            EMAIL_TIMEOUT=5,
        ),
    ):
        with django_capture_on_commit_callbacks(execute=True):
            link = progress_link(Client().post(APPLY, answers()))
        assert server.handler.received.wait(5)
        mails = [m for m in server.messages if m["To"] == "alex.resident@example.org"]
    [mail] = mails
    body = mail.get_content()
    assert mail["Subject"] == f"Your ASB case review application {CaseReviewRequest.objects.get().reference}"
    assert "We have received your application for an anti-social behaviour case review." in body
    assert re.search(re.escape(link) + r"\s", body)
    stored = OutboundEmail.objects.get(kind="case_review_applied")
    assert link not in stored.body  # a sensitive message's body is not kept once sent
    assert stored.to == ""  # nor the applicant's address, outside the casework record


def test_a_filled_honeypot_saves_nothing_and_keeps_the_answers(councils: dict[str, Any]) -> None:
    response = Client().post(APPLY, answers(website="http://spam.example"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "We could not accept this application" in page and "Loud parties every weekend" in page
    assert not CaseReviewRequest.objects.exists()


def test_applications_from_one_address_are_limited_but_corrections_are_not(councils: dict[str, Any]) -> None:
    client = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(8):  # mistakes never count
        assert client.post(APPLY, answers(name="")).status_code == 400
    for number in range(5):
        assert client.post(APPLY, answers(summary=f"Application {number}")).status_code == 302
    refused = client.post(APPLY, answers(summary="One too many"))
    assert refused.status_code == 429
    assert "Too many applications from this connection" in refused.content.decode()
    assert CaseReviewRequest.objects.count() == 5
    # Another address is not affected.
    assert Client(REMOTE_ADDR="198.51.100.7").post(APPLY, answers()).status_code == 302


@pytest.mark.browser
def test_a_resident_applies_on_a_small_screen_and_follows_the_progress(
    page: Any, councils: dict[str, Any]
) -> None:
    """At 320 px wide (axe checks each page): from the statistics page to the form, a first try with
    problems listed, then the application and its progress page."""
    page.set_viewport_size({"width": 320, "height": 900})
    page.visit("/asb-case-reviews/")
    page.get_by_role("button", name="Apply for a case review").click()
    page.wait_for_load_state()
    page.check_accessibility()
    page.get_by_role("button", name="Send the application").click()
    page.wait_for_load_state()
    page.check_accessibility()
    assert page.locator(".govuk-error-summary li").count() == 6
    assert page.evaluate("document.documentElement.scrollWidth") <= 320  # nothing scrolls sideways

    page.get_by_label("Where is the anti-social behaviour happening?").select_option("E07000901")
    page.get_by_label("Your full name").fill("Alex Resident")
    page.get_by_label("Your email address").fill("alex@example.org")
    page.get_by_label("Myself").check()
    page.get_by_label("What is happening, and what happened when you reported it?").fill(
        "Loud parties every weekend since June."
    )
    page.get_by_label("I understand that my details will be shared", exact=False).check()
    page.get_by_role("button", name="Send the application").click()
    page.wait_for_load_state()
    page.check_accessibility()
    review = CaseReviewRequest.objects.get()
    main = page.locator("main").inner_text()
    assert "Application sent" in main and review.reference in main and "Alex" not in main
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_a_welsh_reader_applies_in_welsh_and_follows_the_progress_in_welsh(
    councils: dict[str, Any], django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    from joinedup.portal.tests.test_welsh import welsh_date, welsh_reader

    reader = welsh_reader(APPLY)
    form = reader.get(APPLY).content.decode()
    assert '<html lang="cy"' in form
    assert "Gwneud cais am adolygiad achos ymddygiad gwrthgymdeithasol" in form
    assert "Ble mae’r ymddygiad gwrthgymdeithasol yn digwydd?" in form and "Eich enw llawn" in form
    assert "Dewiswch ddosbarth" in form and "Fi fy hun" in form and "Anfon y cais" in form
    assert "ffoniwch 999" in form

    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
    assert token is not None
    wrong = reader.post(
        APPLY,
        {"csrfmiddlewaretoken": token.group(1), "email": "not-an-email", "applying_for": "someone_else"},
    )
    assert wrong.status_code == 400
    errors = wrong.content.decode()
    assert "<title>Gwall: Gwneud cais am adolygiad achos ymddygiad gwrthgymdeithasol " in errors
    for welsh in (
        "Mae problem",
        "Dewiswch y dosbarth lle mae’r ymddygiad gwrthgymdeithasol yn digwydd.",
        "Rhowch eich enw llawn.",
        "Rhowch gyfeiriad e-bost yn y fformat cywir, fel enw@enghraifft.com.",
        "Cadarnhewch fod y person rydych chi’n gwneud cais ar ei ran yn cytuno i’r cais.",
        "Disgrifiwch yr ymddygiad gwrthgymdeithasol a beth ddigwyddodd pan wnaethoch chi roi gwybod amdano.",
    ):
        assert welsh in errors, welsh
    assert "Enter your full name." not in errors
    assert not CaseReviewRequest.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        sent = reader.post(APPLY, {"csrfmiddlewaretoken": token.group(1), **answers()})
    progress = reader.get(progress_link(sent) + "?sent=1").content.decode()
    review = CaseReviewRequest.objects.get()
    # The acknowledgement is written in Welsh, the language the resident applied in, dates and all.
    [acknowledgement] = [m for m in mail.outbox if m.to == ["alex.resident@example.org"]]
    assert (
        acknowledgement.subject
        == f"Eich cais am adolygiad achos ymddygiad gwrthgymdeithasol {review.reference}"
    )
    assert "Rydym wedi cael eich cais am adolygiad achos ymddygiad gwrthgymdeithasol." in acknowledgement.body
    assert f"Wedi dod i law: {welsh_date(review.received_on)}" in acknowledgement.body
    assert (
        "Dilynwch hynt eich cais yma:" in acknowledgement.body and progress_link(sent) in acknowledgement.body
    )
    assert "We have received" not in acknowledgement.body
    assert '<html lang="cy"' in progress and "Cais wedi’i anfon" in progress and review.reference in progress
    assert "Wedi dod i law: yn aros i’r cyngor ei gydnabod" in progress
    assert welsh_date(review.received_on) in progress and "Dim eto: i’w wneud erbyn" in progress
    # The council's staff read the same application in English.
    staff = signed_in(councils["manager"]).get(f"/staff/casework/case-reviews/{review.pk}/")
    assert staff.status_code == 200 and '<html lang="en-GB"' in staff.content.decode()
