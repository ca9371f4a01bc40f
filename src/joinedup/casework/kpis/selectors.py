"""Casework KPIs, as the Sevenoaks partnership measures itself: action within 48 hours, feedback to every
informant who is not anonymous, repeat victims and locations over time, open high-risk cases and overdue
risk assessments. Aggregate queries only: no names, contacts, addresses or descriptions, so analysts may
see them. Counts are over every agency's records, not limited by information-sharing agreements."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.utils import timezone
from django.utils.safestring import SafeString

from joinedup.core.charts import grouped_column_chart
from joinedup.core.models import Area, AreaLevel
from joinedup.core.permissions import has_permission

from ..models import (
    Case,
    CaseAction,
    CaseStatus,
    Incident,
    InformantUpdate,
    PlanStatus,
    ProblemSolvingPlan,
    RiskLevel,
)

ACTION_WITHIN = timedelta(hours=48)


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _month_start(day: date, months_back: int) -> date:
    year, month = divmod(day.month - 1 - months_back, 12)
    return date(day.year + year, month + 1, 1)


def actioned_within_48h() -> Exists:
    """An action was assigned on the incident's case within 48 hours of the report, and was not already
    finished before the report came in."""
    return Exists(
        CaseAction.objects.filter(
            case=OuterRef("case"), created_at__lte=OuterRef("received_at") + ACTION_WITHIN
        ).filter(Q(completed_at__isnull=True) | Q(completed_at__gte=OuterRef("received_at")))
    )


def _needs_feedback() -> Exists:
    return Exists(
        Incident.objects.filter(case=OuterRef("pk"), informant__isnull=False, informant_anonymous=False)
    )


def _has_feedback() -> Exists:
    return Exists(InformantUpdate.objects.filter(case=OuterRef("pk")))


def csp_areas() -> QuerySet[Area]:
    return Area.objects.filter(level=AreaLevel.CSP).order_by("name")


def kpis(
    *, user: Any, csp_code: str | None = None, months: int = 12, now: datetime | None = None
) -> dict[str, Any]:
    """The dashboard's figures for the last `months` months (whole calendar months plus this one)."""
    if not has_permission(user, "casework.statistics"):
        raise Http404("Not found")
    now = now or timezone.now()
    today = timezone.localdate(now)
    start_day = _month_start(today, months - 1)
    start = timezone.make_aware(datetime.combine(start_day, datetime.min.time()))
    incidents = Incident.objects.filter(received_at__gte=start, received_at__lte=now)
    cases = Case.objects.all()
    if csp_code:
        incidents = incidents.filter(area__csp__code=csp_code)
        cases = cases.filter(area__csp__code=csp_code)

    # % actioned within 48 hours: of the reports at least 48 hours old (younger ones may still be).
    # (Counting with a filter on an Exists annotation gives wrong answers on SQLite, so Exists is only ever
    # used in WHERE, with one query per count.)
    settled = incidents.filter(received_at__lte=now - ACTION_WITHIN)
    totals = {"eligible": settled.count(), "actioned": settled.filter(actioned_within_48h()).count()}
    pending = incidents.filter(received_at__gt=now - ACTION_WITHIN).count()

    # % of cases with informant feedback: cases opened in the period with an informant who is not anonymous.
    period_cases = cases.filter(created_at__gte=start, created_at__lte=now).filter(_needs_feedback())
    feedback = {"cases": period_cases.count(), "with_feedback": period_cases.filter(_has_feedback()).count()}

    monthly_rows = {
        row["month"].date() if isinstance(row["month"], datetime) else row["month"]: row
        for row in incidents.annotate(month=TruncMonth("received_at"))
        .values("month")
        .annotate(
            incidents=Count("pk"),
            repeat_victim=Count("pk", filter=Q(repeat_victim=True)),
            repeat_location=Count("pk", filter=Q(repeat_location=True)),
            vulnerable=Count("pk", filter=~Q(vulnerability_indicators=[])),
        )
        .order_by("month")
    }
    monthly = []
    for back in range(months - 1, -1, -1):
        month = _month_start(today, back)
        row: dict[str, Any] = dict(monthly_rows.get(month) or {})
        monthly.append(
            {
                "month": month,
                "incidents": row.get("incidents", 0),
                "repeat_victim": row.get("repeat_victim", 0),
                "repeat_location": row.get("repeat_location", 0),
                "vulnerable": row.get("vulnerable", 0),
            }
        )

    open_cases = cases.filter(status=CaseStatus.OPEN)
    plans = ProblemSolvingPlan.objects.filter(case__in=open_cases, status=PlanStatus.OPEN)
    return {
        "since": start_day,
        "months": months,
        "incidents": incidents.count(),
        "actioned": {
            "eligible": totals["eligible"],
            "actioned": totals["actioned"],
            "percent": _percent(totals["actioned"], totals["eligible"]),
            "pending": pending,
        },
        "feedback": {
            "cases": feedback["cases"],
            "with_feedback": feedback["with_feedback"],
            "percent": _percent(feedback["with_feedback"], feedback["cases"]),
        },
        "monthly": monthly,
        "open_cases": open_cases.count(),
        "open_high_risk": open_cases.filter(risk_level=RiskLevel.HIGH).count(),
        "overdue_assessments": open_cases.filter(risk_assessment_due_at__lt=now).count(),
        "open_plans": plans.count(),
        "overdue_plan_reviews": plans.filter(next_review_due__lt=today).count(),
    }


def kpis_by_csp(
    *, user: Any, months: int = 12, now: datetime | None = None, action: str = "casework.statistics"
) -> list[dict[str, Any]]:
    """One row per CSP with any casework, in a fixed number of queries. `action` is the rule the caller
    reads them under: the Panel's ("csp.panel.kpis") shows them only with small counts suppressed."""
    if not has_permission(user, action):
        raise Http404("Not found")
    now = now or timezone.now()
    start = timezone.make_aware(
        datetime.combine(_month_start(timezone.localdate(now), months - 1), datetime.min.time())
    )
    key = ("area__csp__code", "area__csp__name")
    rows: dict[str, dict[str, Any]] = {}

    def row(values: dict[str, Any]) -> dict[str, Any]:
        code = values["area__csp__code"]
        return rows.setdefault(
            code,
            {
                "code": code,
                "name": values["area__csp__name"],
                "incidents": 0,
                "eligible": 0,
                "actioned": 0,
                "feedback_cases": 0,
                "with_feedback": 0,
                "repeat_victim": 0,
                "repeat_location": 0,
                "open_high_risk": 0,
                "overdue_assessments": 0,
            },
        )

    incidents = Incident.objects.filter(received_at__gte=start, received_at__lte=now, area__csp__isnull=False)
    for values in (
        incidents.values(*key)
        .annotate(
            incidents=Count("pk"),
            eligible=Count("pk", filter=Q(received_at__lte=now - ACTION_WITHIN)),
            repeat_victim=Count("pk", filter=Q(repeat_victim=True)),
            repeat_location=Count("pk", filter=Q(repeat_location=True)),
        )
        .order_by()
    ):
        row(values).update(
            incidents=values["incidents"],
            eligible=values["eligible"],
            repeat_victim=values["repeat_victim"],
            repeat_location=values["repeat_location"],
        )
    actioned = incidents.filter(received_at__lte=now - ACTION_WITHIN).filter(actioned_within_48h())
    for values in actioned.values(*key).annotate(n=Count("pk")).order_by():
        row(values)["actioned"] = values["n"]
    cases = Case.objects.filter(area__csp__isnull=False)
    needing = cases.filter(created_at__gte=start).filter(_needs_feedback())
    for values in needing.values(*key).annotate(n=Count("pk")).order_by():
        row(values)["feedback_cases"] = values["n"]
    for values in needing.filter(_has_feedback()).values(*key).annotate(n=Count("pk")).order_by():
        row(values)["with_feedback"] = values["n"]
    for values in (
        cases.filter(status=CaseStatus.OPEN)
        .values(*key)
        .annotate(
            high=Count("pk", filter=Q(risk_level=RiskLevel.HIGH)),
            overdue=Count("pk", filter=Q(risk_assessment_due_at__lt=now)),
        )
        .order_by()
    ):
        row(values).update(open_high_risk=values["high"], overdue_assessments=values["overdue"])
    result = sorted(rows.values(), key=lambda r: r["name"])
    for item in result:
        item["actioned_percent"] = _percent(item["actioned"], item["eligible"])
        item["feedback_percent"] = _percent(item["with_feedback"], item["feedback_cases"])
    return result


def bar_chart(rows: list[dict[str, Any]], series: tuple[tuple[str, str], ...]) -> SafeString:
    """The monthly chart (core/charts.py): one group per month, one column per series, the second hatched,
    with the numbers in the table beside it."""
    groups = [
        (
            f"{r['month']:%b}",
            [(r[key], f"{r['month']:%b %Y}: {r[key]} {label.lower()}") for key, label in series],
        )
        for r in rows
    ]
    return grouped_column_chart(
        "chart",
        "Repeat victim and repeat location reports by month; the numbers are in the table below",
        groups,
        description=f"Solid columns: {series[0][1]}. Hatched columns: {series[1][1]}.",
    )
