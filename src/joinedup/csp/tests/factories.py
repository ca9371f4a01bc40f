"""Factories for the CSP app's tests."""

from __future__ import annotations

import datetime
from typing import Any

from joinedup.core.models import Area
from joinedup.csp.duties import DUTIES_BY_KEY, Duty, current_year
from joinedup.csp.models import (
    CspPlan,
    DomesticHomicideReview,
    DutyRecord,
    PanelRecommendation,
    ReportRequirement,
)


def make_duty(
    *, csp: Area, duty: str = Duty.STRATEGY_GROUP, year: int | None = None, **kwargs: Any
) -> DutyRecord:
    year = year if year is not None else current_year(datetime.date.today())
    kwargs.setdefault("due_date", DUTIES_BY_KEY[duty].due_date(year))
    return DutyRecord.objects.create(csp=csp, duty=duty, year=year, **kwargs)


_dhr_counter = iter(range(1, 10_000))


def make_dhr(*, csp: Area, **kwargs: Any) -> DomesticHomicideReview:
    kwargs.setdefault("case_reference", f"DHR-TEST-{next(_dhr_counter):04d}")
    kwargs.setdefault("notified_on", datetime.date.today() - datetime.timedelta(days=10))
    return DomesticHomicideReview.objects.create(csp=csp, **kwargs)


def make_panel_recommendation(*, force_area: Area, **kwargs: Any) -> PanelRecommendation:
    kwargs.setdefault("title", "Have regard to CSP priorities")
    kwargs.setdefault("recommendation", "Show how each CSP's priorities shaped the Police and Crime Plan.")
    kwargs.setdefault("made_on", datetime.date.today() - datetime.timedelta(days=5))
    return PanelRecommendation.objects.create(force_area=force_area, **kwargs)


def make_plan(*, csp: Area, **kwargs: Any) -> CspPlan:
    kwargs.setdefault("title", "Community safety agreement")
    kwargs.setdefault("period_start", datetime.date(2025, 4, 1))
    kwargs.setdefault("period_end", datetime.date(2028, 3, 31))
    kwargs.setdefault("is_public", True)
    return CspPlan.objects.create(csp=csp, **kwargs)


def make_requirement(*, csp: Area, **kwargs: Any) -> ReportRequirement:
    today = datetime.date.today()
    kwargs.setdefault("subject", "Progress on the strategic assessment")
    kwargs.setdefault("reason", "The strategic assessment is overdue.")
    kwargs.setdefault("required_on", today - datetime.timedelta(days=40))
    kwargs.setdefault("due_date", today - datetime.timedelta(days=10))
    return ReportRequirement.objects.create(csp=csp, **kwargs)
