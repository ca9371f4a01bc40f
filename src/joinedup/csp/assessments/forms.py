"""The form for publishing a strategic assessment. They only collect input: the services check every rule."""

from __future__ import annotations

from typing import Any

from django import forms

from joinedup.core.form_fields import date_field, text_field
from joinedup.core.forms import VersionedForm


class AssessmentForm(VersionedForm):
    title = forms.CharField(max_length=200, required=False)
    year = forms.IntegerField(label="Financial year starting", required=False, help_text="2025 for 2025/26.")
    published_on = date_field("Date published")
    approved_by = forms.CharField(label="Approved by", max_length=200, required=False)
    document = forms.FileField(
        label="Upload the assessment", required=False, help_text="A PDF, DOCX or ODT file up to 20 MB."
    )
    link = forms.CharField(label="Or a link to it", max_length=500, required=False)
    crime_trend_headline = forms.CharField(
        label="Crime trend headline",
        max_length=300,
        required=False,
        help_text="One sentence; it opens the crime trend section of the quarterly briefing notes.",
    )
    key_findings = text_field("Key findings", 5)
    insight_assessment_id = forms.IntegerField(
        label="Saved assessment in the insight store (number, optional)",
        required=False,
        min_value=1,
        help_text="If this was published from a saved assessment in the insight store, its number.",
    )

    def service_data(self) -> dict[str, Any]:
        data = super().service_data()
        data.pop("document", None)
        return data
