"""Staff pages for casework. Thin: every read goes through `selectors`, every write through `services`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from joinedup.core.forms import save_form, save_versioned_form
from joinedup.core.lists import list_view
from joinedup.core.permissions import has_permission
from joinedup.core.views.base import staff_view

from . import lists, selectors, services
from .categories import CATEGORIES
from .forms import ActionForm, ActionUpdateForm, DisclosureForm, IncidentForm, InformantUpdateForm

# The case list (its filters, sort, pages and downloads) is declared in `lists.py`: every row through
# `selectors.list_cases`, the sharing rule.
case_list = list_view(lists.CASES)


@staff_view("casework.cases.view")
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.get_case(user=request.user, pk=pk, request=request)
    return render(
        request,
        "casework/case_detail.html",
        {
            "case": case,
            "categories": CATEGORIES,
            "plan_status": case.plan_status(),
            "can_work": has_permission(request.user, "casework.cases.work", case),
        },
    )


@staff_view("casework.incidents.create")
def incident_create(request: HttpRequest) -> HttpResponse:
    suggestions: list[services.Suggestion] = []
    choices: list[tuple[str, str]] = []
    if request.method == "POST":
        without_case = request.POST.copy()
        without_case.pop("case", None)
        probe = IncidentForm(without_case)
        if probe.is_valid():
            data = probe.service_data(organisation_id=getattr(request.user, "organisation_id", None))
            try:
                clean = services.validate_incident(actor=request.user, data={**data, "case": None})
            except ValidationError:
                clean = None
            if clean is not None:
                suggestions = services.suggest_links(
                    user=request.user,
                    received_at=clean["received_at"],
                    latitude=clean["latitude"],
                    longitude=clean["longitude"],
                    informant=clean["informant"],
                    perpetrators=clean["perpetrators"],
                )
                choices = [
                    (str(s.case.pk), f"{s.case.reference}: {'; '.join(s.reasons)}") for s in suggestions
                ]
    form = IncidentForm(request.POST or None, case_choices=choices)
    if request.method == "POST" and form.is_valid() and request.POST.get("action") == "save":
        data = form.service_data(organisation_id=getattr(request.user, "organisation_id", None))
        try:
            result = services.record_incident(actor=request.user, data=data)
        except ValidationError as exc:
            form.add_service_errors(exc.message_dict)
        else:
            verb = "opened" if result.case_opened else "joined"
            messages.success(
                request, f"Incident {result.incident.reference} recorded: it {verb} {result.case.reference}."
            )
            return redirect("casework:case-detail", pk=result.case.pk)
    elif request.method == "POST" and form.is_valid():
        data = form.service_data(organisation_id=getattr(request.user, "organisation_id", None))
        try:
            services.validate_incident(actor=request.user, data=data)
        except ValidationError as exc:
            form.add_service_errors(exc.message_dict)
    return render(
        request,
        "casework/incident_form.html",
        {"form": form, "suggestions": suggestions, "checked": request.method == "POST"},
    )


def _saved_for_case(
    request: HttpRequest, form: Any, service: Callable[..., Any], case: Any, success: str
) -> bool:
    """Whether a valid POST of `form` was saved by `service(actor=..., case=..., data=cleaned_data)` (its
    problems are put on the form, and `success` said when it was)."""

    def save(form: Any) -> Any:
        return service(actor=request.user, case=case, data=form.cleaned_data)

    return bool(save_form(request, form, save, success)[0])


def _case_form_page(
    request: HttpRequest,
    pk: int,
    *,
    action: str,
    make_form: Callable[[Any], Any],
    service: Callable[..., Any],
    success: str,
    title: str,
    template: str = "casework/form.html",
    **context: Any,
) -> HttpResponse:
    """A page adding to a case: the case read through the sharing rule for `action` (not audited as a
    view: the change is); saved by `service`, back to the case; otherwise the form again."""
    case = selectors.get_case(user=request.user, pk=pk, request=request, action=action, audit=False)
    form = make_form(case)
    if _saved_for_case(request, form, service, case, success):
        return redirect("casework:case-detail", pk=case.pk)
    return render(request, template, {"form": form, "case": case, "title": title, **context})


@staff_view("casework.cases.work")
def action_create(request: HttpRequest, pk: int) -> HttpResponse:
    return _case_form_page(
        request,
        pk,
        action="casework.cases.work",
        make_form=lambda case: ActionForm(request.POST or None, case=case),
        service=services.add_action,
        success="The action has been assigned.",
        title="Assign an action",
    )


@staff_view("casework.cases.disclose")
def disclosure_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Disclose the case to another organisation: an explicit, audited step with a warning (ADR 0012)."""
    from .disclosures import services as disclosures

    return _case_form_page(
        request,
        pk,
        action="casework.cases.disclose",
        make_form=lambda case: DisclosureForm(request.POST or None),
        service=disclosures.disclose_case,
        success="The disclosure has been recorded: that organisation may now see the case.",
        title="Disclose this case to another organisation",
        template="casework/disclosure_form.html",
        warning=disclosures.WARNING,
    )


@staff_view("casework.actions.change")
def action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    action = selectors.get_action(user=request.user, pk=pk, request=request)
    initial = {
        "status": action.status,
        "description": action.description,
        "due_date": action.due_date,
        "version": action.version,
    }
    form = ActionUpdateForm(request.POST or None, initial=initial)
    saved, status = save_versioned_form(
        request, form, services.update_action, "The action has been updated.", action=action
    )
    if saved:
        return redirect("casework:case-detail", pk=action.case_id)
    return render(
        request,
        "casework/form.html",
        {"form": form, "case": action.case, "title": f"Update: {action.get_action_type_display()}"},
        status=status,
    )


@staff_view("casework.cases.work")
def informant_update_create(request: HttpRequest, pk: int) -> HttpResponse:
    return _case_form_page(
        request,
        pk,
        action="casework.cases.work",
        make_form=lambda case: InformantUpdateForm(request.POST or None),
        service=services.record_informant_update,
        success="The update to the informant has been recorded.",
        title="Record an update to the informant",
    )


@staff_view("casework.statistics")
def statistics(request: HttpRequest) -> HttpResponse:
    area = (request.GET.get("area") or "").strip().upper() or None
    stats = selectors.case_statistics(user=request.user, area_code=area)
    return render(
        request, "casework/statistics.html", {"stats": stats, "area": area or "", "categories": CATEGORIES}
    )
