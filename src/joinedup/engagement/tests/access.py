"""Expected access to consultation pages, role by role (see core/testing.py).

`objects_hook` makes a published consultation for North Testshire (a CSP) with one question and published
results: the OPCC (whose force area holds it) and North Testshire's CSP manager run it; everyone else in the
partnership who reads CSP material reads it; the public reads its page and results.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from joinedup.core.roles import Role
from joinedup.core.testing import PUBLIC, Access, roles

MANAGERS = roles(Role.OPCC_ADMIN, Role.OPCC_OFFICER, Role.CSP_MANAGER)
RESPONDENTS = roles(Role.OPCC_ADMIN, Role.OPCC_OFFICER, Role.CSP_MANAGER, Role.PRACTITIONER, Role.ANALYST)
VOTE_KEY = "matrix-vote-key"
READERS = roles(
    Role.OPCC_ADMIN, Role.OPCC_OFFICER, Role.CSP_MANAGER, Role.ANALYST, Role.PANEL_MEMBER, Role.AUDITOR
)


def objects_hook(objects: dict[str, Any]) -> None:
    import hashlib

    from joinedup.engagement.models import (
        Consultation,
        MeetingPriority,
        NeighbourhoodMeeting,
        PriorityVote,
        Question,
        QuestionKind,
    )

    consultation = Consultation.objects.create(
        title="North Testshire priorities 2027",
        summary="Which problems should the partnership tackle first?",
        area=objects["north"],
        organisation=objects["organisation"],
        opens_on=date.today() - timedelta(days=3),
        closes_on=date.today() + timedelta(days=30),
        published=True,
        results_published=True,
    )
    question = Question.objects.create(
        consultation=consultation,
        order=1,
        text="What worries you most?",
        kind=QuestionKind.SINGLE,
        options=["Speeding", "Drug dealing"],
    )
    meeting = NeighbourhoodMeeting.objects.create(
        title="Northtown neighbourhood meeting",
        area=objects["north"],
        organisation=objects["organisation"],
        held_on=date.today(),
        place="Northtown library",
        voting_closes_on=date.today() + timedelta(days=7),
        published=True,
    )
    priority = MeetingPriority.objects.create(meeting=meeting, order=1, title="Speeding on the high street")
    # One pending vote behind the matrix's confirmation link (the force-scope test runs this hook twice).
    key_hash = hashlib.sha256(VOTE_KEY.encode()).hexdigest()
    if not PriorityVote.objects.filter(key_hash=key_hash).exists():
        PriorityVote.objects.create(
            meeting=meeting, priority=priority, voter_hash="0" * 64, key_hash=key_hash
        )
    survey = Consultation.objects.create(
        title="Partnership working survey",
        summary="How well do we work together?",
        audience="partners",
        area=objects["pfa"],
        organisation=objects["organisation"],
        opens_on=date.today() - timedelta(days=3),
        closes_on=date.today() + timedelta(days=30),
        published=True,
    )
    Question.objects.create(
        consultation=survey, order=1, text="Partners share information well", kind=QuestionKind.SCALE
    )
    objects.update(
        consultation=consultation,
        consultation_question=question,
        neighbourhood_meeting=meeting,
        partner_survey=survey,
    )


def _pk(objects: dict[str, Any]) -> dict[str, Any]:
    return {"pk": objects["consultation"].pk}


def _survey(objects: dict[str, Any]) -> dict[str, Any]:
    return {"pk": objects["partner_survey"].pk}


def _question(objects: dict[str, Any]) -> dict[str, Any]:
    return {"pk": objects["consultation"].pk, "question_pk": objects["consultation_question"].pk}


URLS = {
    "engagement:list": Access(READERS),
    "engagement:create": Access(MANAGERS),
    "engagement:detail": Access(READERS, kwargs=_pk),
    "engagement:edit": Access(MANAGERS, kwargs=_pk),
    "engagement:question-create": Access(MANAGERS, kwargs=_pk),
    "engagement:question-edit": Access(MANAGERS, kwargs=_question),
    "engagement:question-delete": Access(MANAGERS, kwargs=_question),
    "engagement:moderation": Access(MANAGERS, kwargs=_pk),
    "engagement:results": Access(READERS, kwargs=_pk),
    "engagement:results-csv": Access(READERS, kwargs=_pk),
    "engagement:contacts": Access(MANAGERS, kwargs=_pk),
    # The annual partner survey: readers compare the years; partner organisations' staff answer it.
    "engagement:compare": Access(READERS, kwargs=_survey),
    "engagement:compare-csv": Access(READERS, kwargs=_survey),
    "engagement:partner-respond": Access(RESPONDENTS, kwargs=_survey),
    "engagement:meeting-list": Access(READERS),
    "engagement:meeting-create": Access(MANAGERS),
    "engagement:meeting-detail": Access(READERS, kwargs=lambda o: {"pk": o["neighbourhood_meeting"].pk}),
    "engagement:meeting-edit": Access(MANAGERS, kwargs=lambda o: {"pk": o["neighbourhood_meeting"].pk}),
    "public-engagement:index": Access(PUBLIC),
    "public-engagement:meetings": Access(PUBLIC),
    "public-engagement:meeting": Access(PUBLIC, kwargs=lambda o: {"pk": o["neighbourhood_meeting"].pk}),
    "public-engagement:vote-sent": Access(PUBLIC, kwargs=lambda o: {"pk": o["neighbourhood_meeting"].pk}),
    "public-engagement:vote-confirm": Access(PUBLIC, kwargs=lambda o: {"key": VOTE_KEY}),
    "public-engagement:respond": Access(PUBLIC, kwargs=_pk),
    "public-engagement:thanks": Access(PUBLIC, kwargs=_pk),
    "public-engagement:results": Access(PUBLIC, kwargs=_pk),
    "public-engagement:results-csv": Access(PUBLIC, kwargs=_pk),
}
API: dict[str, Access] = {}
