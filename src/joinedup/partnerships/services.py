"""Every write to the partnership register: proposals, edits, lifecycle moves, assessments, members, risks."""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from joinedup.core.models import ActionStatus, Area, Organisation, User
from joinedup.core.permissions import has_permission
from joinedup.core.services.errors import ConflictError, NotAllowed
from joinedup.core.services.integrity import unique_errors
from joinedup.core.services.validation import apply_fields, collect_model_errors, resolve_areas
from joinedup.core.services.versioning import save_versioned, stamp

from .lifecycle import TRANSITIONS, refusal
from .models import (
    PARTNERSHIP_NAME_TAKEN,
    AssessmentAnswer,
    BusinessCaseAssessment,
    Declaration,
    ExpectedBenefit,
    Membership,
    Partnership,
    PartnershipAction,
    PartnershipActionUpdate,
    PartnershipObjective,
    PartnershipReview,
    Plan,
    PlanPriority,
    Question,
    Rating,
    Recommendation,
    ReviewAction,
    ReviewDecision,
    Risk,
    Status,
)

Errors = dict[str, list[str]]

PARTNERSHIP_FIELDS = (
    "name",
    "purpose",
    "scope_in",
    "scope_out",
    "legal_basis",
    "level",
    "lead_organisation",
    "governance_body",
    "governance_chair",
    "meeting_frequency",
    "decision_rights",
    "accountable_to",
    "exit_triggers",
    "exit_steps",
    "exit_cost",
    "review_cadence_months",
    "next_review_date",
    "visibility",
    "illustrative",
    "source",
)
MEMBERSHIP_FIELDS = (
    "organisation",
    "role",
    "money_per_year",
    "staff_fte",
    "premises",
    "other_contribution",
    "cost_share_percent",
    "responsibilities",
    "accountable_contact",
)
RISK_FIELDS = ("description", "likelihood", "impact", "owner", "mitigation")
ACTION_FIELDS = ("description", "owner", "lead_officer", "due_date", "status", "rag")
ACTION_UPDATE_FIELDS = ("recorded_on", "text", "rag")
DECLARATION_FIELDS = ("kind", "organisation", "person", "description", "amount", "declared_on")
PUBLIC_SECTORS_PREFIXES = ("police", "opcc", "la_", "fire", "probation", "health", "youth", "cj_", "national")


# --- shared helpers --------------------------------------------------------------------------------------


def add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def _require(actor: User, action: str, obj: Any = None) -> None:
    if not has_permission(actor, action, obj):
        raise NotAllowed("You may not do this.")


# --- partnerships ----------------------------------------------------------------------------------------


def _check_partnership(partnership: Partnership, data: dict[str, Any]) -> tuple[list[Area] | None, Errors]:
    errors: Errors = {}
    apply_fields(partnership, {k: v for k, v in data.items() if k != "areas"}, PARTNERSHIP_FIELDS, errors)
    areas = resolve_areas(data["areas"], errors) if "areas" in data else None
    collect_model_errors(partnership, errors, exclude=("status", "version"))
    name_taken = Partnership.objects.filter(name__iexact=partnership.name).exclude(pk=partnership.pk)
    if partnership.name and "name" not in errors and name_taken.exists():
        errors["name"] = [PARTNERSHIP_NAME_TAKEN]
    return areas, errors


def create_partnership(*, actor: User, data: dict[str, Any]) -> Partnership:
    """Propose a partnership: it starts as `proposed`."""
    _require(actor, "partnerships.propose")
    partnership = Partnership(status=Status.PROPOSED)
    areas, errors = _check_partnership(partnership, data)
    if errors:
        raise ValidationError(errors)
    with unique_errors(), transaction.atomic():
        stamp(partnership, actor=actor, reason="Proposed")
        partnership.save()
        if areas is not None:
            partnership.areas.set(areas)
    return partnership


def update_partnership(
    *, actor: User, partnership: Partnership, expected_version: int, data: dict[str, Any]
) -> Partnership:
    _require(actor, "partnerships.change", partnership)
    if partnership.status in (Status.DECLINED, Status.TERMINATED):
        raise ValidationError(
            {
                "__all__": [
                    f"A {partnership.get_status_display().lower()} partnership is closed and cannot be edited."
                ]
            }
        )
    areas, errors = _check_partnership(partnership, data)
    if errors:
        raise ValidationError(errors)
    with unique_errors(), transaction.atomic():
        save_versioned(partnership, expected_version=expected_version, actor=actor, reason="Edited")
        if areas is not None and set(areas) != set(partnership.areas.all()):
            partnership.areas.set(areas)
    return partnership


def cost_share_problem(partnership: Partnership) -> str:
    """Cost shares are optional, but once any member has one they must add up to 100%."""
    shares = [m.cost_share_percent for m in partnership.memberships.all() if m.cost_share_percent is not None]
    if not shares:
        return ""
    total = sum(shares, Decimal("0"))
    if total != Decimal("100"):
        return f"Cost shares add up to {total.normalize():f}%: they must add up to 100%."
    return ""


def transition_partnership(
    *,
    actor: User,
    partnership: Partnership,
    transition: str,
    reason: str,
    expected_version: int | None = None,
) -> Partnership:
    """Move a partnership along its lifecycle, if the move is legal, allowed to `actor`, and has a reason.

    The decisions that conclude a review (continue, revise, terminate) go through `complete_review`,
    so each rests on a recorded review.
    """
    return _transition(
        actor=actor,
        partnership=partnership,
        transition=transition,
        reason=reason,
        expected_version=expected_version,
        via_review=False,
    )


def _transition(
    *,
    actor: User,
    partnership: Partnership,
    transition: str,
    reason: str,
    expected_version: int | None,
    via_review: bool,
) -> Partnership:
    _require(actor, "partnerships.transition", partnership)
    step = TRANSITIONS.get(transition)
    if step is None:
        raise ValidationError({"transition": [f"There is no lifecycle step called {transition!r}."]})
    if not has_permission(actor, step.action, partnership):
        raise NotAllowed(f"You may not {step.label.lower()} partnerships.")
    errors: Errors = {}
    if partnership.status not in step.sources:
        errors.setdefault("transition", []).append(refusal(partnership.status, step))
    elif step.name in ReviewDecision.values and not via_review:
        errors.setdefault("transition", []).append(
            f"Complete the review to {step.label.lower().split()[0]} the partnership: "
            "the decision needs its evidence, costs and benefits recorded."
        )
    if not (reason or "").strip():
        errors.setdefault("reason", []).append("Give a reason for this change: it is kept in the history.")
    if step.name == "approve" and partnership.status in step.sources:
        problems = approval_problems(partnership)
        if problems:
            errors.setdefault("transition", []).extend(problems)
    if step.name == "activate" and partnership.status in step.sources:
        problem = cost_share_problem(partnership)
        if problem:
            errors.setdefault("transition", []).append(problem)
    if errors:
        raise ValidationError(errors)
    partnership.status = step.target
    if step.target == Status.ACTIVE:
        # Starting, or continuing after a review, sets the next review by the cadence; a later date
        # already agreed for a new partnership is kept.
        today = timezone.localdate()
        due = partnership.next_review_date
        if step.name == "continue" or due is None or due <= today:
            partnership.next_review_date = add_months(today, partnership.review_cadence_months)
    version = partnership.version if expected_version is None else expected_version
    with transaction.atomic():
        save_versioned(
            partnership,
            expected_version=version,
            actor=actor,
            reason=f"{step.label}: {reason.strip()}",
        )
    return partnership


# --- business-case assessment ----------------------------------------------------------------------------


@dataclass
class Suggestion:
    """What the rules suggest from the ratings; the decision-maker records their own recommendation."""

    recommendation: str
    reasons: list[str] = field(default_factory=list)
    blocks_approval: bool = False

    @property
    def label(self) -> str:
        return Recommendation(self.recommendation).label if self.recommendation else "No suggestion yet"


BLOCKING_QUESTIONS = (Question.LEGAL_POWERS,)
STRUCTURAL_QUESTIONS = (Question.GOVERNANCE, Question.EXIT, Question.CLARITY, Question.RISK)


def suggest(ratings: dict[str, str]) -> Suggestion:
    """A rule-based suggestion from the red/amber/green ratings, shown beside the decision-maker's own."""
    if not any(ratings.values()):
        return Suggestion("")
    reds = [q for q, r in ratings.items() if r == Rating.RED]
    if Question.LEGAL_POWERS in reds:
        return Suggestion(
            Recommendation.DO_NOT_PROCEED,
            ["Red on legal powers: without the power to partner, the partnership cannot be approved."],
            blocks_approval=True,
        )
    if Question.BENEFITS in reds:
        return Suggestion(
            Recommendation.DO_NOT_PROCEED, ["Red on benefits: the partnership would not add value."]
        )
    structural = [q for q in reds if q in STRUCTURAL_QUESTIONS]
    if structural:
        names = ", ".join(Question(q).label.lower().rstrip("?") for q in structural)
        return Suggestion(
            Recommendation.CONTRACT,
            [
                f"Red on {len(structural)} of roles, risk, governance and exit ({names}): a contract or "
                "another body may serve better than a partnership."
            ],
        )
    if Question.PARTNERS in reds or Question.PARTNER_STRENGTHS in reds:
        return Suggestion(
            Recommendation.ANOTHER_BODY,
            ["Red on the potential partners: consider letting another body do it."],
        )
    if Question.RESOURCES in reds:
        return Suggestion(
            Recommendation.DO_IT_OURSELVES,
            ["Red on resources and time: setting up a partnership may cost more than doing it ourselves."],
        )
    ambers = sum(1 for r in ratings.values() if r == Rating.AMBER)
    reasons = [f"{ambers} amber rating{'s' if ambers != 1 else ''} to watch."] if ambers else []
    return Suggestion(Recommendation.PARTNER, reasons or ["No red ratings."])


def assessment_problems(assessment: BusinessCaseAssessment | None) -> list[str]:
    """What is missing before the assessment counts as complete."""
    if assessment is None:
        return ["Complete the business-case assessment first: no assessment has been started."]
    answers = {a.question: a for a in assessment.answers.all()}
    missing = [
        Question(q).label
        for q in assessment.questions
        if q not in answers or not answers[q].rating or not answers[q].evidence.strip()
    ]
    problems = []
    if missing:
        problems.append(
            f"The assessment is not complete: {len(missing)} question{'s' if len(missing) != 1 else ''} "
            "still need a rating and evidence."
        )
    if not assessment.recommendation:
        problems.append("The assessment is not complete: record the decision-maker's recommendation.")
    return problems


def approval_problems(partnership: Partnership) -> list[str]:
    assessment = BusinessCaseAssessment.objects.filter(partnership=partnership).first()
    problems = assessment_problems(assessment)
    if assessment is not None and not problems:
        ratings = dict(assessment.answers.values_list("question", "rating"))
        suggestion = suggest(ratings)
        if suggestion.blocks_approval:
            problems.extend(f"It cannot be approved. {reason}" for reason in suggestion.reasons)
        if assessment.recommendation != Recommendation.PARTNER:
            problems.append(
                "The assessment recommends "
                f"“{assessment.get_recommendation_display().lower()}”, not partnering: it cannot be approved."
            )
    if not partnership.memberships.exists():
        problems.append(
            "A partnership with no members cannot be approved: add the organisations taking part first."
        )
    return problems


def save_assessment(
    *,
    actor: User,
    partnership: Partnership,
    expected_version: int | None,
    includes_pcc_questions: bool = True,
    answers: dict[str, dict[str, str]],
    recommendation: str = "",
    recommendation_reason: str = "",
) -> BusinessCaseAssessment:
    """Record the answers (rating and evidence per question) and the decision-maker's recommendation.

    Partial answers are kept (an assessment is filled in over time); the assessment is complete when
    every question has a rating and evidence and a recommendation is recorded. `expected_version` is the
    version the editor read (0: none saved yet); None (a page's first save) skips the check.
    """
    _require(actor, "partnerships.assess", partnership)
    errors: Errors = {}
    if partnership.status not in (Status.PROPOSED, Status.UNDER_ASSESSMENT, Status.REVISED):
        errors.setdefault("__all__", []).append(
            f"A {partnership.get_status_display().lower()} partnership cannot be assessed: "
            "only proposed, revised or under-assessment ones can."
        )
    if recommendation and recommendation not in Recommendation.values:
        errors.setdefault("recommendation", []).append("Choose one of the recommendations.")
    for question, answer in answers.items():
        if question not in Question.values:
            errors.setdefault("__all__", []).append(f"Unknown question {question!r}.")
            continue
        rating = (answer.get("rating") or "").strip()
        if rating and rating not in Rating.values:
            errors.setdefault(f"{question}_rating", []).append("Choose red, amber or green.")
        if rating and not (answer.get("evidence") or "").strip():
            errors.setdefault(f"{question}_evidence", []).append(
                f"Give the evidence for the rating of “{Question(question).label}”."
            )
    if recommendation == Recommendation.PARTNER and not recommendation_reason.strip():
        pass  # a reason is welcome but optional for "partner"
    elif recommendation and not recommendation_reason.strip():
        errors.setdefault("recommendation_reason", []).append("Say why you recommend not partnering.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        assessment, created = BusinessCaseAssessment.objects.get_or_create(
            partnership=partnership, defaults={"created_by": actor, "updated_by": actor}
        )
        # Version 0 means "none saved yet": refused (409) if someone has saved one meanwhile, and so is
        # any other version when none exists.
        if created and expected_version not in (None, 0):
            raise ConflictError(current_version=0)
        if not created and expected_version == 0:
            raise ConflictError(current_version=assessment.version)
        assessment.includes_pcc_questions = includes_pcc_questions
        assessment.recommendation = recommendation
        assessment.recommendation_reason = recommendation_reason.strip()
        existing = {a.question: a for a in assessment.answers.all()}
        for question, answer in answers.items():
            row = existing.get(question) or AssessmentAnswer(assessment=assessment, question=question)
            rating, evidence = (answer.get("rating") or "").strip(), (answer.get("evidence") or "").strip()
            if row.pk and row.rating == rating and row.evidence == evidence:
                continue
            row.rating, row.evidence = rating, evidence
            stamp(row, actor=actor, reason="Assessment answered")
            row.save()
        assessment.completed_at = None
        if created:
            stamp(assessment, actor=actor, reason="Assessment started")
            assessment.save()
        else:
            save_versioned(
                assessment,
                expected_version=assessment.version if expected_version is None else expected_version,
                actor=actor,
                reason="Assessment updated",
            )
        if not assessment_problems(assessment):
            BusinessCaseAssessment.objects.filter(pk=assessment.pk).update(completed_at=timezone.now())
            assessment.completed_at = timezone.now()
    return assessment


# --- members, objectives, risks, declarations ------------------------------------------------------------


def _check_open(partnership: Partnership, errors: Errors) -> None:
    if partnership.status in (Status.DECLINED, Status.TERMINATED):
        errors.setdefault("__all__", []).append(
            f"A {partnership.get_status_display().lower()} partnership is closed and cannot be changed."
        )


def _open_child(actor: User, partnership: Partnership, child: Any, what: str) -> Errors:
    """Check that `child` (a member, risk, action…) is this partnership's and that `actor` may change it;
    the errors returned start with the partnership being closed, for the caller to add to."""
    _require(actor, "partnerships.change", partnership)
    if child.partnership_id != partnership.pk:
        raise NotAllowed(f"That {what} belongs to another partnership.")
    errors: Errors = {}
    _check_open(partnership, errors)
    return errors


def _child_errors(
    actor: User,
    partnership: Partnership,
    child: Any,
    what: str,
    data: dict[str, Any],
    fields: tuple[str, ...],
) -> Errors:
    """`data` applied to `child`: every problem with it, its partnership being closed among them."""
    errors = _open_child(actor, partnership, child, what)
    apply_fields(child, data, fields, errors)
    collect_model_errors(child, errors, exclude=("version",))
    return errors


def _save_child(child: Any, *, actor: User, expected_version: int | None, added: str, changed: str) -> None:
    """Insert a new child row, or save a changed one unless someone has saved it since the version read
    (the row's own when the caller gives none)."""
    with transaction.atomic():
        if child.pk is None:
            stamp(child, actor=actor, reason=added)
            child.save()
        else:
            save_versioned(
                child,
                expected_version=child.version if expected_version is None else expected_version,
                actor=actor,
                reason=changed,
            )


def _check_share_total(membership: Membership, errors: Errors) -> None:
    if membership.cost_share_percent is None or "cost_share_percent" in errors:
        return
    others = Membership.objects.filter(partnership=membership.partnership_id).exclude(
        pk=membership.pk
    ).aggregate(total=Sum("cost_share_percent"))["total"] or Decimal("0")
    total = others + Decimal(membership.cost_share_percent)
    if total > 100:
        errors.setdefault("cost_share_percent", []).append(
            f"Cost shares would add up to {total.normalize():f}%: all members' shares must add up to 100%."
        )


def save_membership(
    *,
    actor: User,
    partnership: Partnership,
    data: dict[str, Any],
    membership: Membership | None = None,
    expected_version: int | None = None,
) -> Membership:
    """Add an organisation to a partnership, or change its role and cost share (from the version read)."""
    membership = membership or Membership(partnership=partnership)
    errors = _child_errors(actor, partnership, membership, "member", data, MEMBERSHIP_FIELDS)
    if membership.organisation_id and "organisation" not in errors:
        clash = Membership.objects.filter(partnership=partnership, organisation=membership.organisation_id)
        if clash.exclude(pk=membership.pk).exists():
            errors.setdefault("organisation", []).append("This organisation is already a member.")
    _check_share_total(membership, errors)
    if errors:
        raise ValidationError(errors)
    _save_child(
        membership,
        actor=actor,
        expected_version=expected_version,
        added="Member added",
        changed="Member changed",
    )
    return membership


def save_risk(
    *,
    actor: User,
    partnership: Partnership,
    data: dict[str, Any],
    risk: Risk | None = None,
    expected_version: int | None = None,
) -> Risk:
    """Add a risk to a partnership's register, or change one (from the version read)."""
    risk = risk or Risk(partnership=partnership)
    errors = _child_errors(actor, partnership, risk, "risk", data, RISK_FIELDS)
    if errors:
        raise ValidationError(errors)
    _save_child(
        risk, actor=actor, expected_version=expected_version, added="Risk added", changed="Risk changed"
    )
    return risk


def is_public_body(organisation: Organisation) -> bool:
    return organisation.sector.startswith(PUBLIC_SECTORS_PREFIXES)


def add_declaration(*, actor: User, partnership: Partnership, data: dict[str, Any]) -> Declaration:
    """Declare a transaction with, or an interest of key personnel in, a body outside the public sector."""
    _require(actor, "partnerships.change", partnership)
    errors: Errors = {}
    _check_open(partnership, errors)
    declaration = Declaration(partnership=partnership)
    apply_fields(declaration, data, DECLARATION_FIELDS, errors)
    collect_model_errors(declaration, errors)
    if "organisation" not in errors and declaration.organisation_id:
        organisation = declaration.organisation
        if is_public_body(organisation):
            errors.setdefault("organisation", []).append(
                f"{organisation} is a public body: declarations are for non-public partners."
            )
    if declaration.kind == "interest" and not declaration.person.strip():
        errors.setdefault("person", []).append("Name the person whose interest is declared.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        stamp(declaration, actor=actor, reason="Declared")
        declaration.save()
    return declaration


def _remove_child(actor: User, partnership: Partnership, child: Any, what: str, reason: str) -> None:
    """Delete a member, risk or declaration of an open partnership; its history keeps who removed it, when
    and why (`reason`)."""
    errors = _open_child(actor, partnership, child, what.lower())
    if errors:
        raise ValidationError(errors)
    reason = (reason or "").strip()
    with transaction.atomic():
        stamp(child, actor=actor, reason=f"{what} removed: {reason}" if reason else f"{what} removed")
        child.delete()


def remove_membership(
    *, actor: User, partnership: Partnership, membership: Membership, reason: str = ""
) -> None:
    """Take an organisation out of a partnership; the history keeps who removed it, when and why."""
    _remove_child(actor, partnership, membership, "Member", reason)


def remove_risk(*, actor: User, partnership: Partnership, risk: Risk, reason: str = "") -> None:
    """Remove a risk from a partnership's register; the history keeps who removed it, when and why."""
    _remove_child(actor, partnership, risk, "Risk", reason)


def remove_declaration(
    *, actor: User, partnership: Partnership, declaration: Declaration, reason: str = ""
) -> None:
    """Withdraw a declaration made in error; the history keeps who removed it, when and why."""
    _remove_child(actor, partnership, declaration, "Declaration", reason)


def add_objective(
    *,
    actor: User,
    partnership: Partnership,
    text: str,
    priorities: list[PlanPriority],
    csp_priorities: str = "",
) -> PartnershipObjective:
    _require(actor, "partnerships.change", partnership)
    errors: Errors = {}
    _check_open(partnership, errors)
    if not (text or "").strip():
        errors.setdefault("text", []).append("Enter the objective.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        objective = PartnershipObjective(
            partnership=partnership,
            text=text.strip(),
            csp_priorities=csp_priorities.strip(),
            order=partnership.objectives.count() + 1,
        )
        stamp(objective, actor=actor, reason="Objective added")
        objective.save()
        objective.priorities.set(priorities)
    return objective


def create_plan(*, actor: User, data: dict[str, Any], priorities: list[str]) -> Plan:
    """Record a Police and Crime Plan and its priorities (OPCC staff; the demo data uses it too)."""
    _require(actor, "partnerships.change")
    errors: Errors = {}
    plan = Plan()
    apply_fields(plan, data, ("title", "pcc_name", "force_area", "period_start", "period_end"), errors)
    collect_model_errors(plan, errors, exclude=("version",))
    if (
        plan.period_start
        and plan.period_end
        and "period_end" not in errors
        and plan.period_end < plan.period_start
    ):
        errors.setdefault("period_end", []).append("The plan must end after it starts.")
    if plan.force_area_id and "force_area" not in errors and plan.force_area.level != "pfa":
        errors.setdefault("force_area", []).append("Choose a police force area.")
    if not [p for p in priorities if p.strip()]:
        errors.setdefault("priorities", []).append("Give the plan at least one priority.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        stamp(plan, actor=actor, reason="Plan recorded")
        plan.save()
        for order, title in enumerate((p.strip() for p in priorities if p.strip()), start=1):
            priority = PlanPriority(plan=plan, title=title, order=order)
            stamp(priority, actor=actor)
            priority.save()
    return plan


# --- reviews ---------------------------------------------------------------------------------------------

REVIEW_FIELDS = (
    "reviewed_on",
    "added_value",
    "financial_costs",
    "opportunity_costs",
    "benefits_realised",
    "decision",
    "decision_reason",
)


def complete_review(
    *, actor: User, partnership: Partnership, data: dict[str, Any], actions: list[dict[str, Any]]
) -> PartnershipReview:
    """Record a review of a partnership under review and carry out its decision (continue, revise or
    terminate) as the matching lifecycle step, all or nothing."""
    decision = str(data.get("decision") or "")
    step = TRANSITIONS.get(decision) if decision in ReviewDecision.values else None
    if step is not None and not has_permission(actor, step.action, partnership):
        raise NotAllowed("You may not conclude reviews.")
    _require(actor, "partnerships.review", partnership)
    errors: Errors = {}
    if partnership.status != Status.UNDER_REVIEW:
        errors.setdefault("__all__", []).append(
            f"A {partnership.get_status_display().lower()} partnership is not under review: start a review first."
        )
    review = PartnershipReview(partnership=partnership)
    apply_fields(review, data, REVIEW_FIELDS, errors)
    collect_model_errors(review, errors)
    rows: list[ReviewAction] = []
    for index, raw in enumerate(actions, start=1):
        if not any(str(v or "").strip() for v in raw.values()):
            continue  # a blank row on the form
        row = ReviewAction(review=review)
        row_errors: Errors = {}
        apply_fields(row, raw, ("action", "owner", "due_on"), row_errors)
        collect_model_errors(row, row_errors, exclude=("review",))
        for name, messages in row_errors.items():
            errors.setdefault(f"action_{index}_{name}", []).extend(
                f"Follow-up action {index}: {m[0].lower()}{m[1:]}" for m in messages
            )
        if not row_errors and review.reviewed_on and row.due_on < review.reviewed_on:
            errors.setdefault(f"action_{index}_due_on", []).append(
                f"Follow-up action {index}: the due date must be on or after the review."
            )
        rows.append(row)
    if errors:
        raise ValidationError(errors)
    if step is None:  # not reached: the model's choices have already refused the decision
        raise ValidationError({"decision": ["Choose continue, revise or terminate."]})
    with transaction.atomic():
        stamp(review, actor=actor, reason=f"Review completed: {review.get_decision_display()}")
        review.save()
        for row in rows:
            row.review = review
            stamp(row, actor=actor, reason="Follow-up action")
            row.save()
        _transition(
            actor=actor,
            partnership=partnership,
            transition=step.name,
            reason=review.decision_reason,
            expected_version=None,
            via_review=True,
        )
    return review


# --- expected benefits -----------------------------------------------------------------------------------


def save_benefit(*, actor: User, partnership: Partnership, data: dict[str, Any]) -> ExpectedBenefit:
    """Record, or replace, one financial year's projected and realised savings and other outcomes."""
    _require(actor, "partnerships.change", partnership)
    errors: Errors = {}
    _check_open(partnership, errors)
    benefit = ExpectedBenefit(partnership=partnership)
    apply_fields(
        benefit, data, ("financial_year", "savings_projected", "savings_realised", "other_outcomes"), errors
    )
    collect_model_errors(benefit, errors, exclude=("version",))
    if benefit.savings_projected is None and benefit.savings_realised is None and not benefit.other_outcomes:
        errors.setdefault("__all__", []).append("Give savings projected, savings realised or other outcomes.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        existing = ExpectedBenefit.objects.filter(
            partnership=partnership, financial_year=benefit.financial_year
        ).first()
        if existing is None:
            stamp(benefit, actor=actor, reason="Benefits recorded")
            benefit.save()
            return benefit
        for name in ("savings_projected", "savings_realised", "other_outcomes"):
            setattr(existing, name, getattr(benefit, name))
        save_versioned(existing, expected_version=existing.version, actor=actor, reason="Benefits updated")
        return existing


def mark_review_action_done(*, actor: User, partnership: Partnership, action: ReviewAction) -> ReviewAction:
    """Record that a review's follow-up action has been done."""
    _require(actor, "partnerships.change", partnership)
    if action.review.partnership_id != partnership.pk:
        raise NotAllowed("That action belongs to another partnership.")
    if action.done:
        raise ValidationError({"__all__": ["This follow-up action is already marked as done."]})
    with transaction.atomic():
        action.done = True
        stamp(action, actor=actor, reason="Follow-up action done")
        action.save()
    return action


# --- the action plan -------------------------------------------------------------------------------------


def action_owners(partnership: Partnership) -> list[Organisation]:
    """The organisations that may own a partnership's actions: its lead organisation and its members."""
    owners = {
        m.organisation_id: m.organisation for m in partnership.memberships.select_related("organisation")
    }
    if partnership.lead_organisation_id is not None and partnership.lead_organisation is not None:
        owners.setdefault(partnership.lead_organisation_id, partnership.lead_organisation)
    return sorted(owners.values(), key=lambda organisation: organisation.name)


def _check_action(partnership: Partnership, action: PartnershipAction, errors: Errors) -> None:
    owners = {o.pk for o in action_owners(partnership)}
    if action.owner_id is not None and "owner" not in errors and action.owner_id not in owners:
        errors.setdefault("owner", []).append(
            f"{action.owner} is not a member of {partnership.name}: the owner must be one of its "
            "member organisations or its lead organisation."
        )


def save_action(
    *,
    actor: User,
    partnership: Partnership,
    data: dict[str, Any],
    action: PartnershipAction | None = None,
    expected_version: int | None = None,
) -> PartnershipAction:
    """Add an action to a partnership's plan, or change one from the version the person read
    (`expected_version`; a stale one is refused with ConflictError). Every problem is listed at once."""
    action = action or PartnershipAction(partnership=partnership)
    errors = _child_errors(actor, partnership, action, "action", data, ACTION_FIELDS)
    _check_action(partnership, action, errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if action.pk is None:
            stamp(action, actor=actor, reason="Action added")
            action.save()
        else:
            if expected_version is None:
                raise ConflictError("Reload the page: the version of the action you changed is missing.")
            save_versioned(action, expected_version=expected_version, actor=actor, reason="Action changed")
    return action


def complete_action(
    *, actor: User, partnership: Partnership, action: PartnershipAction, expected_version: int
) -> PartnershipAction:
    """Mark an action complete (from the version the person read)."""
    errors = _open_child(actor, partnership, action, "action")
    if action.status == ActionStatus.COMPLETE:
        errors.setdefault("__all__", []).append("This action is already complete.")
    elif action.status == ActionStatus.CANCELLED:
        errors.setdefault("__all__", []).append("This action was cancelled: edit it to reopen it first.")
    if errors:
        raise ValidationError(errors)
    previous, action.status = action.status, ActionStatus.COMPLETE
    try:
        with transaction.atomic():
            save_versioned(action, expected_version=expected_version, actor=actor, reason="Action complete")
    except ConflictError:
        action.status = previous  # nothing was saved
        raise
    return action


def add_action_update(
    *, actor: User, partnership: Partnership, action: PartnershipAction, data: dict[str, Any]
) -> PartnershipActionUpdate:
    """Record dated progress on an action (updates are kept, never edited); its rating becomes the
    action's, and an action not started is now in progress."""
    errors = _open_child(actor, partnership, action, "action")
    update = PartnershipActionUpdate(action=action)
    apply_fields(update, data, ACTION_UPDATE_FIELDS, errors)
    collect_model_errors(update, errors, exclude=("action",))
    if update.recorded_on and "recorded_on" not in errors and update.recorded_on > timezone.localdate():
        errors.setdefault("recorded_on", []).append("The date cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        stamp(update, actor=actor, reason="Progress recorded")
        update.save()
        action.rag = update.rag
        if action.status == ActionStatus.NOT_STARTED:
            action.status = ActionStatus.IN_PROGRESS
        save_versioned(action, expected_version=action.version, actor=actor, reason="Progress update")
    return update
