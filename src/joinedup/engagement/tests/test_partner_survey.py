"""The annual partner survey of partnership working: answered once, anonymously, by signed-in partner
staff (never the public); next year's starts with the same questions; the years are compared question by
question with small numbers not shown, on a page and as CSV."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from joinedup.core.models import User
from joinedup.core.roles import Role
from joinedup.engagement import services
from joinedup.engagement.models import Answer, Audience, Consultation, Participation, QuestionKind, Response
from joinedup.engagement.tests.test_meetings import signed_in

pytestmark = pytest.mark.django_db
TODAY = date.today()
SCALE_Q = "Partners share information well"
CHOICE_Q = "Which partnership works best?"


def _survey(manager: User, opens: date, closes: date) -> Consultation:
    client = signed_in(manager)
    response = client.post(
        "/staff/consultations/new/",
        {
            "title": "Partnership working survey",
            "summary": "How well do we work together?",
            "area": "E23000099",
            "audience": Audience.PARTNERS,
            "opens_on_0": opens.day,
            "opens_on_1": opens.month,
            "opens_on_2": opens.year,
            "closes_on_0": closes.day,
            "closes_on_1": closes.month,
            "closes_on_2": closes.year,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    survey = Consultation.objects.latest("pk")
    services.save_question(
        actor=manager, consultation=survey, data={"text": SCALE_Q, "kind": QuestionKind.SCALE}
    )
    services.save_question(
        actor=manager,
        consultation=survey,
        data={"text": CHOICE_Q, "kind": QuestionKind.SINGLE, "options": "Community safety\nYouth justice"},
    )
    survey.refresh_from_db()
    return services.save_consultation(
        actor=manager, consultation=survey, expected_version=survey.version, data={"published": True}
    )


def _answers(survey: Consultation, scale: list[int], choices: list[str]) -> None:
    scale_q = survey.questions.get(text=SCALE_Q)
    choice_q = survey.questions.get(text=CHOICE_Q)
    for value in scale:
        Answer.objects.create(
            response=Response.objects.create(consultation=survey), question=scale_q, scale=value
        )
    for choice in choices:
        Answer.objects.create(
            response=Response.objects.create(consultation=survey), question=choice_q, choices=[choice]
        )


def test_partners_answer_once_anonymously_and_the_public_never_sees_it(
    users: dict[str, User], areas: Any
) -> None:
    survey = _survey(users[Role.OPCC_OFFICER], TODAY - timedelta(days=1), TODAY + timedelta(days=9))
    assert survey.audience == Audience.PARTNERS
    public = Client()
    assert "Partnership working survey" not in public.get("/consultations/").content.decode()
    assert public.get(f"/consultations/{survey.pk}/").status_code == 404
    assert public.get(f"/staff/consultations/{survey.pk}/answer/").status_code == 302  # to sign in

    practitioner = signed_in(users[Role.PRACTITIONER])
    url = f"/staff/consultations/{survey.pk}/answer/"
    page = practitioner.get(url).content.decode()
    assert SCALE_Q in page and "Your name" not in page and "Send my answers" in page
    scale_q = survey.questions.get(text=SCALE_Q)
    bad = practitioner.post(url, {f"q{scale_q.pk}": "9"})
    assert bad.status_code == 400 and "Choose a number from 1 to 5" in bad.content.decode()
    assert not Response.objects.filter(consultation=survey).exists()
    assert (
        practitioner.post(url, {f"q{scale_q.pk}": "4", "contact_name": "P. Ractitioner"}).status_code == 302
    )
    [response] = Response.objects.filter(consultation=survey)
    assert (response.contact_consent, response.contact_name, response.contact_email) == (False, "", "")
    assert Participation.objects.filter(consultation=survey, user=users[Role.PRACTITIONER]).count() == 1
    again = practitioner.get(url).content.decode()
    assert "You have answered this survey" in again and "Send my answers" not in again
    practitioner.post(url, {f"q{scale_q.pk}": "5"})
    with pytest.raises(ValidationError, match="already answered"):
        services.respond_as_partner(
            actor=users[Role.PRACTITIONER], consultation=survey, data={f"q{scale_q.pk}": "5"}
        )
    assert Response.objects.filter(consultation=survey).count() == 1
    # The Panel and auditors are not partner staff: not found.
    assert signed_in(users[Role.PANEL_MEMBER]).get(url).status_code in (403, 404)


def test_next_year_repeats_the_questions_and_the_years_are_compared(
    users: dict[str, User], areas: Any
) -> None:
    manager = users[Role.OPCC_OFFICER]
    last = _survey(manager, TODAY - timedelta(days=400), TODAY - timedelta(days=370))
    client = signed_in(manager)
    # The button is on the page, in its main content (it used to stand inside the page title).
    page = client.get(f"/staff/consultations/{last.pk}/").content.decode()
    main = page.split("<main", 1)[1].split("</main>", 1)[0]
    assert "Start next year's survey" in main and "Next year" not in page.split("</title>", 1)[0]
    assert client.post(f"/staff/consultations/{last.pk}/", {"step": "next-year"}).status_code == 302
    this = Consultation.objects.get(previous=last)
    assert [(q.text, q.kind, q.options) for q in this.questions.all()] == [
        (q.text, q.kind, q.options) for q in last.questions.all()
    ]
    assert this.opens_on.year == last.opens_on.year + 1 and not this.published
    refused = client.post(f"/staff/consultations/{last.pk}/", {"step": "next-year"})
    assert refused.status_code == 400 and "already been started" in refused.content.decode()

    # Last year: scale answered by 6 (mean 3.0), the choice by only 3 (not shown).
    _answers(last, [1, 2, 3, 3, 4, 5], ["Community safety", "Community safety", "Youth justice"])
    # This year: scale by 8 (mean 4.0), the choice by 5 (4 community safety = 80%).
    _answers(this, [3, 3, 4, 4, 4, 5, 5, 4], ["Community safety"] * 4 + ["Youth justice"])

    page = (
        signed_in(users[Role.ANALYST]).get(f"/staff/consultations/{this.pk}/year-on-year/").content.decode()
    )
    assert "8 answered this year, 6 last year" in page
    assert "4.0" in page and "3.0" in page
    assert "80.0% (4)" in page and "last year's figures not shown (fewer than 5)" in page
    assert "66.7% (2)" not in page  # last year's 2 of 3 is never shown

    response = signed_in(users[Role.ANALYST]).get(f"/staff/consultations/{this.pk}/year-on-year.csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    table = {(r[0], r[1]): r[2:] for r in rows[1:]}
    assert table[(SCALE_Q, "mean")][:3] == ["4.0", "", "3.0"]
    assert table[(SCALE_Q, "4")][:5] == ["4", "50.0", "1", "16.7", "33.3"]
    assert table[(CHOICE_Q, "Community safety")][:4] == ["4", "80.0", "", ""]
    assert "last year fewer than 5 answered" in table[(CHOICE_Q, "Community safety")][5]
    assert table[("all questions", "responses")][:3] == ["13", "", "9"]

    # A public consultation has no year-on-year page, and partner answers never count as community concern.
    from joinedup.engagement.selectors import concern_evidence

    choice = this.questions.get(text=CHOICE_Q)
    choice.option_crime_types = {"Community safety": "Burglary"}
    choice.save()
    this.published = True
    this.save()
    found = concern_evidence(areas["pfa"], TODAY - timedelta(days=800), TODAY, {"b": ["Burglary"]})
    assert found["responses"] == 0


def test_the_results_of_a_question_few_partners_answered_are_not_shown(
    users: dict[str, User], areas: Any
) -> None:
    """The partner survey's own results page and CSV, as for the year-on-year comparison: a question fewer
    than five answered shows how many answered and no counts, shares or mean."""
    manager = users[Role.OPCC_OFFICER]
    survey = _survey(manager, TODAY - timedelta(days=3), TODAY + timedelta(days=9))
    _answers(survey, [1, 2, 3, 3, 4, 5], ["Community safety", "Community safety", "Youth justice"])
    page = signed_in(manager).get(f"/staff/consultations/{survey.pk}/results/").content.decode()
    assert "6 answered; average 3.0 out of 5" in page  # the scale: six answered, shown
    assert "3 answered, fewer than 5: the figures are not shown" in page
    choice_section = page.split(CHOICE_Q, 1)[1]
    assert "%" not in choice_section.split("</main>", 1)[0]  # no share of the three, nor a bar
    assert "Community safety" not in choice_section.split("</main>", 1)[0]

    response = signed_in(manager).get(f"/staff/consultations/{survey.pk}/results.csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    choice = {r[1]: r for r in rows[1:] if r[0] == CHOICE_Q}
    assert choice["Community safety"][2:5] == ["", "", "3"]  # count and share empty; 3 answered
    scale = {r[1]: r for r in rows[1:] if r[0] == SCALE_Q}
    assert scale["3"][2:4] == ["2", "33.3"] and scale["mean"][2] == "3.0"


def test_an_open_survey_is_in_your_work_until_you_answer_it(users: dict[str, User], areas: Any) -> None:
    from joinedup.core.tests.factories import UserFactory, area_tree

    survey = _survey(users[Role.OPCC_OFFICER], TODAY - timedelta(days=1), TODAY + timedelta(days=9))
    later = _survey(users[Role.OPCC_OFFICER], TODAY - timedelta(days=1), TODAY + timedelta(days=60))
    later.title = "Next quarter's survey"
    later.save()
    item = "Answer the partner survey: Partnership working survey"
    practitioner = signed_in(users[Role.PRACTITIONER])
    work = practitioner.get("/staff/your-work/").content.decode()
    assert item in work and f"/staff/consultations/{survey.pk}/answer/" in work
    assert "Next quarter" not in work  # due beyond the two weeks Your work looks ahead
    for role in (Role.PANEL_MEMBER, Role.AUDITOR):  # not partner staff: never asked
        assert item not in signed_in(users[role]).get("/staff/your-work/").content.decode()
    far = area_tree(force=8, name="Farshire")
    stranger = UserFactory(role=Role.PRACTITIONER, areas=[far["pfa"]])
    assert item not in signed_in(stranger).get("/staff/your-work/").content.decode()

    scale_q = survey.questions.get(text=SCALE_Q)
    answered = practitioner.post(f"/staff/consultations/{survey.pk}/answer/", {f"q{scale_q.pk}": "4"})
    assert answered.status_code == 302
    assert item not in practitioner.get("/staff/your-work/").content.decode()
    assert item in signed_in(users[Role.CSP_MANAGER]).get("/staff/your-work/").content.decode()
