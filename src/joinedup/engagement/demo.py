"""Demonstration consultations (`joinedup engagement demo`, run by `./run`): Newcastle's CSP asking about
next year's priorities (open now, with answers and comments waiting for moderation) and the Commissioner's
Police and Crime Plan consultation (closed, results published). Idempotent: found again by title.
Generated answers, not real people's."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from joinedup.core.demo import NEWCASTLE_COUNCIL, NEWCASTLE_CSP, NORTHUMBRIA_OPCC, PFA, DemoRefused
from joinedup.core.models import Area, Organisation

from . import services
from .models import Answer, Consultation, Moderation, Question, QuestionKind

COMMENTS = [
    "Motorbikes on the paths by the river most evenings.",
    "More visible patrols near the Metro station after dark, please.",
    "Street lighting on the back lanes is poor.",
    "Young people need somewhere to go in the evenings.",
]


def _consultation(
    *, title: str, summary: str, area: Area, organisation: Organisation, days: tuple[int, int], results: bool
) -> tuple[Consultation, bool]:
    found = Consultation.objects.filter(title=title).first()
    if found is not None:
        return found, False
    today = timezone.localdate()
    made = Consultation.objects.create(
        title=title,
        summary=summary,
        area=area,
        organisation=organisation,
        opens_on=today + timedelta(days=days[0]),
        closes_on=today + timedelta(days=days[1]),
        published=True,
        results_published=results,
    )
    return made, True


def _questions(consultation: Consultation) -> list[Question]:
    specs = [
        (
            "Which problem should the partnership tackle first?",
            QuestionKind.SINGLE,
            [
                "Anti-social behaviour",
                "Drug dealing",
                "Burglary",
                "Speeding",
                "Violence in the night-time economy",
            ],
            True,
        ),
        (
            "Where do you feel least safe?",
            QuestionKind.MULTIPLE,
            ["City centre", "Parks and riverside", "On public transport", "Near my home"],
            False,
        ),
        ("I feel safe in my area after dark", QuestionKind.SCALE, [], False),
        ("Anything else you want the partnership to know?", QuestionKind.TEXT, [], False),
    ]
    # The first question's choices are linked to crime types, so its answers can feed the community
    # concern of a strategic assessment of the area and period (docs/adr/0031).
    links = {
        "Anti-social behaviour": "Anti-social behaviour",
        "Drug dealing": "Drugs",
        "Burglary": "Burglary",
        "Violence in the night-time economy": "Violence and sexual offences",
    }
    return [
        Question.objects.create(
            consultation=consultation,
            order=n,
            text=text,
            kind=kind,
            options=options,
            required=required,
            option_crime_types=links if n == 1 else {},
        )
        for n, (text, kind, options, required) in enumerate(specs, start=1)
    ]


def _answer(questions: list[Question], rng: random.Random, comment: str) -> dict[str, object]:
    single, multiple, scale, text = questions
    data: dict[str, object] = {
        f"q{single.pk}": rng.choice(single.options),
        f"q{multiple.pk}": rng.sample(multiple.options, rng.randint(1, 2)),
        f"q{scale.pk}": str(rng.randint(1, 5)),
    }
    if comment:
        data[f"q{text.pk}"] = comment
    return data


def load_engagement_demo(*, out: Callable[[str], None]) -> None:
    if settings.JOINEDUP_ENV == "production":
        raise DemoRefused("Refusing to load demo data: JOINEDUP_ENV is 'production'.")
    csp = Area.objects.filter(code=NEWCASTLE_CSP).first()
    force = Area.objects.filter(code=PFA).first()
    council = Organisation.objects.filter(name=NEWCASTLE_COUNCIL).first()
    opcc = Organisation.objects.filter(name=NORTHUMBRIA_OPCC).first()
    if not (csp and force and council and opcc):
        out("Consultations: skipped (run `joinedup demo` first for the areas and organisations).")
        return
    rng = random.Random(2027)
    with transaction.atomic():
        for title, summary, area, organisation, days, results, responses in (
            (
                "Newcastle community safety priorities 2027",
                "Newcastle's Community Safety Partnership is choosing next year's priorities. Tell us which "
                "problems matter most where you live; we will publish what people said and what we will do.",
                csp,
                council,
                (-10, 25),
                False,
                40,
            ),
            (
                "Police and Crime Plan: what matters to you",
                "The Commissioner asked residents across Northumbria what the Police and Crime Plan should "
                "put first. The consultation has closed; its results are below.",
                force,
                opcc,
                (-120, -60),
                True,
                60,
            ),
        ):
            consultation, made = _consultation(
                title=title, summary=summary, area=area, organisation=organisation, days=days, results=results
            )
            if not made:
                continue
            questions = _questions(consultation)
            closes_on, today = consultation.closes_on, timezone.localdate()
            if closes_on < today:  # answers were given while it was open
                type(consultation).objects.filter(pk=consultation.pk).update(closes_on=today)
                consultation.closes_on = today
            for n in range(responses):
                comment = COMMENTS[n % len(COMMENTS)] if n % 5 == 0 else ""
                services.respond(consultation=consultation, data=_answer(questions, rng, comment))
            if closes_on < today:
                type(consultation).objects.filter(pk=consultation.pk).update(closes_on=closes_on)
                # The closed consultation's comments were moderated before its results were published.
                Answer.objects.filter(
                    response__consultation=consultation, question__kind=QuestionKind.TEXT
                ).update(moderation=Moderation.APPROVED, moderated_at=timezone.now())
            out(f"Consultation: {title} ({responses} responses)")
