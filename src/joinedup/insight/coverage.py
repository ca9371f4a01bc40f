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

import datetime
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils import translation
from django.utils.translation import gettext, gettext_noop, ngettext

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
    """In words: which months are missing, and what the changes compare because of it. In English: it is
    kept in the assessment (and a plan measure's stored reason); `warning_in_words` says it in the reader's
    language from the coverage object."""
    with translation.override(None):
        return _warning_words(current, previous, len(pairs), left_out)


def warning_in_words(coverage: dict[str, Any]) -> str:
    """The `coverage` object's warning in the active language ("" when the data is complete)."""
    if coverage.get("complete", True):
        return ""
    like = coverage["like_for_like"]
    return _warning_words(coverage["current"], coverage["previous"], like["months"], like["left_out"])


def _months_in_words(months: list[str]) -> str:
    """`describe_months` in the active language: '2021-03 to 2021-12, 2022-02'."""
    runs = describe_months(months).split(", ")
    return ", ".join(
        gettext("%(start)s to %(end)s") % dict(zip(("start", "end"), run.split(" to "), strict=True))
        if " to " in run
        else run
        for run in runs
    )


def in_words(phrase: dict[str, Any], *, english: bool = False) -> str:
    """A phrase of this app's (`{"say": msgid, "with": {...}}`: the shape of performance/reasons.py) in the
    active language, or in English. A value is a string or number, `{"period": [first day, last day]}` (a
    single month named as that month) or `{"months": [...]}` (months as runs, "2023-03 to 2023-05")."""
    if english:
        with translation.override(None):
            return in_words(phrase)
    from joinedup.core.months import span_label

    def value(found: Any) -> str:
        if isinstance(found, dict) and "period" in found:
            start, end = (datetime.date.fromisoformat(day) for day in found["period"])
            return span_label(start, end)
        if isinstance(found, dict) and "months" in found:
            return _months_in_words(found["months"])
        return str(found)

    values = phrase.get("with") or {}
    text = gettext(phrase["say"])
    return text % {name: value(found) for name, found in values.items()} if values else text


def _warning_words(
    current: dict[str, Any], previous: dict[str, Any], compared: int, left_out: dict[str, list[str]]
) -> str:
    parts = []
    for side, said in (
        (
            current,
            gettext_noop(
                "no police data for %(months)s (this period, %(present)s of %(expected)s months present)"
            ),
        ),
        (
            previous,
            gettext_noop(
                "no police data for %(months)s (the previous period, %(present)s of %(expected)s months present)"
            ),
        ),
    ):
        if side["missing"]:
            parts.append(
                gettext(said)
                % {
                    "months": _months_in_words(side["missing"]),
                    "present": len(side["present"]),
                    "expected": len(side["expected"]),
                }
            )
    text = gettext("Incomplete data: %(parts)s.") % {"parts": "; ".join(parts)}
    if not compared:
        return (
            text
            + " "
            + gettext(
                "No month is present in both periods, so no change can be worked out and nothing is labelled "
                "significant."
            )
        )
    dropped = []
    if left_out["current"]:
        dropped.append(
            gettext("%(months)s of this period") % {"months": _months_in_words(left_out["current"])}
        )
    if left_out["previous"]:
        dropped.append(
            gettext("%(months)s of the previous period") % {"months": _months_in_words(left_out["previous"])}
        )
    values = {"count": compared, "dropped": gettext(" and ").join(dropped)}
    if dropped:
        text += " " + (
            ngettext(
                "Changes are like for like: they compare the %(count)s month present in both periods, leaving "
                "out %(dropped)s.",
                "Changes are like for like: they compare the %(count)s months present in both periods, leaving "
                "out %(dropped)s.",
                compared,
            )
            % values
        )
    else:
        text += " " + (
            ngettext(
                "Changes are like for like: they compare the %(count)s month present in both periods.",
                "Changes are like for like: they compare the %(count)s months present in both periods.",
                compared,
            )
            % values
        )
    if current["missing"]:
        text += " " + gettext("Totals and rates for this period leave out the missing months.")
    return text
