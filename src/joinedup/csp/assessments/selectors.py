"""Reads for strategic assessments: the latest, the crime trend headline of an insight assessment, and the
published insight assessments a CSP may adopt."""

from __future__ import annotations

from typing import Any

from joinedup.core.models import Area, User
from joinedup.core.months import months_label
from joinedup.insight import selectors as insight_selectors

from ..models import StrategicAssessment


def latest_assessment(csp: Area) -> StrategicAssessment | None:
    return StrategicAssessment.objects.filter(csp=csp).order_by("-year", "-published_on", "-pk").first()


def headline_from_results(results: dict[str, Any]) -> str | None:
    """The crime trend from an insight assessment's results (insight.assessment.assess): the counts, the
    like-for-like change and, when police data is missing for some months, the assessment's warning. A
    snapshot saved before coverage was recorded says so, and gives no change when its two periods had
    different numbers of months of data."""
    totals = results.get("totals") or {}
    crimes = totals.get("crimes_excl_asb")
    if crimes is None:
        return None
    cover = results.get("coverage")
    data = results.get("data") or {}
    unequal = cover is None and len(data.get("months_missing") or []) != len(
        data.get("previous_months_missing") or []
    )
    like_for_like = cover is not None and not cover.get("complete", True)

    def moved(pct: Any, trend: Any) -> str:
        if unequal:
            return "no like-for-like change (the two periods had different months of data)"
        if pct is None:
            return "with no earlier period to compare"
        words = "unchanged on" if pct == 0 else f"{'up' if pct > 0 else 'down'} {abs(pct):g}% on"
        words += " the period before"
        if like_for_like:
            words += " like for like"
        if cover is not None and trend:
            words += f" ({trend})"
        return words

    first, last = results.get("from"), results.get("to")
    when = (
        f"in {months_label(str(first), str(last), english=True)}"
        if first == last
        else f"from {first} to {last}"
    )
    text = f"{crimes:,} crimes (excluding ASB) {when}, "
    text += moved(totals.get("change_pct"), totals.get("trend"))
    if totals.get("asb") is not None:
        text += f"; {totals['asb']:,} ASB incidents, {moved(totals.get('asb_change_pct'), totals.get('asb_trend'))}"
    text += "."
    if cover is None:
        text += " Coverage not recorded for this edition."
    elif cover.get("warning"):
        text += f" {cover['warning']}"
    return text


def insight_headline(csp: Area, user: User | None) -> str | None:
    """The crime trend headline of the CSP's latest published saved assessment in the insight store that
    the user may read (insight's own selector); None when there is none."""
    if user is None:
        return None
    saved = insight_selectors.published_assessments_for_area(user, csp).first()
    if saved is None:
        return None
    headline = headline_from_results(saved.results or {})
    return f"{saved.title}: {headline}" if headline else None


def adoptable_assessments(user: User, csp: Area) -> list[Any]:
    """Published insight assessments of the CSP's area the user may read that are not yet recorded as one of
    its strategic assessments (the analyst's work counts: no upload needed)."""
    recorded = StrategicAssessment.objects.filter(csp=csp).exclude(insight_assessment=None)
    return list(
        insight_selectors.published_assessments_for_area(user, csp).exclude(
            pk__in=recorded.values("insight_assessment_id")
        )
    )
