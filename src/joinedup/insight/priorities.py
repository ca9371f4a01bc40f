"""The risk-based prioritisation matrix (in the spirit of MoRiLE), as pure functions of plain data.

Each candidate issue — a crime type, anti-social behaviour, or a theme grouping several crime types — is
scored from 1 to the scheme's `scale_max` on seven factors:

- from the assessment's data: **harm** (the candidate's share of the area's harm-weighted total),
  **volume** (its count per 1,000 residents) and **trend** (its like-for-like change against the previous
  period: only the months present in both periods are compared, ADR 0017);
- entered by the analyst: **victim vulnerability**, **community concern**, and the partnership's
  **organisational position** as **capacity** and **capability** (1 = well placed to respond,
  `scale_max` = no capacity or capability to respond; a gap raises the priority). The analyst may take
  community concern from what residents said in the area and period instead of typing it
  (`concern_score`, docs/adr/0031): the share of votes and answers about the candidate's crime types,
  one point for each 40 / (scale_max - 1) per cent, the top of the scale from 40%; nothing is derived from
  fewer than 30 responses.

The data factors are banded by the scheme's thresholds: a value at or above the k-th threshold scores
k + 1. A change the significance test does not find significant after the Benjamini-Hochberg adjustment
(or that cannot be compared like for like) scores the middle of the scale whatever its size; only a
significant change is banded by its size, so unequal coverage can never move a trend score. ASB has no Crime
Severity weight, so its harm is entered by the analyst (the middle of the scale until they do).

    impact      = weighted mean of harm, vulnerability and concern
    likelihood  = weighted mean of volume and trend
    risk        = impact x likelihood                                        (1 .. scale_max^2)
    position    = weighted mean of capacity and capability                   (1 .. scale_max)
    score       = risk x (1 + position_weight x (position - 1) / (scale_max - 1)), shown as 0-100 of its
                  largest possible value

An analyst may move a candidate to another rank with a recorded reason; the others keep their computed
order around it. Every number behind a rank is returned, so the list can be audited.
"""

from __future__ import annotations

import calendar
import itertools
import math
from dataclasses import dataclass, field
from typing import Any

from joinedup.insight import store

ENTERED = ("vulnerability", "concern", "capacity", "capability")
FACTOR_LABELS = {
    "harm": "Harm",
    "volume": "Volume",
    "trend": "Trend",
    "vulnerability": "Victim vulnerability",
    "concern": "Community concern",
    "capacity": "Organisational capacity",
    "capability": "Organisational capability",
}
IMPACT = ("harm", "vulnerability", "concern")
LIKELIHOOD = ("volume", "trend")
POSITION = ("capacity", "capability")

DEFAULT_SCHEME: dict[str, Any] = {
    "name": "Default scheme",
    "scale_max": 5,
    # Share of the area's harm-weighted total (%): 1 below 2%, 2 from 2%, ... 5 from 25%.
    "harm_bands": [2.0, 5.0, 10.0, 25.0],
    # Count per 1,000 residents in the period: 1 below 1, 2 from 1, ... 5 from 25.
    "volume_bands": [1.0, 3.0, 10.0, 25.0],
    # Change against the previous period (%), significant changes only.
    "trend_bands": [-20.0, -5.0, 5.0, 20.0],
    "weights": {
        "harm": 2.0,
        "volume": 1.0,
        "trend": 1.0,
        "vulnerability": 1.5,
        "concern": 1.0,
        "capacity": 1.0,
        "capability": 1.0,
    },
    "position_weight": 0.5,
}


def scheme_problems(scheme: dict[str, Any]) -> dict[str, list[str]]:
    """Every problem with a scoring scheme, by field (empty when it can be used)."""
    problems: dict[str, list[str]] = {}
    scale = scheme.get("scale_max")
    if not isinstance(scale, int) or not 3 <= scale <= 10:
        problems.setdefault("scale_max", []).append("The scale must run from 1 to a number between 3 and 10.")
        scale = None
    for name in ("harm_bands", "volume_bands", "trend_bands"):
        bands = scheme.get(name)
        label = name.split("_")[0]
        if not isinstance(bands, list) or not all(isinstance(b, int | float) for b in bands):
            problems.setdefault(name, []).append(f"Give the {label} thresholds as numbers.")
            continue
        if scale is not None and len(bands) != scale - 1:
            problems.setdefault(name, []).append(
                f"Give {scale - 1} {label} thresholds, one for each score above 1 (you gave {len(bands)})."
            )
        if any(later <= earlier for earlier, later in itertools.pairwise(bands)):
            problems.setdefault(name, []).append(f"The {label} thresholds must rise from one to the next.")
    weights = scheme.get("weights") or {}
    for factor in FACTOR_LABELS:
        weight = weights.get(factor)
        if not isinstance(weight, int | float) or weight < 0:
            problems.setdefault(f"{factor}_weight", []).append(
                f"Give the weight of {FACTOR_LABELS[factor].lower()} as a number of 0 or more."
            )
    for group, label in (
        (IMPACT, "impact"),
        (LIKELIHOOD, "likelihood"),
        (POSITION, "organisational position"),
    ):
        if all(isinstance(weights.get(f), int | float) for f in group) and not any(
            weights[f] > 0 for f in group
        ):
            problems.setdefault(f"{group[0]}_weight", []).append(
                f"At least one {label} factor needs a weight above 0."
            )
    position_weight = scheme.get("position_weight")
    if not isinstance(position_weight, int | float) or not 0 <= position_weight <= 2:
        problems.setdefault("position_weight", []).append(
            "Give the weight of the organisational position as a number from 0 to 2."
        )
    return problems


# Community concern from engagement (docs/adr/0031): fewer responses than this and nothing is derived; a
# share of responses this large (per cent) or larger scores the top of the scale.
MIN_CONCERN_RESPONSES = 30
CONCERN_TOP_SHARE = 40


def concern_score(mapped: int, responses: int, scale_max: int) -> int | None:
    """Community concern from engagement: 1 + one point for each 40 / (scale_max - 1) per cent of the
    responses about the candidate, at most `scale_max` (on 1 to 5: 1 below 10%, 2 from 10%, 3 from 20%,
    4 from 30%, 5 from 40%). None below MIN_CONCERN_RESPONSES. Whole-number arithmetic, so a hand count
    gives the same score."""
    if responses < MIN_CONCERN_RESPONSES:
        return None
    return min(scale_max, 1 + (mapped * (scale_max - 1) * 100) // (CONCERN_TOP_SHARE * responses))


def concern_rule(scale_max: int) -> str:
    """The rule in words, for the pages' help text."""
    step = CONCERN_TOP_SHARE / (scale_max - 1)
    return (
        "Community concern can be taken from engagement in the assessment's area and period: confirmed "
        "online votes and paper votes in published neighbourhood meetings, and answers to published "
        "consultations' questions whose choices are linked to crime types. The share of those responses "
        f"about the candidate's crime types scores 1, plus 1 for each {step:g}% (so {CONCERN_TOP_SHARE}% or "
        f"more scores {scale_max}). With fewer than {MIN_CONCERN_RESPONSES} responses nothing is derived: "
        "enter a score instead."
    )


def month_span(from_month: str, to_month: str) -> str:
    """'Jan-Mar 2026', or 'Nov 2025-Oct 2026' across a year (with an en dash), for YYYY-MM months."""
    (y1, m1), (y2, m2) = (tuple(int(p) for p in month.split("-")) for month in (from_month, to_month))
    first, last = calendar.month_abbr[m1], calendar.month_abbr[m2]
    if (y1, m1) == (y2, m2):
        return f"{first} {y1}"
    dash = "\N{EN DASH}"
    return f"{first}{dash}{last} {y2}" if y1 == y2 else f"{first} {y1}{dash}{last} {y2}"


def concern_summary(evidence: dict[str, Any], from_month: str, to_month: str) -> str:
    """'from 3 meetings and 1 consultation, 412 responses, Jan-Mar 2026' (with an en dash)."""
    parts = []
    for noun, items in (("meeting", evidence["meetings"]), ("consultation", evidence["consultations"])):
        if items:
            parts.append(f"{len(items)} {noun}{'s' if len(items) != 1 else ''}")
    where = " and ".join(parts) or "no meetings or consultations"
    responses = evidence["responses"]
    return (
        f"from {where}, {responses:,} response{'s' if responses != 1 else ''}, "
        f"{month_span(from_month, to_month)}"
    )


def band(value: float, thresholds: list[float]) -> int:
    """1 + the number of thresholds the value reaches (a value equal to a threshold reaches it)."""
    return 1 + sum(1 for threshold in thresholds if value >= threshold)


def middle(scale_max: int) -> int:
    return math.ceil((scale_max + 1) / 2)


def band_descriptions(thresholds: list[float], unit: str) -> list[str]:
    """'1: below 2%', '2: 2% to below 5%', ... for showing how a factor is banded."""
    lines = []
    for score in range(1, len(thresholds) + 2):
        low = thresholds[score - 2] if score > 1 else None
        high = thresholds[score - 1] if score <= len(thresholds) else None
        if low is None:
            lines.append(f"{score}: below {high:g}{unit}")
        elif high is None:
            lines.append(f"{score}: {low:g}{unit} or more")
        else:
            lines.append(f"{score}: {low:g}{unit} to below {high:g}{unit}")
    return lines


@dataclass
class Candidate:
    """One issue to score: its crime types and what the analyst entered (None = not scored yet)."""

    key: str
    label: str
    crime_types: list[str]
    is_theme: bool = False
    entered: dict[str, int | None] = field(default_factory=dict)
    override_rank: int | None = None
    override_reason: str = ""
    # What a community concern score taken from engagement was derived from (empty when typed).
    concern_source: dict[str, Any] = field(default_factory=dict)


def candidate_data(result: dict[str, Any], crime_types: list[str]) -> dict[str, Any]:
    """Count, rate, harm share and like-for-like change of a group of crime types, from an assessment's
    results. A single crime type takes the assessment's own test (adjusted for the family of tests); a theme
    is tested on its like-for-like sums as one more test of that family. A snapshot saved before coverage
    was recorded is used as saved when both periods had the same months of data, and its change is not
    comparable when they did not."""
    from joinedup.insight.calculation import Change, adjust, compare, fdr_adjust, rate

    by_type = {row["crime_type"]: row for row in result["by_crime_type"]}
    count = sum(by_type.get(t, {}).get("count", 0) for t in crime_types)
    previous = sum(by_type.get(t, {}).get("previous_count", 0) for t in crime_types)
    harm_rows = {row["crime_type"]: row for row in result["harm"]["by_crime_type"]}
    harm_total = result["harm"]["total"] or 0
    weighted = [harm_rows.get(t) for t in crime_types if t != store.ASB]
    has_harm = bool(weighted) and all(row is not None and row["harm"] is not None for row in weighted)
    harm = sum(row["harm"] for row in weighted if row and row["harm"] is not None)
    cover = result.get("coverage")
    note = ""
    if cover is not None:
        months = cover["like_for_like"]["months"]
        matched = sum(by_type.get(t, {}).get("like_for_like_count", 0) for t in crime_types)
        matched_before = sum(by_type.get(t, {}).get("like_for_like_previous_count", 0) for t in crime_types)
        if len(crime_types) == 1 and crime_types[0] in by_type:
            row = by_type[crime_types[0]]
            change = Change(row["change"], row["change_pct"], row["p_value"], row["trend"], row["q_value"])
        else:
            family = [r["p_value"] for r in result["by_crime_type"]] + [result["totals"]["p_value"]]
            single = compare(matched, matched_before, months)
            q_value = fdr_adjust([*family, single.p_value])[-1]
            change = single if q_value is None else adjust(single, q_value)
        if not cover["complete"]:
            note = f"like for like over {months} month{'s' if months != 1 else ''} present in both periods"
    else:
        length = len(result["monthly"])
        months_now = length - len(result["data"]["months_missing"])
        months_before = length - len(result["data"]["previous_months_missing"])
        if months_now != months_before:
            change = Change(count - previous, None, None, "not comparable")
            note = (
                f"coverage not recorded for this edition, and its periods had {months_now} and "
                f"{months_before} months of data, so the change is not like for like"
            )
        else:
            change = compare(count, previous, months_now)
    return {
        "count": count,
        "previous_count": previous,
        "rate_per_1000": rate(count, result["totals"]["population"]),
        "harm": round(harm, 1) if has_harm else None,
        "harm_share_pct": round(harm * 100 / harm_total, 1) if has_harm and harm_total else None,
        "change_pct": change.change_pct,
        "p_value": change.p_value,
        "q_value": change.q_value,
        "trend": change.trend,
        "trend_note": note,
    }


def _weighted_mean(scores: dict[str, float], factors: tuple[str, ...], weights: dict[str, float]) -> float:
    total = sum(weights[f] for f in factors)
    return sum(scores[f] * weights[f] for f in factors) / total if total else 0.0


def score_candidate(candidate: Candidate, result: dict[str, Any], scheme: dict[str, Any]) -> dict[str, Any]:
    """Every factor's score with where it came from, and the candidate's overall score (0-100)."""
    scale = scheme["scale_max"]
    mid = middle(scale)
    data = candidate_data(result, candidate.crime_types)
    factors: dict[str, dict[str, Any]] = {}
    if data["harm_share_pct"] is not None:
        factors["harm"] = {
            "score": band(data["harm_share_pct"], scheme["harm_bands"]),
            "source": "data",
            "basis": f"{data['harm_share_pct']:g}% of the area's harm-weighted total",
        }
    else:
        entered = candidate.entered.get("harm")
        factors["harm"] = {
            "score": entered if entered is not None else mid,
            "source": "analyst" if entered is not None else "default",
            "basis": "no Crime Severity weight: entered by the analyst"
            if entered is not None
            else "no Crime Severity weight and not scored yet: the middle of the scale",
        }
    volume_basis = data["rate_per_1000"]
    factors["volume"] = {
        "score": band(volume_basis, scheme["volume_bands"]) if volume_basis is not None else mid,
        "source": "data",
        "basis": f"{data['count']:,} in the period, {volume_basis:g} per 1,000 residents"
        if volume_basis is not None
        else f"{data['count']:,} in the period; no population, so the middle of the scale",
    }
    significant = data["trend"] in ("significant rise", "significant fall") and data["change_pct"] is not None
    factors["trend"] = {
        "score": band(data["change_pct"], scheme["trend_bands"]) if significant else mid,
        "source": "data",
        "basis": f"{data['trend']}"
        + (f", {data['change_pct']:+g}%" if data["change_pct"] is not None else "")
        + (
            f" (adjusted p = {data['q_value']:.4f})"
            if data["q_value"] is not None
            else f" (p = {data['p_value']:.4f})"
            if data["p_value"] is not None
            else ""
        )
        + (f"; {data['trend_note']}" if data["trend_note"] else ""),
    }
    for name in ENTERED:
        value = candidate.entered.get(name)
        factors[name] = {
            "score": value if value is not None else mid,
            "source": "analyst" if value is not None else "default",
            "basis": "entered by the analyst"
            if value is not None
            else "not scored yet: the middle of the scale",
        }
    source = candidate.concern_source
    if candidate.entered.get("concern") is not None and source:
        factors["concern"].update(
            source="engagement",
            summary=source["summary"],
            basis=f"from engagement: {source['mapped']:,} of {source['responses']:,} responses "
            f"({source['share_pct']:g}%) about it, {source['summary']}",
        )
    weights = scheme["weights"]
    scores = {name: float(f["score"]) for name, f in factors.items()}
    impact = _weighted_mean(scores, IMPACT, weights)
    likelihood = _weighted_mean(scores, LIKELIHOOD, weights)
    risk = impact * likelihood
    position = _weighted_mean(scores, POSITION, weights)
    multiplier = 1 + scheme["position_weight"] * (position - 1) / (scale - 1)
    raw = risk * multiplier
    largest = scale * scale * (1 + scheme["position_weight"])
    return {
        "key": candidate.key,
        "label": candidate.label,
        "crime_types": candidate.crime_types,
        "is_theme": candidate.is_theme,
        "data": data,
        "factors": factors,
        "impact": round(impact, 2),
        "likelihood": round(likelihood, 2),
        "risk": round(risk, 2),
        "position": round(position, 2),
        "multiplier": round(multiplier, 3),
        "score": round(raw * 100 / largest, 1),
        "complete": all(f["source"] != "default" for f in factors.values()),
        "override_rank": candidate.override_rank,
        "override_reason": candidate.override_reason,
    }


def rank(scored: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Order by score (highest first, then by name), then move overridden candidates to their ranks.

    Each row gets `computed_rank` (by score alone) and `rank` (after overrides). Overrides are applied in
    the order of the ranks asked for; a rank beyond the end of the list puts the candidate last."""
    ordered = sorted(scored, key=lambda row: (-row["score"], row["label"]))
    for position, row in enumerate(ordered, start=1):
        row["computed_rank"] = position
    pinned = sorted(
        (row for row in ordered if row.get("override_rank")),
        key=lambda row: (row["override_rank"], row["computed_rank"]),
    )
    final = [row for row in ordered if not row.get("override_rank")]
    for row in pinned:
        final.insert(min(row["override_rank"], len(final) + 1) - 1, row)
    for position, row in enumerate(final, start=1):
        row["rank"] = position
    return final


def matrix(
    candidates: list[Candidate], result: dict[str, Any], scheme: dict[str, Any]
) -> list[dict[str, Any]]:
    """The ranked, auditable list."""
    return rank([score_candidate(candidate, result, scheme) for candidate in candidates])


def method_text(scheme: dict[str, Any]) -> dict[str, Any]:
    """How this scheme scores, in words, for the page and the PDF."""
    scale = scheme["scale_max"]
    weights = scheme["weights"]
    return {
        "scale": f"Every factor is scored from 1 (lowest) to {scale} (highest).",
        "harm": band_descriptions(scheme["harm_bands"], "% of harm"),
        "volume": band_descriptions(scheme["volume_bands"], " per 1,000"),
        "trend": band_descriptions(scheme["trend_bands"], "%"),
        "trend_note": f"Only a significant change is banded by its size; no significant change scores "
        f"{middle(scale)}.",
        "weights": [(FACTOR_LABELS[f], weights[f]) for f in FACTOR_LABELS],
        "concern": concern_rule(scale),
        "formula": "Impact is the weighted mean of harm, victim vulnerability and community concern; "
        "likelihood the weighted mean of volume and trend; risk = impact x likelihood. The organisational "
        "position (the weighted mean of capacity and capability, where a higher score means less able to "
        f"respond) raises the risk by up to {scheme['position_weight'] * 100:g}%. The score is shown as a "
        "percentage of the highest possible.",
    }
