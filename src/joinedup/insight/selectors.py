"""Reads of saved strategic assessments and the scoring scheme, restricted to what the user may see; and
what other apps read of insight's figures (the calculation, `insight.calculation`, behind them), with the most
similar areas to one area for comparisons worked out outside insight (`comparison_areas`, `held_months`)."""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from joinedup.core.models import Area, AreaLevel
from joinedup.core.permissions import restrict
from joinedup.insight import coverage, store, summary
from joinedup.insight.calculation import SIMILAR_AREAS, AssessmentError, area_profiles, similar_areas
from joinedup.insight.models import AssessmentStatus, PriorityScheme, SavedAssessment
from joinedup.insight.priorities import (
    DEFAULT_SCHEME,
    MIN_CONCERN_RESPONSES,
    Candidate,
    concern_score,
    concern_summary,
    matrix,
)
from joinedup.insight.store import ASB


def current_scheme() -> PriorityScheme:
    """The scheme new assessments are scored with; the default scheme is created on first use."""
    scheme = PriorityScheme.objects.order_by("-pk").first()
    if scheme is None:
        weights = DEFAULT_SCHEME["weights"]
        scheme = PriorityScheme.objects.create(
            name=DEFAULT_SCHEME["name"],
            scale_max=DEFAULT_SCHEME["scale_max"],
            harm_bands=DEFAULT_SCHEME["harm_bands"],
            volume_bands=DEFAULT_SCHEME["volume_bands"],
            trend_bands=DEFAULT_SCHEME["trend_bands"],
            position_weight=DEFAULT_SCHEME["position_weight"],
            **{f"{factor}_weight": weight for factor, weight in weights.items()},
        )
    return scheme


def saved_assessments(user: Any, *, area: Area | None = None) -> QuerySet[SavedAssessment]:
    """Saved assessments the user may read, newest period first (optionally of one area)."""
    queryset = SavedAssessment.objects.select_related("area", "created_by", "published_by").defer("results")
    if area is not None:
        queryset = queryset.filter(area=area)
    return restrict(queryset, user, "insight.assessments.view")


def latest_edition(user: Any, area: Area, from_month: str, to_month: str) -> SavedAssessment | None:
    """The latest saved edition of an area and period the user may read (draft or published), if any."""
    return (
        saved_assessments(user, area=area)
        .filter(from_month=from_month, to_month=to_month)
        .order_by("-edition", "-pk")
        .first()
    )


def published_assessments_for_area(user: Any, area: Area) -> QuerySet[SavedAssessment]:
    """Published assessments of `area` the user may read, latest first: what a CSP plan can cite.

    Each one's `pk` is stable and its content frozen; cite it by pk and show `title`, `edition`,
    `from_month`..`to_month` and `published_at`.
    """
    return (
        saved_assessments(user, area=area)
        .filter(status=AssessmentStatus.PUBLISHED)
        .order_by("-published_at", "-pk")
    )


def published_assessment_titles(*, area_ids: list[int], limit: int = 10) -> list[dict[str, Any]]:
    """What the public pages show of the published assessments of these areas: the title, the area, the
    period and the date published, latest first. Drafts are never included, nor the narrative or results."""
    rows = (
        SavedAssessment.objects.filter(area__in=area_ids, status=AssessmentStatus.PUBLISHED)
        .order_by("-published_at", "-pk")
        .values("title", "area__name", "from_month", "to_month", "published_at")[:limit]
    )
    return [dict(row) for row in rows]


def candidates(assessment: SavedAssessment) -> list[Candidate]:
    return [
        Candidate(
            key=p.key,
            label=p.label,
            crime_types=list(p.crime_types),
            is_theme=p.is_theme,
            entered={
                "harm": p.harm,
                "vulnerability": p.vulnerability,
                "concern": p.concern,
                "capacity": p.capacity,
                "capability": p.capability,
            },
            override_rank=p.override_rank,
            override_reason=p.override_reason,
            concern_source=dict(p.concern_source or {}),
        )
        for p in assessment.priorities.all()
    ]


def _month_bounds(from_month: str, to_month: str) -> tuple[date, date]:
    year, month = (int(p) for p in to_month.split("-"))
    return date.fromisoformat(f"{from_month}-01"), date(year, month, calendar.monthrange(year, month)[1])


def engagement_concern(assessment: SavedAssessment) -> dict[str, dict[str, Any]]:
    """Community concern as engagement gives it for each candidate of the assessment, by key: the score
    on the assessment's scale (None when there were too few responses) and what it was derived from, in
    the assessment's area and period (engagement.selectors.concern_evidence; docs/adr/0031).

    Counts only: engagement gives no respondent's or voter's personal data."""
    from joinedup.engagement.selectors import concern_evidence

    priorities = list(assessment.priorities.all())
    if not priorities or not assessment.scheme:
        return {}
    start, end = _month_bounds(assessment.from_month, assessment.to_month)
    evidence = concern_evidence(assessment.area, start, end, {p.key: list(p.crime_types) for p in priorities})
    scale = assessment.scheme["scale_max"]
    responses = evidence["responses"]
    meetings = [{**m, "held_on": m["held_on"].isoformat()} for m in evidence["meetings"]]
    summary = concern_summary(evidence, assessment.from_month, assessment.to_month)
    found = {}
    for p in priorities:
        mapped = evidence["mapped"][p.key]
        found[p.key] = {
            "score": concern_score(mapped, responses, scale),
            "mapped": mapped,
            "responses": responses,
            "share_pct": round(mapped * 100 / responses, 1) if responses else 0.0,
            "minimum": MIN_CONCERN_RESPONSES,
            "summary": summary,
            "meetings": meetings,
            "consultations": evidence["consultations"],
            "from": assessment.from_month,
            "to": assessment.to_month,
        }
    return found


def priority_matrix(assessment: SavedAssessment) -> list[dict[str, Any]]:
    """The ranked list with every factor's score and where it came from."""
    if not assessment.results or not assessment.scheme:
        return []
    return matrix(candidates(assessment), assessment.results, assessment.scheme)


def assessment_record(record: SavedAssessment) -> dict[str, Any]:
    """A saved assessment as JSON: its parameters, data snapshot, narrative, ranked priorities and results."""
    return {
        "id": record.pk,
        "title": record.title,
        "edition": record.edition,
        "based_on": record.based_on_id,
        "status": record.status,
        "area": {"code": record.area.code, "name": record.area.name, "level": record.area.level},
        "from": record.from_month,
        "to": record.to_month,
        "version": record.version,
        "published_at": record.published_at.isoformat() if record.published_at else None,
        "narrative": record.narrative,
        "data": {"generation": record.generation, "import_ids": list(record.import_ids)},
        "scheme": record.scheme,
        "priorities": priority_matrix(record),
        "results": record.results,
    }


def publication_gaps(record: SavedAssessment) -> list[str]:
    """What a person should know is missing before publishing (publishing freezes the assessment): each
    priority with a factor the analyst has not scored."""
    from joinedup.insight.priorities import ENTERED, FACTOR_LABELS

    gaps = []
    for priority in record.priorities.all():
        missing = [FACTOR_LABELS[name].lower() for name in ENTERED if getattr(priority, name) is None]
        if missing:
            gaps.append(f"{priority.label}: no score for {', '.join(missing)}")
    return gaps


def area_assessment(
    area_code: str, from_month: str | None = None, to_month: str | None = None
) -> dict[str, Any]:
    """The assessment of a force area, CSP or district (the latest 12 months unless a period is given), for
    other apps; raises `insight.calculation.AssessmentError` (no data) or ValidationError (no such area)."""
    from .calculation import assess

    return assess(area_code, from_month, to_month)


def area_figures(area_code: str, from_month: str, to_month: str) -> dict[str, Any]:
    """The assessment's figures alone (`insight.calculation.HEAD`: period, coverage, significance, totals and
    crime types, each as the whole assessment gives it), read from the store's summary without scanning its
    files: what indicators need. Raises as `area_assessment` does."""
    from .calculation import assess_totals

    return assess_totals(area_code, from_month, to_month)


def area_overview(area_code: str) -> dict[str, Any]:
    """What a public page shows of an area's assessment over its default period (`insight.calculation.OVERVIEW`:
    the figures, each month, and the force area's counts and rates), each part as the whole assessment gives
    it, from the store's summary without scanning its files. Raises as `area_assessment` does."""
    from .calculation import assess_overview

    return assess_overview(area_code)


def severity_weights() -> dict[str, float]:
    """Each data.police.uk crime type's Crime Severity Score weight (`joinedup insight severity import`);
    empty before any is loaded. One query: read it once for many figures."""
    from .models import SeverityWeight

    return dict(SeverityWeight.objects.values_list("crime_type", "weight"))


def harm_of_figures(figures: dict[str, Any], weights: dict[str, float]) -> dict[str, Any] | None:
    """Crime harm for `area_figures`' crime types, as the assessment's harm section works it out: each
    crime type's count times its severity weight (ASB and crime types without a weight left out, and
    named), the total per 1,000 residents, and the like-for-like change against the same months of the
    period before (None with no month in both). None when no weights are loaded."""
    from .calculation import weighted_total

    if not weights:
        return None
    rows = figures["by_crime_type"]

    def total(key: str) -> float:
        return weighted_total({r["crime_type"]: r[key] for r in rows}, weights)

    current, matched, matched_before = (
        total(key) for key in ("count", "like_for_like_count", "like_for_like_previous_count")
    )
    population = figures["totals"].get("population")
    return {
        "total": round(current, 1),
        "per_1000": round(current * 1000 / population, 1) if population else None,
        "change_pct": round((matched - matched_before) * 100 / matched_before, 1) if matched_before else None,
        "unweighted": sorted(
            r["crime_type"] for r in rows if r["crime_type"] != ASB and r["crime_type"] not in weights
        ),
    }


def area_repeat_locations(
    area_code: str, from_month: str, to_month: str, *, crime_type: str | None, minimum: int
) -> dict[str, Any]:
    """Repeat locations in an area and period (`insight.calculation.repeat_locations`): how many of
    data.police.uk's anonymised map points had at least `minimum` crimes of `crime_type` (None: all crime
    excluding ASB), with the same count over the like-for-like months of this period and the one before.
    Reads the area's Parquet rows for those months. Raises as `area_assessment` does."""
    from .calculation import repeat_locations

    return repeat_locations(area_code, from_month, to_month, crime_type=crime_type, minimum=minimum)


def area_charge_outcomes(area_code: str, from_month: str, to_month: str) -> dict[str, Any]:
    """The area's crimes by crime type and by what their published last outcome says of a charge
    (`insight.calculation.charge_outcomes`); `charge_rate_of` turns them into a rate. Raises as
    `area_assessment` does."""
    from .calculation import charge_outcomes

    return charge_outcomes(area_code, from_month, to_month)


def charge_rate_of(outcomes: dict[str, Any], crime_type: str | None) -> dict[str, Any]:
    """The charge/summons rate of `area_charge_outcomes` for one crime type (None: all crime excluding
    ASB): charged or summonsed as a share of every crime (those whose outcome is not yet known count as
    not charged), with the counts, and the like-for-like rates of this period and the one before (None
    where there is no crime to divide by)."""

    def counts(key: str) -> list[int]:
        rows = outcomes[key]
        picked = rows.values() if crime_type is None else [rows.get(crime_type, [0, 0, 0])]
        return [sum(column) for column in zip(*picked, strict=True)] if picked else [0, 0, 0]

    def share(part: int, whole: int) -> float | None:
        return round(part * 100 / whole, 1) if whole else None

    charged, not_known, crimes = counts("current")
    matched, before = counts("matched"), counts("before")
    return {
        "crimes": crimes,
        "charged": charged,
        "not_known": not_known,
        "rate_pct": share(charged, crimes),
        "not_known_pct": share(not_known, crimes),
        "like_for_like": {
            "months": outcomes["like_for_like_months"],
            "rate_pct": share(matched[0], matched[2]),
            "previous_rate_pct": share(before[0], before[2]),
        },
        "method": outcomes["method"],
    }


def police_measure_method(measure: str) -> str:
    """How repeat locations ("repeat_locations") or the charge/summons rate ("charge_rate") are counted,
    in words for the indicator's page; "" for any other measure."""
    from .calculation import CHARGE_RATE_METHOD, REPEAT_LOCATIONS_METHOD

    return {"repeat_locations": REPEAT_LOCATIONS_METHOD, "charge_rate": CHARGE_RATE_METHOD}.get(measure, "")


__all__ = [
    "ASB",
    "AssessmentError",
    "area_assessment",
    "area_charge_outcomes",
    "area_figures",
    "area_repeat_locations",
    "charge_rate_of",
    "harm_of_figures",
    "police_measure_method",
    "severity_weights",
    "store_generation",
]


def store_generation() -> str | None:
    """The name of the analytical store's current generation (None before any import): a cache key."""
    return store.current_generation()


def no_data_in_words(phrase: dict[str, Any], *, english: bool = False) -> str:
    """An `AssessmentError`'s phrase (why there are no figures) in the reader's language, or in English."""
    from joinedup.insight.coverage import in_words

    return in_words(phrase, english=english)


def months_in_words(months: list[str]) -> str:
    """Months ("YYYY-MM") as runs in the reader's language: "2023-03 to 2023-05, 2023-08"."""
    from joinedup.insight.coverage import _months_in_words

    return _months_in_words(months)


def coverage_warning(coverage: dict[str, Any]) -> str:
    """An assessment's (or a figure's) coverage warning in the reader's language, from its `coverage`
    object ("" when no month is missing); the assessment keeps it in English as `coverage["warning"]`."""
    from joinedup.insight.coverage import warning_in_words

    return warning_in_words(coverage)


# --- the most similar areas, for comparisons worked out outside insight -------------------------------------
# The outcome view of a funded project (funding) compares an area with insight's own similar areas
# (`calculation.similar_areas`), over the months the store holds for each area's police force. Counts come
# from `area_figures`; these only say which areas to compare with and what the store holds for them.

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
    """The `limit` areas most similar to a force area, CSP, district or electoral ward (areas of its own
    level, as the assessment chooses them) among those whose force has any street data in the store, nearest
    first, with the nearer areas left out for want of data:

        {"similar": [{"code", "name", "distance", "population", "held": ["YYYY-MM", ...]}],
         "not_compared": [{"code", "name", "reason"}], "method": str}

    `held` is every month the store holds for that area's force (so a caller can tell which months of its
    own period an area lacks). Raises ValidationError for an unknown area or an LSOA."""
    area = Area.objects.filter(code=area_code).first()
    if area is None:
        raise ValidationError({"area": f"There is no area with the code {area_code!r}."})
    if area.level not in (AreaLevel.PFA, AreaLevel.CSP, AreaLevel.LAD, AreaLevel.WARD):
        raise ValidationError({"area": "Choose a force area, CSP, district or ward."})
    profiles = area_profiles(area.level)
    candidates = similar_areas(area.code, profiles, limit=len(profiles))
    # Every area of the level in one query: the candidates are all of them, and there are some 9,000 wards.
    pfas = dict(Area.objects.filter(level=area.level).values_list("code", "pfa__code"))
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
