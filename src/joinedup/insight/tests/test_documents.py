"""The print document's LSOA table: the highest rates, with the rest named as left out."""

from __future__ import annotations

from joinedup.insight.documents import lsoa_rows


def _lsoa(code: int, rate: float | None, crimes: int = 1) -> dict[str, object]:
    return {
        "lsoa": f"E0100{code:04d}",
        "name": f"Place {code}",
        "rate_per_1000": rate,
        "crimes_excl_asb": crimes,
    }


def test_the_highest_rates_first_and_lsoas_with_no_rate_last() -> None:
    rows = [_lsoa(i, float(i)) for i in range(40)] + [_lsoa(99, None, crimes=500)]
    shown = lsoa_rows({"lsoas": rows}, limit=30)
    assert [row["rate_per_1000"] for row in shown["rows"]] == [float(i) for i in range(39, 9, -1)]
    assert shown["total"] == 41 and shown["left_out"] == 11


def test_a_small_area_shows_every_lsoa_and_leaves_none_out() -> None:
    rows = [_lsoa(1, None), _lsoa(2, 3.5), _lsoa(3, 3.5, crimes=9)]
    shown = lsoa_rows({"lsoas": rows}, limit=30)
    assert [row["lsoa"] for row in shown["rows"]] == ["E01000003", "E01000002", "E01000001"]
    assert shown["left_out"] == 0
    assert lsoa_rows({"lsoas": []})["rows"] == [] and lsoa_rows({})["total"] == 0
