"""Which months of police data an area has, and how two periods are compared like for like (ADR 0017).

The store records, per generation, the months each force holds (insight.store, `COVERAGE.json`). An area's
months are those held by the forces serving its force area: a force whose rows mostly fall in that force
area, as the importer found (or, for a generation written before coverage was recorded, as the street
summary shows). A month is *missing* for the area when none of those forces has a street file for it. It is
never counted as a month of no crime.

Two periods of the same length are compared **like for like**: the i-th month of the period is paired with
the i-th month of the previous period (for 12-month periods, the same calendar month a year before), and a
pair is compared only when both months are present. So both sides always cover the same number of months and
the same seasons; a month missing on either side takes its partner out of the comparison too.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from joinedup.insight import store, summary

_LOCK = threading.Lock()
_CACHE: dict[str, StoreCoverage] = {}


def month_index(month: str) -> int:
    year, number = month.split("-")
    return int(year) * 12 + int(number) - 1


def month_name(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def describe_months(months: list[str]) -> str:
    """Months as runs, in words: '2021-03 to 2021-12, 2022-02'."""
    if not months:
        return "none"
    indices = sorted({month_index(m) for m in months})
    runs: list[list[int]] = [[indices[0], indices[0]]]
    for index in indices[1:]:
        if index == runs[-1][1] + 1:
            runs[-1][1] = index
        else:
            runs.append([index, index])
    return ", ".join(month_name(a) if a == b else f"{month_name(a)} to {month_name(b)}" for a, b in runs)


@dataclass(frozen=True)
class StoreCoverage:
    """The street data coverage of one store generation: {force: (force area, {month: rows})}."""

    forces: dict[str, tuple[str | None, dict[str, int]]]

    def serving(self, pfa_code: str | None) -> list[str]:
        """The forces whose rows mostly fall in this force area."""
        if not pfa_code:
            return []
        return sorted(force for force, (pfa, _months) in self.forces.items() if pfa == pfa_code)

    def months(self, forces: list[str]) -> set[str]:
        """Months with street data from at least one of these forces."""
        held: set[str] = set()
        for force in forces:
            held.update(self.forces[force][1])
        return held


def store_coverage(generation: Path | None) -> StoreCoverage:
    """The current (or given) generation's street coverage, each force with its force area (cached)."""
    if generation is None:
        return StoreCoverage(forces={})
    found = _CACHE.get(generation.name)
    if found is not None:
        return found
    recorded = store.read_coverage(generation).get("street", {})
    unknown = [force for force, entry in recorded.items() if not entry.get("pfa")]
    majority = summary.street_summary(generation).force_pfa if unknown else {}
    coverage = StoreCoverage(
        forces={
            force: (entry.get("pfa") or majority.get(force), dict(entry["months"]))
            for force, entry in recorded.items()
        }
    )
    with _LOCK:
        _CACHE.clear()  # one generation is current at a time
        _CACHE[generation.name] = coverage
    return coverage


def period(first: int, last: int, present: set[str]) -> dict[str, Any]:
    """A period's coverage: its months, those with data and those without."""
    expected = [month_name(i) for i in range(first, last + 1)]
    return {
        "from": month_name(first),
        "to": month_name(last),
        "expected": expected,
        "present": [m for m in expected if m in present],
        "missing": [m for m in expected if m not in present],
    }


def like_for_like(start: int, previous_start: int, length: int, present: set[str]) -> list[tuple[int, int]]:
    """The (current, previous) month pairs compared: the i-th month of each period, both present."""
    return [
        (start + i, previous_start + i)
        for i in range(length)
        if month_name(start + i) in present and month_name(previous_start + i) in present
    ]


def summary_of(
    forces: list[str],
    held: set[str],
    current: dict[str, Any],
    previous: dict[str, Any],
    pairs: list[tuple[int, int]],
) -> dict[str, Any]:
    """The `coverage` object of an assessment, with the warning a reader must see (None when complete)."""
    compared_current = [month_name(c) for c, _p in pairs]
    compared_previous = [month_name(p) for _c, p in pairs]
    left_out = {
        "current": [m for m in current["present"] if m not in compared_current],
        "previous": [m for m in previous["present"] if m not in compared_previous],
    }
    complete = not current["missing"] and not previous["missing"]
    return {
        "forces": forces,
        "store": {
            "from": min(held) if held else None,
            "to": max(held) if held else None,
            "months": len(held),
            "missing": _gaps(held),
        },
        "current": current,
        "previous": previous,
        "like_for_like": {
            "months": len(pairs),
            "current": compared_current,
            "previous": compared_previous,
            "left_out": left_out,
        },
        "complete": complete,
        "warning": None if complete else warning(current, previous, pairs, left_out),
    }


def _gaps(held: set[str]) -> list[str]:
    if not held:
        return []
    first, last = month_index(min(held)), month_index(max(held))
    return [month_name(i) for i in range(first, last + 1) if month_name(i) not in held]


def warning(
    current: dict[str, Any],
    previous: dict[str, Any],
    pairs: list[tuple[int, int]],
    left_out: dict[str, list[str]],
) -> str:
    """In words: which months are missing, and what the changes compare because of it."""
    parts = []
    for label, side in (("this period", current), ("the previous period", previous)):
        if side["missing"]:
            parts.append(
                f"no police data for {describe_months(side['missing'])} ({label}, "
                f"{len(side['present'])} of {len(side['expected'])} months present)"
            )
    text = "Incomplete data: " + "; ".join(parts) + "."
    if not pairs:
        return (
            text + " No month is present in both periods, so no change can be worked out and nothing is "
            "labelled significant."
        )
    text += (
        f" Changes are like for like: they compare the {len(pairs)} month{'s' if len(pairs) != 1 else ''} "
        f"present in both periods"
    )
    dropped = []
    if left_out["current"]:
        dropped.append(f"{describe_months(left_out['current'])} of this period")
    if left_out["previous"]:
        dropped.append(f"{describe_months(left_out['previous'])} of the previous period")
    if dropped:
        text += ", leaving out " + " and ".join(dropped)
    text += "."
    if current["missing"]:
        text += " Totals and rates for this period leave out the missing months."
    return text
