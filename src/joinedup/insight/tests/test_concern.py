"""Community concern in the prioritisation matrix taken from engagement (docs/adr/0031): votes in
neighbourhood meetings and answers to consultations in the assessment's area and period, counted against a
hand count; too little engagement refuses; the analyst chooses it or types their own; the source is shown."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from joinedup.core.models import Area, User
from joinedup.core.roles import Role
from joinedup.core.services.tokens import create_token
from joinedup.core.tests.factories import OrganisationFactory, area_tree
from joinedup.engagement.models import (
    Answer,
    Consultation,
    MeetingPriority,
    NeighbourhoodMeeting,
    PriorityVote,
    Question,
    QuestionKind,
    Response,
)
from joinedup.insight import selectors
from joinedup.insight.models import SavedAssessment
from joinedup.insight.priorities import concern_score
from joinedup.insight.tests.test_saved import SAVED, _save
from joinedup.insight.tests.test_views import store as store  # the fixture, re-exported

pytestmark = pytest.mark.django_db

_serial = itertools.count()
BURGLARY, ASB, VIOLENCE = "Burglary", "Anti-social behaviour", "Violence and sexual offences"


def meeting(
    area: Area, held_on: date, priorities: dict[str, tuple[str, int, int, int]], *, published: bool = True
) -> NeighbourhoodMeeting:
    """A meeting whose priorities are {title: (crime type, confirmed online, unconfirmed online, paper)}."""
    made = NeighbourhoodMeeting.objects.create(
        title=f"{area.name} meeting {held_on:%B %Y}",
        area=area,
        organisation=OrganisationFactory(),
        held_on=held_on,
        place="The library",
        voting_closes_on=held_on,
        published=published,
    )
    for order, (title, (crime_type, confirmed, unconfirmed, paper)) in enumerate(priorities.items(), 1):
        priority = MeetingPriority.objects.create(
            meeting=made, order=order, title=title, crime_type=crime_type, paper_votes=paper
        )
        for n in range(confirmed + unconfirmed):
            PriorityVote.objects.create(
                meeting=made,
                priority=priority,
                voter_hash=f"voter-{next(_serial)}",
                key_hash=f"key-{next(_serial)}",
                confirmed_at=datetime(held_on.year, held_on.month, held_on.day, tzinfo=UTC)
                if n < confirmed
                else None,
            )
    return made


def consultation(
    area: Area, answers: dict[str, int], submitted: date, *, published: bool = True
) -> Consultation:
    """A consultation with one choose-one question (Break-ins: burglary, Rowdy groups: ASB, Speeding: none)
    answered {choice: times}, every respondent having agreed to be contacted, and a free-text question."""
    made = Consultation.objects.create(
        title=f"{area.name} survey {submitted:%Y}",
        summary="What worries you?",
        area=area,
        organisation=OrganisationFactory(),
        opens_on=submitted,
        closes_on=submitted,
        published=published,
    )
    question = Question.objects.create(
        consultation=made,
        text="What worries you most?",
        kind=QuestionKind.SINGLE,
        options=["Break-ins", "Rowdy groups", "Speeding"],
        option_crime_types={"Break-ins": BURGLARY, "Rowdy groups": ASB},
    )
    comment = Question.objects.create(
        consultation=made, order=2, text="Anything else?", kind=QuestionKind.TEXT
    )
    for choice, times in answers.items():
        for _ in range(times):
            response = Response.objects.create(
                consultation=made,
                submitted_at=datetime(submitted.year, submitted.month, submitted.day, 12, tzinfo=UTC),
                contact_consent=True,
                contact_name="A Resident",
                contact_email="resident@example.org",
            )
            Answer.objects.create(response=response, question=question, choices=[choice])
            Answer.objects.create(response=response, question=comment, text="Burglary, burglary, burglary")
    return made


@pytest.fixture
def record(client_for: Callable[[str], Client], store: Any) -> SavedAssessment:
    """North Testshire's assessment of 2023, saved: candidates ASB, burglary, and violence."""
    return _save(client_for(Role.ANALYST))


@pytest.fixture
def engagement(areas: dict[str, Area]) -> dict[str, Any]:
    """What counts for North Testshire in 2023, and what must not.

    Counted (58 responses): meeting A in a North Testshire neighbourhood, March 2023: break-ins (burglary)
    12 confirmed + 5 paper, speeding (none) 10 confirmed, drug dealing (drugs) 3 paper; 4 unconfirmed
    votes for break-ins. Meeting B for the CSP, June 2023: the park (ASB) 2 confirmed + 8 paper, burglary
    3 confirmed. Survey C of the CSP, May 2023: break-ins 6, rowdy groups 4, speeding 5.
    Hand count: burglary 17 + 3 + 6 = 26 of 58 (44.8%), ASB 10 + 4 = 14 of 58 (24.1%), violence 0."""
    north_lsoa = areas["E01900001"]
    found = {
        "a": meeting(
            north_lsoa,
            date(2023, 3, 10),
            {
                "Break-ins": (BURGLARY, 12, 4, 5),
                "Speeding": ("", 10, 0, 0),
                "Drug dealing": ("Drugs", 0, 0, 3),
            },
        ),
        "b": meeting(
            areas["north"], date(2023, 6, 1), {"The park": (ASB, 2, 0, 8), "Burglary": (BURGLARY, 3, 0, 0)}
        ),
        "c": consultation(
            areas["north"], {"Break-ins": 6, "Rowdy groups": 4, "Speeding": 5}, date(2023, 5, 2)
        ),
    }
    # Never counted: an unpublished meeting, another CSP's, another year's, an unpublished survey, a
    # response to survey C outside the period, and another force area's meeting.
    meeting(north_lsoa, date(2023, 4, 1), {"Burglary": (BURGLARY, 50, 0, 50)}, published=False)
    meeting(areas["south"], date(2023, 4, 1), {"Burglary": (BURGLARY, 50, 0, 50)})
    meeting(north_lsoa, date(2024, 2, 1), {"Burglary": (BURGLARY, 50, 0, 50)})
    consultation(areas["north"], {"Break-ins": 40}, date(2023, 7, 1), published=False)
    late = Response.objects.create(consultation=found["c"], submitted_at=datetime(2024, 1, 2, tzinfo=UTC))
    Answer.objects.create(response=late, question=found["c"].questions.get(order=1), choices=["Break-ins"])
    farshire = area_tree(force=8, name="Farshire")
    meeting(farshire["north"], date(2023, 4, 1), {"Burglary": (BURGLARY, 100, 0, 100)})
    return found


def test_the_rule_in_whole_numbers() -> None:
    # On 1 to 5: 1 below 10%, 2 from 10%, 3 from 20%, 4 from 30%, 5 from 40%.
    assert [concern_score(m, 100, 5) for m in (0, 9, 10, 19, 20, 29, 30, 39, 40, 100)] == [
        1, 1, 2, 2, 3, 3, 4, 4, 5, 5,
    ]  # fmt: skip
    assert concern_score(26, 58, 5) == 5 and concern_score(14, 58, 5) == 3
    assert concern_score(10, 29, 5) is None and concern_score(0, 30, 5) == 1
    assert [concern_score(m, 30, 3) for m in (0, 5, 6, 11, 12)] == [1, 1, 2, 2, 3]


def test_derived_scores_match_the_hand_count_and_read_no_personal_data(
    record: SavedAssessment, engagement: dict[str, Any]
) -> None:
    with CaptureQueriesContext(connection) as queries:
        derived = selectors.engagement_concern(record)
    sql = " ".join(q["sql"] for q in queries.captured_queries).lower()
    assert "contact_email" not in sql and "contact_name" not in sql and "voter_hash" not in sql
    assert {key: (d["mapped"], d["responses"], d["score"]) for key, d in derived.items()} == {
        BURGLARY: (26, 58, 5),
        ASB: (14, 58, 3),
        VIOLENCE: (0, 58, 1),
    }
    burglary = derived[BURGLARY]
    assert burglary["share_pct"] == 44.8
    assert burglary["summary"] == "from 2 meetings and 1 consultation, 58 responses, Jan\N{EN DASH}Dec 2023"
    assert [(m["id"], m["responses"]) for m in burglary["meetings"]] == [
        (engagement["a"].pk, 30),
        (engagement["b"].pk, 13),
    ]
    assert [(c["id"], c["responses"]) for c in burglary["consultations"]] == [(engagement["c"].pk, 15)]


def test_the_analyst_takes_it_from_engagement_and_the_matrix_shows_the_source(
    client_for: Callable[[str], Client], record: SavedAssessment, engagement: dict[str, Any]
) -> None:
    client = client_for(Role.ANALYST)
    form = client.get(f"{SAVED}{record.pk}/priorities/").content.decode()
    keys = list(record.priorities.values_list("key", flat=True))
    burglary, asb = keys.index(BURGLARY), keys.index(ASB)
    assert "Use 5 from engagement" in form and "26 of 58 responses (44.8%)" in form
    assert "at least 30 are needed" not in form and "scores 1, plus 1 for each 10%" in form
    response = client.post(
        f"{SAVED}{record.pk}/priorities/",
        {
            "version": record.version,
            f"p{burglary}-concern": "",
            f"p{burglary}-concern_from_engagement": "yes",
            f"p{asb}-concern": "1",  # the typed score is ignored when engagement is chosen
            f"p{asb}-concern_from_engagement": "yes",
        },
    )
    assert response.status_code == 302
    saved = {p.key: p for p in record.priorities.all()}
    assert (saved[BURGLARY].concern, saved[ASB].concern) == (5, 3)
    assert saved[BURGLARY].concern_source["mapped"] == 26

    page = client.get(f"{SAVED}{record.pk}/").content.decode()
    source = f'/staff/insight/saved/{record.pk}/community-concern/#concern-burglary">'
    assert source + "from 2 meetings and 1 consultation, 58 responses, Jan\N{EN DASH}Dec 2023</a>" in page
    assert "from engagement: 26 of 58 responses (44.8%) about it" in page

    response = client.get(f"{SAVED}{record.pk}/assessment.csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert (
        ",priorities,Burglary,concern_source,from 2 meetings and 1 consultation, 58 responses"
        in text.replace('"', "")
    )
    assert ",priorities,Violence and sexual offences,concern_source,default" in text

    detail = client.get(f"{SAVED}{record.pk}/community-concern/").content.decode()
    assert f'href="/staff/consultations/meetings/{engagement["a"].pk}/"' in detail
    assert f'href="/staff/consultations/{engagement["c"].pk}/results/"' in detail
    assert 'id="concern-burglary"' in detail and "5, from engagement on" in detail
    assert "Farshire" not in detail and "South Testshire meeting" not in detail

    # New engagement after the choice leaves the saved score and its source as they were.
    meeting(record.area, date(2023, 9, 1), {"Violence": (VIOLENCE, 0, 0, 200)})
    record.refresh_from_db()
    assert {p.key: p.concern for p in record.priorities.all()}[BURGLARY] == 5
    assert (
        "from 2 meetings and 1 consultation, 58 responses"
        in client.get(f"{SAVED}{record.pk}/").content.decode()
    )

    # The analyst overrides: their own score, no source.
    response = client.post(
        f"{SAVED}{record.pk}/priorities/", {"version": record.version, f"p{burglary}-concern": "2"}
    )
    assert response.status_code == 302
    saved_burglary = record.priorities.get(key=BURGLARY)
    assert saved_burglary.concern == 2 and saved_burglary.concern_source == {}
    page = client.get(f"{SAVED}{record.pk}/").content.decode()
    assert "#concern-burglary" not in page
    assert "Concern 2: entered by the analyst" in page


def test_too_little_engagement_is_said_and_refused(
    client_for: Callable[[str], Client], record: SavedAssessment, areas: dict[str, Area]
) -> None:
    meeting(areas["north"], date(2023, 6, 1), {"The park": (ASB, 20, 30, 9)})  # 29 counted, 30 unconfirmed
    client = client_for(Role.ANALYST)
    form = client.get(f"{SAVED}{record.pk}/priorities/").content.decode()
    assert "Too little engagement to derive it: 29 responses (at least 30 needed)" in form
    assert "from engagement<span" not in form
    keys = list(record.priorities.values_list("key", flat=True))
    index = keys.index(ASB)
    response = client.post(
        f"{SAVED}{record.pk}/priorities/",
        {
            "version": record.version,
            f"p{index}-concern_from_engagement": "yes",
            f"p{index}-vulnerability": "9",
        },
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert (
        "Anti-social behaviour: too little engagement to take community concern from it (29 responses" in text
    )
    assert "choose a score from 1 to 5" in text  # every problem at once
    assert record.priorities.get(key=ASB).concern is None  # nothing saved


def test_only_another_force_areas_engagement_counts_for_nothing(
    record: SavedAssessment,
) -> None:
    farshire = area_tree(force=8, name="Farshire")
    meeting(farshire["north"], date(2023, 4, 1), {"Burglary": (BURGLARY, 100, 0, 100)})
    meeting(farshire["E01800001"], date(2023, 4, 1), {"Burglary": (BURGLARY, 100, 0, 100)})
    consultation(farshire["pfa"], {"Break-ins": 300}, date(2023, 5, 2))
    derived = selectors.engagement_concern(record)
    assert derived[BURGLARY]["responses"] == 0 and derived[BURGLARY]["score"] is None


def test_the_api_takes_concern_from_engagement(
    users: dict[str, User], record: SavedAssessment, engagement: dict[str, Any]
) -> None:
    _token, raw = create_token(user=users[Role.ANALYST], name="t", actor=None)
    response = Client().patch(
        f"/api/v1/insight/saved-assessments/{record.pk}",
        json.dumps({"version": record.version, "priorities": {ASB: {"concern_from_engagement": True}}}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 200, response.content
    priority = next(p for p in response.json()["priorities"] if p["key"] == ASB)
    assert priority["factors"]["concern"]["score"] == 3
    assert priority["factors"]["concern"]["source"] == "engagement"
