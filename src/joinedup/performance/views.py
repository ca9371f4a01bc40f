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
from django.utils import timezone
from django.views.decorators.http import require_POST

from joinedup.core.audit import record_event
from joinedup.core.exports import spreadsheet_safe
from joinedup.core.forms import save_form
from joinedup.core.models import EventType
from joinedup.core.pdf import pdf_response
from joinedup.core.permissions import has_permission
from joinedup.core.services.errors import NotAllowed
from joinedup.core.views.base import deny, staff_view
from joinedup.csp import services as csp_services

from . import selectors, services
from .forms import CommentaryForm, IndicatorForm, PanelRecommendationForm, ReturnForm
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

    saved, status = save_form(request, form, save, "The indicator has been added and its values worked out.")
    if saved:
        return redirect("performance:indicator-detail", pk=saved.pk)
    return render(
        request,
        "performance/form.html",
        {
            "form": form,
            "title": f"Add an indicator — {plan.title}",
            "back": f"/staff/performance/plans/{kind}/{pk}/report/",
        },
        status=status,
    )


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
            "can_return": has_permission(request.user, "performance.return", indicator),
            "can_define": has_permission(request.user, "performance.define", indicator),
        },
    )


@staff_view("csp.panel.recommend")
def indicator_recommend(request: HttpRequest, pk: int) -> HttpResponse:
    """A Panel member's recommendation to the Commissioner about one indicator of the Police and Crime
    Plan's quarterly report, recorded by the csp app with the indicator and quarter it came from."""
    indicator = selectors.get_indicator(user=request.user, pk=pk)
    if indicator.plan_priority_id is None or not has_permission(
        request.user, "csp.panel.recommend", indicator.force_area
    ):
        raise deny(request, "csp.panel.recommend", obj=indicator)
    quarter = selectors.parse_quarter(request.POST.get("quarter") or request.GET.get("quarter"))
    form = PanelRecommendationForm(request.POST or None)
    saved, status = save_form(
        request,
        form,
        lambda f: csp_services.create_panel_recommendation(
            actor=request.user,
            force_area=indicator.force_area,
            data={**f.service_data(), "made_on": timezone.localdate()},
            indicator=indicator,
            report_quarter=quarter.start,
        ),
        "The recommendation has been recorded.",
    )
    if saved:
        return redirect("csp:panel-detail", pk=saved.pk)
    plan = indicator.plan_priority.plan  # type: ignore[union-attr]
    return render(
        request,
        "performance/form.html",
        {
            "form": form,
            "title": f"Make a recommendation about {indicator.name}",
            "intro": f"To the Commissioner, from the performance report for {quarter_label(quarter.start)} "
            f"on {plan.title}. It is recorded with today's date.",
            "back": f"/staff/performance/plans/pcc/{plan.pk}/report/?quarter={quarter.start:%Y-%m}",
            "hidden": {"quarter": f"{quarter.start:%Y-%m}"},
        },
        status=status,
    )


@staff_view("performance.view")
def return_create(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = selectors.get_indicator(user=request.user, pk=pk)
    if not has_permission(request.user, "performance.return"):
        raise deny(request, "performance.return", obj=indicator)
    form = ReturnForm(request.POST or None, initial={"period_start": request.GET.get("period", "")})
    saved, status = save_form(
        request,
        form,
        lambda f: services.submit_return(
            actor=request.user,
            indicator=indicator,
            period_start=f.cleaned_data["period_start"],
            value=f.cleaned_data["value"],
            note=f.cleaned_data["note"],
        ),
        "Your return has been recorded and the indicator's value worked out again.",
    )
    if saved:
        return redirect("performance:indicator-detail", pk=indicator.pk)
    return render(
        request,
        "performance/form.html",
        {
            "form": form,
            "title": f"Send a return — {indicator.name}",
            "intro": f"{indicator.definition} Unit: {indicator.get_unit_display().lower()}.",
            "back": f"/staff/performance/indicators/{indicator.pk}/",
        },
        status=status,
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
    form = CommentaryForm(request.POST or None, initial={"text": existing.text if existing else ""})
    saved, status = save_form(
        request,
        form,
        lambda f: services.save_commentary(
            actor=request.user, indicator=indicator, period_start=period_start, text=f.cleaned_data["text"]
        ),
        "The commentary has been saved.",
    )
    if saved:
        return redirect("performance:indicator-detail", pk=indicator.pk)
    return render(
        request,
        "performance/form.html",
        {
            "form": form,
            "title": f"Commentary on {indicator.name}, period starting {period_start:%-d %B %Y}",
            "back": f"/staff/performance/indicators/{indicator.pk}/",
            "hidden": {"period": period_start.isoformat()},
        },
        status=status,
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
