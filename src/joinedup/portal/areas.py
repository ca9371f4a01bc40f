""" "Your area" on the public site: find a force area, CSP, district or electoral ward by name, and see what is known
about it — recorded crime and ASB (the latest 12 months against the 12 before, like for like, from the
insight assessment), and what the partners do there (consultations, neighbourhood meetings, partnerships,
grants, the Commissioner's and the CSP's priorities, published strategic assessments and domestic homicide
reviews, the Police and Crime Panel's meetings and recommendations), with a chart of each month and its table.

The crime figures are the assessment's own (`insight.selectors.area_overview`: the parts of the assessment
over its default period that the page shows, each as the whole assessment gives it), so the missing months,
the like-for-like comparison and the significance labels are the same as the analysts'. They come from the
store generation's summary (no similar areas or LSOAs worked out; no Parquet scan except for a ward, whose
figures are those of its LSOAs, docs/adr/0036). What exists only for a CSP or force area (priorities, plans,
meetings of the Panel) is shown through the ward's CSP and force area, as for a district. Kept in the shared
cache per area and generation, so a new import shows at once and a busy page costs one lookup. Counts of 1
and 2 are shown as "fewer than 3" (core.disclosure).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_noop

from joinedup.core.disclosure import (
    FEWER_THAN,
    NOT_SHOWN,
    ShownCount,
    suppress_count,
    suppress_small_counts,
)
from joinedup.core.models import Area, AreaLevel

LEVELS = (AreaLevel.PFA, AreaLevel.CSP, AreaLevel.LAD, AreaLevel.WARD)
_RANK: dict[str, int] = {AreaLevel.PFA: 0, AreaLevel.CSP: 1, AreaLevel.LAD: 2, AreaLevel.WARD: 3}


def _place_order(area: Area) -> tuple[int, str, str]:
    # Wards of one name are told apart (and listed) by their district.
    return (_RANK[area.level], area.name, area.lad.name if area.lad else "")


def find_places(text: str, *, limit: int = 20) -> list[Area]:
    """Force areas, CSPs, districts and wards whose name (or ONS code) matches, the exact name first; a ward
    comes with its district (`lad`), which names it in the list."""
    text = " ".join(text.split())
    if not text:
        return []
    places = Area.objects.filter(level__in=LEVELS).select_related("lad")
    exact = sorted(places.filter(Q(name__iexact=text) | Q(code__iexact=text)), key=_place_order)
    if any(place.level != AreaLevel.WARD for place in exact):
        return exact
    # A ward that happens to bear the name typed ("Newcastle", in Bridgend) must not hide the places whose
    # name starts with it (Newcastle upon Tyne): they are listed after it.
    others = places.filter(name__icontains=text).exclude(pk__in=[place.pk for place in exact])
    return (exact + sorted(others.order_by("name")[: limit * 2], key=_place_order))[:limit]


@dataclass(frozen=True)
class PostcodePlace:
    """What a postcode typed in the search box gives: its most local place with a page, or why none."""

    postcode: str  # as the directory writes it
    place: Area | None
    reason: str = (
        ""  # when there is no place: "unknown" (not in the directory) or "unavailable" (none loaded)
    )


def place_of_postcode(text: str) -> PostcodePlace | None:
    """For text shaped like a postcode, the electoral ward of its LSOA in the ONS Postcode Directory (or,
    where no ward is known for that LSOA, its district, else its CSP, else its force area); None for anything
    else (a place name). The postcode is not kept anywhere."""
    from joinedup.core.services.postcodes import POSTCODE_RE, directory_loaded, find_postcode, normalise

    postcode = normalise(text)
    if not POSTCODE_RE.match(postcode):
        return None
    found = find_postcode(postcode)
    lsoa = found.lsoa if found is not None else None
    if lsoa is None:
        return PostcodePlace(postcode, None, "unknown" if directory_loaded() else "unavailable")
    wanted = [pk for pk in (lsoa.ward_id, lsoa.lad_id, lsoa.csp_id, lsoa.pfa_id) if pk]
    places = {place.pk: place for place in Area.objects.filter(pk__in=wanted, level__in=LEVELS)}
    place = next((places[pk] for pk in wanted if pk in places), None)  # the most local first, one query
    return PostcodePlace(postcode, place, "" if place is not None else "unknown")


def get_place(code: str) -> Area | None:
    return (
        Area.objects.select_related("pfa", "csp", "lad").filter(code=code.upper(), level__in=LEVELS).first()
    )


def containing(area: Area) -> list[Area]:
    """The places with a page that contain this one, most local first: a ward's district, CSP and force
    area, a district's CSP and force area, a CSP's force area (a split district has no CSP)."""
    return [place for place in (area.lad, area.csp, area.pfa) if place is not None]


@dataclass
class CrimeFigures:
    """The area's recorded crime and ASB, or why there are none (`reason` in English, for the downloads;
    `because` as a phrase the page says in the reader's language)."""

    result: dict[str, Any] | None
    reason: str = ""
    rows: list[dict[str, Any]] = field(default_factory=list)
    totals: dict[str, Any] = field(default_factory=dict)  # the area's totals as they may be shown
    months: list[dict[str, Any]] = field(default_factory=list)  # each month of the period, as it may be shown
    because: dict[str, Any] | None = None


def _generation() -> str:
    from joinedup.insight.selectors import store_generation

    return store_generation() or "none"


NO_POLICE_DATA = gettext_noop("no police data has been imported for this area.")


def _assessment(area: Area) -> tuple[dict[str, Any] | None, str, dict[str, Any] | None]:
    """(the overview, or None with why not: in English and as a phrase of the catalogue)."""
    from joinedup.insight import selectors

    key = f"joinedup-your-area:v2:{area.code}:{_generation()}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    try:
        found: tuple[dict[str, Any] | None, str, dict[str, Any] | None] = (
            selectors.area_overview(area.code),
            "",
            None,
        )
    except (selectors.AssessmentError, ValidationError) as exc:
        phrase = getattr(exc, "phrase", None) or {"say": NO_POLICE_DATA}
        message = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        found = (None, message or selectors.no_data_in_words(phrase, english=True), phrase)
    cache.set(key, found, timeout=24 * 3600)
    return found


def crime_figures(area: Area) -> CrimeFigures:
    """The assessment's figures as they may be shown. The crime types other than ASB add up to the total shown
    beside them, so they are suppressed as one table (a hidden type cannot be worked out by subtraction); ASB
    is a count of its own, shown once in the table and once in the totals. A hidden type shows its label and
    nothing else: no rate, no like-for-like counts, no year before and no change."""
    from joinedup.insight.selectors import ASB

    result, reason, because = _assessment(area)
    if result is None:
        return CrimeFigures(None, reason, because=because)
    by_type = result["by_crime_type"]
    crimes = suppress_small_counts(
        {r["crime_type"]: int(r["count"]) for r in by_type if r["crime_type"] != ASB}
    )
    asb = suppress_count(int(result["totals"]["asb"]))
    rows = []
    for row in by_type:
        current = asb if row["crime_type"] == ASB else crimes.cells[row["crime_type"]]
        if current.suppressed:
            # A hidden type shows its label only: its like-for-like count is (with every month present) its
            # count itself, and a change or its year before would lead back to it.
            rows.append(
                {
                    "crime_type": row["crime_type"],
                    "count": current.label,
                    "count_value": None,
                    "rate_per_1000": None,
                    "like_for_like": current.label,  # never more than the count, so as true
                    "like_for_like_previous": NOT_SHOWN,
                    "change_pct": None,
                    "trend": "",
                }
            )
            continue
        before = suppress_count(int(row["like_for_like_previous_count"]))
        now_like = suppress_count(int(row["like_for_like_count"]))
        small = before.suppressed or now_like.suppressed
        rows.append(
            {
                "crime_type": row["crime_type"],
                "count": current.label,
                "count_value": current.value,
                "rate_per_1000": row["rate_per_1000"],
                "like_for_like": now_like.label,
                "like_for_like_previous": before.label,
                "change_pct": None if small else row["change_pct"],
                "trend": "" if small else row["trend"],
            }
        )
    totals = result["totals"]
    shown_totals = {
        "crimes": crimes.total.label,
        "crimes_rate": None if crimes.total.suppressed else totals["rate_per_1000"],
        "asb": asb.label,
        "asb_rate": None if asb.suppressed else totals["asb_rate_per_1000"],
    }
    return CrimeFigures(result, "", rows, shown_totals, _months(result["monthly"], shown_totals))


def _months(monthly: list[dict[str, Any]], totals: dict[str, Any]) -> list[dict[str, Any]]:
    """Each month's crimes and ASB as they may be shown. A month's count adds up with the others to the
    period's total shown above, so each series is suppressed as one group with its total (a hidden month
    cannot be worked out by subtraction); a series whose total is hidden shows no month at all. A month
    with no published data is said to have none, never shown as zero."""
    held = [m for m in monthly if m["has_data"]]
    shown: dict[str, dict[str, Any]] = {}
    for series, total_label in (("crimes_excl_asb", totals["crimes"]), ("asb", totals["asb"])):
        cells = suppress_small_counts({m["month"]: int(m[series] or 0) for m in held}).cells
        if total_label in (FEWER_THAN, NOT_SHOWN):
            cells = {month: ShownCount(None, "secondary") for month in cells}
        shown[series] = cells
    rows = []
    for m in monthly:
        if not m["has_data"]:
            rows.append({"month": m["month"], "has_data": False, "crimes": None, "asb": None})
            continue
        crimes, asb = shown["crimes_excl_asb"][m["month"]], shown["asb"][m["month"]]
        rows.append(
            {
                "month": m["month"],
                "has_data": True,
                "crimes": crimes.label,
                "crimes_value": crimes.value,
                "asb": asb.label,
                "asb_value": asb.value,
            }
        )
    return rows


def months_chart(area: Area, figures: CrimeFigures) -> str:
    """The months as a line chart (a gap for a month with no data or a hidden count); the page shows the
    table beside it, so the chart adds nothing the table does not say."""
    from django.utils.translation import gettext

    from joinedup.core.charts import BLUE, ORANGE, line_chart

    if not figures.months:
        return ""
    return line_chart(
        "chart-months",
        gettext("Crimes and anti-social behaviour each month, %(name)s") % {"name": area.name},
        [m["month"] for m in figures.months],
        [
            (gettext("Crimes (not counting ASB)"), [m.get("crimes_value") for m in figures.months], BLUE, ""),
            (gettext("Anti-social behaviour"), [m.get("asb_value") for m in figures.months], ORANGE, "6 4"),
        ],
    )


def months_table(area: Area, figures: CrimeFigures) -> list[list[Any]]:
    """The months as a table for CSV, with the same labels as the page."""
    table: list[list[Any]] = [["area_code", "area", "month", "crimes_excluding_asb", "asb"]]
    for m in figures.months:
        no_data = "no data"
        table.append([area.code, area.name, m["month"], m["crimes"] or no_data, m["asb"] or no_data])
    return table


def figures_table(area: Area, figures: CrimeFigures) -> list[list[Any]]:
    """The figures as a table for CSV: one row per crime type, with the period and coverage on each."""
    result = figures.result or {}
    note = (result.get("coverage") or {}).get("warning") or ""
    header = [
        "area_code",
        "area",
        "from",
        "to",
        "crime_type",
        "count",
        "rate_per_1000",
        "like_for_like_count",
        "like_for_like_previous_count",
        "change_pct",
        "trend",
        "coverage_note",
    ]
    table: list[list[Any]] = [header]
    for row in figures.rows:
        table.append(
            [
                area.code,
                area.name,
                result.get("from"),
                result.get("to"),
                row["crime_type"],
                row["count"],
                row["rate_per_1000"],
                row["like_for_like"],
                row["like_for_like_previous"],
                row["change_pct"],
                row["trend"],
                note,
            ]
        )
    return table


def figures_json(area: Area, figures: CrimeFigures) -> dict[str, Any]:
    """The figures as JSON: the same rows, labels and suppression as the page and the CSV."""
    result = figures.result or {}
    return {
        "area": {"code": area.code, "name": area.name, "level": area.level},
        "from": result.get("from"),
        "to": result.get("to"),
        "coverage": result.get("coverage"),
        "no_data_reason": figures.reason,
        "by_month": [
            {
                "month": m["month"],
                "has_data": m["has_data"],
                "crimes_excluding_asb": _number_or_label(m, "crimes"),
                "asb": _number_or_label(m, "asb"),
            }
            for m in figures.months
        ],
        "by_crime_type": [
            {
                "crime_type": row["crime_type"],
                "count": row["count"],
                "rate_per_1000": row["rate_per_1000"],
                "like_for_like_count": row["like_for_like"],
                "like_for_like_previous_count": row["like_for_like_previous"],
                "change_pct": row["change_pct"],
                "trend": row["trend"],
            }
            for row in figures.rows
        ],
    }


def _number_or_label(month: dict[str, Any], series: str) -> int | str | None:
    """A month's count in JSON: the number, the words shown in its place, or None with no data."""
    if not month["has_data"]:
        return None
    value: int | None = month[f"{series}_value"]
    return value if value is not None else str(month[series])


def _csp_ids(area: Area) -> list[int]:
    if area.level == AreaLevel.PFA:
        return list(Area.objects.filter(level=AreaLevel.CSP, pfa=area).values_list("pk", flat=True))
    if area.level == AreaLevel.CSP:
        return [area.pk]
    return [area.csp_id] if area.csp_id else []


def around(area: Area) -> dict[str, Any]:
    """What the partners do in the area: open consultations, meetings, partnerships, grants, plans' progress,
    the Police and Crime Commissioner's and the CSP's priorities, published strategic assessments and domestic
    homicide reviews, and the Police and Crime Panel's meetings and recommendations to the force area's PCC
    (what each app's selector gives the public)."""
    from joinedup.csp.selectors import csps_with_public_page, published_dhr_titles
    from joinedup.engagement.selectors import public_consultations, public_meetings
    from joinedup.funding.selectors import public_awards_serving
    from joinedup.insight.selectors import published_assessment_titles
    from joinedup.partnerships.selectors import list_public_partnerships, public_police_and_crime_plan
    from joinedup.performance.selectors import public_plans
    from joinedup.scrutiny.selectors import panel_recommendation_titles, public_panel_meetings

    today = timezone.localdate()
    covering = [area.pk, area.pfa_id, area.csp_id, area.lad_id]  # lad_id: a ward's district
    if area.level == AreaLevel.PFA:
        inside = Q(area=area) | Q(area__pfa=area)
    elif area.level == AreaLevel.CSP:
        inside = Q(area=area) | Q(area__csp=area) | Q(area__lad__csp=area)
    elif area.level == AreaLevel.WARD:
        inside = Q(area=area) | Q(area__ward=area)
    else:
        inside = Q(area=area) | Q(area__lad=area)
    csps = _csp_ids(area)
    force_id = area.pfa_id or area.pk
    plans = public_plans(force_area_ids=[force_id], csp_ids=csps)
    return {
        "consultations": list(
            public_consultations().filter(
                area__in=[pk for pk in covering if pk], opens_on__lte=today, closes_on__gte=today
            )
        ),
        "meetings": list(public_meetings().filter(inside).filter(voting_closes_on__gte=today)[:10]),
        # Meetings whose voting has closed in the last year: their result and "you said, we did" updates.
        "past_meetings": list(
            public_meetings()
            .filter(inside)
            .filter(voting_closes_on__lt=today, voting_closes_on__gte=today - timedelta(days=365))[:5]
        ),
        # The page names each partnership only: none of the register's prefetched members and declarations.
        "partnerships": list(list_public_partnerships(area_code=area.code).prefetch_related(None)[:20]),
        **public_awards_serving(area, csps),
        "csps": list(Area.objects.filter(pk__in=csps).order_by("name")),
        # A CSP's or district's page links to its CSP's public page only when there is one (a public plan or
        # public meeting dates); otherwise the link would answer 404.
        "csp_pages": csps_with_public_page(csps) if csps and area.level != AreaLevel.PFA else [],
        # The Police and Crime Plan of the area's force and its CSPs' public plans, where they report progress.
        "plans": plans,
        # A CSP's or district's page: the priorities of its CSP's latest public plan (a force area's page lists
        # its CSPs instead), each with its plan's progress page when it reports progress.
        "priorities": [] if area.level == AreaLevel.PFA else _csp_priorities(csps, plans),
        # Published strategic assessments of the area, its CSP and its force area (a force area's: its own).
        "assessments": published_assessment_titles(area_ids=[pk for pk in covering if pk]),
        "dhrs": published_dhr_titles(csp_ids=csps) if csps else [],
        "panel_recommendations": panel_recommendation_titles(force_area_id=force_id),
        "panel_meetings": public_panel_meetings(force_area_id=force_id),
        # The Commissioner's priorities for the whole force area, on its page and on each place's within it.
        "pcc_plan": public_police_and_crime_plan(force_area_id=force_id),
    }


def _csp_priorities(csps: list[int], plans: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each CSP's latest public plan with its priorities (two queries however many), and its progress page."""
    from joinedup.csp.selectors import public_plans as public_csp_plans

    if not csps:
        return []
    reporting = {row["plan"].pk for row in plans if row["kind"] == "csp"}
    latest: dict[int, Any] = {}
    for plan in public_csp_plans().filter(csp__in=csps).order_by("csp__name", "-period_start", "-pk"):
        latest.setdefault(plan.csp_id, plan)
    return [
        {"plan": plan, "priorities": list(plan.priorities.all()), "progress": plan.pk in reporting}
        for plan in latest.values()
    ]
