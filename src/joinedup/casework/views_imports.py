"""Staff pages for incident intake from a CSV file (all rows or none, every problem listed)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from joinedup.core.views.base import staff_view

from . import imports
from .forms_agreements import ImportForm


@staff_view("casework.incidents.import")
def incident_import(request: HttpRequest) -> HttpResponse:
    """Upload incidents as CSV: every row is checked; all are recorded or none, with every problem."""
    posted = request.method == "POST"
    form = ImportForm(request.POST if posted else None, request.FILES if posted else None)
    result = None
    if posted and form.is_valid():
        result = imports.import_incidents(actor=request.user, file=form.cleaned_data["file"])
    return render(
        request,
        "casework/incident_import.html",
        {
            "form": form,
            "result": result,
            "columns": [(c, imports.COLUMN_HELP.get(c, "")) for c in imports.TEMPLATE_HEADER],
            "required_columns": imports.REQUIRED_COLUMNS,
        },
    )


@staff_view("casework.incidents.import")
def incident_import_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(imports.template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="incidents-template.csv"'
    return response
