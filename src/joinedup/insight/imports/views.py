"""Staff pages for police data imports: the list of imports, upload a download from the staff site, then
follow its progress on the import's record page (`import_detail`), retry or cancel it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from joinedup.core.forms import ServiceForm
from joinedup.core.lists import list_view
from joinedup.core.views.base import get_allowed_object, staff_view
from joinedup.insight.imports.services import MAX_UPLOAD_BYTES, cancel_upload, queue_upload, retry_upload
from joinedup.insight.lists import POLICE_DATA_IMPORTS
from joinedup.insight.models import PoliceDataImport

import_list = list_view(POLICE_DATA_IMPORTS)


REFRESH_SECONDS = 5


@staff_view("insight.imports.view")
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_allowed_object(request, PoliceDataImport.objects.all(), "insight.imports.view", pk=pk)
    rejected = Paginator(record.rejected_rows.all(), 100).get_page(request.GET.get("page"))
    flags = [(name.replace("_", " ").capitalize(), count) for name, count in (record.flags or {}).items()]
    # While the import runs the page reloads itself (an HTTP Refresh header: no JavaScript needed), unless
    # the reader turned that off.
    refreshing = record.in_progress and request.GET.get("refresh") != "off"
    response = render(
        request,
        "insight/import_detail.html",
        {
            "record": record,
            "page_obj": rejected,
            "flags": flags,
            "refreshing": refreshing,
            "every": REFRESH_SECONDS,
        },
    )
    if refreshing:
        response["Refresh"] = str(REFRESH_SECONDS)
    return response


class ImportUploadForm(ServiceForm):
    submit_label = "Upload and import"

    file = forms.FileField(
        label="Download from data.police.uk",
        required=False,
        help_text=(
            "A ZIP file as data.police.uk gives it, or one CSV file of street crime, outcomes or stop and "
            f"search. Up to {MAX_UPLOAD_BYTES // 1024**3} GiB."
        ),
    )
    force = forms.CharField(
        label="Force (optional)",
        required=False,
        max_length=60,
        help_text=(
            "Only needed for CSV files not named as data.police.uk names them, for example northumbria."
        ),
    )


@staff_view("insight.import")
def import_upload(request: HttpRequest) -> HttpResponse:
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            record = queue_upload(
                actor=request.user, upload=form.cleaned_data["file"], force=form.cleaned_data["force"]
            )
        except ValidationError as exc:
            form.add_service_errors(exc.message_dict)
        else:
            return redirect("insight:import-detail", pk=record.pk)
    return render(request, "insight/import_upload.html", {"form": form})


def _upload_action(request: HttpRequest, pk: int, action: Callable[..., Any], done: str) -> HttpResponse:
    """Run `action` (a service) on an upload the person may see; its refusal as an error message, or
    `done` as a success message, on the upload's page."""
    record = get_allowed_object(request, PoliceDataImport.objects.all(), "insight.imports.view", pk=pk)
    try:
        action(actor=request.user, record=record)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)
    return redirect("insight:import-detail", pk=record.pk)


@require_POST
@staff_view("insight.import")
def import_retry(request: HttpRequest, pk: int) -> HttpResponse:
    """Queue a failed upload's import again (its file is kept until it is imported or cancelled)."""
    return _upload_action(request, pk, retry_upload, "The import is queued again.")


@require_POST
@staff_view("insight.import")
def import_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancel a queued upload, or give up a failed one: its file is removed."""
    return _upload_action(request, pk, cancel_upload, "The import is cancelled and its file removed.")
