"""Staff pages: plans and their indicators, an indicator's values, manual returns, commentary, and the
quarterly performance report (page, CSV, PDF). Thin: the rules are in services.py and selectors.py."""

from __future__ import annotations

import csv
import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from joinedup.core.audit import record_event
from joinedup.core.exports import spreadsheet_safe
from joinedup.core.forms import form_page
from joinedup.core.models import EventType
from joinedup.core.pdf import pdf_response
from joinedup.core.permissions import has_permission
from joinedup.core.services.errors import NotAllowed
from joinedup.core.views.base import deny, staff_user, staff_view
from joinedup.insight.selectors import police_measure_method
from joinedup.scrutiny import selectors as scrutiny_selectors
from joinedup.scrutiny import services as scrutiny_services

from . import selectors, services
from .forms import CommentaryForm, IndicatorForm, PanelCommentForm, PanelRecommendationForm, ReturnForm
from .models import Source
from .periods import Period, quarter_label


@staff_view("performance.view")
def index(request: HttpRequest) -> HttpResponse:
    plans = selectors.plans_for(user=request.user)
    for row in plans:
        row["can_define"] = selectors.may_define_for_plan(request.user, row["plan"])
    return render(request, "performance/index.html", {"plans": plans})


def _report_context(request: HttpRequest, kind: str, pk: int, charts: bool = True) -> dict[str, Any]:
    quarter = selectors.parse_quarter(request.GET.get("quarter"))
    report = selectors.plan_report(user=request.user, kind=kind, pk=pk, quarter=quarter, charts=charts)
    return {
        "report": report,
        "kind": kind,
        "quarter_label": quarter_label(quarter.start),
        "quarters": selectors.quarter_choices(quarter),
        "can_define": selectors.may_define_for_plan(request.user, report.plan),
        # The Panel scrutinises the Commissioner's plan: its report links to recording a recommendation.
        "can_recommend": kind == "pcc"
        and has_permission(request.user, "csp.panel.recommend", report.plan.force_area),
        "generated": timezone.localtime(),
    }


@staff_view("performance.view")
def plan_report(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    context = _report_context(request, kind, pk)
    selectors.add_panel_recommendations(user=request.user, report=context["report"])
    return render(request, "performance/report.html", context)


@staff_view("performance.view")
def plan_report_csv(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    context = _report_context(request, kind, pk, charts=False)
    report = context["report"]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="performance-{kind}-{pk}-{report.quarter.start:%Y-%m}.csv"'
    )
    # Not streamed (the report is one plan's indicators), but every cell spreadsheet-safe: a name, reason or
    # commentary starting with = + - @ would otherwise run as a formula when the file is opened.
    writer = csv.writer(response)
    writer.writerows([spreadsheet_safe(cell) for cell in row] for row in selectors.report_csv_rows(report))
    record_event(
        EventType.EXPORT,
        request=request,
        object_type=f"performance.{kind}_plan",
        object_id=str(pk),
        detail={"format": "csv"},
    )
    return response


@staff_view("performance.view")
def plan_report_pdf(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    context = _report_context(request, kind, pk)
    report = context["report"]
    selectors.add_panel_recommendations(user=request.user, report=report)
    return pdf_response(
        request,
        template="performance/report_print.html",
        context=context,
        filename=f"performance-report-{report.plan.title}-{report.quarter.start:%Y-%m}",
        object_type=f"performance.{kind}_plan",
        object_id=pk,
    )


@staff_view("performance.define")
def indicator_create(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    plan = selectors.get_plan(user=request.user, kind=kind, pk=pk, action="performance.define")
    priorities = selectors.plan_priorities(kind, plan)
    form = IndicatorForm(
        request.POST or None, priorities=priorities, user=request.user, initial=request.GET.dict() or None
    )

    def save(f: IndicatorForm) -> Any:
        priority = next((p for p in priorities if p.pk == f.cleaned_data["priority"]), None)
        if priority is None:
            raise ValidationError({"priority": "Choose the priority the indicator measures."})
        return services.define_indicator(actor=request.user, priority=priority, data=f.service_data())

    return form_page(
        request,
        form,
        save,
        "The indicator has been added and its values worked out.",
        done=_indicator_url,
        template="performance/form.html",
        context={
            "title": f"Add an indicator — {plan.title}",
            "back": f"/staff/performance/plans/{kind}/{pk}/report/",
        },
    )


def _indicator_url(indicator: Any) -> str:
    return reverse("performance:indicator-detail", args=[indicator.pk])


@staff_view("performance.view")
def indicator_detail(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = selectors.get_indicator(user=request.user, pk=pk)
    values = selectors.withhold_small_figures(request.user, indicator, selectors.current_values(indicator))
    today = timezone.localdate()
    return render(
        request,
        "performance/indicator_detail.html",
        {
            "indicator": indicator,
            "values": values,
            "periods": {v.pk: Period(v.period_start, v.period_end).label for v in values},
            "chart": selectors.indicator_chart(indicator, values),
            "history": selectors.withhold_small_figures(
                request.user, indicator, selectors.value_history(indicator).exclude(current=True)[:50]
            ),
            "returns": indicator.returns.select_related("organisation").order_by("-period_start"),
            "owed": selectors.returns_owed(indicator, today),
            "is_manual": indicator.source == Source.MANUAL,
            "source_description": selectors.source_description(indicator),
            "method": police_measure_method(indicator.police_measure)
            if indicator.source == Source.POLICE
            else selectors.funded_method(indicator),
            "can_return": has_permission(request.user, "performance.return", indicator),
            "can_define": has_permission(request.user, "performance.define", indicator),
        },
    )


def _recommending_indicator(request: HttpRequest, pk: int) -> Any:
    """An indicator of the Police and Crime Plan the user reads, in a force area where they may record
    the Panel's recommendations (and comments); anything else is not found."""
    indicator = selectors.get_indicator(user=request.user, pk=pk)
    if indicator.plan_priority_id is None or not has_permission(
        request.user, "csp.panel.recommend", indicator.force_area
    ):
        raise deny(request, "csp.panel.recommend", obj=indicator)
    return indicator


def _report_url(indicator: Any, quarter_start: datetime.date, anchor: bool = False) -> str:
    plan_id = indicator.plan_priority.plan_id
    url = reverse("performance:plan-report", args=["pcc", plan_id]) + f"?quarter={quarter_start:%Y-%m}"
    return f"{url}#indicator-{indicator.pk}" if anchor else url


def _recommendation_page(
    request: HttpRequest, indicator: Any, quarter_start: datetime.date, comment: Any = None
) -> HttpResponse:
    """The recommendation form about one indicator of the report (prefilled from a Panel comment when
    made from one); csp's service records it with the indicator and quarter, and links the comment."""
    initial = {"recommendation": comment.text} if comment is not None else None
    plan = indicator.plan_priority.plan
    intro = (
        f"To the Commissioner, from the performance report for {quarter_label(quarter_start)} on "
        f"{plan.title}. It is recorded with today's date."
    )
    if comment is not None:
        intro += " It starts from the Panel's comment below; the comment will link to it."
    return form_page(
        request,
        PanelRecommendationForm(request.POST or None, initial=initial),
        lambda f: scrutiny_services.create_panel_recommendation(
            actor=staff_user(request),
            force_area=indicator.force_area,
            data={**f.service_data(), "made_on": timezone.localdate()},
            indicator=indicator,
            report_quarter=quarter_start,
            comment=comment,
        ),
        "The recommendation has been recorded.",
        done=lambda saved: reverse("scrutiny:panel-detail", args=[saved.pk]),
        template="performance/form.html",
        context={
            "title": f"Make a recommendation about {indicator.name}",
            "intro": intro,
            "back": _report_url(indicator, quarter_start),
            "hidden": {} if comment is not None else {"quarter": f"{quarter_start:%Y-%m}"},
        },
    )


@staff_view("csp.panel.recommend")
def indicator_recommend(request: HttpRequest, pk: int) -> HttpResponse:
    """A Panel member's recommendation to the Commissioner about one indicator of the Police and Crime
    Plan's quarterly report, recorded by the csp app with the indicator and quarter it came from."""
    indicator = _recommending_indicator(request, pk)
    quarter = selectors.parse_quarter(request.POST.get("quarter") or request.GET.get("quarter"))
    return _recommendation_page(request, indicator, quarter.start)


@staff_view("csp.panel.recommend")
def indicator_comment(request: HttpRequest, pk: int) -> HttpResponse:
    """A Panel member's comment on one indicator of the Police and Crime Plan's quarterly report, for the
    report's quarter. Kept as the Panel's record: never changed or deleted (csp's service)."""
    indicator = _recommending_indicator(request, pk)
    if request.method == "POST":
        # As posted: a quarter that is missing or not a quarter is refused with the other problems.
        report_quarter = selectors.quarter_start(request.POST.get("quarter"))
    else:
        report_quarter = selectors.parse_quarter(request.GET.get("quarter")).start
    shown = report_quarter or selectors.latest_quarter().start
    return form_page(
        request,
        PanelCommentForm(request.POST or None),
        lambda f: scrutiny_services.add_panel_comment(
            actor=staff_user(request),
            indicator=indicator,
            report_quarter=report_quarter,
            text=f.cleaned_data["text"],
        ),
        "Your comment has been added to the report.",
        done=lambda saved: _report_url(indicator, saved.report_quarter, anchor=True),
        template="performance/form.html",
        context={
            "title": f"Comment on {indicator.name}",
            "intro": f"On the performance report for {quarter_label(shown)} on "
            f"{indicator.plan_priority.plan.title}. Everyone who reads the report reads the comment, "
            "with your name and role.",
            "back": _report_url(indicator, shown, anchor=True),
            "hidden": {
                "quarter": request.POST.get("quarter", "") if request.method == "POST" else f"{shown:%Y-%m}"
            },
        },
    )


@staff_view("csp.panel.recommend")
def comment_recommend(request: HttpRequest, pk: int) -> HttpResponse:
    """Turn a Panel comment into a recommendation: the recommendation form, prefilled with the comment's
    text, about its indicator and quarter. A comment already turned goes to its recommendation."""
    comment = scrutiny_selectors.get_panel_comment(user=staff_user(request), pk=pk)
    if comment.indicator_id is None:
        raise deny(request, "csp.panel.recommend", obj=comment)
    indicator = _recommending_indicator(request, comment.indicator_id)
    if request.method != "POST" and comment.recommendation_id is not None:
        messages.info(request, "This comment has already been turned into a recommendation.")
        return redirect("scrutiny:panel-detail", pk=comment.recommendation_id)
    return _recommendation_page(request, indicator, comment.report_quarter, comment=comment)


@staff_view("performance.view")
def return_create(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = selectors.get_indicator(user=request.user, pk=pk)
    if not has_permission(request.user, "performance.return"):
        raise deny(request, "performance.return", obj=indicator)
    return form_page(
        request,
        ReturnForm(request.POST or None, initial={"period_start": request.GET.get("period", "")}),
        lambda f: services.submit_return(
            actor=request.user,
            indicator=indicator,
            period_start=f.cleaned_data["period_start"],
            value=f.cleaned_data["value"],
            note=f.cleaned_data["note"],
        ),
        "Your return has been recorded and the indicator's value worked out again.",
        done=lambda _: _indicator_url(indicator),
        template="performance/form.html",
        context={
            "title": f"Send a return — {indicator.name}",
            "intro": f"{indicator.definition} Unit: {indicator.get_unit_display().lower()}.",
            "back": f"/staff/performance/indicators/{indicator.pk}/",
        },
    )


@staff_view("performance.return")
def commentary_edit(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = selectors.get_indicator(user=request.user, pk=pk)
    if not has_permission(request.user, "performance.return", indicator):
        raise deny(request, "performance.return", obj=indicator)
    try:
        period_start = datetime.date.fromisoformat(
            request.GET.get("period") or request.POST.get("period", "")
        )
    except ValueError:
        values = selectors.current_values(indicator)
        period_start = values[-1].period_start if values else indicator.baseline_from
    existing = indicator.commentaries.filter(period_start=period_start).first()
    return form_page(
        request,
        CommentaryForm(request.POST or None, initial={"text": existing.text if existing else ""}),
        lambda f: services.save_commentary(
            actor=request.user, indicator=indicator, period_start=period_start, text=f.cleaned_data["text"]
        ),
        "The commentary has been saved.",
        done=lambda _: _indicator_url(indicator),
        template="performance/form.html",
        context={
            "title": f"Commentary on {indicator.name}, period starting {period_start:%-d %B %Y}",
            "back": f"/staff/performance/indicators/{indicator.pk}/",
            "hidden": {"period": period_start.isoformat()},
        },
    )


@require_POST
@staff_view("performance.define")
def indicator_recompute(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = selectors.get_indicator(user=request.user, pk=pk)
    if not has_permission(request.user, "performance.define", indicator):
        raise deny(request, "performance.define", obj=indicator)
    try:
        result = services.recompute(indicators=selectors.indicators_for(user=request.user).filter(pk=pk))
    except NotAllowed:
        raise deny(request, "performance.define", obj=indicator) from None
    messages.success(request, f"Worked out again: {result.written} value(s) changed.")
    return redirect("performance:indicator-detail", pk=pk)
