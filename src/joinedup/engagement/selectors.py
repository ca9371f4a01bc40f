"""Reads for consultations and surveys: staff lists through the permission rules, the public's view of
published consultations, results worked out from the answers, and the audited list of contacts."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
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
    Audience,
    Consultation,
    MeetingPriority,
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


def get_partner_survey(user: Any, pk: int) -> Consultation:
    """A partner survey the user may read (its year-on-year comparison); a public consultation, or anything
    else, is not found."""
    consultation = get_consultation(user, pk)
    if consultation.audience != Audience.PARTNERS:
        raise Http404("Not found")
    return consultation


def public_consultations() -> QuerySet[Consultation]:
    """Published consultations from their opening date: open ones first, then the closed."""
    today = timezone.localdate()
    return (
        Consultation.objects.filter(published=True, opens_on__lte=today, audience=Audience.PUBLIC)
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
    count: int | None
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
    suppressed: bool = False  # too few answered a partner survey's question for its figures to be shown


def _percent(part: int, whole: int) -> float | None:
    return round(part * 100 / whole, 1) if whole else None


def minimum_shown(consultation: Consultation) -> int:
    """How many must answer a question before its figures are shown: SUPPRESS_BELOW for the partner survey
    (its respondents are a few dozen named organisations' staff, so small numbers could identify them),
    none for a public consultation's anonymous residents."""
    return SUPPRESS_BELOW if consultation.audience == Audience.PARTNERS else 0


def results(
    consultation: Consultation, *, all_comments: bool = False, minimum: int = 0
) -> tuple[int, list[QuestionResult]]:
    """How many responded, and each question's answers: counts and shares of those who answered it, the
    mean of a scale, and the comments (only approved ones, unless `all_comments` for the moderators).
    A choice or scale question answered by fewer than `minimum` shows how many answered and no figures
    (`suppressed`). A fixed number of queries, however many questions and answers."""
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
        if question.kind != QuestionKind.TEXT and 0 < n < minimum:
            result.suppressed, result.mean = True, None
            result.rows = [Row(row.label, None, None) for row in result.rows]
        elif question.kind == QuestionKind.TEXT:
            result.comments = comments[question.pk]
            result.waiting = moderated.get((question.pk, Moderation.PENDING), 0)
            result.withheld = moderated.get((question.pk, Moderation.REJECTED), 0)
        found.append(result)
    return total, found


def results_rows(consultation: Consultation) -> list[list[Any]]:
    """The results as a table (CSV): one row per answer option; comments are not in it. A partner
    survey's question answered by too few has empty counts (`minimum_shown`)."""
    total, found = results(consultation, minimum=minimum_shown(consultation))
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


# --- community concern, for insight's prioritisation matrix ---------------------------------------------


def _within(area: Any, path: str) -> Q:
    """`path` (a meeting's or consultation's area) is the area itself or an area inside it (a CSP's
    districts and neighbourhoods, say)."""
    return (
        Q(**{path: area})
        | Q(**{f"{path}__lad": area})
        | Q(**{f"{path}__csp": area})
        | Q(**{f"{path}__pfa": area})
    )


def concern_evidence(area: Any, start: date, end: date, groups: dict[str, list[str]]) -> dict[str, Any]:
    """What residents said in `area` between `start` and `end` (inclusive), counted for each group of crime
    types in `groups` ({key: [crime type, ...]}): the figures behind the community-concern score of
    insight's prioritisation matrix (docs/adr/0031).

    Counted: confirmed online votes and paper votes in published neighbourhood meetings held in the period
    in the area or inside it, and answers given in the period to the choose-one and choose-any questions
    of published consultations of the area or inside it whose choices are linked to crime types. A vote or
    answer counts in `responses` whatever it is about, and in a group's `mapped` count when its priority or
    one of its choices is linked to one of the group's crime types (an answer once, however many of its
    choices are). Unconfirmed votes, unpublished meetings and consultations, free text, and anything
    about a respondent or voter are never read.

    Returns {"responses", "mapped": {key: n}, "meetings": [{id, title, held_on, responses}],
    "consultations": [{id, title, responses}]}, each list with only the meetings and consultations that
    gave a response."""
    wanted = {key: set(types) for key, types in groups.items()}
    mapped = dict.fromkeys(groups, 0)
    total = 0
    meetings: dict[int, dict[str, Any]] = {}
    priorities = (
        MeetingPriority.objects.filter(
            _within(area, "meeting__area"),
            meeting__published=True,
            meeting__held_on__gte=start,
            meeting__held_on__lte=end,
        )
        .annotate(online=Count("votes", filter=Q(votes__confirmed_at__isnull=False)))
        .order_by("meeting__held_on", "meeting", "pk")
        .values("meeting", "meeting__title", "meeting__held_on", "crime_type", "paper_votes", "online")
    )
    for row in priorities:
        votes = row["online"] + row["paper_votes"]
        if not votes:
            continue
        total += votes
        entry = meetings.setdefault(
            row["meeting"],
            {
                "id": row["meeting"],
                "title": row["meeting__title"],
                "held_on": row["meeting__held_on"],
                "responses": 0,
            },
        )
        entry["responses"] += votes
        for key, types in wanted.items():
            if row["crime_type"] in types:
                mapped[key] += votes
    consultations: dict[int, dict[str, Any]] = {}
    linked = {
        pk: (consultation, title, links)
        for pk, consultation, title, links in Question.objects.filter(
            _within(area, "consultation__area"),
            consultation__published=True,
            consultation__audience=Audience.PUBLIC,
            kind__in=[QuestionKind.SINGLE, QuestionKind.MULTIPLE],
        ).values_list("pk", "consultation", "consultation__title", "option_crime_types")
        if links
    }
    answers = (
        Answer.objects.filter(
            question__in=list(linked),
            response__submitted_at__date__gte=start,
            response__submitted_at__date__lte=end,
        )
        .order_by("question", "pk")
        .values_list("question", "choices")
    )
    for question_id, choices in answers:
        consultation_id, title, links = linked[question_id]
        total += 1
        entry = consultations.setdefault(
            consultation_id, {"id": consultation_id, "title": title, "responses": 0}
        )
        entry["responses"] += 1
        about = {links.get(choice) for choice in choices or []}
        for key, types in wanted.items():
            if about & types:
                mapped[key] += 1
    return {
        "responses": total,
        "mapped": mapped,
        "meetings": list(meetings.values()),
        "consultations": sorted(consultations.values(), key=lambda c: c["id"]),
    }


# --- the annual partner survey, year on year ------------------------------------------------------------

# A question answered by fewer people than this in a year shows no figures for that year (the partner
# survey's respondents are a few dozen named organisations' staff: small numbers could identify them).
SUPPRESS_BELOW = 5


def answerable_survey(user: Any, pk: int) -> Consultation:
    found = restrict(Consultation.objects.all(), user, "engagement.survey.respond").select_related("area")
    try:
        return found.get(pk=pk)
    except Consultation.DoesNotExist:
        raise Http404("Not found") from None


def has_answered(user: Any, consultation: Consultation) -> bool:
    return consultation.participations.filter(user=user).exists()


@dataclass
class YearFigure:
    count: int | None
    percent: float | None


@dataclass
class ComparedRow:
    label: str
    this_year: YearFigure
    last_year: YearFigure | None

    @property
    def change(self) -> float | None:
        if self.last_year is None or self.this_year.percent is None or self.last_year.percent is None:
            return None
        return round(self.this_year.percent - self.last_year.percent, 1)


@dataclass
class ComparedQuestion:
    text: str
    kind: str
    answered: int
    answered_before: int | None  # None: not asked last year
    suppressed: bool
    suppressed_before: bool
    rows: list[ComparedRow] = field(default_factory=list)
    mean: float | None = None
    mean_before: float | None = None


def _figures(result: QuestionResult | None, label: str, suppressed: bool) -> YearFigure | None:
    if result is None:
        return None
    if suppressed:
        return YearFigure(None, None)
    row = next((r for r in result.rows if r.label == label), None)
    return YearFigure(row.count, row.percent) if row else YearFigure(0, 0.0 if result.answered else None)


def compare_years(
    consultation: Consultation,
) -> tuple[Consultation | None, int, int | None, list[ComparedQuestion]]:
    """This year's partner survey against last year's (`previous`), question by question (matched on
    their text and kind): choices as shares of those answering, scales as their distribution and mean.
    A year where fewer than SUPPRESS_BELOW answered a question shows no figures for it. Free-text
    questions are left out. Returns (last year's survey, responses, responses last year, questions)."""
    previous = consultation.previous
    total, now = results(consultation)
    before_total, before = results(previous) if previous else (None, [])
    earlier = {(r.question.text, r.question.kind): r for r in before}
    compared = []
    for result in now:
        question = result.question
        if question.kind == QuestionKind.TEXT:
            continue
        old = earlier.get((question.text, question.kind))
        item = ComparedQuestion(
            text=question.text,
            kind=question.kind,
            answered=result.answered,
            answered_before=old.answered if old else None,
            suppressed=result.answered < SUPPRESS_BELOW,
            suppressed_before=old is not None and old.answered < SUPPRESS_BELOW,
        )
        labels = [r.label for r in result.rows] + [
            r.label for r in (old.rows if old else []) if r.label not in {x.label for x in result.rows}
        ]
        for label in labels:
            this_year = _figures(result, label, item.suppressed)
            assert this_year is not None
            item.rows.append(ComparedRow(label, this_year, _figures(old, label, item.suppressed_before)))
        if question.kind == QuestionKind.SCALE:
            item.mean = None if item.suppressed else result.mean
            item.mean_before = None if old is None or item.suppressed_before else old.mean
        compared.append(item)
    return previous, total, before_total, compared


def compare_rows(consultation: Consultation) -> list[list[Any]]:
    """The comparison as a table (CSV); a suppressed year's figures are empty, with a note."""
    _previous, total, before_total, compared = compare_years(consultation)
    note = f"fewer than {SUPPRESS_BELOW} answered: not shown"
    rows: list[list[Any]] = [
        [
            "question",
            "answer",
            "this_year_count",
            "this_year_percent",
            "last_year_count",
            "last_year_percent",
            "change_in_points",
            "note",
        ]
    ]
    for item in compared:
        notes = []
        if item.suppressed:
            notes.append(f"this year {note}")
        if item.suppressed_before:
            notes.append(f"last year {note}")
        if item.answered_before is None:
            notes.append("not asked last year")
        for row in item.rows:
            last = row.last_year
            rows.append(
                [
                    item.text,
                    row.label,
                    row.this_year.count,
                    row.this_year.percent,
                    last.count if last else None,
                    last.percent if last else None,
                    row.change,
                    "; ".join(notes),
                ]
            )
        if item.kind == QuestionKind.SCALE:
            change = (
                round(item.mean - item.mean_before, 2)
                if item.mean is not None and item.mean_before is not None
                else None
            )
            rows.append(
                [item.text, "mean", item.mean, None, item.mean_before, None, change, "; ".join(notes)]
            )
    rows.append(["all questions", "responses", total, None, before_total, None, None, ""])
    return rows
