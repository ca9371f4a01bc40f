"""Staff pages for casework. Thin: every read goes through `selectors`, every write through `services`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from joinedup.core.forms import save_form
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


@staff_view("casework.cases.work")
def action_create(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.get_case(
        user=request.user, pk=pk, request=request, action="casework.cases.work", audit=False
    )
    form = ActionForm(request.POST or None, case=case)
    if _saved_for_case(request, form, services.add_action, case, "The action has been assigned."):
        return redirect("casework:case-detail", pk=case.pk)
    return render(request, "casework/form.html", {"form": form, "case": case, "title": "Assign an action"})


@staff_view("casework.cases.disclose")
def disclosure_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Disclose the case to another organisation: an explicit, audited step with a warning (ADR 0012)."""
    from .disclosures import services as disclosures

    case = selectors.get_case(
        user=request.user, pk=pk, request=request, action="casework.cases.disclose", audit=False
    )
    form = DisclosureForm(request.POST or None)
    disclosed = "The disclosure has been recorded: that organisation may now see the case."
    if _saved_for_case(request, form, disclosures.disclose_case, case, disclosed):
        return redirect("casework:case-detail", pk=case.pk)
    return render(
        request,
        "casework/disclosure_form.html",
        {
            "form": form,
            "case": case,
            "title": "Disclose this case to another organisation",
            "warning": disclosures.WARNING,
        },
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
    saved, status = save_form(
        request,
        form,
        lambda form: services.update_action(
            actor=request.user,
            action=action,
            expected_version=form.cleaned_data["version"],
            data={k: v for k, v in form.cleaned_data.items() if k != "version"},
        ),
        "The action has been updated.",
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
    case = selectors.get_case(
        user=request.user, pk=pk, request=request, action="casework.cases.work", audit=False
    )
    form = InformantUpdateForm(request.POST or None)
    recorded = "The update to the informant has been recorded."
    if _saved_for_case(request, form, services.record_informant_update, case, recorded):
        return redirect("casework:case-detail", pk=case.pk)
    return render(
        request,
        "casework/form.html",
        {"form": form, "case": case, "title": "Record an update to the informant"},
    )


@staff_view("casework.statistics")
def statistics(request: HttpRequest) -> HttpResponse:
    area = (request.GET.get("area") or "").strip().upper() or None
    stats = selectors.case_statistics(user=request.user, area_code=area)
    return render(
        request, "casework/statistics.html", {"stats": stats, "area": area or "", "categories": CATEGORIES}
    )
