"""Staff pages for importing police data from the staff site: upload a download, then follow its progress
on the import's record page (insight.views.import_detail)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from joinedup.core.forms import ServiceForm
from joinedup.core.views.base import staff_view
from joinedup.insight.services.uploads import MAX_UPLOAD_BYTES, queue_upload


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
