"""Staff pages: the compliance grid, duties due, a CSP's duties, DHRs and the Panel's recommendations."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from joinedup.core.history import field_history
from joinedup.core.models import Area, AreaLevel, Organisation
from joinedup.core.permissions import has_permission
from joinedup.core.services.errors import ConflictError
from joinedup.core.views.base import deny, get_allowed_object, staff_view

from . import selectors, services
from .duties import DUTIES_BY_KEY, STATUTORY_DUTIES, current_year, year_label
from .forms import (
    ActionForm,
    ActionUpdateForm,
    DhrForm,
    DhrRecommendationForm,
    DutyRecordForm,
    PanelRecommendationForm,
    PanelResponseForm,
    PlanForm,
    PriorityForm,
    RequirementForm,
    RequirementResponseForm,
    VersionedForm,
)
from .models import (
    CspAction,
    CspPlan,
    CspPriority,
    DhrRecommendation,
    DomesticHomicideReview,
    DutyRecord,
    PanelRecommendation,
    ReportRequirement,
)


def _csp_or_404(request: HttpRequest, code: str, action: str) -> Area:
    csp = Area.objects.filter(level=AreaLevel.CSP, code=code).select_related("pfa").first()
    if csp is None or not has_permission(request.user, action, csp):
        raise deny(request, action, obj=csp)
    return csp


def _year(request: HttpRequest) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return current_year(timezone.localdate())
    return year if 2000 <= year <= 2100 else current_year(timezone.localdate())


def _save(request: HttpRequest, form: VersionedForm, save: Any, success: str) -> tuple[Any, int]:
    """Run a service from a valid form; show its errors on the form. Returns (saved object or None, status)."""
    if request.method != "POST" or not form.is_valid():
        return None, 200
    try:
        saved = save(form)
    except ValidationError as exc:
        form.add_service_errors(exc.message_dict)
        return None, 200
    except ConflictError as exc:
        form.add_error(None, str(exc))
        return None, 409
    messages.success(request, success)
    return saved, 200


def _form_page(
    request: HttpRequest, form: VersionedForm, title: str, back: str, status: int = 200
) -> HttpResponse:
    return render(request, "csp/form.html", {"form": form, "title": title, "back": back}, status=status)


# --- duties -------------------------------------------------------------------------------------------


@staff_view("csp.view")
def grid(request: HttpRequest) -> HttpResponse:
    force_areas = list(selectors.force_areas_for(request.user))
    code = request.GET.get("force_area")
    force_area = next((a for a in force_areas if a.code == code), force_areas[0] if force_areas else None)
    year = _year(request)
    today = timezone.localdate()
    rows = (
        selectors.compliance_grid(user=request.user, force_area=force_area, year=year, today=today)
        if force_area
        else []
    )
    return render(
        request,
        "csp/grid.html",
        {
            "force_areas": force_areas,
            "force_area": force_area,
            "year": year,
            "year_label": year_label(year),
            "years": range(year - 2, year + 2),
            "duties": STATUTORY_DUTIES,
            "rows": rows,
        },
    )


@staff_view("csp.view")
def due(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    records = list(selectors.duties_due(user=request.user, today=today))
    return render(
        request,
        "csp/due.html",
        {"items": selectors.duty_cells(records, today=today), "days": selectors.DUE_SOON_DAYS},
    )


@staff_view("csp.view")
def csp_detail(request: HttpRequest, code: str) -> HttpResponse:
    csp = _csp_or_404(request, code, "csp.view")
    year = _year(request)
    today = timezone.localdate()
    records = list(
        DutyRecord.objects.restrict(request.user, "csp.view")
        .filter(csp=csp, year=year)
        .prefetch_related("signed_off_by")
        .order_by("due_date", "duty")
    )
    return render(
        request,
        "csp/csp_detail.html",
        {
            "csp": csp,
            "year": year,
            "year_label": year_label(year),
            "years": range(year - 2, year + 2),
            "authorities": selectors.authority_check(csp),
            "items": selectors.duty_cells(records, today=today),
            "missing_duties": len(STATUTORY_DUTIES) - len(records),
            "dhrs": selectors.list_dhrs(user=request.user).filter(csp=csp)
            if has_permission(request.user, "csp.dhr.view")
            else None,
            "can_change": has_permission(request.user, "csp.change", csp),
            "can_add_dhr": has_permission(request.user, "csp.dhr.change", csp),
            "plans": CspPlan.objects.restrict(request.user, "csp.view").filter(csp=csp),
            "can_require_report": has_permission(request.user, "csp.reports.require", csp),
        },
    )


@require_POST
@staff_view("csp.change")
def duty_year_start(request: HttpRequest, code: str) -> HttpResponse:
    csp = _csp_or_404(request, code, "csp.change")
    try:
        year = int(request.POST.get("year") or current_year(timezone.localdate()))
    except ValueError:
        year = 0
    try:
        created = services.start_duty_year(actor=request.user, csp=csp, year=year)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"{len(created)} duties added for {year_label(year)}.")
    return redirect(reverse("csp:csp-detail", kwargs={"code": csp.code}) + f"?year={year}")


@staff_view("csp.view")
def duty_detail(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_allowed_object(
        request, DutyRecord.objects.select_related("csp").prefetch_related("signed_off_by"), "csp.view", pk=pk
    )
    cell = selectors.duty_cell(
        DUTIES_BY_KEY[record.duty], record, today=timezone.localdate(), year_label=record.year_label
    )
    return render(
        request,
        "csp/duty_detail.html",
        {
            "record": record,
            "duty": DUTIES_BY_KEY[record.duty],
            "cell": cell,
            "history": field_history(record),
            "can_change": has_permission(request.user, "csp.change", record),
        },
    )


@staff_view("csp.change")
def duty_edit(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_allowed_object(request, DutyRecord.objects.select_related("csp"), "csp.change", pk=pk)
    authorities = (
        Organisation.objects.exclude(responsible_authority="")
        .filter(areas__in=selectors.areas_covering(record.csp))
        .distinct()
    )
    initial = {
        "version": record.version,
        "signed_off_by": list(record.signed_off_by.all()),
        **{name: getattr(record, name) for name in services.DUTY_FIELDS},
    }
    form = DutyRecordForm(request.POST or None, initial=initial, authorities=authorities)
    saved, status = _save(
        request,
        form,
        lambda f: services.update_duty_record(
            actor=request.user,
            record=record,
            expected_version=f.cleaned_data["version"] or 0,
            data=f.service_data(),
        ),
        "The duty record has been saved.",
    )
    if saved:
        return redirect("csp:duty-detail", pk=record.pk)
    return _form_page(
        request, form, f"{record} — {record.csp.name}", f"/staff/csp/duties/{record.pk}/", status
    )


# --- domestic homicide reviews -------------------------------------------------------------------------


@staff_view("csp.dhr.view")
def dhr_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    reviews = [(r, selectors.overdue_stages(r, today=today)) for r in selectors.list_dhrs(user=request.user)]
    return render(request, "csp/dhr_list.html", {"reviews": reviews})


@staff_view("csp.dhr.view")
def dhr_detail(request: HttpRequest, pk: int) -> HttpResponse:
    review = get_allowed_object(
        request, DomesticHomicideReview.objects.select_related("csp"), "csp.dhr.view", pk=pk
    )
    return render(
        request,
        "csp/dhr_detail.html",
        {
            "review": review,
            "stages": selectors.dhr_stages(review, today=timezone.localdate()),
            "recommendations": review.recommendations.select_related("agency"),
            "history": field_history(review),
            "can_change": has_permission(request.user, "csp.dhr.change", review),
        },
    )


@staff_view("csp.dhr.change")
def dhr_create(request: HttpRequest, code: str) -> HttpResponse:
    csp = _csp_or_404(request, code, "csp.dhr.change")
    form = DhrForm(request.POST or None)
    saved, status = _save(
        request,
        form,
        lambda f: services.create_dhr(actor=request.user, csp=csp, data=f.service_data()),
        "The review has been added to the register.",
    )
    if saved:
        return redirect("csp:dhr-detail", pk=saved.pk)
    return _form_page(
        request, form, f"Add a domestic homicide review — {csp.name}", f"/staff/csp/{csp.code}/", status
    )


@staff_view("csp.dhr.change")
def dhr_edit(request: HttpRequest, pk: int) -> HttpResponse:
    review = get_allowed_object(request, DomesticHomicideReview.objects.all(), "csp.dhr.change", pk=pk)
    initial = {"version": review.version, **{n: getattr(review, n) for n in services.DHR_FIELDS}}
    form = DhrForm(request.POST or None, initial=initial)
    saved, status = _save(
        request,
        form,
        lambda f: services.update_dhr(
            actor=request.user,
            review=review,
            expected_version=f.cleaned_data["version"] or 0,
            data=f.service_data(),
        ),
        "Your changes have been saved.",
    )
    if saved:
        return redirect("csp:dhr-detail", pk=review.pk)
    return _form_page(request, form, f"Edit {review.case_reference}", f"/staff/csp/dhrs/{review.pk}/", status)


@staff_view("csp.dhr.change")
def dhr_recommendation_create(request: HttpRequest, pk: int) -> HttpResponse:
    review = get_allowed_object(request, DomesticHomicideReview.objects.all(), "csp.dhr.change", pk=pk)
    form = DhrRecommendationForm(request.POST or None)
    saved, status = _save(
        request,
        form,
        lambda f: services.add_dhr_recommendation(actor=request.user, review=review, data=f.service_data()),
        "The recommendation has been added.",
    )
    if saved:
        return redirect("csp:dhr-detail", pk=review.pk)
    return _form_page(
        request,
        form,
        f"Add a recommendation — {review.case_reference}",
        f"/staff/csp/dhrs/{review.pk}/",
        status,
    )


@staff_view("csp.dhr.change")
def dhr_recommendation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    queryset = DhrRecommendation.objects.filter(
        review__in=DomesticHomicideReview.objects.restrict(request.user, "csp.dhr.change")
    ).select_related("review")
    item = _get(request, queryset, pk)
    initial = {"version": item.version, **{n: getattr(item, n) for n in services.DHR_RECOMMENDATION_FIELDS}}
    form = DhrRecommendationForm(request.POST or None, initial=initial)
    saved, status = _save(
        request,
        form,
        lambda f: services.update_dhr_recommendation(
            actor=request.user,
            item=item,
            expected_version=f.cleaned_data["version"] or 0,
            data=f.service_data(),
        ),
        "Your changes have been saved.",
    )
    if saved:
        return redirect("csp:dhr-detail", pk=item.review_id)
    return _form_page(request, form, "Edit a recommendation", f"/staff/csp/dhrs/{item.review_id}/", status)


def _get(request: HttpRequest, queryset: Any, pk: int) -> Any:
    item = queryset.filter(pk=pk).first()
    if item is None:
        raise deny(request, "csp.dhr.change")
    return item


# --- Police and Crime Panel ------------------------------------------------------------------------------


@staff_view("csp.panel.view")
def panel_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "csp/panel_list.html",
        {
            "recommendations": selectors.list_panel_recommendations(user=request.user),
            "can_recommend": has_permission(request.user, "csp.panel.recommend"),
        },
    )


@staff_view("csp.panel.view")
def panel_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_allowed_object(
        request, PanelRecommendation.objects.select_related("force_area", "csp"), "csp.panel.view", pk=pk
    )
    return render(
        request,
        "csp/panel_detail.html",
        {
            "item": item,
            "history": field_history(item),
            "can_change": has_permission(request.user, "csp.panel.recommend", item)
            or has_permission(request.user, "csp.panel.respond", item),
        },
    )


@staff_view("csp.panel.recommend")
def panel_create(request: HttpRequest) -> HttpResponse:
    force_area = selectors.force_areas_for(request.user).first()
    if force_area is None:
        raise deny(request, "csp.panel.recommend")
    form = PanelRecommendationForm(request.POST or None, csps=selectors.csps_for(request.user, force_area))
    saved, status = _save(
        request,
        form,
        lambda f: services.create_panel_recommendation(
            actor=request.user, force_area=force_area, data=f.service_data()
        ),
        "The recommendation has been recorded.",
    )
    if saved:
        return redirect("csp:panel-detail", pk=saved.pk)
    return _form_page(
        request, form, f"Record a recommendation to the PCC — {force_area.name}", "/staff/csp/panel/", status
    )


@staff_view("csp.panel.view")
def panel_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_allowed_object(request, PanelRecommendation.objects.all(), "csp.panel.view", pk=pk)
    user = request.user
    form: VersionedForm
    fields: tuple[str, ...]
    if has_permission(user, "csp.panel.recommend", item):
        fields = services.PANEL_FIELDS
        form_class: Any = PanelRecommendationForm
        extra: dict[str, Any] = {"csps": selectors.csps_for(user, item.force_area)}
        title = f"Edit {item.title}"
    elif has_permission(user, "csp.panel.respond", item):
        fields, form_class, extra = services.RESPONSE_FIELDS, PanelResponseForm, {}
        title = f"Record the PCC's response — {item.title}"
    else:
        raise deny(request, "csp.panel.respond", obj=item)
    initial = {"version": item.version, **{n: getattr(item, n) for n in fields}}
    form = form_class(request.POST or None, initial=initial, **extra)
    saved, status = _save(
        request,
        form,
        lambda f: services.update_panel_recommendation(
            actor=user, item=item, expected_version=f.cleaned_data["version"] or 0, data=f.service_data()
        ),
        "Your changes have been saved.",
    )
    if saved:
        return redirect("csp:panel-detail", pk=item.pk)
    return _form_page(request, form, title, f"/staff/csp/panel/{item.pk}/", status)


# --- partnership plans ----------------------------------------------------------------------------------


def _plan_queryset() -> Any:
    return CspPlan.objects.select_related("csp", "police_and_crime_plan")


@staff_view("csp.view")
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_allowed_object(request, _plan_queryset(), "csp.view", pk=pk)
    priorities = plan.priorities.select_related("assessment").prefetch_related(
        "pcc_priorities", "actions__owner", "actions__updates"
    )
    return render(
        request,
        "csp/plan_detail.html",
        {
            "plan": plan,
            "priorities": priorities,
            "matrix": selectors.regard_matrix(plan),
            "progress": selectors.plan_progress(plan),
            "history": field_history(plan),
            "can_change": has_permission(request.user, "csp.change", plan),
        },
    )


@staff_view("csp.change")
def plan_create(request: HttpRequest, code: str) -> HttpResponse:
    csp = _csp_or_404(request, code, "csp.change")
    form = PlanForm(request.POST or None, csp=csp)
    saved, status = _save(
        request,
        form,
        lambda f: services.create_plan(actor=request.user, csp=csp, data=f.service_data()),
        "The partnership plan has been added.",
    )
    if saved:
        return redirect("csp:plan-detail", pk=saved.pk)
    return _form_page(
        request, form, f"Add a partnership plan — {csp.name}", f"/staff/csp/{csp.code}/", status
    )


@staff_view("csp.change")
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_allowed_object(request, _plan_queryset(), "csp.change", pk=pk)
    initial = {"version": plan.version, **{n: getattr(plan, n) for n in services.PLAN_FIELDS}}
    form = PlanForm(request.POST or None, initial=initial, csp=plan.csp)
    saved, status = _save(
        request,
        form,
        lambda f: services.update_plan(
            actor=request.user,
            plan=plan,
            expected_version=f.cleaned_data["version"] or 0,
            data=f.service_data(),
        ),
        "Your changes have been saved.",
    )
    if saved:
        return redirect("csp:plan-detail", pk=plan.pk)
    return _form_page(request, form, f"Edit {plan.title}", f"/staff/csp/plans/{plan.pk}/", status)


@staff_view("csp.change")
def priority_create(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_allowed_object(request, _plan_queryset(), "csp.change", pk=pk)
    form = PriorityForm(request.POST or None, plan=plan)
    saved, status = _save(
        request,
        form,
        lambda f: services.save_priority(actor=request.user, plan=plan, data=f.service_data()),
        "The priority has been added.",
    )
    if saved:
        return redirect("csp:plan-detail", pk=plan.pk)
    return _form_page(request, form, f"Add a priority — {plan.title}", f"/staff/csp/plans/{plan.pk}/", status)


def _owned(request: HttpRequest, queryset: Any, pk: int) -> Any:
    """A plan's part (priority or action) the user may change, or 404."""
    item = queryset.filter(pk=pk).first()
    if item is None or not has_permission(request.user, "csp.change", item):
        raise deny(request, "csp.change", obj=item)
    return item


@staff_view("csp.change")
def priority_edit(request: HttpRequest, pk: int) -> HttpResponse:
    priority = _owned(request, CspPriority.objects.select_related("plan__csp"), pk)
    initial = {
        "version": priority.version,
        "pcc_priorities": list(priority.pcc_priorities.all()),
        **{n: getattr(priority, n) for n in services.PRIORITY_FIELDS},
    }
    form = PriorityForm(request.POST or None, initial=initial, plan=priority.plan)
    saved, status = _save(
        request,
        form,
        lambda f: services.save_priority(
            actor=request.user,
            plan=priority.plan,
            priority=priority,
            expected_version=f.cleaned_data["version"] or 0,
            data=f.service_data(),
        ),
        "Your changes have been saved.",
    )
    if saved:
        return redirect("csp:plan-detail", pk=priority.plan_id)
    return _form_page(
        request, form, f"Edit {priority.title}", f"/staff/csp/plans/{priority.plan_id}/", status
    )


@staff_view("csp.change")
def action_create(request: HttpRequest, pk: int) -> HttpResponse:
    priority = _owned(request, CspPriority.objects.select_related("plan__csp"), pk)
    form = ActionForm(request.POST or None)
    saved, status = _save(
        request,
        form,
        lambda f: services.save_action(actor=request.user, priority=priority, data=f.service_data()),
        "The action has been added.",
    )
    if saved:
        return redirect("csp:plan-detail", pk=priority.plan_id)
    return _form_page(
        request, form, f"Add an action — {priority.title}", f"/staff/csp/plans/{priority.plan_id}/", status
    )


@staff_view("csp.change")
def action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    action = _owned(request, CspAction.objects.select_related("priority__plan__csp"), pk)
    initial = {"version": action.version, **{n: getattr(action, n) for n in services.ACTION_FIELDS}}
    form = ActionForm(request.POST or None, initial=initial)
    plan_id = action.priority.plan_id
    saved, status = _save(
        request,
        form,
        lambda f: services.save_action(
            actor=request.user,
            priority=action.priority,
            action=action,
            expected_version=f.cleaned_data["version"] or 0,
            data=f.service_data(),
        ),
        "Your changes have been saved.",
    )
    if saved:
        return redirect("csp:plan-detail", pk=plan_id)
    return _form_page(request, form, "Edit an action", f"/staff/csp/plans/{plan_id}/", status)


@staff_view("csp.change")
def action_update_create(request: HttpRequest, pk: int) -> HttpResponse:
    action = _owned(request, CspAction.objects.select_related("priority__plan__csp"), pk)
    form = ActionUpdateForm(request.POST or None)
    plan_id = action.priority.plan_id
    saved, status = _save(
        request,
        form,
        lambda f: services.add_action_update(actor=request.user, action=action, data=f.service_data()),
        "The progress update has been recorded.",
    )
    if saved:
        return redirect("csp:plan-detail", pk=plan_id)
    return _form_page(request, form, f"Record progress — {action}", f"/staff/csp/plans/{plan_id}/", status)


# --- the PCC's requirement for a report -------------------------------------------------------------------


@staff_view("csp.view")
def requirement_list(request: HttpRequest) -> HttpResponse:
    items = ReportRequirement.objects.restrict(request.user, "csp.view").select_related("csp")
    return render(
        request,
        "csp/requirement_list.html",
        {"items": items, "today": timezone.localdate(), "csps": selectors.csps_for(request.user)},
    )


@staff_view("csp.view")
def requirement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_allowed_object(request, ReportRequirement.objects.select_related("csp"), "csp.view", pk=pk)
    return render(
        request,
        "csp/requirement_detail.html",
        {
            "item": item,
            "today": timezone.localdate(),
            "history": field_history(item),
            "can_respond": has_permission(request.user, "csp.change", item),
        },
    )


@staff_view("csp.reports.require")
def requirement_create(request: HttpRequest, code: str) -> HttpResponse:
    csp = _csp_or_404(request, code, "csp.reports.require")
    form = RequirementForm(request.POST or None)
    saved, status = _save(
        request,
        form,
        lambda f: services.require_report(actor=request.user, csp=csp, data=f.service_data()),
        "The requirement has been recorded.",
    )
    if saved:
        return redirect("csp:requirement-detail", pk=saved.pk)
    return _form_page(request, form, f"Require a report — {csp.name}", f"/staff/csp/{csp.code}/", status)


@staff_view("csp.change")
def requirement_respond(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_allowed_object(request, ReportRequirement.objects.select_related("csp"), "csp.change", pk=pk)
    initial = {"version": item.version, **{n: getattr(item, n) for n in services.REPORT_RESPONSE_FIELDS}}
    form = RequirementResponseForm(request.POST or None, initial=initial)
    saved, status = _save(
        request,
        form,
        lambda f: services.respond_to_requirement(
            actor=request.user,
            item=item,
            expected_version=f.cleaned_data["version"] or 0,
            data=f.service_data(),
        ),
        "The response has been recorded.",
    )
    if saved:
        return redirect("csp:requirement-detail", pk=item.pk)
    return _form_page(request, form, f"Respond — {item.subject}", f"/staff/csp/reports/{item.pk}/", status)
