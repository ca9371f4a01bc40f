"""The charts of an assessment page and its PDF, drawn with the one chart module (core/charts.py)."""

from __future__ import annotations

from typing import Any

from django.utils.safestring import SafeString

from joinedup.core.charts import BLUE, ORANGE, bar_chart, column_chart, line_chart


def assessment_charts(result: dict[str, Any]) -> dict[str, SafeString]:
    """Every chart of an assessment, keyed by section."""
    monthly = result["monthly"]
    months = [m["month"] for m in monthly]
    area = result["area"]["name"]
    # Rolling totals over all the stored history; a snapshot saved before then has them for its months only.
    rolling = result.get("rolling") or [
        {"month": m["month"], "crimes_excl_asb": m["rolling_12_crimes_excl_asb"], "asb": m["rolling_12_asb"]}
        for m in monthly
    ]
    charts = {
        "monthly": line_chart(
            "chart-monthly",
            f"Crimes and ASB each month, {area}",
            months,
            [
                (
                    "Crimes excluding ASB",
                    [m["crimes_excl_asb"] if m["has_data"] else None for m in monthly],
                    BLUE,
                    "",
                ),
                (
                    "Anti-social behaviour",
                    [m["asb"] if m["has_data"] else None for m in monthly],
                    ORANGE,
                    "6 4",
                ),
            ],
        ),
        "rolling": line_chart(
            "chart-rolling",
            f"Rolling 12-month totals, {area}",
            [r["month"] for r in rolling],
            [
                ("Crimes excluding ASB", [r["crimes_excl_asb"] for r in rolling], BLUE, ""),
                ("Anti-social behaviour", [r["asb"] for r in rolling], ORANGE, "6 4"),
            ],
            description="Each month's total over the 12 months to that month, shown only where all 12 months "
            "have data. The same figures are in the table.",
        ),
        "by_crime_type": bar_chart(
            "chart-types",
            f"Crimes and ASB by type, {area}",
            [(row["crime_type"], row["count"]) for row in result["by_crime_type"]],
        ),
    }
    outcomes = result["outcomes"]["by_last_outcome"]
    if outcomes:
        charts["outcomes"] = bar_chart(
            "chart-outcomes",
            f"Crimes by last outcome, {area} (share, %)",
            [(row["outcome"], row["share_pct"] or 0) for row in outcomes],
            unit="%",
        )
    deciles = [
        d for d in result["deprivation"]["by_decile"] if d["decile"] and d["rate_per_1000"] is not None
    ]
    if deciles:
        charts["deprivation"] = column_chart(
            "chart-deciles",
            f"Crimes per 1,000 residents by IMD decile, {area} (1 = most deprived)",
            [(str(d["decile"]), d["rate_per_1000"]) for d in deciles],
        )
    return charts
