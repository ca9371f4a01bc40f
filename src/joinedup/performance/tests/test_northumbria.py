"""Newcastle upon Tyne's police-data indicators, worked out from the real Northumbria download, against an
independent count of the published files (insight's own oracle helper: the ZIP and the ONS lookups read
directly, not through the importer, the store or the Area table)."""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest

from joinedup.core.models import Area, Organisation
from joinedup.core.roles import Role
from joinedup.core.services.areas_import import import_areas
from joinedup.core.tests.factories import UserFactory
from joinedup.insight.imports import services as reference
from joinedup.insight.imports.importer import import_police_data
from joinedup.insight.tests.test_northumbria import ORACLE, _independent_counts, _shared
from joinedup.partnerships.models import Plan
from joinedup.performance import services
from joinedup.performance.models import Indicator

pytestmark = [pytest.mark.shared_data, pytest.mark.django_db]
NEWCASTLE = "E22000245"
QUARTERS = [
    ("2022-04", "2022-05", "2022-06"),
    ("2022-07", "2022-08", "2022-09"),
    ("2022-10", "2022-11", "2022-12"),
    ("2023-01", "2023-02", "2023-03"),
]
BASELINE = [f"2021-{m:02d}" for m in range(4, 13)] + ["2022-01", "2022-02", "2022-03"]


def test_newcastle_indicators_match_an_independent_count(tmp_path: Path, settings: Any) -> None:
    folder = _shared()
    settings.DATA_DIR = tmp_path
    import_areas(folder)
    import_police_data([folder / "police_uk" / "northumbria_2020-05_2023-03.zip"])
    reference.import_severity(folder / WEIGHTS, actor_label="test")
    newcastle = Area.objects.get(code=NEWCASTLE)
    plan = Plan.objects.create(
        title="Plan",
        pcc_name="PCC",
        force_area=newcastle.pfa,
        period_start=datetime.date(2022, 4, 1),
        period_end=datetime.date(2023, 3, 31),
    )
    priority = plan.priorities.create(title="Crime and ASB")
    analyst = UserFactory(role=Role.ANALYST, areas=[newcastle.pfa])
    owner = Organisation.objects.create(name="Northumbria Police")
    made = {}
    for key, measure, unit, extra in (
        ("crimes", "all_crime", "count", {}),
        ("asb", "asb", "count", {}),
        ("rate", "all_crime", "rate", {}),
        ("repeats", "repeat_locations", "count", {"repeat_minimum": REPEAT_MINIMUM}),
        ("charged", "charge_rate", "percent", {"direction": "up", "target_value": "10"}),
        ("violence", "crime_type", "count", {"crime_type": CRIME_TYPE}),
        ("harm", "harm", "count", {}),
        ("harm_rate", "harm", "rate", {}),
    ):
        made[key] = services.define_indicator(
            actor=analyst,
            priority=priority,
            data={
                "name": key,
                "definition": key,
                "unit": unit,
                "area": newcastle,
                "direction": "down",
                "baseline_from": "2021-04-01",
                "baseline_to": "2022-03-31",
                "target_kind": "change",
                "target_value": "-10",
                "frequency": "quarterly",
                "owner": owner,
                "source": "police",
                "police_measure": measure,
                **extra,
            },
            compute=False,
        )
    result = services.recompute(indicators=Indicator.objects.all(), today=datetime.date(2026, 12, 1))
    # The baseline and four quarters, each assessed once for all eight; and the baseline's quarters for
    # repeat locations (a count of locations over a year is not four quarters' count).
    assert result.assessments == 5 + 4

    counted = _independent_counts(folder, NEWCASTLE, {m for q in QUARTERS for m in q} | set(BASELINE))
    # Northumbria published no street file for 2022-01 (in the baseline) or 2023-03 (in the last quarter).
    assert "2022-01" not in counted and "2023-03" not in counted
    population = ORACLE["Newcastle upon Tyne"][2]
    for index, months in enumerate(QUARTERS):
        start = datetime.date(int(months[0][:4]), int(months[0][5:]), 1)
        present = [m for m in months if m in counted]
        crimes = sum(counted[m][0] for m in present)
        asb = sum(counted[m][1] for m in present)
        values = {k: i.values.get(current=True, period_start=start) for k, i in made.items()}
        assert values["crimes"].value == crimes, months
        assert values["asb"].value == asb, months
        assert values["rate"].value == Decimal(crimes * 1000 / population).quantize(
            Decimal("0.1"), ROUND_HALF_UP
        )
        # The first quarter's previous quarter (Jan to Mar 2022) lacks a month, the last quarter its own.
        assert ("2022-01" in values["crimes"].coverage_warning) == (index == 0)
        assert values["crimes"].detail["months_missing"] == ([] if index < 3 else ["2023-03"])
        if index == 3:
            assert "Only 2 of 3 months have data" in values["crimes"].reason
    # The baseline has 11 of 12 months: the target is its monthly average over those, for 3 months, less 10%.
    baseline_crimes = sum(counted[m][0] for m in BASELINE if m in counted)
    target = (Decimal(baseline_crimes) / 11 * 3 * Decimal("0.9")).quantize(Decimal("0.01"), ROUND_HALF_UP)
    first = made["crimes"].values.get(current=True, period_start=datetime.date(2022, 4, 1))
    assert first.target is not None and abs(first.target - target) <= Decimal("0.01")

    # Repeat locations and the charge/summons rate, against the published rows read with the csv module.
    places = _independent_places(folder, NEWCASTLE, {m for q in QUARTERS for m in q} | set(BASELINE))

    def repeats(months: list[str]) -> int:
        points: dict[tuple[str, str], int] = {}
        for month in months:
            for longitude, latitude, _outcome, _crime_type in places.get(month, []):
                if longitude and latitude:
                    key = (longitude, latitude)
                    points[key] = points.get(key, 0) + 1
        return sum(1 for n in points.values() if n >= REPEAT_MINIMUM)

    for months in QUARTERS:
        start = datetime.date(int(months[0][:4]), int(months[0][5:]), 1)
        present = [m for m in months if m in counted]
        repeat_value = made["repeats"].values.get(current=True, period_start=start)
        assert repeat_value.value == repeats(present), months
        outcomes = [outcome for m in present for _lon, _lat, outcome, _type in places[m]]
        charged = sum(1 for outcome in outcomes if outcome in CHARGED_BY_HAND)
        not_known = sum(1 for outcome in outcomes if outcome in ("", *NOT_KNOWN_BY_HAND))
        rate_value = made["charged"].values.get(current=True, period_start=start)
        assert rate_value.detail["crimes"] == len(outcomes) == sum(counted[m][0] for m in present)
        assert (rate_value.detail["count"], rate_value.detail["not_known"]) == (charged, not_known), months
        # To one decimal place.
        assert abs(rate_value.value - Decimal(charged * 100 / len(outcomes))) <= Decimal("0.05"), months
        assert rate_value.trend.endswith(", not tested") and "Home Office" in rate_value.reason
    # The baseline of repeat locations: the mean of its whole quarters with every month (January 2022 is
    # missing, so January to March 2022 is left out), less 10%.
    baseline_quarters = [BASELINE[i : i + 3] for i in (0, 3, 6)]
    mean = Decimal(sum(repeats(q) for q in baseline_quarters)) / 3
    first = made["repeats"].values.get(current=True, period_start=datetime.date(2022, 4, 1))
    assert first.target == (mean * Decimal("0.9")).quantize(Decimal("0.01"), ROUND_HALF_UP)

    # One crime type, and crime harm: each crime's Crime Severity Score weight, read here straight from the
    # weights file, added up over the published rows (ASB has no weight and is not in `places`).
    weights = _independent_weights(folder)
    unweighted = sorted({t for rows in places.values() for *_rest, t in rows if t.casefold() not in weights})

    def harm(months: list[str]) -> Decimal:
        return sum((weights[t.casefold()] for m in months for *_rest, t in places[m]), Decimal(0))

    for index, months in enumerate(QUARTERS):
        start = datetime.date(int(months[0][:4]), int(months[0][5:]), 1)
        present = [m for m in months if m in counted]
        violence = made["violence"].values.get(current=True, period_start=start)
        assert violence.value == sum(1 for m in present for *_rest, t in places[m] if t == CRIME_TYPE), months
        # The app adds count x weight as floats and rounds the total with Python's round(total, 1) (half to
        # even, insight.selectors.harm_of_figures), then keeps it to two places (services._money, which adds
        # a 0); the per 1,000 figure is rounded the same way. Added up exactly here and rounded half to even
        # to one place, the two agree unless a total lies within a float's error of a half tenth.
        total = harm(present)
        harm_value = made["harm"].values.get(current=True, period_start=start)
        assert harm_value.value == total.quantize(Decimal("0.1"), ROUND_HALF_EVEN), months
        assert harm_value.detail["unweighted"] == unweighted
        assert made["harm_rate"].values.get(current=True, period_start=start).value == (
            total * 1000 / population
        ).quantize(Decimal("0.1"), ROUND_HALF_EVEN)
        # Like for like against the quarter before: the months in the same place of both quarters that both
        # have data (January 2022 and March 2023 were not published).
        before = QUARTERS[index - 1] if index else BASELINE[9:]
        pairs = [
            (now, then)
            for now, then in zip(months, before, strict=True)
            if now in counted and then in counted
        ]
        now_harm, then_harm = harm([p[0] for p in pairs]), harm([p[1] for p in pairs])
        change = ((now_harm - then_harm) * 100 / then_harm).quantize(Decimal("0.1"), ROUND_HALF_EVEN)
        assert Decimal(str(harm_value.detail["change_pct"])) == change, months
        assert harm_value.trend == f"harm {'up' if change > 0 else 'down'} {abs(change)}%, not tested"


REPEAT_MINIMUM = 5
CRIME_TYPE = "Violence and sexual offences"
WEIGHTS = Path("severity") / "css_weights_ho_offence_police_uk_category_derived.csv"
# Written out here rather than imported, so the test checks the lists the code uses.
CHARGED_BY_HAND = {
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
}
NOT_KNOWN_BY_HAND = ("Under investigation", "Status update unavailable")


def _independent_weights(folder: Path) -> dict[str, Decimal]:
    """{police.uk category in lower case: Crime Severity Score weight}, read straight from the weights file
    with the csv module: the median weight of the ONS offences the file maps to the category, each offence
    once (the file repeats an offence's row for each Home Office offence joined to it: the five rows of the
    grouped homicide codes "1, 4.1/2/10" are one weight). The weights are exact decimals, as written."""
    import csv
    import statistics

    offences: dict[str, dict[str, Decimal]] = {}
    with open(folder / WEIGHTS, encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            category = row["POLICE_UK_CAT_MAP_category"].strip().casefold()
            offences.setdefault(category, {})[row["ONS_SEVERITY_code"].strip()] = Decimal(
                row["ONS_SEVERITY_weight"]
            )
    return {category: statistics.median(found.values()) for category, found in offences.items()}


def _independent_places(
    folder: Path, csp_code: str, months: set[str]
) -> dict[str, list[tuple[str, str, str, str]]]:
    """{month: [(longitude, latitude, last outcome category, crime type)]} of the street crimes (ASB left
    out) whose LSOA lies in the CSP, read straight from the published ZIP and the ONS lookups with the csv
    module."""
    import csv
    import io
    import zipfile

    with open(folder / "lookups" / "lsoa11_ward19_lad19_ew.csv", encoding="utf-8-sig") as handle:
        lad_of = {row["LSOA11CD"]: row["LAD19CD"] for row in csv.DictReader(handle)}
    with open(folder / "lookups" / "lad19_csp19_pfa19_ew.csv", encoding="utf-8-sig") as handle:
        lads = {row["LAD19CD"] for row in csv.DictReader(handle) if row["CSP19CD"] == csp_code}
    found: dict[str, list[tuple[str, str, str, str]]] = {}
    with zipfile.ZipFile(folder / "police_uk" / "northumbria_2020-05_2023-03.zip") as archive:
        for name in archive.namelist():
            if not name.endswith("-street.csv") or name.split("/")[-1][:7] not in months:
                continue
            with archive.open(name) as raw:
                for row in csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8", newline="")):
                    if lad_of.get(row["LSOA code"]) in lads and row["Crime type"] != "Anti-social behaviour":
                        found.setdefault(row["Month"], []).append(
                            (
                                row["Longitude"],
                                row["Latitude"],
                                row["Last outcome category"].strip(),
                                row["Crime type"],
                            )
                        )
    return found
