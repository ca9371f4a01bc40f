"""The outcome view of a funded project (a grant or a contract): recorded crime and ASB in the area it
serves (the ward it mainly serves when one is recorded, else its CSP area), before and after it started,
against the most similar areas of the same level (difference in differences; docs/adr/0035, 0046).

`outcome_view(area=..., starts_on=...)` returns plain values for the page and the CSV (docs/adr/0035):

- the windows: the 12 whole months before the start month, and up to 12 whole months from the first whole
  month after the start (the start month itself when the project starts on the 1st), as far as the store
  holds months for the area's force;
- for the area and each comparison area (insight's most similar areas with police data in the store):
  counts and rates per 1,000 residents a year in each window, and the change;
- for each measure (crime excluding ASB, and ASB): the area's change, the mean change of the comparison
  areas, their difference, and either the finding in words or the reasons no conclusion is drawn (too few
  counts, months missing, no comparison). Nothing here is a significance test and nothing says it is.

Police data is read only through insight's public selectors.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError

from joinedup.core.models import AreaLevel
from joinedup.insight.selectors import AssessmentError, area_figures, comparison_areas, held_months

MONTHS = 12
# Below this many in either window (in the area, or in the comparison areas together) nothing is
# concluded: a count of 20 has a Poisson 95% interval of about 12 to 31, so chance alone moves it by
# 40% or more.
MIN_COUNT = 20
MEASURES: tuple[tuple[str, str, str], ...] = (
    ("crimes_excl_asb", "Recorded crime (excluding ASB)", "crimes"),
    ("asb", "Anti-social behaviour", "ASB incidents"),
)
METHOD = (
    "We count the street-level crimes and anti-social behaviour (ASB) incidents data.police.uk places in "
    "the area the project serves (for an electoral ward, those placed in its LSOAs), in the 12 whole months "
    "before the month it started and in up to 12 "
    "whole months after it started (the start month itself is left out unless the project started on its "
    "first day), and turn each into a rate per 1,000 residents a year (mid-year population; counted "
    "over the months with data and scaled to a year). We do the same for the most similar areas of the same "
    "kind (CSP areas for a CSP area, wards for a ward: the areas nearest in population and deprivation, as "
    "the strategic assessment chooses them). The difference in "
    "differences is the change in the area minus the mean change in the similar areas: what changed in "
    f"the area beyond what changed in places like it. We draw no conclusion when the area, or the similar "
    f"areas together, had fewer than {MIN_COUNT} in either window, or when any month of either window is "
    "missing from the published data for the area or a similar area. No change here is tested for "
    "significance, and none is called significant."
)
CAVEATS = (
    "Regression to the mean: projects often start where and when crime was unusually high, and unusually "
    "high counts tend to fall back on their own, so a fall after the start may have happened anyway.",
    "Other things changed: policing, other projects, the economy and how crimes are recorded all changed "
    "over the same months, and the similar areas share only some of them.",
    "Displacement: crime prevented in one place may move to a neighbouring area, or the project may "
    "reduce it in the neighbourhood too; the similar areas are not neighbours and neither is measured here.",
    "The project may serve only part of the area, so its effect, if any, is diluted across the whole "
    "area's counts (a CSP area's most of all: record the ward a project mainly serves to look at the ward); "
    "and recorded crime depends on reporting, which a project can itself raise.",
    "Fewer than 12 months after the start compare different seasons; the similar areas share the seasons, "
    "which the difference in differences allows for, but only roughly.",
)
# Said on the view of a ward only: its counts are small and its people come and go across its edges.
WARD_CAVEATS = (
    "A ward has few crimes a month, so chance alone moves its counts a good deal: the view draws no "
    f"conclusion below {MIN_COUNT} in either window, and even above that a change of a few crimes is within "
    "what chance gives.",
    "Ward boundaries are not where people live their lives: crime the project prevents may have been "
    "committed by, or against, people from outside the ward; and data.police.uk moves each crime to a nearby "
    "anonymous map point, which may lie across the boundary.",
)


@dataclass(frozen=True)
class Window:
    first: int  # month index (year * 12 + month - 1)
    last: int

    @property
    def months(self) -> list[str]:
        return [month_name(i) for i in range(self.first, self.last + 1)]

    @property
    def length(self) -> int:
        return self.last - self.first + 1


def month_index(month: str) -> int:
    year, number = month.split("-")
    return int(year) * 12 + int(number) - 1


def month_name(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def windows(starts_on: datetime.date, latest: str | None) -> tuple[Window, Window | None]:
    """The 12 months before the start month, and the whole months after the start (at most 12) up to the
    latest month the store holds (None when it holds none of them yet)."""
    start_month = starts_on.year * 12 + starts_on.month - 1
    before = Window(start_month - MONTHS, start_month - 1)
    first_after = start_month if starts_on.day == 1 else start_month + 1
    if latest is None:
        return before, None
    last_after = min(first_after + MONTHS - 1, month_index(latest))
    return before, (Window(first_after, last_after) if last_after >= first_after else None)


def _per_year(count: int, population: float | None, months: int) -> float | None:
    if not population or months <= 0:
        return None
    return count * 1000 / population * MONTHS / months


def _counts(code: str, window: Window) -> tuple[dict[str, int], list[str], int | None]:
    """The area's counts in the window ({measure: count}), the months missing, and its population."""
    try:
        figures = area_figures(code, month_name(window.first), month_name(window.last))
    except AssessmentError:
        return {key: 0 for key, _l, _n in MEASURES}, window.months, None
    totals = figures["totals"]
    return (
        {key: int(totals.get(key) or 0) for key, _l, _n in MEASURES},
        list(figures["coverage"]["current"]["missing"]),
        totals.get("population"),
    )


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _area_rows(
    code: str, name: str, role: str, population: float | None, before: Window, after: Window
) -> dict[str, Any]:
    before_counts, before_missing, own_population = _counts(code, before)
    after_counts, after_missing, _ = _counts(code, after)
    people = own_population or population
    measures = {}
    for key, _label, _noun in MEASURES:
        # Over the months present (a month missing is not a month of no crime); any missing month stops
        # a conclusion anyway.
        before_rate = _per_year(before_counts[key], people, before.length - len(before_missing))
        after_rate = _per_year(after_counts[key], people, after.length - len(after_missing))
        change = after_rate - before_rate if before_rate is not None and after_rate is not None else None
        measures[key] = {
            "before": before_counts[key],
            "after": after_counts[key],
            "before_rate": before_rate,
            "after_rate": after_rate,
            "change": change,
        }
    return {
        "code": code,
        "name": name,
        "role": role,
        "population": people,
        "missing": [*before_missing, *after_missing],
        "measures": measures,
    }


def _describe(change: float) -> str:
    if round(change, 1) == 0:
        return "no change"
    return f"{'up' if change > 0 else 'down'} {abs(change):.1f}"


def _finding(
    key: str, label: str, noun: str, area: dict[str, Any], compared: list[dict[str, Any]], missing: list[str]
) -> dict[str, Any]:
    """One measure's difference in differences, in words, or the reasons it cannot be told."""
    own = area["measures"][key]
    refusals = []
    if own["before"] < MIN_COUNT or own["after"] < MIN_COUNT:
        refusals.append(
            f"Too few {noun} to tell: {area['name']} had {own['before']} before and {own['after']} after "
            f"the start; at least {MIN_COUNT} in each are needed."
        )
    if compared:
        group_before = sum(row["measures"][key]["before"] for row in compared)
        group_after = sum(row["measures"][key]["after"] for row in compared)
        if group_before < MIN_COUNT or group_after < MIN_COUNT:
            refusals.append(
                f"Too few {noun} to tell in the similar areas: {group_before} before and {group_after} "
                f"after, together; at least {MIN_COUNT} in each are needed."
            )
    else:
        refusals.append("No similar area has police data in the store: there is nothing to compare with.")
    refusals.extend(missing)
    changes = [
        row["measures"][key]["change"] for row in compared if row["measures"][key]["change"] is not None
    ]
    mean_change = sum(changes) / len(changes) if changes and len(changes) == len(compared) else None
    did = own["change"] - mean_change if own["change"] is not None and mean_change is not None else None
    if refusals or did is None:
        words = "No conclusion: " + " ".join(refusals or ["a population is not known."])
    else:
        assert mean_change is not None and own["change"] is not None
        if round(did, 1) == 0:
            relative = "changed as it did in the similar areas"
        elif did < 0:
            relative = f"fell further or rose less than in the similar areas, by {abs(did):.1f}"
        else:
            relative = f"rose further or fell less than in the similar areas, by {abs(did):.1f}"
        words = (
            f"{label} in {area['name']} went from {own['before_rate']:.1f} to {own['after_rate']:.1f} per "
            f"1,000 residents a year ({_describe(own['change'])}). In the {len(compared)} similar "
            f"area{'s' if len(compared) != 1 else ''} it changed by {mean_change:+.1f} on average. The "
            f"difference in differences is {did:+.1f} per 1,000 residents a year: after the start it "
            f"{relative}. This describes what happened; it is not a test of significance and does not "
            "show that the project caused it."
        )
    conclusive = not refusals and did is not None
    return {
        "key": key,
        "label": label,
        "change": _round(own["change"]),
        # Withheld with the conclusion: a figure on partial or tiny counts would be read as one.
        "comparison_mean_change": _round(mean_change) if conclusive else None,
        "difference_in_differences": _round(did) if conclusive else None,
        "conclusive": conclusive,
        "refusals": refusals,
        "words": words,
    }


def area_served(project: Any) -> Any:
    """The area whose figures a grant's or contract's outcome view reads: the ward it mainly serves when one
    is recorded (the method works for a ward as for a CSP area: its counts by LSOA, against similar wards),
    else its CSP area; None when neither is recorded."""
    return project.ward or project.csp


def outcome_view(*, area: Any, starts_on: datetime.date) -> dict[str, Any]:
    """The outcome view of a project serving `area` (a core Area: a CSP, or the ward the project mainly serves;
    None when not recorded) that started on `starts_on`; a ward is compared with the most similar wards.
    `refusal` is set (and nothing else worked out) when there is no area, no population, or no whole month
    after the start in the store."""
    view: dict[str, Any] = {
        "area": area,
        "starts_on": starts_on,
        "refusal": None,
        "method": METHOD,
        "caveats": CAVEATS,
        "min_count": MIN_COUNT,
        "is_ward": area is not None and area.level == AreaLevel.WARD,
    }
    if view["is_ward"]:
        view["caveats"] = (*CAVEATS, *WARD_CAVEATS)
    if area is None:
        view["refusal"] = (
            "No CSP area is recorded, so there is no area to look at: record the area it serves."
        )
        return view
    if not area.population:
        view["refusal"] = f"No population is recorded for {area.name}, so no rate can be worked out."
        return view
    try:
        held = held_months(area.code)
        comparison = comparison_areas(area.code)
    except ValidationError as exc:
        view["refusal"] = " ".join(exc.messages)
        return view
    before, after = windows(starts_on, held[-1] if held else None)
    view["before"] = {
        "from": month_name(before.first),
        "to": month_name(before.last),
        "months": before.length,
    }
    if not held:
        view["refusal"] = f"The store holds no police data for {area.name}'s force area."
        return view
    if after is None:
        view["refusal"] = (
            f"Too early to tell: the store holds no whole month after the start yet (its latest month for "
            f"{area.name} is {held[-1]})."
        )
        return view
    view["after"] = {"from": month_name(after.first), "to": month_name(after.last), "months": after.length}
    view["similarity_method"] = comparison["method"]
    view["not_compared"] = comparison["not_compared"]
    own = _area_rows(area.code, area.name, "Area served", area.population, before, after)
    compared = [
        _area_rows(row["code"], row["name"], "Similar area", row["population"], before, after)
        for row in comparison["similar"]
    ]
    for row, similar in zip(compared, comparison["similar"], strict=True):
        row["distance"] = similar["distance"]
    missing = [
        f"Months missing: {', '.join(row['missing'])} ({row['name']})."
        for row in [own, *compared]
        if row["missing"]
    ]
    view["rows"] = [own, *compared]
    view["compared"] = compared
    view["findings"] = [_finding(key, label, noun, own, compared, missing) for key, label, noun in MEASURES]
    for finding in view["findings"]:  # the table's rows of each measure
        finding["rows"] = [
            {key: row[key] for key in ("code", "name", "role", "population", "missing")}
            | row["measures"][finding["key"]]
            for row in view["rows"]
        ]
    return view


CSV_HEADER = (
    "measure",
    "area_code",
    "area_name",
    "role",
    "population",
    "before_from",
    "before_to",
    "before_count",
    "before_rate_per_1000_a_year",
    "after_from",
    "after_to",
    "after_count",
    "after_rate_per_1000_a_year",
    "change",
    "comparison_mean_change",
    "difference_in_differences",
    "months_missing",
    "conclusion",
)


def csv_rows(view: dict[str, Any]) -> list[list[Any]]:
    """The outcome table, one row per measure and area; the area served's row carries the comparison's
    mean change, the difference in differences and the conclusion (or the reasons there is none)."""
    if view["refusal"]:
        code = view["area"].code if view["area"] else ""
        name = view["area"].name if view["area"] else ""
        return [["", code, name, "Area served", *[""] * 13, view["refusal"]]]
    rows = []
    for finding in view["findings"]:
        for row in view["rows"]:
            measure = row["measures"][finding["key"]]
            served = row["role"] == "Area served"
            rows.append(
                [
                    finding["label"],
                    row["code"],
                    row["name"],
                    row["role"],
                    row["population"],
                    view["before"]["from"],
                    view["before"]["to"],
                    measure["before"],
                    _round(measure["before_rate"]),
                    view["after"]["from"],
                    view["after"]["to"],
                    measure["after"],
                    _round(measure["after_rate"]),
                    _round(measure["change"]),
                    finding["comparison_mean_change"] if served else "",
                    finding["difference_in_differences"] if served else "",
                    " ".join(row["missing"]),
                    finding["words"] if served else "",
                ]
            )
    return rows
