"""The Risk Assessment Matrix: the questionnaire, scoring, the risk level it sets and when to review.

A vulnerable or repeat victim's case is due an assessment within 24 hours of the flag
(`Case.risk_assessment_due_at`, set at intake). Each assessment sets the case's risk level and moves that
due date on to the next review by the cadence of the level (defaults: high every 14 days, medium every
28, standard none); a high score raises a Joint Problem Solving plan (`casework.plans`).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from joinedup.core.audit import record_event
from joinedup.core.models import EventType
from joinedup.core.permissions import has_permission, restrict
from joinedup.core.services.errors import NotAllowed
from joinedup.core.services.validation import Errors, add_error
from joinedup.core.services.versioning import save_versioned, stamp

from .models import (
    Case,
    CaseStatus,
    RiskAnswerOption,
    RiskAssessment,
    RiskLevel,
    RiskMatrixSettings,
    RiskQuestion,
)

# A sensible starting questionnaire, after the questions police and council ASB risk matrices commonly ask;
# partnerships change it on the Risk Assessment Matrix page. (question, help, [(answer, score), ...])
DEFAULT_QUESTIONS: tuple[tuple[str, str, tuple[tuple[str, int], ...]], ...] = (
    (
        "How often has the victim been affected in the last six months?",
        "Count every report to any agency, and incidents the victim tells you about.",
        (("Once", 0), ("Two or three times", 3), ("Four times or more", 6)),
    ),
    (
        "Is the victim targeted because of who they are?",
        "For example race, religion, disability, sexual orientation or gender identity (hate).",
        (("No", 0), ("Not sure", 3), ("Yes", 6)),
    ),
    (
        "Does the victim have a disability, long-term illness or mental health condition?",
        "",
        (("No", 0), ("Yes", 4)),
    ),
    (
        "Does the victim live alone or without support from family or friends?",
        "",
        (("No", 0), ("Yes", 3)),
    ),
    (
        "Is the victim afraid to leave home, or to stay in it?",
        "",
        (("No", 0), ("Sometimes", 2), ("Yes", 5)),
    ),
    (
        "Has the behaviour affected the victim's health, sleep or work?",
        "",
        (("No", 0), ("Somewhat", 2), ("Severely", 4)),
    ),
    (
        "Has there been violence, or threats of violence?",
        "",
        (("No", 0), ("Threats", 4), ("Violence", 6)),
    ),
    (
        "Is the behaviour getting worse or more frequent?",
        "",
        (("No", 0), ("Yes", 4)),
    ),
    (
        "Are children in the household affected?",
        "",
        (("No", 0), ("Yes", 2)),
    ),
)


def matrix_settings() -> RiskMatrixSettings:
    """The one settings row, created with the defaults on first use."""
    found = RiskMatrixSettings.objects.order_by("pk").first()
    if found is None:
        found = RiskMatrixSettings.objects.create()
    return found


# The thresholds and review cadence people can set, as the page's form and the API show them.
MATRIX_SETTINGS = (
    "medium_threshold",
    "high_threshold",
    "high_review_days",
    "medium_review_days",
    "standard_review_days",
)


def matrix_values(settings: RiskMatrixSettings) -> dict[str, int]:
    """The settings row's thresholds and review cadence, by name."""
    return {name: getattr(settings, name) for name in MATRIX_SETTINGS}


def ensure_questionnaire() -> None:
    """Create the default questionnaire the first time anyone needs it (never once questions exist)."""
    if RiskQuestion.objects.exists():
        return
    with transaction.atomic():
        for order, (text, help_text, options) in enumerate(DEFAULT_QUESTIONS, start=1):
            question = RiskQuestion(text=text, help_text=help_text, order=order)
            stamp(question, actor=None, reason="Default Risk Assessment Matrix")
            question.save()
            for position, (answer, score) in enumerate(options, start=1):
                RiskAnswerOption.objects.create(question=question, text=answer, score=score, order=position)


def questionnaire() -> list[RiskQuestion]:
    ensure_questionnaire()
    return list(
        RiskQuestion.objects.filter(active=True).prefetch_related(
            Prefetch("options", queryset=RiskAnswerOption.objects.order_by("order", "id"))
        )
    )


def level_for(score: int, settings: RiskMatrixSettings | None = None) -> str:
    settings = settings or matrix_settings()
    if score >= settings.high_threshold:
        return RiskLevel.HIGH
    if score >= settings.medium_threshold:
        return RiskLevel.MEDIUM
    return RiskLevel.STANDARD


def review_days(level: str, settings: RiskMatrixSettings | None = None) -> int | None:
    settings = settings or matrix_settings()
    return {
        RiskLevel.HIGH: settings.high_review_days,
        RiskLevel.MEDIUM: settings.medium_review_days,
        RiskLevel.STANDARD: settings.standard_review_days,
    }.get(RiskLevel(level))


def update_settings(*, actor: Any, data: dict[str, Any]) -> RiskMatrixSettings:
    if not has_permission(actor, "casework.risk.configure"):
        raise NotAllowed("You may not change the Risk Assessment Matrix.")
    settings = matrix_settings()
    errors: Errors = {}
    values: dict[str, int | None] = {}
    for name in ("medium_threshold", "high_threshold", "high_review_days", "medium_review_days"):
        value = data.get(name, getattr(settings, name))
        try:
            number = int(value)
        except (TypeError, ValueError):
            add_error(errors, name, "Enter a whole number.")
            continue
        if number < 1:
            add_error(errors, name, "Enter a number of at least 1.")
        values[name] = number
    standard = data.get("standard_review_days", settings.standard_review_days)
    if standard in (None, ""):
        values["standard_review_days"] = None
    else:
        try:
            values["standard_review_days"] = int(standard)
        except (TypeError, ValueError):
            add_error(errors, "standard_review_days", "Enter a whole number, or leave it empty.")
    medium, high = values.get("medium_threshold"), values.get("high_threshold")
    if medium is not None and high is not None and high <= medium:
        add_error(errors, "high_threshold", "The high threshold must be above the medium threshold.")
    if errors:
        raise ValidationError(errors)
    for name, value in values.items():
        setattr(settings, name, value)
    with transaction.atomic():
        stamp(settings, actor=actor, reason="Thresholds changed")
        settings.save()
    return settings


def add_question(*, actor: Any, data: dict[str, Any]) -> RiskQuestion:
    """Add a question; `options` is a list of (answer, score) or lines "answer | score"."""
    if not has_permission(actor, "casework.risk.configure"):
        raise NotAllowed("You may not change the Risk Assessment Matrix.")
    ensure_questionnaire()
    errors: Errors = {}
    text = str(data.get("text") or "").strip()
    if not text:
        add_error(errors, "text", "Enter the question.")
    options: list[tuple[str, int]] = []
    raw = data.get("options") or []
    if isinstance(raw, str):
        raw = [line for line in raw.splitlines() if line.strip()]
    for number, item in enumerate(raw, start=1):
        if isinstance(item, str):
            answer, _bar, score_text = item.rpartition("|")
            if not _bar:
                add_error(
                    errors,
                    "options",
                    f"Line {number}: write the answer, a bar and its score, e.g. 'Yes | 4'.",
                )
                continue
        else:
            answer, score_text = item[0], item[1]
        try:
            score = int(str(score_text).strip())
        except ValueError:
            add_error(errors, "options", f"Line {number}: the score must be a whole number.")
            continue
        if score < 0:
            add_error(errors, "options", f"Line {number}: the score cannot be negative.")
        if not str(answer).strip():
            add_error(errors, "options", f"Line {number}: write the answer before the bar.")
        options.append((str(answer).strip(), score))
    if len(options) < 2 and "options" not in errors:
        add_error(errors, "options", "Give at least two answers, one a line.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        last = RiskQuestion.objects.order_by("-order").values_list("order", flat=True).first() or 0
        question = RiskQuestion(text=text, help_text=str(data.get("help_text") or "").strip(), order=last + 1)
        stamp(question, actor=actor, reason="Question added")
        question.save()
        for position, (answer, score) in enumerate(options, start=1):
            RiskAnswerOption.objects.create(question=question, text=answer, score=score, order=position)
    return question


def retire_question(*, actor: Any, question: RiskQuestion) -> None:
    """Stop asking a question; past assessments keep the answers they were given."""
    if not has_permission(actor, "casework.risk.configure"):
        raise NotAllowed("You may not change the Risk Assessment Matrix.")
    with transaction.atomic():
        question.active = False
        stamp(question, actor=actor, reason="Question retired")
        question.save()


def record_risk_assessment(*, actor: Any, case: Case, data: dict[str, Any]) -> RiskAssessment:
    """Score the answers, set the case's risk level and next review, and raise a plan when high.

    `data["answers"]` maps question id to answer option id; every active question must be answered."""
    if not has_permission(actor, "casework.cases.work", case):
        raise NotAllowed("You may not work on this case.")
    questions = questionnaire()
    answers = {str(k): v for k, v in dict(data.get("answers") or {}).items()}
    errors: Errors = {}
    given: list[dict[str, Any]] = []
    for question in questions:
        chosen = answers.get(str(question.pk))
        option = next((o for o in question.options.all() if str(o.pk) == str(chosen)), None)
        if option is None:
            add_error(errors, f"question_{question.pk}", f"Answer: {question.text}")
            continue
        given.append(
            {
                "question": question.pk,
                "question_text": question.text,
                "option": option.pk,
                "option_text": option.text,
                "score": option.score,
            }
        )
    unknown = sorted(set(answers) - {str(q.pk) for q in questions})
    if unknown:
        add_error(errors, "answers", f"Unknown or retired questions: {', '.join(unknown)}.")
    if case.status != CaseStatus.OPEN:
        add_error(errors, "__all__", "The case is closed: reopen it before assessing risk.")
    if errors:
        raise ValidationError(errors)
    settings = matrix_settings()
    score = sum(answer["score"] for answer in given)
    level = level_for(score, settings)
    now = timezone.now()
    days = review_days(level, settings)
    next_review = (timezone.localdate(now) + timedelta(days=days)) if days else None
    with transaction.atomic():
        assessment = RiskAssessment(
            case=case,
            assessed_at=now,
            assessed_by=actor,
            organisation_id=actor.organisation_id,
            answers=given,
            score=score,
            risk_level=level,
            notes=str(data.get("notes") or "").strip(),
            next_review_due=next_review,
        )
        stamp(assessment, actor=actor, reason="Risk assessed")
        assessment.save()
        fresh = Case.objects.select_for_update().get(pk=case.pk)
        fresh.risk_level = level
        fresh.risk_assessment_due_at = (
            timezone.make_aware(datetime.combine(next_review, datetime.min.time())) if next_review else None
        )
        save_versioned(fresh, expected_version=fresh.version, actor=actor, reason=f"Risk assessed: {level}")
        case.risk_level, case.risk_assessment_due_at, case.version = (
            fresh.risk_level,
            fresh.risk_assessment_due_at,
            fresh.version,
        )
        if level == RiskLevel.HIGH:
            from .plans import raise_plan_for_high_risk

            raise_plan_for_high_risk(actor=actor, case=case)
            from .notify import high_risk_case

            transaction.on_commit(lambda: high_risk_case(case))
    return assessment


# --- reads -------------------------------------------------------------------------------------------


def assessment_due_state(case: Case, now: datetime | None = None) -> str:
    """ "overdue", "due" (assessment or review outstanding, not late yet) or "" (nothing due)."""
    if case.status != CaseStatus.OPEN or case.risk_assessment_due_at is None:
        return ""
    now = now or timezone.now()
    return "overdue" if case.risk_assessment_due_at < now else "due"


def cases_due_assessment(*, user: Any, now: datetime | None = None) -> QuerySet[Case]:
    """Open cases the user may see with a risk assessment or review due, the most overdue first."""
    now = now or timezone.now()
    cases = restrict(Case.objects.select_related("area", "lead_organisation"), user, "casework.cases.view")
    return cases.filter(status=CaseStatus.OPEN, risk_assessment_due_at__isnull=False).order_by(
        "risk_assessment_due_at", "pk"
    )


def overdue_assessments(cases: QuerySet[Case], now: datetime | None = None) -> QuerySet[Case]:
    now = now or timezone.now()
    return cases.filter(Q(status=CaseStatus.OPEN), Q(risk_assessment_due_at__lt=now))


def get_assessment(*, user: Any, pk: int, request: Any = None) -> RiskAssessment:
    """One assessment on a case the user may see (audited: it holds health data), or Http404."""
    try:
        assessment = restrict(
            RiskAssessment.objects.select_related("case", "assessed_by", "organisation"),
            user,
            "casework.risk.view",
        ).get(pk=pk)
    except RiskAssessment.DoesNotExist:
        record_event(
            EventType.PERMISSION_DENIED,
            actor=user,
            request=request,
            object_type="casework.riskassessment",
            object_id=pk,
            detail={"action": "casework.risk.view"},
        )
        raise Http404("Not found") from None
    record_event(
        EventType.PERSONAL_RECORD_VIEWED,
        actor=user,
        request=request,
        obj=assessment,
        detail={"case": assessment.case_id},
    )
    return assessment
