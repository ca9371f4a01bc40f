"""Coverage and like-for-like changes (ADR 0017): months missing on either side, small and zero counts, the
false-discovery-rate control, rolling totals from all history, and no Python None where a person reads."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from joinedup.core.models import Area
from joinedup.core.roles import Role
from joinedup.insight import coverage, services, store
from joinedup.insight.calculation import AssessmentError, assess, compare, fdr_adjust, with_fdr
from joinedup.insight.imports.importer import import_police_data
from joinedup.insight.models import SavedAssessment
from joinedup.insight.priorities import DEFAULT_SCHEME, Candidate, candidate_data, score_candidate
from joinedup.insight.tests.test_importer import street_file, street_row

pytestmark = pytest.mark.django_db

NORTH = "E22000901"


def _months(first: str, last: str) -> list[str]:
    a, b = coverage.month_index(first), coverage.month_index(last)
    return [coverage.month_name(i) for i in range(a, b + 1)]


@pytest.fixture
def gappy(areas: dict[str, Area], tmp_path: Path, settings: Any) -> Path:
    """2022-01..2023-12 for North Testshire: 100 burglaries every month (a steady level), 2 robberies a
    month in 2023 only, 3 vehicle crimes in 2023-06 only; no file at all for 2022-05 (previous period) or
    2023-09 (current period). South Testshire: 5 shoplifting a month."""
    settings.DATA_DIR = tmp_path / "var"
    folder = tmp_path / "in"
    for month in _months("2022-01", "2023-12"):
        if month in ("2022-05", "2023-09"):
            continue
        rows = [street_row(f"b{month}-{i}", month, "E01900001") for i in range(100)]
        if month.startswith("2023"):
            rows += [street_row(f"r{month}-{i}", month, "E01900002", "Robbery") for i in range(2)]
        if month == "2023-06":
            rows += [street_row(f"v{month}-{i}", month, "E01900002", "Vehicle crime") for i in range(3)]
        rows += [street_row(f"s{month}-{i}", month, "E01900003", "Shoplifting") for i in range(5)]
        street_file(folder, month, rows)
    import_police_data([folder])
    return folder


def test_the_store_records_each_forces_months_and_rows(gappy: Path) -> None:
    recorded = store.read_coverage(store.current_path() or Path())
    testshire = recorded["street"]["testshire"]
    assert testshire["pfa"] == "E23000099"
    assert "2022-05" not in testshire["months"] and "2023-09" not in testshire["months"]
    assert len(testshire["months"]) == 22 and testshire["months"]["2023-06"] == 100 + 2 + 3 + 5
    # A generation without the record gets the same months worked out from its partitions.
    derived = store.derive_coverage(store.current_path() or Path())["street"]["testshire"]
    assert derived["months"] == testshire["months"]


def test_a_gap_in_the_previous_period_is_compared_like_for_like(gappy: Path) -> None:
    # 2023-01..2023-08 against 2022-05..2022-12: 2022-05 is missing, so 2023-01 leaves the comparison too.
    result = assess(NORTH, "2023-01", "2023-08")
    cover = result["coverage"]
    assert cover["current"]["missing"] == [] and cover["previous"]["missing"] == ["2022-05"]
    assert cover["like_for_like"]["months"] == 7
    assert cover["like_for_like"]["left_out"] == {"current": ["2023-01"], "previous": []}
    assert "2022-05" in cover["warning"] and "7 months present in both periods" in cover["warning"]
    totals = result["totals"]
    # Naively 8 months against 7 (810 + 16 against 700) would be a significant rise of 14%; like for like
    # the burglary level has not moved.
    assert totals["crimes_excl_asb"] == 8 * 102 + 3 and totals["previous_crimes_excl_asb"] == 7 * 100
    burglary = next(r for r in result["by_crime_type"] if r["crime_type"] == "Burglary")
    assert (burglary["like_for_like_count"], burglary["like_for_like_previous_count"]) == (700, 700)
    assert burglary["change"] == 0 and burglary["change_pct"] == 0.0
    assert burglary["trend"] == "no significant change"


def test_gaps_on_each_side_leave_both_partners_out(gappy: Path) -> None:
    # 2023-05..2023-10 against 2022-11..2023-04: nothing missing before; 2023-09 missing now.
    one_side = assess(NORTH, "2023-05", "2023-10")["coverage"]
    assert one_side["current"]["missing"] == ["2023-09"] and one_side["like_for_like"]["months"] == 5
    assert one_side["like_for_like"]["left_out"] == {"current": [], "previous": ["2023-03"]}
    # 2022-04..2023-09 (18 months) against 2020-10..2022-03: no data at all before 2022-01.
    # 2022-01..2023-12 against 2020-01..2021-12: the previous period has no data: not comparable.
    none_before = assess(NORTH, "2022-01", "2023-12")
    assert none_before["coverage"]["like_for_like"]["months"] == 0
    assert {r["trend"] for r in none_before["by_crime_type"]} == {"not comparable"}
    assert none_before["totals"]["trend"] == "not comparable" and none_before["totals"]["p_value"] is None
    assert "no change can be worked out" in none_before["coverage"]["warning"]
    # 2023-05..2023-10 against 2022-05..2022-10 is not this test's shape; 12 months from 2023-01 against
    # 2022: 2022-05 missing before, 2023-09 missing now, so 10 pairs remain.
    both = assess(NORTH, "2023-01", "2023-12")
    cover = both["coverage"]
    assert cover["current"]["missing"] == ["2023-09"] and cover["previous"]["missing"] == ["2022-05"]
    assert cover["like_for_like"]["months"] == 10
    assert cover["like_for_like"]["left_out"] == {"current": ["2023-05"], "previous": ["2022-09"]}
    assert "Totals and rates for this period leave out the missing months." in cover["warning"]
    burglary = next(r for r in both["by_crime_type"] if r["crime_type"] == "Burglary")
    assert (burglary["like_for_like_count"], burglary["like_for_like_previous_count"]) == (1000, 1000)


def test_small_and_zero_counts(gappy: Path) -> None:
    result = assess(NORTH, "2023-01", "2023-12")
    rows = {r["crime_type"]: r for r in result["by_crime_type"]}
    # Robbery: 2 a month now (20 over the 10 compared months), none the year before.
    robbery = rows["Robbery"]
    assert (robbery["like_for_like_count"], robbery["like_for_like_previous_count"]) == (20, 0)
    assert robbery["change_pct"] is None and robbery["trend"] == "significant rise"
    assert robbery["p_value"] <= robbery["q_value"] < 0.05
    # Vehicle crime: 3 in one month, 0 before: 3 against 0 is not significant (p = 0.25).
    vehicle = rows["Vehicle crime"]
    assert vehicle["like_for_like_count"] == 3 and vehicle["trend"] == "no significant change"
    assert vehicle["p_value"] == pytest.approx(0.25)
    # Zero against zero: nothing to test, and no change.
    assert compare(0, 0, 10).trend == "no significant change" and compare(0, 0, 10).change_pct is None
    # A crime type only in the previous period: counted as 0 now.
    assert compare(0, 7, 10).trend == "significant fall" and compare(0, 7, 10).change_pct == -100.0


def test_benjamini_hochberg_adjusts_the_family_together() -> None:
    assert fdr_adjust([0.01, 0.04, 0.03, 0.005]) == pytest.approx([0.02, 0.04, 0.04, 0.02])
    assert fdr_adjust([None, 0.02, None]) == [None, 0.02, None]
    # Each of 0.03 and 0.04 is significant alone, but not among 15 tests with nothing else significant.
    alone = compare(140, 100, 12)
    assert alone.trend == "significant rise" and alone.p_value is not None and alone.p_value < 0.05
    family = with_fdr([alone] + [compare(100, 100, 12)] * 14)
    assert family[0].trend == "no significant change" and family[0].q_value and family[0].q_value > 0.05
    assert with_fdr([compare(5, 0, 0)])[0].trend == "not comparable"


def test_rolling_totals_use_all_stored_history(gappy: Path) -> None:
    # A 3-month window: its rolling totals reach back into 2022, before the previous period.
    result = assess(NORTH, "2023-10", "2023-12")
    monthly = {m["month"]: m for m in result["monthly"]}
    assert monthly["2023-10"]["rolling_12_crimes_excl_asb"] is None  # 2023-09 is in its 12 months
    assert monthly["2023-10"]["rolling_12_missing"] == ["2023-09"]
    first = result["rolling"][0]
    assert (
        first["month"] == "2022-12" and first["missing"] == ["2022-05"] and first["crimes_excl_asb"] is None
    )
    complete = [r for r in result["rolling"] if r["crimes_excl_asb"] is not None]
    assert complete and complete[0]["month"] == "2023-05"  # 2022-06..2023-05: every month present
    assert complete[0]["crimes_excl_asb"] == 12 * 100 + 5 * 2


def test_a_period_with_no_data_is_refused(gappy: Path) -> None:
    with pytest.raises(AssessmentError, match="No data for this period"):
        assess(NORTH, "2024-01", "2024-12")
    with pytest.raises(AssessmentError, match="No data for this period"):
        assess(NORTH, "2023-09", "2023-09")
    with pytest.raises(ValidationError):
        assess(NORTH, "2023-09", "2023-08")


def test_pages_csv_and_pdf_show_the_warning_and_never_none(
    client_for: Callable[[str], Client], gappy: Path
) -> None:
    from pypdf import PdfReader

    client = client_for(Role.ANALYST)
    query = {"area": NORTH, "from_month": "2023-01", "to_month": "2023-12"}
    page = client.get("/staff/insight/", query).content.decode()
    assert 'id="coverage-warning"' in page and "no police data for 2023-09" in page
    assert "Compared like for like: 10 months in each period" in page
    assert "Benjamini\u2013Hochberg" in page
    assert "None" not in page
    south = '<th scope="row" class="govuk-table__header">South Testshire (similar)</th>'
    assert south in page and page.split(south)[1].split("</tr>")[0].count("55.0") == 1  # 55 in the 11 months
    rows = list(
        csv.reader(
            io.StringIO(
                b"".join(client.get("/staff/insight/assessment.csv", query).streaming_content).decode(
                    "utf-8-sig"
                )
            )
        )
    )
    assert not any(cell == "None" for row in rows for cell in row)
    warning = [r for r in rows if r[4:7] == ["coverage", "all", "warning"]]
    assert warning and "2023-09" in warning[0][7]
    assert ["coverage", "like for like", "months", "10"] in [r[4:] for r in rows]
    pdf = client.get("/staff/insight/assessment.pdf", query).content
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Incomplete police data" in text and "2023-09" in text and "Benjamini" in text
    assert "None" not in text
    data = json.loads(client.get("/staff/insight/assessment.json", query).content)
    assert data["coverage"]["like_for_like"]["months"] == 10


def test_trend_scores_never_use_unequal_coverage(users: dict[str, Any], gappy: Path) -> None:
    result = assess(NORTH, "2023-01", "2023-08")
    data = candidate_data(result, ["Burglary", "Robbery"])  # a theme: tested on its like-for-like sums
    assert data["trend_note"].startswith("like for like over 7 months")
    # A snapshot saved before coverage was recorded, whose periods had 8 and 7 months of data.
    legacy = json.loads(json.dumps(result))
    del legacy["coverage"]
    for row in legacy["by_crime_type"]:
        row["trend"], row["change_pct"] = "significant rise", 15.7
    scored = score_candidate(Candidate("Burglary", "Burglary", ["Burglary"]), legacy, DEFAULT_SCHEME)
    assert scored["data"]["trend"] == "not comparable"
    assert (
        scored["factors"]["trend"]["score"] == 3
        and "not like for like" in scored["factors"]["trend"]["basis"]
    )


def test_an_old_snapshot_without_coverage_stays_readable(
    client_for: Callable[[str], Client], users: dict[str, Any], gappy: Path
) -> None:
    record = services.create_assessment(
        actor=users[Role.ANALYST], area=Area.objects.get(code=NORTH), from_month="2023-01", to_month="2023-08"
    )
    old = dict(record.results)
    for key in ("coverage", "significance", "rolling"):
        old.pop(key)
    SavedAssessment.objects.filter(pk=record.pk).update(results=old)
    client = client_for(Role.ANALYST)
    page = client.get(f"/staff/insight/saved/{record.pk}/").content.decode()
    assert "Coverage not recorded for this edition" in page
    assert "not like for like" in page  # 8 months of data against 7
    response = client.get(f"/staff/insight/saved/{record.pk}/assessment.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    rows = b"".join(client.get(f"/staff/insight/saved/{record.pk}/assessment.csv").streaming_content)
    assert b"Coverage not recorded for this edition." in rows


@pytest.mark.parametrize(
    ("area", "first", "last"),
    [
        (NORTH, "2023-01", "2023-08"),  # a gap in the previous period
        (NORTH, "2023-04", "2023-12"),  # gaps on each side
        ("E23000099", None, None),  # the force area, default period
        ("E22000902", "2023-06", "2023-06"),  # a month with small counts
        (NORTH, "2023-06", "2023-06"),  # 2 robberies and 3 vehicle crimes in one month
        (NORTH, "2023-10", "2023-10"),  # 2 robberies, and the month before (2023-09) missing
    ],
)
def test_the_figures_alone_are_the_assessments_own(gappy: Path, area: str, first: Any, last: Any) -> None:
    """Indicators read `assess_totals`, which skips the by-place scan: each part it gives is the whole
    assessment's, gaps, small counts and tests included."""
    from joinedup.insight.calculation import HEAD, assess_totals

    whole, figures = assess(area, first, last), assess_totals(area, first, last)
    assert list(figures) == list(HEAD)
    for part in HEAD:
        assert figures[part] == whole[part], part
    if first == "2023-04":  # the gaps are stated, not hidden
        assert figures["coverage"]["warning"] and figures["totals"]["like_for_like"]["months"] < 9


@pytest.mark.parametrize(
    ("area", "first", "last"),
    [
        (NORTH, "2023-01", "2023-08"),  # a gap in the previous period
        (NORTH, "2023-04", "2023-12"),  # gaps on each side
        (NORTH, None, None),  # the default period, as the public page asks
        ("E23000099", None, None),  # the force area: no force area beyond it
        ("E22000902", "2023-06", "2023-06"),  # a month with small counts
        ("E07000902", None, None),  # a district
        (NORTH, "2023-10", "2023-10"),  # the month before (2023-09) missing
    ],
)
def test_the_overview_is_the_assessments_own(gappy: Path, area: str, first: Any, last: Any) -> None:
    """The public area page reads `assess_overview`, which skips the by-place scan, the similar areas and
    the LSOAs: each part it gives is the whole assessment's, each month and the force area's counts and
    rates included."""
    from joinedup.insight import calculation
    from joinedup.insight.calculation import FORCE_AREA_ROW, HEAD, OVERVIEW, assess_overview

    whole = assess(area, first, last)
    with pytest.MonkeyPatch.context() as patch:  # no Parquet file is read for it
        patch.setattr(calculation, "_by_place", lambda *a: pytest.fail("the overview scanned the store"))
        overview = assess_overview(area, first, last)
    assert list(overview) == list(OVERVIEW)
    for part in (*HEAD, "monthly"):
        assert overview[part] == whole[part], part
    assert list(overview["comparison"]) == ["force_area"]
    force_area, whole_force_area = overview["comparison"]["force_area"], whole["comparison"]["force_area"]
    if area == "E23000099":
        assert force_area is None and whole_force_area is None
    else:
        assert force_area == {key: whole_force_area[key] for key in FORCE_AREA_ROW}
        assert force_area["crimes_excl_asb"] > 0 and force_area["rate_per_1000"] is not None
    assert [m["has_data"] for m in overview["monthly"]].count(False) == len(
        whole["coverage"]["current"]["missing"]
    )


def test_the_figures_alone_refuse_a_period_with_no_data_as_the_assessment_does(gappy: Path) -> None:
    from joinedup.insight.calculation import assess_overview, assess_totals

    for period in (("2019-01", "2019-12"), ("2023-09", "2023-09")):
        with pytest.raises(AssessmentError) as whole:
            assess(NORTH, *period)
        with pytest.raises(AssessmentError) as figures:
            assess_totals(NORTH, *period)
        assert str(figures.value) == str(whole.value)
        with pytest.raises(AssessmentError) as overview:
            assess_overview(NORTH, *period)
        assert str(overview.value) == str(whole.value)
