"""The most similar areas to one area, for comparisons worked out outside insight (the outcome view of a
funded project, in funding): insight's own similarity measure (`assessment.similar_areas`), and which
months the store holds for each area's police force.

Counts come from `insight.selectors.area_figures`; this module only says which areas to compare with and
what the store holds for them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError

from joinedup.core.models import Area, AreaLevel
from joinedup.insight import coverage, store, summary
from joinedup.insight.assessment import SIMILAR_AREAS, area_profiles, similar_areas

SIMILARITY_METHOD = (
    "The areas of the same level nearest to it on log population (mid-year estimate) and "
    "population-weighted mean IMD 2019 rank of their LSOAs, both standardised across all areas of that "
    "level (Welsh areas have no English IMD rank and are matched on population alone), as the strategic "
    "assessment chooses its similar areas; only areas whose police force has data in the store are "
    "compared, and nearer areas without it are named."
)


def _held_by() -> Any:
    generation = store.current_path()
    partitions = summary.partition_files(generation, "street") if generation else {}
    return coverage.store_coverage(generation if partitions else None)


def _pfa_code(area_code: str, level: str, pfas: Mapping[str, str | None]) -> str | None:
    return area_code if level == AreaLevel.PFA else pfas.get(area_code)


def held_months(area_code: str) -> list[str]:
    """The months ("YYYY-MM", in order) the store holds street data for from the forces serving the area's
    force area: its months that are not missing. Empty when nothing is held. Raises ValidationError for an
    unknown area."""
    area = Area.objects.filter(code=area_code).values_list("level", "pfa__code").first()
    if area is None:
        raise ValidationError({"area": f"There is no area with the code {area_code!r}."})
    level, pfa = area
    held_by = _held_by()
    return sorted(held_by.months(held_by.serving(area_code if level == AreaLevel.PFA else pfa)))


def comparison_areas(area_code: str, limit: int = SIMILAR_AREAS) -> dict[str, Any]:
    """The `limit` areas most similar to a force area, CSP or district among those whose force has any street
    data in the store, nearest first, with the nearer areas left out for want of data:

        {"similar": [{"code", "name", "distance", "population", "held": ["YYYY-MM", ...]}],
         "not_compared": [{"code", "name", "reason"}], "method": str}

    `held` is every month the store holds for that area's force (so a caller can tell which months of its
    own period an area lacks). Raises ValidationError for an unknown area or an LSOA."""
    area = Area.objects.filter(code=area_code).first()
    if area is None:
        raise ValidationError({"area": f"There is no area with the code {area_code!r}."})
    if area.level not in (AreaLevel.PFA, AreaLevel.CSP, AreaLevel.LAD):
        raise ValidationError({"area": "Choose a force area, CSP or district."})
    profiles = area_profiles(area.level)
    candidates = similar_areas(area.code, profiles, limit=len(profiles))
    pfas = dict(
        Area.objects.filter(code__in=[code for code, _d in candidates]).values_list("code", "pfa__code")
    )
    held_by = _held_by()
    chosen: list[tuple[str, float, list[str]]] = []
    skipped: list[str] = []
    for code, distance in candidates:
        if len(chosen) == limit:
            break
        held = held_by.months(held_by.serving(_pfa_code(code, area.level, pfas)))
        if held:
            chosen.append((code, distance, sorted(held)))
        else:
            skipped.append(code)
    names = dict(
        Area.objects.filter(code__in=[c for c, _d, _h in chosen] + skipped).values_list("code", "name")
    )
    return {
        "similar": [
            {
                "code": code,
                "name": names.get(code, code),
                "distance": distance,
                "population": profiles[code][0],
                "held": held,
            }
            for code, distance, held in chosen
        ],
        "not_compared": [
            {"code": code, "name": names.get(code, code), "reason": "no police data in the store"}
            for code in skipped[:limit]
        ],
        "method": SIMILARITY_METHOD,
    }
