"""Reads about monitoring returns and their outcome measures (docs/adr/0037): a grant holder's own
returns, and each measure over the award's periods as a table, a chart and a CSV for staff."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from joinedup.core.models import User

from ..models import Applicant, Award, MonitoringReturn, OutcomeMeasure, ReturnStatus
from ..selectors import list_awards


def applicant_returns(applicant: Applicant) -> QuerySet[MonitoringReturn]:
    """The monitoring returns of the awards the applicant's own applications became: nobody else's."""
    return (
        MonitoringReturn.objects.filter(award__application__applicant=applicant)
        .select_related("award", "award__fund")
        .order_by("due_on", "pk")
    )


def returns_to_review(*, user: User) -> QuerySet[MonitoringReturn]:
    """Returns the grant holder has submitted and the office has not yet accepted or sent back, of the
    awards `user` may read (the force's awards; docs/adr/0028)."""
    return MonitoringReturn.objects.filter(
        award__in=list_awards(user=user), status=ReturnStatus.SUBMITTED
    ).select_related("award")


def own_return(applicant: Applicant, pk: int) -> MonitoringReturn:
    """One of the applicant's own returns; anyone else's raises DoesNotExist, as a missing one does."""
    return applicant_returns(applicant).select_related("award__application").get(pk=pk)


@dataclass
class Period:
    monitoring_return: MonitoringReturn
    starts_on: datetime.date
    ends_on: datetime.date

    @property
    def label(self) -> str:
        return f"{self.starts_on:%-d %b %Y} to {self.ends_on:%-d %b %Y}"


@dataclass
class MeasureRow:
    measure: OutcomeMeasure
    values: list[Decimal | None] = field(default_factory=list)

    @property
    def cells(self) -> list[str]:
        return [self.measure.format(value) for value in self.values]

    @property
    def target(self) -> str:
        return self.measure.format(self.measure.target) if self.measure.target is not None else ""


@dataclass
class MeasureTable:
    award: Award
    periods: list[Period]
    rows: list[MeasureRow]
    charts: list[Any] = field(default_factory=list)


def periods(award: Award, returns: list[MonitoringReturn]) -> list[Period]:
    """Each return covers the days after the previous return's due date (or from the award date) up to its
    own due date."""
    found, starts_on = [], award.awarded_on
    for monitoring_return in returns:
        found.append(Period(monitoring_return, starts_on, monitoring_return.due_on))
        starts_on = monitoring_return.due_on + datetime.timedelta(days=1)
    return found


def measure_table(award: Award, *, charts: bool = False) -> MeasureTable:
    """Each measure (a row) over the award's returns (columns, in due order); a value not reported is None.
    With `charts`, a line chart of each measure with values in two or more periods (beside the table)."""
    returns = list(award.monitoring_returns.order_by("due_on", "pk").prefetch_related("measure_values"))
    measures = list(award.outcome_measures.all())
    by_return = {r.pk: {v.measure_id: v.value for v in r.measure_values.all()} for r in returns}
    rows = [MeasureRow(m, [by_return[r.pk].get(m.pk) for r in returns]) for m in measures]
    table = MeasureTable(award, periods(award, returns), rows)
    if charts:
        table.charts = [chart for row in rows if (chart := _chart(table, row)) is not None]
    return table


def _chart(table: MeasureTable, row: MeasureRow) -> Any:
    from joinedup.core.charts import BLUE, GREY, line_chart

    if sum(value is not None for value in row.values) < 2:
        return None
    measure = row.measure
    series: list[tuple[str, list[float | None], str, str]] = [
        (measure.name, [float(v) if v is not None else None for v in row.values], BLUE, "")
    ]
    if measure.target is not None:
        series.append(("Target", [float(measure.target)] * len(row.values), GREY, "6 4"))
    return {
        "measure": measure,
        "svg": line_chart(
            f"measure-{measure.pk}",
            f"{measure.name} by monitoring period ({measure.get_unit_display().lower()})",
            [f"Due {p.ends_on:%b %Y}" for p in table.periods],
            series,
            description=f"{measure.name} in each monitoring period"
            f"{', with its target' if measure.target is not None else ''}; periods with no value are gaps. "
            "The same figures are in the table.",
        ),
    }


CSV_HEADER = (
    "grant_identifier",
    "measure",
    "unit",
    "direction",
    "target",
    "required",
    "return_due_on",
    "period_from",
    "period_to",
    "return_status",
    "submitted_on",
    "value",
)


def csv_rows(table: MeasureTable) -> list[list[Any]]:
    """One row per measure and return (long form, so it pivots any way), values plain numbers."""
    rows = []
    for row in table.rows:
        measure = row.measure
        for period, value in zip(table.periods, row.values, strict=True):
            monitoring_return = period.monitoring_return
            rows.append(
                [
                    table.award.identifier,
                    measure.name,
                    measure.unit,
                    measure.direction,
                    "" if measure.target is None else measure.target,
                    "yes" if measure.required else "no",
                    monitoring_return.due_on.isoformat(),
                    period.starts_on.isoformat(),
                    period.ends_on.isoformat(),
                    monitoring_return.status,
                    monitoring_return.submitted_on.isoformat() if monitoring_return.submitted_on else "",
                    "" if value is None else value,
                ]
            )
    return rows
