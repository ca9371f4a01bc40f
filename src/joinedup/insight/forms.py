"""The assessment form: which area and which months."""

from __future__ import annotations

from typing import Any

from django import forms

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
