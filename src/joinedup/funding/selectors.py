"""Reading funding records, already restricted to what the user may see."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from operator import mul
from typing import Any, NamedTuple

from django.db import connection
from django.db.models import Q, QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone

from joinedup.core.models import Area, AreaLevel, User

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
    PanelAssignment,
    Score,
)
from .services import committed

SCORED_STATUSES = (ApplicationStatus.ELIGIBLE, ApplicationStatus.APPROVED, ApplicationStatus.DECLINED)


def list_funds(*, user: User) -> QuerySet[Fund]:
    return (
        Fund.objects.restrict(user, "funding.view").prefetch_related("budgets").select_related("force_area")
    )


def get_fund(*, user: User, pk: int) -> Fund:
    return get_object_or_404(list_funds(user=user).select_related("decision_body"), pk=pk)


def list_allocations(*, user: User, fund: Fund, year: int) -> QuerySet[FormulaAllocation]:
    return (
        FormulaAllocation.objects.restrict(user, "funding.view")
        .filter(fund=fund, year=year)
        .select_related("area")
        .order_by("area__name")
    )


def list_rounds(*, user: User, fund: Fund | None = None) -> QuerySet[GrantRound]:
    rounds = GrantRound.objects.restrict(user, "funding.view").select_related("fund")
    return rounds.filter(fund=fund) if fund is not None else rounds


def get_round(*, user: User, pk: int) -> GrantRound:
    return get_object_or_404(list_rounds(user=user).prefetch_related("criteria"), pk=pk)


def list_applications(*, user: User, grant_round: GrantRound | None = None) -> QuerySet[Application]:
    applications = Application.objects.restrict(user, "funding.view").select_related("round", "round__fund")
    return applications.filter(round=grant_round) if grant_round is not None else applications


def get_application(*, user: User, pk: int) -> Application:
    return get_object_or_404(list_applications(user=user), pk=pk)


def assigned_applications(*, user: User) -> QuerySet[Application]:
    """The applications this person is assigned to score, never one they declared a conflict on."""
    return (
        Application.objects.restrict(user, "funding.score")
        .select_related("round", "round__fund")
        .order_by("round__closes_on", "pk")
    )


def get_assigned_application(*, user: User, pk: int) -> Application:
    return get_object_or_404(assigned_applications(user=user), pk=pk)


def list_awards(*, user: User) -> QuerySet[Award]:
    return Award.objects.restrict(user, "funding.view").select_related("fund")


def overdue_returns(*, user: User) -> QuerySet[MonitoringReturn]:
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


def public_awards_serving(area: Area, csps: list[int], limit: int = 20) -> dict[str, list[Award]]:
    """The grants serving a place, for its public page (`csps`: the pks of the CSP areas it lies in or
    holds). A ward's page lists those recorded against the ward (`grants`) and, beside them
    (`csp_grants`), those serving its whole CSP area (no ward recorded); a district's, its CSPs' grants but
    those of wards in other districts; a CSP's or force area's, every grant of its CSPs, wards' included."""
    if not csps and area.level != AreaLevel.WARD:
        return {"grants": [], "csp_grants": []}
    awards = public_awards()
    if area.level == AreaLevel.WARD:
        return {
            "grants": list(awards.filter(ward=area)[:limit]),
            "csp_grants": list(awards.filter(csp__in=csps, ward__isnull=True)[:limit]) if csps else [],
        }
    in_csps = awards.filter(csp__in=csps)
    if area.level == AreaLevel.LAD:
        in_csps = in_csps.filter(Q(ward__isnull=True) | Q(ward__lad=area))
    return {"grants": list(in_csps[:limit]), "csp_grants": []}


# --- moderation ---------------------------------------------------------------------------------------


class ApplicationRow(NamedTuple):
    """The few fields of an application the moderation view shows (no model instance per row)."""

    pk: int
    organisation_name: str
    project_title: str
    amount_requested: Decimal | None
    status: str

    def get_status_display(self) -> str:
        return str(ApplicationStatus(self.status).label)


@dataclass(slots=True)
class RankedApplication:
    application: ApplicationRow
    rank: int
    weighted_score: Decimal | None  # on the round's 0..max_score scale
    percentage: Decimal | None
    scorers: int
    score_sums: tuple[Any, ...]  # (total, scorers, total, scorers, …) per criterion, in the round's order
    running_total: Decimal
    within_budget: bool

    @property
    def criterion_means(self) -> list[Decimal | None]:
        """Each criterion's mean score, in the order of the round's criteria."""
        sums = self.score_sums
        return [Decimal(t) / n if n else None for t, n in zip(sums[0::2], sums[1::2], strict=True)]

    # Formatted here rather than with template filters: the page shows hundreds of these.
    @property
    def requested_text(self) -> str:
        return f"£{self.application.amount_requested or 0:,.2f}"

    @property
    def running_text(self) -> str:
        return f"£{self.running_total:,.2f}"

    @property
    def means_text(self) -> list[str]:
        return ["" if m is None else f"{m:.1f}" for m in self.criterion_means]


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

    @property
    def recommended_lines(self) -> list[str]:
        """The recommendation summary, one line per application, formatted once in Python."""
        top = self.grant_round.max_score
        return [
            f"{r.application.project_title} ({r.application.organisation_name}): {r.requested_text}, "
            f"score {r.weighted_score} of {top}"
            for r in self.recommended
        ]


def _half_up(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded half up, for non-negative integers, exactly."""
    return (2 * numerator + denominator) // (2 * denominator)


def _score_sums(grant_round: GrantRound, criteria: list[Criterion]) -> dict[int, tuple[Any, ...]]:
    """application id → (sum of scores, number of scorers, …) for each criterion in order, for every
    application of the round with a score, in one pass over the scores done by the database: one row per
    application with two columns per criterion (a pivot), so no per-score row reaches Python."""
    if not criteria:
        return {}
    columns = ", ".join(
        "SUM(CASE WHEN criterion_id = %s THEN value END), COUNT(CASE WHEN criterion_id = %s THEN 1 END)"
        for _c in criteria
    )
    ids = [c.pk for c in criteria]
    placeholders = ", ".join(["%s"] * len(ids))
    sql = (
        f"SELECT application_id, {columns} FROM {Score._meta.db_table} "  # noqa: S608 (placeholders only)
        f"WHERE criterion_id IN ({placeholders}) GROUP BY application_id"
    )
    params = [pk for pk in ids for _twice in (0, 1)] + ids
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        # (total, count, total, count, …): a criterion nobody scored has count 0 and total NULL.
        return {row[0]: row[1:] for row in cursor.fetchall()}


def _weighted_hundredths(sums: tuple[Any, ...], weights: list[int], total_weight: int) -> int | None:
    """The weighted score, sum(weight * mean per criterion) / sum(weights), in hundredths of a point rounded
    half up, exactly; None unless every criterion has a score. `sums` is (total, count, total, count, …)."""
    totals, counts = sums[0::2], sums[1::2]
    fewest = min(counts)
    if not fewest:
        return None
    if fewest == max(counts):  # the usual case: every scorer scored every criterion
        return _half_up(100 * sum(map(mul, weights, totals)), fewest * total_weight)
    exact = sum((Fraction(w * t, n) for w, t, n in zip(weights, totals, counts, strict=True)), Fraction(0))
    value = exact * 100 / total_weight
    return _half_up(value.numerator, value.denominator)


def moderation(*, grant_round: GrantRound) -> Moderation:
    """Rank the round's eligible (and decided) applications by weighted score.

    Each criterion's score is the mean of the panel members' scores; the weighted score is the
    weight-weighted mean of those, on the round's 0 to max scale, to the hundredth. Unscored applications
    come last; ties go to the earlier application. The running total adds the amounts requested in rank
    order; an application is within budget while the running total is no more than the round's budget.

    Five queries whatever the size of the round, the scores summed by the database (one row per
    application); no model instance per application or score; integer arithmetic, so the ranking is
    exact and the same on every database.
    """
    criteria = list(grant_round.criteria.all())
    applications = list(
        Application.objects.filter(round=grant_round, status__in=SCORED_STATUSES)
        .order_by()
        .values_list("pk", "organisation_name", "project_title", "amount_requested", "status")
    )
    weights = [c.weight for c in criteria]
    total_weight = sum(weights)
    sums = _score_sums(grant_round, criteria)
    weighted: dict[int, tuple[int, int]] = {}
    for application_id, per_criterion in sums.items():
        hundredths = _weighted_hundredths(per_criterion, weights, total_weight) if total_weight else None
        if hundredths is not None:
            weighted[application_id] = (hundredths, max(per_criterion[1::2]))
    conflicts = ConflictDeclaration.objects.filter(application__round=grant_round).count()
    unscored_key = 1 << 62

    def order(row: tuple[Any, ...]) -> tuple[int, int]:
        found = weighted.get(row[0])
        return (-found[0] if found else unscored_key, row[0])

    applications.sort(key=order)
    budget = grant_round.budget
    max_score = grant_round.max_score
    zero = Decimal("0.00")
    running = zero
    ranked = []
    recommended = []
    recommended_total = zero
    unscored = 0
    for rank, row in enumerate(applications, start=1):
        app = ApplicationRow(*row)
        requested = app.amount_requested or zero
        running += requested
        found = weighted.get(app.pk)
        if found is None:
            score = percentage = None
            scorers = 0
            unscored += 1
            within = False
        else:
            hundredths, scorers = found
            score = Decimal(hundredths).scaleb(-2)
            percentage = Decimal(_half_up(hundredths * 10, max_score)).scaleb(-1)
            within = running <= budget
        item = RankedApplication(
            application=app,
            rank=rank,
            weighted_score=score,
            percentage=percentage,
            scorers=scorers,
            score_sums=sums.get(app.pk, ()),
            running_total=running,
            within_budget=within,
        )
        ranked.append(item)
        if within:
            recommended.append(item)
            recommended_total += requested
    spent = committed(grant_round)
    return Moderation(
        grant_round=grant_round,
        criteria=criteria,
        ranked=ranked,
        budget=budget,
        committed=spent,
        remaining=budget - spent,
        recommended_total=recommended_total,
        conflicts=conflicts,
        unscored=unscored,
        recommended=recommended,
    )


def fund_totals(fund: Fund) -> dict[str, Decimal]:
    awarded = Award.objects.filter(fund=fund).aggregate(total=Sum("amount"))["total"] or Decimal("0.00")
    return {"awarded": awarded}


# --- reports ------------------------------------------------------------------------------------------


def financial_year_of(day: Any) -> int:
    return day.year if day.month >= 4 else day.year - 1


def report_spend_by_fund(*, user: User) -> list[dict[str, Any]]:
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


def report_allocations_per_head(*, user: User) -> QuerySet[FormulaAllocation]:
    return (
        FormulaAllocation.objects.restrict(user, "funding.view")
        .select_related("fund", "area")
        .order_by("area__name", "year", "fund__name")
    )


def report_monitoring_due(*, user: User) -> QuerySet[MonitoringReturn]:
    return (
        MonitoringReturn.objects.filter(award__in=list_awards(user=user), submitted_on__isnull=True)
        .select_related("award", "award__fund")
        .order_by("due_on")
    )


def scores_grants(user: User) -> bool:
    """Whether "Grant scoring" belongs in the user's menu: the OPCC, who run the panels, and anyone assigned
    to score an application."""
    from joinedup.core.roles import Role

    if user.role in (Role.OPCC_ADMIN, Role.OPCC_OFFICER):
        return True
    return PanelAssignment.objects.filter(member=user).exists()


def fund_year_left(fund: Fund, year: int) -> Decimal | None:
    """What a fund has left in a financial year after formula allocations, grants (less clawback) and the
    contracts starting in it; None when the fund has no budget for the year."""
    from datetime import date

    from .models import Contract, FundBudget

    budget = FundBudget.objects.filter(fund=fund, year=year).values_list("amount", flat=True).first()
    if budget is None:
        return None
    within = (date(year, 4, 1), date(year + 1, 3, 31))
    zero = Decimal("0.00")
    allocated = FormulaAllocation.objects.filter(fund=fund, year=year).aggregate(t=Sum("amount"))["t"] or zero
    awards = Award.objects.filter(fund=fund, awarded_on__range=within).aggregate(
        t=Sum("amount"), back=Sum("clawed_back")
    )
    contracted = (
        Contract.objects.filter(fund=fund, starts_on__range=within).aggregate(t=Sum("value"))["t"] or zero
    )
    return budget - allocated - ((awards["t"] or zero) - (awards["back"] or zero)) - contracted


def fund_warnings(fund: Fund | None, day: Any) -> list[str]:
    """Warnings (not refusals: the OPCC may commit more than a year's budget, knowingly) when a fund is
    below zero for the financial year `day` falls in."""
    from .models import financial_year_label

    if fund is None or day is None:
        return []
    year = financial_year_of(day)
    left = fund_year_left(fund, year)
    if left is None:
        return [f"{fund.name} has no budget for {financial_year_label(year)}: set one to see what is left."]
    if left < 0:
        return [
            f"{fund.name} is £{-left:,.2f} below zero for {financial_year_label(year)}: what it has committed "
            "is more than its budget for the year."
        ]
    return []


def formula_allocations_to(area_ids: list[int], *, year: int) -> QuerySet[FormulaAllocation]:
    """Formula allocations to these areas in the financial year starting in `year` (published funding)."""
    return (
        FormulaAllocation.objects.filter(area__in=area_ids, year=year)
        .select_related("fund", "area")
        .order_by("fund__name", "area__name")
    )


def awards_for_csp(csp: Any, *, year: int) -> list[Award]:
    """Grant awards recorded against the CSP whose term runs into the financial year starting in `year`."""
    start, end = datetime.date(year, 4, 1), datetime.date(year + 1, 3, 31)
    return list(
        Award.objects.filter(csp=csp, awarded_on__lte=end)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=start))
        .order_by("awarded_on", "pk")
    )


# --- figures for performance indicators (docs/adr/0038) -----------------------------------------------


def _is_percentage(unit: str) -> bool:
    """Whether a KPI's free-text unit says its figure is a percentage ("%", "per cent", "percentage")."""
    text = unit.strip().lower()
    return text.endswith("%") or text in ("percent", "per cent", "percentage", "percentage points")


# A KPI whose figure is an average or a rate of something (its unit or name says so), or a length of time
# (an average time to do something, as "days to first contact"): its returns' figures are averaged over a
# period, never added up. Anything else is a count, and adds up.
_AVERAGE_WORDS = ("average", "mean", "median", "rate", "ratio", "score", "per ", "/")
_DURATIONS = {"second", "minute", "min", "hour", "hr", "day", "working day", "week", "month", "year"}


def _is_average(unit: str, name: str) -> bool:
    """Whether a KPI's figure is an average, a rate or a length of time rather than a count, from its
    free-text unit ("days", "hours per case", "average score") or a name that says so ("Average ...")."""
    text = unit.strip().lower()
    words = name.strip().lower().split()
    return (
        any(word in text for word in _AVERAGE_WORDS)
        or text.rstrip("s") in _DURATIONS
        or bool(words and words[0] in ("average", "mean", "median"))
    )


@dataclass(frozen=True)
class ReturnedFigure:
    """One figure a return gives for a KPI or an outcome measure, with the period the return covers."""

    value: Decimal
    starts_on: datetime.date
    ends_on: datetime.date
    return_id: int
    counted: bool = True  # False: a monitoring return not accepted (yet)
    status: str = ""  # a monitoring return's status, in words
    state: str = ""  # a monitoring return's status, as stored (ReturnStatus)


@dataclass(frozen=True)
class FigureSource:
    """What a performance indicator needs to know about a KPI or an outcome measure it reads: its unit,
    whether higher is better, and how it is described (to staff, and on the public site)."""

    pk: int
    name: str
    percentage: bool
    currency: bool
    higher_is_better: bool
    label: str  # for a picker: the KPI or measure and what it belongs to
    description: str  # the source in words, for staff
    public_description: str  # the source in words, for the public site
    # Its returns' figures are averaged over a period (a percentage, an average, a rate or a length of
    # time), not added up as counts are.
    averaged: bool = False


def readable_kpis(*, user: User) -> QuerySet[Any]:
    """The KPIs of the contracts and call-offs the person reads (call-offs through the frameworks they
    read, as the supplier benchmark reads them), by contract or call-off."""
    from .models import Contract, Framework, Kpi

    contracts = Contract.objects.restrict(user, "funding.view")
    frameworks = Framework.objects.restrict(user, "funding.view")
    return (
        Kpi.objects.filter(Q(contract__in=contracts) | Q(call_off__lot__framework__in=frameworks))
        .select_related(
            "contract", "contract__provider", "call_off", "call_off__organisation", "call_off__lot__supplier"
        )
        .order_by("contract__reference", "call_off__reference", "name", "pk")
    )


def readable_outcome_measures(*, user: User) -> QuerySet[Any]:
    """The outcome measures of the grants the person reads, by grant."""
    from .models import OutcomeMeasure

    return (
        OutcomeMeasure.objects.filter(award__in=list_awards(user=user))
        .select_related("award")
        .order_by("award__recipient_name", "award__pk", "position", "pk")
    )


def _kpi_source(kpi: Any) -> FigureSource:
    direction = "higher" if kpi.higher_is_better else "lower"
    target = (
        f"target {kpi.target.normalize():f}{'%' if _is_percentage(kpi.unit) else f' {kpi.unit}'.rstrip()}"
    )
    if kpi.contract_id:
        where = f"contract {kpi.contract.reference} ({kpi.contract.title})"
        supplier = kpi.contract.provider.name
    else:
        where = f"call-off {kpi.call_off.reference} by {kpi.call_off.organisation.name}"
        supplier = kpi.call_off.lot.supplier.name
    return FigureSource(
        pk=kpi.pk,
        name=kpi.name,
        percentage=_is_percentage(kpi.unit),
        currency=False,
        averaged=_is_percentage(kpi.unit) or _is_average(kpi.unit, kpi.name),
        higher_is_better=kpi.higher_is_better,
        label=f"{kpi.name} ({kpi.unit or 'no unit'}, {direction} is better): {where}, {supplier}",
        description=f"KPI '{kpi.name}' of {where}, from {supplier}'s performance returns "
        f"({target}, {direction} is better)",
        public_description=f"KPI '{kpi.name}' of a commissioned service, from the supplier's performance "
        f"returns ({target}, {direction} is better)",
    )


def _measure_source(measure: Any) -> FigureSource:
    from .models import AVERAGED_UNITS, MeasureDirection, MeasureUnit

    award = measure.award
    target = f", target {measure.format(measure.target)}" if measure.target is not None else ""
    direction = "higher" if measure.direction == MeasureDirection.UP else "lower"
    description = (
        f"Outcome measure '{measure.name}' of the grant {award.identifier} to {award.recipient_name} "
        f"({award.title}), from its accepted monitoring returns "
        f"({measure.get_unit_display().lower()}{target}, {direction} is better)"
    )
    return FigureSource(
        pk=measure.pk,
        name=measure.name,
        percentage=measure.unit == MeasureUnit.PERCENTAGE,
        currency=measure.unit == MeasureUnit.CURRENCY,
        # A measure's unit is chosen, not read from its name as a KPI's is (docs/adr/0045).
        averaged=measure.unit in AVERAGED_UNITS,
        higher_is_better=measure.direction == MeasureDirection.UP,
        label=f"{measure.name} ({measure.get_unit_display().lower()}, {direction} is better): grant "
        f"{award.identifier} to {award.recipient_name}, {award.title}",
        description=description,
        # Grants are published as open data (public_awards), and so are their measures here.
        public_description=description,
    )


def kpi_sources(*, user: User | None = None, ids: list[int] | None = None) -> dict[int, FigureSource]:
    """KPIs as performance indicators see them, by id: those `user` reads (every one when no user is
    given: the recompute and the description of an indicator already defined), those of `ids` if given."""
    from .models import Kpi

    kpis = (
        readable_kpis(user=user)
        if user is not None
        else Kpi.objects.select_related(
            "contract", "contract__provider", "call_off", "call_off__organisation", "call_off__lot__supplier"
        )
    )
    if ids is not None:
        kpis = kpis.filter(pk__in=ids)
    return {kpi.pk: _kpi_source(kpi) for kpi in kpis}


def outcome_measure_sources(
    *, user: User | None = None, ids: list[int] | None = None
) -> dict[int, FigureSource]:
    """Outcome measures as performance indicators see them, by id: those of the grants `user` reads
    (every one when no user is given), those of `ids` if given."""
    from .models import OutcomeMeasure

    measures = (
        readable_outcome_measures(user=user)
        if user is not None
        else OutcomeMeasure.objects.select_related("award")
    )
    if ids is not None:
        measures = measures.filter(pk__in=ids)
    return {measure.pk: _measure_source(measure) for measure in measures}


def kpi_figures(kpi_id: int) -> list[ReturnedFigure]:
    """Every performance return of a KPI, by the end of its period. Supplier figures are not personal data,
    so this is read without a person (the indicators' recompute runs from the scheduler too)."""
    from .models import PerformanceReturn

    return [
        ReturnedFigure(value=actual, starts_on=start, ends_on=end, return_id=pk)
        for pk, start, end, actual in PerformanceReturn.objects.filter(kpi_id=kpi_id)
        .order_by("period_end", "period_start", "pk")
        .values_list("pk", "period_start", "period_end", "actual")
    ]


def outcome_measure_figures(measure_id: int) -> list[ReturnedFigure]:
    """Every value given for an outcome measure in its grant's monitoring returns, by due date, with the
    period each return covers (from the day after the previous return's due date, or from the award date,
    to its own: monitoring_selectors.periods) and whether the return is accepted (`counted`)."""
    from .models import MeasureValue, MonitoringReturn, OutcomeMeasure, ReturnStatus

    measure = OutcomeMeasure.objects.select_related("award").filter(pk=measure_id).first()
    if measure is None:
        return []
    values = dict(
        MeasureValue.objects.filter(measure_id=measure_id).values_list("monitoring_return_id", "value")
    )
    figures, starts_on = [], measure.award.awarded_on
    for pk, due_on, status in (
        MonitoringReturn.objects.filter(award_id=measure.award_id)
        .order_by("due_on", "pk")
        .values_list("pk", "due_on", "status")
    ):
        if pk in values:
            figures.append(
                ReturnedFigure(
                    value=values[pk],
                    starts_on=starts_on,
                    ends_on=due_on,
                    return_id=pk,
                    counted=status == ReturnStatus.ACCEPTED,
                    status=str(ReturnStatus(status).label),
                    state=status,
                )
            )
        starts_on = due_on + datetime.timedelta(days=1)
    return figures


def outcome_measure_ids_of_award(award_id: int) -> list[int]:
    """The outcome measures of one grant (whose indicators a monitoring return's change recomputes)."""
    from .models import OutcomeMeasure

    return list(OutcomeMeasure.objects.filter(award_id=award_id).values_list("pk", flat=True))
