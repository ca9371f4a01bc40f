"""Strategic assessment of recorded crime and ASB for one area and period, from the Parquet store.

`assess(area_code, from_month, to_month)` returns the documented JSON (a dict of plain values):

    {
      "area": {"code", "name", "level", "population_partial"},
      "from": "YYYY-MM", "to": "YYYY-MM",
      "previous": {"from", "to"},                  # the same number of months just before
      "data": {"generation", "months_missing": [...], "previous_months_missing": [...]},
      "totals": {"crimes_excl_asb", "asb", "population", "rate_per_1000", "asb_rate_per_1000",
                 "previous_crimes_excl_asb", "previous_asb", "change", "change_pct", "p_value", "trend"},
      "by_crime_type": [{"crime_type", "count", "rate_per_1000", "previous_count", "change",
                         "change_pct", "p_value", "trend"}],       # data.police.uk names, ASB included
      "monthly": [{"month", "crimes_excl_asb", "asb", "rolling_12_crimes_excl_asb", "rolling_12_asb"}],
    }

Counts are street-level rows attributed to the area through their LSOA (insight.services.importer);
rates are per 1,000 residents of the area's mid-year population, to one decimal place. `crimes_excl_asb`
and its rate leave out "Anti-social behaviour", which is reported separately. The default period is the
latest 12 months in the store, compared with the 12 months before.

Change is tested with the conditional (binomial) test for two Poisson counts: given n = current + previous,
the current count is Binomial(n, p) under no change, with p the current period's share of the months that
have data. A two-sided p below 0.05 is labelled a significant rise or fall. Months with no data in the store
are listed, and a period comparison with no data on one side is labelled "not comparable".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import duckdb
from django.core.exceptions import ValidationError

from joinedup.core.models import Area, AreaLevel
from joinedup.insight import store

AREA_COLUMN: dict[str, str] = {
    AreaLevel.CSP: "csp",
    AreaLevel.LAD: "lad",
    AreaLevel.PFA: "pfa",
    AreaLevel.LSOA: "lsoa",
}
SIGNIFICANCE = 0.05
DEFAULT_MONTHS = 12


class AssessmentError(Exception):
    """The assessment cannot be produced (no data, unknown area); the message says why."""


def month_index(month: str) -> int:
    year, number = month.split("-")
    return int(year) * 12 + int(number) - 1


def month_name(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def parse_month(value: str, field: str) -> int:
    try:
        year, number = value.split("-")
        if len(year) != 4 or len(number) != 2 or not 1 <= int(number) <= 12:
            raise ValueError
        return int(year) * 12 + int(number) - 1
    except ValueError:
        raise ValidationError(
            {field: f"Enter a month as YYYY-MM, for example 2023-01 (not {value!r})."}
        ) from None


def rate(count: int, population: int | None) -> float | None:
    if not population:
        return None
    return round(count * 1000 / population, 1)


@dataclass(frozen=True)
class Change:
    change: int
    change_pct: float | None
    p_value: float | None
    trend: str


def compare(current: int, previous: int, current_months: int, previous_months: int) -> Change:
    """Change between two periods' counts, with the conditional binomial test for Poisson counts."""
    from scipy.stats import binomtest

    change = current - previous
    change_pct = round(change * 100 / previous, 1) if previous else None
    if current_months == 0 or previous_months == 0:
        return Change(change, change_pct, None, "not comparable")
    total = current + previous
    if total == 0:
        return Change(change, change_pct, 1.0, "no significant change")
    share = current_months / (current_months + previous_months)
    p_value = float(binomtest(current, total, share).pvalue)
    expected = total * share
    if p_value < SIGNIFICANCE:
        trend = "significant rise" if current > expected else "significant fall"
    else:
        trend = "no significant change"
    return Change(change, change_pct, round(p_value, 6), trend)


def default_period(months: int = DEFAULT_MONTHS) -> tuple[str, str]:
    available = store.months_available("street")
    if not available:
        raise AssessmentError(
            "There is no street crime data in the store yet: run `joinedup insight import`."
        )
    last = month_index(available[-1])
    return month_name(last - months + 1), available[-1]


def assess(area_code: str, from_month: str | None = None, to_month: str | None = None) -> dict[str, Any]:
    """The assessment for one CSP, district or force area (see the module docstring)."""
    area = Area.objects.filter(code=area_code.strip().upper()).first()
    if area is None:
        raise ValidationError({"area": f"There is no area with the code {area_code!r}."})
    column = AREA_COLUMN.get(area.level)
    if column is None:
        raise ValidationError({"area": "Choose a force area, CSP, district or LSOA."})
    if from_month is None and to_month is None:
        from_month, to_month = default_period()
    elif from_month is None or to_month is None:
        raise ValidationError({"from": "Give both --from and --to, or neither."})
    start, end = parse_month(from_month, "from"), parse_month(to_month, "to")
    if end < start:
        raise ValidationError({"to": "The end month is before the start month."})
    length = end - start + 1
    previous_start = start - length
    # The monthly series carries 12-month rolling totals, so read 11 months further back if needed.
    read_from = min(previous_start, start - 11)

    generation = store.current_path()
    glob = store.dataset_glob("street", generation)
    if glob is None:
        raise AssessmentError(
            "There is no street crime data in the store yet: run `joinedup insight import`."
        )
    available = set(store.months_available("street"))
    con = duckdb.connect()
    try:
        rows = con.execute(
            f"""
            SELECT month, crime_type, count(*) AS n
            FROM read_parquet(?, hive_partitioning = true,
                              hive_types = {{'force': 'VARCHAR', 'month': 'VARCHAR'}})
            WHERE month BETWEEN ? AND ? AND {column} = ?
            GROUP BY month, crime_type
            """,  # noqa: S608  (column is one of four constants)
            [glob, month_name(read_from), month_name(end), area.code],
        ).fetchall()
    finally:
        con.close()

    by_month: dict[int, dict[str, int]] = {}
    for month, crime_type, count in rows:
        by_month.setdefault(month_index(month), {})[crime_type or ""] = count

    def period_counts(first: int, last: int) -> dict[str, int]:
        totals: dict[str, int] = {}
        for index in range(first, last + 1):
            for crime_type, count in by_month.get(index, {}).items():
                totals[crime_type] = totals.get(crime_type, 0) + count
        return totals

    def missing(first: int, last: int) -> list[str]:
        return [month_name(i) for i in range(first, last + 1) if month_name(i) not in available]

    current = period_counts(start, end)
    previous = period_counts(previous_start, start - 1)
    missing_now, missing_before = missing(start, end), missing(previous_start, start - 1)
    months_now, months_before = length - len(missing_now), length - len(missing_before)
    population = area.population

    def split(counts: dict[str, int]) -> tuple[int, int]:
        asb = counts.get(store.ASB, 0)
        return sum(counts.values()) - asb, asb

    crimes, asb = split(current)
    previous_crimes, previous_asb = split(previous)
    total_change = compare(crimes, previous_crimes, months_now, months_before)
    by_type = []
    for crime_type in sorted(set(current) | set(previous), key=lambda t: (-current.get(t, 0), t)):
        count, before = current.get(crime_type, 0), previous.get(crime_type, 0)
        change = compare(count, before, months_now, months_before)
        by_type.append(
            {
                "crime_type": crime_type,
                "count": count,
                "rate_per_1000": rate(count, population),
                "previous_count": before,
                "change": change.change,
                "change_pct": change.change_pct,
                "p_value": change.p_value,
                "trend": change.trend,
            }
        )

    monthly = []
    for index in range(start, end + 1):
        month_crimes, month_asb = split(by_month.get(index, {}))
        window = range(index - 11, index + 1)
        complete = all(month_name(i) in available for i in window)
        rolling = [split(by_month.get(i, {})) for i in window]
        monthly.append(
            {
                "month": month_name(index),
                "has_data": month_name(index) in available,
                "crimes_excl_asb": month_crimes,
                "asb": month_asb,
                "rolling_12_crimes_excl_asb": sum(r[0] for r in rolling) if complete else None,
                "rolling_12_asb": sum(r[1] for r in rolling) if complete else None,
            }
        )

    return {
        "area": {
            "code": area.code,
            "name": area.name,
            "level": area.level,
            "population_partial": area.population_partial,
        },
        "from": month_name(start),
        "to": month_name(end),
        "previous": {"from": month_name(previous_start), "to": month_name(start - 1)},
        "data": {
            "source": "data.police.uk street-level crime and ASB",
            "generation": generation.name if generation else None,
            "months_missing": missing_now,
            "previous_months_missing": missing_before,
        },
        "totals": {
            "crimes_excl_asb": crimes,
            "asb": asb,
            "population": population,
            "population_year": area.population_year,
            "rate_per_1000": rate(crimes, population),
            "asb_rate_per_1000": rate(asb, population),
            "previous_crimes_excl_asb": previous_crimes,
            "previous_asb": previous_asb,
            "change": total_change.change,
            "change_pct": total_change.change_pct,
            "p_value": total_change.p_value,
            "trend": total_change.trend,
        },
        "by_crime_type": by_type,
        "monthly": monthly,
    }


CSV_COLUMNS = [
    "crime_type",
    "count",
    "rate_per_1000",
    "previous_count",
    "change",
    "change_pct",
    "p_value",
    "trend",
]


def as_csv_rows(result: dict[str, Any]) -> list[list[Any]]:
    """The by-crime-type table with a total row, for `--format csv`."""
    totals = result["totals"]
    rows: list[list[Any]] = [["area_code", "area_name", "from", "to", *CSV_COLUMNS]]
    prefix = [result["area"]["code"], result["area"]["name"], result["from"], result["to"]]
    for item in result["by_crime_type"]:
        rows.append([*prefix, *(item[c] for c in CSV_COLUMNS)])
    rows.append(
        [
            *prefix,
            "All crime excluding anti-social behaviour",
            totals["crimes_excl_asb"],
            totals["rate_per_1000"],
            totals["previous_crimes_excl_asb"],
            totals["change"],
            totals["change_pct"],
            totals["p_value"],
            totals["trend"],
        ]
    )
    return rows
