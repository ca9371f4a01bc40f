"""The assessment form: which area and which months."""

from __future__ import annotations

from typing import Any

from django import forms

from joinedup.core.form_fields import text_field
from joinedup.core.forms import ServiceForm

MONTH_HELP = "As YYYY-MM, for example 2023-01. Leave both months empty for the latest 12 months."


class AssessmentForm(forms.Form):
    area = forms.ChoiceField(
        label="Area", help_text="A force area, community safety partnership or district."
    )
    from_month = forms.CharField(label="First month", required=False, max_length=7, help_text=MONTH_HELP)
    to_month = forms.CharField(label="Last month", required=False, max_length=7)

    def __init__(self, *args: Any, areas: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        levels = {"pfa": "Force area", "csp": "CSP", "lad": "District"}
        field = self.fields["area"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "Choose an area")] + [
            (area.code, f"{area.name} ({levels.get(area.level, area.level)}, {area.code})")
            for area in areas.order_by("level", "name")
        ]

    def add_service_errors(self, errors: dict[str, list[str]]) -> None:
        fields = {"area": "area", "from": "from_month", "to": "to_month"}
        for key, messages in errors.items():
            for message in messages:
                self.add_error(fields.get(key), message)


class SaveAssessmentForm(forms.Form):
    """The hidden fields that save the assessment on screen (area and months)."""

    area = forms.CharField(max_length=9)
    from_month = forms.CharField(max_length=7, required=False)
    to_month = forms.CharField(max_length=7, required=False)


class NarrativeForm(ServiceForm):
    submit_label = "Save the narrative"

    title = forms.CharField(max_length=200, required=False, label="Title")
    narrative = text_field(
        "Narrative",
        14,
        help_text="The executive summary: what the figures show, what has changed and what the partnership "
        "should focus on. Blank lines separate paragraphs.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class VersionForm(forms.Form):
    version = forms.IntegerField(required=False)


class ThemeForm(ServiceForm):
    submit_label = "Add the theme"

    name = forms.CharField(
        max_length=100, required=False, label="Theme name", help_text="For example, Acquisitive crime."
    )
    crime_types = forms.MultipleChoiceField(
        required=False, label="Crime types in the theme", widget=forms.CheckboxSelectMultiple
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, crime_types: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["crime_types"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(t, t) for t in crime_types]


def _thresholds(text: str) -> list[float] | str:
    try:
        return [float(part) for part in text.replace(";", ",").split(",") if part.strip()]
    except ValueError:
        return text


class SchemeForm(ServiceForm):
    submit_label = "Save the scheme"

    name = forms.CharField(max_length=100, required=False)
    scale_max = forms.IntegerField(
        required=False, label="Top of the scale", help_text="Scores run from 1 to this (3 to 10)."
    )
    harm_bands = forms.CharField(
        required=False,
        label="Harm thresholds (% of the area's harm)",
        help_text="One fewer than the top of the scale, rising, separated by commas, e.g. 2, 5, 10, 25.",
    )
    volume_bands = forms.CharField(
        required=False, label="Volume thresholds (per 1,000 residents)", help_text="For example 1, 3, 10, 25."
    )
    trend_bands = forms.CharField(
        required=False,
        label="Trend thresholds (% change, significant changes only)",
        help_text="For example -20, -5, 5, 20.",
    )
    harm_weight = forms.FloatField(required=False, label="Weight of harm")
    volume_weight = forms.FloatField(required=False, label="Weight of volume")
    trend_weight = forms.FloatField(required=False, label="Weight of trend")
    vulnerability_weight = forms.FloatField(required=False, label="Weight of victim vulnerability")
    concern_weight = forms.FloatField(required=False, label="Weight of community concern")
    capacity_weight = forms.FloatField(required=False, label="Weight of capacity")
    capability_weight = forms.FloatField(required=False, label="Weight of capability")
    position_weight = forms.FloatField(
        required=False,
        label="Weight of the organisational position",
        help_text="0 to 2: how much a gap in capacity and capability raises the risk (0.5 = by up to 50%).",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def service_data(self) -> dict[str, Any]:
        data = {k: v for k, v in super().service_data().items() if v is not None}
        for name in ("harm_bands", "volume_bands", "trend_bands"):
            data[name] = _thresholds(self.cleaned_data.get(name) or "")
        return data
