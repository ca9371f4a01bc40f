"""Staff pages for partnership plans: a plan, its priorities and actions, progress updates, and the document
aligned with the Police and Crime Plan."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from joinedup.core.pdf import pdf_response
from joinedup.core.views.base import get_allowed_object, staff_user, staff_view

from ..models import CspAction, CspPlan, CspPriority
from ..views import Addition, Change, add_view, change_view, csp_create, csp_or_404, item_or_404, record_page
from . import selectors, services
from .forms import ActionForm, ActionUpdateForm, PlanForm, PriorityForm


def _plan_queryset() -> Any:
    return CspPlan.objects.select_related("csp", "police_and_crime_plan")


@staff_view("csp.view")
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_allowed_object(request, _plan_queryset(), "csp.view", pk=pk)
    priorities = plan.priorities.select_related("strategic_assessment").prefetch_related(
        "pcc_priorities", "actions__owner", "actions__updates"
    )
    deleted = (
        CspPriority.history.filter(plan_id=plan.pk, history_type="-")
        .select_related("history_user")
        .order_by("-history_date")
    )
    return record_page(
        request,
        "csp/plan_detail.html",
        "plan",
        plan,
        "csp.change",
        priorities=priorities,
        matrix=selectors.regard_matrix(plan),
        progress=selectors.plan_progress(plan),
        deleted=deleted,
    )


@staff_view("csp.change")
def plan_create(request: HttpRequest, code: str) -> HttpResponse:
    csp = csp_or_404(request, code, "csp.change")
    added, title = "The partnership plan has been added.", f"Add a partnership plan — {csp.name}"
    form = PlanForm(request.POST or None, csp=csp)
    return csp_create(request, csp, form, services.create_plan, added, title=title, to="csp:plan-detail")


@staff_view("csp.change")
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_allowed_object(request, _plan_queryset(), "csp.change", pk=pk)
    change = Change(plan, services.PLAN_FIELDS, services.update_plan, "plan")
    form = change.form(request, PlanForm, csp=plan.csp)
    return change_view(request, change, form, title=f"Edit {plan.title}", to="csp:plan-detail")


@staff_view("csp.change")
def priority_create(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_allowed_object(request, _plan_queryset(), "csp.change", pk=pk)
    addition = Addition(plan, "plan", services.save_priority, "csp:plan-detail", plan.pk)
    form = PriorityForm(request.POST or None, plan=plan)
    return add_view(
        request, addition, form, "The priority has been added.", title=f"Add a priority — {plan.title}"
    )


def _owned(request: HttpRequest, queryset: Any, pk: int) -> Any:
    """A plan's part (priority or action) the user may change, or 404."""
    return item_or_404(request, queryset, pk, "csp.change")


@staff_view("csp.change")
def priority_edit(request: HttpRequest, pk: int) -> HttpResponse:
    priority = _owned(request, CspPriority.objects.select_related("plan__csp"), pk)
    served = {"pcc_priorities": list(priority.pcc_priorities.all())}
    change = Change(
        priority,
        services.PRIORITY_FIELDS,
        services.save_priority,
        "priority",
        served,
        {"plan": priority.plan},
    )
    form = change.form(request, PriorityForm, plan=priority.plan)
    return change_view(
        request, change, form, title=f"Edit {priority.title}", to="csp:plan-detail", pk=priority.plan_id
    )


@staff_view("csp.change")
def priority_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm, with a reason, before a plan priority and its actions are deleted (kept in the history)."""
    priority = _owned(request, CspPriority.objects.select_related("plan__csp"), pk)
    actions = list(priority.actions.all())
    errors: list[str] = []
    reason = ""
    if request.method == "POST":
        reason = request.POST.get("reason", "")
        try:
            services.delete_priority(actor=staff_user(request), priority=priority, reason=reason)
        except ValidationError as exc:
            errors = [m for ms in exc.message_dict.values() for m in ms]
        else:
            messages.success(request, f"The priority “{priority.title}” has been deleted.")
            return redirect("csp:plan-detail", pk=priority.plan_id)
    return render(
        request,
        "csp/priority_delete.html",
        {"priority": priority, "actions": actions, "errors": errors, "reason": reason},
        status=422 if errors else 200,
    )


@staff_view("csp.change")
def action_create(request: HttpRequest, pk: int) -> HttpResponse:
    priority = _owned(request, CspPriority.objects.select_related("plan__csp"), pk)
    addition = Addition(priority, "priority", services.save_action, "csp:plan-detail", priority.plan_id)
    form = ActionForm(request.POST or None)
    return add_view(
        request, addition, form, "The action has been added.", title=f"Add an action — {priority.title}"
    )


@staff_view("csp.change")
def action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    action = _owned(request, CspAction.objects.select_related("priority__plan__csp"), pk)
    change = Change(
        action, services.ACTION_FIELDS, services.save_action, "action", target={"priority": action.priority}
    )
    form = change.form(request, ActionForm)
    return change_view(
        request, change, form, title="Edit an action", to="csp:plan-detail", pk=action.priority.plan_id
    )


@staff_view("csp.change")
def action_update_create(request: HttpRequest, pk: int) -> HttpResponse:
    action = _owned(request, CspAction.objects.select_related("priority__plan__csp"), pk)
    addition = Addition(
        action, "action", services.add_action_update, "csp:plan-detail", action.priority.plan_id
    )
    form, title = ActionUpdateForm(request.POST or None), f"Record progress — {action}"
    return add_view(request, addition, form, "The progress update has been recorded.", title=title)


# --- the aligned document ----------------------------------------------------------------------------------


def _aligned_context(request: HttpRequest, pk: int) -> dict[str, Any]:
    plan = get_allowed_object(request, _plan_queryset(), "csp.view", pk=pk)
    pcc_plan = plan.police_and_crime_plan
    priorities = list(
        plan.priorities.select_related("strategic_assessment").prefetch_related(
            "pcc_priorities", "actions__owner"
        )
    )
    served_by: dict[int, list[CspPriority]] = {}
    for priority in priorities:
        for served in priority.pcc_priorities.all():
            served_by.setdefault(served.pk, []).append(priority)
    pcc_priorities = (
        [(p, served_by.get(p.pk, [])) for p in pcc_plan.priorities.all()] if pcc_plan is not None else []
    )
    return {
        "plan": plan,
        "pcc_plan": pcc_plan,
        "pcc_priorities": pcc_priorities,
        "priorities": priorities,
        "matrix": selectors.regard_matrix(plan),
        "document_title": f"{pcc_plan.title if pcc_plan else 'Police and Crime Plan'} and {plan.title}",
        "generated_at": timezone.now(),
    }


@staff_view("csp.view")
def aligned(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "csp/aligned.html", _aligned_context(request, pk))


@staff_view("csp.view")
def aligned_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    context = _aligned_context(request, pk)
    return pdf_response(
        request,
        template="csp/aligned_print.html",
        context=context,
        filename=context["document_title"],
        object_type="csp.CspPlan",
        object_id=pk,
    )
