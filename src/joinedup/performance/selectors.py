"""Reads for the performance pages, API and commands: restricted to what the user may see."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from joinedup.core.disclosure import FEWER_THAN, WITHHELD
from joinedup.core.permissions import force_area_ids, has_permission
from joinedup.scrutiny import selectors as scrutiny_selectors

from .models import (
    FUNDING_SOURCES,
    Commentary,
    Frequency,
    Indicator,
    IndicatorValue,
    Source,
    Unit,
    small_casework_figure,
)
from .periods import Period, period_containing, quarter_label, shown_label
from .reasons import SINCE_BEFORE, say, without_earlier_figure
from .rules import reads_csp_plans

PLAN_KINDS = ("pcc", "csp")


def indicators_for(*, user: Any) -> QuerySet[Indicator]:
    return Indicator.objects.restrict(user, "performance.view").select_related(
        "area", "owner", "plan_priority__plan", "csp_priority__plan__csp"
    )


def get_indicator(*, user: Any, pk: int) -> Indicator:
    indicator = indicators_for(user=user).filter(pk=pk).first()
    if indicator is None:
        raise Http404("Not found")
    return indicator


def source_descriptions(indicators: Iterable[Indicator], *, public: bool = False) -> dict[int, str]:
    """What each indicator is read from, in words, by indicator id: police data, casework and manual
    returns as the indicator says; a contract KPI or a grant outcome measure as funding describes it
    (docs/adr/0038), the public site without the contract's reference and supplier. Two queries at most,
    whatever the number of indicators."""
    from joinedup.funding.selectors import kpi_sources, outcome_measure_sources

    indicators = list(indicators)
    kpi_ids = [i.contract_kpi_id for i in indicators if i.source == Source.CONTRACT and i.contract_kpi_id]
    measure_ids = [
        i.outcome_measure_id for i in indicators if i.source == Source.GRANT and i.outcome_measure_id
    ]
    kpis = kpi_sources(ids=kpi_ids) if kpi_ids else {}
    measures = outcome_measure_sources(ids=measure_ids) if measure_ids else {}
    described = {}
    for indicator in indicators:
        if indicator.source not in FUNDING_SOURCES:
            described[indicator.pk] = indicator.measure_label()
            continue
        contract = indicator.source == Source.CONTRACT
        found = (kpis if contract else measures).get(
            (indicator.contract_kpi_id if contract else indicator.outcome_measure_id) or 0
        )
        if found is None:
            described[indicator.pk] = (
                "A contract KPI that has since been removed from its contract or call-off"
                if contract
                else "A grant outcome measure that has since been removed from its grant"
            )
        else:
            described[indicator.pk] = found.public_description if public else found.description
    return described


def source_description(indicator: Indicator, *, public: bool = False) -> str:
    return source_descriptions([indicator], public=public)[indicator.pk]


def funded_source(indicator: Indicator) -> Any:
    """The contract KPI or grant outcome measure a funded indicator reads, as funding describes it
    (`funding.selectors.FigureSource`); None for another source, or when it has been removed."""
    from joinedup.funding.selectors import kpi_sources, outcome_measure_sources

    contract = indicator.source == Source.CONTRACT
    pk = indicator.contract_kpi_id if contract else indicator.outcome_measure_id
    if indicator.source not in FUNDING_SOURCES or pk is None:
        return None
    return (kpi_sources if contract else outcome_measure_sources)(ids=[pk]).get(pk)


def is_averaged(indicator: Indicator, source: Any) -> bool:
    """Whether a period's value is the mean of its figures rather than their sum (docs/adr/0044): a
    percentage, or a funded source's average, rate or length of time (`source`: `funded_source`'s answer)."""
    return indicator.unit == Unit.PERCENT or bool(source is not None and source.averaged)


def funded_method(indicator: Indicator) -> str:
    """How a contract KPI's or a grant outcome measure's figures make a period's value, for the indicator
    page's "How it is counted" (docs/adr/0038, 0044): added up (a count), or averaged (a percentage, an
    average, a rate or a length of time), each return counted equally since a return gives no number of
    cases to weight it by."""
    if indicator.source not in FUNDING_SOURCES:
        return ""
    contract = indicator.source == Source.CONTRACT
    if (indicator.contract_kpi_id if contract else indicator.outcome_measure_id) is None:
        return ""
    returns = (
        "supplier returns" if contract else "accepted monitoring returns (one awaiting review does not count)"
    )
    if is_averaged(indicator, funded_source(indicator)):
        how = (
            "the mean of the figures they give, each return counted equally: the returns give no number of "
            "cases to weight them by, and an average or a percentage does not add up"
        )
    else:
        how = "the sum of the figures they give (a count adds up)"
    return (
        f"Each period's value is worked out from the {returns} whose own period ends in it: {how}. A return "
        "that starts before the period is counted in the period it ends in; a period no return ends in has "
        "no data."
    )


def current_values(indicator: Indicator) -> list[IndicatorValue]:
    return list(indicator.values.filter(current=True).order_by("period_start"))


def value_history(
    indicator: Indicator, period_start: datetime.date | None = None
) -> QuerySet[IndicatorValue]:
    """Every computation, newest first (superseded ones included)."""
    values = indicator.values.order_by("-computed_at", "-period_start")
    return values.filter(period_start=period_start) if period_start else values


def plans_for(*, user: Any) -> list[dict[str, Any]]:
    """The Police and Crime Plans and CSP plans whose reports the user may read, with indicator counts:
    the plans of the user's force areas, the Panel's without CSP plans (rules.py), filtered in the query."""
    from joinedup.csp.models import CspPlan
    from joinedup.partnerships.models import Plan

    if not has_permission(user, "performance.view"):
        return []
    force_areas = force_area_ids(user)
    visible = indicators_for(user=user)
    counts_pcc = dict(
        visible.filter(plan_priority__isnull=False)
        .values_list("plan_priority__plan")
        .annotate(n=Count("pk"))
        .values_list("plan_priority__plan", "n")
    )
    counts_csp = dict(
        visible.filter(csp_priority__isnull=False)
        .values_list("csp_priority__plan")
        .annotate(n=Count("pk"))
        .values_list("csp_priority__plan", "n")
    )
    rows: list[dict[str, Any]] = [
        {"kind": "pcc", "plan": plan, "title": plan.title, "indicators": counts_pcc.get(plan.pk, 0)}
        for plan in Plan.objects.filter(force_area__in=force_areas)
        .select_related("force_area")
        .order_by("-period_start", "pk")
    ]
    if reads_csp_plans(user):
        rows += [
            {
                "kind": "csp",
                "plan": csp_plan,
                "title": f"{csp_plan.title} ({csp_plan.csp.name})",
                "indicators": counts_csp.get(csp_plan.pk, 0),
            }
            for csp_plan in CspPlan.objects.filter(csp__pfa__in=force_areas)
            .select_related("csp")
            .order_by("csp__name", "-period_start")
        ]
    return rows


def may_define_for_plan(user: Any, plan: Any) -> bool:
    """Whether the user may define indicators for a Police and Crime Plan or CSP plan (rules.py judges a
    plan as it judges its indicators)."""
    return has_permission(user, "performance.define", plan)


def get_plan(*, user: Any, kind: str, pk: int, action: str = "performance.view") -> Any:
    from joinedup.csp.models import CspPlan
    from joinedup.partnerships.models import Plan

    if kind not in PLAN_KINDS:
        raise Http404("Not found")
    model: Any = Plan if kind == "pcc" else CspPlan
    plan = model.objects.select_related("force_area" if kind == "pcc" else "csp").filter(pk=pk).first()
    if plan is None or not has_permission(user, action, plan):
        raise Http404("Not found")
    return plan


def plan_priorities(kind: str, plan: Any) -> list[Any]:
    return list(plan.priorities.order_by("order", "pk"))


def latest_quarter(today: datetime.date | None = None) -> Period:
    """The last financial quarter that has ended."""
    today = today or timezone.localdate()
    this = period_containing(today, Frequency.QUARTERLY)
    return period_containing(this.start - datetime.timedelta(days=1), Frequency.QUARTERLY)


def quarter_start(text: str | None) -> datetime.date | None:
    """The first day of the month "YYYY-MM" names, or None when it names none (no guessing, unlike
    `parse_quarter`: a form's services refuse what is not a quarter)."""
    match = re.fullmatch(r"(\d{4})-(\d{2})", (text or "").strip())
    if match is None:
        return None
    try:
        return datetime.date(int(match[1]), int(match[2]), 1)
    except ValueError:
        return None


def parse_quarter(text: str | None, today: datetime.date | None = None) -> Period:
    if not text:
        return latest_quarter(today)
    try:
        day = datetime.date.fromisoformat(f"{text.strip()[:7]}-01")
    except ValueError:
        return latest_quarter(today)
    return period_containing(day, Frequency.QUARTERLY)


@dataclass
class ReportRow:
    indicator: Indicator
    values: list[IndicatorValue]  # the trend: every period ending by the quarter's end
    reported: IndicatorValue | None  # the latest period ending by the quarter's end
    commentary: Commentary | None
    chart: Any = None
    source: str = ""  # what the indicator is read from, in words (source_descriptions)
    # The Panel recommendations made from the indicator that the reader may read, and the Panel's comments
    # on it in this quarter's report, newest first (the staff report's only: never the public page's).
    recommendations: list[Any] = field(default_factory=list)
    comments: list[Any] = field(default_factory=list)


@dataclass
class ReportSection:
    priority: Any
    rows: list[ReportRow] = field(default_factory=list)


@dataclass
class Report:
    kind: str
    plan: Any
    quarter: Period
    sections: list[ReportSection]
    counts: dict[str, int]

    @property
    def title(self) -> str:
        return f"Quarterly performance report: {self.plan.title}"


def plan_report(*, user: Any, kind: str, pk: int, quarter: Period, charts: bool = True) -> Report:
    """Every indicator of a plan's priorities: its trend to the quarter's end, status and commentary."""
    plan = get_plan(user=user, kind=kind, pk=pk)
    priorities = plan_priorities(kind, plan)
    lookup = "plan_priority__in" if kind == "pcc" else "csp_priority__in"
    indicators = list(indicators_for(user=user).filter(**{lookup: priorities}).order_by("name", "pk"))
    return _report(user, kind, plan, priorities, indicators, quarter, charts=charts, commentary=True)


def add_panel_recommendations(*, user: Any, report: Report) -> None:
    """Under each indicator of a Police and Crime Plan's report, the Panel recommendations made from it
    that `user` may read (the Panel scrutinises the Commissioner's plan, not the CSPs'), and the Panel's
    comments on it in the report's quarter (whoever reads the report reads them). Each comment turned into
    a recommendation the user may read carries it as `made_into`. Two queries, whatever the number of
    indicators, recommendations and comments."""
    if report.kind != "pcc":
        return
    rows = [row for section in report.sections for row in section.rows]
    ids = [row.indicator.pk for row in rows]
    found = scrutiny_selectors.panel_recommendations_by_indicator(user=user, indicator_ids=ids)
    comments = scrutiny_selectors.panel_comments_by_indicator(
        user=user, indicator_ids=ids, report_quarter=report.quarter.start
    )
    readable = {item.pk: item for items in found.values() for item in items}
    for row in rows:
        row.recommendations = found.get(row.indicator.pk, [])
        row.comments = comments.get(row.indicator.pk, [])
        for comment in row.comments:
            comment.made_into = readable.get(comment.recommendation_id)  # type: ignore[attr-defined]


def _report(
    reader: Any,
    kind: str,
    plan: Any,
    priorities: list[Any],
    indicators: list[Indicator],
    quarter: Period,
    *,
    charts: bool,
    commentary: bool,
) -> Report:
    """The report of these indicators of a plan, with small casework figures withheld from `reader` unless
    they read casework statistics (an anonymous reader never does)."""
    values: dict[int, list[IndicatorValue]] = {}
    for value in IndicatorValue.objects.filter(
        indicator__in=indicators, current=True, period_end__lte=quarter.end
    ).order_by("period_start"):
        values.setdefault(value.indicator_id, []).append(value)
    commentaries = (
        {(c.indicator_id, c.period_start): c for c in Commentary.objects.filter(indicator__in=indicators)}
        if commentary
        else {}
    )
    by_priority: dict[int, list[ReportRow]] = {}
    counts: dict[str, int] = {}
    sources = source_descriptions(indicators, public=not getattr(reader, "is_authenticated", False))
    for indicator in indicators:
        series = withhold_small_figures(reader, indicator, values.get(indicator.pk, []))
        reported = series[-1] if series else None
        row = ReportRow(
            indicator,
            series,
            reported,
            commentaries.get((indicator.pk, reported.period_start)) if reported else None,
            source=sources[indicator.pk],
        )
        if charts:
            row.chart = indicator_chart(indicator, series)
        status = reported.status if reported else "no_data"
        counts[status] = counts.get(status, 0) + 1
        key = indicator.plan_priority_id if kind == "pcc" else indicator.csp_priority_id
        assert key is not None
        by_priority.setdefault(key, []).append(row)
    sections = [ReportSection(p, by_priority.get(p.pk, [])) for p in priorities]
    return Report(kind, plan, quarter, sections, counts)


# --- the public plan-progress pages -----------------------------------------------------------------------


def public_plans(
    *, force_area_ids: list[int] | None = None, csp_ids: list[int] | None = None
) -> list[dict[str, Any]]:
    """The plans whose progress the public site shows: every Police and Crime Plan (the Commissioner must
    publish it) and the CSP plans their partnership shows on the public pages, each with at least one
    indicator, by force area and CSP; only those of the given force areas and CSPs when given."""
    from joinedup.csp.models import CspPlan
    from joinedup.partnerships.models import Plan

    pcc = Plan.objects.filter(priorities__indicators__isnull=False)
    csp = CspPlan.objects.filter(is_public=True, priorities__indicators__isnull=False)
    if force_area_ids is not None:
        pcc = pcc.filter(force_area__in=force_area_ids)
    if csp_ids is not None:
        csp = csp.filter(csp__in=csp_ids)
    pcc = pcc.distinct().select_related("force_area").order_by("force_area__name", "-period_start", "pk")
    csp = csp.distinct().select_related("csp").order_by("csp__name", "-period_start", "pk")
    return [{"kind": "pcc", "plan": p, "place": p.force_area.name} for p in pcc] + [
        {"kind": "csp", "plan": p, "place": p.csp.name} for p in csp
    ]


def public_report(*, kind: str, pk: int, quarter: Period, charts: bool = True) -> Report:
    """A plan's progress as the public sees it: the same indicators and values as the staff report, small
    casework figures withheld (docs/adr/0013), no owner's commentary (written for the partnership); a CSP
    plan only when its partnership shows it publicly. Anything else is not found."""
    from django.contrib.auth.models import AnonymousUser

    from joinedup.csp.models import CspPlan
    from joinedup.partnerships.models import Plan

    if kind not in PLAN_KINDS:
        raise Http404("Not found")
    plans: Any = (
        Plan.objects.select_related("force_area")
        if kind == "pcc"
        else CspPlan.objects.filter(is_public=True).select_related("csp")
    )
    plan = plans.filter(pk=pk).first()
    if plan is None:
        raise Http404("Not found")
    priorities = plan_priorities(kind, plan)
    lookup = "plan_priority__in" if kind == "pcc" else "csp_priority__in"
    indicators = list(
        Indicator.objects.filter(**{lookup: priorities})
        .select_related("area", "owner")
        .order_by("name", "pk")
    )
    if not indicators:
        raise Http404("Not found")
    return _report(
        AnonymousUser(), kind, plan, priorities, indicators, quarter, charts=charts, commentary=False
    )


SMALL_COUNT_NOTE = gettext_noop(
    "Fewer than 3: counts of 1 or 2 from casework are not shown outside casework (docs/adr/0013)."
)
WITHHELD_NOTE = gettext_noop(
    "Withheld: this percentage is worked out from 1 or 2 casework reports or cases, which are not shown "
    "outside casework (docs/adr/0013)."
)
BASELINE_NOTE = gettext_noop(
    "Target withheld: it is a change on a baseline worked out from 1 or 2 casework reports or cases, which "
    "is not shown outside casework (docs/adr/0013)."
)
# A reason written before the earlier period's figure was left out when small (services.status_for).
_EARLIER_FIGURE = re.compile(r"moving the right way from \S+ the period before")


def withhold_small_figures(
    user: Any, indicator: Indicator, values: Iterable[IndicatorValue]
) -> list[IndicatorValue]:
    """Casework figures that could single someone out, withheld from people who do not read casework
    statistics (the Panel, partners), by the rules of joinedup.core.disclosure (ADR 0013, 0029): a count of
    1 or 2 is "fewer than 3", a percentage of or out of 1 or 2 is "withheld". The value and reason are
    replaced (`withheld` says by what), and a reason never quotes the period before's figure. A target set
    as a change on a small baseline (`detail["baseline_small"]`, services.recompute) is withheld with it
    (`target_withheld`), and the reason, which would quote the target, is replaced. For current values and
    earlier computations alike. The reason's phrases (`detail["reason"]`, reasons.py) are replaced the same
    way; the rows are not saved."""
    values = list(values)
    if indicator.source != Source.CASEWORK or has_permission(user, "casework.statistics"):
        return values
    for value in values:
        label = small_casework_figure(indicator.source, indicator.unit, value.value, value.detail)
        phrases = value.detail.get("reason")
        if label:
            value.value = None
            value.withheld = label  # type: ignore[attr-defined]
            value.reason = SMALL_COUNT_NOTE if label == FEWER_THAN else WITHHELD_NOTE
            phrases = [say(value.reason)]
        else:
            value.reason = _EARLIER_FIGURE.sub(SINCE_BEFORE, value.reason)
            phrases = without_earlier_figure(phrases) if phrases else phrases
        if value.detail.get("baseline_small") and value.target is not None:
            value.target = None
            value.target_withheld = WITHHELD  # type: ignore[attr-defined]
            value.reason = f"{value.reason} {BASELINE_NOTE}" if label else BASELINE_NOTE
            phrases = [*(phrases or []), say(BASELINE_NOTE)] if label else [say(BASELINE_NOTE)]
        if phrases is not None:
            value.detail = {**value.detail, "reason": phrases}
    return values


def indicator_chart(indicator: Indicator, series: list[IndicatorValue]) -> Any:
    from joinedup.core.charts import BLUE, GREY, line_chart

    if not series:
        return None
    labels = [shown_label(Period(v.period_start, v.period_end)) for v in series]
    names = {"indicator": indicator.name}
    return line_chart(
        f"indicator-{indicator.pk}",
        _("%(indicator)s: value and target by period") % names,
        labels,
        [
            (_("Value"), [float(v.value) if v.value is not None else None for v in series], BLUE, ""),
            (_("Target"), [float(v.target) if v.target is not None else None for v in series], GREY, "6 4"),
        ],
        description=_(
            "%(indicator)s by period with its target; periods with no data are gaps. "
            "The same figures are in the table."
        )
        % names,
    )


def quarter_choices(selected: Period, count: int = 12) -> list[dict[str, Any]]:
    """The latest `count` quarters, newest first, for a report's quarter picker."""
    choices = []
    quarter = latest_quarter()
    for _step in range(count):
        choices.append(
            {
                "value": f"{quarter.start:%Y-%m}",
                "label": quarter_label(quarter.start),
                "selected": quarter == selected,
            }
        )
        quarter = period_containing(quarter.start - datetime.timedelta(days=1), "quarterly")
    return choices


def report_csv_rows(report: Report, *, commentary: bool = True) -> list[list[Any]]:
    """The report's values, a row per indicator and period (the owner's commentary too unless told)."""
    rows: list[list[Any]] = [
        [
            "priority",
            "indicator",
            "source",
            "area_code",
            "unit",
            "direction",
            "period_start",
            "period_end",
            "value",
            "target",
            "status",
            "trend",
            "reason",
            "coverage_warning",
            *(["commentary"] if commentary else []),
        ]
    ]
    for section in report.sections:
        for row in section.rows:
            commentaries = (
                {c.period_start: c.text for c in row.indicator.commentaries.all()} if commentary else {}
            )
            for value in row.values:
                rows.append(
                    [
                        section.priority.title,
                        row.indicator.name,
                        row.source,
                        row.indicator.area.code,
                        row.indicator.unit,
                        row.indicator.direction,
                        value.period_start.isoformat(),
                        value.period_end.isoformat(),
                        getattr(value, "withheld", "") if value.value is None else str(value.value),
                        getattr(value, "target_withheld", "") if value.target is None else str(value.target),
                        value.get_status_display(),
                        value.trend,
                        value.reason,
                        value.coverage_warning,
                        *([commentaries.get(value.period_start, "")] if commentary else []),
                    ]
                )
    return rows


def returns_owed(indicator: Indicator, today: datetime.date) -> list[tuple[Period, datetime.date]]:
    """The periods of a manual indicator that have ended with no return yet, each with its due date."""
    from .services import reporting_periods

    if indicator.source != Source.MANUAL:
        return []
    done = set(indicator.returns.values_list("period_start", flat=True))
    return [
        (p, p.end + datetime.timedelta(days=indicator.return_due_days))
        for p in reporting_periods(indicator, today + datetime.timedelta(days=1))
        if p.start not in done
    ]
