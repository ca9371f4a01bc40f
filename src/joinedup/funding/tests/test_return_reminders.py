"""Monitoring returns in everyone's work (issue 18): a return the grant holder has submitted is on the list
of the officers who manage the grant until they review it, and grant holders are emailed once when a
return is due within a week and once when it is overdue, in the language they use; the officers who manage
the grant are told at once when a return is submitted."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from joinedup.core.due import due_items
from joinedup.core.roles import Role
from joinedup.core.site import site_url
from joinedup.core.tests.factories import UserFactory, area_tree
from joinedup.funding.models import MonitoringReturn, ReturnStatus
from joinedup.funding.monitoring import services as monitoring_services
from joinedup.notifications.mailsink import MailCatcher
from joinedup.notifications.models import Notification
from joinedup.notifications.notify import save_preferences
from joinedup.notifications.scheduler import TIMETABLE, run_job
from joinedup.notifications.tests.test_email import smtp_settings

from .helpers import make_fund, make_round
from .test_outcome_measures import award_for, good_return, signed_in_applicant

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
REVIEW = "funding.monitoring_return_review"
NOT_RECEIVED = "funding.monitoring_return"


def _days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


@pytest.fixture
def grant_round(users, areas):
    return make_round(users, make_fund(users, areas), budget="9000.00")


def _grant(users, grant_round, email: str, title: str, due_in: int, language: str = "en-gb"):
    applicant, client = signed_in_applicant(email, f"{title} Trust")
    applicant.language = language
    applicant.save()
    award = award_for(users, grant_round, applicant, title)
    monitoring_return = award.monitoring_returns.get()
    MonitoringReturn.objects.filter(pk=monitoring_return.pk).update(due_on=_days(due_in))
    monitoring_return.refresh_from_db()
    return applicant, client, monitoring_return


def _kinds(user, kind: str) -> list:
    return [item for item in due_items(user) if item.kind == kind]


# --- returns to review in "Your work" -------------------------------------------------------------------


def test_a_submitted_return_is_on_the_managing_officers_list_until_reviewed(users, grant_round, client_for):
    _applicant, client, due = _grant(users, grant_round, "grantee@example.org", "Street sport", due_in=3)
    officer = users[Role.OPCC_OFFICER]
    stranger = UserFactory(role=Role.OPCC_OFFICER, areas=[area_tree(force=8, name="Farshire")["pfa"]])
    assert len(_kinds(officer, NOT_RECEIVED)) == 1  # not yet received: the grant holder's to send
    assert _kinds(officer, REVIEW) == []

    response = client.post(
        reverse("public-funding:applicant-return", args=[due.pk]), good_return(due.award, due.version)
    )
    assert response.status_code == 302

    # Submitted: no longer waiting on the grant holder; the office's to review, two weeks from submission.
    assert _kinds(officer, NOT_RECEIVED) == []
    [to_review] = _kinds(officer, REVIEW)
    assert to_review.title == "Monitoring return from Street sport Trust to review (Street sport)"
    assert to_review.due == _days(14) and not to_review.overdue
    assert to_review.url == reverse("funding:monitoring-return-review", args=[due.pk])
    staff = client_for(Role.OPCC_OFFICER)
    assert "Accept the return" in staff.get(to_review.url).content.decode()
    assert (
        "Monitoring return from Street sport Trust to review"
        in staff.get(reverse("workqueue:your-work")).content.decode()
    )
    # Nobody who does not manage the grant: another force's officer, a practitioner, the auditor.
    for person in (stranger, users[Role.PRACTITIONER], users[Role.AUDITOR]):
        assert _kinds(person, REVIEW) == [], person.role
    # Left too long, it is overdue.
    [late] = [i for i in due_items(officer, today=_days(20)) if i.kind == REVIEW]
    assert late.overdue

    # Sent back for changes: the grant holder's again (due on its own date), off the review list.
    due.refresh_from_db()
    staff.post(
        to_review.url,
        {"decision": "changes", "changes_requested": "Add the figures.", "version": due.version},
    )
    due.refresh_from_db()
    assert due.status == ReturnStatus.CHANGES_REQUESTED
    assert _kinds(officer, REVIEW) == []
    [again] = _kinds(officer, NOT_RECEIVED)
    assert again.due == _days(3)

    # Resubmitted and accepted: on nobody's list.
    client.post(
        reverse("public-funding:applicant-return", args=[due.pk]), good_return(due.award, due.version)
    )
    due.refresh_from_db()
    assert len(_kinds(officer, REVIEW)) == 1
    staff.post(to_review.url, {"decision": "accept", "version": due.version})
    due.refresh_from_db()
    assert due.status == ReturnStatus.ACCEPTED
    assert _kinds(officer, REVIEW) == [] and _kinds(officer, NOT_RECEIVED) == []


def test_the_review_list_shows_only_returns_falling_due_in_the_window(users, grant_round):
    _applicant, _client, due = _grant(users, grant_round, "grantee@example.org", "Street sport", due_in=-30)
    MonitoringReturn.objects.filter(pk=due.pk).update(status=ReturnStatus.SUBMITTED, submitted_on=_days(-1))
    officer = users[Role.OPCC_OFFICER]
    assert [i.due for i in _kinds(officer, REVIEW)] == [_days(13)]
    soon = [i for i in due_items(officer, horizon=datetime.timedelta(days=1)) if i.kind == REVIEW]
    assert soon == []  # due in 13 days: not within a day


# --- reminders to grant holders -------------------------------------------------------------------------


def _send(today: datetime.date, capture) -> dict[str, int]:
    with capture(execute=True):
        return monitoring_services.send_return_reminders(today=today)


def test_a_grant_holder_is_reminded_once_when_due_soon_and_once_when_overdue(
    users, grant_round, django_capture_on_commit_callbacks
):
    _applicant, _client, due = _grant(users, grant_round, "grantee@example.org", "Street sport", due_in=5)
    _grant(users, grant_round, "later@example.org", "Later", due_in=9)  # not yet within a week

    assert _send(TODAY, django_capture_on_commit_callbacks) == {"due_soon": 1, "overdue": 0}
    [email] = mail.outbox
    link = f"{site_url()}/apply/returns/{due.pk}/"
    assert email.to == ["grantee@example.org"]
    assert email.subject == f"Your monitoring return for “Street sport” is due on {due.due_on:%-d %B %Y}"
    assert email.body.startswith(
        f"Your monitoring return for the grant “Street sport” is due on {due.due_on:%-d %B %Y}."
    )
    assert email.body.endswith(f"submit it here:\n\n{link}")

    # The next run, and the day after, send nothing more.
    assert _send(TODAY, django_capture_on_commit_callbacks) == {"due_soon": 0, "overdue": 0}
    assert _send(_days(1), django_capture_on_commit_callbacks) == {"due_soon": 0, "overdue": 0}
    assert len(mail.outbox) == 1

    # Past its due date and still not submitted: one overdue reminder, then no more.
    assert _send(_days(6), django_capture_on_commit_callbacks) == {"due_soon": 1, "overdue": 1}
    overdue = next(m for m in mail.outbox if m.to == ["grantee@example.org"] and "overdue" in m.subject)
    assert overdue.subject == "Your monitoring return for “Street sport” is overdue"
    assert f"was due on {due.due_on:%-d %B %Y}" in overdue.body
    assert overdue.body.endswith(f"submit it here:\n\n{link}")
    assert _send(_days(7), django_capture_on_commit_callbacks) == {"due_soon": 0, "overdue": 0}
    assert len(mail.outbox) == 3


def test_no_reminder_for_a_submitted_or_accepted_return_nor_a_long_overdue_one(
    users, grant_round, client_for, django_capture_on_commit_callbacks
):
    _applicant, client, submitted = _grant(users, grant_round, "submitted@example.org", "Sent", due_in=2)
    client.post(
        reverse("public-funding:applicant-return", args=[submitted.pk]),
        good_return(submitted.award, submitted.version),
    )
    _applicant, _client, accepted = _grant(users, grant_round, "accepted@example.org", "Posted", due_in=4)
    client_for(Role.OPCC_OFFICER).post(
        reverse("funding:monitoring-return-record", args=[accepted.pk]),
        good_return(accepted.award, accepted.version),
    )
    _grant(users, grant_round, "backlog@example.org", "Backlog", due_in=-90)
    assert set(MonitoringReturn.objects.values_list("status", flat=True)) == {
        ReturnStatus.SUBMITTED,
        ReturnStatus.ACCEPTED,
        ReturnStatus.DUE,
    }
    mail.outbox.clear()
    assert _send(TODAY, django_capture_on_commit_callbacks) == {"due_soon": 0, "overdue": 0}
    assert _send(_days(10), django_capture_on_commit_callbacks) == {"due_soon": 0, "overdue": 0}
    assert mail.outbox == []


def test_a_welsh_grant_holder_is_reminded_in_welsh_by_the_scheduler(
    users, grant_round, django_capture_on_commit_callbacks
):
    _applicant, _client, due = _grant(
        users, grant_round, "cymraeg@example.org", "Chwaraeon", due_in=-2, language="cy"
    )
    job = next(job for job in TIMETABLE if job.name == "monitoring_return_reminders")
    morning = timezone.localtime().replace(hour=7, minute=45, second=0, microsecond=0)
    with django_capture_on_commit_callbacks(execute=True):
        run = run_job(job, instance="test", now=morning)
    assert run is not None and run.summary.startswith(
        "0 reminder(s) of monitoring returns due within 7 days, 1 "
    )
    [email] = mail.outbox
    assert email.to == ["cymraeg@example.org"]
    assert email.subject == "Mae eich ffurflen fonitro ar gyfer “Chwaraeon” yn hwyr"
    months = {1: "Ionawr", 2: "Chwefror", 3: "Mawrth", 4: "Ebrill", 5: "Mai", 6: "Mehefin", 7: "Gorffennaf"}
    months |= {8: "Awst", 9: "Medi", 10: "Hydref", 11: "Tachwedd", 12: "Rhagfyr"}
    welsh_date = f"{due.due_on.day} {months[due.due_on.month]} {due.due_on.year}"
    assert email.body.startswith(
        f"Roedd eich ffurflen fonitro ar gyfer y grant “Chwaraeon” i’w chyflwyno erbyn {welsh_date}."
    )
    assert email.body.endswith(f"/apply/returns/{due.pk}/") and f"{site_url()}/apply/" in email.body
    # Done for today: the job does not run again, and a run tomorrow sends nothing.
    assert run_job(job, instance="test", now=morning + datetime.timedelta(hours=1)) is None
    with django_capture_on_commit_callbacks(execute=True):
        run_job(job, instance="test", now=morning + datetime.timedelta(days=1))
    assert len(mail.outbox) == 1


# --- the office's decision, told to the grant holder -------------------------------------------------------


def test_the_grant_holder_is_told_of_changes_asked_for_and_of_acceptance_in_their_language(
    users, grant_round, client_for, django_capture_on_commit_callbacks
):
    _applicant, client, due = _grant(users, grant_round, "grantee@example.org", "Street sport", due_in=3)
    _welsh, welsh_client, welsh_due = _grant(
        users, grant_round, "cymraeg@example.org", "Chwaraeon", due_in=3, language="cy"
    )
    staff = client_for(Role.OPCC_OFFICER)
    review = reverse("funding:monitoring-return-review", args=[due.pk])
    welsh_review = reverse("funding:monitoring-return-review", args=[welsh_due.pk])
    for grantee, monitoring_return in ((client, due), (welsh_client, welsh_due)):
        grantee.post(
            reverse("public-funding:applicant-return", args=[monitoring_return.pk]),
            good_return(monitoring_return.award, monitoring_return.version),
        )
    mail.outbox.clear()

    due.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(
            review,
            {"decision": "changes", "changes_requested": "Add the June figures.", "version": due.version},
        )
    [changes] = mail.outbox
    link = f"{site_url()}/apply/returns/{due.pk}/"
    assert changes.to == ["grantee@example.org"]
    assert changes.subject == "Changes asked for in your monitoring return for “Street sport”"
    assert changes.body.endswith(link) and "Read what to change" in changes.body
    assert "June figures" not in changes.body  # read signed in, not sent by email

    due.refresh_from_db()
    client.post(
        reverse("public-funding:applicant-return", args=[due.pk]), good_return(due.award, due.version)
    )
    due.refresh_from_db()
    assert due.status == ReturnStatus.SUBMITTED
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(review, {"decision": "accept", "version": due.version})
    # The resubmission also told the office (its own test below); the grant holder has had two emails.
    to_grantee = [message for message in mail.outbox if message.to == ["grantee@example.org"]]
    assert len(to_grantee) == 2 and to_grantee[0] is changes
    accepted = to_grantee[-1]
    assert accepted.subject == "Your monitoring return for “Street sport” has been accepted"
    assert accepted.body.endswith(link)

    welsh_due.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(welsh_review, {"decision": "accept", "version": welsh_due.version})
    welsh = mail.outbox[-1]
    assert welsh.to == ["cymraeg@example.org"]
    assert welsh.subject == "Derbyniwyd eich ffurflen fonitro ar gyfer “Chwaraeon”"
    assert welsh.body.startswith("Mae’r swyddfa sy’n rheoli eich grant “Chwaraeon” wedi derbyn")
    # A refused review (the version out of date) tells nobody anything.
    sent = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(welsh_review, {"decision": "accept", "version": welsh_due.version})
    assert len(mail.outbox) == sent


# --- the office told when a return arrives -----------------------------------------------------------


def test_the_officers_who_manage_the_grant_are_emailed_at_once_when_a_return_is_submitted(
    users, grant_round, django_capture_on_commit_callbacks
):
    """Through the notifications app: an email to each officer who may review the return (the grant's
    title and the link, nothing the return says nor who sent it), a notice in the service for someone who
    turned immediate emails off, nobody outside the force; told again when resubmitted after changes."""
    _applicant, client, due = _grant(users, grant_round, "grantee@example.org", "Street sport", due_in=3)
    officer, admin = users[Role.OPCC_OFFICER], users[Role.OPCC_ADMIN]
    save_preferences(user=admin, immediate_email=False, daily_digest=True)
    stranger = UserFactory(role=Role.OPCC_OFFICER, areas=[area_tree(force=8, name="Farshire")["pfa"]])
    review = reverse("funding:monitoring-return-review", args=[due.pk])
    with MailCatcher() as server, smtp_settings(server.port):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("public-funding:applicant-return", args=[due.pk]), good_return(due.award, due.version)
            )
        assert response.status_code == 302
        assert server.handler.received.wait(5)
    [message] = server.messages
    assert message["To"] == officer.email
    # A long subject outside ASCII arrives folded; a mail client shows it without the fold's leading space.
    assert message["Subject"].strip() == "Joined Up: Monitoring return to review for the grant “Street sport”"
    body = message.get_content()
    assert f"{site_url()}{review}" in body
    for private in (
        "grantee@example.org",
        "Sam Grantee",
        "Street sport Trust",
        "Well attended",
        "800.00",
        "30 sessions",
    ):
        assert private not in body and private not in message["Subject"]
    # In the service for both officers (the administrator has immediate emails off); nobody else.
    told = Notification.objects.filter(kind="monitoring_return_submitted")
    assert {n.recipient for n in told} == {officer, admin}
    assert told.get(recipient=admin).email is None
    assert not told.filter(recipient__in=[stranger, users[Role.AUDITOR], users[Role.PRACTITIONER]]).exists()

    # Sent back and submitted again: told again, once.
    due.refresh_from_db()
    monitoring_services.review_monitoring_return(
        actor=officer,
        monitoring_return=due,
        expected_version=due.version,
        data={"decision": "changes", "changes_requested": "Add the figures."},
    )
    due.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("public-funding:applicant-return", args=[due.pk]), good_return(due.award, due.version)
        )
    assert told.filter(recipient=officer).count() == 2
