"""The team running a meeting or a consultation links its priorities and choices to crime types, so the
strategic assessment can take community concern from them (docs/adr/0031)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from joinedup.core.models import User
from joinedup.core.roles import Role
from joinedup.engagement import services
from joinedup.engagement.models import Consultation, Question, QuestionKind
from joinedup.engagement.tests.test_meetings import meeting as meeting  # the fixture, re-exported
from joinedup.engagement.tests.test_meetings import signed_in

pytestmark = pytest.mark.django_db


def test_a_meetings_priorities_are_linked_to_crime_types(users: dict[str, User], meeting: Any) -> None:
    client = signed_in(users[Role.CSP_MANAGER])
    url = f"/staff/consultations/meetings/{meeting.pk}/"
    page = client.get(url).content.decode()
    assert "Crime types of the priorities" in page
    drugs, litter, speeding = (
        meeting.priorities.get(title__startswith=t) for t in ("Drug", "Litter", "Speed")
    )
    refused = client.post(
        url, {"step": "crime-types", f"crime-{drugs.pk}": "Drugs", f"crime-{litter.pk}": "Fly-tipping"}
    )
    assert refused.status_code == 400
    assert "Choose a crime type from the list for “Litter”." in refused.content.decode()
    drugs.refresh_from_db()
    assert drugs.crime_type == ""  # nothing saved while a problem remains
    saved = client.post(
        url,
        {
            "step": "crime-types",
            f"crime-{drugs.pk}": "Drugs",
            f"crime-{litter.pk}": "",
            f"crime-{speeding.pk}": "",
        },
    )
    assert saved.status_code == 302
    drugs.refresh_from_db()
    assert drugs.crime_type == "Drugs"
    assert '<option value="Drugs" selected>' in client.get(url).content.decode()
    # A reader who does not run the meeting cannot change it.
    assert (
        signed_in(users[Role.ANALYST]).post(url, {"step": "crime-types", f"crime-{drugs.pk}": ""}).status_code
        == 404
    )
    drugs.refresh_from_db()
    assert drugs.crime_type == "Drugs"


def test_a_consultations_choices_are_linked_to_crime_types(users: dict[str, User], areas: Any) -> None:
    manager = users[Role.CSP_MANAGER]
    consultation = services.save_consultation(
        actor=manager,
        data={
            "title": "North Testshire priorities",
            "summary": "What worries you?",
            "area": "E22000901",
            "opens_on": date.today().isoformat(),
            "closes_on": (date.today() + timedelta(days=9)).isoformat(),
        },
    )
    question = services.save_question(
        actor=manager,
        consultation=consultation,
        data={
            "text": "What worries you most?",
            "kind": QuestionKind.SINGLE,
            "options": "Break-ins\nSpeeding",
        },
    )
    services.save_question(
        actor=manager, consultation=consultation, data={"text": "Anything else?", "kind": QuestionKind.TEXT}
    )
    client = signed_in(manager)
    url = f"/staff/consultations/{consultation.pk}/"
    page = client.get(url).content.decode()
    assert "Crime types of the choices" in page and f'id="crime-{question.pk}-1"' in page
    # Once, in the page's main content (it used to stand three times, once inside the page title).
    main = page.split("<main", 1)[1].split("</main>", 1)[0]
    assert page.count('id="crime-types"') == 1 and 'id="crime-types"' in main
    title = page.split("<title>", 1)[1].split("</title>", 1)[0]
    assert "<" not in title and "North Testshire priorities" in title
    refused = client.post(url, {f"crime-{question.pk}-1": "Burglary", f"crime-{question.pk}-2": "Speeding"})
    assert refused.status_code == 400
    assert "Choose a crime type from the list for “Speeding”." in refused.content.decode()
    question.refresh_from_db()
    assert question.option_crime_types == {}
    assert client.post(url, {f"crime-{question.pk}-1": "Burglary"}).status_code == 302
    question.refresh_from_db()
    assert question.option_crime_types == {"Break-ins": "Burglary"}
    assert '<option value="Burglary" selected>' in client.get(url).content.decode()
    reader = signed_in(users[Role.ANALYST])
    assert reader.post(url, {f"crime-{question.pk}-1": ""}).status_code == 404
    assert "Crime types of the choices" not in reader.get(url).content.decode()


def test_links_refuse_a_choice_the_question_does_not_have(users: dict[str, User], areas: Any) -> None:
    consultation = Consultation.objects.create(
        title="T",
        summary="S",
        area=areas["north"],
        organisation=users[Role.CSP_MANAGER].organisation,
        opens_on=date.today(),
        closes_on=date.today(),
    )
    question = Question.objects.create(
        consultation=consultation, text="Q", kind=QuestionKind.MULTIPLE, options=["A", "B"]
    )
    with pytest.raises(ValidationError, match="is not a choice"):
        services.link_choice_crime_types(
            actor=users[Role.CSP_MANAGER], consultation=consultation, links={question.pk: {"C": "Drugs"}}
        )
