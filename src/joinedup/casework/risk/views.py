"""Staff pages for the Risk Assessment Matrix and Joint Problem Solving plans (thin: reads through
this package's and casework's selectors, writes through the services)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from joinedup.core.forms import save_form, service_save
from joinedup.core.lists import list_view
from joinedup.core.permissions import has_permission
from joinedup.core.views.base import staff_view

from .. import selectors
from ..models import RiskQuestion
from . import lists, services
from .forms import (
    PlanActionForm,
    PlanForm,
    PlanReviewForm,
    RiskAssessmentForm,
    RiskQuestionForm,
    RiskSettingsForm,
)
from .selectors import get_assessment, get_plan


def _work_case(request: HttpRequest, pk: int) -> Any:
    return selectors.get_case(
        user=request.user, pk=pk, request=request, action="casework.cases.work", audit=False
    )


def _saved(request: HttpRequest, form: Any, save: Callable[[dict[str, Any]], Any], success: str) -> bool:
    """Whether a valid POST of `form` was saved by `save(cleaned_data)` (the service's problems are put on
    the form, and `success` said when it was)."""
    return bool(save_form(request, form, lambda form: save(form.cleaned_data), success)[0])


def _plan_form_page(
    request: HttpRequest,
    form: Any,
    save: Callable[[dict[str, Any]], Any],
    success: str,
    *,
    case: Any,
    title: str,
) -> HttpResponse:
    """A form page of a case's Joint Problem Solving plan: saved, back to the plan; otherwise the form."""
    if _saved(request, form, save, success):
        return redirect("casework:plan-detail", pk=case.pk)
    return render(request, "casework/form.html", {"form": form, "case": case, "title": title})


def _matrix_form_page(request: HttpRequest, form: Any, title: str) -> HttpResponse:
    """A form page of the Risk Assessment Matrix's set-up, with a link back to the matrix."""
    return render(
        request, "casework/simple_form.html", {"form": form, "title": title, "back": "casework:risk-matrix"}
    )


def _assessed(assessment: Any) -> str:
    message = f"Risk assessed: {assessment.get_risk_level_display().lower()} (score {assessment.score})."
    if assessment.risk_level == "high":
        message += " A Joint Problem Solving plan has been raised: add every agency's actions to it."
    return message


@staff_view("casework.cases.work")
def risk_assessment_create(request: HttpRequest, pk: int) -> HttpResponse:
    case = _work_case(request, pk)
    questions = services.questionnaire()
    form = RiskAssessmentForm(request.POST or None, questions=questions)
    if save_form(request, form, service_save(request, services.record_risk_assessment, case=case), _assessed)[
        0
    ]:
        return redirect("casework:case-detail", pk=case.pk)
    return render(
        request,
        "casework/risk_assessment_form.html",
        {
            "form": form,
            "case": case,
            "settings": services.matrix_settings(),
            "title": "Risk Assessment Matrix",
        },
    )


@staff_view("casework.risk.view")
def risk_assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment(user=request.user, pk=pk, request=request)
    return render(
        request, "casework/risk_assessment_detail.html", {"assessment": assessment, "case": assessment.case}
    )


risk_due = list_view(lists.RISK_DUE)


@staff_view("casework.cases.view")
def risk_matrix(request: HttpRequest) -> HttpResponse:
    settings = services.matrix_settings()
    can_configure = has_permission(request.user, "casework.risk.configure")
    settings_form = RiskSettingsForm(initial=services.matrix_values(settings))
    return render(
        request,
        "casework/risk_matrix.html",
        {
            "settings": settings,
            "questions": services.questionnaire(),
            "can_configure": can_configure,
            "settings_form": settings_form,
            "question_form": RiskQuestionForm(),
        },
    )


@staff_view("casework.risk.configure")
def risk_matrix_settings(request: HttpRequest) -> HttpResponse:
    form = RiskSettingsForm(request.POST or None)
    saved = "The thresholds and review cadence have been saved."
    if _saved(request, form, lambda data: services.update_settings(actor=request.user, data=data), saved):
        return redirect("casework:risk-matrix")
    if request.method == "GET":
        settings = services.matrix_settings()
        form = RiskSettingsForm(initial={f: getattr(settings, f) for f in form.fields})
    return _matrix_form_page(request, form, "Risk thresholds and reviews")


@staff_view("casework.risk.configure")
def risk_question_create(request: HttpRequest) -> HttpResponse:
    form = RiskQuestionForm(request.POST or None)
    added = "The question has been added to the Risk Assessment Matrix."
    if _saved(request, form, lambda data: services.add_question(actor=request.user, data=data), added):
        return redirect("casework:risk-matrix")
    return _matrix_form_page(request, form, "Add a question")


@require_POST
@staff_view("casework.risk.configure")
def risk_question_retire(request: HttpRequest, pk: int) -> HttpResponse:
    question = RiskQuestion.objects.filter(pk=pk, active=True).first()
    if question is None:
        raise Http404("Not found")
    services.retire_question(actor=request.user, question=question)
    messages.success(request, f"“{question.text}” is no longer asked.")
    return redirect("casework:risk-matrix")


# --- Joint Problem Solving plans ----------------------------------------------------------------------


@staff_view("casework.cases.work")
def plan_create(request: HttpRequest, pk: int) -> HttpResponse:
    case = _work_case(request, pk)
    return _plan_form_page(
        request,
        PlanForm(request.POST or None),
        lambda data: services.create_plan(actor=request.user, case=case, data=data),
        "The Joint Problem Solving plan has been raised.",
        case=case,
        title="Raise a Joint Problem Solving plan",
    )


@staff_view("casework.cases.view")
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan(user=request.user, case_pk=pk, request=request)
    return render(
        request,
        "casework/plan_detail.html",
        {
            "plan": plan,
            "case": plan.case,
            "plan_status": plan.case.plan_status(),
            "agencies": sorted({a.owner_organisation.name for a in plan.case.actions.all()}),
            "can_work": has_permission(request.user, "casework.cases.work", plan.case),
        },
    )


@staff_view("casework.cases.work")
def plan_action_create(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan(user=request.user, case_pk=pk, request=request, audit=False)
    return _plan_form_page(
        request,
        PlanActionForm(request.POST or None, case=plan.case),
        lambda data: services.add_plan_action(actor=request.user, plan=plan, data=data),
        "The action has been added to the plan.",
        case=plan.case,
        title="Add an action to the plan",
    )


@staff_view("casework.cases.work")
def plan_review_create(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan(user=request.user, case_pk=pk, request=request, audit=False)
    return _plan_form_page(
        request,
        PlanReviewForm(request.POST or None),
        lambda data: services.record_plan_review(actor=request.user, plan=plan, data=data),
        "The plan review has been recorded.",
        case=plan.case,
        title="Record a plan review",
    )
