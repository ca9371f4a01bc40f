"""Funding reports: spend by Plan priority, by CSP, by recipient sector, by fund and year; per-head spend
per CSP; monitoring returns due and overdue. Each is a table a page shows and a CSV repeats.

Every figure is summed in the database (a few GROUP BY queries per report, whatever the number of
grants). "Spend" is money committed: formula allocations, grants awarded net of clawback, and the value
of commissioned contracts. A contract counts in the financial year it starts.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Case, Count, DecimalField, ExpressionWrapper, F, IntegerField, Sum, When
from django.db.models.functions import ExtractYear
from django.utils import timezone

from joinedup.core.models import Area, Sector, User, sector_group
from joinedup.partnerships.models import PlanPriority

from ..models import (
    Award,
    Contract,
    FormulaAllocation,
    Fund,
    FundBudget,
    MonitoringReturn,
    financial_year_label,
)

# The reports are read with their own rule, so the Police and Crime Panel reads spend without reading
# applications, scores or funds' working records (docs/adr/0018).
READ = "funding.reports.view"
# Reports of the OPCC's own working (returns chased from recipients), not of spend: not the Panel's.
OPERATIONAL = ("monitoring-due",)


def list_funds(*, user: User) -> Any:
    return Fund.objects.restrict(user, READ).prefetch_related("budgets").select_related("force_area")


def list_awards(*, user: User) -> Any:
    return Award.objects.restrict(user, READ).select_related("fund")


def list_contracts(*, user: User) -> Any:
    return Contract.objects.restrict(user, READ).select_related(
        "provider", "commissioner", "fund", "csp", "board"
    )


ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=16, decimal_places=2)


@dataclass
class Column:
    label: str
    kind: str = "text"  # text | money | number | per_head


@dataclass
class Report:
    slug: str
    title: str
    intro: str
    columns: list[Column]
    rows: list[list[Any]] = field(default_factory=list)
    totals: list[Any] | None = None
    note: str = ""

    def _cells(self, row: list[Any]) -> list[tuple[str, bool]]:
        return [(display_value(v, c.kind), c.kind in NUMERIC) for v, c in zip(row, self.columns, strict=True)]

    @property
    def display_rows(self) -> list[list[tuple[str, bool]]]:
        """The rows as (text, numeric?) cells, for the page."""
        return [self._cells(row) for row in self.rows]

    @property
    def display_totals(self) -> list[tuple[str, bool]] | None:
        return self._cells(self.totals) if self.totals else None


NUMERIC = ("money", "number", "per_head")


def display_value(value: Any, kind: str) -> str:
    if value is None or value == "":
        return ""
    if kind == "money" and isinstance(value, Decimal):
        return f"£{value:,.2f}"
    if kind == "per_head" and isinstance(value, Decimal):
        return f"£{value:.2f}"
    if kind == "number" and isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, datetime.date):
        return f"{value:%-d %b %Y}"
    return str(value)


def _net_award() -> ExpressionWrapper:
    return ExpressionWrapper(F("amount") - F("clawed_back"), output_field=MONEY)


def _financial_year(date_field: str) -> Case:
    """The financial year (April to March) a date falls in, as its starting year, in SQL."""
    return Case(
        When(**{f"{date_field}__month__gte": 4}, then=ExtractYear(date_field)),
        default=ExtractYear(date_field) - 1,
        output_field=IntegerField(),
    )


def _sum(rows: list[list[Any]], index: int) -> Decimal:
    return sum((row[index] or ZERO for row in rows), ZERO)


def _per_head(amount: Decimal, population: int | None) -> Decimal | None:
    if not population:
        return None
    return (amount / Decimal(population)).quantize(Decimal("0.01"), ROUND_HALF_UP)


# --- spend by Plan priority -------------------------------------------------------------------------


def spend_by_priority(*, user: User) -> Report:
    row: Any  # each GROUP BY below yields its own shape of dict
    funds = list_funds(user=user)
    totals: dict[int | None, list[Decimal]] = {}

    def add(key: int | None, index: int, amount: Decimal | None) -> None:
        totals.setdefault(key, [ZERO, ZERO, ZERO])[index] += amount or ZERO

    for row in (
        FormulaAllocation.objects.filter(fund__in=funds)
        .values("fund__priorities")
        .annotate(total=Sum("amount"))
        .order_by()
    ):
        add(row["fund__priorities"], 0, row["total"])
    for row in list_awards(user=user).values("fund__priorities").annotate(total=Sum(_net_award())).order_by():
        add(row["fund__priorities"], 1, row["total"])
    for row in list_contracts(user=user).values("priorities").annotate(total=Sum("value")).order_by():
        add(row["priorities"], 2, row["total"])
    priorities = PlanPriority.objects.select_related("plan").in_bulk([k for k in totals if k is not None])
    rows = []
    for key, (allocated, awarded, contracted) in totals.items():
        priority = priorities.get(key) if key is not None else None
        plan = priority.plan.title if priority else ""
        name = priority.title if priority else "Not linked to a Plan priority"
        rows.append([plan, name, allocated, awarded, contracted, allocated + awarded + contracted])
    rows.sort(key=lambda r: (r[0] == "", r[0], r[1]))
    return Report(
        slug="spend-by-priority",
        title="Spend by Police and Crime Plan priority",
        intro="Formula allocations and grants count against the priorities of their fund; contracts against "
        "their own.",
        columns=[
            Column("Plan"),
            Column("Priority"),
            Column("Allocated by formula", "money"),
            Column("Grants awarded (net of clawback)", "money"),
            Column("Contracts", "money"),
            Column("Total", "money"),
        ],
        rows=rows,
        note="Money serving several priorities counts under each of them, so the rows add up to more than "
        "was spent.",
    )


# --- spend by CSP and per head ----------------------------------------------------------------------


def _csp_spend(user: User, *, by_year: bool) -> dict[tuple[int, int | None], list[Decimal]]:
    row: Any  # each GROUP BY below yields its own shape of dict
    funds = list_funds(user=user)
    spend: dict[tuple[int, int | None], list[Decimal]] = {}

    def add(area: int | None, year: int | None, index: int, amount: Decimal | None) -> None:
        if area is None:
            return
        spend.setdefault((area, year if by_year else None), [ZERO, ZERO, ZERO])[index] += amount or ZERO

    allocations = FormulaAllocation.objects.filter(fund__in=funds)
    for row in allocations.values("area_id", "year").annotate(total=Sum("amount")).order_by():
        add(row["area_id"], row["year"], 0, row["total"])
    awards = list_awards(user=user).annotate(fy=_financial_year("awarded_on"))
    for row in awards.values("csp_id", "fy").annotate(total=Sum(_net_award())).order_by():
        add(row["csp_id"], row["fy"], 1, row["total"])
    contracts = list_contracts(user=user).annotate(fy=_financial_year("starts_on"))
    for row in contracts.values("csp_id", "fy").annotate(total=Sum("value")).order_by():
        add(row["csp_id"], row["fy"], 2, row["total"])
    return spend


def spend_by_csp(*, user: User) -> Report:
    spend = _csp_spend(user, by_year=False)
    areas = Area.objects.in_bulk([area for area, _year in spend])
    rows: list[list[Any]] = []
    for (area_id, _year), (allocated, awarded, contracted) in spend.items():
        area = areas[area_id]
        total = allocated + awarded + contracted
        rows.append([area.code, area.name, allocated, awarded, contracted, total, area.population])
    rows.sort(key=lambda r: str(r[1]))
    return Report(
        slug="spend-by-csp",
        title="Spend by Community Safety Partnership",
        intro="Formula allocations to each CSP, grants recorded as serving it (net of clawback) and contracts "
        "for services in it, over every financial year.",
        columns=[
            Column("CSP code"),
            Column("CSP"),
            Column("Allocated by formula", "money"),
            Column("Grants awarded (net)", "money"),
            Column("Contracts", "money"),
            Column("Total", "money"),
            Column("Population", "number"),
        ],
        rows=rows,
        totals=["", "All CSPs", *(_sum(rows, i) for i in range(2, 6)), ""] if rows else None,
        note="Grants and contracts with no CSP recorded are not in this table.",
    )


def spend_per_head(*, user: User) -> Report:
    spend = _csp_spend(user, by_year=True)
    areas = Area.objects.in_bulk([area for area, _year in spend])
    rows = []
    for (area_id, year), amounts in spend.items():
        area = areas[area_id]
        total = sum(amounts, ZERO)
        rows.append(
            [
                area.code,
                area.name,
                financial_year_label(year or 0),
                total,
                area.population,
                _per_head(total, area.population),
            ]
        )
    rows.sort(key=lambda r: (r[1], r[2]))
    return Report(
        slug="spend-per-head",
        title="Spend per head of population, by CSP and financial year",
        intro="Everything spent in each CSP (formula allocations, grants net of clawback, contracts) divided "
        "by its population in the reference data.",
        columns=[
            Column("CSP code"),
            Column("CSP"),
            Column("Financial year"),
            Column("Spend", "money"),
            Column("Population", "number"),
            Column("Per head", "per_head"),
        ],
        rows=rows,
        note="A CSP with no population recorded has no per-head figure.",
    )


def allocations_per_head(*, user: User) -> Report:
    allocations = (
        FormulaAllocation.objects.restrict(user, READ)
        .select_related("fund", "area")
        .order_by("area__name", "year", "fund__name")
    )
    rows = [
        [
            a.area.code,
            a.area.name,
            financial_year_label(a.year),
            a.fund.name,
            a.population,
            a.amount,
            a.per_head,
        ]
        for a in allocations
    ]
    return Report(
        slug="allocations-per-head",
        title="Formula allocations per head, by CSP",
        intro="Each formula allocation, with the population it was split by.",
        columns=[
            Column("Area code"),
            Column("Area"),
            Column("Financial year"),
            Column("Fund"),
            Column("Population", "number"),
            Column("Amount", "money"),
            Column("Per head", "per_head"),
        ],
        rows=rows,
    )


# --- spend by recipient sector ----------------------------------------------------------------------


def spend_by_sector(*, user: User) -> Report:
    row: Any  # each GROUP BY below yields its own shape of dict
    totals: dict[str, list[Any]] = {}

    def add(sector: str | None, index: int, count: int, amount: Decimal | None) -> None:
        entry = totals.setdefault(sector or "", [0, ZERO, 0, ZERO])
        entry[index] += count
        entry[index + 1] += amount or ZERO

    for row in (
        list_awards(user=user)
        .values("recipient__sector")
        .annotate(n=Count("pk"), total=Sum(_net_award()))
        .order_by()
    ):
        add(row["recipient__sector"], 0, row["n"], row["total"])
    for row in (
        list_contracts(user=user)
        .values("provider__sector")
        .annotate(n=Count("pk"), total=Sum("value"))
        .order_by()
    ):
        add(row["provider__sector"], 2, row["n"], row["total"])
    labels = dict(Sector.choices)
    rows = []
    for sector, (grants, awarded, contracts, contracted) in totals.items():
        label = labels.get(sector, "Recipient not linked to the directory")
        rows.append(
            [
                sector_group(sector) if sector else "",
                label,
                grants,
                awarded,
                contracts,
                contracted,
                awarded + contracted,
            ]
        )
    rows.sort(key=lambda r: (r[0] == "", r[0], r[1]))
    return Report(
        slug="spend-by-sector",
        title="Spend by recipient sector",
        intro="Grants (net of clawback) by the sector of the recipient in the organisation directory, and "
        "contracts by the provider's sector.",
        columns=[
            Column("Sector group"),
            Column("Sector"),
            Column("Grants", "number"),
            Column("Grants awarded (net)", "money"),
            Column("Contracts", "number"),
            Column("Contract value", "money"),
            Column("Total", "money"),
        ],
        rows=rows,
        totals=[
            "",
            "All sectors",
            sum(r[2] for r in rows),
            _sum(rows, 3),
            sum(r[4] for r in rows),
            _sum(rows, 5),
            _sum(rows, 6),
        ]
        if rows
        else None,
    )


# --- spend by fund and year -------------------------------------------------------------------------


def spend_by_fund(*, user: User) -> Report:
    row: Any  # each GROUP BY below yields its own shape of dict
    funds = list_funds(user=user)
    names = {fund.pk: fund.name for fund in funds}
    table: dict[tuple[int, int], list[Decimal]] = {}

    def add(fund_id: int | None, year: int, index: int, amount: Decimal | None) -> None:
        if fund_id is None or fund_id not in names:
            return
        table.setdefault((fund_id, year), [ZERO] * 5)[index] += amount or ZERO

    for row in FundBudget.objects.filter(fund__in=funds).values("fund_id", "year", "amount"):
        add(row["fund_id"], row["year"], 0, row["amount"])
    for row in (
        FormulaAllocation.objects.filter(fund__in=funds)
        .values("fund_id", "year")
        .annotate(total=Sum("amount"))
        .order_by()
    ):
        add(row["fund_id"], row["year"], 1, row["total"])
    awards = list_awards(user=user).annotate(fy=_financial_year("awarded_on"))
    for row in (
        awards.values("fund_id", "fy").annotate(total=Sum("amount"), back=Sum("clawed_back")).order_by()
    ):
        add(row["fund_id"], row["fy"], 2, row["total"])
        add(row["fund_id"], row["fy"], 3, row["back"])
    contracts = list_contracts(user=user).annotate(fy=_financial_year("starts_on"))
    for row in contracts.values("fund_id", "fy").annotate(total=Sum("value")).order_by():
        add(row["fund_id"], row["fy"], 4, row["total"])
    rows = []
    for (fund_id, year), (budget, allocated, awarded, back, contracted) in sorted(
        table.items(), key=lambda item: (names[item[0][0]], item[0][1])
    ):
        left = budget - allocated - (awarded - back) - contracted
        rows.append(
            [names[fund_id], financial_year_label(year), budget, allocated, awarded, back, contracted, left]
        )
    return Report(
        slug="spend-by-fund",
        title="Budget and spend by fund and financial year",
        intro="Each fund's budget for the year against what it has allocated by formula, awarded in grants "
        "(less clawback) and committed to contracts.",
        columns=[
            Column("Fund"),
            Column("Financial year"),
            Column("Budget", "money"),
            Column("Allocated by formula", "money"),
            Column("Awarded in grants", "money"),
            Column("Clawed back", "money"),
            Column("Contracts", "money"),
            Column("Left", "money"),
        ],
        rows=rows,
    )


# --- monitoring returns -----------------------------------------------------------------------------


def monitoring_due(*, user: User, overdue_only: bool = False) -> Report:
    today = timezone.localdate()
    returns = (
        MonitoringReturn.objects.filter(award__in=list_awards(user=user), submitted_on__isnull=True)
        .select_related("award", "award__fund")
        .order_by("due_on", "pk")
    )
    if overdue_only:
        returns = returns.filter(due_on__lt=today)
    rows = [
        [
            m.award.recipient_name,
            m.award.title,
            m.award.fund.name,
            m.due_on,
            "yes" if m.due_on < today else "no",
            (today - m.due_on).days if m.due_on < today else "",
        ]
        for m in returns
    ]
    overdue = sum(1 for r in rows if r[4] == "yes")
    return Report(
        slug="monitoring-due",
        title="Monitoring returns due and overdue",
        intro=f"{len(rows)} return{'s' if len(rows) != 1 else ''} not yet received, {overdue} overdue.",
        columns=[
            Column("Recipient"),
            Column("Grant"),
            Column("Fund"),
            Column("Due on", "date"),
            Column("Overdue"),
            Column("Days overdue", "number"),
        ],
        rows=rows,
    )


REPORTS: dict[str, Callable[..., Report]] = {
    "spend-by-priority": spend_by_priority,
    "spend-by-csp": spend_by_csp,
    "spend-per-head": spend_per_head,
    "spend-by-sector": spend_by_sector,
    "spend-by-fund": spend_by_fund,
    "allocations-per-head": allocations_per_head,
    "monitoring-due": monitoring_due,
}


def csv_value(value: Any, kind: str) -> Any:
    if value is None:
        return ""
    if kind in ("money", "per_head") and isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value
