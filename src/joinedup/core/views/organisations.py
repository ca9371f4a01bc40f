"""The organisation directory: the list (declared in core.staff_lists: filters, sort, CSV/XLSX/JSON), the
older CSV address (the list's export with its old columns), record page with history, add and edit."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from joinedup.core.forms import OrganisationForm
from joinedup.core.history import field_history
from joinedup.core.lists import list_view
from joinedup.core.lists.views import download_view
from joinedup.core.models import Organisation
from joinedup.core.permissions import has_permission
from joinedup.core.services.errors import ConflictError
from joinedup.core.services.organisations import create_organisation, update_organisation
from joinedup.core.staff_lists import ORGANISATION_CSV_COLUMNS, ORGANISATIONS
from joinedup.core.views.base import get_allowed_object, staff_view

organisation_list = list_view(ORGANISATIONS)


# The older CSV address, with the columns it always had: the list's own export.
organisation_export = download_view(ORGANISATIONS, columns=ORGANISATION_CSV_COLUMNS)


@staff_view("organisations.view")
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_allowed_object(
        request, Organisation.objects.prefetch_related("areas"), "organisations.view", pk=pk
    )
    return render(
        request,
        "core/organisations/detail.html",
        {
            "organisation": organisation,
            "history": field_history(organisation),
            "staff": organisation.staff.filter(is_active=True).order_by("full_name")
            if has_permission(request.user, "people.view")
            else None,
            "can_change": has_permission(request.user, "organisations.change", organisation),
        },
    )


@staff_view("organisations.create")
def organisation_create(request: HttpRequest) -> HttpResponse:
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = create_organisation(actor=request.user, data=form.service_data())
        except ValidationError as exc:
            form.add_service_errors(exc.message_dict)
        else:
            messages.success(request, f"{organisation.name} has been added to the directory.")
            return redirect("staff:organisation-detail", pk=organisation.pk)
    return render(request, "core/organisations/form.html", {"form": form, "organisation": None})


@staff_view("organisations.change")
def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_allowed_object(request, Organisation.objects.all(), "organisations.change", pk=pk)
    initial = OrganisationForm.initial_from(organisation)
    form = OrganisationForm(request.POST or None, initial=initial)
    conflict = False
    if request.method == "POST" and form.is_valid():
        try:
            update_organisation(
                actor=request.user,
                organisation=organisation,
                expected_version=form.cleaned_data["version"] or 0,
                data=form.service_data(),
            )
        except ValidationError as exc:
            form.add_service_errors(exc.message_dict)
        except ConflictError as exc:
            conflict = True
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Your changes have been saved.")
            return redirect("staff:organisation-detail", pk=organisation.pk)
    status = 409 if conflict else 200
    return render(
        request, "core/organisations/form.html", {"form": form, "organisation": organisation}, status=status
    )
