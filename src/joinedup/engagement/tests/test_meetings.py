"""Neighbourhood priority setting: residents vote online (confirmed by email, one vote each) and on paper,
the partners publish the action plan, and "you said, we did" follows."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client

from joinedup.core.models import User
from joinedup.core.roles import Role
from joinedup.core.testing import browser_origin, choose_language
from joinedup.engagement import meetings
from joinedup.engagement.models import NeighbourhoodMeeting, PriorityVote
from joinedup.notifications.models import OutboundEmail

TODAY = date.today()


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def meeting(users: dict[str, User], areas: Any) -> NeighbourhoodMeeting:
    manager = users[Role.CSP_MANAGER]
    made = meetings.save_meeting(
        actor=manager,
        data={
            "title": "Northtown neighbourhood meeting",
            "area": "E01900001",
            "held_on": TODAY.isoformat(),
            "place": "Northtown library",
            "voting_closes_on": (TODAY + timedelta(days=7)).isoformat(),
        },
    )
    for title in ("Speeding on the high street", "Drug dealing in the park", "Litter"):
        meetings.add_priority(actor=manager, meeting=made, data={"title": title})
    made.refresh_from_db()
    return meetings.save_meeting(
        actor=manager, meeting=made, expected_version=made.version, data={"published": True}
    )


def vote(meeting: NeighbourhoodMeeting, title: str, email: str, capture: Callable[..., Any]) -> str:
    """Vote through the public page; return the confirmation link from the email."""
    priority = meeting.priorities.get(title=title)
    before = len(mail.outbox)
    with capture(execute=True):
        response = Client().post(
            f"/consultations/neighbourhood-meetings/{meeting.pk}/", {"priority": priority.pk, "email": email}
        )
    assert response.status_code == 302, response.content.decode()[:3000]
    [message] = mail.outbox[before:]
    assert message.to == [email.strip().lower()]
    return re.search(r"https?://\S+(/consultations/neighbourhood-meetings/votes/\S+/)", message.body).group(1)


def online(meeting: NeighbourhoodMeeting) -> dict[str, int]:
    return {t.priority.title: t.online for t in meetings.tallies(meeting)}


def test_a_meeting_with_every_problem_lists_them_all(users: dict[str, User], areas: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        meetings.save_meeting(actor=users[Role.CSP_MANAGER], data={"area": "E23000099", "published": True})
    assert set(caught.value.message_dict) == {
        "title",
        "place",
        "held_on",
        "voting_closes_on",
        "area",
        "published",
    }
    assert not NeighbourhoodMeeting.objects.exists()


def test_a_vote_counts_once_confirmed_and_once_per_person(
    meeting: NeighbourhoodMeeting, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    link = vote(
        meeting, "Speeding on the high street", "Resident@Example.org", django_capture_on_commit_callbacks
    )
    assert online(meeting)["Speeding on the high street"] == 0  # not yet confirmed
    opened = Client().get(link)  # a mail scanner following the link votes for nobody
    assert opened.status_code == 200 and "Confirm my vote" in opened.content.decode()
    assert online(meeting)["Speeding on the high street"] == 0
    counted = Client().post(link).content.decode()
    assert "Your vote has been counted" in counted
    assert online(meeting)["Speeding on the high street"] == 1
    assert "already counted" in Client().post(link).content.decode()

    # The same person, another priority, another spelling of the address: one vote each.
    second = vote(meeting, "Litter", " resident@example.ORG", django_capture_on_commit_callbacks)
    refused = Client().post(second).content.decode()
    assert "You have already voted in this meeting" in refused
    assert online(meeting) == {"Speeding on the high street": 1, "Drug dealing in the park": 0, "Litter": 0}
    assert not PriorityVote.objects.filter(voter_hash__contains="example").exists()  # no address kept
    sent = OutboundEmail.objects.filter(kind="meeting_vote")
    assert sent.count() == 2 and set(sent.values_list("to", "body")) == {("", "")}  # nor in the outbox


def test_the_emailed_link_s_button_and_language_switch_work_in_a_browser(
    meeting: NeighbourhoodMeeting, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    """The link's page keeps its address from other sites, not from its own forms: under "no-referrer" a
    browser posts them with Origin "null", which CSRF protection refuses, so no vote could be confirmed."""
    link = vote(meeting, "Litter", "resident@example.org", django_capture_on_commit_callbacks)
    browser = Client(enforce_csrf_checks=True)
    opened = browser.get(link)
    assert opened["X-Robots-Tag"] == "noindex"
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', opened.content.decode())
    assert token is not None
    pressed = browser.post(link, {"csrfmiddlewaretoken": token.group(1)}, HTTP_ORIGIN=browser_origin(opened))
    assert pressed.status_code == 200 and "Your vote has been counted" in pressed.content.decode()
    assert online(meeting)["Litter"] == 1
    switched = choose_language(browser, link, "cy")
    assert switched.status_code == 302 and switched["Location"] == link
    assert '<html lang="cy"' in browser.get(link).content.decode()
    assert opened["Referrer-Policy"] == "same-origin"  # and other sites are not sent the link


def test_votes_after_voting_closes_are_refused_with_the_date(
    meeting: NeighbourhoodMeeting, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    link = vote(meeting, "Litter", "late@example.org", django_capture_on_commit_callbacks)
    NeighbourhoodMeeting.objects.filter(pk=meeting.pk).update(voting_closes_on=TODAY - timedelta(days=1))
    assert "Online voting has closed" in Client().post(link).content.decode()
    meeting.refresh_from_db()
    assert online(meeting)["Litter"] == 0
    page = Client().get(f"/consultations/neighbourhood-meetings/{meeting.pk}/").content.decode()
    assert "Online voting closed on" in page and 'name="email"' not in page
    refused = Client().post(
        f"/consultations/neighbourhood-meetings/{meeting.pk}/",
        {"priority": meeting.priorities.first().pk, "email": "x@example.org"},
    )
    assert refused.status_code == 400 and "Online voting closed on" in refused.content.decode()


def test_every_problem_with_a_vote_is_listed_and_nothing_is_sent(meeting: NeighbourhoodMeeting) -> None:
    response = Client().post(
        f"/consultations/neighbourhood-meetings/{meeting.pk}/", {"priority": "999999", "email": "nope"}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Choose the priority you want to vote for." in page and "Enter an email address like" in page
    assert not PriorityVote.objects.exists() and not mail.outbox


def test_a_welsh_reader_is_told_what_is_wrong_with_a_vote_in_welsh(meeting: NeighbourhoodMeeting) -> None:
    from joinedup.portal.tests.test_welsh import welsh_date, welsh_reader

    url = f"/consultations/neighbourhood-meetings/{meeting.pk}/"
    reader = welsh_reader(url)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', reader.get(url).content.decode())
    assert token is not None
    for email, problem in (
        ("", "Rhowch eich cyfeiriad e-bost: byddwn yn anfon dolen atoch i gadarnhau eich pleidlais."),
        ("nope", "Rhowch gyfeiriad e-bost fel enw@enghraifft.com."),
    ):
        response = reader.post(url, {"csrfmiddlewaretoken": token.group(1), "email": email})
        page = response.content.decode()
        assert response.status_code == 400 and '<html lang="cy"' in page
        assert "Dewiswch y flaenoriaeth rydych chi am bleidleisio drosti." in page and problem in page
        assert "Choose the priority" not in page and "Enter" not in page

    closed = TODAY - timedelta(days=1)
    NeighbourhoodMeeting.objects.filter(pk=meeting.pk).update(voting_closes_on=closed)
    refused = reader.post(
        url,
        {
            "csrfmiddlewaretoken": token.group(1),
            "priority": meeting.priorities.first().pk,
            "email": "x@example.org",
        },
    ).content.decode()
    assert f"Caeodd y pleidleisio ar-lein ar {welsh_date(closed)}." in refused
    assert "Online voting closed" not in refused


def test_paper_votes_the_action_plan_and_you_said_we_did(
    meeting: NeighbourhoodMeeting,
    users: dict[str, User],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    manager = signed_in(users[Role.CSP_MANAGER])
    staff_url = f"/staff/consultations/meetings/{meeting.pk}/"
    ids = {p.title: p.pk for p in meeting.priorities.all()}
    bad = manager.post(
        staff_url,
        {
            "step": "paper",
            f"paper-{ids['Litter']}": "-3",
            f"paper-{ids['Speeding on the high street']}": "lots",
        },
    )
    assert bad.status_code == 400
    assert (
        "“Litter” as a whole number" in bad.content.decode()
        and "“Speeding on the high street” as a whole number" in bad.content.decode()
    )
    manager.post(
        staff_url,
        {
            "step": "paper",
            f"paper-{ids['Litter']}": "12",
            f"paper-{ids['Speeding on the high street']}": "30",
        },
    )
    link = vote(meeting, "Litter", "one@example.org", django_capture_on_commit_callbacks)
    Client().post(link)
    totals = {t.priority.title: t.total for t in meetings.tallies(meeting)}
    assert totals == {"Speeding on the high street": 30, "Litter": 13, "Drug dealing in the park": 0}

    early = manager.post(staff_url, {"step": "plan", f"action-{ids['Litter']}": "Extra street cleaning"})
    assert early.status_code == 400 and "still open" in early.content.decode()
    NeighbourhoodMeeting.objects.filter(pk=meeting.pk).update(voting_closes_on=TODAY - timedelta(days=1))
    manager.post(
        staff_url,
        {
            "step": "plan",
            f"action-{ids['Speeding on the high street']}": "Speed checks every week in term time",
        },
    )
    manager.post(
        staff_url,
        {
            "step": "update",
            "priority": ids["Speeding on the high street"],
            "text": "Twelve speed checks; 41 drivers warned.",
        },
    )

    public = Client().get(f"/consultations/neighbourhood-meetings/{meeting.pk}/").content.decode()
    assert "You said: Speeding on the high street" in public
    assert "Speed checks every week in term time" in public and "41 drivers warned" in public
    assert "You said: Litter" not in public

    # Another force's officer, and a practitioner, cannot change it.
    assert signed_in(users[Role.ANALYST]).post(staff_url, {"step": "paper"}).status_code == 404


def test_an_unknown_link_or_an_unpublished_meeting_is_not_found(meeting: NeighbourhoodMeeting) -> None:
    assert Client().get("/consultations/neighbourhood-meetings/votes/not-a-real-key/").status_code == 404
    index = "/consultations/neighbourhood-meetings/"
    download = Client().get(index, {"format": "csv"})
    assert "Northtown neighbourhood meeting" in b"".join(download.streaming_content).decode("utf-8-sig")
    NeighbourhoodMeeting.objects.filter(pk=meeting.pk).update(published=False)
    download = Client().get(index, {"format": "csv"})
    assert "Northtown neighbourhood meeting" not in b"".join(download.streaming_content).decode("utf-8-sig")
    assert Client().get(f"/consultations/neighbourhood-meetings/{meeting.pk}/").status_code == 404
    assert (
        "Northtown neighbourhood meeting"
        not in Client().get("/consultations/neighbourhood-meetings/").content.decode()
    )


def test_the_vote_page_shows_a_radio_for_each_priority(meeting: NeighbourhoodMeeting) -> None:
    """As a resident's browser gets the page, without JavaScript: one radio a priority (the field used to be
    drawn with none, so nobody could choose)."""
    page = Client().get(f"/consultations/neighbourhood-meetings/{meeting.pk}/").content.decode()
    shown = re.findall(r'<input\s[^>]*type="radio"[^>]*name="priority"[^>]*value="(\d+)"', page)
    assert shown == [str(p.pk) for p in meeting.priorities.order_by("pk")]
    labels = [
        re.sub(r"\s+", " ", x).strip()
        for x in re.findall(r'<label class="govuk-label govuk-radios__label"[^>]*>(.*?)</label>', page, re.S)
    ]
    assert labels == ["Speeding on the high street", "Drug dealing in the park", "Litter"]


def test_the_vote_confirmation_arrives_in_the_language_the_resident_voted_in(
    meeting: NeighbourhoodMeeting, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    """The email is written when the vote is cast, in the reader's language: a Welsh reader's arrives in
    Welsh through a real SMTP server, an English reader's in English, and each link counts the vote."""
    from django.test import override_settings

    from joinedup.notifications.mailsink import MailCatcher
    from joinedup.portal.tests.test_welsh import welsh_reader

    page = f"/consultations/neighbourhood-meetings/{meeting.pk}/"
    litter = meeting.priorities.get(title="Litter")
    welsh = welsh_reader(page)
    form = welsh.get(page).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
    assert token is not None
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
            sent = welsh.post(
                page,
                {"csrfmiddlewaretoken": token.group(1), "priority": litter.pk, "email": "cy@example.org"},
            )
            assert sent.status_code == 302
            assert Client().post(page, {"priority": litter.pk, "email": "en@example.org"}).status_code == 302
        assert server.handler.received.wait(5)  # each delivered as its transaction committed
        mails = {m["To"]: m for m in server.messages}
    cymraeg, english = mails["cy@example.org"], mails["en@example.org"]
    assert cymraeg["Subject"] == "Cadarnhewch eich pleidlais: Northtown neighbourhood meeting"
    body = cymraeg.get_content()
    assert (
        "Fe wnaethoch chi bleidleisio dros “Litter” fel blaenoriaeth yn Northtown neighbourhood meeting."
        in body
    )
    assert "Os na wnaethoch chi bleidleisio, anwybyddwch yr e-bost hwn" in body
    assert "You voted for" not in body and "Confirm your vote" not in body
    assert english["Subject"] == "Confirm your vote: Northtown neighbourhood meeting"
    assert "You voted for “Litter” as a priority at Northtown neighbourhood meeting." in english.get_content()
    assert "Fe wnaethoch" not in english.get_content()
    # The Welsh link works like the English one: the vote counts once pressed.
    link = re.search(r"https?://\S+(/consultations/neighbourhood-meetings/votes/\S+/)", body)
    assert link is not None
    assert "Your vote has been counted" in Client().post(link.group(1)).content.decode()
    assert online(meeting)["Litter"] == 1


def test_a_welsh_reader_reads_the_problems_with_a_vote_in_welsh(meeting: NeighbourhoodMeeting) -> None:
    from joinedup.portal.tests.test_welsh import welsh_reader

    page = f"/consultations/neighbourhood-meetings/{meeting.pk}/"
    reader = welsh_reader(page)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', reader.get(page).content.decode())
    assert token is not None
    refused = reader.post(page, {"csrfmiddlewaretoken": token.group(1), "priority": "999999", "email": ""})
    html = refused.content.decode()
    assert refused.status_code == 400
    assert "Dewiswch y flaenoriaeth rydych chi am bleidleisio drosti." in html
    assert "Rhowch eich cyfeiriad e-bost: byddwn yn anfon dolen atoch i gadarnhau eich pleidlais." in html
    assert "Choose the priority you want to vote for." not in html and not mail.outbox
