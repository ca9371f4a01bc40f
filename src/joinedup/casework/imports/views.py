"""Staff pages for incident intake from a CSV file (all rows or none, every problem listed)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from joinedup.core.models import ImportJob
from joinedup.core.views.base import deny, staff_view

from . import services
from .forms import ImportForm


@staff_view("casework.incidents.import")
def incident_import(request: HttpRequest) -> HttpResponse:
    """Upload incidents as CSV: every row is checked; all are recorded or none, with every problem."""
    posted = request.method == "POST"
    form = ImportForm(request.POST if posted else None, request.FILES if posted else None)
    result = None
    if posted and form.is_valid():
        upload = form.cleaned_data["file"]
        started = services.start_import(actor=request.user, file=upload, file_name=upload.name)
        if isinstance(started, ImportJob):
            return redirect("casework:incident-import-job", pk=started.pk)
        result = started
    return render(
        request,
        "casework/incident_import.html",
        {
            "form": form,
            "result": result,
            "columns": [(c, services.COLUMN_HELP.get(c, "")) for c in services.TEMPLATE_HEADER],
            "required_columns": services.REQUIRED_COLUMNS,
        },
    )


@staff_view("casework.incidents.import")
def incident_import_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(services.template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="incidents-template.csv"'
    return response


REFRESH_SECONDS = 3


@staff_view("casework.incidents.import")
def incident_import_job(request: HttpRequest, pk: int) -> HttpResponse:
    """A large import run by the task worker: its progress, then its row-by-row report. Only the person
    who uploaded the file sees it (anyone else: not found)."""
    job = ImportJob.objects.filter(pk=pk, kind=services.JOB_KIND, created_by=request.user.pk).first()
    if job is None:
        raise deny(request, "casework.incidents.import")
    refreshing = job.in_progress and request.GET.get("refresh") != "off"
    response = render(
        request,
        "casework/incident_import_job.html",
        {"job": job, "report": job.result or {}, "refreshing": refreshing, "every": REFRESH_SECONDS},
    )
    if refreshing:
        response["Refresh"] = str(REFRESH_SECONDS)
    return response
