"""The Risk Assessment Matrix: the questionnaire, scoring, the risk level it sets and when to review.

A vulnerable or repeat victim's case is due an assessment within 24 hours of the flag
(`Case.risk_assessment_due_at`, set at intake). Each assessment sets the case's risk level and moves that
due date on to the next review by the cadence of the level (defaults: high every 14 days, medium every
28, standard none); a high score raises a Joint Problem Solving plan (below: actions from several agencies,
red until every action is complete and the informant updated, reviewed monthly).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from joinedup.core.models import Organisation, User
from joinedup.core.permissions import has_permission
from joinedup.core.services.errors import NotAllowed
from joinedup.core.services.validation import Errors, add_error
from joinedup.core.services.versioning import save_versioned, stamp

from .. import services
from ..models import (
    Case,
    CaseAction,
    CaseStatus,
    PlanReview,
    PlanStatus,
    ProblemSolvingPlan,
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
            raise_plan_for_high_risk(actor=actor, case=case)
            from ..notify import high_risk_case

            transaction.on_commit(lambda: high_risk_case(case))
    return assessment


# --- Joint Problem Solving plans --------------------------------------------------------------------------

REVIEW_EVERY_DAYS = 30  # "monitored on a monthly basis"


def _next_month(day: date) -> date:
    return day + timedelta(days=REVIEW_EVERY_DAYS)


def _check(actor: Any, case: Case) -> None:
    if not has_permission(actor, "casework.cases.work", case):
        raise NotAllowed("You may not work on this case.")


def raise_plan_for_high_risk(*, actor: Any, case: Case, objective: str = "") -> ProblemSolvingPlan:
    """The case's plan, raised now if it has none (a high score raises one at once)."""
    existing = ProblemSolvingPlan.objects.filter(case=case).first()
    if existing is not None:
        if existing.status == PlanStatus.CLOSED:
            existing.status = PlanStatus.OPEN
            stamp(existing, actor=actor, reason="Reopened: risk is high again")
            existing.save()
        return existing
    plan = ProblemSolvingPlan(
        case=case,
        objective=objective
        or "Reduce the risk to the victim: every agency's actions recorded here, reviewed monthly.",
        raised_by=actor,
        raised_at=timezone.now(),
        next_review_due=_next_month(timezone.localdate()),
    )
    stamp(plan, actor=actor, reason="Raised: high risk")
    plan.save()
    return plan


def create_plan(*, actor: Any, case: Case, data: dict[str, Any]) -> ProblemSolvingPlan:
    """Raise a plan by hand; only for a high-risk case (a high assessment raises one by itself)."""
    _check(actor, case)
    errors: Errors = {}
    if case.risk_level != RiskLevel.HIGH:
        add_error(
            errors,
            "__all__",
            "A Joint Problem Solving plan is for high-risk cases: complete a risk assessment that scores high.",
        )
    if ProblemSolvingPlan.objects.filter(case=case).exists():
        add_error(errors, "__all__", "This case already has a plan.")
    objective = str(data.get("objective") or "").strip()
    if not objective:
        add_error(errors, "objective", "Say what the partners are trying to achieve.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        return raise_plan_for_high_risk(actor=actor, case=case, objective=objective)


def add_plan_action(*, actor: Any, plan: ProblemSolvingPlan, data: dict[str, Any]) -> CaseAction:
    """An action on the plan for one agency, with its officer (who must work for that agency)."""
    _check(actor, plan.case)
    errors: Errors = {}
    org = data.get("owner_organisation")
    owner = org if isinstance(org, Organisation) else Organisation.objects.filter(pk=org or 0).first()
    officer = data.get("officer")
    if officer not in (None, "") and not isinstance(officer, User):
        officer = User.objects.filter(pk=officer).first()
        if officer is None:
            add_error(errors, "officer", "Choose an officer from the list.")
    if isinstance(officer, User) and owner is not None and officer.organisation_id != owner.pk:
        add_error(errors, "officer", f"{officer.full_name} does not work for {owner.name}.")
    due = data.get("due_date")
    if isinstance(due, date) and due < timezone.localdate():
        add_error(errors, "due_date", "The due date cannot be in the past.")
    # Ask the shared action service too, so its problems and these come back together; an action it saves
    # is rolled back when this check found a problem.
    with transaction.atomic():
        action = None
        try:
            action = services.add_action(
                actor=actor,
                case=plan.case,
                data={**data, "owner_organisation": owner, "officer": officer or None},
            )
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                for message in messages:
                    add_error(errors, name, message)
        if errors or action is None:
            raise ValidationError(errors)
    return action


def record_plan_review(*, actor: Any, plan: ProblemSolvingPlan, data: dict[str, Any]) -> PlanReview:
    """A review meeting: when, who, what was agreed, and when the next one is (default a month on)."""
    _check(actor, plan.case)
    errors: Errors = {}
    held_on = services._parse_date(data.get("held_on")) or (
        None if data.get("held_on") else timezone.localdate()
    )
    if held_on is None:
        add_error(errors, "held_on", "Enter the date of the review as YYYY-MM-DD.")
    elif held_on > timezone.localdate():
        add_error(errors, "held_on", "The review cannot be in the future.")
    attendees = str(data.get("attendees") or "").strip()
    if not attendees:
        add_error(errors, "attendees", "List who attended.")
    notes = str(data.get("notes") or "").strip()
    if not notes:
        add_error(errors, "notes", "Record what the review found and agreed.")
    next_review = services._parse_date(data.get("next_review")) if data.get("next_review") else None
    if data.get("next_review") and next_review is None:
        add_error(errors, "next_review", "Enter the next review date as YYYY-MM-DD.")
    if held_on and next_review and next_review <= held_on:
        add_error(errors, "next_review", "The next review must be after this one.")
    close = bool(data.get("close_plan"))
    if close and plan.case.plan_status() != "green":
        add_error(
            errors,
            "close_plan",
            "The plan can only be closed when it is green: every action complete and the informant updated.",
        )
    if errors or held_on is None:
        raise ValidationError(errors)
    next_review = next_review or _next_month(held_on)
    with transaction.atomic():
        review = PlanReview(
            plan=plan,
            held_on=held_on,
            attendees=attendees,
            notes=notes,
            next_review=next_review,
            recorded_by=actor,
        )
        stamp(review, actor=actor, reason="Plan reviewed")
        review.save()
        locked = ProblemSolvingPlan.objects.select_for_update().get(pk=plan.pk)
        locked.next_review_due = next_review
        if close:
            locked.status = PlanStatus.CLOSED
        locked.version += 1
        stamp(locked, actor=actor, reason="Plan reviewed" + (" and closed" if close else ""))
        locked.save()
        plan.next_review_due, plan.status, plan.version = (
            locked.next_review_due,
            locked.status,
            locked.version,
        )
    return review
