"""Reads for partnership plans: how a plan has regard to the Police and Crime Plan, and its actions' ratings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..models import CspAction, CspPlan


@dataclass
class RegardMatrix:
    """A CSP plan's priorities against the Police and Crime Plan's: which serve which, and gaps both ways."""

    pcc_priorities: list[Any]
    rows: list[tuple[Any, list[bool]]]
    csp_gaps: list[Any]  # CSP priorities that serve no Police and Crime Plan priority
    pcc_gaps: list[Any]  # Police and Crime Plan priorities no CSP priority serves


def regard_matrix(plan: CspPlan) -> RegardMatrix:
    pcc = list(plan.police_and_crime_plan.priorities.all()) if plan.police_and_crime_plan is not None else []
    rows = []
    served: set[int] = set()
    for priority in plan.priorities.prefetch_related("pcc_priorities"):
        cited = {p.pk for p in priority.pcc_priorities.all()}
        served |= cited
        rows.append((priority, [p.pk in cited for p in pcc]))
    return RegardMatrix(
        pcc_priorities=pcc,
        rows=rows,
        csp_gaps=[priority for priority, marks in rows if not any(marks)],
        pcc_gaps=[p for p in pcc if p.pk not in served],
    )


def plan_progress(plan: CspPlan) -> dict[str, int]:
    """How many of the plan's actions are rated red, amber, green, or not yet rated."""
    counts = {"red": 0, "amber": 0, "green": 0, "unrated": 0}
    for rag in CspAction.objects.filter(priority__plan=plan).values_list("rag", flat=True):
        counts[rag or "unrated"] += 1
    return counts
