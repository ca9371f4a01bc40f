"""Staff pages for importing police data from the staff site: upload a download, then follow its progress
on the import's record page (insight.views.import_detail)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from joinedup.core.forms import ServiceForm
from joinedup.core.views.base import get_allowed_object, staff_view
from joinedup.insight.models import PoliceDataImport
from joinedup.insight.services.uploads import MAX_UPLOAD_BYTES, cancel_upload, queue_upload, retry_upload


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
