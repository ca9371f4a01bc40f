"""Reading funding records, already restricted to what the user may see."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Avg, Count, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from .models import (
    Application,
    ApplicationStatus,
    Award,
    ConflictDeclaration,
    Criterion,
    FormulaAllocation,
    Fund,
    GrantRound,
    MonitoringReturn,
    Score,
)
from .services import committed

SCORED_STATUSES = (ApplicationStatus.ELIGIBLE, ApplicationStatus.APPROVED, ApplicationStatus.DECLINED)


def list_funds(*, user: Any) -> QuerySet[Fund]:
    return (
        Fund.objects.restrict(user, "funding.view").prefetch_related("budgets").select_related("force_area")
    )


def get_fund(*, user: Any, pk: int) -> Fund:
    try:
        return list_funds(user=user).select_related("decision_body").get(pk=pk)
    except Fund.DoesNotExist:
        raise Http404 from None


def list_allocations(*, user: Any, fund: Fund, year: int) -> QuerySet[FormulaAllocation]:
    return (
        FormulaAllocation.objects.restrict(user, "funding.view")
        .filter(fund=fund, year=year)
        .select_related("area")
        .order_by("area__name")
    )


def list_rounds(*, user: Any, fund: Fund | None = None) -> QuerySet[GrantRound]:
    rounds = GrantRound.objects.restrict(user, "funding.view").select_related("fund")
    return rounds.filter(fund=fund) if fund is not None else rounds


def get_round(*, user: Any, pk: int) -> GrantRound:
    try:
        return list_rounds(user=user).prefetch_related("criteria").get(pk=pk)
    except GrantRound.DoesNotExist:
        raise Http404 from None


def list_applications(*, user: Any, grant_round: GrantRound | None = None) -> QuerySet[Application]:
    applications = Application.objects.restrict(user, "funding.view").select_related("round", "round__fund")
    return applications.filter(round=grant_round) if grant_round is not None else applications


def get_application(*, user: Any, pk: int) -> Application:
    try:
        return list_applications(user=user).get(pk=pk)
    except Application.DoesNotExist:
        raise Http404 from None


def assigned_applications(*, user: Any) -> QuerySet[Application]:
    """The applications this person is assigned to score, never one they declared a conflict on."""
    return (
        Application.objects.restrict(user, "funding.score")
        .select_related("round", "round__fund")
        .order_by("round__closes_on", "pk")
    )


def get_assigned_application(*, user: Any, pk: int) -> Application:
    try:
        return assigned_applications(user=user).get(pk=pk)
    except Application.DoesNotExist:
        raise Http404 from None


def list_awards(*, user: Any) -> QuerySet[Award]:
    return Award.objects.restrict(user, "funding.view").select_related("fund")


def overdue_returns(*, user: Any) -> QuerySet[MonitoringReturn]:
    """Monitoring returns past their due date and not yet received."""
    return (
        MonitoringReturn.objects.filter(
            award__in=list_awards(user=user), submitted_on__isnull=True, due_on__lt=timezone.localdate()
        )
        .select_related("award")
        .order_by("due_on")
    )


def public_awards() -> QuerySet[Award]:
    """Awarded grants are public: every field here is published as open data."""
    return Award.objects.select_related("fund", "application__round").order_by("-awarded_on", "-pk")


# --- moderation ---------------------------------------------------------------------------------------


@dataclass
class RankedApplication:
    application: Application
    rank: int
    weighted_score: Decimal | None  # on the round's 0..max_score scale
    percentage: Decimal | None
    scorers: int
    criterion_means: list[Decimal | None]  # in the order of the round's criteria
    running_total: Decimal
    within_budget: bool


@dataclass
class Moderation:
    grant_round: GrantRound
    criteria: list[Criterion]
    ranked: list[RankedApplication]
    budget: Decimal
    committed: Decimal
    remaining: Decimal
    recommended_total: Decimal
    conflicts: int
    unscored: int
    recommended: list[RankedApplication] = field(default_factory=list)


def moderation(*, grant_round: GrantRound) -> Moderation:
    """Rank the round's eligible (and decided) applications by weighted score.

    Each criterion's score is the mean of the panel members' scores; the weighted score is the
    weight-weighted mean of those, on the round's 0 to max scale. Unscored applications come last. The
    running total adds the amounts requested in rank order; an application is within budget while the
    running total is no more than the round's budget.
    """
    criteria = list(grant_round.criteria.all())
    total_weight = sum(c.weight for c in criteria) or 1
    applications = list(
        Application.objects.filter(round=grant_round, status__in=SCORED_STATUSES).only(
            "pk", "round_id", "organisation_name", "project_title", "amount_requested", "status"
        )
    )
    # One pass over the scores: each criterion's mean, and how many people scored it.
    means: dict[int, dict[int, Decimal]] = {}
    scorers: dict[int, int] = {}
    for application_id, criterion_id, mean, count in (
        Score.objects.filter(application__round=grant_round)
        .values("application_id", "criterion_id")
        .annotate(mean=Avg("value"), n=Count("member_id"))
        .values_list("application_id", "criterion_id", "mean", "n")
        .order_by()
    ):
        means.setdefault(application_id, {})[criterion_id] = Decimal(str(mean))
        scorers[application_id] = max(scorers.get(application_id, 0), count)
    conflicts = ConflictDeclaration.objects.filter(application__round=grant_round).count()

    def weighted(app: Application) -> Decimal | None:
        app_means = means.get(app.pk)
        if not app_means or len(app_means) < len(criteria):
            return None
        value = sum(c.weight * app_means[c.pk] for c in criteria) / total_weight
        return Decimal(value).quantize(Decimal("0.01"), ROUND_HALF_UP)

    scored = [(weighted(app), app) for app in applications]
    scored.sort(key=lambda item: (item[0] is None, -(item[0] or 0), item[1].pk))
    budget = grant_round.budget
    running = Decimal("0.00")
    ranked = []
    for rank, (score, app) in enumerate(scored, start=1):
        running += app.amount_requested or Decimal("0.00")
        percentage = (
            (score * 100 / grant_round.max_score).quantize(Decimal("0.1"), ROUND_HALF_UP)
            if score is not None
            else None
        )
        ranked.append(
            RankedApplication(
                application=app,
                rank=rank,
                weighted_score=score,
                percentage=percentage,
                scorers=scorers.get(app.pk, 0),
                criterion_means=[means.get(app.pk, {}).get(c.pk) for c in criteria],
                running_total=running,
                within_budget=score is not None and running <= budget,
            )
        )
    spent = committed(grant_round)
    recommended = [r for r in ranked if r.within_budget]
    return Moderation(
        grant_round=grant_round,
        criteria=criteria,
        ranked=ranked,
        budget=budget,
        committed=spent,
        remaining=budget - spent,
        recommended_total=sum(
            (r.application.amount_requested or Decimal("0.00") for r in recommended), Decimal("0.00")
        ),
        conflicts=conflicts,
        unscored=sum(1 for r in ranked if r.weighted_score is None),
        recommended=recommended,
    )


def fund_totals(fund: Fund) -> dict[str, Decimal]:
    awarded = Award.objects.filter(fund=fund).aggregate(total=Sum("amount"))["total"] or Decimal("0.00")
    return {"awarded": awarded}


# --- reports ------------------------------------------------------------------------------------------


def financial_year_of(day: Any) -> int:
    return day.year if day.month >= 4 else day.year - 1


def report_spend_by_fund(*, user: Any) -> list[dict[str, Any]]:
    """Per fund and financial year: budget, allocated by formula, awarded in grants, and what is left."""
    from .models import FundBudget, financial_year_label

    rows: dict[tuple[int, int], dict[str, Any]] = {}
    funds = {fund.pk: fund.name for fund in list_funds(user=user)}

    def row(fund_id: int, year: int) -> dict[str, Any]:
        return rows.setdefault(
            (fund_id, year),
            {
                "fund": funds.get(fund_id, ""),
                "year": financial_year_label(year),
                "budget": Decimal("0.00"),
                "allocated": Decimal("0.00"),
                "awarded": Decimal("0.00"),
            },
        )

    for budget in FundBudget.objects.filter(fund_id__in=funds):
        row(budget.fund_id, budget.year)["budget"] += budget.amount
    for allocation in (
        FormulaAllocation.objects.filter(fund_id__in=funds)
        .values("fund_id", "year")
        .annotate(total=Sum("amount"))
    ):
        row(allocation["fund_id"], allocation["year"])["allocated"] += allocation["total"]
    for fund_id, awarded_on, amount in Award.objects.filter(fund_id__in=funds).values_list(
        "fund_id", "awarded_on", "amount"
    ):
        row(fund_id, financial_year_of(awarded_on))["awarded"] += amount
    result = [rows[key] for key in sorted(rows, key=lambda k: (funds.get(k[0], ""), k[1]))]
    for item in result:
        item["left"] = item["budget"] - item["allocated"] - item["awarded"]
    return result


def report_allocations_per_head(*, user: Any) -> QuerySet[FormulaAllocation]:
    return (
        FormulaAllocation.objects.restrict(user, "funding.view")
        .select_related("fund", "area")
        .order_by("area__name", "year", "fund__name")
    )


def report_monitoring_due(*, user: Any) -> QuerySet[MonitoringReturn]:
    return (
        MonitoringReturn.objects.filter(award__in=list_awards(user=user), submitted_on__isnull=True)
        .select_related("award", "award__fund")
        .order_by("due_on")
    )
