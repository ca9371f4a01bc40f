"""The organisation directory: the list (declared in core.staff_lists: filters, sort, CSV/XLSX/JSON), the
older CSV address (the list's export with its old columns), record page with history, add and edit."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from joinedup.core.forms import OrganisationForm, form_page, service_save
from joinedup.core.history import field_history
from joinedup.core.lists import list_view
from joinedup.core.lists.views import download_view
from joinedup.core.models import Organisation
from joinedup.core.permissions import has_permission
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
    return form_page(
        request,
        OrganisationForm(request.POST or None),
        service_save(request, create_organisation),
        lambda organisation: f"{organisation.name} has been added to the directory.",
        done=_organisation_url,
        template="core/organisations/form.html",
        context={"organisation": None},
    )


def _organisation_url(organisation: Organisation) -> str:
    return reverse("staff:organisation-detail", args=[organisation.pk])


@staff_view("organisations.change")
def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_allowed_object(request, Organisation.objects.all(), "organisations.change", pk=pk)
    return form_page(
        request,
        OrganisationForm(request.POST or None, initial=OrganisationForm.initial_from(organisation)),
        service_save(request, update_organisation, versioned=True, organisation=organisation),
        "Your changes have been saved.",
        done=_organisation_url,
        template="core/organisations/form.html",
        context={"organisation": organisation},
    )
