"""Reads for consultations and surveys: staff lists through the permission rules, the public's view of
published consultations, results worked out from the answers, and the audited list of contacts."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from joinedup.core.audit import record_event
from joinedup.core.models import EventType
from joinedup.core.permissions import restrict

from .models import (
    SCALE_LABELS,
    Answer,
    Consultation,
    Moderation,
    NeighbourhoodMeeting,
    Question,
    QuestionKind,
    Response,
)


def consultations(user: Any) -> QuerySet[Consultation]:
    return (
        restrict(Consultation.objects.all(), user, "engagement.view")
        .select_related("area", "organisation")
        .annotate(response_count=Count("responses", distinct=True))
        .order_by("-opens_on", "-pk")
    )


def get_consultation(user: Any, pk: int, action: str = "engagement.view") -> Consultation:
    found = restrict(Consultation.objects.all(), user, action).select_related("area", "organisation")
    try:
        return found.get(pk=pk)
    except Consultation.DoesNotExist:
        raise Http404("Not found") from None


def public_consultations() -> QuerySet[Consultation]:
    """Published consultations from their opening date: open ones first, then the closed."""
    today = timezone.localdate()
    return (
        Consultation.objects.filter(published=True, opens_on__lte=today)
        .select_related("area", "organisation")
        .order_by("-closes_on", "-pk")
    )


def public_consultation(pk: int) -> Consultation:
    try:
        return public_consultations().get(pk=pk)
    except Consultation.DoesNotExist:
        raise Http404("Not found") from None


def questions(consultation: Consultation) -> list[Question]:
    return list(consultation.questions.order_by("order", "pk"))


@dataclass
class Row:
    label: str
    count: int
    percent: float | None


@dataclass
class QuestionResult:
    question: Question
    answered: int
    rows: list[Row] = field(default_factory=list)
    mean: float | None = None
    comments: list[str] = field(default_factory=list)
    waiting: int = 0  # comments not yet moderated
    withheld: int = 0  # comments moderated out


def _percent(part: int, whole: int) -> float | None:
    return round(part * 100 / whole, 1) if whole else None


def results(consultation: Consultation, *, all_comments: bool = False) -> tuple[int, list[QuestionResult]]:
    """How many responded, and each question's answers: counts and shares of those who answered it, the
    mean of a scale, and the comments (only approved ones, unless `all_comments` for the moderators).
    A fixed number of queries, however many questions and answers."""
    total = consultation.responses.count()
    answers = Answer.objects.filter(response__consultation=consultation).order_by()
    answered = dict(answers.values_list("question").annotate(n=Count("pk")).values_list("question", "n"))
    chosen: dict[int, list[list[str]]] = defaultdict(list)
    for question_id, options in answers.filter(
        question__kind__in=[QuestionKind.SINGLE, QuestionKind.MULTIPLE]
    ).values_list("question", "choices"):
        chosen[question_id].append(options or [])
    scores = {
        (question_id, score): n
        for question_id, score, n in answers.filter(question__kind=QuestionKind.SCALE)
        .values_list("question", "scale")
        .annotate(n=Count("pk"))
        .values_list("question", "scale", "n")
    }
    texts = answers.filter(question__kind=QuestionKind.TEXT)
    moderated = {
        (question_id, state): n
        for question_id, state, n in texts.values_list("question", "moderation")
        .annotate(n=Count("pk"))
        .values_list("question", "moderation", "n")
    }
    comments: dict[int, list[str]] = defaultdict(list)
    shown = texts if all_comments else texts.filter(moderation=Moderation.APPROVED)
    for question_id, text in shown.order_by("response__submitted_at", "pk").values_list("question", "text"):
        comments[question_id].append(text)

    found: list[QuestionResult] = []
    for question in questions(consultation):
        n = answered.get(question.pk, 0)
        result = QuestionResult(question=question, answered=n)
        if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            counts = dict.fromkeys(question.options, 0)
            for options in chosen[question.pk]:
                for option in options:
                    if option in counts:
                        counts[option] += 1
            result.rows = [Row(option, c, _percent(c, n)) for option, c in counts.items()]
        elif question.kind == QuestionKind.SCALE:
            mine = {v: scores.get((question.pk, v), 0) for v in SCALE_LABELS}
            result.rows = [
                Row(str(label), mine[v], _percent(mine[v], n)) for v, label in SCALE_LABELS.items()
            ]
            result.mean = round(sum(v * c for v, c in mine.items()) / n, 2) if n else None
        else:
            result.comments = comments[question.pk]
            result.waiting = moderated.get((question.pk, Moderation.PENDING), 0)
            result.withheld = moderated.get((question.pk, Moderation.REJECTED), 0)
        found.append(result)
    return total, found


def results_rows(consultation: Consultation) -> list[list[Any]]:
    """The results as a table (CSV): one row per answer option; comments are not in it."""
    total, found = results(consultation)
    rows: list[list[Any]] = [
        ["question", "answer", "count", "percent_of_those_answering", "answered", "responses"]
    ]
    for result in found:
        for row in result.rows:
            rows.append([result.question.text, row.label, row.count, row.percent, result.answered, total])
        if result.question.kind == QuestionKind.SCALE:
            rows.append([result.question.text, "mean", result.mean, None, result.answered, total])
        if result.question.kind == QuestionKind.TEXT:
            rows.append(
                [
                    result.question.text,
                    "comments published",
                    len(result.comments),
                    None,
                    result.answered,
                    total,
                ]
            )
    return rows


def pending_comments(consultation: Consultation) -> QuerySet[Answer]:
    return (
        Answer.objects.filter(
            response__consultation=consultation,
            question__kind=QuestionKind.TEXT,
            moderation=Moderation.PENDING,
        )
        .select_related("question")
        .order_by("response__submitted_at", "pk")
    )


def contacts(user: Any, consultation: Consultation, request: Any = None) -> QuerySet[Response]:
    """Respondents who agreed to be contacted (names and emails): the read is audited."""
    allowed = restrict(Consultation.objects.filter(pk=consultation.pk), user, "engagement.contacts.view")
    if not allowed.exists():
        raise Http404("Not found")
    found = Response.objects.filter(consultation=consultation, contact_consent=True).order_by(
        "submitted_at", "pk"
    )
    record_event(
        EventType.PERSONAL_RECORD_VIEWED,
        actor=user,
        request=request,
        obj=consultation,
        detail={"respondents": list(found.values_list("pk", flat=True)[:1000])},
    )
    return found


def counts(consultation: Consultation) -> dict[str, int]:
    return consultation.responses.aggregate(
        responses=Count("pk"),
        contactable=Count("pk", filter=Q(contact_consent=True)),
    )


# --- neighbourhood meetings ---------------------------------------------------------------------------


def public_meetings() -> QuerySet[NeighbourhoodMeeting]:
    return (
        NeighbourhoodMeeting.objects.filter(published=True)
        .select_related("area", "organisation")
        .order_by("-held_on", "-pk")
    )


def public_meeting(pk: int) -> NeighbourhoodMeeting:
    try:
        return public_meetings().get(pk=pk)
    except NeighbourhoodMeeting.DoesNotExist:
        raise Http404("Not found") from None
