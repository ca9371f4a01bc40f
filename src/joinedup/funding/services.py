"""Every write in funding: funds, formula allocations, rounds, applications, panels, scores, decisions.

Keyword-only, one transaction each, history stamped. Bad input raises `ValidationError` with a dict of
every field error at once; a user who may not act raises `NotAllowed`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max as models_max
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from joinedup.core.models import Area, AreaLevel, Organisation, User
from joinedup.core.services.versioning import save_versioned, stamp

from .fields import (
    REGISTERED_NUMBERS,
    Errors,
    add_error,
    parse_money,
    read_choice,
    read_csp,
    read_date,
    read_money,
    read_organisation,
    read_registered_number,
    read_text,
    read_ward,
    require,
)
from .models import (
    PENNY,
    Application,
    ApplicationStatus,
    Award,
    AwardVariation,
    Clawback,
    ConflictDeclaration,
    Criterion,
    Decision,
    DecisionOutcome,
    DistributionModel,
    FormulaAllocation,
    Fund,
    FundBudget,
    FundSource,
    GrantRound,
    MonitoringReturn,
    PanelAssignment,
    PaymentInstalment,
    RoundStatus,
    Score,
)
from .monitoring.services import parse_measures, save_measures

# --- funds ------------------------------------------------------------------------------------------


FUND_FIELDS = {
    "name",
    "source",
    "distribution_model",
    "force_area",
    "plan_priorities",
    "eligibility_rules",
    "max_award",
    "decision_body",
    "description",
    "budgets",
    "priorities",
}


def _parse_budgets(raw: Any, errors: Errors) -> dict[int, Decimal]:
    """[{"year": 2025, "amount": "1000.00"}] or '2025: 1000.00' lines → {2025: Decimal('1000.00')}."""
    items: list[tuple[Any, Any]] = []
    if isinstance(raw, str):
        for line in raw.splitlines():
            if line.strip():
                year_text, _sep, amount_text = line.partition(":")
                items.append((year_text.strip(), amount_text.strip()))
    else:
        for entry in raw or []:
            if isinstance(entry, dict):
                items.append((entry.get("year"), entry.get("amount")))
            else:
                items.append((getattr(entry, "year", None), getattr(entry, "amount", None)))
    budgets: dict[int, Decimal] = {}
    for year_raw, amount_raw in items:
        try:
            year = int(str(year_raw)[:4])
        except (TypeError, ValueError):
            add_error(
                errors, "budgets", f"'{year_raw}' is not a financial year: write it as 2025 or 2025-26."
            )
            continue
        if not 2000 <= year <= 2100:
            add_error(errors, "budgets", f"{year} is not a financial year between 2000 and 2100.")
            continue
        amount = parse_money(amount_raw)
        if amount is None or amount <= 0:
            add_error(
                errors, "budgets", f"The budget for {year} must be a positive amount in pounds and pence."
            )
            continue
        if year in budgets:
            add_error(errors, "budgets", f"{year} is listed twice.")
            continue
        budgets[year] = amount
    return budgets


def _apply_fund(fund: Fund, data: dict[str, Any]) -> tuple[dict[int, Decimal] | None, Errors]:
    errors: Errors = {}
    unexpected = sorted(set(data) - FUND_FIELDS)
    if unexpected:
        add_error(errors, "__all__", f"Unexpected fields: {', '.join(unexpected)}.")
    fund.name = read_text(data, "name", errors, label="the fund's name", required=True)
    fund.source = read_choice(data, "source", FundSource, errors, label="source of the money")
    fund.distribution_model = read_choice(
        data, "distribution_model", DistributionModel, errors, label="how the fund is distributed"
    )
    fund.plan_priorities = read_text(data, "plan_priorities", errors)
    fund.eligibility_rules = read_text(data, "eligibility_rules", errors)
    fund.description = read_text(data, "description", errors)
    fund.max_award = read_money(data, "max_award", errors, label="a maximum award", required=False)
    area = data.get("force_area")
    fund.force_area = None
    if area:
        code = area.code if isinstance(area, Area) else str(area).strip().upper()
        found = Area.objects.filter(code=code, level=AreaLevel.PFA).first()
        if found is None:
            add_error(errors, "force_area", f"{code} is not a police force area code.")
        fund.force_area = found
    elif fund.distribution_model == DistributionModel.FORMULA:
        add_error(errors, "force_area", "Choose the police force area a formula allocation is split across.")
    body = data.get("decision_body")
    fund.decision_body = None
    if body:
        if isinstance(body, Organisation):
            fund.decision_body = body
        else:
            fund.decision_body = Organisation.objects.filter(
                pk=int(body) if str(body).isdigit() else 0
            ).first()
            if fund.decision_body is None:
                add_error(errors, "decision_body", "Choose an organisation from the directory.")
    budgets = _parse_budgets(data["budgets"], errors) if "budgets" in data else None
    return budgets, errors


def _save_budgets(fund: Fund, budgets: dict[int, Decimal], actor: User) -> None:
    for year, amount in budgets.items():
        budget = FundBudget.objects.filter(fund=fund, year=year).first() or FundBudget(fund=fund, year=year)
        if budget.pk is None or budget.amount != amount:
            budget.amount = amount
            stamp(budget, actor=actor, reason="Budget set")
            budget.save()
    for stale in FundBudget.objects.filter(fund=fund).exclude(year__in=list(budgets)):
        stamp(stale, actor=actor, reason="Budget removed")
        stale.delete()


def plan_priorities_from(value: Any, errors: Errors) -> list[Any]:
    """Police and Crime Plan priorities given as objects (forms) or ids (API); unknown ids are an error."""
    from joinedup.partnerships.models import PlanPriority

    items = list(value or [])
    if all(isinstance(item, PlanPriority) for item in items):
        return items
    ids = [int(item) for item in items if str(item).strip().isdigit()]
    found = {p.pk: p for p in PlanPriority.objects.filter(pk__in=ids)}
    if len(found) != len(items):
        add_error(errors, "priorities", "Choose Plan priorities from the list.")
    return [found[pk] for pk in ids if pk in found]


def create_fund(*, actor: User, data: dict[str, Any]) -> Fund:
    require(actor, "funding.manage")
    fund = Fund()
    budgets, errors = _apply_fund(fund, data)
    priorities = plan_priorities_from(data.get("priorities"), errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        stamp(fund, actor=actor, reason="Fund set up")
        fund.save()
        _save_budgets(fund, budgets or {}, actor)
        fund.priorities.set(priorities)
    return fund


def update_fund(*, actor: User, fund: Fund, expected_version: int, data: dict[str, Any]) -> Fund:
    require(actor, "funding.manage")
    budgets, errors = _apply_fund(fund, data)
    priorities = plan_priorities_from(data["priorities"], errors) if "priorities" in data else None
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        save_versioned(fund, expected_version=expected_version, actor=actor, reason="Edited")
        if budgets is not None:
            _save_budgets(fund, budgets, actor)
        if priorities is not None:
            fund.priorities.set(priorities)
    return fund


# --- formula allocation -----------------------------------------------------------------------------


@dataclass(frozen=True)
class AllocationLine:
    area: Area
    population: int
    share: Decimal
    amount: Decimal
    per_head: Decimal


def split_by_population(budget: Decimal, populations: list[tuple[Area, int]]) -> list[AllocationLine]:
    """Split `budget` across areas in proportion to population, to the penny, summing exactly to it.

    Rounding rule (largest remainder, in pennies): each area first gets its exact share rounded *down*
    to the penny; the pennies left over (fewer than the number of areas) go one each to the areas with
    the largest fractions of a penny cut off, ties going to the larger population, then the lower ONS
    code. So the amounts always add up to the budget exactly and no area is more than a penny from its
    exact share. The per-head amount is each area's amount divided by its population, to the nearest
    penny (half up); it is for display only and is not used to compute the amounts.
    """
    total_population = sum(population for _area, population in populations)
    pennies = int((budget / PENNY).to_integral_value())
    exact = [Fraction(pennies * population, total_population) for _area, population in populations]
    floors = [int(value) for value in exact]  # non-negative, so int() rounds down
    left_over = pennies - sum(floors)
    order = sorted(
        range(len(populations)),
        key=lambda i: (-(exact[i] - floors[i]), -populations[i][1], populations[i][0].code),
    )
    for i in order[:left_over]:
        floors[i] += 1
    lines = []
    for (area, population), amount_pennies in zip(populations, floors, strict=True):
        amount = (Decimal(amount_pennies) * PENNY).quantize(PENNY)
        share = (Decimal(population) / Decimal(total_population)).quantize(Decimal("0.000001"), ROUND_HALF_UP)
        per_head = (amount / Decimal(population)).quantize(PENNY, ROUND_HALF_UP)
        lines.append(AllocationLine(area, population, share, amount, per_head))
    return lines


def allocate_by_population(*, actor: User, fund: Fund, year: int) -> list[FormulaAllocation]:
    """(Re)calculate a fund's allocation for one financial year across the CSPs of its force area."""
    require(actor, "funding.manage")
    errors: Errors = {}
    budget = FundBudget.objects.filter(fund=fund, year=year).first()
    if budget is None:
        add_error(errors, "year", f"The fund has no budget for {year}.")
    if fund.force_area is None:
        add_error(errors, "force_area", "Choose the police force area the fund is split across.")
        csps: list[Area] = []
    else:
        csps = list(Area.objects.filter(level=AreaLevel.CSP, pfa=fund.force_area).order_by("code"))
        if not csps:
            add_error(errors, "force_area", f"{fund.force_area.name} has no CSPs in the reference data.")
        missing = [csp.name for csp in csps if not csp.population]
        if missing:
            add_error(errors, "population", f"No population is recorded for: {', '.join(missing)}.")
    if errors:
        raise ValidationError(errors)
    assert budget is not None
    lines = split_by_population(budget.amount, [(csp, csp.population or 0) for csp in csps])
    with transaction.atomic():
        existing = {a.area_id: a for a in FormulaAllocation.objects.filter(fund=fund, year=year)}
        saved = []
        for line in lines:
            allocation = existing.pop(line.area.pk, None) or FormulaAllocation(
                fund=fund, year=year, area=line.area
            )
            allocation.population = line.population
            allocation.share = line.share
            allocation.amount = line.amount
            allocation.per_head = line.per_head
            stamp(allocation, actor=actor, reason="Allocated by population")
            allocation.save()
            saved.append(allocation)
        for stale in existing.values():
            stamp(stale, actor=actor, reason="Area no longer in the force area")
            stale.delete()
    return saved


# --- grant rounds -----------------------------------------------------------------------------------


ROUND_FIELDS = {"name", "opens_on", "closes_on", "budget", "max_award", "max_score", "criteria"}
ROUND_TRANSITIONS = {
    RoundStatus.DRAFT: {RoundStatus.OPEN},
    RoundStatus.OPEN: {RoundStatus.CLOSED},
    RoundStatus.CLOSED: {RoundStatus.OPEN, RoundStatus.DECIDED},
    RoundStatus.DECIDED: set(),
}


def _parse_criteria(raw: Any, errors: Errors) -> list[tuple[str, int]]:
    """[{"name": ..., "weight": 3}] or 'Name: 3' lines → [(name, weight)]."""
    items: list[tuple[str, Any]] = []
    if isinstance(raw, str):
        for line in raw.splitlines():
            if line.strip():
                name_text, _sep, weight_text = line.rpartition(":") if ":" in line else (line, "", "1")
                items.append((name_text.strip(), weight_text.strip()))
    else:
        for entry in raw or []:
            entry = entry if isinstance(entry, dict) else entry.__dict__
            items.append((str(entry.get("name") or "").strip(), entry.get("weight", 1)))
    criteria: list[tuple[str, int]] = []
    for name, weight_raw in items:
        try:
            weight = int(weight_raw)
        except (TypeError, ValueError):
            weight = 0
        if not name:
            add_error(errors, "criteria", "Every criterion needs a name.")
        elif weight < 1 or weight > 100:
            add_error(errors, "criteria", f"The weight of '{name}' must be a whole number from 1 to 100.")
        else:
            criteria.append((name, weight))
    if not items:
        add_error(errors, "criteria", "Enter at least one criterion, one a line, as 'Name: weight'.")
    return criteria


def create_round(*, actor: User, fund: Fund, data: dict[str, Any]) -> GrantRound:
    require(actor, "funding.manage")
    errors: Errors = {}
    unexpected = sorted(set(data) - ROUND_FIELDS)
    if unexpected:
        add_error(errors, "__all__", f"Unexpected fields: {', '.join(unexpected)}.")
    grant_round = GrantRound(fund=fund)
    grant_round.name = read_text(data, "name", errors, label="the round's name", required=True)
    opens_on = read_date(data, "opens_on", errors, label="the opening date")
    closes_on = read_date(data, "closes_on", errors, label="the closing date")
    if opens_on and closes_on and closes_on < opens_on:
        add_error(errors, "closes_on", "The closing date must be on or after the opening date.")
    budget = read_money(data, "budget", errors, label="the round's budget")
    max_award = read_money(data, "max_award", errors, label="a maximum award", required=False)
    if max_award is None:
        max_award = fund.max_award
    if max_award and budget and max_award > budget:
        add_error(errors, "max_award", "The maximum award cannot be more than the round's budget.")
    max_score_raw = data.get("max_score") or 5
    try:
        max_score = int(max_score_raw)
    except (TypeError, ValueError):
        max_score = 0
    if not 1 <= max_score <= 100:
        add_error(errors, "max_score", "The highest score must be a whole number from 1 to 100.")
    criteria = _parse_criteria(data.get("criteria"), errors)
    if errors:
        raise ValidationError(errors)
    assert opens_on and closes_on and budget
    grant_round.opens_on, grant_round.closes_on, grant_round.budget = opens_on, closes_on, budget
    grant_round.max_award, grant_round.max_score = max_award, max_score
    with transaction.atomic():
        stamp(grant_round, actor=actor, reason="Round set up")
        grant_round.save()
        for position, (name, weight) in enumerate(criteria):
            criterion = Criterion(round=grant_round, name=name, weight=weight, position=position)
            stamp(criterion, actor=actor)
            criterion.save()
    return grant_round


def change_round_status(
    *, actor: User, grant_round: GrantRound, status: str, expected_version: int
) -> GrantRound:
    require(actor, "funding.manage")
    current = RoundStatus(grant_round.status)
    if status not in ROUND_TRANSITIONS[current]:
        label = dict(RoundStatus.choices).get(status, status)
        raise ValidationError({"status": [f"A round that is {current.label.lower()} cannot become {label}."]})
    grant_round.status = status
    with transaction.atomic():
        save_versioned(grant_round, expected_version=expected_version, actor=actor, reason=f"Now {status}")
    return grant_round


# --- applications -----------------------------------------------------------------------------------


APPLICATION_FIELDS = {
    "organisation_name",
    "charity_number",
    "company_number",
    "contact_email",
    "project_title",
    "project_description",
    "amount_requested",
}


def max_award_for(grant_round: GrantRound) -> Decimal | None:
    return grant_round.max_award or grant_round.fund.max_award


# An application's answers as the applicant is told of them, in the language of their page (staff pages are
# in English): a missing answer, and read_money's messages about the amount.
REQUIRED_ANSWERS = {
    "organisation_name": gettext_lazy("Enter the applicant organisation's name."),
    "project_title": gettext_lazy("Enter the project title."),
    "project_description": gettext_lazy("Enter a description of the project."),
}
AMOUNT_MESSAGES = {
    "Enter the amount requested.": gettext_lazy("Enter the amount requested."),
    "Enter the amount requested in pounds and pence, for example 1250.50.": gettext_lazy(
        "Enter the amount requested in pounds and pence, for example 1250.50."
    ),
    "Enter the amount requested of at least £0.01.": gettext_lazy(
        "Enter the amount requested of at least £0.01."
    ),
}


def apply_application_data(
    application: Application, data: dict[str, Any], *, complete: bool, locked: tuple[str, ...] = ()
) -> Errors:
    """Set an application's fields from `data` and return every problem. `complete` is for submitting:
    every required field must be there. A draft may be saved half done but not with wrong values.
    `locked` fields come from the applicant's account and are not taken from `data`."""
    errors: Errors = {}
    unexpected = sorted(set(data) - APPLICATION_FIELDS - set(locked))
    if unexpected:
        add_error(errors, "__all__", f"Unexpected fields: {', '.join(unexpected)}.")
    for field, required in REQUIRED_ANSWERS.items():
        if field not in locked:
            setattr(application, field, read_text(data, field, errors))
        if complete and not getattr(application, field):
            add_error(errors, field, str(required))
    if "contact_email" not in locked:
        application.contact_email = read_text(data, "contact_email", errors)
    for field in REGISTERED_NUMBERS:
        if field not in locked:
            setattr(application, field, read_registered_number(data, field, errors))
    amount = read_money(data, "amount_requested", errors, label="the amount requested", required=complete)
    if "amount_requested" in errors:  # read_money's English, in the reader's language (an applicant's page)
        errors["amount_requested"] = [str(AMOUNT_MESSAGES.get(m, m)) for m in errors["amount_requested"]]
    limit = max_award_for(application.round)
    if amount is not None and limit is not None and amount > limit:
        add_error(
            errors,
            "amount_requested",
            _("The most this round awards is £%(limit)s.") % {"limit": f"{limit:,.2f}"},
        )
    application.amount_requested = amount
    return errors


def create_application(
    *, actor: User, grant_round: GrantRound, data: dict[str, Any], submit: bool = True
) -> Application:
    """Record an application (staff on an applicant's behalf). Every problem is reported at once."""
    require(actor, "funding.manage")
    application = Application(round=grant_round)
    errors = apply_application_data(application, data, complete=True)
    if errors:
        raise ValidationError(errors)
    if submit:
        application.status = ApplicationStatus.SUBMITTED
        application.submitted_at = timezone.now()
    with transaction.atomic():
        stamp(application, actor=actor, reason="Application received")
        application.save()
    return application


def check_eligibility(
    *, actor: User, application: Application, eligible: bool, note: str, expected_version: int
) -> Application:
    require(actor, "funding.manage")
    if application.status not in (
        ApplicationStatus.SUBMITTED,
        ApplicationStatus.ELIGIBLE,
        ApplicationStatus.INELIGIBLE,
    ):
        raise ValidationError(
            {"eligible": ["Only a submitted application that is not decided can be checked."]}
        )
    if not eligible and not note.strip():
        raise ValidationError({"note": ["Say why the application is not eligible."]})
    application.status = ApplicationStatus.ELIGIBLE if eligible else ApplicationStatus.INELIGIBLE
    application.eligibility_note = note.strip()
    with transaction.atomic():
        save_versioned(
            application,
            expected_version=expected_version,
            actor=actor,
            reason="Eligible" if eligible else "Not eligible",
        )
    return application


def assign_panel_member(*, actor: User, application: Application, member: Any) -> PanelAssignment:
    require(actor, "funding.manage")
    errors: Errors = {}
    if member is None or not member.is_active:
        add_error(errors, "member", "Choose an active staff account.")
    elif application.conflicts.filter(member=member).exists():
        add_error(
            errors, "member", f"{member.full_name} has declared a conflict of interest on this application."
        )
    elif application.assignments.filter(member=member).exists():
        add_error(errors, "member", f"{member.full_name} is already assigned to this application.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        assignment = PanelAssignment(application=application, member=member)
        stamp(assignment, actor=actor, reason="Assigned to score")
        assignment.save()
    return assignment


def declare_conflict(*, actor: User, application: Application, reason: str) -> ConflictDeclaration:
    """An assigned panel member declares a conflict: they can no longer see or score the application,
    and any scores they had given it are withdrawn."""
    require(actor, "funding.score", application)
    if not reason.strip():
        raise ValidationError({"reason": ["Say what the conflict of interest is."]})
    with transaction.atomic():
        declaration = ConflictDeclaration(application=application, member=actor, reason=reason.strip())
        stamp(declaration, actor=actor, reason="Conflict of interest declared")
        declaration.save()
        for score in Score.objects.filter(application=application, member=actor):
            stamp(score, actor=actor, reason="Withdrawn: conflict of interest")
            score.delete()
    return declaration


def score_application(
    *, actor: User, application: Application, scores: dict[int, tuple[Any, str]]
) -> list[Score]:
    """Score every criterion (criterion id → (value, comment)); every missing or bad score is listed."""
    require(actor, "funding.score", application)
    grant_round = application.round
    errors: Errors = {}
    if application.status != ApplicationStatus.ELIGIBLE:
        add_error(errors, "__all__", "Only applications found eligible can be scored.")
    parsed: list[tuple[Criterion, int, str]] = []
    for criterion in grant_round.criteria.all():
        field = f"criterion_{criterion.pk}"
        raw, comment = scores.get(criterion.pk, (None, ""))
        try:
            value = int(str(raw).strip())
        except (TypeError, ValueError):
            add_error(errors, field, f"Give '{criterion.name}' a score from 0 to {grant_round.max_score}.")
            continue
        if not 0 <= value <= grant_round.max_score:
            add_error(
                errors, field, f"The score for '{criterion.name}' must be from 0 to {grant_round.max_score}."
            )
            continue
        parsed.append((criterion, value, (comment or "").strip()))
    if errors:
        raise ValidationError(errors)
    saved = []
    with transaction.atomic():
        for criterion, value, comment in parsed:
            score = Score.objects.filter(application=application, criterion=criterion, member=actor).first()
            score = score or Score(application=application, criterion=criterion, member=actor)
            score.value, score.comment = value, comment
            stamp(score, actor=actor, reason="Scored")
            score.save()
            saved.append(score)
    return saved


# --- decisions and awards ---------------------------------------------------------------------------


def committed(grant_round: GrantRound) -> Decimal:
    """What the round has approved so far."""
    total = Decision.objects.filter(
        application__round=grant_round, outcome=DecisionOutcome.APPROVE
    ).aggregate(total=Sum("amount"))["total"]
    return total or Decimal("0.00")


def remaining_budget(grant_round: GrantRound) -> Decimal:
    return grant_round.budget - committed(grant_round)


def decide_application(*, actor: User, application: Application, data: dict[str, Any]) -> Decision:
    """Approve (amount, conditions) or decline (reason). An approval over the round's remaining budget is
    refused unless an override reason is given, and is then recorded as a budget override."""
    require(actor, "funding.decide")
    with transaction.atomic():
        # Lock the round so two decisions made at once cannot both spend the same remaining budget.
        GrantRound.objects.select_for_update().filter(pk=application.round_id).first()
        return _decide(actor=actor, application=application, data=data)


def _decide(*, actor: User, application: Application, data: dict[str, Any]) -> Decision:
    errors: Errors = {}
    outcome = read_choice(data, "outcome", DecisionOutcome, errors, label="approve or decline")
    if Decision.objects.filter(application=application).exists():
        add_error(errors, "__all__", "This application has already been decided.")
    elif application.status != ApplicationStatus.ELIGIBLE:
        add_error(errors, "__all__", "Only an application found eligible can be decided.")
    conditions = read_text(data, "conditions", errors)
    reason = read_text(data, "reason", errors)
    override_reason = read_text(data, "override_reason", errors)
    csp = read_csp(data.get("csp"), errors)
    ward = read_ward(data.get("ward"), csp, errors)
    measures = parse_measures(data.get("measures"), errors) if outcome == DecisionOutcome.APPROVE else []
    amount = None
    over_budget = False
    if outcome == DecisionOutcome.APPROVE:
        amount = read_money(data, "amount", errors, label="the amount approved")
        if amount is not None:
            limit = max_award_for(application.round)
            if application.amount_requested is not None and amount > application.amount_requested:
                add_error(
                    errors,
                    "amount",
                    f"The applicant asked for £{application.amount_requested:,.2f}; approve no more.",
                )
            if limit is not None and amount > limit:
                add_error(errors, "amount", f"The most this round awards is £{limit:,.2f}.")
            remaining = remaining_budget(application.round)
            over_budget = amount > remaining
            if over_budget and not override_reason:
                add_error(
                    errors,
                    "amount",
                    f"£{amount:,.2f} is more than the £{remaining:,.2f} left in the round's budget. "
                    "Approve less, or record why the budget is being overridden.",
                )
    elif outcome == DecisionOutcome.DECLINE and not reason:
        add_error(errors, "reason", "Say why the application is declined.")
    if errors:
        raise ValidationError(errors)
    today = timezone.localdate()
    decision = Decision(
        application=application,
        outcome=outcome,
        amount=amount,
        conditions=conditions if outcome == DecisionOutcome.APPROVE else "",
        reason=reason if outcome == DecisionOutcome.DECLINE else "",
        budget_override=over_budget,
        override_reason=override_reason if over_budget else "",
        decided_by=actor,
        decided_on=today,
    )
    stamp(decision, actor=actor, reason="Budget overridden" if over_budget else "Decided")
    decision.save()
    approved = outcome == DecisionOutcome.APPROVE
    application.status = ApplicationStatus.APPROVED if approved else ApplicationStatus.DECLINED
    stamp(application, actor=actor, reason=decision.get_outcome_display())
    application.version += 1
    application.save()
    transaction.on_commit(lambda: _notify(application))
    if approved:
        assert amount is not None
        award = _create_award(
            actor=actor,
            application=application,
            amount=amount,
            conditions=conditions,
            on=today,
            csp=csp,
            ward=ward,
        )
        save_measures(actor=actor, award=award, measures=measures)
    return decision


def _notify(application: Application) -> None:
    from .applicants.services import notify_decision

    notify_decision(application)


def _create_award(
    *,
    actor: User,
    application: Application,
    amount: Decimal,
    conditions: str,
    on: datetime.date,
    csp: Area | None = None,
    ward: Area | None = None,
) -> Award:
    award = Award(
        application=application,
        fund=application.round.fund,
        recipient_name=application.organisation_name,
        charity_number=application.charity_number,
        company_number=application.company_number,
        title=application.project_title,
        description=application.project_description,
        amount=amount,
        awarded_on=on,
        conditions=conditions,
        csp=csp,
        ward=ward,
    )
    award.recipient = _directory_match(application)
    stamp(award, actor=actor, reason="Awarded")
    award.save()
    # A monitoring return is due a year after the award; more can be added as the agreement says.
    due = MonitoringReturn(award=award, due_on=_a_year_after(on))
    stamp(due, actor=actor, reason="Monitoring return due")
    due.save()
    return award


def _directory_match(application: Application) -> Organisation | None:
    """The recipient in the organisation directory, when exactly one entry has its registered number."""
    for field in ("charity_number", "company_number"):
        number = getattr(application, field)
        if number:
            found = list(Organisation.objects.filter(**{field: number})[:2])
            if len(found) == 1:
                return found[0]
    return None


def _a_year_after(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


# --- awards: payments and monitoring ------------------------------------------------------------------


def add_payment(*, actor: User, award: Award, data: dict[str, Any]) -> PaymentInstalment:
    """Add an instalment to the payment schedule; the schedule may not add up to more than the award."""
    require(actor, "funding.manage")
    errors: Errors = {}
    due_on = read_date(data, "due_on", errors, label="the date the payment is due")
    amount = read_money(data, "amount", errors, label="the amount")
    if amount is not None:
        scheduled = award.payments.aggregate(total=Sum("amount"))["total"] or Decimal("0.00")
        if scheduled + amount > award.amount:
            add_error(
                errors,
                "amount",
                f"The schedule would add up to £{scheduled + amount:,.2f}, more than the £{award.amount:,.2f} awarded.",
            )
    if errors:
        raise ValidationError(errors)
    assert due_on is not None and amount is not None
    with transaction.atomic():
        payment = PaymentInstalment(award=award, due_on=due_on, amount=amount)
        stamp(payment, actor=actor, reason="Payment scheduled")
        payment.save()
    return payment


# --- awards: details, variations and clawback -----------------------------------------------------------


def update_award_details(*, actor: User, award: Award, expected_version: int, data: dict[str, Any]) -> Award:
    """Link an award to its recipient in the organisation directory, the CSP area it serves (used by the
    reports) and, if it serves one neighbourhood, the ward in that CSP area (its public page and the outcome
    view). Amount, term and conditions change only through a variation."""
    require(actor, "funding.manage")
    errors: Errors = {}
    unexpected = sorted(set(data) - {"recipient", "csp", "ward"})
    if unexpected:
        add_error(errors, "__all__", f"Unexpected fields: {', '.join(unexpected)}.")
    award.recipient = read_organisation(data.get("recipient"), errors, "recipient", label="the recipient")
    award.csp = read_csp(data.get("csp"), errors)
    award.ward = read_ward(data.get("ward"), award.csp, errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        save_versioned(award, expected_version=expected_version, actor=actor, reason="Details edited")
    return award


def vary_award(*, actor: User, award: Award, expected_version: int, data: dict[str, Any]) -> AwardVariation:
    """Change an award's amount, end of term or conditions, with the reason and who approved it and when.

    The award keeps its current terms; the variation keeps what they were before and after. A variation
    must change something; the amount may not fall below what has already been scheduled for payment
    plus what has been reclaimed.
    """
    require(actor, "funding.manage")
    errors: Errors = {}
    unexpected = sorted(
        set(data) - {"amount", "ends_on", "conditions", "reason", "approved_by", "approved_on"}
    )
    if unexpected:
        add_error(errors, "__all__", f"Unexpected fields: {', '.join(unexpected)}.")
    amount = award.amount
    if str(data.get("amount") or "").strip():
        amount = read_money(data, "amount", errors, label="the new amount") or award.amount
    ends_on = award.ends_on
    if str(data.get("ends_on") or "").strip():
        ends_on = read_date(data, "ends_on", errors, label="the new end of the grant term")
        if ends_on is not None and ends_on < award.awarded_on:
            add_error(
                errors, "ends_on", f"The term cannot end before the award date, {award.awarded_on:%-d %B %Y}."
            )
    conditions = award.conditions
    if "conditions" in data and data["conditions"] is not None and str(data["conditions"]).strip():
        conditions = str(data["conditions"]).strip()
    reason = read_text(data, "reason", errors, label="the reason for the variation", required=True)
    approved_by = data.get("approved_by")
    if approved_by is None or not getattr(approved_by, "is_active", False):
        add_error(errors, "approved_by", "Choose who approved the variation.")
    approved_on = read_date(data, "approved_on", errors, label="the date it was approved")
    if approved_on is not None and approved_on > timezone.localdate():
        add_error(errors, "approved_on", "The approval date cannot be in the future.")
    if amount == award.amount and ends_on == award.ends_on and conditions == award.conditions:
        add_error(
            errors, "__all__", "A variation must change the amount, the end of the term or the conditions."
        )
    floor = award.payments.aggregate(total=Sum("amount"))["total"] or Decimal("0.00")
    floor = max(floor, award.clawed_back)
    if amount < floor:
        add_error(
            errors,
            "amount",
            f"£{amount:,.2f} is less than the £{floor:,.2f} already scheduled for payment or reclaimed.",
        )
    if errors:
        raise ValidationError(errors)
    assert approved_on is not None
    with transaction.atomic():
        number = (award.variations.aggregate(n=models_max("number"))["n"] or 0) + 1
        variation = AwardVariation(
            award=award,
            number=number,
            amount_before=award.amount,
            amount_after=amount,
            ends_on_before=award.ends_on,
            ends_on_after=ends_on,
            conditions_before=award.conditions,
            conditions_after=conditions,
            reason=reason,
            approved_by=approved_by,
            approved_on=approved_on,
        )
        award.amount, award.ends_on, award.conditions = amount, ends_on, conditions
        save_versioned(award, expected_version=expected_version, actor=actor, reason=f"Variation {number}")
        stamp(variation, actor=actor, reason="Variation agreed")
        variation.save()
    return variation


def record_clawback(*, actor: User, award: Award, expected_version: int, data: dict[str, Any]) -> Clawback:
    """Record money reclaimed from the grant holder. The amount awarded stays as it is (it is what was
    awarded); the award's net amount falls by what was reclaimed, never below zero."""
    require(actor, "funding.manage")
    errors: Errors = {}
    unexpected = sorted(set(data) - {"amount", "reason", "decided_on"})
    if unexpected:
        add_error(errors, "__all__", f"Unexpected fields: {', '.join(unexpected)}.")
    amount = read_money(data, "amount", errors, label="the amount reclaimed")
    reason = read_text(data, "reason", errors, label="why the money is reclaimed", required=True)
    raw_day = data.get("decided_on") or timezone.localdate()
    decided_on = read_date({"decided_on": raw_day}, "decided_on", errors, label="the date of the decision")
    if amount is not None and award.clawed_back + amount > award.amount:
        add_error(
            errors,
            "amount",
            f"Only £{award.amount - award.clawed_back:,.2f} of the £{award.amount:,.2f} awarded is left to reclaim.",
        )
    if errors:
        raise ValidationError(errors)
    assert amount is not None and decided_on is not None
    with transaction.atomic():
        clawback = Clawback(
            award=award, amount=amount, reason=reason, decided_by=actor, decided_on=decided_on
        )
        award.clawed_back = award.clawed_back + amount
        save_versioned(award, expected_version=expected_version, actor=actor, reason="Clawback recorded")
        stamp(clawback, actor=actor, reason="Clawback recorded")
        clawback.save()
    return clawback
