"""Reads for the quarterly briefing notes: the draft text of each section, from the CSP's own records."""

from __future__ import annotations

import datetime
from typing import Any

from joinedup.core.models import Area, User

from ..assessments.selectors import insight_headline, latest_assessment
from ..duties import STATUTORY_DUTIES, year_label
from ..models import ActionUpdate, CspPlan, DutyRecord
from ..plans.selectors import plan_progress
from ..selectors import (
    AMBER,
    GREEN,
    RED,
    areas_covering,
    authority_check,
    date_text,
    duty_cell,
    protocol_check,
)


def quarter_dates(year: int, quarter: int) -> tuple[datetime.date, datetime.date]:
    """First and last day of a quarter of the financial year starting April `year` (Q1 = April to June)."""
    first_month = 4 + 3 * (quarter - 1)
    start_year = year if first_month <= 12 else year + 1
    first_month = (first_month - 1) % 12 + 1
    start = datetime.date(start_year, first_month, 1)
    end_month = first_month + 2
    end = (
        datetime.date(start_year, end_month + 1, 1) if end_month < 12 else datetime.date(start_year + 1, 1, 1)
    )
    return start, end - datetime.timedelta(days=1)


def _money(amount: Any) -> str:
    return f"£{amount:,.2f}"


def briefing_sections(
    csp: Area, *, year: int, quarter: int, today: datetime.date, user: User | None = None
) -> dict[str, str]:
    """The draft text of each section of a quarterly briefing note, from the CSP's own records."""

    start, end = quarter_dates(year, quarter)
    # Plan progress: the plans running in the quarter, their actions' ratings and the quarter's updates.
    lines = []
    plans = CspPlan.objects.filter(csp=csp, period_start__lte=end, period_end__gte=start).order_by(
        "-period_start"
    )
    for plan in plans:
        counts = plan_progress(plan)
        total = sum(counts.values())
        lines.append(
            f"{plan.title}: {total} actions — {counts['red']} red, {counts['amber']} amber, "
            f"{counts['green']} green, {counts['unrated']} not yet rated."
        )
        updates = ActionUpdate.objects.filter(
            action__priority__plan=plan, recorded_on__range=(start, end)
        ).select_related("action")
        for update in updates.order_by("recorded_on", "pk"):
            lines.append(f"- {update.recorded_on:%d %B %Y} ({update.get_rag_display()}): {update.text}")
    plan_text = "\n".join(lines) or "No partnership plan covers this quarter."

    # Duty compliance: the year's cells, counted by colour, with every red and amber reason.
    records = list(DutyRecord.objects.filter(csp=csp, year=year).prefetch_related("signed_off_by"))
    by_duty = {r.duty: r for r in records}
    protocols = protocol_check(csp)
    cells = [
        (
            d,
            duty_cell(
                d, by_duty.get(d.duty.value), today=today, year_label=year_label(year), protocols=protocols
            ),
        )
        for d in STATUTORY_DUTIES
    ]
    counts = {rag: sum(1 for _d, c in cells if c.rag == rag) for rag in (RED, AMBER, GREEN)}
    duty_lines = [
        f"{year_label(year)}: {counts[GREEN]} green, {counts[AMBER]} amber, {counts[RED]} red "
        f"of {len(STATUTORY_DUTIES)} statutory duties."
    ]
    duty_lines += [f"- {d.label} ({c.label}): {c.reason}" for d, c in cells if c.rag != GREEN]
    authorities = authority_check(csp)
    if authorities.cell.rag != GREEN:
        duty_lines.append(f"- Membership: {authorities.cell.reason}")

    # Crime trend: the insight store's saved assessment if there is one, else the published assessment.
    headline = insight_headline(csp, user)
    if headline:
        trend = f"From the latest saved assessment in the insight store: {headline}"
    else:
        assessment = latest_assessment(csp)
        if assessment is not None and assessment.crime_trend_headline:
            trend = (
                f"From the strategic assessment “{assessment.title}” (published "
                f"{date_text(assessment.published_on)}): {assessment.crime_trend_headline}"
            )
        else:
            trend = "There is no assessment with a crime trend headline for this CSP yet."

    return {
        "plan_progress": plan_text,
        "duty_compliance": "\n".join(duty_lines),
        "crime_trend": trend,
        "funded_projects": funded_projects_text(csp, year=year),
    }


def funded_projects_text(csp: Area, *, year: int) -> str:
    """Funding for the CSP's area in the year, read from the funding app: formula allocations to the CSP
    or its districts, and grant awards recorded against the CSP."""
    from joinedup.funding.selectors import formula_allocations_to

    local = [pk for pk in areas_covering(csp) if pk != csp.pfa_id]
    lines = [
        f"- {a.fund.name}: {_money(a.amount)} allocated for {year_label(a.year)} to {a.area.name}."
        for a in formula_allocations_to(local, year=year)
    ]
    lines += [
        f"- {a.title} ({a.recipient_name}): {_money(a.amount)} awarded {date_text(a.awarded_on)}."
        for a in awards_for(csp, year=year)
    ]
    return "\n".join(lines) or "No funding recorded for this CSP's area this year."


def awards_for(csp: Area, *, year: int) -> list[Any]:
    """Grant awards recorded against the CSP whose term runs into the financial year."""
    from joinedup.funding.selectors import awards_for_csp

    return awards_for_csp(csp, year=year)
