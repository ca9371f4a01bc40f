"""The calculation: the strategic assessment of recorded crime and ASB for one area and period, worked out
from the Parquet store. Nothing here is saved; an analyst's saved assessment (`models.SavedAssessment`,
written by `insight.services`) keeps what this returned in its `results`.

`assess(area_code, from_month, to_month)` returns the documented JSON (a dict of plain values):

    {
      "area": {"code", "name", "level", "population_partial"},
      "from": "YYYY-MM", "to": "YYYY-MM",
      "previous": {"from", "to"},                  # the same number of months just before
      "coverage": {"forces", "store", "current", "previous", "like_for_like", "complete", "warning"},
      "data": {"generation", "months_missing": [...], "previous_months_missing": [...]},
      "significance": {"method", "level", "correction", "tests"},
      "totals": {"crimes_excl_asb", "asb", "population", "rate_per_1000", "asb_rate_per_1000",
                 "previous_crimes_excl_asb", "previous_asb", "like_for_like": {...},
                 "change", "change_pct", "p_value", "q_value", "trend", "asb_change", ...},
      "by_crime_type": [{"crime_type", "count", "rate_per_1000", "previous_count", "like_for_like_count",
                         "like_for_like_previous_count", "change", "change_pct", "p_value", "q_value",
                         "trend"}],                # data.police.uk names, ASB included
      "monthly": [{"month", "has_data", "crimes_excl_asb", "asb", "rolling_12_crimes_excl_asb",
                   "rolling_12_asb", "rolling_12_missing"}],
      "rolling": [{"month", "crimes_excl_asb", "asb", "missing"}],   # all stored history to the last month
      "lsoas": [{"lsoa", "name", "population", "crimes_excl_asb", "asb", "rate_per_1000"}],  # every LSOA
      ...                                           # seasonality, harm, concentration, comparison, outcomes,
    }                                               # deprivation: see the code below

Counts are street-level rows attributed to the area through their LSOA (insight.imports.importer); an
electoral ward's are the rows of its LSOAs (the store has no ward column: they are read from the Parquet
files of the forces with rows in the ward's district, so a ward's figures are exactly the sum of its LSOAs');
rates are per 1,000 residents of the area's mid-year population, to one decimal place. `crimes_excl_asb`
and its rate leave out "Anti-social behaviour", which is reported separately. The default period is the
latest 12 months the area's force has in the store, compared with the 12 months before.

Coverage (insight.coverage, ADR 0017): a month the area's force has no file for is missing, never zero.
`coverage` lists the months expected, present and missing in each period. Every change is like for like:
only the month pairs present in both periods are compared (`totals.like_for_like`, and the
`like_for_like_*` counts of each crime type), so a missing month never reads as a fall or a rise. A period
with no data at all is refused with AssessmentError ("no data for this period").

Change is tested with the exact conditional (binomial) test for two Poisson counts over the same months:
given n = current + previous, the current count is Binomial(n, 1/2) under no change. The p-values of the
crime types and of all crime are adjusted together with the Benjamini-Hochberg procedure (false discovery
rate); a change is labelled a significant rise or fall when its adjusted p-value (`q_value`) is below 0.05.
"""

from __future__ import annotations

import datetime
import math
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import duckdb
from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils.translation import gettext_noop

from joinedup.core.models import Area, AreaLevel
from joinedup.insight import coverage, store, summary
from joinedup.insight.coverage import month_index, month_name
from joinedup.insight.models import DeprivationIndex, SeverityWeight

AREA_COLUMN: dict[str, str] = {
    AreaLevel.CSP: "csp",
    AreaLevel.LAD: "lad",
    AreaLevel.PFA: "pfa",
    AreaLevel.LSOA: "lsoa",
    AreaLevel.WARD: "ward",  # an Area field only: the store's rows are picked by the ward's LSOAs
}
SIGNIFICANCE = 0.05
DEFAULT_MONTHS = 12
REPEAT_LOCATIONS = 10
SIMILAR_AREAS = 5
CALENDAR_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
# Outcome types (outcomes files) that mean a suspect was charged or summonsed, and street "last outcome"
# categories that can only follow a charge or summons.
CHARGED_OUTCOMES = (
    "Suspect charged",
    "Suspect charged as part of another case",
    "Suspect summonsed to court",
)
COURT_OUTCOMES = (
    "Awaiting court outcome",
    "Court result unavailable",
    "Court case unable to proceed",
    "Defendant found not guilty",
    "Defendant sent to Crown Court",
    "Offender sent to prison",
    "Offender given suspended prison sentence",
    "Offender given a community sentence",
    "Offender fined",
    "Offender given conditional discharge",
    "Offender given absolute discharge",
    "Offender ordered to pay compensation",
    "Offender deprived of property",
    "Offender otherwise dealt with",
    "Suspect charged as part of another case",
)
HARM_METHOD = (
    "Each crime is weighted by its data.police.uk crime type's Crime Severity Score weight (`joinedup "
    "insight severity import`): the median of the ONS CSS weights (roughly the average days in custody "
    "the offence attracts) of the Home Office offences mapped to that crime type. Caveats: street data "
    "has only 14 broad categories, so the mix of offences inside a category (e.g. homicide and common "
    "assault in 'Violence and sexual offences') is not known and the median is not volume-weighted; the "
    "offence-to-category table is a third-party join of ONS weights current in late 2020; ASB and any "
    "crime type without a weight are left out of the harm total. Use the harm total to compare crime "
    "types and periods in one area, not as an official Crime Severity Score."
)
CONCENTRATION_METHOD = (
    "Share of the period's crimes (and ASB) recorded in the LSOAs with the most crimes: the top 5% and 10% "
    "of the area's LSOAs by count (at least one LSOA). Repeat locations are the data.police.uk anonymised "
    "'On or near ...' points (snapped to a nearby street or place, so several addresses share one), "
    "counted within their LSOA."
)
COMPARISON_METHOD = (
    "The force area the area lies in, and the 5 areas of the same level nearest to it on log population "
    "(mid-year estimate) and population-weighted mean IMD 2019 rank of their LSOAs, both standardised "
    "across all areas of that level (Welsh areas have no English IMD rank and are matched on population "
    "alone), among the areas whose police force has data in the store for every month this area has in the "
    "period; nearer areas without it are named. Counts are the street rows located in each area in those "
    "months, so every rate in the table counts the same months."
)
OUTCOMES_METHOD = (
    "Shares of the period's crimes (excluding ASB) by the last outcome category data.police.uk shows "
    "(a snapshot at the time of download). The charge/summons rate is the share of crimes with a Crime ID "
    "that have an outcome 'Suspect charged', 'Suspect charged as part of another case' or 'Suspect "
    "summonsed to court' in the outcomes files of the period and later, or a last outcome that only follows "
    "a charge (e.g. 'Awaiting court outcome', 'Offender sent to prison')."
)


class AssessmentError(Exception):
    """The assessment cannot be produced (no data, unknown area); the message says why. `phrase`, where
    given, says the same (without "No data for this period:") as a fixed English sentence of the Welsh
    catalogue with its values (`{"say": msgid, "with": {...}}`, the shape of performance/reasons.py), so a
    public page says it in the reader's language (`insight.selectors.no_data_in_words`)."""

    def __init__(self, message: str, phrase: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.phrase = phrase


NO_DATA = "No data for this period: "
NO_FORCE_DATA = gettext_noop(
    "no police street data has been imported for %(force_area)s, the force area %(area)s lies in, so there "
    "is nothing to assess for %(period)s."
)
NOT_HELD = gettext_noop(
    "the store has no police street data for %(area)s for %(period)s. It holds %(forces)s from %(first)s "
    "to %(last)s: choose months in that range."
)
NOT_HELD_WITH_GAPS = gettext_noop(
    "the store has no police street data for %(area)s for %(period)s. It holds %(forces)s from %(first)s "
    "to %(last)s (missing %(missing)s): choose months in that range."
)
EMPTY_STORE = gettext_noop("there is no police street crime data in the store yet.")


def _said(msgid: str, **values: Any) -> AssessmentError:
    """The error with its phrase, and its message: the phrase in English after "No data for this period:"."""
    from .coverage import in_words

    phrase = {"say": msgid, "with": values}
    return AssessmentError(NO_DATA + in_words(phrase, english=True), phrase)


def _months_period(start: int, end: int) -> dict[str, list[str]]:
    """Month indices start..end as a reporting period (first and last day), the phrase shape of a period."""
    first = datetime.date(start // 12, start % 12 + 1, 1)
    after = datetime.date((end + 1) // 12, (end + 1) % 12 + 1, 1)
    return {"period": [first.isoformat(), (after - datetime.timedelta(days=1)).isoformat()]}


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


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


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
    q_value: float | None = None


SIGNIFICANCE_METHOD = (
    "Changes are like for like: each month of the period is paired with the same month of the previous "
    "period, and only pairs with data on both sides are compared, so both sides cover the same months and "
    "seasons. Each change is tested with the exact conditional binomial test for two Poisson counts "
    "(two-sided). There is one test per crime type (ASB included) and one for all crime excluding ASB; to "
    "keep false discoveries among them to 5%, the p-values are adjusted together with the "
    "Benjamini-Hochberg procedure, and a change is called significant only when its adjusted p-value (q) "
    "is below 0.05. A change with no months present in both periods is not comparable and never significant."
)


def _binomial_pmf(k: int, n: int, p: float) -> float:
    return math.exp(
        math.lgamma(n + 1)
        - math.lgamma(k + 1)
        - math.lgamma(n - k + 1)
        + k * math.log(p)
        + (n - k) * math.log1p(-p)
    )


def binomial_p_value(k: int, n: int, p: float) -> float:
    """Two-sided exact binomial test of k successes in n trials at probability p (0 < p < 1): the total
    probability of every outcome no more likely than k, as scipy.stats.binomtest computes it. Written out
    with scalar arithmetic because scipy's version costs about 1 ms a call and an assessment makes dozens."""
    from scipy.special import bdtr, bdtrc

    def cdf(x: int) -> float:  # P(X <= x)
        return 0.0 if x < 0 else 1.0 if x >= n else float(bdtr(x, n, p))

    def sf(x: int) -> float:  # P(X > x)
        return 1.0 if x < 0 else 0.0 if x >= n else float(bdtrc(x, n, p))

    relative = 1 + 1e-7
    d = _binomial_pmf(k, n, p)
    expected = n * p
    if k == expected:
        return 1.0

    def search(value: Any, target: float, lo: int, hi: int) -> int:
        # The i in [lo, hi] with value(i) <= target < value(i + 1), for value increasing on the range.
        while lo < hi:
            mid = lo + (hi - lo) // 2
            found = value(mid)
            if found < target:
                lo = mid + 1
            elif found > target:
                hi = mid - 1
            else:
                return mid
        return lo if value(lo) <= target else lo - 1

    if k < expected:
        ix = search(lambda i: -_binomial_pmf(i, n, p), -d * relative, math.ceil(expected), n)
        y = n - ix + int(d * relative == _binomial_pmf(ix, n, p))
        p_value = cdf(k) + sf(n - y)
    else:
        ix = search(lambda i: _binomial_pmf(i, n, p), d * relative, 0, math.floor(expected))
        y = ix + 1
        p_value = cdf(y - 1) + sf(k - 1)
    return min(1.0, p_value)


def compare(current: int, previous: int, months: int) -> Change:
    """Change between two counts over the same number of months (like for like), with the exact conditional
    binomial test for two Poisson counts (p = 1/2 under no change). `months` = 0: nothing to compare."""
    change = current - previous
    change_pct = round(change * 100 / previous, 1) if previous else None
    if months <= 0:
        return Change(change, change_pct, None, "not comparable")
    total = current + previous
    p_value = binomial_p_value(current, total, 0.5) if total else 1.0
    return Change(change, change_pct, round(p_value, 6), _trend(change, p_value), round(p_value, 6))


def _trend(change: int, q_value: float) -> str:
    if q_value < SIGNIFICANCE and change != 0:
        return "significant rise" if change > 0 else "significant fall"
    return "no significant change"


def fdr_adjust(p_values: list[float | None]) -> list[float | None]:
    """Benjamini-Hochberg adjusted p-values (q-values) of a family of tests; None (not tested) stays None."""
    tested = [(i, p) for i, p in enumerate(p_values) if p is not None]
    adjusted: list[float | None] = [None] * len(p_values)
    if not tested:
        return adjusted
    from scipy.stats import false_discovery_control

    q_values = false_discovery_control([p for _i, p in tested], method="bh")
    for (i, _p), q in zip(tested, q_values, strict=True):
        adjusted[i] = min(1.0, float(q))
    return adjusted


def with_fdr(changes: list[Change]) -> list[Change]:
    """The changes with their q-values and trends from Benjamini-Hochberg over the whole family."""
    q_values = fdr_adjust([c.p_value for c in changes])
    return [c if q is None else adjust(c, q) for c, q in zip(changes, q_values, strict=True)]


def adjust(change: Change, q_value: float) -> Change:
    """The change with its adjusted p-value, and the trend that follows from it."""
    return Change(
        change.change, change.change_pct, change.p_value, _trend(change.change, q_value), round(q_value, 6)
    )


def default_period(months: int = DEFAULT_MONTHS, held: set[str] | None = None) -> tuple[str, str]:
    """The latest `months` months: of the months held (an area's forces), else of the whole store."""
    if held:
        last = month_index(max(held))
        return month_name(last - months + 1), month_name(last)
    generation = store.current_path()
    partitions = summary.partition_files(generation, "street") if generation else {}
    available = sorted({month for _force, month in partitions})
    if not available:
        raise AssessmentError(
            "There is no street crime data in the store yet: run `joinedup insight import`.",
            {"say": EMPTY_STORE},
        )
    last = month_index(available[-1])
    return month_name(last - months + 1), available[-1]


# --- the statistics, each a pure function of plain data (unit-tested on hand-made numbers) -------------


def seasonality(series: dict[int, int]) -> list[dict[str, Any]]:
    """Mean share per calendar month: each month's count over the mean monthly count of the series, averaged
    over the years the calendar month appears in. `index` 1.0 is an average month; `share_pct` is the
    index as a share of a year (index / 12). Months with no data are left out, not counted as zero."""
    if not series:
        return []
    mean = sum(series.values()) / len(series)
    ratios: dict[int, list[float]] = {}
    for index, count in series.items():
        ratios.setdefault(index % 12, []).append(count / mean if mean else 0.0)
    result = []
    for calendar in range(12):
        values = ratios.get(calendar, [])
        average = sum(values) / len(values) if values else None
        result.append(
            {
                "calendar_month": calendar + 1,
                "name": CALENDAR_MONTHS[calendar],
                "observations": len(values),
                "index": round(average, 3) if average is not None else None,
                "share_pct": round(average * 100 / 12, 2) if average is not None else None,
            }
        )
    return result


def concentration(counts: list[int], shares: tuple[float, ...] = (0.05, 0.10)) -> dict[str, Any]:
    """Share of all counts in the top 5% and 10% of places (at least one place), by count."""
    ordered = sorted(counts, reverse=True)
    total = sum(ordered)
    result: dict[str, Any] = {"places": len(ordered), "total": total}
    for share in shares:
        key = f"top_{round(share * 100)}pct"
        places = max(1, math.ceil(len(ordered) * share)) if ordered else 0
        held = sum(ordered[:places])
        result[key] = {
            "places": places,
            "count": held,
            "share_pct": round(held * 100 / total, 1) if total else None,
        }
    return result


def harm(
    current: dict[str, int], previous: dict[str, int], weights: dict[str, float], population: int | None
) -> dict[str, Any]:
    """Counts weighted by each crime type's severity weight; crime types with no weight are listed apart."""
    rows: list[dict[str, Any]] = []
    total = previous_total = 0.0
    for crime_type in sorted(set(current) | set(previous)):
        if crime_type == store.ASB:
            continue
        weight = weights.get(crime_type)
        count, before = current.get(crime_type, 0), previous.get(crime_type, 0)
        score = count * weight if weight is not None else None
        if weight is not None:
            total += count * weight
            previous_total += before * weight
        rows.append(
            {
                "crime_type": crime_type,
                "count": count,
                "weight": round(weight, 2) if weight is not None else None,
                "harm": round(score, 1) if score is not None else None,
            }
        )
    for row in rows:
        row["share_pct"] = round(row["harm"] * 100 / total, 1) if total and row["harm"] is not None else None
    rows.sort(key=lambda r: (-(r["harm"] or 0), r["crime_type"]))
    return {
        "total": round(total, 1),
        "previous_total": round(previous_total, 1),
        "per_1000": round(total * 1000 / population, 1) if population else None,
        "change_pct": round((total - previous_total) * 100 / previous_total, 1) if previous_total else None,
        "unweighted": sorted(r["crime_type"] for r in rows if r["weight"] is None),
        "by_crime_type": rows,
    }


def weighted_total(counts: dict[str, int], weights: dict[str, float]) -> float:
    """Harm-weighted total of counts by crime type (ASB and crime types without a weight left out)."""
    return sum(n * weights[t] for t, n in counts.items() if t != store.ASB and t in weights)


def rates_by_decile(
    lsoa_counts: dict[str, int], lsoa_population: dict[str, int | None], lsoa_decile: dict[str, int]
) -> list[dict[str, Any]]:
    """Crimes per 1,000 residents in each IMD decile's LSOAs (1 = most deprived); LSOAs without a decile
    (Wales, or unknown) are a separate 'no decile' row."""
    groups: dict[int | None, list[int]] = {}
    for code, population in lsoa_population.items():
        group = groups.setdefault(lsoa_decile.get(code), [0, 0, 0])
        group[0] += 1
        group[1] += population or 0
        group[2] += lsoa_counts.get(code, 0)
    result = []
    for decile in [*range(1, 11), None]:
        if decile not in groups:
            continue
        lsoas, population, count = groups[decile]
        result.append(
            {
                "decile": decile,
                "lsoas": lsoas,
                "population": population,
                "count": count,
                "rate_per_1000": rate(count, population),
            }
        )
    return result


def similar_areas(
    target: str, profiles: dict[str, tuple[float | None, float | None]], limit: int = 5
) -> list[tuple[str, float]]:
    """The `limit` areas nearest `target` on log(population) and mean IMD rank, each standardised over
    all the areas (Euclidean distance). Areas without a population are skipped. A target with an IMD rank is
    compared only with areas that have one; a target without (Wales) is compared on population alone."""
    usable = {code: p for code, p in profiles.items() if p[0]}
    if target not in usable or len(usable) < 2:
        return []

    def spread(values: list[float]) -> tuple[float, float]:
        mean = sum(values) / len(values)
        sd = math.sqrt(sum((v - mean) ** 2 for v in values) / len(values)) or 1.0
        return mean, sd

    logs = {code: math.log(p[0] or 1) for code, p in usable.items()}
    _log_mean, log_sd = spread(list(logs.values()))
    ranks = [p[1] for p in usable.values() if p[1] is not None]
    _rank_mean, rank_sd = spread(ranks) if ranks else (0.0, 1.0)
    target_rank = usable[target][1]
    distances = []
    for code, (_population, mean_rank) in usable.items():
        if code == target:
            continue
        d = ((logs[code] - logs[target]) / log_sd) ** 2
        if target_rank is not None:
            if mean_rank is None:
                continue  # an English area is compared with English areas only
            d += ((mean_rank - target_rank) / rank_sd) ** 2
        distances.append((code, round(math.sqrt(d), 3)))
    distances.sort(key=lambda item: (item[1], item[0]))
    return distances[:limit]


def outcome_shares(counts: dict[str | None, int]) -> list[dict[str, Any]]:
    total = sum(counts.values())
    rows: list[dict[str, Any]] = [
        {
            "outcome": outcome or "No outcome recorded",
            "count": count,
            "share_pct": round(count * 100 / total, 1) if total else None,
        }
        for outcome, count in counts.items()
    ]
    rows.sort(key=lambda r: (-r["count"], r["outcome"]))
    return rows


# --- reading the store ------------------------------------------------------------------------------


def _files(
    partitions: dict[tuple[str, str], list[str]], first: int, last: int | None, forces: set[str]
) -> list[str]:
    """The files of the given forces' partitions for months first..last (inclusive; open-ended if None)."""
    files: list[str] = []
    for (force, month), paths in partitions.items():
        index = month_index(month)
        if force in forces and index >= first and (last is None or index <= last):
            files.extend(paths)
    return sorted(files)


_DATABASE: list[duckdb.DuckDBPyConnection] = []
_DATABASE_LOCK = threading.Lock()


def _database() -> duckdb.DuckDBPyConnection:
    """One in-memory DuckDB per process; each assessment takes a cursor (under 1 ms, where a new connection
    costs 15 ms of CPU). Parquet footers are cached: a generation's files never change."""
    if not _DATABASE:
        with _DATABASE_LOCK:
            if not _DATABASE:
                database = duckdb.connect()
                database.execute("SET parquet_metadata_cache = true")
                _DATABASE.append(database)
    return _DATABASE[0]


def _read(files: list[str]) -> str:
    """A DuckDB table function over exactly these files. The files already select the force-months, so the
    partition columns (force, month) are not needed, and leaving out hive partitioning halves the scan."""
    listed = ", ".join("'" + f.replace("'", "''") + "'" for f in files)
    return f"read_parquet([{listed}])"


_PROFILE_CACHE: dict[tuple[Any, ...], dict[str, tuple[float | None, float | None]]] = {}


def area_profiles(level: str) -> dict[str, tuple[float | None, float | None]]:
    """{area code: (population, population-weighted mean IMD 2019 rank of its LSOAs)} for one level."""
    column = AREA_COLUMN[level]
    key = (
        level,
        Area.objects.count(),
        DeprivationIndex.objects.count(),
        Area.objects.aggregate(m=Max("pk"))["m"],
    )
    if key in _PROFILE_CACHE:
        return _PROFILE_CACHE[key]
    ranks = dict(DeprivationIndex.objects.values_list("lsoa_code", "rank"))
    weighted: dict[str, list[float]] = {}
    for code, parent, population in Area.objects.filter(level=AreaLevel.LSOA).values_list(
        "code", f"{column}__code", "population"
    ):
        if parent is None or code not in ranks or not population:
            continue
        sums = weighted.setdefault(parent, [0.0, 0.0])
        sums[0] += ranks[code] * population
        sums[1] += population
    profiles: dict[str, tuple[float | None, float | None]] = {}
    for code, population in Area.objects.filter(level=level).values_list("code", "population"):
        found = weighted.get(code)
        profiles[code] = (population, round(found[0] / found[1], 1) if found and found[1] else None)
    if len(_PROFILE_CACHE) > 8:
        _PROFILE_CACHE.clear()
    _PROFILE_CACHE[key] = profiles
    return profiles


def _pfa_code(area: Area) -> str | None:
    if area.level == AreaLevel.PFA:
        return area.code
    return area.pfa.code if area.pfa else None


def _no_data(area: Area, start: int, end: int, forces: list[str], held: set[str]) -> AssessmentError:
    """Why a period has no data, as a phrase (the public pages say it in Welsh too) and its English."""
    period = _months_period(start, end)
    if not forces or not held:
        force_area = area.pfa.name if area.pfa else area.name
        return _said(NO_FORCE_DATA, force_area=force_area, area=area.name, period=period)
    gaps = coverage._gaps(held)
    where = {"area": area.name, "period": period, "forces": ", ".join(forces)}
    if gaps:
        return _said(NOT_HELD_WITH_GAPS, **where, first=min(held), last=max(held), missing={"months": gaps})
    return _said(NOT_HELD, **where, first=min(held), last=max(held))


def _period(from_month: str | None, to_month: str | None, held: set[str]) -> tuple[int, int]:
    """The period asked for (both months or neither: then the default), as month indices."""
    if from_month is None and to_month is None:
        from_month, to_month = default_period(held=held)
    elif from_month is None or to_month is None:
        raise ValidationError({"from": "Give both the first and the last month, or neither."})
    start, end = parse_month(from_month, "from"), parse_month(to_month, "to")
    if end < start:
        raise ValidationError({"to": "The last month is before the first month."})
    return start, end


def _comparable(
    area: Area, candidates: list[tuple[str, float]], current_months: set[str], held_by: Any
) -> tuple[list[tuple[str, float]], list[str]]:
    """Similar areas, nearest first, compared only where their force has data for every month this area
    has in the period (so their rates count the same months); nearer ones without are named (skipped)."""
    candidate_pfas = dict(
        Area.objects.filter(code__in=[code for code, _d in candidates]).values_list("code", "pfa__code")
    )
    similar: list[tuple[str, float]] = []
    skipped: list[str] = []
    for code, distance in candidates:
        if len(similar) == SIMILAR_AREAS:
            break
        pfa_code = code if area.level == AreaLevel.PFA else candidate_pfas.get(code)
        if current_months <= held_by.months(held_by.serving(pfa_code)):
            similar.append((code, distance))
        else:
            skipped.append(code)
    return similar, skipped


@dataclass
class _AreaCounts:
    """What the store holds for an area beyond its counts by month and type: the comparison areas' counts,
    and by LSOA, location and outcome."""

    lsoa_rows: list[tuple[Any, ...]] = field(default_factory=list)
    locations: list[tuple[Any, ...]] = field(default_factory=list)
    outcome_rows: dict[str | None, int] = field(default_factory=dict)
    charged: list[int] = field(default_factory=lambda: [0, 0])
    compared: list[tuple[str, str, int]] = field(default_factory=list)
    outcome_files: list[str] = field(default_factory=list)


def _lsoa_condition(codes: Iterable[str]) -> str:
    """SQL picking the store rows of these LSOAs (never any row for none)."""
    listed = ", ".join(_sql_string(code) for code in sorted(codes))
    return f"lsoa IN ({listed})" if listed else "false"


def _where(scope: _Scope) -> str:
    """SQL picking the area's rows in a store file: its own column, or a ward's LSOAs."""
    if scope.lsoas is not None:
        return _lsoa_condition(scope.lsoas)
    return f"{scope.column} = {_sql_string(scope.area.code)}"


def _lsoa_rows(
    scope: _Scope, groups: dict[str, list[str]], districts: set[str], first: str, last: str
) -> dict[str, list[tuple[str, str, str, int]]]:
    """{group: [(force, month, crime type, count)]} of the street rows in months first..last of each group's
    LSOAs (a ward's), read from the partitions of the forces with rows in those LSOAs' districts (the
    summary says which), so they count exactly what the districts' own figures count."""
    if scope.generation is None or not scope.street_partitions:
        return {}
    counts = summary.street_summary(scope.generation)
    forces = {force for lad in districts for force, _m, _t, _n in counts.rows_for("lad", lad, first, last)}
    files = sorted(
        path
        for (force, month), paths in scope.street_partitions.items()
        if force in forces and first <= month <= last
        for path in paths
    )
    group_of = {lsoa: group for group, codes in groups.items() for lsoa in codes}
    if not files or not group_of:
        return {}
    listed = ", ".join("'" + f.replace("'", "''") + "'" for f in files)
    con = _database().cursor()
    try:
        rows = con.execute(
            f"SELECT lsoa, force, month, coalesce(crime_type, ''), count(*) "  # noqa: S608
            f"FROM read_parquet([{listed}], {summary.HIVE}) WHERE {_lsoa_condition(group_of)} "
            "GROUP BY ALL ORDER BY ALL"
        ).fetchall()
    finally:
        con.close()
    found: dict[str, list[tuple[str, str, str, int]]] = {}
    for lsoa, force, month, crime_type, n in rows:
        found.setdefault(group_of[lsoa], []).append((force, month, crime_type, int(n)))
    return found


def _by_place(
    where: str, current_files: list[str], outcome_files: list[str]
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], dict[str | None, int], list[int]]:
    """One pass over the area's rows in the period: (by LSOA, top repeat locations, by last outcome,
    [crimes with an ID, of which charged])."""
    asb = _sql_string(store.ASB)
    outcome_rows: dict[str | None, int] = {}
    charged: list[int] = [0, 0]
    court = ", ".join(_sql_string(o) for o in COURT_OUTCOMES)
    charged_test = f"last_outcome_category IN ({court})"
    if outcome_files:
        charged_types = ", ".join(_sql_string(o) for o in CHARGED_OUTCOMES)
        charged_test += (
            f" OR crime_id IN (SELECT crime_id FROM {_read(outcome_files)} "  # noqa: S608
            f"WHERE {where} AND outcome_type IN ({charged_types}))"
        )
    # One pass over the area's rows, grouped four ways: by LSOA, by location, by last outcome and by
    # whether a crime with an ID was charged.
    con = _database().cursor()
    try:
        grouped = con.execute(
            f"""WITH cur AS (
                  SELECT lsoa, location, last_outcome_category AS outcome, crime_type = {asb} AS is_asb,
                         CASE WHEN crime_type <> {asb} AND nullif(crime_id, '') IS NOT NULL
                              THEN coalesce(({charged_test}), false) END AS charged,
                         nullif(trim(location), '') IS NOT NULL
                           AND location NOT IN ('No Location', 'No location') AS located
                  FROM {_read(current_files)} WHERE {where}),
                grouped AS MATERIALIZED (
                  SELECT GROUPING(lsoa, location, outcome, charged) AS g, lsoa, location, outcome,
                         charged, is_asb, located, count(*) AS n
                  FROM cur
                  GROUP BY GROUPING SETS ((lsoa, is_asb), (location, lsoa, is_asb, located),
                                          (outcome, is_asb), (charged, is_asb)))
                SELECT g, lsoa, location, outcome, charged, is_asb, n FROM grouped WHERE g <> 3
                UNION ALL
                (SELECT g, lsoa, location, outcome, charged, is_asb, n FROM grouped
                 WHERE g = 3 AND NOT is_asb AND located ORDER BY n DESC, location
                 LIMIT {REPEAT_LOCATIONS})""",  # noqa: S608
        ).fetchall()
    finally:
        con.close()
    by_lsoa: dict[Any, list[int]] = {}
    by_location: list[tuple[str, Any, int]] = []
    for g, lsoa, location, outcome, was_charged, is_asb, n in grouped:
        if g == 0b0111:  # (lsoa, is_asb)
            by_lsoa.setdefault(lsoa, [0, 0])[1 if is_asb else 0] += n
        elif g == 0b0011:  # (location, lsoa, is_asb, located): the top ones only
            by_location.append((location, lsoa, n))
        elif g == 0b1101 and not is_asb:  # (outcome, is_asb)
            outcome_rows[outcome] = outcome_rows.get(outcome, 0) + n
        elif g == 0b1110 and not is_asb and was_charged is not None:  # (charged, is_asb)
            charged[0] += n
            charged[1] += n if was_charged else 0
    lsoa_rows = [(code, n[0], n[1]) for code, n in by_lsoa.items()]
    by_location.sort(key=lambda item: (-item[2], item[0]))
    locations = by_location[:REPEAT_LOCATIONS]
    return lsoa_rows, locations, outcome_rows, charged


def _own_rows(scope: _Scope) -> list[tuple[str, str, str, int]]:
    """The area's counts by force, month and crime type over all stored history to the period's last month,
    from the generation's summary (no Parquet file is read)."""
    if scope.generation is None or not scope.street_partitions:
        return []
    if scope.lsoas is not None:
        districts = {scope.area.lad.code} if scope.area.lad else set()
        return _lsoa_rows(
            scope, {scope.area.code: scope.lsoas}, districts, "0000-01", month_name(scope.end)
        ).get(scope.area.code, [])
    counts = summary.street_summary(scope.generation)
    return list(counts.rows_for(scope.column, scope.area.code, "0000-01", month_name(scope.end)))


def _area_counts(
    scope: _Scope, own: list[tuple[str, str, str, int]], comparison_codes: list[str]
) -> _AreaCounts:
    """Beyond the counts by month and type: the comparison areas' counts (from the summary) and one pass
    over the area's own forces' partitions by LSOA, location and outcome."""
    start, end = scope.start, scope.end
    generation = scope.generation
    current_months = set(scope.current_cover["present"])
    found = _AreaCounts()
    compared: list[tuple[str, str, int]] = []
    if generation is not None and scope.street_partitions:
        last = month_name(end)
        forces = {force for force, month, _type, _n in own if month >= month_name(start)}
        for code, rows in _comparison_rows(scope, comparison_codes, month_name(start), last).items():
            compared += [(code, t, n) for _f, m, t, n in rows if m in current_months]
        compared += _force_area_rows(scope)
        current_files = _files(scope.street_partitions, start, end, forces)
        outcome_files = found.outcome_files = _files(
            summary.partition_files(generation, "outcomes"), start, None, forces
        )
        if current_files:
            found.lsoa_rows, found.locations, found.outcome_rows, found.charged = _by_place(
                _where(scope), current_files, outcome_files
            )
    found.compared = compared
    return found


def _comparison_rows(
    scope: _Scope, codes: list[str], first: str, last: str
) -> dict[str, list[tuple[str, str, str, int]]]:
    """{area code: [(force, month, crime type, count)]} of the areas compared with this one (of its level),
    months first..last: from the summary, or for wards from their LSOAs' rows (one pass for them all)."""
    if scope.lsoas is None:
        counts = summary.street_summary(scope.generation)
        return {code: counts.rows_for(scope.column, code, first, last) for code in codes}
    groups: dict[str, list[str]] = {}
    districts: set[str] = set()
    for lsoa, ward, lad in Area.objects.filter(level=AreaLevel.LSOA, ward__code__in=codes).values_list(
        "code", "ward__code", "lad__code"
    ):
        groups.setdefault(ward, []).append(lsoa)
        districts.add(lad)
    return _lsoa_rows(scope, groups, districts, first, last)


def _force_area_rows(scope: _Scope) -> list[tuple[str, str, int]]:
    """(force area code, crime type, count) of the area's force area in the period's months with data, from
    the summary: the comparison with the force area as a whole. None for a force area itself."""
    area = scope.area
    if area.pfa is None or scope.generation is None or not scope.street_partitions:
        return []
    counts = summary.street_summary(scope.generation)
    current_months = set(scope.current_cover["present"])
    pfa_code = area.pfa.code
    return [
        (pfa_code, t, n)
        for _f, m, t, n in counts.rows_for("pfa", pfa_code, month_name(scope.start), month_name(scope.end))
        if m in current_months
    ]


@dataclass
class _Scope:
    """The area, the store generation and the period asked for, with what the store holds of it."""

    area: Area
    column: str
    generation: Any
    street_partitions: dict[tuple[str, str], list[str]]
    held_by: Any
    forces_serving: list[str]
    held: set[str]
    start: int
    end: int
    previous_start: int
    current_cover: dict[str, Any]
    previous_cover: dict[str, Any]
    pairs: list[tuple[int, int]]
    lsoas: list[str] | None = None  # a ward's LSOAs, whose rows are its rows; None for other levels


def _scope(area_code: str, from_month: str | None, to_month: str | None) -> _Scope:
    area = Area.objects.select_related("pfa", "lad").filter(code=area_code.strip().upper()).first()
    if area is None:
        raise ValidationError({"area": f"There is no area with the code {area_code!r}."})
    column = AREA_COLUMN.get(area.level)
    if column is None or area.level == AreaLevel.LSOA:
        raise ValidationError({"area": "Choose a force area, CSP, district or ward."})

    generation = store.current_path()
    street_partitions = summary.partition_files(generation, "street") if generation else {}
    held_by = coverage.store_coverage(generation if street_partitions else None)
    forces_serving = held_by.serving(_pfa_code(area))
    held = held_by.months(forces_serving)

    start, end = _period(from_month, to_month, held)
    length = end - start + 1
    previous_start = start - length
    current_cover = coverage.period(start, end, held)
    if not current_cover["present"]:
        raise _no_data(area, start, end, forces_serving, held)
    return _Scope(
        area=area,
        column=column,
        generation=generation,
        street_partitions=street_partitions,
        held_by=held_by,
        forces_serving=forces_serving,
        held=held,
        start=start,
        end=end,
        previous_start=previous_start,
        current_cover=current_cover,
        previous_cover=coverage.period(previous_start, start - 1, held),
        pairs=coverage.like_for_like(start, previous_start, length, held),
        lsoas=sorted(Area.objects.filter(level=AreaLevel.LSOA, ward=area).values_list("code", flat=True))
        if area.level == AreaLevel.WARD
        else None,
    )


def _split(counts: dict[str, int]) -> tuple[int, int]:
    """(crimes excluding ASB, ASB) of counts by crime type."""
    asb_count = counts.get(store.ASB, 0)
    return sum(counts.values()) - asb_count, asb_count


@dataclass
class _Figures:
    """The area's counts by month and crime type, and the period's totals and tests."""

    by_month: dict[int, dict[str, int]]
    current: dict[str, int]
    previous: dict[str, int]
    matched: dict[str, int]
    matched_before: dict[str, int]
    head: dict[str, Any]  # the assessment's first parts, area to by_crime_type

    def counts_over(self, indices: Iterable[int]) -> dict[str, int]:
        totals: dict[str, int] = {}
        for index in indices:
            for crime_type, count in self.by_month.get(index, {}).items():
                totals[crime_type] = totals.get(crime_type, 0) + count
        return totals


def _figures(scope: _Scope, own: list[tuple[str, str, str, int]]) -> _Figures:
    """Totals, like-for-like changes and their tests (one family, adjusted together) for the period."""
    area, start, end, previous_start, pairs = (
        scope.area,
        scope.start,
        scope.end,
        scope.previous_start,
        scope.pairs,
    )
    by_month: dict[int, dict[str, int]] = {}
    for _force, month, crime_type, count in own:
        into = by_month.setdefault(month_index(month), {})
        into[crime_type] = into.get(crime_type, 0) + count
    figures = _Figures(by_month, {}, {}, {}, {}, {})
    current = figures.current = figures.counts_over(range(start, end + 1))
    previous = figures.previous = figures.counts_over(range(previous_start, start))
    matched = figures.matched = figures.counts_over(c for c, _p in pairs)
    matched_before = figures.matched_before = figures.counts_over(p for _c, p in pairs)
    crimes, asb_total = _split(current)
    previous_crimes, previous_asb = _split(previous)
    matched_crimes, matched_asb = _split(matched)
    matched_crimes_before, matched_asb_before = _split(matched_before)

    # One family of tests: each crime type (ASB included) and all crime excluding ASB, adjusted together.
    crime_types = sorted(set(current) | set(previous), key=lambda t: (-current.get(t, 0), t))
    raw = [compare(matched.get(t, 0), matched_before.get(t, 0), len(pairs)) for t in crime_types]
    raw.append(compare(matched_crimes, matched_crimes_before, len(pairs)))
    adjusted = with_fdr(raw)
    by_type_change = dict(zip(crime_types, adjusted, strict=False))
    total_change = adjusted[-1]
    asb_change = by_type_change.get(store.ASB) or compare(matched_asb, matched_asb_before, len(pairs))
    population = area.population
    by_type = []
    for crime_type in crime_types:
        change = by_type_change[crime_type]
        by_type.append(
            {
                "crime_type": crime_type,
                "count": current.get(crime_type, 0),
                "rate_per_1000": rate(current.get(crime_type, 0), population),
                "previous_count": previous.get(crime_type, 0),
                "like_for_like_count": matched.get(crime_type, 0),
                "like_for_like_previous_count": matched_before.get(crime_type, 0),
                "change": change.change,
                "change_pct": change.change_pct,
                "p_value": change.p_value,
                "q_value": change.q_value,
                "trend": change.trend,
            }
        )
    figures.head = {
        "area": {
            "code": area.code,
            "name": area.name,
            "level": area.level,
            "population_partial": area.population_partial,
        },
        "from": month_name(start),
        "to": month_name(end),
        "previous": {"from": month_name(previous_start), "to": month_name(start - 1)},
        "coverage": coverage.summary_of(
            scope.forces_serving, scope.held, scope.current_cover, scope.previous_cover, pairs
        ),
        "data": {
            "source": "data.police.uk street-level crime and ASB",
            "generation": scope.generation.name if scope.generation else None,
            "months_missing": scope.current_cover["missing"],
            "previous_months_missing": scope.previous_cover["missing"],
        },
        "significance": {
            "method": SIGNIFICANCE_METHOD,
            "level": SIGNIFICANCE,
            "correction": "Benjamini-Hochberg (false discovery rate)",
            "tests": sum(1 for change in adjusted if change.p_value is not None),
        },
        "totals": {
            "crimes_excl_asb": crimes,
            "asb": asb_total,
            "population": population,
            "population_year": area.population_year,
            "rate_per_1000": rate(crimes, population),
            "asb_rate_per_1000": rate(asb_total, population),
            "previous_crimes_excl_asb": previous_crimes,
            "previous_asb": previous_asb,
            "like_for_like": {
                "months": len(pairs),
                "crimes_excl_asb": matched_crimes,
                "previous_crimes_excl_asb": matched_crimes_before,
                "asb": matched_asb,
                "previous_asb": matched_asb_before,
            },
            "change": total_change.change,
            "change_pct": total_change.change_pct,
            "p_value": total_change.p_value,
            "q_value": total_change.q_value,
            "trend": total_change.trend,
            "asb_change": asb_change.change,
            "asb_change_pct": asb_change.change_pct,
            "asb_p_value": asb_change.p_value,
            "asb_q_value": asb_change.q_value,
            "asb_trend": asb_change.trend,
        },
        "by_crime_type": by_type,
    }
    return figures


HEAD = ("area", "from", "to", "previous", "coverage", "data", "significance", "totals", "by_crime_type")


def assess_totals(
    area_code: str, from_month: str | None = None, to_month: str | None = None
) -> dict[str, Any]:
    """The first parts of the assessment (`HEAD`: area, period, coverage, significance, totals and crime
    types), each exactly as `assess` gives it, from the store's summary alone: no Parquet file is read and
    no similar area or LSOA is worked out. For indicators and pages that need only the figures."""
    scope = _scope(area_code, from_month, to_month)
    return _figures(scope, _own_rows(scope)).head


def assess(area_code: str, from_month: str | None = None, to_month: str | None = None) -> dict[str, Any]:
    """The assessment for one CSP, district, electoral ward or force area (see the module docstring)."""
    scope = _scope(area_code, from_month, to_month)
    area, column, held_by, held = scope.area, scope.column, scope.held_by, scope.held
    start, end, pairs = scope.start, scope.end, scope.pairs
    current_cover = scope.current_cover
    current_months = set(current_cover["present"])

    population = area.population
    profiles = area_profiles(area.level)
    candidates = similar_areas(area.code, profiles, limit=len(profiles))
    similar, skipped = _comparable(area, candidates, current_months, held_by)
    comparison_codes = [code for code, _distance in similar]
    named_codes = [*comparison_codes, *skipped, *([area.pfa.code] if area.pfa else [])]

    own = _own_rows(scope)
    figures = _figures(scope, own)
    found = _area_counts(scope, own, comparison_codes)
    lsoa_rows, locations = found.lsoa_rows, found.locations
    outcome_rows, charged, compared, outcome_files = (
        found.outcome_rows,
        found.charged,
        found.compared,
        found.outcome_files,
    )
    by_month, current, previous = figures.by_month, figures.current, figures.previous
    matched, matched_before = figures.matched, figures.matched_before

    monthly = _monthly(scope, figures)
    # Rolling 12-month totals over all the stored history, each only where its 12 months all have data.
    first_held = month_index(min(held))
    rolling_series = []
    for index in range(min(first_held + 11, start), end + 1):
        rolling_crimes, rolling_asb, rolling_missing = _rolling_at(figures, held, index)
        rolling_series.append(
            {
                "month": month_name(index),
                "crimes_excl_asb": rolling_crimes,
                "asb": rolling_asb,
                "missing": rolling_missing,
            }
        )
    seasonal_series = {
        i: _split(by_month.get(i, {}))[0] for i in range(first_held, end + 1) if month_name(i) in held
    }

    # LSOAs of the area (with populations and IMD deciles), including those with no crime.
    lsoa_names: dict[str, str] = {}
    lsoa_population: dict[str, int | None] = {}
    for code, name, lsoa_people in Area.objects.filter(level=AreaLevel.LSOA, **{column: area}).values_list(
        "code", "name", "population"
    ):
        lsoa_names[code] = name
        lsoa_population[code] = lsoa_people
    deciles = dict(
        DeprivationIndex.objects.filter(lsoa_code__in=list(lsoa_population)).values_list(
            "lsoa_code", "decile"
        )
    )
    lsoa_crimes = {code: n for code, n, _asb in lsoa_rows if code}
    lsoa_asb = {code: a for code, _n, a in lsoa_rows if code}
    weights = dict(SeverityWeight.objects.values_list("crime_type", "weight"))
    harm_section = harm(current, previous, weights, population)
    # The harm change is like for like too.
    matched_harm, matched_harm_before = (
        weighted_total(matched, weights),
        weighted_total(matched_before, weights),
    )
    harm_section["change_pct"] = (
        round((matched_harm - matched_harm_before) * 100 / matched_harm_before, 1)
        if pairs and matched_harm_before
        else None
    )

    compared_counts: dict[str, dict[str, int]] = {}
    for code, crime_type, count in compared:
        into = compared_counts.setdefault(code, {})
        into[crime_type] = into.get(crime_type, 0) + count
    names = dict(Area.objects.filter(code__in=named_codes).values_list("code", "name"))

    def comparison_row(code: str, distance: float | None) -> dict[str, Any]:
        area_population, mean_rank = profiles.get(code, (None, None))
        if area.pfa and code == area.pfa.code:
            area_population = area.pfa.population
            mean_rank = area_profiles(AreaLevel.PFA).get(code, (None, None))[1]
        return {
            "code": code,
            "name": names.get(code, code),
            "population": area_population,
            "mean_imd_rank": mean_rank,
            "distance": distance,
            **_counts_and_rates(compared_counts.get(code, {}), area_population),
        }

    charged_total, charged_count = charged
    return {
        **figures.head,
        "monthly": monthly,
        "rolling": rolling_series,
        "seasonality": seasonality(seasonal_series),
        "harm": {**harm_section, "method": HARM_METHOD},
        "concentration": {
            "crimes_excl_asb": concentration([lsoa_crimes.get(c, 0) for c in lsoa_population]),
            "asb": concentration([lsoa_asb.get(c, 0) for c in lsoa_population]),
            "top_lsoas": [
                {"lsoa": code, "crimes_excl_asb": n, "rate_per_1000": rate(n, lsoa_population.get(code))}
                for code, n in sorted(lsoa_crimes.items(), key=lambda item: (-item[1], item[0]))[:10]
            ],
            "repeat_locations": [
                {"location": location, "lsoa": lsoa, "crimes_excl_asb": n} for location, lsoa, n in locations
            ],
            "method": CONCENTRATION_METHOD,
        },
        "comparison": {
            "force_area": comparison_row(area.pfa.code, None) if area.pfa else None,
            "similar_areas": [comparison_row(code, distance) for code, distance in similar],
            # The nearest areas left out for want of data (at most as many as are compared).
            "not_compared": [
                {"code": code, "name": names.get(code, code), "reason": "no police data for these months"}
                for code in skipped[:SIMILAR_AREAS]
            ],
            "mean_imd_rank": profiles.get(area.code, (None, None))[1],
            "months": current_cover["present"],
            "method": COMPARISON_METHOD,
        },
        "outcomes": {
            "crimes_with_id": charged_total,
            "by_last_outcome": outcome_shares(dict(outcome_rows)),
            "charged_or_summonsed": charged_count,
            "charge_summons_rate_pct": round(charged_count * 100 / charged_total, 1)
            if charged_total
            else None,
            "outcomes_data": bool(outcome_files),
            "method": OUTCOMES_METHOD,
        },
        "lsoas": [
            {
                "lsoa": code,
                "name": lsoa_names[code],
                "population": lsoa_population[code],
                "crimes_excl_asb": lsoa_crimes.get(code, 0),
                "asb": lsoa_asb.get(code, 0),
                "rate_per_1000": rate(lsoa_crimes.get(code, 0), lsoa_population[code]),
            }
            for code in sorted(lsoa_population)
        ],
        "deprivation": {
            "by_decile": rates_by_decile(lsoa_crimes, lsoa_population, deciles),
            "method": "IMD 2019 decile of each LSOA (1 = most deprived tenth of England's LSOAs); rates "
            "per 1,000 residents of the decile's LSOAs in this area. Welsh LSOAs have no English decile.",
        },
    }


def _rolling_at(figures: _Figures, held: set[str], index: int) -> tuple[int | None, int | None, list[str]]:
    """Rolling 12-month totals (crimes excluding ASB, ASB) to a month over all the stored history, only where
    its 12 months all have data; else None and the months missing."""
    window = range(index - 11, index + 1)
    missing = [month_name(i) for i in window if month_name(i) not in held]
    if missing:
        return None, None, missing
    crimes_in, asb_in = _split(figures.counts_over(window))
    return crimes_in, asb_in, []


def _monthly(scope: _Scope, figures: _Figures) -> list[dict[str, Any]]:
    """Each month of the period: its counts, whether the force published it, and the rolling 12 months."""
    monthly = []
    for index in range(scope.start, scope.end + 1):
        month_crimes, month_asb = _split(figures.by_month.get(index, {}))
        rolling_crimes, rolling_asb, rolling_missing = _rolling_at(figures, scope.held, index)
        monthly.append(
            {
                "month": month_name(index),
                "has_data": month_name(index) in scope.held,
                "crimes_excl_asb": month_crimes,
                "asb": month_asb,
                "rolling_12_crimes_excl_asb": rolling_crimes,
                "rolling_12_asb": rolling_asb,
                "rolling_12_missing": rolling_missing,
            }
        )
    return monthly


def _counts_and_rates(counts: dict[str, int], population: float | None) -> dict[str, Any]:
    """A compared area's counts by crime type as the comparison shows them: totals and rates per 1,000."""
    area_crimes, area_asb = _split(counts)
    people = int(population) if population else None
    return {
        "crimes_excl_asb": area_crimes,
        "asb": area_asb,
        "rate_per_1000": rate(area_crimes, people),
        "asb_rate_per_1000": rate(area_asb, people),
        "by_crime_type": {t: rate(n, people) for t, n in sorted(counts.items())},
    }


OVERVIEW = (*HEAD, "monthly", "comparison")
FORCE_AREA_ROW = (
    "code",
    "name",
    "population",
    "crimes_excl_asb",
    "asb",
    "rate_per_1000",
    "asb_rate_per_1000",
    "by_crime_type",
)


def assess_overview(
    area_code: str, from_month: str | None = None, to_month: str | None = None
) -> dict[str, Any]:
    """What a public page shows of the assessment (`OVERVIEW`): the first parts (`HEAD`), each month, and the
    force area as a whole in `comparison.force_area` (its `FORCE_AREA_ROW` counts and rates; None for a force
    area), each exactly as `assess` gives it, from the store's summary alone: no Parquet file is read and no
    similar area, LSOA or deprivation profile is worked out. `comparison` holds nothing else."""
    scope = _scope(area_code, from_month, to_month)
    figures = _figures(scope, _own_rows(scope))
    force_area = None
    pfa = scope.area.pfa
    if pfa is not None:
        counts: dict[str, int] = {}
        for _code, crime_type, count in _force_area_rows(scope):
            counts[crime_type] = counts.get(crime_type, 0) + count
        force_area = {
            "code": pfa.code,
            "name": pfa.name,
            "population": pfa.population,
            **_counts_and_rates(counts, pfa.population),
        }
    return {**figures.head, "monthly": _monthly(scope, figures), "comparison": {"force_area": force_area}}


# --- police measures beyond the figures: repeat locations and the charge/summons rate -----------------

# Street "last outcome" categories that say nothing yet about whether anyone was charged.
NOT_YET_KNOWN_OUTCOMES = ("Under investigation", "Status update unavailable")
REPEAT_LOCATIONS_METHOD = (
    "A location is one of data.police.uk's anonymised map points (its latitude and longitude: each crime is "
    "moved to the nearest of a fixed set of points, so several addresses share one, and one 'On or near' "
    "street name can have several points). A repeat location is a point with at least the set number of "
    "crimes of the chosen types in the period. Crimes without coordinates are left out (and counted). A "
    "count of locations is not raised pro rata for a missing month, and has no significance test."
)
CHARGE_RATE_METHOD = (
    "From the last outcome category data.police.uk publishes with each street-level crime (a snapshot at "
    "the time of download), not the Home Office's crime outcomes data: the share of the period's crimes "
    "(ASB has no outcomes) whose last outcome follows a charge or summons: "
    + "; ".join(f"'{o}'" for o in COURT_OUTCOMES)
    + ". Crimes whose outcome is not yet known ("
    + ", ".join(f"'{o}'" for o in NOT_YET_KNOWN_OUTCOMES)
    + " or none) stay in the count of crimes, as not charged: a recent period's rate can still rise. "
    "A change against the period before is not tested: that period's crimes have had longer to reach an "
    "outcome."
)


def _scan(scope: _Scope) -> tuple[str, dict[str, list[str]]]:
    """A DuckDB source over the area's rows in the period and the like-for-like months before, and the
    month lists a measure is counted over: the period's months with data ("current"), and the month pairs
    compared ("matched" this period, "before" the period before). Empty source when there are no rows."""
    months = {
        "current": list(scope.current_cover["present"]),
        "matched": [month_name(c) for c, _p in scope.pairs],
        "before": [month_name(p) for _c, p in scope.pairs],
    }
    wanted = set(months["current"]) | set(months["before"])
    # The forces whose partitions hold the area's rows in those months (as the summary's counts are).
    forces = {force for force, month, _type, _n in _own_rows(scope) if month in wanted}
    files = sorted(
        path
        for (force, month), paths in scope.street_partitions.items()
        if force in forces and month in wanted
        for path in paths
    )
    if not files:
        return "", months
    listed = ", ".join("'" + f.replace("'", "''") + "'" for f in files)
    return f"read_parquet([{listed}], {summary.HIVE})", months


def repeat_locations(
    area_code: str, from_month: str, to_month: str, *, crime_type: str | None, minimum: int
) -> dict[str, Any]:
    """The locations (anonymised map points) with at least `minimum` crimes of `crime_type` (None: all
    crime excluding ASB) in the area in the period, from one pass over the area's rows; the same count over
    the like-for-like months of this period and of the period before. Raises AssessmentError as `assess`
    does when the period has no data."""
    scope = _scope(area_code, from_month, to_month)
    source, months = _scan(scope)
    found: dict[str, Any] = {
        "minimum": minimum,
        "crimes": 0,
        "unlocated": 0,
        "locations": 0,
        "crimes_at_repeat_locations": 0,
        "locations_with_crime": 0,
        "like_for_like": {"months": len(scope.pairs), "locations": 0, "previous_locations": 0},
        "method": REPEAT_LOCATIONS_METHOD,
    }
    if not source:
        return found
    selection = "crime_type IS DISTINCT FROM $asb" if crime_type is None else "crime_type = $crime_type"
    con = _database().cursor()
    try:
        row = con.execute(
            f"""WITH picked AS (
                  SELECT month, longitude, latitude,
                         longitude IS NOT NULL AND latitude IS NOT NULL AS located
                  FROM {source} WHERE {_where(scope)} AND {selection}),
                points AS (
                  SELECT count(*) FILTER (WHERE list_contains($current, month)) AS now,
                         count(*) FILTER (WHERE list_contains($matched, month)) AS matched,
                         count(*) FILTER (WHERE list_contains($before, month)) AS before
                  FROM picked WHERE located GROUP BY longitude, latitude)
                SELECT (SELECT count(*) FROM picked WHERE list_contains($current, month)),
                       (SELECT count(*) FROM picked WHERE list_contains($current, month) AND NOT located),
                       count(*) FILTER (WHERE now >= $minimum),
                       coalesce(sum(now) FILTER (WHERE now >= $minimum), 0),
                       count(*) FILTER (WHERE now > 0),
                       count(*) FILTER (WHERE matched >= $minimum),
                       count(*) FILTER (WHERE before >= $minimum)
                FROM points""",  # noqa: S608
            {
                "minimum": minimum,
                **months,
                **({"asb": store.ASB} if crime_type is None else {"crime_type": crime_type}),
            },
        ).fetchone()
    finally:
        con.close()
    assert row is not None
    crimes, unlocated, locations, at_repeats, with_crime, matched, before = (int(v or 0) for v in row)
    found.update(
        crimes=crimes,
        unlocated=unlocated,
        locations=locations,
        crimes_at_repeat_locations=at_repeats,
        locations_with_crime=with_crime,
    )
    found["like_for_like"].update(locations=matched, previous_locations=before)
    return found


def charge_outcomes(area_code: str, from_month: str, to_month: str) -> dict[str, Any]:
    """The area's crimes (ASB left out: it has no outcomes) by crime type and by what their last outcome
    says of a charge: {"current" | "matched" | "before": {crime type: [charged or summonsed, outcome not
    yet known, crimes]}} over the period's months, its like-for-like months and the period before's, from
    one pass over the area's rows. Raises AssessmentError as `assess` does when the period has no data."""
    scope = _scope(area_code, from_month, to_month)
    source, months = _scan(scope)
    found: dict[str, Any] = {
        "current": {},
        "matched": {},
        "before": {},
        "like_for_like_months": len(scope.pairs),
        "method": CHARGE_RATE_METHOD,
    }
    if not source:
        return found
    con = _database().cursor()
    try:
        rows = con.execute(
            f"""SELECT month, coalesce(crime_type, ''),
                       CASE WHEN list_contains($charged, last_outcome_category) THEN 0
                            WHEN nullif(trim(last_outcome_category), '') IS NULL
                              OR list_contains($unknown, last_outcome_category) THEN 1
                            ELSE 2 END AS outcome,
                       count(*)
                FROM {source} WHERE {_where(scope)} AND crime_type IS DISTINCT FROM $asb
                GROUP BY ALL""",  # noqa: S608
            {
                "asb": store.ASB,
                "charged": list(COURT_OUTCOMES),
                "unknown": list(NOT_YET_KNOWN_OUTCOMES),
            },
        ).fetchall()
    finally:
        con.close()
    for month, crime_type, outcome, n in rows:
        for key, listed in months.items():
            if month in listed:
                counts = found[key].setdefault(crime_type, [0, 0, 0])
                if outcome < 2:
                    counts[outcome] += n
                counts[2] += n
    return found


CSV_COLUMNS = [
    "crime_type",
    "count",
    "rate_per_1000",
    "previous_count",
    "like_for_like_count",
    "like_for_like_previous_count",
    "change",
    "change_pct",
    "p_value",
    "q_value",
    "trend",
]


def coverage_note(result: dict[str, Any]) -> str:
    """The coverage warning of an assessment ('' when both periods are complete)."""
    cover = result.get("coverage")
    if cover is None:
        return "Coverage not recorded for this edition."
    return cover.get("warning") or ""


def as_csv_rows(result: dict[str, Any]) -> list[list[Any]]:
    """The by-crime-type table with a total row, for `--format csv`; every row carries the coverage
    warning (empty when both periods have every month)."""
    totals = result["totals"]
    matched = totals.get("like_for_like") or {}
    note = coverage_note(result)
    rows: list[list[Any]] = [["area_code", "area_name", "from", "to", *CSV_COLUMNS, "coverage_warning"]]
    prefix = [result["area"]["code"], result["area"]["name"], result["from"], result["to"]]
    for item in result["by_crime_type"]:
        rows.append([*prefix, *(item.get(c) for c in CSV_COLUMNS), note])
    rows.append(
        [
            *prefix,
            "All crime excluding anti-social behaviour",
            totals["crimes_excl_asb"],
            totals["rate_per_1000"],
            totals["previous_crimes_excl_asb"],
            matched.get("crimes_excl_asb"),
            matched.get("previous_crimes_excl_asb"),
            totals["change"],
            totals["change_pct"],
            totals["p_value"],
            totals.get("q_value"),
            totals["trend"],
            note,
        ]
    )
    return rows


LONG_CSV_HEADER = ["area_code", "area_name", "from", "to", "section", "item", "measure", "value"]


def _coverage_rows(prefix: list[Any], result: dict[str, Any]) -> list[list[Any]]:
    """The long CSV's coverage rows: the warning, the forces, the months of each period, like for like."""
    rows: list[list[Any]] = []
    cover = result.get("coverage")
    if cover is None:
        rows.append([*prefix, "coverage", "all", "warning", coverage_note(result)])
        return rows
    rows.append([*prefix, "coverage", "all", "warning", cover["warning"] or ""])
    rows.append([*prefix, "coverage", "all", "forces", ", ".join(cover["forces"])])
    for side in ("current", "previous"):
        period = cover[side]
        item = f"{side} period {period['from']} to {period['to']}"
        rows.append([*prefix, "coverage", item, "months_expected", len(period["expected"])])
        rows.append([*prefix, "coverage", item, "months_present", len(period["present"])])
        rows.append([*prefix, "coverage", item, "months_missing", " ".join(period["missing"])])
    lfl = cover["like_for_like"]
    rows.append([*prefix, "coverage", "like for like", "months", lfl["months"]])
    for side in ("current", "previous"):
        rows.append([*prefix, "coverage", "like for like", f"{side}_months", " ".join(lfl[side])])
    return rows


def as_long_rows(result: dict[str, Any]) -> list[list[Any]]:
    """Every number of every section, one per row (section, item, measure, value), for the CSV download."""
    prefix = [result["area"]["code"], result["area"]["name"], result["from"], result["to"]]
    rows: list[list[Any]] = []

    def add(section: str, item: Any, values: dict[str, Any], skip: tuple[str, ...] = ()) -> None:
        for measure, value in values.items():
            if measure in skip or isinstance(value, (dict, list)):
                continue
            rows.append([*prefix, section, item, measure, value])

    rows += _coverage_rows(prefix, result)
    if result.get("significance"):
        add("significance", "all", result["significance"])
    add("totals", "all", result["totals"])
    if result["totals"].get("like_for_like"):
        add("totals", "like for like", result["totals"]["like_for_like"])
    for item in result["by_crime_type"]:
        add("by_crime_type", item["crime_type"], item, skip=("crime_type",))
    for item in result["monthly"]:
        add("monthly", item["month"], item, skip=("month",))
        if item.get("rolling_12_missing"):
            rows.append(
                [
                    *prefix,
                    "monthly",
                    item["month"],
                    "rolling_12_missing",
                    " ".join(item["rolling_12_missing"]),
                ]
            )
    for item in result.get("rolling", []):
        add("rolling_12", item["month"], item, skip=("month",))
        if item["missing"]:
            rows.append([*prefix, "rolling_12", item["month"], "missing", " ".join(item["missing"])])
    for item in result["seasonality"]:
        add("seasonality", item["name"], item, skip=("name",))
    harm_section = result["harm"]
    add("harm", "all", harm_section, skip=("method",))
    for item in harm_section["by_crime_type"]:
        add("harm", item["crime_type"], item, skip=("crime_type",))
    conc = result["concentration"]
    for kind in ("crimes_excl_asb", "asb"):
        add("concentration", kind, {"places": conc[kind]["places"], "total": conc[kind]["total"]})
        for key in ("top_5pct", "top_10pct"):
            add("concentration", f"{kind} {key}", conc[kind][key])
    for item in conc["top_lsoas"]:
        add("top_lsoas", item["lsoa"], item, skip=("lsoa",))
    for item in conc["repeat_locations"]:
        add("repeat_locations", f"{item['location']} ({item['lsoa']})", item, skip=("location", "lsoa"))
    comparison = result["comparison"]
    for item in [comparison["force_area"], *comparison["similar_areas"]]:
        if item:
            add("comparison", f"{item['name']} ({item['code']})", item, skip=("code", "name"))
    for item in comparison.get("not_compared", []):
        rows.append(
            [*prefix, "comparison", f"{item['name']} ({item['code']})", "not_compared", item["reason"]]
        )
    outcomes = result["outcomes"]
    add("outcomes", "all", outcomes, skip=("method",))
    for item in outcomes["by_last_outcome"]:
        add("outcomes", item["outcome"], item, skip=("outcome",))
    for item in result["deprivation"]["by_decile"]:
        add("deprivation", f"decile {item['decile'] or 'none'}", item, skip=("decile",))
    for item in result.get("lsoas", []):
        add("lsoas", item["lsoa"], item, skip=("lsoa",))
    return rows
