"""Reading commissioning records (contracts, boards, frameworks, supplier performance), restricted to the
user, in a fixed number of queries whatever the number of rows."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import (
    Avg,
    Count,
    DecimalField,
    ExpressionWrapper,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from joinedup.core.models import Organisation, User

from ..models import (
    CallOff,
    CommissioningBoard,
    Contract,
    Framework,
    FrameworkLot,
    Kpi,
    PerformanceReturn,
    PooledContribution,
    financial_year_label,
)


def list_contracts(
    *,
    user: User,
    q: str = "",
    provider: int | None = None,
    fund: int | None = None,
    priority: int | None = None,
    live_on: Any = None,
) -> QuerySet[Contract]:
    contracts = Contract.objects.restrict(user, "funding.view").select_related(
        "provider", "commissioner", "fund", "csp", "ward__lad", "board"
    )
    if q:
        contracts = contracts.filter(
            Q(reference__icontains=q)
            | Q(title__icontains=q)
            | Q(provider__name__icontains=q)
            | Q(description__icontains=q)
        )
    if provider:
        contracts = contracts.filter(provider_id=provider)
    if fund:
        contracts = contracts.filter(fund_id=fund)
    if priority:
        contracts = contracts.filter(priorities__pk=priority)
    if live_on:
        contracts = contracts.filter(starts_on__lte=live_on, ends_on__gte=live_on)
    return contracts.distinct() if priority else contracts


def get_contract(*, user: User, pk: int) -> Contract:
    return get_object_or_404(
        list_contracts(user=user).prefetch_related("priorities__plan", _kpis_with_returns()), pk=pk
    )


def _kpis_with_returns() -> Prefetch:
    return Prefetch("kpis", queryset=Kpi.objects.prefetch_related("returns").order_by("name", "pk"))


def list_boards(*, user: User) -> QuerySet[CommissioningBoard]:
    """The boards the person reads, by name, with the money pooled over all years (`pooled`, summed in a
    subquery: joined with the members, each contribution would count once a member) and `member_count`."""
    pooled = (
        PooledContribution.objects.filter(board=OuterRef("pk"))
        .order_by()
        .values("board")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return (
        CommissioningBoard.objects.restrict(user, "funding.view")
        .annotate(pooled=Subquery(pooled), member_count=Count("members", distinct=True))
        .order_by("name")
    )


@dataclass
class BoardPool:
    years: list[str]
    rows: list[tuple[Organisation, list[Decimal | None], Decimal]]  # organisation, per year, total
    year_totals: list[Decimal]
    total: Decimal


def board_pool(board: CommissioningBoard) -> BoardPool:
    """Contributions per member organisation per financial year, with totals both ways."""
    contributions = list(
        PooledContribution.objects.filter(board=board).select_related("organisation").order_by("year")
    )
    members = list(board.members.order_by("name"))
    years = sorted({c.year for c in contributions})
    grid: dict[int, dict[int, Decimal]] = defaultdict(dict)
    organisations = {m.pk: m for m in members}
    for c in contributions:
        grid[c.organisation_id][c.year] = c.amount
        organisations.setdefault(c.organisation_id, c.organisation)
    rows = []
    for org in sorted(organisations.values(), key=lambda o: o.name):
        values = [grid[org.pk].get(year) for year in years]
        rows.append((org, values, sum((v for v in values if v is not None), Decimal("0.00"))))
    year_totals = [sum((grid[o].get(y, Decimal("0.00")) for o in grid), Decimal("0.00")) for y in years]
    return BoardPool(
        years=[financial_year_label(y) for y in years],
        rows=rows,
        year_totals=year_totals,
        total=sum(year_totals, Decimal("0.00")),
    )


def get_board(*, user: User, pk: int) -> CommissioningBoard:
    return get_object_or_404(
        CommissioningBoard.objects.restrict(user, "funding.view").prefetch_related("members"), pk=pk
    )


def list_frameworks(*, user: User) -> QuerySet[Framework]:
    return (
        Framework.objects.restrict(user, "funding.view")
        .select_related("lead")
        .annotate(
            lot_count=Count("lots", distinct=True),
            call_off_count=Count("lots__call_offs", distinct=True),
            called_off=Sum("lots__call_offs__value"),
        )
    )


def get_framework(*, user: User, pk: int) -> Framework:
    return get_object_or_404(
        (
            Framework.objects.restrict(user, "funding.view")
            .select_related("lead")
            .prefetch_related(
                Prefetch(
                    "lots",
                    queryset=FrameworkLot.objects.select_related("supplier").prefetch_related(
                        Prefetch(
                            "call_offs",
                            queryset=CallOff.objects.select_related("organisation").prefetch_related(
                                _kpis_with_returns()
                            ),
                        )
                    ),
                )
            )
        ),
        pk=pk,
    )


def get_call_off(*, user: User, pk: int) -> CallOff:
    frameworks = Framework.objects.restrict(user, "funding.view")
    return get_object_or_404(
        (
            CallOff.objects.filter(lot__framework__in=frameworks)
            .select_related("lot", "lot__framework", "lot__supplier", "organisation")
            .prefetch_related(_kpis_with_returns())
        ),
        pk=pk,
    )


# --- suppliers and their performance ----------------------------------------------------------------


def list_suppliers(*, user: User) -> QuerySet[Organisation]:
    """Organisations that provide a contract or supply a framework lot the person reads, with how many of
    each (`contract_count`, `call_off_count`) and their value (`total_value`), in one query, by name."""
    read_contracts = list_contracts(user=user).order_by()
    read_call_offs = CallOff.objects.filter(
        lot__framework__in=Framework.objects.restrict(user, "funding.view")
    ).order_by()
    # Only the organisations that supply something the person reads are annotated: the directory holds
    # every organisation in the country, and the subqueries below would otherwise run for each of them.
    suppliers = read_contracts.values("provider").union(read_call_offs.values("lot__supplier"))
    contracts = read_contracts.filter(provider=OuterRef("pk")).values("provider")
    call_offs = read_call_offs.filter(lot__supplier=OuterRef("pk")).values("lot__supplier")
    money = DecimalField(max_digits=16, decimal_places=2)

    def total(rows: QuerySet[Any], aggregate: Any) -> Coalesce:
        return Coalesce(Subquery(rows.annotate(n=aggregate).values("n")), Value(0), output_field=money)

    return (
        Organisation.objects.filter(pk__in=suppliers)
        .annotate(
            contract_count=Coalesce(Subquery(contracts.annotate(n=Count("pk")).values("n")), Value(0)),
            call_off_count=Coalesce(Subquery(call_offs.annotate(n=Count("pk")).values("n")), Value(0)),
            total_value=ExpressionWrapper(
                total(contracts, Sum("value")) + total(call_offs, Sum("value")), output_field=money
            ),
        )
        .order_by("name")
    )


@dataclass
class KpiLine:
    """One contract's or call-off's figures for one KPI."""

    kpi: Kpi
    where: str  # the contract or call-off reference
    buyer: str  # who buys the service: the commissioner, or the OPCC calling off
    area: str
    url_name: str
    url_pk: int
    returns: int
    mean: Decimal | None
    latest: Decimal | None
    latest_period: Any
    percent_of_target: Decimal | None
    met: bool | None


@dataclass
class KpiBenchmark:
    name: str
    unit: str
    higher_is_better: bool
    lines: list[KpiLine] = field(default_factory=list)
    best: KpiLine | None = None


def _percent(value: Decimal | None, target: Decimal) -> Decimal | None:
    if value is None or not target:
        return None
    return (value * 100 / target).quantize(Decimal("0.1"), ROUND_HALF_UP)


def supplier_benchmark(*, user: User, supplier: Organisation) -> list[KpiBenchmark]:
    """Each KPI's target against the supplier's actuals (mean and latest period), contract by contract and
    call-off by call-off, across every area that buys from the supplier. KPIs are matched by name.

    One query, whatever the number of contracts, call-offs and returns."""
    contracts = list_contracts(user=user).filter(provider=supplier)
    frameworks = Framework.objects.restrict(user, "funding.view")
    latest = PerformanceReturn.objects.filter(kpi=OuterRef("pk")).order_by("-period_start")
    kpis = (
        Kpi.objects.filter(
            Q(contract__in=contracts)
            | Q(call_off__lot__supplier=supplier, call_off__lot__framework__in=frameworks)
        )
        .select_related(
            "contract",
            "contract__commissioner",
            "contract__csp",
            "call_off",
            "call_off__organisation",
            "call_off__lot__framework",
        )
        .annotate(
            mean=Avg("returns__actual"),
            n=Count("returns"),
            latest_actual=Subquery(latest.values("actual")[:1]),
            latest_period=Subquery(latest.values("period_start")[:1]),
        )
        .order_by("name", "pk")
    )
    groups: dict[str, KpiBenchmark] = {}
    for kpi in kpis:
        group = groups.setdefault(
            kpi.name.lower(),
            KpiBenchmark(name=kpi.name, unit=kpi.unit, higher_is_better=kpi.higher_is_better),
        )
        mean = (
            Decimal(str(kpi.mean)).quantize(Decimal("0.01"), ROUND_HALF_UP) if kpi.mean is not None else None
        )
        latest_actual = kpi.latest_actual
        if kpi.contract is not None:
            where, url_name, url_pk = kpi.contract.reference, "funding:contract-detail", kpi.contract.pk
            buyer = kpi.contract.commissioner.name if kpi.contract.commissioner else "Not recorded"
            area = kpi.contract.csp.name if kpi.contract.csp else ""
        else:
            assert kpi.call_off is not None
            where, url_name, url_pk = kpi.call_off.reference, "funding:call-off-detail", kpi.call_off.pk
            buyer = kpi.call_off.organisation.name
            area = f"Call-off from {kpi.call_off.lot.framework.reference}"
        met = None
        if mean is not None:
            met = mean >= kpi.target if kpi.higher_is_better else mean <= kpi.target
        group.lines.append(
            KpiLine(
                kpi=kpi,
                where=where,
                buyer=buyer,
                area=area,
                url_name=url_name,
                url_pk=url_pk,
                returns=kpi.n,
                mean=mean,
                latest=latest_actual,
                latest_period=kpi.latest_period,
                percent_of_target=_percent(mean, kpi.target),
                met=met,
            )
        )
    for group in groups.values():
        reported = [line for line in group.lines if line.mean is not None]
        if reported:
            group.best = (max if group.higher_is_better else min)(reported, key=lambda line: line.mean or 0)
    return list(groups.values())
