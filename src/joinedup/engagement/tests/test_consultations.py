"""Consultations and surveys: set up by the OPCC or a CSP, answered by the public, moderated, published.

Each test is written as someone trying to break a promise: every problem listed at once and nothing saved,
a closed consultation refusing answers, comments unseen until approved, contact details kept to those who
run the consultation (and audited), another force's consultation not found."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from joinedup.core.models import Area, AreaLevel, AuditEvent, EventType, User
from joinedup.core.roles import Role
from joinedup.core.services.errors import NotAllowed
from joinedup.core.tests.factories import AreaFactory, UserFactory
from joinedup.engagement import selectors, services
from joinedup.engagement.models import Answer, Consultation, Moderation, QuestionKind, Response

TODAY = date.today()


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def survey(users: dict[str, User], areas: dict[str, Area]) -> dict[str, Any]:
    """An open, published consultation for North Testshire with one question of each kind."""
    manager = users[Role.CSP_MANAGER]
    consultation = services.save_consultation(
        actor=manager,
        data={
            "title": "North Testshire priorities",
            "summary": "Which problems should we tackle first?",
            "area": "E22000901",
            "opens_on": (TODAY - timedelta(days=1)).isoformat(),
            "closes_on": (TODAY + timedelta(days=20)).isoformat(),
        },
    )
    make = lambda **data: services.save_question(actor=manager, consultation=consultation, data=data)  # noqa: E731
    questions = {
        "single": make(
            text="What worries you most?",
            kind="single",
            options="Speeding\nDrug dealing\nLitter",
            required=True,
        ),
        "multiple": make(text="Where?", kind="multiple", options="Town centre\nParks\nEstates"),
        "scale": make(text="I feel safe after dark", kind="scale"),
        "text": make(text="Anything else?", kind="text"),
    }
    consultation.refresh_from_db()
    consultation = services.save_consultation(
        actor=manager,
        consultation=consultation,
        expected_version=consultation.version,
        data={"published": True},
    )
    return {"consultation": consultation, "q": questions, "manager": manager}


def answers(survey: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    q = survey["q"]
    data = {
        f"q{q['single'].pk}": "Speeding",
        f"q{q['multiple'].pk}": ["Parks", "Town centre"],
        f"q{q['scale'].pk}": "2",
        f"q{q['text'].pk}": "Cars race past the school at 3pm.",
    }
    data.update(overrides)
    return data


def url(consultation: Consultation, suffix: str = "") -> str:
    return f"/consultations/{consultation.pk}/{suffix}"


def test_a_consultation_with_every_problem_lists_them_all_and_saves_nothing(
    users: dict[str, User], areas: Any
) -> None:
    with pytest.raises(ValidationError) as caught:
        services.save_consultation(
            actor=users[Role.OPCC_OFFICER],
            data={
                "area": "E99999999",
                "opens_on": "2027-02-10",
                "closes_on": "2027-01-10",
                "published": True,
            },
        )
    problems = caught.value.message_dict
    assert set(problems) == {"title", "summary", "area", "closes_on", "published"}
    assert "before the opening date" in problems["closes_on"][0]
    assert "at least one question" in problems["published"][0]
    assert not Consultation.objects.exists()


def test_a_csp_manager_runs_consultations_for_their_csp_only(users: dict[str, User], areas: Any) -> None:
    data = {
        "title": "Force-wide precept",
        "summary": "The precept.",
        "opens_on": "2027-01-04",
        "closes_on": "2027-02-01",
    }
    with pytest.raises(ValidationError) as caught:
        services.save_consultation(actor=users[Role.CSP_MANAGER], data={**data, "area": "E23000099"})
    assert caught.value.message_dict["area"] == ["You do not run consultations for Testshire."]
    with pytest.raises(ValidationError):
        services.save_consultation(actor=users[Role.CSP_MANAGER], data={**data, "area": "E22000902"})
    with pytest.raises(NotAllowed):
        services.save_consultation(actor=users[Role.ANALYST], data={**data, "area": "E22000901"})
    made = services.save_consultation(actor=users[Role.OPCC_OFFICER], data={**data, "area": "E23000099"})
    assert made.organisation_id == users[Role.OPCC_OFFICER].organisation_id


def test_questions_are_checked_and_fixed_once_people_respond(survey: dict[str, Any]) -> None:
    consultation, manager = survey["consultation"], survey["manager"]
    with pytest.raises(ValidationError) as caught:
        services.save_question(
            actor=manager,
            consultation=consultation,
            data={"text": "", "kind": "single", "options": "Only one\n"},
        )
    assert set(caught.value.message_dict) == {"text", "options"}
    with pytest.raises(ValidationError) as caught:
        services.save_question(
            actor=manager,
            consultation=consultation,
            data={"text": "Pick", "kind": "multiple", "options": "A\nB\nA"},
        )
    assert "A is repeated" in caught.value.message_dict["options"][0]
    with pytest.raises(ValidationError) as caught:
        services.save_question(
            actor=manager,
            consultation=consultation,
            data={"text": "Rate", "kind": "scale", "options": "X\nY"},
        )
    assert "Only choose-one and choose-any" in caught.value.message_dict["options"][0]

    services.respond(consultation=consultation, data=answers(survey))
    with pytest.raises(ValidationError) as caught:
        services.save_question(
            actor=manager, consultation=consultation, data={"text": "Late", "kind": "text"}
        )
    assert "no longer change" in caught.value.message_dict["__all__"][0]


def test_the_public_see_every_problem_with_their_answers_at_once_and_nothing_is_saved(
    survey: dict[str, Any],
) -> None:
    q = survey["q"]
    bad = answers(
        survey,
        **{f"q{q['single'].pk}": "", f"q{q['multiple'].pk}": ["Parks", "Mars"], f"q{q['scale'].pk}": "9"},
        contact_consent="on",
        contact_email="not-an-email",
    )
    response = Client().post(url(survey["consultation"]), bad)
    assert response.status_code == 400
    page = response.content.decode()
    for message in (
        "Answer “What worries you most?”.",
        "Choose only from the answers given to “Where?”.",
        "Choose a number from 1 to 5 for “I feel safe after dark”.",
        "Enter your name, or do not ask to be contacted.",
        "Enter an email address like name@example.com.",
    ):
        assert message in page, message
    assert "Cars race past the school" in page  # what they typed is kept
    assert not Response.objects.exists() and not Answer.objects.exists()


def test_a_rule_only_the_saving_service_catches_shows_the_form_again_and_saves_nothing(
    survey: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Answers the form and its checks accept, refused only part-way through the save: the form comes back
    (400) with the service's message and the answers typed, and what the save had written is undone."""

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise ValidationError({"__all__": ["These answers could not be recorded just now."]})

    monkeypatch.setattr(Answer.objects, "bulk_create", refuse)  # after the Response row is written
    response = Client().post(url(survey["consultation"]), answers(survey))
    assert response.status_code == 400
    page = response.content.decode()
    assert "These answers could not be recorded just now." in page
    assert "Cars race past the school" in page
    assert not Response.objects.exists() and not Answer.objects.exists()


def test_an_answer_is_recorded_anonymously_and_its_comment_waits_for_moderation(
    survey: dict[str, Any],
) -> None:
    response = Client().post(url(survey["consultation"]), answers(survey))
    assert response.status_code == 302 and response["Location"] == url(survey["consultation"], "thank-you/")
    saved = Response.objects.get()
    assert not saved.contact_consent and saved.contact_name == "" and saved.contact_email == ""
    by_kind = {a.question.kind: a for a in saved.answers.select_related("question")}
    assert by_kind[QuestionKind.MULTIPLE].choices == ["Town centre", "Parks"]  # in the question's order
    assert by_kind[QuestionKind.SCALE].scale == 2
    assert by_kind[QuestionKind.TEXT].moderation == Moderation.PENDING


def test_a_closed_consultation_refuses_answers_with_a_clear_message(survey: dict[str, Any]) -> None:
    consultation = survey["consultation"]
    Consultation.objects.filter(pk=consultation.pk).update(
        opens_on=TODAY - timedelta(days=30), closes_on=TODAY - timedelta(days=1)
    )
    page = Client().get(url(consultation)).content.decode()
    assert "closed on" in page and "Send my answers" not in page
    refused = Client().post(url(consultation), answers(survey))
    assert refused.status_code == 400
    assert (
        f"closed on {TODAY - timedelta(days=1):%-d %B %Y}: it takes no more responses"
        in refused.content.decode()
    )
    assert not Response.objects.exists()


def test_drafts_and_consultations_not_yet_open_are_not_found_by_the_public(survey: dict[str, Any]) -> None:
    consultation = survey["consultation"]
    Consultation.objects.filter(pk=consultation.pk).update(
        opens_on=TODAY + timedelta(days=2), closes_on=TODAY + timedelta(days=9)
    )
    assert Client().get(url(consultation)).status_code == 404
    Consultation.objects.filter(pk=consultation.pk).update(opens_on=TODAY, published=False)
    assert Client().get(url(consultation)).status_code == 404
    assert consultation.title not in Client().get("/consultations/").content.decode()
    assert Client().get(url(consultation, "results/")).status_code == 404


def test_results_publish_only_approved_comments_and_count_correctly(survey: dict[str, Any]) -> None:
    consultation, manager, q = survey["consultation"], survey["manager"], survey["q"]
    services.respond(consultation=consultation, data=answers(survey))
    services.respond(
        consultation=consultation,
        data=answers(
            survey,
            **{
                f"q{q['single'].pk}": "Litter",
                f"q{q['multiple'].pk}": "Parks",
                f"q{q['scale'].pk}": "5",
                f"q{q['text'].pk}": "Jo Bloggs at number 4 is the problem",
            },
        ),
    )
    services.respond(consultation=consultation, data={f"q{q['single'].pk}": "Speeding"})
    comments = {a.text: a.pk for a in selectors.pending_comments(consultation)}
    services.moderate(
        actor=manager,
        consultation=consultation,
        decisions={
            comments["Cars race past the school at 3pm."]: Moderation.APPROVED,
            comments["Jo Bloggs at number 4 is the problem"]: Moderation.REJECTED,
        },
    )
    Consultation.objects.filter(pk=consultation.pk).update(results_published=True)

    public = Client().get(url(consultation, "results/")).content.decode()
    assert "Cars race past the school at 3pm." in public and "Jo Bloggs" not in public
    download = Client().get(url(consultation, "results.csv"))
    rows = list(csv.reader(io.StringIO(b"".join(download.streaming_content).decode("utf-8-sig"))))
    table = {(r[0], r[1]): r[2:] for r in rows[1:]}
    assert table[("What worries you most?", "Speeding")] == ["2", "66.7", "3", "3"]
    assert table[("What worries you most?", "Litter")] == ["1", "33.3", "3", "3"]
    assert table[("Where?", "Parks")] == ["2", "100.0", "2", "3"]  # of the two who answered it
    assert table[("I feel safe after dark", "mean")] == ["3.5", "", "2", "3"]
    assert table[("Anything else?", "comments published")][0] == "1"

    # The team running it sees every comment, with the count withheld.
    staff = signed_in(manager).get(f"/staff/consultations/{consultation.pk}/results/").content.decode()
    assert "Jo Bloggs" in staff and "1 not published" in staff


def test_the_contacts_page_looks_its_consultation_up_once_and_hides_one_run_by_others(
    survey: dict[str, Any], users: dict[str, User], areas: dict[str, Area], monkeypatch: pytest.MonkeyPatch
) -> None:
    consultation = survey["consultation"]
    services.respond(
        consultation=consultation,
        data=answers(
            survey, contact_consent="on", contact_name="Sam Resident", contact_email="sam@example.org"
        ),
    )
    looked_up = []
    get_consultation = selectors.get_consultation

    def counting(*args: Any, **kwargs: Any) -> Consultation:
        looked_up.append(args)
        return get_consultation(*args, **kwargs)

    monkeypatch.setattr(selectors, "get_consultation", counting)
    contacts = f"/staff/consultations/{consultation.pk}/contacts/"
    page = signed_in(survey["manager"]).get(contacts).content.decode()
    # The rows and the caption above the heading come from the one look-up.
    assert (
        "Sam Resident" in page and '<span class="govuk-caption-l">North Testshire priorities</span>' in page
    )
    assert len(looked_up) == 1
    viewed = AuditEvent.objects.filter(
        event_type=EventType.PERSONAL_RECORD_VIEWED, object_id=str(consultation.pk)
    )
    assert viewed.count() == 1
    # A CSP manager who may read contacts, but of another CSP, finds no such page, and nothing is read.
    other = UserFactory(role=Role.CSP_MANAGER, areas=[areas["south"]], email="south.manager@example.org")
    assert signed_in(other).get(contacts).status_code == 404
    assert signed_in(other).get(contacts, {"format": "csv"}).status_code == 404
    assert viewed.count() == 1


def test_contact_details_are_for_the_team_only_and_every_read_is_audited(
    survey: dict[str, Any], users: dict[str, User]
) -> None:
    consultation = survey["consultation"]
    services.respond(
        consultation=consultation,
        data=answers(
            survey, contact_consent="on", contact_name="Sam Resident", contact_email="Sam@Example.org"
        ),
    )
    contacts = f"/staff/consultations/{consultation.pk}/contacts/"
    page = signed_in(survey["manager"]).get(contacts).content.decode()
    assert "Sam Resident" in page and "sam@example.org" in page
    assert (
        AuditEvent.objects.filter(
            event_type=EventType.PERSONAL_RECORD_VIEWED, object_id=str(consultation.pk)
        ).count()
        == 1
    )
    for role in (Role.ANALYST, Role.PANEL_MEMBER, Role.AUDITOR, Role.PRACTITIONER):
        assert signed_in(users[role]).get(contacts).status_code == 404, role
        assert signed_in(users[role]).get(contacts, {"format": "csv"}).status_code == 404, role
    download = signed_in(survey["manager"]).get(contacts, {"format": "csv"})
    lines = b"".join(download.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0] == "Name,Email,Responded" and lines[1].startswith("Sam Resident,sam@example.org,")
    assert len(lines) == 2
    # The download is a read of the contact details too, and is audited as one.
    audited = AuditEvent.objects.filter(object_id=str(consultation.pk))
    assert audited.filter(event_type=EventType.PERSONAL_RECORD_VIEWED).count() == 2
    assert (
        AuditEvent.objects.filter(event_type=EventType.EXPORT, object_type="engagement.response").count() == 1
    )
    Consultation.objects.filter(pk=consultation.pk).update(results_published=True)
    for path in (
        url(consultation, "results/"),
        url(consultation, "results.csv"),
        f"/staff/consultations/{consultation.pk}/results/",
        f"/staff/consultations/{consultation.pk}/results.csv",
    ):
        client = signed_in(users[Role.ANALYST]) if path.startswith("/staff") else Client()
        response = client.get(path)
        body = (b"".join(response.streaming_content) if response.streaming else response.content).decode()
        assert "Sam" not in body and "example.org" not in body, path


def test_another_force_does_not_find_the_consultation(survey: dict[str, Any]) -> None:
    other_force = AreaFactory(code="E23000098", name="Otherland", level=AreaLevel.PFA)
    outsider = UserFactory(role=Role.OPCC_OFFICER, areas=[other_force])
    consultation = survey["consultation"]
    client = signed_in(outsider)
    assert client.get(f"/staff/consultations/{consultation.pk}/").status_code == 404
    assert client.get(f"/staff/consultations/{consultation.pk}/results.csv").status_code == 404
    assert consultation.title not in client.get("/staff/consultations/").content.decode()


def test_a_honeypot_or_too_many_answers_from_one_address_save_nothing_more(survey: dict[str, Any]) -> None:
    consultation = survey["consultation"]
    trapped = Client().post(url(consultation), answers(survey, website="http://spam.example"))
    assert trapped.status_code == 400 and not Response.objects.exists()
    client = Client(REMOTE_ADDR="203.0.113.5")
    for _ in range(30):
        assert client.post(url(consultation), answers(survey)).status_code == 302
    limited = client.post(url(consultation), answers(survey))
    assert limited.status_code == 429 and "Too many responses" in limited.content.decode()
    assert Response.objects.count() == 30
    assert Client(REMOTE_ADDR="198.51.100.1").post(url(consultation), answers(survey)).status_code == 302


def test_results_take_the_same_few_queries_however_many_questions_and_answers(survey: dict[str, Any]) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    consultation, manager = survey["consultation"], survey["manager"]

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            selectors.results(consultation, all_comments=True)
        return len(captured)

    before = queries()
    bigger = services.save_consultation(
        actor=manager,
        data={
            "title": "Bigger",
            "summary": "More questions.",
            "area": "E22000901",
            "opens_on": TODAY.isoformat(),
            "closes_on": (TODAY + timedelta(days=5)).isoformat(),
        },
    )
    for n in range(3):
        for kind in ("single", "multiple", "scale", "text"):
            options = "A\nB\nC" if kind in ("single", "multiple") else ""
            services.save_question(
                actor=manager,
                consultation=bigger,
                data={"text": f"{kind} {n}", "kind": kind, "options": options},
            )
    consultation = bigger
    assert queries() == before
    for _ in range(5):
        services.respond(consultation=survey["consultation"], data=answers(survey))
    consultation = survey["consultation"]
    assert queries() == before


def test_a_welsh_reader_reads_and_answers_a_consultation_in_welsh(survey: dict[str, Any]) -> None:
    from joinedup.portal.tests.test_welsh import welsh_date, welsh_reader

    consultation = survey["consultation"]
    reader = welsh_reader(url(consultation))  # chosen on the consultation's own page, and back to it
    page = reader.get(url(consultation)).content.decode()
    assert '<html lang="cy"' in page
    assert f"Ar agor tan {welsh_date(consultation.closes_on)}." in page  # the date in Welsh too
    assert "Anfon fy atebion" in page and "Pob ymgynghoriad" in page
    assert "Gallwch gysylltu â mi am fy atebion" in page
    assert "Anything else? (dewisol)" in page  # the question is the council's own words
    assert "Send my answers" not in page

    listing = reader.get("/consultations/").content.decode()
    assert "Ymgyngoriadau ac arolygon" in listing and "Ar agor nawr" in listing
    assert f"Yn cau {welsh_date(consultation.closes_on)}." in listing

    # Problems with the answers, in Welsh (the form's CSRF token is the page's).
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token is not None
    q = survey["q"]
    refused = reader.post(
        url(consultation),
        {"csrfmiddlewaretoken": token.group(1), f"q{q['scale'].pk}": "9", "contact_consent": "on"},
    )
    assert refused.status_code == 400
    errors = refused.content.decode()
    assert "<title>Gwall: North Testshire priorities " in errors
    assert "Mae problem" in errors
    assert "Atebwch “What worries you most?”." in errors
    assert "Dewiswch rif o 1 i 5 ar gyfer “I feel safe after dark”." in errors
    assert "Rhowch eich enw, neu peidiwch â gofyn i ni gysylltu â chi." in errors
    assert not Response.objects.exists()


def test_every_question_shows_its_options_to_choose_without_javascript(survey: dict[str, Any]) -> None:
    """The page as a resident's browser gets it: a radio for each choice of a choose-one question and each
    point of a scale, a check box for each choice of a choose-any question (the choose-one and scale
    questions used to be drawn with no options at all)."""
    page = Client().get(url(survey["consultation"])).content.decode()
    q = survey["q"]

    def inputs(kind: str, question: Any) -> list[str]:
        return re.findall(rf'<input\s[^>]*type="{kind}"[^>]*name="q{question.pk}"[^>]*value="([^"]*)"', page)

    assert inputs("radio", q["single"]) == ["Speeding", "Drug dealing", "Litter"]
    assert inputs("radio", q["scale"]) == ["1", "2", "3", "4", "5"]
    assert inputs("checkbox", q["multiple"]) == ["Town centre", "Parks", "Estates"]
    # An answer that is not one of the choices is still refused by the service, in its own words.
    refused = Client().post(
        url(survey["consultation"]), answers(survey, **{f"q{q['single'].pk}": "Fireworks"})
    )
    assert refused.status_code == 400 and not survey["consultation"].responses.exists()
