"""Every assessment statistic on hand-made numbers."""

from __future__ import annotations

import pytest

from joinedup.insight.calculation import (
    compare,
    concentration,
    harm,
    month_index,
    outcome_shares,
    rates_by_decile,
    seasonality,
    similar_areas,
)


def test_compare_labels_significant_rise_fall_and_no_change() -> None:
    assert compare(200, 100, 12).trend == "significant rise"
    assert compare(100, 200, 12).trend == "significant fall"
    same = compare(105, 100, 12)
    assert same.trend == "no significant change" and same.change == 5 and same.change_pct == 5.0
    assert 0.7 < (same.p_value or 0) < 0.8  # exact conditional binomial test, two-sided
    # No month present in both periods: nothing to compare, whatever the counts.
    assert compare(5, 0, 0).trend == "not comparable" and compare(5, 0, 0).p_value is None
    assert compare(0, 0, 12).trend == "no significant change"


def test_seasonality_is_the_mean_share_of_each_calendar_month() -> None:
    # Two years: every month 10, except Januaries at 20 (mean month = 240 + 20 = 260 / 24).
    series = {
        month_index(f"{year}-{m:02d}"): 20 if m == 1 else 10 for year in (2021, 2022) for m in range(1, 13)
    }
    result = seasonality(series)
    mean = (22 * 10 + 2 * 20) / 24
    assert [r["calendar_month"] for r in result] == list(range(1, 13))
    assert result[0]["name"] == "January" and result[0]["observations"] == 2
    assert result[0]["index"] == round(20 / mean, 3)
    assert result[1]["index"] == round(10 / mean, 3)
    assert result[0]["share_pct"] == round(20 / mean * 100 / 12, 2)
    # A missing month is not counted as zero.
    del series[month_index("2022-03")]
    assert seasonality(series)[2]["observations"] == 1
    assert seasonality({}) == []


def test_concentration_in_the_top_5_and_10_percent_of_places() -> None:
    counts = [100, 50] + [5] * 18  # 20 places, total 240
    result = concentration(counts)
    assert result["places"] == 20 and result["total"] == 240
    assert result["top_5pct"] == {"places": 1, "count": 100, "share_pct": 41.7}
    assert result["top_10pct"] == {"places": 2, "count": 150, "share_pct": 62.5}
    # At least one place, and no share without any crime.
    assert concentration([3, 1])["top_5pct"]["places"] == 1
    assert concentration([0, 0])["top_10pct"]["share_pct"] is None


def test_harm_weights_counts_and_leaves_out_asb_and_unweighted_types() -> None:
    weights = {"Burglary": 400.0, "Shoplifting": 10.0}
    current = {"Burglary": 2, "Shoplifting": 20, "Anti-social behaviour": 50, "Drugs": 3}
    previous = {"Burglary": 1, "Shoplifting": 20}
    result = harm(current, previous, weights, population=2000)
    assert result["total"] == 1000.0
    assert result["previous_total"] == 600.0
    assert result["change_pct"] == pytest.approx(66.7)
    assert result["per_1000"] == 500.0
    assert result["unweighted"] == ["Drugs"]
    assert [r["crime_type"] for r in result["by_crime_type"]] == ["Burglary", "Shoplifting", "Drugs"]
    assert result["by_crime_type"][0] == {
        "crime_type": "Burglary",
        "count": 2,
        "weight": 400.0,
        "harm": 800.0,
        "share_pct": 80.0,
    }


def test_rates_by_imd_decile_with_a_no_decile_group() -> None:
    counts = {"A": 10, "B": 30, "C": 5}
    population = {"A": 1000, "B": 1000, "C": 500, "W": 400}
    deciles = {"A": 1, "B": 1, "C": 10}
    result = rates_by_decile(counts, population, deciles)
    assert result == [
        {"decile": 1, "lsoas": 2, "population": 2000, "count": 40, "rate_per_1000": 20.0},
        {"decile": 10, "lsoas": 1, "population": 500, "count": 5, "rate_per_1000": 10.0},
        {"decile": None, "lsoas": 1, "population": 400, "count": 0, "rate_per_1000": 0.0},
    ]


def test_similar_areas_by_population_and_deprivation() -> None:
    profiles: dict[str, tuple[float | None, float | None]] = {
        "T": (100_000, 10_000),
        "near": (110_000, 10_500),
        "big": (1_000_000, 10_000),
        "rich": (100_000, 30_000),
        "welsh": (100_000, None),
        "empty": (None, None),
    }
    result = similar_areas("T", profiles, limit=3)
    assert {code for code, _ in result} == {"near", "rich", "big"}
    assert result[0][0] == "near"
    assert "welsh" not in dict(result) and "empty" not in dict(result)
    # A Welsh target is matched on population alone.
    assert similar_areas("welsh", profiles, limit=1)[0][0] in {"T", "rich"}
    assert similar_areas("missing", profiles) == []


def test_outcome_shares() -> None:
    result = outcome_shares({"Under investigation": 3, None: 1})
    assert result == [
        {"outcome": "Under investigation", "count": 3, "share_pct": 75.0},
        {"outcome": "No outcome recorded", "count": 1, "share_pct": 25.0},
    ]
