"""The prioritisation matrix on hand-made numbers: banding, scoring, ranking with overrides, scheme checks."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from joinedup.insight.calculation import compare, with_fdr
from joinedup.insight.priorities import (
    DEFAULT_SCHEME,
    Candidate,
    band,
    band_descriptions,
    candidate_data,
    matrix,
    middle,
    rank,
    scheme_problems,
    score_candidate,
)


def result(rows: list[tuple[str, int, int, float | None]], population: int = 10_000) -> dict[str, Any]:
    """A minimal assessment: (crime type, count, previous count, harm) per row, 12 months each side, with
    its changes tested as `assess` tests them (one family, Benjamini-Hochberg)."""
    harm_rows = [
        {"crime_type": t, "count": n, "weight": None, "harm": h}
        for t, n, _p, h in rows
        if t != "Anti-social behaviour"
    ]
    crimes = [(n, p) for t, n, p, _h in rows if t != "Anti-social behaviour"]
    changes = with_fdr(
        [compare(n, p, 12) for _t, n, p, _h in rows]
        + [compare(sum(n for n, _p in crimes), sum(p for _n, p in crimes), 12)]
    )
    return {
        "totals": {"population": population, "p_value": changes[-1].p_value},
        "by_crime_type": [
            {
                "crime_type": t,
                "count": n,
                "previous_count": p,
                "like_for_like_count": n,
                "like_for_like_previous_count": p,
                "change": c.change,
                "change_pct": c.change_pct,
                "p_value": c.p_value,
                "q_value": c.q_value,
                "trend": c.trend,
            }
            for (t, n, p, _h), c in zip(rows, changes, strict=False)
        ],
        "harm": {"total": sum(h for *_x, h in rows if h), "by_crime_type": harm_rows},
        "monthly": [{}] * 12,
        "coverage": {"complete": True, "like_for_like": {"months": 12}, "warning": None},
        "data": {"months_missing": [], "previous_months_missing": []},
    }


RESULT = result(
    [
        ("Violence and sexual offences", 400, 300, 8000.0),  # 80% of harm, 40 per 1,000, significant rise
        ("Burglary", 100, 100, 1500.0),  # 15% of harm, 10 per 1,000, no change
        ("Shoplifting", 50, 80, 500.0),  # 5% of harm, 5 per 1,000, significant fall
        ("Anti-social behaviour", 300, 290, None),
    ]
)


def test_band_counts_the_thresholds_reached() -> None:
    thresholds = [2.0, 5.0, 10.0, 25.0]
    assert [band(v, thresholds) for v in (0, 1.99, 2, 4.9, 5, 24.9, 25, 90)] == [1, 1, 2, 2, 3, 4, 5, 5]
    assert middle(5) == 3 and middle(4) == 3 and middle(3) == 2
    assert band_descriptions([2.0, 5.0], "%") == ["1: below 2%", "2: 2% to below 5%", "3: 5% or more"]


def test_data_factors_are_banded_and_explained() -> None:
    violence = score_candidate(
        Candidate(
            "Violence and sexual offences", "Violence and sexual offences", ["Violence and sexual offences"]
        ),
        RESULT,
        DEFAULT_SCHEME,
    )
    factors = violence["factors"]
    assert factors["harm"]["score"] == 5 and "80% of the area's harm" in factors["harm"]["basis"]
    assert factors["volume"]["score"] == 5 and "40 per 1,000" in factors["volume"]["basis"]
    assert factors["trend"]["score"] == 5 and factors["trend"]["basis"].startswith("significant rise, +33.3%")
    burglary = score_candidate(Candidate("Burglary", "Burglary", ["Burglary"]), RESULT, DEFAULT_SCHEME)
    assert burglary["factors"]["trend"]["score"] == 3  # no significant change: the middle, whatever the size
    assert burglary["factors"]["harm"]["score"] == 4 and burglary["factors"]["volume"]["score"] == 4
    shoplifting = score_candidate(
        Candidate("Shoplifting", "Shoplifting", ["Shoplifting"]), RESULT, DEFAULT_SCHEME
    )
    assert (
        shoplifting["data"]["trend"] == "significant fall" and shoplifting["factors"]["trend"]["score"] == 1
    )


def test_asb_harm_comes_from_the_analyst_or_the_middle() -> None:
    asb = Candidate("Anti-social behaviour", "Anti-social behaviour", ["Anti-social behaviour"])
    scored = score_candidate(asb, RESULT, DEFAULT_SCHEME)
    assert scored["factors"]["harm"] == {
        "score": 3,
        "source": "default",
        "basis": "no Crime Severity weight and not scored yet: the middle of the scale",
    }
    assert not scored["complete"]
    asb.entered = {"harm": 2, "vulnerability": 4, "concern": 5, "capacity": 1, "capability": 1}
    scored = score_candidate(asb, RESULT, DEFAULT_SCHEME)
    assert scored["factors"]["harm"]["source"] == "analyst" and scored["factors"]["harm"]["score"] == 2
    assert scored["complete"]


def test_score_follows_the_formula() -> None:
    entered = {"vulnerability": 5, "concern": 1, "capacity": 5, "capability": 3}
    scored = score_candidate(
        Candidate("Burglary", "Burglary", ["Burglary"], entered=entered), RESULT, DEFAULT_SCHEME
    )
    # impact = (4*2 + 5*1.5 + 1*1) / 4.5; likelihood = (4 + 3) / 2; position = (5 + 3) / 2 = 4
    impact = (4 * 2 + 5 * 1.5 + 1) / 4.5
    likelihood = 3.5
    multiplier = 1 + 0.5 * (4 - 1) / 4
    assert scored["impact"] == round(impact, 2) and scored["likelihood"] == likelihood
    assert scored["multiplier"] == round(multiplier, 3)
    assert scored["score"] == round(impact * likelihood * multiplier * 100 / (25 * 1.5), 1)


def test_a_theme_adds_its_crime_types() -> None:
    data = candidate_data(RESULT, ["Burglary", "Shoplifting"])
    assert data["count"] == 150 and data["previous_count"] == 180 and data["harm_share_pct"] == 20.0
    assert data["rate_per_1000"] == 15.0
    with_asb = candidate_data(RESULT, ["Burglary", "Anti-social behaviour"])
    assert with_asb["harm"] == 1500.0  # ASB has no weight, the burglary harm still counts


def test_ranking_with_overrides() -> None:
    rows = [{"label": name, "score": score} for name, score in (("A", 90), ("B", 80), ("C", 70), ("D", 60))]
    assert [r["label"] for r in rank(copy.deepcopy(rows))] == ["A", "B", "C", "D"]
    moved = copy.deepcopy(rows)
    moved[3]["override_rank"] = 1  # D to the top: the others keep their order below it
    ranked = rank(moved)
    assert [(r["label"], r["rank"], r["computed_rank"]) for r in ranked] == [
        ("D", 1, 4),
        ("A", 2, 1),
        ("B", 3, 2),
        ("C", 4, 3),
    ]
    beyond = copy.deepcopy(rows)
    beyond[0]["override_rank"] = 9  # past the end: last
    assert [r["label"] for r in rank(beyond)] == ["B", "C", "D", "A"]


def test_matrix_ranks_by_score() -> None:
    candidates = [Candidate(t, t, [t]) for t in ("Burglary", "Shoplifting", "Violence and sexual offences")]
    ranked = matrix(candidates, RESULT, DEFAULT_SCHEME)
    assert [r["label"] for r in ranked] == ["Violence and sexual offences", "Burglary", "Shoplifting"]
    assert ranked[0]["score"] > ranked[1]["score"] > ranked[2]["score"]


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"scale_max": 2}, "scale_max", "between 3 and 10"),
        ({"harm_bands": [1, 2, 3]}, "harm_bands", "Give 4 harm thresholds"),
        ({"volume_bands": [5, 3, 10, 25]}, "volume_bands", "must rise"),
        ({"weights": {**DEFAULT_SCHEME["weights"], "concern": -1}}, "concern_weight", "0 or more"),
        (
            {"weights": {**DEFAULT_SCHEME["weights"], "volume": 0, "trend": 0}},
            "volume_weight",
            "likelihood factor needs a weight",
        ),
        ({"position_weight": 3}, "position_weight", "from 0 to 2"),
    ],
)
def test_scheme_problems(change: dict[str, Any], field: str, message: str) -> None:
    assert scheme_problems(DEFAULT_SCHEME) == {}
    problems = scheme_problems({**DEFAULT_SCHEME, **change})
    assert any(message in text for text in problems[field]), problems
